/*
 * caprules.c — the diagnosis of a tunnel no local log speaks of, from the
 * tracker of the first capture that holds it.
 *
 * The exchanges are replayed in time order: an IKE SA is up from its
 * establishing IKE_AUTH response to its end; CHILD_SAs are counted up by
 * answered IKE_AUTH, CREATE_CHILD_SA and rekeys and down by answered CHILD
 * deletes. Error notifies name the cause (exactly when the messages were
 * decrypted; without keys an encrypted error is seen by its size only, and
 * the cause stays unknown). What a capture cannot show: anything inside an
 * encrypted message without keys, and the proposals configured at either end.
 */
#include <stdlib.h>
#include <string.h>

#include "correlate/rules_int.h"

struct xref {
	const struct ike_exchange_rec *x;
	int64_t us;
};

static int by_us(const void *a, const void *b)
{
	const struct xref *p = a, *q = b;
	return (p->us > q->us) - (p->us < q->us);
}

/* Messages are kept in (file, frame) order: the captures are read one after the other. */
static int64_t msg_of(const struct ike_corr *c, uint32_t file, uint64_t frame)
{
	size_t lo = 0, hi = c->n_msgs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ike_corr_msg *x = &c->msgs[mid];
		if (x->file < file || (x->file == file && x->frame < frame))
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a reassembled message may share its frame number with the next: take the first */
	return lo < c->n_msgs && c->msgs[lo].file == file && c->msgs[lo].frame == frame ? (int64_t)lo : -1;
}

static bool in_tunnel(const struct ike_corr_verdict *v, const struct ike_addr *a, const struct ike_addr *b)
{
	return (ike_corr_same_addr(a, &v->local) && ike_corr_same_addr(b, &v->peer)) ||
	       (ike_corr_same_addr(b, &v->local) && ike_corr_same_addr(a, &v->peer));
}

static void cfail(struct ike_corr *c, struct corr_outcome *o, const struct ike_corr_verdict *v,
		  const struct ike_exchange_rec *x, enum ike_corr_cause cause, bool fatal)
{
	struct corr_fail f = {0};
	f.set = true;
	f.cause = cause;
	f.from_capture = true;
	f.req_index = -1;
	f.sends = x->outcome == IKE_XO_UNANSWERED ? x->transmissions : 0;
	f.first_send_us = x->first_us;
	for (uint32_t k = 0; k < x->n_tx && k < 8; k++)
		f.send_us[f.n_send_us++] = x->tx_us[k];
	for (uint32_t k = 0; k < x->n_frames && k < 8; k++) { /* its frames are the evidence */
		int64_t fm = msg_of(c, x->file, x->frames[k]);
		if (fm >= 0)
			f.frames[f.n_frames++] = (uint32_t)fm;
	}
	int64_t m = x->n_frames ? msg_of(c, x->file, x->frames[x->n_frames - 1]) : -1;
	f.index = m >= 0 ? (uint32_t)m : UINT32_MAX; /* UINT32_MAX: no frame kept to point at */
	f.us = x->response_us >= 0 ? x->response_us : x->last_us;
	f.has_exchange = true;
	f.exchange = x->exchange;
	f.mid = x->mid;
	f.requester = ike_corr_same_addr(&x->from, &v->local) ? IKE_REQ_LOCAL : IKE_REQ_PEER;
	if (!fatal) {
		if (!o->nonfatal.set)
			o->nonfatal = f;
		return;
	}
	if (!o->first.set)
		o->first = f;
	o->last = f;
}

static bool request_has_ke(const struct ike_corr *c, const struct ike_exchange_rec *x)
{
	int64_t m = x->n_frames ? msg_of(c, x->file, x->frames[0]) : -1;
	return m >= 0 && strstr(c->msgs[m].summary, " KE ") != NULL;
}

void ike_corr_rules_capture(struct ike_corr *c, struct ike_corr_verdict *v)
{
	const struct ike_tracker *t = NULL;
	for (uint32_t i = 0; i < IKE_CORR_MAX_CAPTURES && !t; i++) {
		if (!c->trk[i])
			continue;
		for (size_t k = 0; k < ike_tracker_n_sas(c->trk[i]); k++) {
			const struct ike_sa_rec *s = ike_tracker_sa(c->trk[i], k);
			if (in_tunnel(v, &s->init_addr, &s->resp_addr)) {
				t = c->trk[i];
				break;
			}
		}
	}
	struct corr_outcome o = {0};
	o.last_answered_dpd = -1;
	if (!t) {
		ike_corr_judge(c, v, &o);
		return;
	}
	size_t n = ike_tracker_n_exchanges(t), m = 0;
	struct xref *xs = calloc(n ? n : 1, sizeof(*xs));
	if (!xs)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ike_exchange_rec *x = ike_tracker_exchange(t, i);
		if (in_tunnel(v, &x->from, &x->to) && x->first_us >= 0)
			xs[m++] = (struct xref){x, x->response_us >= 0 ? x->response_us : x->last_us};
	}
	qsort(xs, m, sizeof(*xs), by_us);
	int ike_up = 0, child_up = 0;
	bool up = false;
	int64_t up_since = 0;
	for (size_t i = 0; i < m; i++) {
		const struct ike_exchange_rec *x = xs[i].x;
		const struct ike_sa_rec *s = ike_tracker_sa(t, x->sa);
		bool answered = x->outcome == IKE_XO_ANSWERED, err = x->outcome == IKE_XO_ERROR;
		switch (x->kind) {
		case IKE_XK_IKE_SA_INIT:
			if (x->outcome == IKE_XO_UNANSWERED)
				cfail(c, &o, v, x, IKE_CAUSE_PEER_UNREACHABLE, true);
			else if (err && x->error == 17)
				cfail(c, &o, v, x, IKE_CAUSE_DH_GROUP_MISMATCH, false);
			else if (err && x->error == 14)
				cfail(c, &o, v, x, IKE_CAUSE_IKE_PROPOSAL_MISMATCH, true);
			else if (err && x->error != 16390)
				cfail(c, &o, v, x, IKE_CAUSE_UNKNOWN, true);
			break;
		case IKE_XK_IKE_AUTH:
			if (s->established && s->established_us == x->response_us) {
				ike_up++;
				if (!err)
					child_up++;
			}
			if (x->outcome == IKE_XO_UNANSWERED)
				cfail(c, &o, v, x, IKE_CAUSE_PEER_UNREACHABLE, true);
			else if (err)
				cfail(c, &o, v, x,
				      x->error == 24				  ? IKE_CAUSE_AUTH_FAILED
				      : x->error == 38 || x->error == 39 ? IKE_CAUSE_TS_UNACCEPTABLE
				      : x->error == 14			  ? IKE_CAUSE_CHILD_PROPOSAL_MISMATCH
									  : IKE_CAUSE_UNKNOWN,
				      true);
			break;
		case IKE_XK_CREATE_CHILD:
		case IKE_XK_REKEY_CHILD:
			if (answered)
				child_up++;
			else if (err)
				cfail(c, &o, v, x,
				      x->error == 14 && request_has_ke(c, x) ? IKE_CAUSE_PFS_MISMATCH
				      : x->error == 14			    ? IKE_CAUSE_CHILD_PROPOSAL_MISMATCH
				      : x->error == 38			    ? IKE_CAUSE_TS_UNACCEPTABLE
									    : IKE_CAUSE_UNKNOWN,
				      true);
			break;
		case IKE_XK_REKEY_IKE:
			if (answered)
				ike_up++;
			break;
		case IKE_XK_DELETE_CHILD:
			if (answered && child_up > 0)
				child_up--;
			break;
		case IKE_XK_DELETE_IKE:
			if (s->end == IKE_END_REKEYED) {
				if (ike_up > 0)
					ike_up--;
				break;
			}
			cfail(c, &o, v, x,
			      ike_corr_same_addr(&x->from, &v->local) ? IKE_CAUSE_LOCAL_DELETED : IKE_CAUSE_PEER_DELETED,
			      true);
			ike_up = ike_up > 0 ? ike_up - 1 : 0;
			if (!ike_up)
				child_up = 0;
			break;
		case IKE_XK_DPD:
		case IKE_XK_INFORMATIONAL:
			if (x->outcome == IKE_XO_UNANSWERED && ike_up) {
				cfail(c, &o, v, x, IKE_CAUSE_DPD_TIMEOUT, true);
				ike_up = 0;
				child_up = 0;
			}
			break;
		default: break;
		}
		bool now = ike_up > 0 && child_up > 0;
		if (now && !up) {
			o.ever_up = true;
			up_since = xs[i].us;
		} else if (!now && up) {
			o.outage = true;
			o.outage_fail = o.last;
			if (!o.last.set || o.last.us < up_since) {
				o.outage_fail = (struct corr_fail){0};
				o.outage_fail.set = true;
				o.outage_fail.cause = IKE_CAUSE_UNKNOWN;
				o.outage_fail.req_index = -1;
				o.outage_fail.from_capture = true;
				o.outage_fail.index = UINT32_MAX;
				o.outage_fail.us = xs[i].us;
			}
		}
		up = now;
	}
	o.up = up;
	free(xs);
	ike_corr_judge(c, v, &o);
}
