/*
 * infer.c — what ike_tracker_finish() decides once the whole capture is in:
 * outcomes and round trips, retransmission fits, exchange kinds (exact from
 * decrypted payloads, otherwise inferred from SK sizes and timing), lineage
 * that only timing shows, whether each IKE SA was established, and how it
 * ended.
 *
 * Without keys, sizes say little on their own: the SK payload of an empty
 * INFORMATIONAL is the smallest the SA's cipher allows (IV + one block + ICV),
 * but with a 16-byte block a Delete of the IKE SA or of one child SA pads to
 * the same size. Timing separates them: a child Delete follows a child
 * rekey, a Delete of the IKE SA is the last word on an SA that then stays
 * silent while the same peers carry on, a DPD is neither.
 */
#include <math.h>

#include "track/track_int.h"

/* Later IKE SAs looked at for lineage and for "the peers carried on". */
#define INFER_WINDOW 1024
/* A child Delete follows its rekey within this many µs. */
#define CHILD_DELETE_US (10 * 1000000LL)
/* Quiet an SA needs after its last exchange before that one is read as its Delete. */
#define DELETE_QUIET_US (10 * 1000000LL)
/* A CREATE_CHILD_SA (or last IKE_AUTH) response with less plaintext than this
 * can only be an error notify. */
#define CHILD_ERROR_MAX 24
/* An IKE_AUTH response with at least this much plaintext carries IDr and AUTH. */
#define AUTH_OK_MIN 40
#define DEF_TIMEOUT_US 4000000LL
#define DEF_BASE 1.8

/* ---- sizes --------------------------------------------------------------- */

/* Bounds on the plaintext (inner payloads) an SK body of sk_len bytes holds. */
static bool plain_bounds(const struct trk_sa *s, const struct trk_facts *f, size_t *lo, size_t *hi)
{
	if (!s->sk_min || !f->encrypted || f->sk_len < s->sk_min)
		return false;
	size_t overhead = s->sk_min - s->sk_block; /* IV + ICV */
	size_t ct = f->sk_len - overhead;
	*hi = ct - 1; /* the pad length byte */
	*lo = ct > s->sk_block ? ct - s->sk_block : 0;
	if (s->sk_block == 1)
		*lo = *hi;
	return true;
}

static bool can_hold(size_t lo, size_t hi, size_t n) { return lo <= n && n <= hi; }

static bool can_hold_child_delete(size_t lo, size_t hi)
{
	for (size_t k = 1; 8 + 4 * k <= hi; k++) /* D header + k 4-byte SPIs */
		if (8 + 4 * k >= lo)
			return true;
	return false;
}

/* ---- per exchange -------------------------------------------------------- */

static bool kind_exact(const struct trk_x *x, enum ike_xkind *k)
{
	const struct trk_facts *q = x->req.seen && x->req.decrypted ? &x->req : NULL;
	const struct trk_facts *p = x->resp.seen && x->resp.decrypted ? &x->resp : NULL;
	switch (x->r.exchange) {
	case TRK_EXCH_IKE_SA_INIT: *k = IKE_XK_IKE_SA_INIT; return true;
	case TRK_EXCH_IKE_AUTH: *k = IKE_XK_IKE_AUTH; return true;
	case TRK_EXCH_CREATE_CHILD_SA:
		if (q) {
			*k = q->has_ike_prop ? IKE_XK_REKEY_IKE : q->rekey_sa ? IKE_XK_REKEY_CHILD : IKE_XK_CREATE_CHILD;
			return true;
		}
		if (p && p->has_ike_prop) {
			*k = IKE_XK_REKEY_IKE;
			return true;
		}
		return false;
	case TRK_EXCH_INFORMATIONAL:
		if (q) {
			*k = q->del_ike ? IKE_XK_DELETE_IKE
			     : q->del_child ? IKE_XK_DELETE_CHILD
			     : q->mobike ? IKE_XK_MOBIKE
			     : q->n_inner == 0 ? IKE_XK_DPD
					       : IKE_XK_INFORMATIONAL;
			return true;
		}
		if (p && p->del_child) { /* the responder deletes its half too */
			*k = IKE_XK_DELETE_CHILD;
			return true;
		}
		return false;
	default: *k = IKE_XK_OTHER; return true;
	}
}

static void outcome(struct trk_sa *s, struct trk_x *x)
{
	struct ike_exchange_rec *r = &x->r;
	r->ispi = s->r.ispi;
	r->rspi = s->r.rspi;
	if (!x->resp.seen) {
		r->outcome = IKE_XO_UNANSWERED;
	} else {
		r->outcome = IKE_XO_ANSWERED;
		uint16_t err = x->resp.error;
		if (!err && x->resp.cookie)
			err = TRK_N_COOKIE; /* a restart, not an answer */
		if (err) {
			r->outcome = IKE_XO_ERROR;
			r->error = err;
		} else if (r->exchange == TRK_EXCH_CREATE_CHILD_SA && !x->resp.decrypted) {
			size_t lo, hi;
			if (plain_bounds(s, &x->resp, &lo, &hi) && hi < CHILD_ERROR_MAX) {
				r->outcome = IKE_XO_ERROR;
				r->error_inferred = true;
			}
		}
		/* Round trip from the last transmission the response can answer. */
		int64_t sent = -1;
		for (uint32_t i = 0; i < r->n_tx; i++)
			if (r->tx_us[i] <= r->response_us)
				sent = r->tx_us[i];
		if (r->last_us >= 0 && r->last_us <= r->response_us)
			sent = r->last_us > sent ? r->last_us : sent;
		r->rtt_us = sent >= 0 ? r->response_us - sent : -1;
	}
	ike_retx_fit(r->tx_us, r->n_tx, &r->retx);
	enum ike_xkind k;
	if (kind_exact(x, &k)) {
		r->kind = k;
		r->inferred = false;
	} else {
		r->inferred = true;
		r->kind = r->exchange == TRK_EXCH_CREATE_CHILD_SA ? IKE_XK_REKEY_CHILD : IKE_XK_INFORMATIONAL;
		if (x->rekey_inferred)
			r->kind = IKE_XK_REKEY_IKE;
	}
}

/* When the exchange began: its first request, or its response when no request was seen. */
static int64_t x_start(const struct ike_exchange_rec *r) { return r->first_us >= 0 ? r->first_us : r->response_us; }

/* ---- per IKE SA ---------------------------------------------------------- */

static void established(struct ike_tracker *t, struct trk_sa *s)
{
	struct ike_sa_rec *r = &s->r;
	if (r->link == IKE_LINK_REKEY) {
		r->established = true;
		r->established_inferred = r->link_inferred;
		r->established_us = r->first_us;
		return;
	}
	struct trk_x *last_auth = NULL;
	bool later = false; /* exchanges beyond IKE_SA_INIT and IKE_AUTH */
	for (uint32_t j = 0; j < s->n_xs; j++) {
		struct trk_x *x = &t->xs[s->xs[j]];
		if (x->r.exchange == TRK_EXCH_IKE_AUTH) {
			if (x->resp.seen && (!last_auth || x->r.mid > last_auth->r.mid))
				last_auth = x;
			const struct trk_facts *p = &x->resp;
			if (p->seen && p->decrypted && p->has_auth && !p->has_eap &&
			    p->error != TRK_N_AUTHENTICATION_FAILED && !r->established) {
				r->established = true;
				r->established_us = x->r.response_us;
			}
		} else if (x->r.exchange != TRK_EXCH_IKE_SA_INIT) {
			later = true;
		}
	}
	if (r->established || (last_auth && last_auth->resp.decrypted))
		return;
	if (last_auth) {
		size_t lo = 0, hi = 0;
		bool sized = plain_bounds(s, &last_auth->resp, &lo, &hi);
		bool big = sized && lo >= AUTH_OK_MIN;
		/* The last round answered with room for a notify alone: AUTHENTICATION_FAILED
		 * and the like (an EAP Success is as small, but another round follows it). */
		if (sized && hi < CHILD_ERROR_MAX && !later && last_auth->r.outcome == IKE_XO_ANSWERED) {
			last_auth->r.outcome = IKE_XO_ERROR;
			last_auth->r.error_inferred = true;
		}
		if (big || later || s->has_successor) {
			r->established = true;
			r->established_inferred = true;
			r->established_us = last_auth->r.response_us;
		}
	} else if (!s->init_seen && s->n_xs > 0) {
		/* Up before the capture began. */
		r->established = true;
		r->established_inferred = true;
	}
}

/* Lineage without keys: an SA that appears without IKE_SA_INIT between the
 * peers of an SA that had just run a CREATE_CHILD_SA and then went quiet. */
void trk_infer_lineage(struct ike_tracker *t, size_t si)
{
	struct trk_sa *s = &t->sas[si];
	if (s->init_seen || s->r.predecessor >= 0)
		return;
	int64_t born = s->r.first_us;
	struct trk_x *best = NULL;
	size_t best_sa = 0;
	size_t from = si > INFER_WINDOW ? si - INFER_WINDOW : 0;
	for (size_t pi = from; pi < si; pi++) {
		struct trk_sa *p = &t->sas[pi];
		if (p->has_successor || p->r.file != s->r.file || !trk_same_peers(&p->r, &s->r))
			continue;
		struct trk_x *cand = NULL;
		bool alive = false;
		for (uint32_t j = 0; j < p->n_xs; j++) {
			struct trk_x *x = &t->xs[p->xs[j]];
			if (x_start(&x->r) > born && x->r.exchange != TRK_EXCH_INFORMATIONAL)
				alive = true;
			if (x->r.exchange != TRK_EXCH_CREATE_CHILD_SA || x->r.outcome != IKE_XO_ANSWERED ||
			    x->r.response_us > born || (!x->r.inferred && x->r.kind != IKE_XK_REKEY_IKE))
				continue;
			if (!cand || x->r.response_us > cand->r.response_us)
				cand = x;
		}
		if (alive || !cand)
			continue;
		if (!best || cand->r.response_us > best->r.response_us) {
			best = cand;
			best_sa = pi;
		}
	}
	if (!best)
		return;
	trk_link(t, best_sa, si, IKE_LINK_REKEY, true);
	/* The rekey may change the proposal, rarely the cipher: size rules carry over. */
	if (!s->sk_min) {
		s->sk_min = t->sas[best_sa].sk_min;
		s->sk_block = t->sas[best_sa].sk_block;
	}
	best->r.kind = IKE_XK_REKEY_IKE;
	best->rekey_inferred = true;
}

bool trk_may_have_successor(const struct ike_tracker *t, size_t si)
{
	const struct trk_sa *p = &t->sas[si];
	if (p->has_successor)
		return false;
	for (uint32_t j = 0; j < p->n_xs; j++) {
		const struct ike_exchange_rec *r = &t->xs[p->xs[j]].r;
		if (r->exchange == TRK_EXCH_CREATE_CHILD_SA && r->outcome == IKE_XO_ANSWERED &&
		    (r->inferred || r->kind == IKE_XK_REKEY_IKE))
			return true;
	}
	return false;
}

/* Whether the peers of s exchanged anything on another SA after ts. */
static bool peers_carried_on(const struct ike_tracker *t, size_t si, int64_t ts)
{
	const struct trk_sa *s = &t->sas[si];
	if (s->has_successor)
		return true;
	size_t to = si + INFER_WINDOW < t->n_sas ? si + INFER_WINDOW : t->n_sas;
	for (size_t k = si + 1; k < to; k++)
		if (t->sas[k].r.last_us > ts && t->sas[k].r.file == s->r.file && trk_same_peers(&t->sas[k].r, &s->r))
			return true;
	return false;
}

/* Whether a new IKE_SA_INIT between the peers of s began after ts. */
static bool new_init_after(const struct ike_tracker *t, size_t si, int64_t ts, int64_t *when)
{
	const struct trk_sa *s = &t->sas[si];
	size_t to = si + INFER_WINDOW < t->n_sas ? si + INFER_WINDOW : t->n_sas;
	for (size_t k = si + 1; k < to; k++) {
		const struct trk_sa *n = &t->sas[k];
		if (n->init_seen && n->r.first_us > ts && n->r.file == s->r.file && trk_same_peers(&n->r, &s->r)) {
			*when = n->r.first_us;
			return true;
		}
	}
	return false;
}

/* Every retransmission answered: the requester never heard the answers (seen
 * near the responder), which is how a lost DPD looks from there. */
static bool retried_unheard(const struct ike_exchange_rec *r)
{
	return r->transmissions >= 2 && r->responses >= r->transmissions;
}

/* INFORMATIONAL kinds from sizes and timing. */
static void infer_informational(struct ike_tracker *t, size_t si, int64_t end_us)
{
	struct trk_sa *s = &t->sas[si];
	int64_t max_gap = 0, prev = -1, last_child = -1;
	for (uint32_t j = 0; j < s->n_xs; j++) {
		int64_t st = x_start(&t->xs[s->xs[j]].r);
		if (prev >= 0 && st - prev > max_gap)
			max_gap = st - prev;
		prev = st;
	}
	int64_t quiet = max_gap + max_gap / 2 > DELETE_QUIET_US ? max_gap + max_gap / 2 : DELETE_QUIET_US;
	for (uint32_t j = 0; j < s->n_xs; j++) {
		struct trk_x *x = &t->xs[s->xs[j]];
		struct ike_exchange_rec *r = &x->r;
		if (r->exchange == TRK_EXCH_CREATE_CHILD_SA && r->outcome == IKE_XO_ANSWERED &&
		    r->kind != IKE_XK_REKEY_IKE)
			last_child = r->response_us;
		if (r->exchange != TRK_EXCH_INFORMATIONAL || !r->inferred)
			continue;
		const struct trk_facts *f = x->req.seen ? &x->req : &x->resp;
		size_t lo, hi;
		if (!plain_bounds(s, f, &lo, &hi))
			continue; /* stays "informational" */
		bool empty = lo == 0, del_ike = can_hold(lo, hi, 8), del_child = can_hold_child_delete(lo, hi);
		bool last = j + 1 == s->n_xs;
		int64_t st = x_start(r);
		if (del_child && last_child >= 0 && st >= last_child && st - last_child <= CHILD_DELETE_US)
			r->kind = IKE_XK_DELETE_CHILD;
		else if (del_ike && last && r->outcome == IKE_XO_ANSWERED && !retried_unheard(r) &&
			 (peers_carried_on(t, si, r->response_us) || end_us - s->r.last_us >= quiet))
			r->kind = IKE_XK_DELETE_IKE;
		else if (empty)
			r->kind = IKE_XK_DPD;
		else if (del_ike)
			r->kind = IKE_XK_DELETE_IKE;
		else if (del_child)
			r->kind = IKE_XK_DELETE_CHILD;
	}
}

/* When a sender with the observed (or strongSwan's default) schedule gives up. */
static int64_t give_up_us(const struct ike_exchange_rec *r)
{
	if (r->retx.n_gaps >= 2)
		return r->first_us + (int64_t)llround(r->retx.give_up_s * 1e6);
	double timeout = r->retx.n_gaps == 1 ? r->retx.timeout_s * 1e6 : (double)DEF_TIMEOUT_US;
	double wait = timeout * pow(DEF_BASE, r->retx.n_gaps);
	return r->last_us + (int64_t)llround(wait);
}

static void sa_end(struct ike_tracker *t, size_t si, int64_t end_us)
{
	struct trk_sa *s = &t->sas[si];
	struct ike_sa_rec *r = &s->r;
	const struct trk_x *del = NULL, *latest = NULL;
	for (uint32_t j = 0; j < s->n_xs; j++) {
		const struct trk_x *x = &t->xs[s->xs[j]];
		if (x->r.kind == IKE_XK_DELETE_IKE)
			del = x;
		if (!latest || x_start(&x->r) >= x_start(&latest->r))
			latest = x;
	}
	if (s->has_successor && s->succ_link == IKE_LINK_REKEY) {
		r->end = IKE_END_REKEYED;
		r->end_inferred = s->succ_link_inferred;
		r->end_us = r->last_us;
		return;
	}
	if (del) {
		r->end = del->r.by_initiator ? IKE_END_DELETED_BY_INITIATOR : IKE_END_DELETED_BY_RESPONDER;
		r->end_inferred = del->r.inferred;
		r->end_us = del->r.response_us >= 0 ? del->r.response_us : del->r.last_us;
		return;
	}
	if (!r->established) {
		r->end = IKE_END_FAILED;
		r->end_us = r->last_us;
		return;
	}
	/* Seen near the responder, every retransmission answered means the answers
	 * were lost on the way back: the requester gave up all the same. */
	bool lost_answers = latest && retried_unheard(&latest->r);
	if (latest && (latest->r.outcome == IKE_XO_UNANSWERED || lost_answers) && latest->r.first_us >= 0) {
		int64_t gone = give_up_us(&latest->r), when;
		if (new_init_after(t, si, latest->r.first_us, &when)) {
			r->end = IKE_END_DPD_TIMEOUT;
			r->end_us = when < gone ? when : gone;
			r->end_inferred = latest->r.inferred;
			return;
		}
		if (end_us >= gone && !lost_answers) {
			r->end = IKE_END_DPD_TIMEOUT;
			r->end_us = gone;
			r->end_inferred = latest->r.inferred;
			return;
		}
	}
	r->end = IKE_END_UP;
	r->end_us = -1;
}

void trk_infer_outcomes(struct ike_tracker *t)
{
	for (size_t i = 0; i < t->n_sas; i++)
		for (uint32_t j = 0; j < t->sas[i].n_xs; j++)
			outcome(&t->sas[i], &t->xs[t->sas[i].xs[j]]);
}

/* What one SA's own exchanges say once its lineage is known: the kinds the
 * SA's timing gives, whether it was established, how it ended. */
void trk_infer_sa(struct ike_tracker *t, size_t si, int64_t end_us)
{
	infer_informational(t, si, end_us);
	established(t, &t->sas[si]);
	sa_end(t, si, end_us);
}

void trk_infer(struct ike_tracker *t, int64_t end_us)
{
	trk_infer_outcomes(t);
	for (size_t i = 0; i < t->n_sas; i++)
		trk_infer_lineage(t, i);
	for (size_t i = 0; i < t->n_sas; i++)
		trk_infer_sa(t, i, end_us);
}
