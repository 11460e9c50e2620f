/*
 * stream.c — a tracker with a sink keeps its records within a memory budget.
 *
 * Past half the budget it looks for IKE SAs that are over: quiet for the
 * settle time (longer than any retransmission schedule and DPD interval, so
 * nothing but a straggler can still arrive for them) and not waiting for a
 * successor that only lineage would find (that wait ends after WAIT_SETTLES
 * settle times: without keys every SA that rekeyed a child SA may have one). It finishes those SAs exactly as
 * ike_tracker_finish() would, hands them to the sink in order, drops them and
 * compacts the arrays and maps. Past the whole budget it also finishes the SAs
 * quiet the longest, over or not, down to half the budget, and counts them
 * (sas_forced): a message arriving later for one of them opens a new record.
 * Either way memory stays within the budget whatever the length of the
 * capture; looking again waits until the records or the capture time have
 * grown by an eighth, so a capture where nothing is over stays linear.
 */
#include <stdlib.h>

#include "track/track_int.h"

/* Index bytes beside each record: two half-full pairmap slots per exchange
 * and its place in its SA's list; two map slots and the list header per SA. */
#define X_INDEX_BYTES 56
/* An SA that may still be followed by a rekeyed one is kept this many settle
 * times (an hour at the default): a successor that carried no IKE message for
 * longer is not told from a new tunnel. */
#define WAIT_SETTLES 6
#define SA_INDEX_BYTES 96

static size_t x_bytes(void) { return sizeof(struct trk_x) + X_INDEX_BYTES; }
static size_t sa_bytes(const struct trk_sa *s) { return sizeof(*s) + SA_INDEX_BYTES + s->n_xs * x_bytes(); }
static size_t held(const struct ike_tracker *t)
{
	return t->n_xs * x_bytes() + t->n_sas * (sizeof(struct trk_sa) + SA_INDEX_BYTES);
}

/* Drops the SAs marked going and their exchanges, keeping the order of
 * everything else; rebuilds the maps and the restart ring with the new
 * positions. Never allocates: the maps keep their tables. */
static void compact(struct ike_tracker *t)
{
	/* New positions: exchanges first (theirs interleave across SAs), then SAs. */
	for (size_t i = 0; i < t->n_sas; i++)
		for (uint32_t j = 0; j < t->sas[i].n_xs; j++)
			t->xs[t->sas[i].xs[j]].moved_to = t->sas[i].going ? UINT32_MAX : 0;
	uint32_t nx = 0, ns = 0;
	for (size_t k = 0; k < t->n_xs; k++)
		if (t->xs[k].moved_to != UINT32_MAX)
			t->xs[k].moved_to = nx++;
	for (size_t i = 0; i < t->n_sas; i++) {
		struct trk_sa *s = &t->sas[i];
		s->moved_to = s->going ? UINT32_MAX : ns++;
		for (uint32_t j = 0; j < s->n_xs && !s->going; j++)
			s->xs[j] = t->xs[s->xs[j]].moved_to;
	}

	/* Restarts still waiting for a new IKE_SA_INIT, oldest first. */
	struct trk_restart ring[TRK_RESTARTS];
	unsigned kept = 0;
	for (unsigned r = 0; r < t->n_restarts; r++) {
		struct trk_restart x = t->restarts[(t->next_restart + TRK_RESTARTS - t->n_restarts + r) % TRK_RESTARTS];
		if (t->sas[x.sa].going)
			continue;
		x.sa = t->sas[x.sa].moved_to;
		ring[kept++] = x;
	}
	for (unsigned r = 0; r < kept; r++)
		t->restarts[r] = ring[r];
	t->n_restarts = kept;
	t->next_restart = kept % TRK_RESTARTS;

	/* Move down; a target is never past its source. */
	for (size_t k = 0; k < t->n_xs; k++)
		if (t->xs[k].moved_to != UINT32_MAX)
			t->xs[t->xs[k].moved_to] = t->xs[k];
	for (size_t i = 0; i < t->n_sas; i++) {
		if (t->sas[i].going)
			free(t->sas[i].xs);
		else
			t->sas[t->sas[i].moved_to] = t->sas[i];
	}
	t->n_xs = nx;
	t->n_sas = ns;

	/* The maps, put back in creation order so that a reused (ispi, 0) names the
	 * newest attempt, as it did. Fewer keys than before: no put can fail. */
	ike_pairmap_clear(&t->sa_map);
	ike_pairmap_clear(&t->x_map);
	for (size_t i = 0; i < t->n_sas; i++) {
		const struct trk_sa *s = &t->sas[i];
		if (s->half_open_key)
			(void)ike_pairmap_put(&t->sa_map, s->r.ispi, 0, (uint32_t)i);
		if (s->r.rspi)
			(void)ike_pairmap_put(&t->sa_map, s->r.ispi, s->r.rspi, (uint32_t)i);
	}
	for (size_t k = 0; k < t->n_xs; k++) {
		const struct ike_exchange_rec *r = &t->xs[k].r;
		(void)ike_pairmap_put(&t->x_map, (uint64_t)r->sa << 1 | r->by_initiator, r->mid, (uint32_t)k);
	}
}

/* Finishes SA i at the current capture time and hands it to the sink. */
static void hand_out(struct ike_tracker *t, size_t i, int64_t end_us)
{
	struct trk_sa *s = &t->sas[i];
	trk_infer_sa(t, i, end_us);
	s->r.n_exchanges = s->n_xs;
	s->r.first_exchange = 0;
	t->opts.sink(t->opts.sink_ctx, t, &s->r);
}

struct quiet {
	int64_t last_us;
	uint32_t pos;
};

static int by_quiet(const void *a, const void *b)
{
	const struct quiet *x = a, *y = b;
	if (x->last_us != y->last_us)
		return x->last_us < y->last_us ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Past the whole budget: marks the SAs quiet the longest until what stays is
 * within half of it. Returns IKE_E_NOMEM when the sort cannot be allocated. */
static enum ike_err force(struct ike_tracker *t, size_t stays)
{
	struct quiet *q = malloc((t->n_sas ? t->n_sas : 1) * sizeof(*q));
	if (!q)
		return IKE_E_NOMEM;
	size_t n = 0;
	for (size_t i = 0; i < t->n_sas; i++)
		if (!t->sas[i].going)
			q[n++] = (struct quiet){t->sas[i].r.last_us, (uint32_t)i};
	qsort(q, n, sizeof(*q), by_quiet);
	for (size_t k = 0; k < n && stays > t->opts.budget / 2; k++) {
		struct trk_sa *s = &t->sas[q[k].pos];
		s->going = true;
		stays -= sa_bytes(s);
		t->st.sas_forced++;
	}
	free(q);
	return IKE_OK;
}

enum ike_err trk_stream_check(struct ike_tracker *t)
{
	size_t h = held(t);
	if (h < t->opts.budget / 2)
		return IKE_OK;
	/* A look costs a pass over what is held: take one when the records have
	 * grown by a sixteenth of the budget, or when capture time has moved on
	 * and as many messages came as there are exchanges held, a quarter. */
	bool grown = h >= t->next_check, later = t->now_us >= t->next_check_us &&
						  t->st.messages - t->msgs_at_check >= t->n_xs / 4 + 64;
	if (h <= t->opts.budget && !grown && !later)
		return IKE_OK;
	t->msgs_at_check = t->st.messages;

	/* Everything the finish would know about the SAs held, lineage included,
	 * so that an SA waiting for its successor is seen as such. */
	trk_infer_outcomes(t);
	for (size_t i = 0; i < t->n_sas; i++)
		trk_infer_lineage(t, i);
	size_t stays = h;
	for (size_t i = 0; i < t->n_sas; i++) {
		struct trk_sa *s = &t->sas[i];
		int64_t quiet = t->now_us - s->r.last_us;
		s->going = quiet >= t->opts.settle_us &&
			   (quiet >= WAIT_SETTLES * t->opts.settle_us || !trk_may_have_successor(t, i));
		if (s->going)
			stays -= sa_bytes(s);
	}
	enum ike_err e = IKE_OK;
	if (stays > t->opts.budget)
		e = force(t, stays);
	/* The compaction costs a pass too: worth it for an eighth of the budget, or
	 * when over it; SAs that are over can wait in memory until then. */
	size_t out = 0;
	if (h - stays >= t->opts.budget / 8 || h > t->opts.budget) {
		for (size_t i = 0; i < t->n_sas; i++) {
			if (!t->sas[i].going)
				continue;
			hand_out(t, i, t->now_us);
			out++;
		}
	} else {
		for (size_t i = 0; i < t->n_sas; i++)
			t->sas[i].going = false;
	}
	t->st.sas_streamed += out;
	if (out)
		compact(t);
	h = held(t);
	t->next_check = h + t->opts.budget / 16;
	t->next_check_us = t->now_us + t->opts.settle_us / 8;
	return e;
}

void trk_stream_rest(struct ike_tracker *t)
{
	for (size_t i = 0; i < t->n_sas; i++)
		t->opts.sink(t->opts.sink_ctx, t, &t->sas[i].r);
}
