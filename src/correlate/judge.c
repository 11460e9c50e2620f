/*
 * judge.c — a tunnel's outcome turned into its verdict: symptom and cause,
 * the failing exchange, where a lost message died, the evidence and an
 * explanation an engineer can act on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "correlate/rules_int.h"
#include "ikescope/names.h"

static void say(struct ike_corr_verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct ike_corr_verdict *v, const char *fmt, ...)
{
	size_t n = strlen(v->explanation);
	if (n + 1 >= sizeof(v->explanation))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->explanation + n, sizeof(v->explanation) - n, fmt, ap);
	va_end(ap);
}

static const char *xname(uint8_t e)
{
	const char *n = ike_name_long(&ike_names_exchange, e);
	return n ? n : "exchange";
}

/* "HH:MM:SS" of a capture-clock time, UTC */
static char *hms(int64_t us, char *b, size_t cap)
{
	int64_t s = us / 1000000;
	if (us < 0)
		s = 0;
	snprintf(b, cap, "%02d:%02d:%02d", (int)(s / 3600 % 24), (int)(s / 60 % 60), (int)(s % 60));
	return b;
}

/* vEdge's name of a KE group: "group-16" for MODP_4096 */
static void vedge_group(const char *ke, char *out, size_t cap)
{
	out[0] = '\0';
	for (uint32_t g = 1; g < 64; g++) {
		const char *n = ike_name_long(&ike_names_ke, g);
		const char *s = ike_name_short(&ike_names_ke, g);
		if ((n && strcmp(n, ke) == 0) || (s && strcmp(s, ke) == 0)) {
			snprintf(out, cap, "group-%u", g);
			return;
		}
	}
}

/* From two or more captures: the request in one and missing from another
 * died between them (toward the peer); an answer captured somewhere that the
 * local end never got died on its way back (toward local). */
static bool loss_from_captures(struct ike_corr *c, struct ike_corr_verdict *v, const struct corr_fail *f)
{
	size_t reqs[IKE_CORR_MAX_CAPTURES] = {0}, resps[IKE_CORR_MAX_CAPTURES] = {0};
	unsigned n_read = 0;
	for (size_t i = 0; i < IKE_CORR_MAX_CAPTURES; i++)
		n_read += c->cap_read[i];
	if (n_read < 2 || !v->peer.family)
		return false;
	int64_t lo = f->us - 200 * 1000000LL, hi = f->us + 1000000;
	int64_t first_req = -1;
	for (size_t i = 0; i < c->n_msgs; i++) {
		const struct ike_corr_msg *x = &c->msgs[i];
		if (x->us < lo || x->us > hi || x->mid != v->mid || (v->exchange && x->exchange != v->exchange))
			continue;
		if (!x->response && ike_corr_same_addr(&x->dst, &v->peer)) {
			reqs[x->file]++;
			if (first_req < 0)
				first_req = (int64_t)i;
		} else if (x->response && ike_corr_same_addr(&x->src, &v->peer)) {
			resps[x->file]++;
			ike_corr_verdict_ref(v, IKE_CORR_SRC_CAPTURE, c, (uint32_t)i);
		}
	}
	bool some_req = false, missing_req = false, some_resp = false, missing_resp = false;
	for (size_t i = 0; i < IKE_CORR_MAX_CAPTURES; i++) {
		if (!c->cap_read[i])
			continue;
		some_req |= reqs[i] > 0;
		missing_req |= reqs[i] == 0;
		some_resp |= resps[i] > 0;
		missing_resp |= resps[i] == 0;
	}
	if (some_resp && missing_resp) {
		v->loss = IKE_LOSS_TOWARD_LOCAL;
	} else if (some_req && missing_req && !some_resp) {
		v->loss = IKE_LOSS_TOWARD_PEER;
		if (first_req >= 0)
			ike_corr_verdict_ref(v, IKE_CORR_SRC_CAPTURE, c, (uint32_t)first_req);
	} else {
		return false;
	}
	v->loss_observed = true;
	return true;
}

/* Where the unanswered request died: from the peer's log when there is one,
 * else from captures at two vantage points; unknown from one end's view. */
static void loss(struct ike_corr *c, struct ike_corr_verdict *v, const struct corr_fail *f)
{
	v->loss = IKE_LOSS_UNKNOWN;
	int64_t first_tx = f->n_retx_lines ? c->logs[f->retx_lines[0]].us - 30 * 1000000LL : f->us - 200 * 1000000LL;
	int64_t to = f->us + 1000000;
	bool peer_log = false, heard = false;
	/* a log of the peer's charon that was running (and logging) before the request */
	for (size_t i = 0; i < IKE_LOG_MAX_FILES; i++)
		if (c->files[i].seen && c->files[i].side == IKE_CORR_SIDE_PEER && c->files[i].has_span &&
		    c->files[i].first_us <= first_tx + 30 * 1000000LL)
			peer_log = true;
	for (size_t i = 0; i < c->n_logs; i++) {
		const struct ike_corr_log *l = &c->logs[i];
		if (l->side != IKE_CORR_SIDE_PEER)
			continue;
		if (l->us < first_tx || l->us > to)
			continue;
		bool in = l->tunnel == (int32_t)v->tunnel;
		if ((in && l->kind == IKE_LOG_RETRANSMIT_RECEIVED) ||
		    (l->kind == IKE_LOG_PKT_RECEIVED && v->local.family && ike_corr_same_addr(&l->from.addr, &v->local) &&
		     l->us >= first_tx + 29 * 1000000LL)) {
			heard = true;
			ike_corr_verdict_ref(v, IKE_CORR_SRC_LOG, c, (uint32_t)i);
		}
	}
	if (peer_log) {
		v->loss = heard ? IKE_LOSS_TOWARD_LOCAL : IKE_LOSS_TOWARD_PEER;
		v->loss_observed = true;
		return;
	}
	if (loss_from_captures(c, v, f))
		return;
	/* the local log and a capture: answers captured that charon never parsed died past the tap */
	if (f->from_capture || !v->peer.family)
		return;
	for (size_t i = 0; i < c->n_msgs; i++) {
		const struct ike_corr_msg *x = &c->msgs[i];
		if (x->response && x->mid == v->mid && (!v->exchange || x->exchange == v->exchange) &&
		    ike_corr_same_addr(&x->src, &v->peer) && x->us >= first_tx && x->us <= to &&
		    x->link_message < 0) {
			v->loss = IKE_LOSS_TOWARD_LOCAL;
			v->loss_observed = true;
			ike_corr_verdict_ref(v, IKE_CORR_SRC_CAPTURE, c, (uint32_t)i);
		}
	}
}

/* "; copies at 23:28:21, 23:28:23, …; the gaps fit strongSwan's default schedule (4 s × 1.8^n)" */
static void schedule(struct ike_corr_verdict *v, const struct corr_fail *f)
{
	char t[16];
	if (f->n_send_us < 2)
		return;
	say(v, " (copies at");
	for (size_t i = 0; i < f->n_send_us; i++)
		say(v, "%s %s", i ? "," : "", hms(f->send_us[i], t, sizeof(t)));
	say(v, ")");
	struct ike_retx_fit fit;
	ike_retx_fit(f->send_us, f->n_send_us, &fit);
	switch (fit.verdict) {
	case IKE_RETX_STRONGSWAN_DEFAULT: say(v, "; the gaps fit strongSwan's default schedule (4 s x 1.8^n)"); break;
	case IKE_RETX_STRONGSWAN:
		say(v, "; the gaps fit strongSwan's schedule with retransmit_timeout %.1f s and retransmit_base %.1f "
		       "(a sender giving up after these tries does so %.1f s after the first)",
		    fit.timeout_s, fit.base, fit.give_up_s);
		break;
	case IKE_RETX_FIXED_INTERVAL: say(v, "; the gaps are fixed (%.1f s), not strongSwan's backoff", fit.timeout_s); break;
	default: break;
	}
}

static void explain(struct ike_corr *c, struct ike_corr_verdict *v, const struct corr_fail *f,
		    const struct corr_outcome *o)
{
	char t1[16], t2[16];
	const struct ike_corr_propset *esp = &v->proposals.set[IKE_CORR_SIDE_LOCAL][1];
	const struct ike_corr_propset *ike = &v->proposals.set[IKE_CORR_SIDE_LOCAL][0];
	const struct ike_corr_propset *pike = &v->proposals.set[IKE_CORR_SIDE_PEER][0];
	const struct ike_corr_propset *pesp = &v->proposals.set[IKE_CORR_SIDE_PEER][1];
	switch (v->cause) {
	case IKE_CAUSE_HEALTHY:
		say(v, "the tunnel came up and stayed up; every request was answered.");
		break;
	case IKE_CAUSE_PFS_MISMATCH: {
		char ke[128] = "", grp[32] = "";
		ike_corr_ke_of(esp->configured, ke, sizeof(ke));
		if (ke[0] || !esp->received[0]) {
			vedge_group(ke, grp, sizeof(grp));
			say(v, "PFS mismatch: the peer proposes ESP without a DH group (%s); local requires %s",
			    esp->received[0] ? esp->received : "its CREATE_CHILD_SA answer is NO_PROPOSAL_CHOSEN", ke);
			if (grp[0])
				say(v, " (vEdge perfect-forward-secrecy %s)", grp);
		} else {
			/* the other way round: the peer requires PFS, local has none configured */
			ike_corr_ke_of(esp->received, ke, sizeof(ke));
			vedge_group(ke, grp, sizeof(grp));
			say(v, "PFS mismatch: the peer proposes ESP with DH group %s (%s); local is configured without one "
			       "(%s)",
			    ke, esp->received, esp->configured);
			if (grp[0])
				say(v, " (a vEdge would need perfect-forward-secrecy %s)", grp);
		}
		say(v, ": the CHILD_SA made inside IKE_AUTH needs no DH group and comes up, but every rekey "
		       "(%s %u) fails whoever initiates it, and the CHILD_SA dies at its lifetime; align PFS on "
		       "both ends.",
		    xname(v->exchange), v->mid);
		break;
	}
	case IKE_CAUSE_CHILD_PROPOSAL_MISMATCH:
		if (v->requester == IKE_REQ_PEER) {
			say(v, "local refused every CHILD_SA proposal of the peer in %s %u: received %s, configured %s "
			       "(differing: %s); align the ESP (IPsec) proposals.",
			    xname(v->exchange), v->mid, esp->received[0] ? esp->received : "(not logged)",
			    esp->configured[0] ? esp->configured : "(not logged)", esp->differing[0] ? esp->differing : "?");
			break;
		}
		say(v, "the peer refused every CHILD_SA proposal (NO_PROPOSAL_CHOSEN in %s %u); local offers %s",
		    xname(v->exchange), v->mid, esp->configured[0] ? esp->configured : "(not logged)");
		if (pesp->configured[0])
			say(v, ", the peer is configured with %s (differing: %s)", pesp->configured,
			    pesp->differing[0] ? pesp->differing : "?");
		say(v, "; the IKE SA is up without a CHILD_SA: align the ESP (IPsec) proposals.");
		break;
	case IKE_CAUSE_IKE_PROPOSAL_MISMATCH:
		if (v->requester == IKE_REQ_PEER) {
			say(v, "local found no IKE proposal of the peer's acceptable (IKE_SA_INIT answered with "
			       "NO_PROPOSAL_CHOSEN): received %s, configured %s (differing: %s); align the IKE proposals.",
			    ike->received[0] ? ike->received : "(not logged)",
			    ike->configured[0] ? ike->configured : "(not logged)", ike->differing[0] ? ike->differing : "?");
			break;
		}
		say(v, "the peer answered IKE_SA_INIT with NO_PROPOSAL_CHOSEN: no IKE proposal in common; local "
		       "offers %s",
		    ike->configured[0] ? ike->configured : "(not logged)");
		if (pike->configured[0])
			say(v, ", the peer is configured with %s (differing: %s)", pike->configured,
			    pike->differing[0] ? pike->differing : "?");
		say(v, "; align the IKE proposals.");
		break;
	case IKE_CAUSE_DH_GROUP_MISMATCH:
		say(v, "the first IKE_SA_INIT carried a KE of a group the peer does not accept (INVALID_KE_PAYLOAD");
		if (!f->from_capture && f->index != UINT32_MAX && f->index < c->n_logs)
			say(v, "; charon: %s", c->logs[f->index].text);
		say(v, "); %s retried with the group the peer asked for",
		    f->requester == IKE_REQ_PEER ? "the peer" : "local");
		say(v, o->ever_up ? ", which cost a round trip but worked; put the peer's group first in the local IKE "
				    "proposal to avoid it."
				  : ", and the tunnel still did not come up.");
		break;
	case IKE_CAUSE_AUTH_FAILED:
		if (v->requester == IKE_REQ_PEER)
			say(v, "local rejected the peer's authentication in %s %u (%s): check the pre-shared key or "
			       "certificate and the identities on both ends.",
			    xname(v->exchange), v->mid,
			    !f->from_capture && f->index < c->n_logs ? c->logs[f->index].text : "AUTHENTICATION_FAILED sent");
		else
			say(v, "the peer rejected local's authentication (AUTHENTICATION_FAILED in %s %u): check the "
			       "pre-shared key or certificate and the identities on both ends.",
			    xname(v->exchange), v->mid);
		break;
	case IKE_CAUSE_TS_UNACCEPTABLE:
		if (v->requester == IKE_REQ_PEER)
			say(v, "local refused the peer's traffic selectors in %s %u (%s): the IKE SA is up but no CHILD_SA; "
			       "make the protected subnets mirror each other.",
			    xname(v->exchange), v->mid,
			    !f->from_capture && f->index < c->n_logs ? c->logs[f->index].text : "TS_UNACCEPTABLE sent");
		else
			say(v, "the peer refused local's traffic selectors (TS_UNACCEPTABLE in %s %u): the IKE SA is up "
			       "but no CHILD_SA; make the protected subnets mirror each other.",
			    xname(v->exchange), v->mid);
		break;
	case IKE_CAUSE_PEER_UNREACHABLE:
		say(v, "local's %s %u was sent %u time%s without an answer", xname(v->exchange ? v->exchange : 34), v->mid,
		    f->sends ? f->sends : 1, f->sends == 1 ? "" : "s");
		schedule(v, f);
		say(v, "; ");
		say(v, "%s at %s and the IKE SA was never established: check reachability of UDP 500/4500 to the "
		       "peer.",
		    f->from_capture ? "the last copy was" : "charon gave up", hms(f->us, t1, sizeof(t1)));
		break;
	case IKE_CAUSE_DPD_TIMEOUT:
		say(v, "DPD timeout: local's %s request %u", xname(v->exchange ? v->exchange : 37), v->mid);
		if (f->first_send_us >= 0)
			say(v, " sent at %s", hms(f->first_send_us, t1, sizeof(t1)));
		if (f->sends)
			say(v, " was retransmitted %u time%s and never answered", f->sends - 1, f->sends == 2 ? "" : "s");
		else
			say(v, " was never answered");
		schedule(v, f);
		say(v, "; %s at %s and the tunnel went down", f->from_capture ? "its last copy left" : "charon gave up",
		    hms(f->us, t2, sizeof(t2)));
		if (o->last_answered_dpd >= 0)
			say(v, " (last answered DPD at %s)", hms(c->logs[o->last_answered_dpd].us, t1, sizeof(t1)));
		say(v, ".");
		if (v->symptom == IKE_SYM_FLAPPED)
			say(v, " It came back when a new IKE SA was established.");
		else
			say(v, " It stayed down.");
		break;
	case IKE_CAUSE_PEER_DELETED:
		say(v, "the peer deleted the IKE SA (INFORMATIONAL request %u with a Delete payload) at %s", v->mid,
		    hms(f->us, t1, sizeof(t1)));
		if (v->symptom == IKE_SYM_DOWN)
			say(v, " and nothing re-initiated it afterwards: the vEdge behaviour tracked as Cisco bug "
			       "CSCvx86427; clear the tunnel or re-initiate from the vEdge, and find why the peer "
			       "deleted it.");
		else
			say(v, "; the tunnel was re-established afterwards.");
		break;
	case IKE_CAUSE_LOCAL_DELETED:
		say(v, "the local end deleted the IKE SA (INFORMATIONAL request %u with a Delete payload) at %s%s",
		    v->mid, hms(f->us, t1, sizeof(t1)),
		    v->symptom == IKE_SYM_DOWN ? " and nothing re-initiated it: an operator or the local "
						 "configuration closed the tunnel."
					       : ".");
		break;
	case IKE_CAUSE_UNKNOWN:
		say(v, "the tunnel is %s but no rule names the cause; read the timeline around %s.",
		    ike_corr_symptom_name(v->symptom), hms(f->us, t1, sizeof(t1)));
		break;
	}
	if (v->loss == IKE_LOSS_TOWARD_PEER)
		say(v, " The request never reached the peer (nothing of it in the peer's log or capture): it was "
		       "lost toward the peer.");
	else if (v->loss == IKE_LOSS_TOWARD_LOCAL)
		say(v, " The peer got the request and answered (its log or capture shows it): the answer was lost "
		       "toward local.");
	else if (v->loss == IKE_LOSS_UNKNOWN)
		say(v, " With one end's view the direction of the loss cannot be told; give the peer's log or "
		       "capture to place it.");
}

void ike_corr_judge(struct ike_corr *c, struct ike_corr_verdict *v, const struct corr_outcome *o)
{
	const struct corr_fail *f = NULL;
	if (o->up) {
		v->symptom = o->outage ? IKE_SYM_FLAPPED : IKE_SYM_HEALTHY;
		f = o->outage ? &o->outage_fail : o->first.set ? &o->first : o->nonfatal.set ? &o->nonfatal : NULL;
	} else if (o->ever_up) {
		v->symptom = IKE_SYM_DOWN;
		f = &o->outage_fail;
	} else {
		v->symptom = IKE_SYM_NOT_ESTABLISHED;
		f = o->first.set ? &o->first : o->nonfatal.set ? &o->nonfatal : NULL;
	}
	static const struct corr_fail none = {.req_index = -1};
	if (!f || !f->set) {
		v->cause = v->symptom == IKE_SYM_HEALTHY ? IKE_CAUSE_HEALTHY : IKE_CAUSE_UNKNOWN;
		f = &none;
	} else {
		v->cause = f->cause;
		v->has_exchange = f->has_exchange;
		v->exchange = f->exchange;
		v->mid = f->mid;
		v->requester = f->requester;
		v->ts_us = f->us;
		enum ike_corr_src src = f->from_capture ? IKE_CORR_SRC_CAPTURE : IKE_CORR_SRC_LOG;
		if (f->index != UINT32_MAX)
			ike_corr_verdict_ref(v, src, c, f->index);
		for (size_t i = 0; i < f->n_retx_lines; i++) {
			ike_corr_verdict_ref(v, IKE_CORR_SRC_LOG, c, f->retx_lines[i]);
			if (c->logs[f->retx_lines[i]].link >= 0)
				ike_corr_verdict_ref(v, IKE_CORR_SRC_CAPTURE, c, (uint32_t)c->logs[f->retx_lines[i]].link);
		}
		for (size_t i = 0; i < f->n_frames; i++)
			ike_corr_verdict_ref(v, IKE_CORR_SRC_CAPTURE, c, f->frames[i]);
		if (!f->from_capture && f->index != UINT32_MAX && c->logs[f->index].link >= 0)
			ike_corr_verdict_ref(v, IKE_CORR_SRC_CAPTURE, c, (uint32_t)c->logs[f->index].link);
	}
	if (v->cause == IKE_CAUSE_DPD_TIMEOUT || v->cause == IKE_CAUSE_PEER_UNREACHABLE)
		loss(c, v, f);
	explain(c, v, f, o);
}
