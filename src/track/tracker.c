/*
 * tracker.c — feeding the tracker: finds (or opens) the IKE SA and the
 * exchange of each message, counts copies, joins the IKE_SA_INIT request to
 * its response, links restarts and, with keys, IKE SA rekeys.
 */
#include <stdlib.h>
#include <string.h>

#include "sk_layout.h"
#include "track/track_int.h"

const char *ike_xkind_name(enum ike_xkind k)
{
	static const char *const n[] = {"ike-sa-init", "ike-auth", "create-child", "rekey-child",
					"rekey-ike", "dpd", "delete-child", "delete-ike",
					"mobike", "informational", "other"};
	return (unsigned)k < sizeof(n) / sizeof(n[0]) ? n[k] : "other";
}

const char *ike_xoutcome_name(enum ike_xoutcome o)
{
	static const char *const n[] = {"answered", "unanswered", "error"};
	return (unsigned)o < sizeof(n) / sizeof(n[0]) ? n[o] : "unanswered";
}

const char *ike_sa_end_name(enum ike_sa_end e)
{
	static const char *const n[] = {"up", "deleted-by-initiator", "deleted-by-responder",
					"dpd-timeout", "rekeyed", "failed"};
	return (unsigned)e < sizeof(n) / sizeof(n[0]) ? n[e] : "up";
}

const char *ike_sa_link_name(enum ike_sa_link l)
{
	static const char *const n[] = {"none", "rekey", "cookie", "invalid-ke"};
	return (unsigned)l < sizeof(n) / sizeof(n[0]) ? n[l] : "none";
}

int64_t trk_us(const struct ike_origin *at) { return at->ts_sec * 1000000 + at->ts_usec; }

bool trk_addr_eq(const struct ike_addr *a, const struct ike_addr *b)
{
	if (a->family != b->family)
		return false;
	return memcmp(a->a, b->a, a->family == 6 ? 16 : 4) == 0;
}

bool trk_same_peers(const struct ike_sa_rec *a, const struct ike_sa_rec *b)
{
	return (trk_addr_eq(&a->init_addr, &b->init_addr) && trk_addr_eq(&a->resp_addr, &b->resp_addr)) ||
	       (trk_addr_eq(&a->init_addr, &b->resp_addr) && trk_addr_eq(&a->resp_addr, &b->init_addr));
}

/* ---- life cycle ---------------------------------------------------------- */

struct ike_tracker *ike_tracker_new(const struct ike_tracker_opts *opts)
{
	struct ike_tracker *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (opts)
		t->opts = *opts;
	if (!t->opts.max_sas || t->opts.max_sas > UINT32_MAX / 2)
		t->opts.max_sas = IKE_TRACK_DEF_SAS;
	if (!t->opts.max_exchanges || t->opts.max_exchanges > UINT32_MAX / 2)
		t->opts.max_exchanges = IKE_TRACK_DEF_EXCHANGES;
	if (!t->opts.budget)
		t->opts.budget = IKE_TRACK_DEF_BUDGET;
	if (t->opts.settle_us <= 0)
		t->opts.settle_us = IKE_TRACK_DEF_SETTLE_US;
	t->st.max_sas = t->opts.max_sas;
	t->st.max_exchanges = t->opts.max_exchanges;
	return t;
}

void ike_tracker_free(struct ike_tracker *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_sas; i++)
		free(t->sas[i].xs);
	free(t->sas);
	free(t->xs);
	free(t->order);
	ike_pairmap_free(&t->sa_map);
	ike_pairmap_free(&t->x_map);
	free(t);
}

/* Grows an array of records by doubling, up to cap elements. */
static int grow(void **p, size_t *cap, size_t need, size_t elem, size_t max)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 64;
	if (n > max)
		n = max;
	if (n < need)
		return -1;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* ---- IKE SAs ------------------------------------------------------------- */

/* Endpoints of an IKE SA: the I flag names the original initiator, which is
 * the sender or the receiver of m. */
struct trk_ends {
	struct ike_addr i, r;
	uint16_t iport, rport;
};

static struct trk_ends ends_of(const struct ike_msg *m)
{
	bool from_i = ike_msg_from_initiator(m);
	struct trk_ends e = {
		.i = from_i ? m->at.src : m->at.dst,
		.iport = from_i ? m->at.sport : m->at.dport,
		.r = from_i ? m->at.dst : m->at.src,
		.rport = from_i ? m->at.dport : m->at.sport,
	};
	return e;
}

/* Opens an SA record; its index, -1 when the cap drops it, -2 on OOM. */
static int64_t new_sa(struct ike_tracker *t, const struct ike_msg *m, const struct trk_ends *e, uint64_t ispi,
		      uint64_t rspi)
{
	if (t->n_sas >= t->opts.max_sas) {
		t->st.sas_dropped++;
		return -1;
	}
	if (grow((void **)&t->sas, &t->cap_sas, t->n_sas + 1, sizeof(*t->sas), t->opts.max_sas) != 0)
		return -2;
	uint32_t idx = (uint32_t)t->n_sas;
	if (ike_pairmap_put(&t->sa_map, ispi, rspi, idx) != 0)
		return -2;
	struct trk_sa *s = &t->sas[t->n_sas++];
	*s = (struct trk_sa){.last_i_us = -1, .last_r_us = -1, .half_open_key = rspi == 0};
	struct ike_sa_rec *r = &s->r;
	r->index = t->next_index++;
	r->file = m->at.file;
	r->ispi = ispi;
	r->rspi = rspi;
	r->init_addr = e->i;
	r->init_port = e->iport;
	r->resp_addr = e->r;
	r->resp_port = e->rport;
	r->first_us = r->last_us = trk_us(&m->at);
	r->established_us = -1;
	r->predecessor = -1;
	r->end_us = -1;
	return idx;
}

void trk_link(struct ike_tracker *t, size_t pred, size_t si, enum ike_sa_link how, bool inferred)
{
	struct trk_sa *p = &t->sas[pred], *s = &t->sas[si];
	s->r.predecessor = p->r.index;
	s->r.pred_ispi = p->r.ispi;
	s->r.pred_rspi = p->r.rspi;
	s->r.link = how;
	s->r.link_inferred = inferred;
	p->has_successor = true;
	p->succ_link = how;
	p->succ_link_inferred = inferred;
}

static void remember_restart(struct ike_tracker *t, uint32_t sa, const struct trk_facts *resp, int64_t ts)
{
	struct trk_restart *x = &t->restarts[t->next_restart];
	t->next_restart = (t->next_restart + 1) % TRK_RESTARTS;
	if (t->n_restarts < TRK_RESTARTS)
		t->n_restarts++;
	*x = (struct trk_restart){.i = t->sas[sa].r.init_addr, .r = t->sas[sa].r.resp_addr, .sa = sa, .ts = ts};
	x->link = resp->cookie ? IKE_LINK_COOKIE : IKE_LINK_INVALID_KE;
	x->group = resp->ke_suggested;
}

/* A new IKE_SA_INIT request: does it restart an attempt answered with COOKIE
 * or INVALID_KE_PAYLOAD between the same peers? The newest match wins. */
static void link_restart(struct ike_tracker *t, struct trk_sa *s, const struct trk_facts *req)
{
	for (unsigned k = 0; k < t->n_restarts; k++) {
		unsigned at = (t->next_restart + TRK_RESTARTS - 1 - k) % TRK_RESTARTS;
		const struct trk_restart *x = &t->restarts[at];
		if (x->sa == (size_t)(s - t->sas) || !trk_addr_eq(&x->i, &s->r.init_addr) ||
		    !trk_addr_eq(&x->r, &s->r.resp_addr))
			continue;
		if (x->link == IKE_LINK_COOKIE && !req->cookie)
			continue;
		if (x->link == IKE_LINK_INVALID_KE && x->group && x->group != req->ke_group)
			continue;
		if (t->sas[x->sa].has_successor)
			continue;
		trk_link(t, x->sa, (size_t)(s - t->sas), x->link, false);
		return;
	}
}

static bool copies_have(const struct trk_copies *c, uint64_t h)
{
	for (uint8_t i = 0; i < c->n; i++)
		if (c->hash[i] == h)
			return true;
	return false;
}

/* The IKE SA of m, opened when needed; -1 when dropped, -2 on OOM. */
static int64_t find_sa(struct ike_tracker *t, const struct ike_msg *m, uint64_t h, const struct trk_facts *f)
{
	uint32_t v;
	bool init_req = m->exchange == TRK_EXCH_IKE_SA_INIT && !ike_msg_is_response(m);
	if (m->rspi != 0) {
		if (ike_pairmap_get(&t->sa_map, m->ispi, m->rspi, &v))
			return v;
		/* The first message with the responder's SPI joins the half-open SA. */
		if (ike_pairmap_get(&t->sa_map, m->ispi, 0, &v) && t->sas[v].r.rspi == 0) {
			t->sas[v].r.rspi = m->rspi;
			if (ike_pairmap_put(&t->sa_map, m->ispi, m->rspi, v) != 0)
				return -2;
			return v;
		}
		struct trk_ends e = ends_of(m);
		return new_sa(t, m, &e, m->ispi, m->rspi);
	}
	if (ike_pairmap_get(&t->sa_map, m->ispi, 0, &v)) {
		if (!init_req)
			return v;
		/* Same request bytes: a retransmission of the same attempt. */
		const struct trk_sa *s = &t->sas[v];
		uint32_t x0;
		if (ike_pairmap_get(&t->x_map, (uint64_t)s->r.index << 1 | 1, 0, &x0) && copies_have(&t->xs[x0].req_c, h))
			return v;
		if (s->n_xs == 0)
			return v;
	}
	/* A new attempt: a new SA record, maybe restarting an earlier one. */
	struct trk_ends e = ends_of(m);
	int64_t idx = new_sa(t, m, &e, m->ispi, 0);
	if (idx >= 0 && init_req)
		link_restart(t, &t->sas[idx], f);
	return idx;
}

/* ---- exchanges ----------------------------------------------------------- */

/* Counts one copy; returns its round (1 for the first copy of that fragment). */
static uint32_t count_copy(struct trk_copies *c, uint16_t frag, uint64_t h, bool *changed, bool *new_frag)
{
	*new_frag = false;
	for (uint8_t i = 0; i < c->n; i++) {
		if (c->frag[i] != frag)
			continue;
		if (c->hash[i] != h)
			*changed = true;
		return ++c->count[i];
	}
	*new_frag = true;
	if (c->n < TRK_FRAG_SLOTS) {
		c->frag[c->n] = frag;
		c->hash[c->n] = h;
		c->count[c->n] = 1;
		c->n++;
	}
	return 1;
}

static int64_t new_exchange(struct ike_tracker *t, struct trk_sa *s, const struct ike_msg *m, bool by_i)
{
	if (t->n_xs >= t->opts.max_exchanges) {
		t->st.exchanges_dropped++;
		s->r.exchanges_dropped++;
		return -1;
	}
	if (grow((void **)&t->xs, &t->cap_xs, t->n_xs + 1, sizeof(*t->xs), t->opts.max_exchanges) != 0)
		return -2;
	size_t cap = s->cap_xs;
	if (grow((void **)&s->xs, &cap, s->n_xs + 1, sizeof(*s->xs), t->opts.max_exchanges) != 0)
		return -2;
	s->cap_xs = (uint32_t)cap;
	uint32_t idx = (uint32_t)t->n_xs;
	if (ike_pairmap_put(&t->x_map, (uint64_t)s->r.index << 1 | by_i, m->mid, idx) != 0)
		return -2;
	s->xs[s->n_xs++] = idx;
	struct trk_x *x = &t->xs[t->n_xs++];
	*x = (struct trk_x){0};
	struct ike_exchange_rec *r = &x->r;
	r->sa = s->r.index;
	r->file = m->at.file;
	r->exchange = m->exchange;
	r->mid = m->mid;
	r->by_initiator = by_i;
	bool req = !ike_msg_is_response(m);
	r->from = req ? m->at.src : m->at.dst;
	r->sport = req ? m->at.sport : m->at.dport;
	r->to = req ? m->at.dst : m->at.src;
	r->dport = req ? m->at.dport : m->at.sport;
	r->first_us = r->last_us = r->response_us = r->rtt_us = -1;
	return idx;
}

/* What the IKE_SA_INIT response teaches: the proposal, the SK layout. */
static void learn_init(struct trk_sa *s, const struct ike_msg *m, const char *proposal)
{
	if (proposal[0])
		memcpy(s->r.proposal, proposal, sizeof(s->r.proposal));
	struct ike_sa_algs a;
	size_t iv, icv, block;
	if (trk_sa_algs(m, &a) && ike_sk_layout(&a, &iv, &icv, &block)) {
		/* An empty chain still carries the pad length byte, padded to a block. */
		s->sk_min = iv + block + icv;
		s->sk_block = block;
	}
}

/* With keys, a successful IKE SA rekey names both new SPIs: open the new SA. */
static enum ike_err open_rekeyed(struct ike_tracker *t, uint32_t old, struct trk_x *x, const struct ike_msg *m,
				 const char *proposal)
{
	if (!x->req.has_ike_prop || !x->resp.has_ike_prop || x->resp.error || t->sas[old].has_successor)
		return IKE_OK;
	uint64_t ispi = x->req.prop_spi, rspi = x->resp.prop_spi;
	uint32_t v;
	if (!ispi || !rspi || ike_pairmap_get(&t->sa_map, ispi, rspi, &v))
		return IKE_OK;
	/* The requester of the rekey is the new SA's initiator: m is the response. */
	struct trk_ends e = {.i = m->at.dst, .iport = m->at.dport, .r = m->at.src, .rport = m->at.sport};
	int64_t idx = new_sa(t, m, &e, ispi, rspi);
	if (idx == -2)
		return IKE_E_NOMEM;
	if (idx < 0)
		return IKE_OK;
	struct trk_sa *n = &t->sas[idx];
	trk_link(t, old, (size_t)idx, IKE_LINK_REKEY, false);
	n->r.ke_group = x->resp.ke_group;
	if (proposal[0])
		memcpy(n->r.proposal, proposal, sizeof(n->r.proposal));
	/* The cipher does not change the SK layout rules; the proposal may. */
	n->sk_min = t->sas[old].sk_min;
	n->sk_block = t->sas[old].sk_block;
	struct ike_sa_algs a;
	size_t iv, icv, block;
	if (trk_sa_algs(m, &a) && ike_sk_layout(&a, &iv, &icv, &block)) {
		n->sk_min = iv + block + icv;
		n->sk_block = block;
	}
	return IKE_OK;
}

static void add_frame(struct ike_exchange_rec *r, uint64_t frame)
{
	if (r->n_frames < IKE_TRACK_MAX_FRAMES)
		r->frames[r->n_frames++] = frame;
	else
		r->frames_dropped++;
}

static enum ike_err track_one(struct ike_tracker *t, const struct ike_msg *m)
{
	t->st.messages++;
	if (m->ikev1 || t->finished) {
		t->st.ignored++;
		return IKE_OK;
	}
	uint64_t h = trk_hash(m->raw);
	struct trk_facts f;
	char proposal[sizeof(((struct ike_sa_rec *)0)->proposal)] = "";
	trk_facts_read(m, &f, proposal, sizeof(proposal));

	int64_t si = find_sa(t, m, h, &f);
	if (si == -2)
		return IKE_E_NOMEM;
	if (si < 0)
		return IKE_OK;
	struct trk_sa *s = &t->sas[si];
	int64_t now = trk_us(&m->at);
	if (now > t->now_us)
		t->now_us = now;
	bool resp = ike_msg_is_response(m);
	bool from_i = ike_msg_from_initiator(m);
	bool by_i = resp ? !from_i : from_i;
	if (now > s->r.last_us)
		s->r.last_us = now;
	if (from_i)
		s->last_i_us = now;
	else
		s->last_r_us = now;

	uint32_t xv;
	int64_t xi;
	if (ike_pairmap_get(&t->x_map, (uint64_t)s->r.index << 1 | by_i, m->mid, &xv)) {
		xi = xv;
	} else {
		xi = new_exchange(t, s, m, by_i);
		if (xi == -2)
			return IKE_E_NOMEM;
		if (xi < 0)
			return IKE_OK;
	}
	struct trk_x *x = &t->xs[xi];
	struct ike_exchange_rec *r = &x->r;
	add_frame(r, m->at.frame);
	uint16_t frag = m->frag_num;
	bool new_frag;
	if (!resp) {
		uint32_t round = count_copy(&x->req_c, frag, h, &r->request_changed, &new_frag);
		if (new_frag)
			trk_facts_merge(&x->req, &f);
		if (r->first_us < 0) {
			r->first_us = now;
			r->req_len = m->length;
		}
		r->last_us = now;
		if (round > r->transmissions) {
			r->transmissions = round;
			if (r->n_tx < IKE_TRACK_MAX_TX)
				r->tx_us[r->n_tx++] = now;
		}
		if (m->exchange == TRK_EXCH_IKE_SA_INIT) {
			s->init_seen = true;
			if (f.ke_group)
				s->r.ke_group = f.ke_group;
		}
		return IKE_OK;
	}
	uint32_t round = count_copy(&x->resp_c, frag, h, &r->request_changed, &new_frag);
	if (new_frag)
		trk_facts_merge(&x->resp, &f);
	if (round > r->responses)
		r->responses = round;
	if (r->response_us < 0) {
		r->response_us = now;
		r->resp_len = m->length;
		if (r->first_us < 0)
			t->st.orphan_responses++;
	}
	if (m->exchange == TRK_EXCH_IKE_SA_INIT) {
		s->init_seen = true;
		if (m->rspi != 0 && new_frag)
			learn_init(s, m, proposal);
		if ((f.cookie || f.invalid_ke) && round == 1)
			remember_restart(t, (uint32_t)si, &f, now);
		if (f.ke_group)
			s->r.ke_group = f.ke_group;
	}
	if (m->exchange == TRK_EXCH_CREATE_CHILD_SA && x->resp.decrypted && new_frag)
		return open_rekeyed(t, (uint32_t)si, x, m, proposal);
	return IKE_OK;
}

/* Every message goes through here, so that a streaming tracker looks at its
 * budget after each one (and nothing is handed out in the middle of a message). */
enum ike_err ike_tracker_add(struct ike_tracker *t, const struct ike_msg *m)
{
	enum ike_err e = track_one(t, m);
	if (e == IKE_OK && t->opts.sink && !t->finished)
		e = trk_stream_check(t);
	return e;
}

/* ---- results ------------------------------------------------------------- */

void ike_tracker_finish(struct ike_tracker *t, int64_t end_us)
{
	if (t->finished)
		return;
	t->finished = true;
	trk_infer(t, end_us);
	t->order = malloc((t->n_xs ? t->n_xs : 1) * sizeof(*t->order));
	size_t k = 0;
	for (size_t i = 0; i < t->n_sas; i++) {
		struct trk_sa *s = &t->sas[i];
		s->r.first_exchange = (uint32_t)k;
		s->r.n_exchanges = s->n_xs;
		for (uint32_t j = 0; j < s->n_xs && t->order; j++)
			t->order[k++] = s->xs[j];
	}
	if (t->opts.sink)
		trk_stream_rest(t);
}

size_t ike_tracker_n_sas(const struct ike_tracker *t) { return t->n_sas; }

const struct ike_sa_rec *ike_tracker_sa(const struct ike_tracker *t, size_t i)
{
	return i < t->n_sas ? &t->sas[i].r : NULL;
}

size_t ike_tracker_n_exchanges(const struct ike_tracker *t) { return t->order ? t->n_xs : 0; }

const struct ike_exchange_rec *ike_tracker_exchange(const struct ike_tracker *t, size_t i)
{
	return t->order && i < t->n_xs ? &t->xs[t->order[i]].r : NULL;
}

void ike_tracker_stats(const struct ike_tracker *t, struct ike_track_stats *out) { *out = t->st; }

const struct ike_exchange_rec *ike_tracker_sa_exchange(const struct ike_tracker *t, const struct ike_sa_rec *sa,
						       size_t k)
{
	const struct trk_sa *s = (const struct trk_sa *)sa; /* r is its first member */
	return k < s->n_xs ? &t->xs[s->xs[k]].r : NULL;
}
