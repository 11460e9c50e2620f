/*
 * compare.c — the comparator's life cycle: points, feeding messages (each
 * distinct set of bytes becomes one message, each sighting one observation),
 * the accessors and the names of the enums.
 */
#include <stdlib.h>
#include <string.h>

#include "compare/cmp_int.h"
#include "util/rd.h"

const char *ike_cmp_point_kind_name(enum ike_cmp_point_kind k)
{
	return k == IKE_CMP_LOG ? "log" : "capture";
}

const char *ike_cmp_dir_name(enum ike_cmp_dir d)
{
	switch (d) {
	case IKE_CMP_TOWARD_PEER: return "toward-peer";
	case IKE_CMP_TOWARD_LOCAL: return "toward-local";
	default: return "unknown";
	}
}

const char *ike_cmp_status_name(enum ike_cmp_status s)
{
	switch (s) {
	case IKE_CMP_DELIVERED: return "delivered";
	case IKE_CMP_LOST: return "lost";
	default: return "not-covered";
	}
}

const char *ike_cmp_at_name(enum ike_cmp_at a)
{
	switch (a) {
	case IKE_CMP_AT_SEEN: return "seen";
	case IKE_CMP_AT_MISSING: return "missing";
	case IKE_CMP_AT_NOT_COVERED: return "not-covered";
	default: return "beyond";
	}
}

void cmp_exchange_key(const struct ike_cmp_msg *m, bool response, uint64_t *a, uint64_t *b)
{
	bool by_initiator = m->response ? !m->initiator : m->initiator;
	*a = m->ispi;
	*b = (uint64_t)m->exchange << 40 | (uint64_t)by_initiator << 34 | (uint64_t)response << 33 | 1ull << 32 |
	     m->mid;
}

/* ---- life cycle ---------------------------------------------------------- */

struct ike_compare *ike_compare_new(const struct ike_compare_opts *opts)
{
	struct ike_compare *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->max_messages = opts && opts->max_messages ? opts->max_messages : IKE_CMP_DEF_MESSAGES;
	c->max_tx = opts && opts->max_tx ? opts->max_tx : IKE_CMP_DEF_TX;
	c->max_obs = opts && opts->max_obs ? opts->max_obs : IKE_CMP_DEF_OBS;
	c->st.max_messages = c->max_messages;
	c->st.max_tx = c->max_tx;
	c->st.max_obs = c->max_obs;
	c->sum.reference = -1;
	return c;
}

void ike_compare_free(struct ike_compare *c)
{
	if (!c)
		return;
	for (unsigned p = 0; p < IKE_CMP_MAX_POINTS; p++) {
		ike_tracker_free(c->trackers[p]);
		cmp_log_free(c->logs[p]);
	}
	ike_pairmap_free(&c->by_bytes);
	ike_pairmap_free(&c->by_exchange);
	free(c->obs_first);
	free(c->msgs);
	free(c->obs);
	free(c->lines);
	free(c->log_vote);
	free(c->tx);
	free(c->sas);
	free(c);
}

int ike_compare_add_point(struct ike_compare *c, const char *name, enum ike_cmp_point_kind kind)
{
	if (c->n_points >= IKE_CMP_MAX_POINTS || c->finished || c->sealed)
		return -1;
	unsigned p = c->n_points;
	struct ike_cmp_point *pt = &c->points[p];
	memset(pt, 0, sizeof(*pt));
	snprintf(pt->name, sizeof(pt->name), "%s", name ? name : "");
	pt->kind = kind;
	pt->delay_us = -1;
	if (kind == IKE_CMP_CAPTURE) {
		c->trackers[p] = ike_tracker_new(NULL);
		if (!c->trackers[p])
			return -1;
	} else {
		c->logs[p] = calloc(1, sizeof(*c->logs[p]));
		if (!c->logs[p])
			return -1;
		c->logs[p]->capture = -1;
	}
	c->n_points++;
	return (int)p;
}

bool cmp_is_capture(const struct ike_compare *c, unsigned p)
{
	return p < c->n_points && c->points[p].kind == IKE_CMP_CAPTURE;
}

void ike_compare_cover(struct ike_compare *c, int point, int64_t us)
{
	if (point < 0 || (unsigned)point >= c->n_points)
		return;
	struct ike_cmp_point *pt = &c->points[point];
	if (!pt->covered || us < pt->first_us)
		pt->first_us = us;
	if (!pt->covered || us > pt->last_us)
		pt->last_us = us;
	pt->covered = true;
	if (us > c->track_end[point])
		c->track_end[point] = us;
}

/* Two independent 64-bit hashes of the bytes: FNV-1a (reported) and one with
 * another basis and a final mix, so that together they name the bytes. */
static void hash_bytes(struct ike_span bytes, uint64_t *h1, uint64_t *h2)
{
	uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull ^ bytes.len;
	struct ike_rd r = ike_rd_span(bytes, 0);
	/* eight bytes per read (the reader's per-byte call was most of the time), hashed byte by byte */
	while (ike_rd_left(&r) >= 8) {
		uint64_t w = ike_rd_be64(&r);
		for (int k = 56; k >= 0; k -= 8) {
			uint8_t x = (uint8_t)(w >> k);
			a = (a ^ x) * 0x100000001b3ull;
			b = (b + x) * 0xff51afd7ed558ccdull;
			b ^= b >> 29;
		}
	}
	while (ike_rd_left(&r) > 0) {
		uint8_t x = ike_rd_u8(&r);
		a = (a ^ x) * 0x100000001b3ull;
		b = (b + x) * 0xff51afd7ed558ccdull;
		b ^= b >> 29;
	}
	*h1 = a;
	*h2 = b;
}

int cmp_add_obs(struct ike_compare *c, uint32_t msg, unsigned point, int64_t us, uint64_t frame)
{
	if (c->n_obs >= c->max_obs) {
		c->st.obs_dropped++;
		return 0;
	}
	if (c->n_obs == c->cap_obs) {
		size_t cap = c->cap_obs ? c->cap_obs * 2 : 1024;
		struct cmp_obs *o = realloc(c->obs, cap * sizeof(*o));
		if (!o)
			return -1;
		c->obs = o;
		c->cap_obs = cap;
	}
	c->obs[c->n_obs++] = (struct cmp_obs){.msg = msg, .point = (uint8_t)point, .us = us, .frame = frame};
	return 0;
}

struct ike_cmp_msg *cmp_msg_push(struct ike_compare *c, uint32_t *index)
{
	if (c->n_msgs == c->cap_msgs) {
		size_t cap = c->cap_msgs ? c->cap_msgs * 2 : 256;
		struct ike_cmp_msg *n = realloc(c->msgs, cap * sizeof(*n));
		if (!n)
			return NULL;
		c->msgs = n;
		c->cap_msgs = cap;
	}
	struct ike_cmp_msg *x = &c->msgs[c->n_msgs];
	memset(x, 0, sizeof(*x));
	x->lost_after = x->lost_before = -1;
	for (unsigned p = 0; p < IKE_CMP_MAX_POINTS; p++)
		x->seen[p].first_us = x->seen[p].last_us = -1;
	*index = (uint32_t)c->n_msgs++;
	return x;
}

static int new_msg(struct ike_compare *c, const struct ike_msg *m, uint64_t h1, uint32_t *out)
{
	struct ike_cmp_msg *x = cmp_msg_push(c, out);
	if (!x)
		return -1;
	x->ispi = m->ispi;
	x->rspi = m->rspi;
	x->exchange = m->exchange;
	x->mid = m->mid;
	x->response = ike_msg_is_response(m);
	x->initiator = ike_msg_from_initiator(m);
	x->length = m->length;
	x->hash = h1;
	x->frag_num = m->frag_num;
	x->frag_total = m->frag_total;
	return 0;
}

enum ike_err ike_compare_add_msg(struct ike_compare *c, int point, const struct ike_msg *m)
{
	if (point < 0 || !cmp_is_capture(c, (unsigned)point) || c->finished)
		return IKE_E_MALFORMED;
	cmp_seal(c);
	struct ike_cmp_point *pt = &c->points[point];
	int64_t us = m->at.ts_sec * 1000000 + m->at.ts_usec;
	ike_compare_cover(c, point, us);
	if (m->ikev1) {
		c->st.ikev1_ignored++;
		return IKE_OK;
	}
	pt->messages++;
	if (ike_tracker_add(c->trackers[point], m) != IKE_OK)
		return IKE_E_NOMEM;
	for (unsigned p = 0; p < c->n_points; p++)
		if (c->logs[p] && c->logs[p]->capture == point && c->logs[p]->clock)
			ike_log_clock_add_msg(c->logs[p]->clock, m);

	uint64_t h1, h2;
	hash_bytes(m->raw, &h1, &h2);
	uint32_t idx;
	if (!ike_pairmap_get(&c->by_bytes, h1, h2, &idx)) {
		if (c->n_msgs >= c->max_messages) {
			c->st.messages_dropped++;
			return IKE_OK;
		}
		if (new_msg(c, m, h1, &idx) != 0 || ike_pairmap_put(&c->by_bytes, h1, h2, idx) != 0)
			return IKE_E_NOMEM;
	}
	struct ike_cmp_seen *s = &c->msgs[idx].seen[point];
	if (s->count == 0) { /* the addresses of the first sighting at this point */
		s->src = m->at.src;
		s->dst = m->at.dst;
		s->sport = m->at.sport;
		s->dport = m->at.dport;
	}
	if (cmp_add_obs(c, idx, (unsigned)point, us, m->at.frame) != 0)
		return IKE_E_NOMEM;
	return IKE_OK;
}

/* ---- after finish -------------------------------------------------------- */

/* tcpdump writes a file's header when it starts: a capture without a single
 * frame ran and saw nothing. It is taken to have run while the others did
 * (in the reference's clock: it has no offset of its own). */
static void assume_empty_covered(struct ike_compare *c)
{
	bool any = false;
	int64_t lo = 0, hi = 0;
	for (unsigned p = 0; p < c->n_points; p++) {
		const struct ike_cmp_point *pt = &c->points[p];
		if (!pt->covered)
			continue;
		int64_t a = pt->first_us - pt->offset_us, b = pt->last_us - pt->offset_us;
		lo = !any || a < lo ? a : lo;
		hi = !any || b > hi ? b : hi;
		any = true;
	}
	for (unsigned p = 0; p < c->n_points && any; p++) {
		struct ike_cmp_point *pt = &c->points[p];
		if (pt->covered || pt->kind != IKE_CMP_CAPTURE)
			continue;
		pt->covered = true;
		pt->coverage_assumed = true;
		pt->first_us = lo;
		pt->last_us = hi;
	}
}

void ike_compare_finish(struct ike_compare *c)
{
	if (c->finished)
		return;
	c->finished = true;
	for (unsigned p = 0; p < c->n_points; p++)
		if (c->trackers[p])
			ike_tracker_finish(c->trackers[p], c->track_end[p]);
	cmp_log_offsets(c);
	cmp_sort_obs(c);
	cmp_clock(c);
	assume_empty_covered(c);
	cmp_log_match(c);
	if (cmp_match(c) != 0)
		c->st.incomplete = true; /* the records that exist are consistent */
}

size_t ike_compare_n_points(const struct ike_compare *c) { return c->n_points; }
const struct ike_cmp_point *ike_compare_point(const struct ike_compare *c, size_t i)
{
	return i < c->n_points ? &c->points[i] : NULL;
}
size_t ike_compare_n_sas(const struct ike_compare *c) { return c->n_sas; }
const struct ike_cmp_sa *ike_compare_sa(const struct ike_compare *c, size_t i)
{
	return i < c->n_sas ? &c->sas[i] : NULL;
}
size_t ike_compare_n_msgs(const struct ike_compare *c) { return c->finished ? c->n_msgs : 0; }
const struct ike_cmp_msg *ike_compare_msg(const struct ike_compare *c, size_t i)
{
	return c->finished && i < c->n_msgs ? &c->msgs[i] : NULL;
}
size_t ike_compare_n_tx(const struct ike_compare *c) { return c->n_tx; }
const struct ike_cmp_tx *ike_compare_tx(const struct ike_compare *c, size_t i)
{
	return i < c->n_tx ? &c->tx[i] : NULL;
}
void ike_compare_summary(const struct ike_compare *c, struct ike_cmp_summary *out) { *out = c->sum; }
void ike_compare_stats(const struct ike_compare *c, struct ike_cmp_stats *out) { *out = c->st; }
