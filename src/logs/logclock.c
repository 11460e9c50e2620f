/*
 * logclock.c — the offset between a log's clock and a capture's.
 *
 * charon logs every datagram it sends or receives with its addresses, ports
 * and IKE length; the capture has the same facts with its own clock. Each
 * log line is paired with every capture message that agrees on all of them
 * within the search window; the differences of true pairs pile up around
 * the real offset (within the log's 1-second resolution) while accidental
 * pairs (same-size DPDs minutes apart) scatter. The densest 2-second cluster
 * wins and its median is the offset.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikescope/log.h"

#define MAX_PAIRS (1u << 18) /* candidate pairs kept; 6 MiB while estimating */
#define CLUSTER_USEC 2000000

struct cap_msg {
	int64_t us;
	struct ike_addr src, dst;
	uint16_t sport, dport;
	uint32_t len;
	int year;
};

struct log_pkt {
	struct ike_log_time t;
	struct ike_log_host from, to;
	uint32_t bytes;
};

struct pair {
	int64_t diff;
	uint32_t line; /* index into pkts */
	int year;
};

struct ike_log_clock {
	struct cap_msg *msgs;
	size_t n_msgs;
	struct log_pkt *pkts;
	size_t n_pkts;
	bool capped;
};

struct ike_log_clock *ike_log_clock_new(void)
{
	struct ike_log_clock *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->msgs = calloc(IKE_LOG_CLOCK_MAX, sizeof(*c->msgs));
	c->pkts = calloc(IKE_LOG_CLOCK_MAX, sizeof(*c->pkts));
	if (!c->msgs || !c->pkts) {
		ike_log_clock_free(c);
		return NULL;
	}
	return c;
}

void ike_log_clock_free(struct ike_log_clock *c)
{
	if (!c)
		return;
	free(c->msgs);
	free(c->pkts);
	free(c);
}

void ike_log_clock_add_msg(struct ike_log_clock *c, const struct ike_msg *m)
{
	if (c->n_msgs == IKE_LOG_CLOCK_MAX) {
		c->capped = true;
		return;
	}
	struct cap_msg *x = &c->msgs[c->n_msgs++];
	x->us = m->at.ts_sec * 1000000 + m->at.ts_usec;
	x->src = m->at.src;
	x->dst = m->at.dst;
	x->sport = m->at.sport;
	x->dport = m->at.dport;
	x->len = m->length;
	time_t tt = (time_t)m->at.ts_sec;
	struct tm tm;
	x->year = gmtime_r(&tt, &tm) ? tm.tm_year + 1900 : 0;
}

void ike_log_clock_add_event(struct ike_log_clock *c, const struct ike_log_event *ev)
{
	if ((ev->kind != IKE_LOG_PKT_SENT && ev->kind != IKE_LOG_PKT_RECEIVED) || !ev->u.pkt.has_bytes ||
	    !ev->t.has_time)
		return;
	if (c->n_pkts == IKE_LOG_CLOCK_MAX) {
		c->capped = true;
		return;
	}
	struct log_pkt *p = &c->pkts[c->n_pkts++];
	p->t = ev->t;
	p->from = ev->u.pkt.from;
	p->to = ev->u.pkt.to;
	p->bytes = ev->u.pkt.bytes;
}

static bool same_addr(const struct ike_addr *a, const struct ike_addr *b)
{
	size_t n = a->family == 4 ? 4 : 16;
	return a->family == b->family && memcmp(a->a, b->a, n) == 0;
}

static int by_len(const void *a, const void *b)
{
	const struct cap_msg *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->us > y->us) - (x->us < y->us);
}

static int by_diff(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->diff != y->diff)
		return x->diff < y->diff ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

void ike_log_clock_estimate(struct ike_log_clock *c, int64_t window_sec, struct ike_log_clock_result *out)
{
	memset(out, 0, sizeof(*out));
	out->capped = c->capped;
	int64_t window = window_sec * 1000000;
	qsort(c->msgs, c->n_msgs, sizeof(*c->msgs), by_len);
	struct pair *pairs = malloc(MAX_PAIRS * sizeof(*pairs));
	uint8_t *seen = calloc(c->n_pkts ? c->n_pkts : 1, 1);
	if (!pairs || !seen) {
		free(pairs);
		free(seen);
		return;
	}
	size_t np = 0;
	for (size_t i = 0; i < c->n_pkts; i++) {
		const struct log_pkt *p = &c->pkts[i];
		out->log_packets++;
		/* first message of that length */
		size_t lo = 0, hi = c->n_msgs;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->msgs[mid].len < p->bytes)
				lo = mid + 1;
			else
				hi = mid;
		}
		bool any = false;
		for (size_t k = lo; k < c->n_msgs && c->msgs[k].len == p->bytes; k++) {
			const struct cap_msg *m = &c->msgs[k];
			if (m->sport != p->from.port || m->dport != p->to.port || !same_addr(&m->src, &p->from.addr) ||
			    !same_addr(&m->dst, &p->to.addr))
				continue;
			/* a line without a year takes the capture's, or its neighbours' at New Year */
			int years[3] = {0, 0, 0}, ny = 1;
			if (!p->t.has_year && m->year) {
				years[0] = m->year;
				years[1] = m->year - 1;
				years[2] = m->year + 1;
				ny = 3;
			}
			for (int y = 0; y < ny; y++) {
				int64_t sec = p->t.sec;
				if (years[y])
					sec += ike_log_civil_sec(&p->t, years[y]) -
					       ike_log_civil_sec(&p->t, IKE_LOG_NOMINAL_YEAR);
				int64_t diff = m->us - (sec * 1000000 + p->t.usec);
				if (abs64(diff) > window)
					continue;
				if (np == MAX_PAIRS) {
					out->capped = true;
					continue;
				}
				pairs[np++] = (struct pair){diff, (uint32_t)i, years[y]};
				any = true;
			}
		}
		out->matched += any;
	}
	qsort(pairs, np, sizeof(*pairs), by_diff);
	/* densest window of CLUSTER_USEC; ties: the one whose middle is nearest zero */
	size_t best_i = 0, best_j = 0, best_n = 0;
	int64_t best_mid = 0;
	for (size_t i = 0, j = 0; i < np; i++) {
		if (j < i)
			j = i;
		while (j + 1 < np && pairs[j + 1].diff - pairs[i].diff <= CLUSTER_USEC)
			j++;
		size_t n = j - i + 1;
		int64_t mid = pairs[i + (j - i) / 2].diff;
		if (n > best_n || (n == best_n && abs64(mid) < abs64(best_mid))) {
			best_n = n;
			best_i = i;
			best_j = j;
			best_mid = mid;
		}
	}
	if (best_n) {
		out->found = true;
		out->offset_usec = best_mid;
		for (size_t k = best_i; k <= best_j; k++) {
			if (!seen[pairs[k].line]) {
				seen[pairs[k].line] = 1;
				out->support++;
			}
		}
		out->year = pairs[best_i + (best_j - best_i) / 2].year;
	}
	free(pairs);
	free(seen);
}
