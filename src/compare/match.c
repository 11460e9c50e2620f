/*
 * match.c — from observations to transmissions and verdicts.
 *
 * Which way a message travels: where it was seen at two points, the clock-
 * corrected times say (the copy at the later point along its way comes
 * later); where it was seen at one end only, that end sent it. Every message
 * of an IKE SA then votes on the way its initiator's messages travel (the I
 * flag tells which side sent it), so a message seen once, at a tap, still
 * gets the direction of its side.
 *
 * Transmissions: the points are walked in the message's direction; a copy
 * joins the transmission whose clock-corrected time is nearest (within
 * IKE_CMP_MATCH_WINDOW_US), or starts a new one. A transmission that did not
 * reach its end is lost between the last point that saw it and the next one
 * that was capturing at that time; when none after it was, it is not-covered.
 */
#include <stdlib.h>
#include <string.h>

#include "compare/cmp_int.h"

#define LOG_SLACK_US 1000000 /* charon logs have 1-second resolution */

static int64_t corr(const struct ike_compare *c, unsigned p, int64_t us)
{
	return us - c->points[p].offset_us;
}

static bool covers(const struct ike_compare *c, unsigned p, int64_t ref_us)
{
	const struct ike_cmp_point *pt = &c->points[p];
	if (!pt->covered)
		return false;
	int64_t slack = pt->kind == IKE_CMP_LOG ? LOG_SLACK_US : 0;
	int64_t t = ref_us + pt->offset_us;
	return t >= pt->first_us - slack && t <= pt->last_us + slack;
}

/* +1 toward the last point, -1 toward the first, 0 undecided. *timed: from times at two points. */
static int own_vote(const struct ike_compare *c, uint32_t m, bool *timed)
{
	const struct ike_cmp_msg *x = &c->msgs[m];
	int lo = -1, hi = -1;
	for (unsigned p = 0; p < c->n_points; p++)
		if (x->seen[p].count) {
			if (lo < 0)
				lo = (int)p;
			hi = (int)p;
		}
	*timed = false;
	if (lo < 0)
		return 0;
	/* times say which way only between captures (logs have seconds) whose
	 * clocks were set from answers that crossed: a one-way offset has the
	 * delay in it, leaving no sign */
	int clo = -1, chi = -1;
	for (unsigned p = 0; p < c->n_points; p++)
		if (x->seen[p].count && c->points[p].kind == IKE_CMP_CAPTURE) {
			if (clo < 0)
				clo = (int)p;
			chi = (int)p;
		}
	const struct ike_cmp_point *pl = clo >= 0 ? &c->points[clo] : NULL, *ph = chi >= 0 ? &c->points[chi] : NULL;
	if (clo >= 0 && clo < chi && pl->offset_known && ph->offset_known && !pl->offset_one_way &&
	    !ph->offset_one_way) {
		size_t na, nb;
		const struct cmp_obs *a = cmp_obs_at(c, m, (unsigned)clo, &na);
		const struct cmp_obs *b = cmp_obs_at(c, m, (unsigned)chi, &nb);
		/* the nearest pair of copies: both lists are in time order */
		int64_t best = INT64_MAX, diff = 0;
		size_t j = 0;
		for (size_t i = 0; i < na; i++) {
			int64_t ta = corr(c, (unsigned)clo, a[i].us);
			while (j + 1 < nb && corr(c, (unsigned)chi, b[j + 1].us) <= ta)
				j++;
			for (size_t k = j; k < nb && k <= j + 1; k++) {
				int64_t d = corr(c, (unsigned)chi, b[k].us) - ta;
				int64_t ad = d < 0 ? -d : d;
				if (ad < best) {
					best = ad;
					diff = d;
				}
			}
		}
		if (diff != 0) {
			*timed = true;
			return diff > 0 ? 1 : -1;
		}
	}
	/* a charon log says whether its end sent or received it */
	if (c->log_vote && c->log_vote[m])
		return c->log_vote[m] > 0 ? 1 : -1;
	/* seen at one end only: that end sent it, if a point further along was
	 * capturing then and did not see it (else it may just be outside them) */
	size_t n;
	const struct cmp_obs *o = cmp_obs_at(c, m, (unsigned)lo, &n);
	unsigned last = c->n_points - 1;
	for (size_t i = 0; i < n; i++) {
		int64_t ref = corr(c, (unsigned)lo, o[i].us);
		if (lo == 0 && (unsigned)hi < last)
			for (unsigned p = (unsigned)hi + 1; p <= last; p++)
				if (covers(c, p, ref))
					return 1;
		if (lo > 0 && (unsigned)hi == last)
			for (unsigned p = 0; p < (unsigned)lo; p++)
				if (covers(c, p, ref))
					return -1;
	}
	return 0;
}

/* The last resort, when nothing else tells: seen at the first point and never
 * at the last one, it most likely left from the first's end (and the other
 * way round) — whether the other end's capture ran then or not. */
static int weak_vote(const struct ike_compare *c, uint32_t m)
{
	const struct ike_cmp_msg *x = &c->msgs[m];
	unsigned last = c->n_points - 1;
	if (x->seen[0].count && !x->seen[last].count)
		return 1;
	if (!x->seen[0].count && x->seen[last].count)
		return -1;
	return 0;
}

/* ---- SAs and directions -------------------------------------------------- */

static int group_sas(struct ike_compare *c, uint32_t *sa_of)
{
	struct ike_pairmap by_spi = {0};
	free(c->sas);
	c->sas = NULL;
	c->n_sas = 0;
	size_t cap = 0;
	for (uint32_t m = 0; m < c->n_msgs; m++) {
		const struct ike_cmp_msg *x = &c->msgs[m];
		uint32_t s;
		if (!ike_pairmap_get(&by_spi, x->ispi, 0, &s)) {
			if (c->n_sas == cap) {
				cap = cap ? cap * 2 : 64;
				struct ike_cmp_sa *n = realloc(c->sas, cap * sizeof(*n));
				if (!n)
					goto oom;
				c->sas = n;
			}
			s = (uint32_t)c->n_sas;
			c->sas[c->n_sas++] = (struct ike_cmp_sa){.ispi = x->ispi, .first_us = INT64_MAX};
			if (ike_pairmap_put(&by_spi, x->ispi, 0, s) != 0)
				goto oom;
		}
		if (x->rspi && !c->sas[s].rspi)
			c->sas[s].rspi = x->rspi;
		sa_of[m] = s;
	}
	ike_pairmap_free(&by_spi);
	return 0;
oom:
	ike_pairmap_free(&by_spi);
	return -1;
}

static int sign(int v)
{
	return v > 0 ? 1 : v < 0 ? -1 : 0;
}

static enum ike_cmp_dir dir_of(int v)
{
	return v > 0 ? IKE_CMP_TOWARD_PEER : v < 0 ? IKE_CMP_TOWARD_LOCAL : IKE_CMP_DIR_UNKNOWN;
}

static void directions(struct ike_compare *c, const uint32_t *sa_of, int *votes, bool *timed)
{
	int *sa_vote = calloc(c->n_sas + 1, sizeof(*sa_vote));
	int *sa_weak = calloc(c->n_sas + 1, sizeof(*sa_weak));
	for (uint32_t m = 0; m < c->n_msgs; m++) {
		votes[m] = own_vote(c, m, &timed[m]);
		int w = weak_vote(c, m);
		if (sa_vote && sa_weak) {
			sa_vote[sa_of[m]] += c->msgs[m].initiator ? votes[m] : -votes[m];
			sa_weak[sa_of[m]] += c->msgs[m].initiator ? w : -w;
		}
		if (!votes[m])
			votes[m] = w; /* for a message whose IKE SA says nothing either */
	}
	/* an SA with no vote of its own: the side that initiated the others (one
	 * end usually initiates them all); then the weak votes */
	int all = 0;
	for (size_t s = 0; s < c->n_sas; s++) {
		int v = sa_vote ? sa_vote[s] : 0;
		all += sign(v);
		c->sas[s].initiator_dir = dir_of(v);
	}
	for (size_t s = 0; s < c->n_sas; s++)
		if (c->sas[s].initiator_dir == IKE_CMP_DIR_UNKNOWN)
			c->sas[s].initiator_dir = dir_of(all ? all : sa_weak ? sa_weak[s] : 0);
	for (uint32_t m = 0; m < c->n_msgs; m++) {
		struct ike_cmp_msg *x = &c->msgs[m];
		enum ike_cmp_dir d = c->sas[sa_of[m]].initiator_dir;
		if (d != IKE_CMP_DIR_UNKNOWN && !x->initiator)
			d = d == IKE_CMP_TOWARD_PEER ? IKE_CMP_TOWARD_LOCAL : IKE_CMP_TOWARD_PEER;
		if (d == IKE_CMP_DIR_UNKNOWN)
			d = dir_of(votes[m]);
		x->dir = d;
		x->dir_inferred = !timed[m];
	}
	free(sa_vote);
	free(sa_weak);
}

/* ---- transmissions ------------------------------------------------------- */

struct work_tx {
	int64_t ref; /* corrected time where first seen */
	int64_t at[IKE_CMP_MAX_POINTS];
};

static int by_ref(const void *x, const void *y)
{
	const struct work_tx *a = x, *b = y;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

static void path_order(const struct ike_compare *c, enum ike_cmp_dir d, unsigned *ord)
{
	for (unsigned k = 0; k < c->n_points; k++)
		ord[k] = d == IKE_CMP_TOWARD_LOCAL ? c->n_points - 1 - k : k;
}

static void judge(const struct ike_compare *c, const unsigned *ord, struct ike_cmp_tx *t, int64_t ref)
{
	unsigned np = c->n_points;
	int e = -1; /* the last position along the way that saw it */
	for (unsigned k = 0; k < np; k++)
		if (t->at_us[ord[k]] >= 0)
			e = (int)k;
	t->lost_after = t->lost_before = t->uncovered = -1;
	int stop = (int)np; /* positions from here on are beyond the loss */
	if (e == (int)np - 1) {
		t->status = IKE_CMP_DELIVERED;
	} else {
		int k;
		for (k = e + 1; k < (int)np && !covers(c, ord[k], ref); k++)
			;
		if (k < (int)np) {
			t->status = IKE_CMP_LOST;
			t->lost_after = (int)ord[e];
			t->lost_before = (int)ord[k];
			stop = k + 1;
		} else {
			t->status = IKE_CMP_NOT_COVERED;
			t->uncovered = (int)ord[e + 1];
		}
	}
	for (unsigned k = 0; k < np; k++) {
		unsigned p = ord[k];
		if (t->at_us[p] >= 0)
			t->at[p] = IKE_CMP_AT_SEEN;
		else if ((int)k >= stop)
			t->at[p] = IKE_CMP_AT_BEYOND;
		else
			t->at[p] = covers(c, p, ref) ? IKE_CMP_AT_MISSING : IKE_CMP_AT_NOT_COVERED;
	}
}

static int push_tx(struct ike_compare *c, const struct ike_cmp_tx *t)
{
	if (c->n_tx == c->cap_tx) {
		size_t cap = c->cap_tx ? c->cap_tx * 2 : 1024;
		struct ike_cmp_tx *n = realloc(c->tx, cap * sizeof(*n));
		if (!n)
			return -1;
		c->tx = n;
		c->cap_tx = cap;
	}
	c->tx[c->n_tx++] = *t;
	return 0;
}

/* Builds message m's transmissions (appended to c->tx) and its verdict. */
static int transmissions(struct ike_compare *c, uint32_t m, struct work_tx *w, size_t wcap)
{
	struct ike_cmp_msg *x = &c->msgs[m];
	unsigned ord[IKE_CMP_MAX_POINTS];
	path_order(c, x->dir, ord);
	size_t n = 0;
	/* captures first: their µs times anchor the transmissions, the log
	 * lines (to the second) then join the nearest */
	for (unsigned step = 0; step < 2 * c->n_points; step++) {
		unsigned p = ord[step % c->n_points];
		if ((c->points[p].kind == IKE_CMP_LOG) != (step >= c->n_points))
			continue;
		size_t no;
		const struct cmp_obs *o = cmp_obs_at(c, m, p, &no);
		int64_t window = IKE_CMP_MATCH_WINDOW_US + (c->points[p].kind == IKE_CMP_LOG ? LOG_SLACK_US : 0);
		for (size_t i = 0; i < no; i++) {
			int64_t tc = corr(c, p, o[i].us);
			size_t best = n;
			int64_t best_d = window + 1;
			for (size_t j = 0; j < n; j++) {
				int64_t d = w[j].ref > tc ? w[j].ref - tc : tc - w[j].ref;
				if (w[j].at[p] < 0 && d < best_d) {
					best_d = d;
					best = j;
				}
			}
			if (best == n) {
				if (n == wcap) {
					x->tx_dropped++;
					c->st.tx_dropped++;
					continue;
				}
				w[n].ref = tc;
				for (unsigned q = 0; q < IKE_CMP_MAX_POINTS; q++)
					w[n].at[q] = -1;
				n++;
			}
			w[best].at[p] = o[i].us;
		}
	}
	qsort(w, n, sizeof(*w), by_ref);
	x->first_tx = (uint32_t)c->n_tx;
	x->n_tx = 0;
	x->first_us = n ? w[0].ref : -1;
	x->origin = (int)ord[0];
	/* a request's answer, wherever it was seen, says the copy before it got through */
	int64_t answer_us = -1;
	uint32_t resp;
	if (!x->response && cmp_partner(c, m, &resp))
		for (unsigned p = 0; p < c->n_points; p++) {
			size_t na;
			const struct cmp_obs *o = cmp_obs_at(c, resp, p, &na);
			if (na && (answer_us < 0 || corr(c, p, o[0].us) < answer_us))
				answer_us = corr(c, p, o[0].us);
		}
	unsigned hop_count[IKE_CMP_MAX_POINTS] = {0};
	for (size_t j = 0; j < n; j++) {
		if (c->n_tx >= c->max_tx) {
			x->tx_dropped++;
			c->st.tx_dropped++;
			continue;
		}
		struct ike_cmp_tx t = {.msg = m, .number = (uint32_t)j + 1};
		memcpy(t.at_us, w[j].at, sizeof(t.at_us));
		judge(c, ord, &t, w[j].ref);
		if (t.status == IKE_CMP_NOT_COVERED && answer_us >= 0 && w[j].ref <= answer_us &&
		    (j + 1 == n || w[j + 1].ref > answer_us)) {
			t.status = IKE_CMP_DELIVERED;
			t.by_answer = true;
			t.uncovered = -1;
		}
		if (push_tx(c, &t) != 0)
			return -1;
		x->n_tx++;
		switch (t.status) {
		case IKE_CMP_DELIVERED: x->delivered++; break;
		case IKE_CMP_LOST:
			x->lost++;
			hop_count[t.lost_after]++;
			break;
		case IKE_CMP_NOT_COVERED: x->not_covered++; break;
		}
	}
	x->status = x->delivered ? IKE_CMP_DELIVERED : x->lost ? IKE_CMP_LOST : IKE_CMP_NOT_COVERED;
	x->lost_after = x->lost_before = -1;
	x->loss = IKE_CMP_DIR_UNKNOWN;
	if (x->lost) {
		unsigned best = 0;
		for (unsigned p = 0; p < c->n_points; p++)
			if (hop_count[p] > hop_count[best])
				best = p;
		for (uint32_t j = 0; j < x->n_tx; j++) {
			const struct ike_cmp_tx *t = &c->tx[x->first_tx + j];
			if (t->status == IKE_CMP_LOST && (unsigned)t->lost_after == best) {
				x->lost_after = t->lost_after;
				x->lost_before = t->lost_before;
				break;
			}
		}
		if (x->status == IKE_CMP_LOST)
			x->loss = x->dir;
	}
	return 0;
}

int cmp_match(struct ike_compare *c)
{
	c->n_tx = 0;
	cmp_kinds(c);
	uint32_t *sa_of = malloc((c->n_msgs + 1) * sizeof(*sa_of));
	int *votes = malloc((c->n_msgs + 1) * sizeof(*votes));
	bool *timed = malloc((c->n_msgs + 1) * sizeof(*timed));
	size_t wcap = 0;
	for (uint32_t m = 0; m < c->n_msgs; m++) {
		size_t k = 0;
		for (unsigned p = 0; p < c->n_points; p++)
			k += c->msgs[m].seen[p].count;
		if (k > wcap)
			wcap = k;
	}
	if (wcap > IKE_CMP_MAX_TX_PER_MSG)
		wcap = IKE_CMP_MAX_TX_PER_MSG; /* more copies are counted in tx_dropped */
	struct work_tx *w = malloc((wcap + 1) * sizeof(*w));
	int rc = -1;
	if (!sa_of || !votes || !timed || !w || group_sas(c, sa_of) != 0)
		goto out;
	directions(c, sa_of, votes, timed);
	for (uint32_t m = 0; m < c->n_msgs; m++)
		if (transmissions(c, m, w, wcap) != 0)
			goto out;
	if (cmp_reorder(c, sa_of) != 0)
		goto out;
	cmp_summarise(c);
	rc = 0;
out:
	free(sa_of);
	free(votes);
	free(timed);
	free(w);
	return rc;
}
