/*
 * findings.c — the facts worth showing next to a tunnel's verdict, each with
 * its evidence: retransmissions and give-ups, INVALID_KE retries, error
 * notifies, deletes and rekeys, proposals received against configured, FTMD
 * interface changes, no re-initiation after a delete, and the log lines and
 * frames that could not be linked.
 */
#include <string.h>

#include "correlate/rules_int.h"

#define MAX_UNLINKED 20 /* unlinked lines / frames listed per tunnel; the rest are counted */

static const char *side_name(uint32_t side)
{
	return side == IKE_CORR_SIDE_LOCAL ? "local" : "peer";
}

static void from_line(struct ike_corr *c, struct ike_corr_verdict *v, size_t i, bool *after_delete)
{
	const struct ike_corr_log *l = &c->logs[i];
	struct ike_corr_finding *f = NULL;
	const char *who = side_name(l->side);
	switch (l->kind) {
	case IKE_LOG_RETRANSMIT:
		f = ike_corr_add_finding(c, IKE_FIND_RETRANSMITTED, (int32_t)v->tunnel, l->us,
					 "%s: retransmit %u of request %u", who, l->n, l->mid);
		break;
	case IKE_LOG_GIVE_UP:
		f = ike_corr_add_finding(c, IKE_FIND_GAVE_UP, (int32_t)v->tunnel, l->us,
					 "%s gave up after %u retransmits", who, l->n);
		break;
	case IKE_LOG_DH_REJECTED:
	case IKE_LOG_DH_UNACCEPTABLE:
		f = ike_corr_add_finding(c, IKE_FIND_INVALID_KE, (int32_t)v->tunnel, l->us,
					 "%s: INVALID_KE_PAYLOAD: %s", who, l->text);
		break;
	case IKE_LOG_NOTIFY_ERROR:
	case IKE_LOG_NO_CHILD_SA:
	case IKE_LOG_NO_IKE_CONFIG:
	case IKE_LOG_NO_PROPOSAL:
		f = ike_corr_add_finding(c, IKE_FIND_NOTIFY_ERROR, (int32_t)v->tunnel, l->us, "%s: %s", who,
					 l->text);
		break;
	case IKE_LOG_IKE_DELETE_SENT:
	case IKE_LOG_IKE_DELETE_RECEIVED:
		*after_delete = l->side == IKE_CORR_SIDE_LOCAL;
		/* fallthrough */
	case IKE_LOG_CHILD_DELETE_SENT:
	case IKE_LOG_CHILD_DELETE_RECEIVED:
		f = ike_corr_add_finding(c, IKE_FIND_DELETE, (int32_t)v->tunnel, l->us, "%s: %s", who, l->text);
		break;
	case IKE_LOG_IKE_REKEYED:
		f = ike_corr_add_finding(c, IKE_FIND_REKEY, (int32_t)v->tunnel, l->us, "%s: %s", who, l->text);
		break;
	case IKE_LOG_IF_STATE:
		f = ike_corr_add_finding(c, IKE_FIND_INTERFACE, (int32_t)v->tunnel, l->us, "%s: %s", who, l->text);
		break;
	case IKE_LOG_IKE_INITIATE:
	case IKE_LOG_IKE_ESTABLISHED:
		if (l->side == IKE_CORR_SIDE_LOCAL)
			*after_delete = false;
		break;
	default:
		if (l->fact == IKE_FACT_CHILD_UP && strncmp(l->text, "inbound", 7) == 0)
			f = ike_corr_add_finding(c, IKE_FIND_REKEY, (int32_t)v->tunnel, l->us, "%s: CHILD_SA rekeyed: %s",
						 who, l->text);
		break;
	}
	if (f) {
		f->side = l->side;
		ike_corr_finding_ref(f, IKE_CORR_SRC_LOG, c, (uint32_t)i);
		if (l->link >= 0)
			ike_corr_finding_ref(f, IKE_CORR_SRC_CAPTURE, c, (uint32_t)l->link);
	}
}

static void proposals(struct ike_corr *c, struct ike_corr_verdict *v)
{
	static const char *const kinds[2] = {"IKE", "CHILD"};
	for (uint32_t s = 0; s < IKE_CORR_SIDES; s++)
		for (int k = 0; k < 2; k++) {
			const struct ike_corr_propset *ps = &v->proposals.set[s][k];
			if (!ps->known || !ps->received[0] || !ps->configured[0])
				continue;
			struct ike_corr_finding *f = ike_corr_add_finding(
				c, IKE_FIND_PROPOSALS, (int32_t)v->tunnel, v->ts_us, "%s %s proposals: received %s | configured %s%s%s",
				side_name(s), kinds[k], ps->received, ps->configured, ps->differing[0] ? " | differing: " : "",
				ps->differing);
			if (f) {
				f->side = s;
				f->props = *ps;
			}
		}
}

/* Covered: the time lies within what a capture recorded. */
static bool captured(const struct ike_corr *c, int64_t us)
{
	for (size_t i = 0; i < IKE_CORR_MAX_CAPTURES; i++)
		if (c->trk[i] && us >= c->cap_first_us[i] - 1000000 && us <= c->cap_last_us[i] + 1000000)
			return true;
	return false;
}

static void unlinked(struct ike_corr *c, struct ike_corr_verdict *v)
{
	if (!c->n_msgs || !c->n_logs)
		return;
	size_t shown = 0;
	int64_t log_first = INT64_MAX, log_last = INT64_MIN;
	bool local_pkts = false;
	for (size_t i = 0; i < c->n_logs; i++) {
		const struct ike_corr_log *l = &c->logs[i];
		if (l->side != IKE_CORR_SIDE_LOCAL)
			continue;
		if (l->us < log_first)
			log_first = l->us;
		if (l->us > log_last)
			log_last = l->us;
		if (l->kind == IKE_LOG_PKT_SENT && l->has_bytes)
			local_pkts = true;
		if (l->tunnel != (int32_t)v->tunnel || !l->linkable || l->link >= 0 || !captured(c, l->us))
			continue;
		c->st.unlinked_logs++;
		if (shown++ >= MAX_UNLINKED)
			continue;
		struct ike_corr_finding *f =
			ike_corr_add_finding(c, IKE_FIND_UNLINKED_LOG, (int32_t)v->tunnel, l->us,
					     "no frame for \"%s\": the capture missed it, or it was dropped before the tap",
					     l->text);
		ike_corr_finding_ref(f, IKE_CORR_SRC_LOG, c, (uint32_t)i);
	}
	if (!local_pkts || c->home_capture[IKE_CORR_SIDE_LOCAL] < 0)
		return; /* without packet lines a frame cannot be missing from the log */
	/* only the local end's capture: the same datagram in a capture elsewhere is another frame */
	uint32_t home = (uint32_t)c->home_capture[IKE_CORR_SIDE_LOCAL];
	shown = 0;
	for (size_t i = 0; i < c->n_msgs; i++) {
		const struct ike_corr_msg *x = &c->msgs[i];
		if (x->tunnel != (int32_t)v->tunnel || x->file != home || x->link_packet >= 0 || x->us < log_first - 1000000 ||
		    x->us > log_last + 1000000)
			continue;
		c->st.unlinked_msgs++;
		if (shown++ >= MAX_UNLINKED)
			continue;
		struct ike_corr_finding *f = ike_corr_add_finding(
			c, IKE_FIND_UNLINKED_FRAME, (int32_t)v->tunnel, x->us,
			"no log line for frame %llu (%s): the daemon never saw it", (unsigned long long)x->frame, x->summary);
		ike_corr_finding_ref(f, IKE_CORR_SRC_CAPTURE, c, (uint32_t)i);
	}
}

void ike_corr_findings(struct ike_corr *c, struct ike_corr_verdict *v)
{
	bool after_delete = false;
	int64_t last_delete = -1;
	for (size_t i = 0; i < c->n_logs; i++) {
		if (c->logs[i].tunnel != (int32_t)v->tunnel)
			continue;
		bool was = after_delete;
		from_line(c, v, i, &after_delete);
		if (after_delete && !was)
			last_delete = (int64_t)i;
	}
	if (after_delete && last_delete >= 0 && v->symptom == IKE_SYM_DOWN) {
		const struct ike_corr_log *l = &c->logs[last_delete];
		struct ike_corr_finding *f = ike_corr_add_finding(
			c, IKE_FIND_NO_REINITIATION, (int32_t)v->tunnel, l->us,
			"nothing re-initiated the IKE SA after the delete (the log goes on without an initiate)");
		ike_corr_finding_ref(f, IKE_CORR_SRC_LOG, c, (uint32_t)last_delete);
	}
	proposals(c, v);
	unlinked(c, v);
	if (v->loss != IKE_LOSS_NONE) {
		struct ike_corr_finding *f = ike_corr_add_finding(
			c, IKE_FIND_LOSS, (int32_t)v->tunnel, v->ts_us, "lost %s (%s)", ike_corr_loss_name(v->loss),
			v->loss_observed ? "from the peer's log" : "one end's view only");
		if (f)
			for (uint32_t k = 0; k < v->n_evidence; k++)
				ike_corr_finding_ref(f, v->evidence[k].src, c, v->evidence[k].index);
	}
}
