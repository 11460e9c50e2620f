/*
 * order.c — what match.c leaves to be done once the transmissions are
 * judged: the kind of each exchange from the trackers, the records in
 * reading order (IKE SAs by their first message, messages by their first
 * transmission, a request before its response), and the summary.
 */
#include <stdlib.h>
#include <string.h>

#include "compare/cmp_int.h"

/* ---- kinds from the trackers --------------------------------------------- */

/* The kind of each message's exchange, from the tracker that knows most:
 * one that decrypted it, else one that saw it answered, else any. */
void cmp_kinds(struct ike_compare *c)
{
	uint8_t *score = calloc(c->n_msgs + 1, 1);
	if (!score)
		return;
	for (unsigned p = 0; p < c->n_points; p++) {
		if (!c->trackers[p])
			continue;
		struct ike_pairmap by_x = {0};
		size_t nx = ike_tracker_n_exchanges(c->trackers[p]);
		for (size_t i = 0; i < nx; i++) {
			const struct ike_exchange_rec *r = ike_tracker_exchange(c->trackers[p], i);
			struct ike_cmp_msg key = {.ispi = r->ispi, .exchange = r->exchange, .mid = r->mid,
						  .initiator = r->by_initiator};
			uint64_t a, b;
			cmp_exchange_key(&key, false, &a, &b);
			if (ike_pairmap_put(&by_x, a, b, (uint32_t)i) != 0)
				break;
		}
		for (uint32_t m = 0; m < c->n_msgs; m++) {
			struct ike_cmp_msg *x = &c->msgs[m];
			if (!x->seen[p].count && !(x->log_only && x->ispi)) /* logs alone: its exchange's */
				continue;
			uint64_t a, b;
			uint32_t i;
			cmp_exchange_key(x, false, &a, &b);
			if (!ike_pairmap_get(&by_x, a, b, &i))
				continue;
			const struct ike_exchange_rec *r = ike_tracker_exchange(c->trackers[p], i);
			uint8_t sc = !r->inferred ? 3 : r->outcome != IKE_XO_UNANSWERED ? 2 : 1;
			if (sc <= score[m])
				continue;
			score[m] = sc;
			x->kind = r->kind;
			x->kind_inferred = r->inferred;
			x->kind_known = true;
		}
		ike_pairmap_free(&by_x);
	}
	free(score);
}

/* ---- order and summary --------------------------------------------------- */

/* What the reading order compares, copied out so the sort needs no context. */
struct order_key {
	int64_t sa_first, first_us;
	uint32_t sa, idx, mid;
	uint8_t exchange;
	bool response, by_initiator;
};

static int by_sa_then_time(const void *x, const void *y)
{
	const struct order_key *a = x, *b = y;
	if (a->sa != b->sa) {
		if (a->sa_first != b->sa_first)
			return a->sa_first < b->sa_first ? -1 : 1;
		return a->sa < b->sa ? -1 : 1;
	}
	/* a request before its response, whatever a log's seconds say */
	if (a->exchange == b->exchange && a->mid == b->mid && a->response != b->response &&
	    a->by_initiator == b->by_initiator)
		return a->response ? 1 : -1;
	if (a->first_us != b->first_us)
		return a->first_us < b->first_us ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int cmp_reorder(struct ike_compare *c, const uint32_t *sa_of)
{
	size_t n = c->n_msgs;
	uint32_t *ord = malloc((n + 1) * sizeof(*ord));
	struct order_key *keys = malloc((n + 1) * sizeof(*keys));
	struct ike_cmp_msg *msgs = malloc((n + 1) * sizeof(*msgs));
	struct ike_cmp_tx *tx = malloc((c->n_tx + 1) * sizeof(*tx));
	uint32_t *sa_rank = malloc((c->n_sas + 1) * sizeof(*sa_rank));
	struct ike_cmp_sa *sas = malloc((c->n_sas + 1) * sizeof(*sas));
	if (!ord || !keys || !msgs || !tx || !sa_rank || !sas) {
		free(ord);
		free(keys);
		free(msgs);
		free(tx);
		free(sa_rank);
		free(sas);
		return -1;
	}
	for (uint32_t m = 0; m < n; m++) {
		struct ike_cmp_sa *s = &c->sas[sa_of[m]];
		if (c->msgs[m].first_us >= 0 && c->msgs[m].first_us < s->first_us)
			s->first_us = c->msgs[m].first_us;
	}
	for (uint32_t m = 0; m < n; m++) {
		const struct ike_cmp_msg *x = &c->msgs[m];
		keys[m] = (struct order_key){.sa_first = c->sas[sa_of[m]].first_us, .first_us = x->first_us,
					     .sa = sa_of[m], .idx = m, .mid = x->mid, .exchange = x->exchange,
					     .response = x->response,
					     .by_initiator = x->response ? !x->initiator : x->initiator};
	}
	qsort(keys, n, sizeof(*keys), by_sa_then_time);
	for (uint32_t i = 0; i < n; i++)
		ord[i] = keys[i].idx;
	free(keys);
	for (size_t s = 0; s < c->n_sas; s++)
		sa_rank[s] = UINT32_MAX;
	size_t n_sas = 0, n_tx = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t m = ord[i];
		uint32_t s = sa_of[m];
		if (sa_rank[s] == UINT32_MAX) {
			sa_rank[s] = (uint32_t)n_sas;
			sas[n_sas] = c->sas[s];
			sas[n_sas].first_msg = i;
			sas[n_sas].n_msgs = 0;
			n_sas++;
		}
		sas[sa_rank[s]].n_msgs++;
		msgs[i] = c->msgs[m];
		msgs[i].sa = sa_rank[s];
		msgs[i].first_tx = (uint32_t)n_tx;
		for (uint32_t j = 0; j < c->msgs[m].n_tx; j++) {
			tx[n_tx] = c->tx[c->msgs[m].first_tx + j];
			tx[n_tx].msg = i;
			n_tx++;
		}
	}
	free(c->msgs);
	c->msgs = msgs;
	c->cap_msgs = n + 1;
	free(c->tx);
	c->tx = tx;
	c->cap_tx = c->n_tx + 1;
	free(c->sas);
	c->sas = sas;
	c->n_sas = n_sas;
	free(c->obs_first); /* observation indexes name the old order */
	c->obs_first = NULL;
	free(c->log_vote);
	c->log_vote = NULL;
	free(ord);
	free(sa_rank);
	return 0;
}

void cmp_summarise(struct ike_compare *c)
{
	int ref = c->sum.reference; /* set by cmp_clock */
	memset(&c->sum, 0, sizeof(c->sum));
	c->sum.n_points = c->n_points;
	c->sum.reference = ref;
	for (size_t m = 0; m < c->n_msgs; m++) {
		const struct ike_cmp_msg *x = &c->msgs[m];
		struct ike_cmp_dir_sum *d = x->dir == IKE_CMP_TOWARD_PEER	  ? &c->sum.toward_peer
					    : x->dir == IKE_CMP_TOWARD_LOCAL ? &c->sum.toward_local
									     : &c->sum.unknown_dir;
		d->messages++;
		d->transmissions += x->n_tx;
		d->delivered += x->delivered;
		d->lost += x->lost;
		d->not_covered += x->not_covered;
		d->messages_lost += x->status == IKE_CMP_LOST;
		for (uint32_t j = 0; j < x->n_tx; j++) {
			const struct ike_cmp_tx *t = &c->tx[x->first_tx + j];
			if (t->status == IKE_CMP_LOST) {
				d->lost_at[t->lost_after]++;
				d->lost_hop[t->lost_after][t->lost_before]++;
			}
		}
	}
}

