/*
 * clock.c — observations in order, duplicates folded, and the clock offset
 * between every two capture points.
 *
 * A request and its response cross the path in opposite directions. Where
 * both were seen at points a and b, with d_req and d_resp the differences of
 * their times (b minus a), d_req = offset + delay and d_resp = offset - delay
 * (or the other way round): the offset is their mean and the one-way delay
 * half their gap, whichever way the request went. The median over all
 * exchanges is kept, so a retransmission answered in place of the first copy
 * does not move it. Points without a common exchange get their offset
 * through a third point. When no answer crossed between two points (all
 * were lost), the median difference of the messages both saw stands in:
 * it includes the one-way delay, small next to a retransmission interval.
 * A point with nothing in common stays unknown (taken as 0).
 */
#include <stdlib.h>
#include <string.h>

#include "compare/cmp_int.h"

#define ONE_WAY_CLUSTER_US 100000 /* copies of one transmission: their differences agree this well */
#define ONE_WAY_MAX_PAIRS (1u << 20) /* pairings kept for a one-way estimate (8 MiB) */

static int by_msg_point_time(const void *x, const void *y)
{
	const struct cmp_obs *a = x, *b = y;
	if (a->msg != b->msg)
		return a->msg < b->msg ? -1 : 1;
	if (a->point != b->point)
		return a->point < b->point ? -1 : 1;
	if (a->us != b->us)
		return a->us < b->us ? -1 : 1;
	return a->frame < b->frame ? -1 : a->frame > b->frame;
}

void cmp_sort_obs(struct ike_compare *c)
{
	if (c->n_obs == 0)
		return; /* obs is NULL then, and qsort must not see a null array */
	qsort(c->obs, c->n_obs, sizeof(*c->obs), by_msg_point_time);
	/* fold copies of one transmission a span port shows twice */
	size_t w = 0;
	for (size_t i = 0; i < c->n_obs; i++) {
		const struct cmp_obs *o = &c->obs[i];
		if (w > 0) {
			const struct cmp_obs *prev = &c->obs[w - 1];
			/* log lines are to the second: two in one second are two sends */
			if (prev->msg == o->msg && prev->point == o->point && o->us - prev->us < IKE_CMP_DUP_WINDOW_US &&
			    c->points[o->point].kind == IKE_CMP_CAPTURE) {
				c->points[o->point].duplicates++;
				continue;
			}
		}
		c->obs[w++] = *o;
	}
	c->n_obs = w;
	free(c->obs_first);
	c->obs_first = calloc(c->n_msgs + 1, sizeof(*c->obs_first));
	for (size_t m = 0; m < c->n_msgs; m++)
		for (unsigned p = 0; p < IKE_CMP_MAX_POINTS; p++) {
			struct ike_cmp_seen *s = &c->msgs[m].seen[p];
			s->count = 0;
			s->first_us = s->last_us = -1;
			s->first_frame = 0;
		}
	for (size_t i = 0; i < c->n_obs; i++) {
		const struct cmp_obs *o = &c->obs[i];
		struct ike_cmp_seen *s = &c->msgs[o->msg].seen[o->point];
		if (s->count++ == 0) {
			s->first_us = o->us;
			s->first_frame = o->frame;
		}
		s->last_us = o->us;
	}
	if (!c->obs_first)
		return; /* out of memory: cmp_obs_at finds nothing */
	size_t i = 0;
	for (size_t m = 0; m <= c->n_msgs; m++) {
		while (i < c->n_obs && c->obs[i].msg < m)
			i++;
		c->obs_first[m] = (uint32_t)i;
	}
	ike_pairmap_free(&c->by_exchange);
	for (size_t m = 0; m < c->n_msgs; m++) {
		uint64_t a, b;
		uint32_t v;
		cmp_exchange_key(&c->msgs[m], c->msgs[m].response, &a, &b);
		if (!ike_pairmap_get(&c->by_exchange, a, b, &v))
			(void)ike_pairmap_put(&c->by_exchange, a, b, (uint32_t)m); /* OOM: the pair goes unused */
	}
}

const struct cmp_obs *cmp_obs_at(const struct ike_compare *c, uint32_t msg, unsigned p, size_t *n)
{
	*n = 0;
	if (!c->obs_first || msg >= c->n_msgs)
		return NULL;
	size_t lo = c->obs_first[msg], hi = c->obs_first[msg + 1];
	while (lo < hi && c->obs[lo].point < p)
		lo++;
	size_t end = lo;
	while (end < hi && c->obs[end].point == p)
		end++;
	*n = end - lo;
	return *n ? &c->obs[lo] : NULL;
}

bool cmp_partner(const struct ike_compare *c, uint32_t msg, uint32_t *out)
{
	uint64_t a, b;
	cmp_exchange_key(&c->msgs[msg], !c->msgs[msg].response, &a, &b);
	return ike_pairmap_get(&c->by_exchange, a, b, out);
}

/* At point p: the first response copy and the request copy it answers (the
 * last one before it). */
static bool answered_at(const struct ike_compare *c, uint32_t req, uint32_t resp, unsigned p, int64_t *t_req,
			int64_t *t_resp)
{
	size_t nq, ns;
	const struct cmp_obs *q = cmp_obs_at(c, req, p, &nq);
	const struct cmp_obs *s = cmp_obs_at(c, resp, p, &ns);
	if (!nq || !ns)
		return false;
	*t_resp = s[0].us;
	bool any = false;
	for (size_t i = 0; i < nq && q[i].us <= s[0].us; i++) {
		*t_req = q[i].us;
		any = true;
	}
	return any;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static int64_t median(int64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_i64);
	return n % 2 ? v[n / 2] : v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

struct pair_est {
	uint32_t n;
	int64_t offset, delay; /* b minus a; one-way */
	bool one_way;          /* from messages in one direction only: delay unknown */
};

static void estimate_pair(const struct ike_compare *c, unsigned a, unsigned b, int64_t *off, int64_t *del,
			  struct pair_est *out)
{
	size_t n = 0;
	for (uint32_t m = 0; m < c->n_msgs; m++) {
		uint32_t req;
		if (!c->msgs[m].response || !cmp_partner(c, m, &req))
			continue;
		int64_t aq, as, bq, bs;
		if (!answered_at(c, req, m, a, &aq, &as) || !answered_at(c, req, m, b, &bq, &bs))
			continue;
		int64_t dq = bq - aq, ds = bs - as;
		off[n] = (dq + ds) / 2;
		del[n] = (dq > ds ? dq - ds : ds - dq) / 2;
		n++;
	}
	out->n = (uint32_t)n;
	if (n) {
		out->offset = median(off, n);
		out->delay = median(del, n);
		return;
	}
	/* no answer crossed: every pairing of the copies both points saw of one
	 * message; the true ones pile up at offset + delay, pairings of different
	 * transmissions scatter by retransmission intervals */
	size_t cap = c->n_obs * 4 + 64;
	if (cap > ONE_WAY_MAX_PAIRS)
		cap = ONE_WAY_MAX_PAIRS;
	int64_t *d = malloc(cap * sizeof(*d));
	if (!d)
		return;
	off = d;
	for (uint32_t m = 0; m < c->n_msgs && n < cap; m++) {
		size_t na, nb;
		const struct cmp_obs *x = cmp_obs_at(c, m, a, &na);
		const struct cmp_obs *y = cmp_obs_at(c, m, b, &nb);
		for (size_t i = 0; i < na && n < cap; i++)
			for (size_t j = 0; j < nb && n < cap; j++)
				off[n++] = y[j].us - x[i].us;
	}
	if (!n) {
		free(d);
		return;
	}
	qsort(off, n, sizeof(*off), cmp_i64);
	size_t best_i = 0, best_n = 0;
	for (size_t i = 0, j = 0; i < n; i++) {
		if (j < i)
			j = i;
		while (j + 1 < n && off[j + 1] - off[i] <= ONE_WAY_CLUSTER_US)
			j++;
		size_t k = j - i + 1;
		int64_t mid = off[i + (j - i) / 2], bmid = off[best_i + (best_n ? best_n - 1 : 0) / 2];
		if (k > best_n || (k == best_n && llabs(mid) < llabs(bmid))) {
			best_n = k;
			best_i = i;
		}
	}
	out->n = (uint32_t)best_n;
	out->offset = off[best_i + (best_n - 1) / 2];
	out->one_way = true;
	free(d);
}

void cmp_clock(struct ike_compare *c)
{
	unsigned np = c->n_points;
	struct pair_est est[IKE_CMP_MAX_POINTS][IKE_CMP_MAX_POINTS];
	memset(est, 0, sizeof(est));
	int64_t *off = malloc((c->n_msgs + 1) * sizeof(*off));
	int64_t *del = malloc((c->n_msgs + 1) * sizeof(*del));
	if (off && del)
		for (unsigned a = 0; a < np; a++)
			for (unsigned b = a + 1; b < np; b++)
				if (cmp_is_capture(c, a) && cmp_is_capture(c, b))
					estimate_pair(c, a, b, off, del, &est[a][b]);
	free(off);
	free(del);

	/* offsets from the first capture point, through others when there is no common exchange */
	bool known[IKE_CMP_MAX_POINTS] = {false};
	int64_t at[IKE_CMP_MAX_POINTS] = {0};
	uint32_t samples[IKE_CMP_MAX_POINTS] = {0};
	bool one_way[IKE_CMP_MAX_POINTS] = {false};
	int ref = -1;
	for (unsigned p = 0; p < np && ref < 0; p++)
		if (cmp_is_capture(c, p))
			ref = (int)p;
	if (ref >= 0)
		known[ref] = true;
	/* pairs with answers first; one-way pairs only for points left over */
	for (int pass = 0; pass < 2; pass++)
		for (bool grew = true; grew;) {
			grew = false;
			for (unsigned a = 0; a < np; a++)
				for (unsigned b = a + 1; b < np; b++) {
					const struct pair_est *e = &est[a][b];
					if (!e->n || known[a] == known[b] || (e->one_way && pass == 0))
						continue;
					unsigned to = known[a] ? b : a;
					at[to] = known[a] ? at[a] + e->offset : at[b] - e->offset;
					samples[to] = e->n;
					one_way[to] = e->one_way;
					known[to] = true;
					grew = true;
				}
		}
	/* a log point: its capture's offset, less the log's own */
	for (unsigned p = 0; p < np; p++) {
		if (cmp_is_capture(c, p) || !c->logs[p])
			continue;
		int cap = c->logs[p]->capture;
		if (cap < 0 || !c->log_found[p] || !known[cap])
			continue;
		at[p] = at[cap] - c->log_offset[p];
		known[p] = true;
		c->points[p].offset_from_log = true;
	}
	c->sum.reference = ref;
	for (unsigned p = 0; p < np; p++) {
		struct ike_cmp_point *pt = &c->points[p];
		pt->offset_known = known[p];
		pt->offset_us = known[p] ? at[p] : 0;
		pt->offset_samples = samples[p];
		pt->offset_one_way = one_way[p];
		pt->delay_us = -1;
		pt->delay_samples = 0;
		if (p > 0 && est[p - 1][p].n && !est[p - 1][p].one_way) {
			pt->delay_us = est[p - 1][p].delay;
			pt->delay_samples = est[p - 1][p].n;
		}
	}
}
