/*
 * rules.c — the diagnosis from the local end's log, one verdict per tunnel.
 *
 * The tunnel's local lines are replayed in time order through a small state
 * machine: the IKE SAs and CHILD_SAs up (by unique id), and each failure as
 * it happens (error notifies, CHILD_SA refusals, INVALID_KE, give-ups,
 * deletes). The tunnel is up while an IKE SA and a CHILD_SA are. The verdict:
 *   never up                        not-established, the first failure;
 *   up at the end, after an outage  flapped, the failure that took it down;
 *   down at the end, after being up down, the failure that took it down;
 *   up all along                    healthy, and the cause of a recovered
 *                                   failure (INVALID_KE retry) if any.
 * A tunnel without local lines is judged from the captures (caprules.c).
 * Where a lost message died is known from the peer's log when it is given.
 */
#include <stdio.h>
#include <string.h>

#include "correlate/corr_int.h"
#include "correlate/rules_int.h"
#include "ikescope/names.h"

#define MAX_UP 32
#define REKEY_DELETE_US (10 * 1000000LL) /* a delete this soon after a rekey retires the old SA */

struct upset {
	uint32_t id[MAX_UP];
	size_t n;
};

static void up_add(struct upset *s, uint32_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return;
	if (s->n < MAX_UP)
		s->id[s->n++] = id;
}

static void up_del(struct upset *s, uint32_t id)
{
	for (int pass = 0; pass < 2; pass++, id = 0) /* then the SA assumed up when the log began (id 0) */
		for (size_t i = 0; i < s->n; i++)
			if (s->id[i] == id) {
				s->id[i] = s->id[--s->n];
				return;
			}
}

struct req {
	uint8_t exchange;
	uint32_t mid;
	int64_t index; /* generating line, -1 */
	int64_t dpd;   /* "sending DPD request" before it, -1 */
};

struct st {
	struct ike_corr *c;
	struct ike_corr_verdict *v;
	struct upset ike, child;
	bool up, ever_up, outage, recovered;
	struct req reqs[16];
	size_t n_reqs;
	int64_t last_resp, last_peer_req, last_dpd, last_retx;
	uint32_t retx_mid;
	uint32_t retx_lines[8];
	size_t n_retx_lines;
	uint32_t delete_received_uid;
	int64_t delete_received_index;
	int64_t rekey_us;
	bool want_local_delete_req;
	struct corr_fail first, last, outage_fail, nonfatal;
	int64_t last_answered_dpd;
	int64_t up_since;
	bool seen_init;      /* an IKE_SA_INIT or initiate line: the log shows the tunnel's start */
	bool props_ike;      /* the last "received proposals" were IKE ones */
	bool want_peer_mid;  /* a peer delete without its request line: take the mid of our answer */
};

static const struct req *find_req(const struct st *s, uint32_t mid)
{
	for (size_t i = s->n_reqs; i-- > 0;)
		if (s->reqs[i].mid == mid)
			return &s->reqs[i];
	return NULL;
}

static void fail(struct st *s, enum ike_corr_cause cause, size_t idx, uint8_t exch, uint32_t mid,
		 enum ike_corr_requester who, bool fatal)
{
	struct corr_fail f = {0};
	f.set = true;
	f.cause = cause;
	f.index = (uint32_t)idx;
	f.us = s->c->logs[idx].us;
	f.exchange = exch;
	f.has_exchange = exch != 0;
	f.mid = mid;
	f.requester = who;
	f.retx_mid = s->retx_mid;
	const struct req *r = find_req(s, s->retx_mid);
	f.req_index = r && s->n_retx_lines ? r->index : -1;
	f.sends = s->n_retx_lines ? (uint32_t)s->n_retx_lines + 1 : 0;
	f.first_send_us = f.req_index >= 0 ? s->c->logs[f.req_index].us : -1;
	/* the frames' times when the lines are linked: a log has one-second resolution */
	if (f.first_send_us >= 0) {
		int64_t k = s->c->logs[f.req_index].link;
		f.first_send_us = k >= 0 ? s->c->msgs[k].us : f.first_send_us;
		f.send_us[f.n_send_us++] = f.first_send_us;
	}
	for (size_t k = 0; k < s->n_retx_lines && f.n_send_us < 8; k++) {
		const struct ike_corr_log *rl = &s->c->logs[s->retx_lines[k]];
		f.send_us[f.n_send_us++] = rl->link >= 0 ? s->c->msgs[rl->link].us : rl->us;
	}
	memcpy(f.retx_lines, s->retx_lines, sizeof(f.retx_lines));
	f.n_retx_lines = s->n_retx_lines;
	if (!fatal) {
		if (!s->nonfatal.set)
			s->nonfatal = f;
		return;
	}
	if (!s->first.set)
		s->first = f;
	s->last = f;
}

/* The response parsed last: the exchange an error notify answered. */
static void last_exchange(const struct st *s, uint8_t *exch, uint32_t *mid)
{
	*exch = 0;
	*mid = 0;
	if (s->last_resp >= 0) {
		*exch = s->c->logs[s->last_resp].exchange_id;
		*mid = s->c->logs[s->last_resp].mid;
	}
}

static void child_refused(struct st *s, size_t i, uint16_t notify)
{
	uint8_t exch;
	uint32_t mid;
	last_exchange(s, &exch, &mid);
	enum ike_corr_cause cause = IKE_CAUSE_UNKNOWN;
	if (notify == 38 || notify == 39)
		cause = IKE_CAUSE_TS_UNACCEPTABLE;
	else if (notify == 14)
		cause = ike_corr_pfs_lacking(&s->v->proposals) || (exch == 36 && ike_corr_child_wants_pfs(&s->v->proposals))
				? IKE_CAUSE_PFS_MISMATCH
				: IKE_CAUSE_CHILD_PROPOSAL_MISMATCH;
	fail(s, cause, i, exch, mid, IKE_REQ_LOCAL, true);
}

static void notify_error(struct st *s, size_t i, uint16_t notify)
{
	uint8_t exch;
	uint32_t mid;
	last_exchange(s, &exch, &mid);
	enum ike_corr_cause cause = IKE_CAUSE_UNKNOWN;
	switch (notify) {
	case 24: cause = IKE_CAUSE_AUTH_FAILED; break;
	case 14: cause = exch == 34 || !s->ike.n ? IKE_CAUSE_IKE_PROPOSAL_MISMATCH : IKE_CAUSE_CHILD_PROPOSAL_MISMATCH; break;
	case 17: cause = IKE_CAUSE_DH_GROUP_MISMATCH; break;
	case 38:
	case 39: cause = IKE_CAUSE_TS_UNACCEPTABLE; break;
	default: break;
	}
	if (notify == 17)
		return; /* the DH_REJECTED line that follows tells the groups */
	fail(s, cause, i, exch, mid, IKE_REQ_LOCAL, true);
}

static void give_up(struct st *s, size_t i)
{
	const struct req *r = find_req(s, s->retx_mid);
	uint8_t exch = r ? r->exchange : 0;
	bool established = s->ike.n > 0;
	fail(s, established ? IKE_CAUSE_DPD_TIMEOUT : IKE_CAUSE_PEER_UNREACHABLE, i, exch, s->retx_mid,
	     IKE_REQ_LOCAL, true);
	if (established) {
		s->ike.n = 0; /* charon destroys the IKE SA and its CHILD_SAs */
		s->child.n = 0;
	}
}

static void deleting(struct st *s, size_t i, uint32_t uid)
{
	const struct ike_corr_log *l = &s->c->logs[i];
	up_del(&s->ike, uid);
	if (s->delete_received_uid == uid && s->delete_received_index >= 0) {
		const struct ike_corr_log *p = s->last_peer_req >= 0 ? &s->c->logs[s->last_peer_req] : NULL;
		fail(s, IKE_CAUSE_PEER_DELETED, (size_t)s->delete_received_index, p ? p->exchange_id : 37,
		     p ? p->mid : 0, IKE_REQ_PEER, true);
		s->want_peer_mid = !p;
		s->delete_received_uid = 0;
	} else if (s->rekey_us >= 0 && l->us - s->rekey_us <= REKEY_DELETE_US && s->ike.n) {
		/* the old IKE SA retired by a rekey */
	} else {
		fail(s, IKE_CAUSE_LOCAL_DELETED, i, 37, 0, IKE_REQ_LOCAL, true);
		s->want_local_delete_req = true;
	}
	if (!s->ike.n)
		s->child.n = 0;
}

/*
 * A log that begins in the middle of the tunnel's life (rotated files, an
 * excerpt): an INFORMATIONAL or CREATE_CHILD_SA exchange, or a delete, before
 * any IKE_SA_INIT means an IKE SA and a CHILD_SA were up (id 0 stands for them).
 */
static void mid_life(struct st *s, const struct ike_corr_log *l)
{
	if (s->seen_init || s->ever_up || s->ike.n || s->first.set)
		return;
	bool later = ((l->kind == IKE_LOG_MSG_GENERATED || l->kind == IKE_LOG_MSG_PARSED) &&
		      (l->exchange_id == 36 || l->exchange_id == 37)) ||
		     l->kind == IKE_LOG_IKE_DELETE_RECEIVED || l->kind == IKE_LOG_IKE_DELETING ||
		     l->kind == IKE_LOG_DPD || l->kind == IKE_LOG_IKE_REKEYED;
	if (l->kind == IKE_LOG_IKE_INITIATE || l->kind == IKE_LOG_IKE_PEER_INITIATE ||
	    ((l->kind == IKE_LOG_MSG_GENERATED || l->kind == IKE_LOG_MSG_PARSED) && l->exchange_id == 34)) {
		s->seen_init = true;
		return;
	}
	if (later) {
		up_add(&s->ike, 0);
		up_add(&s->child, 0);
		s->up = true;
		s->ever_up = true;
		s->up_since = l->us;
	}
}

static void step(struct st *s, size_t i)
{
	struct ike_corr *c = s->c;
	const struct ike_corr_log *l = &c->logs[i];
	mid_life(s, l);
	switch (l->kind) {
	case IKE_LOG_MSG_GENERATED:
		if (l->response && s->want_peer_mid && s->last.cause == IKE_CAUSE_PEER_DELETED) {
			s->last.mid = l->mid;
			s->last.exchange = l->exchange_id;
			s->last.has_exchange = true;
			if (s->outage && s->outage_fail.cause == IKE_CAUSE_PEER_DELETED)
				s->outage_fail = s->last;
			s->want_peer_mid = false;
		}
		if (!l->response) {
			if (s->n_reqs == 16) {
				memmove(s->reqs, s->reqs + 1, 15 * sizeof(s->reqs[0]));
				s->n_reqs--;
			}
			/* a DPD is an empty INFORMATIONAL request, announced by "sending DPD request" or not */
			size_t tl = strlen(l->text);
			bool empty = l->exchange_id == 37 && tl >= 3 && strcmp(l->text + tl - 3, "[ ]") == 0;
			s->reqs[s->n_reqs++] =
				(struct req){l->exchange_id, l->mid, (int64_t)i, empty ? (int64_t)i : s->last_dpd};
			s->last_dpd = -1;
			s->retx_mid = l->mid;
			s->n_retx_lines = 0;
			if (s->want_local_delete_req && s->last.cause == IKE_CAUSE_LOCAL_DELETED) {
				s->last.mid = l->mid;
				s->last.exchange = l->exchange_id;
				s->last.has_exchange = true;
				if (s->outage && s->outage_fail.cause == IKE_CAUSE_LOCAL_DELETED)
					s->outage_fail = s->last;
				s->want_local_delete_req = false;
			}
		}
		break;
	case IKE_LOG_MSG_PARSED:
		if (l->response) {
			s->last_resp = (int64_t)i;
			const struct req *r = find_req(s, l->mid);
			if (r && r->dpd >= 0)
				s->last_answered_dpd = (int64_t)i;
		} else {
			s->last_peer_req = (int64_t)i;
		}
		break;
	case IKE_LOG_DPD: s->last_dpd = (int64_t)i; break;
	case IKE_LOG_RETRANSMIT:
		s->retx_mid = l->mid;
		if (s->n_retx_lines < 8)
			s->retx_lines[s->n_retx_lines++] = (uint32_t)i;
		break;
	case IKE_LOG_GIVE_UP: give_up(s, i); break;
	case IKE_LOG_PEER_NOT_RESPONDING:
		if (!s->last.set || s->last.cause != IKE_CAUSE_PEER_UNREACHABLE)
			fail(s, IKE_CAUSE_PEER_UNREACHABLE, i, 34, 0, IKE_REQ_LOCAL, true);
		break;
	case IKE_LOG_IKE_ESTABLISHED: up_add(&s->ike, l->sa_uid); break;
	case IKE_LOG_IKE_REKEYED:
		up_add(&s->ike, l->sa_uid);
		s->rekey_us = l->us;
		break;
	case IKE_LOG_CHILD_ESTABLISHED: up_add(&s->child, l->n); break;
	case IKE_LOG_CHILD_CLOSING: up_del(&s->child, l->n); break;
	case IKE_LOG_IKE_DELETE_RECEIVED:
		s->delete_received_uid = l->sa_uid;
		s->delete_received_index = (int64_t)i;
		break;
	case IKE_LOG_IKE_DELETING: deleting(s, i, l->sa_uid); break;
	case IKE_LOG_NOTIFY_ERROR: notify_error(s, i, l->notify); break;
	case IKE_LOG_NO_CHILD_SA: child_refused(s, i, l->notify); break;
	case IKE_LOG_DH_REJECTED:
	case IKE_LOG_DH_UNACCEPTABLE:
		fail(s, IKE_CAUSE_DH_GROUP_MISMATCH, i, 34, 0,
		     l->kind == IKE_LOG_DH_REJECTED ? IKE_REQ_LOCAL : IKE_REQ_PEER, false);
		break;
	case IKE_LOG_PROPOSALS_RECEIVED: s->props_ike = strncmp(l->text, "received proposals: IKE:", 24) == 0; break;
	case IKE_LOG_NO_PROPOSAL:
	case IKE_LOG_PROPOSALS_UNACCEPTABLE: {
		/* we are the responder: which kind of SA could not be agreed, and whether only PFS differs */
		const struct ike_corr_log *p = s->last_peer_req >= 0 ? &c->logs[s->last_peer_req] : NULL;
		enum ike_corr_cause cause = s->props_ike ? IKE_CAUSE_IKE_PROPOSAL_MISMATCH
				       : ike_corr_pfs_lacking(&s->v->proposals) ? IKE_CAUSE_PFS_MISMATCH
										 : IKE_CAUSE_CHILD_PROPOSAL_MISMATCH;
		fail(s, cause, i, p ? p->exchange_id : 0, p ? p->mid : 0, IKE_REQ_PEER, true);
		break;
	}
	case IKE_LOG_NO_IKE_CONFIG: fail(s, IKE_CAUSE_UNKNOWN, i, 34, 0, IKE_REQ_PEER, true); break;
	default:
		if (l->fact == IKE_FACT_CHILD_UP) {
			up_add(&s->child, l->n);
		} else if (l->fact == IKE_FACT_CHILD_DOWN) {
			up_del(&s->child, l->n);
		} else if (l->fact == IKE_FACT_AUTH_REFUSED || l->fact == IKE_FACT_TS_REFUSED) {
			/* we are the responder and refuse the peer's IKE_AUTH (or its CHILD_SA) */
			const struct ike_corr_log *p = s->last_peer_req >= 0 ? &c->logs[s->last_peer_req] : NULL;
			fail(s, l->fact == IKE_FACT_AUTH_REFUSED ? IKE_CAUSE_AUTH_FAILED : IKE_CAUSE_TS_UNACCEPTABLE, i,
			     p ? p->exchange_id : 35, p ? p->mid : 1, IKE_REQ_PEER, true);
		}
		break;
	}
	bool up = s->ike.n > 0 && s->child.n > 0;
	if (up && !s->up) {
		if (s->outage)
			s->recovered = true;
		s->ever_up = true;
		s->up_since = l->us;
	} else if (!up && s->up) {
		s->outage = true;
		s->recovered = false;
		s->outage_fail = s->last;
		if (!s->last.set || s->last.us < s->up_since) {
			s->outage_fail = (struct corr_fail){0};
			s->outage_fail.set = true;
			s->outage_fail.cause = IKE_CAUSE_UNKNOWN;
			s->outage_fail.req_index = -1;
			s->outage_fail.index = (uint32_t)i;
			s->outage_fail.us = l->us;
		}
		s->v->down_us = l->us;
	}
	s->up = up;
}

void ike_corr_rules(struct ike_corr *c)
{
	for (size_t vi = 0; vi < c->n_verdicts; vi++) {
		struct ike_corr_verdict *v = &c->verdicts[vi];
		v->first_finding = (uint32_t)c->n_findings;
		ike_corr_collect_proposals(c, v);
		struct st s;
		memset(&s, 0, sizeof(s));
		s.c = c;
		s.v = v;
		s.last_resp = s.last_peer_req = s.last_dpd = s.last_retx = -1;
		s.delete_received_index = -1;
		s.rekey_us = -1;
		s.last_answered_dpd = -1;
		size_t n_local = 0;
		for (size_t i = 0; i < c->n_logs; i++) {
			if (c->logs[i].tunnel != (int32_t)v->tunnel || c->logs[i].side != IKE_CORR_SIDE_LOCAL)
				continue;
			n_local++;
			step(&s, i);
		}
		if (!n_local) {
			ike_corr_rules_capture(c, v);
		} else {
			struct corr_outcome o = {0};
			o.up = s.up;
			o.ever_up = s.ever_up;
			o.outage = s.outage;
			o.first = s.first;
			o.last = s.last;
			o.outage_fail = s.outage_fail;
			o.nonfatal = s.nonfatal;
			o.last_answered_dpd = s.last_answered_dpd;
			ike_corr_judge(c, v, &o);
		}
		ike_corr_findings(c, v);
		v->n_findings = (uint32_t)(c->n_findings - v->first_finding);
	}
}
