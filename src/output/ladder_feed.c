/*
 * ladder_feed.c — the feed of the exchanges ladder and the matching of its
 * messages into transmissions (ladder_int.h); ladder_exch.c draws them.
 *
 * The feed keeps a small record per decoded message (times, header, charon's
 * summary, a hash of the IKE bytes). With several captures of one tunnel
 * (local, ISP tap, peer) each capture is a lifeline, in the order given: the
 * same bytes seen in several captures within CLUSTER_US (after the median
 * clock offset of each capture to the first) are one transmission crossing
 * them. A transmission goes from the end of the chain where its sender sits
 * (the IKE header's Initiator flag says which side, and messages missing at
 * one end of the chain say where that side is) toward the other end; where
 * it stops being seen, it is lost after the last capture that saw it. With
 * one capture the lifelines are the endpoints, and a copy the capture proves
 * lost (a request sent again without an answer between, an answer followed
 * by the request again) is lost after its sender: one vantage point cannot
 * say where. Kinds and outcomes come from each capture's tracker, looked up
 * by frame number.
 */
#include <stdlib.h>
#include <string.h>

#include "output/ladder_int.h"

#define CLUSTER_US 500000 /* copies of one transmission seen by several taps; strongSwan never retransmits this fast */
#define COPY_SCAN 256     /* transmissions of one exchange looked at around each (a bound on hostile input) */

struct ike_ladder_feed *ike_ladder_feed_new(unsigned n_files, const char *const *names, size_t max_msgs)
{
	if (n_files == 0)
		return NULL;
	struct ike_ladder_feed *fd = calloc(1, sizeof(*fd));
	if (!fd)
		return NULL;
	fd->n_files = n_files;
	fd->names = names;
	fd->max = max_msgs ? max_msgs : IKE_LADDER_FEED_DEF_MSGS;
	return fd;
}

void ike_ladder_feed_free(struct ike_ladder_feed *fd)
{
	if (!fd)
		return;
	for (size_t i = 0; i < fd->n; i++) {
		free(fd->m[i].summary);
		free(fd->m[i].note);
	}
	free(fd->m);
	free(fd);
}

uint64_t ike_ladder_hash(const void *bytes, size_t n)
{
	const uint8_t *p = bytes;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

enum ike_err ike_ladder_feed_add_fields(struct ike_ladder_feed *fd, const struct ike_ladder_feed_msg *m)
{
	if (m->file >= fd->n_files)
		return IKE_OK;
	if (fd->n >= fd->max) {
		fd->dropped++;
		return IKE_E_LIMIT;
	}
	if (fd->n == fd->cap) {
		size_t cap = fd->cap ? fd->cap * 2 : 256;
		if (cap > fd->max)
			cap = fd->max;
		struct fmsg *p = realloc(fd->m, cap * sizeof(*p));
		if (!p)
			return IKE_E_NOMEM;
		fd->m = p;
		fd->cap = cap;
	}
	char *s = strndup(m->summary ? m->summary : "", IKE_LADDER_SUMMARY_MAX);
	char *note = m->note && m->note[0] ? strndup(m->note, IKE_LADDER_TOOLTIP) : NULL;
	if (!s || (m->note && m->note[0] && !note)) {
		free(s);
		free(note);
		return IKE_E_NOMEM;
	}
	struct fmsg *x = &fd->m[fd->n++];
	*x = (struct fmsg){
		.file = m->file, .frame = m->frame, .us = m->us, .ispi = m->ispi, .rspi = m->rspi,
		.mid = m->mid, .exchange = m->exchange, .flags = m->flags, .frag_total = m->frag_total,
		.hash = m->hash, .src = m->src, .dst = m->dst, .sport = m->sport, .dport = m->dport,
		.summary = s, .note = note,
	};
	return IKE_OK;
}

enum ike_err ike_ladder_feed_add(struct ike_ladder_feed *fd, const struct ike_msg *m)
{
	if (m->ikev1)
		return IKE_OK;
	char buf[IKE_LADDER_SUMMARY_MAX];
	ike_msg_summary(m, buf, sizeof(buf));
	struct ike_ladder_feed_msg f = {
		.file = m->at.file, .frame = m->at.frame, .us = m->at.ts_sec * 1000000 + m->at.ts_usec,
		.ispi = m->ispi, .rspi = m->rspi, .mid = m->mid, .exchange = m->exchange, .flags = m->flags,
		.frag_total = m->frag_total, .hash = ike_ladder_hash(m->raw.p, m->raw.len), .src = m->at.src,
		.dst = m->at.dst, .sport = m->at.sport, .dport = m->at.dport, .summary = buf,
	};
	return ike_ladder_feed_add_fields(fd, &f);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

struct okey {
	uint64_t hash;
	int64_t adj;
	uint32_t file, idx;
};

static int cmp_okey(const void *a, const void *b)
{
	const struct okey *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->adj != y->adj)
		return x->adj < y->adj ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Each capture's clock against the first one's: the median difference of
 * the messages both saw exactly once. 0 when they share none. k is sorted
 * by hash. */
static enum ike_err clock_offsets(struct build *b, const struct okey *k)
{
	const struct ike_ladder_feed *fd = b->fd;
	int64_t *d = malloc((fd->n ? fd->n : 1) * sizeof(*d));
	if (!d)
		return IKE_E_NOMEM;
	for (unsigned f = 1; f < b->n_files; f++) {
		size_t nd = 0;
		for (size_t i = 0; i < fd->n;) {
			size_t e = i;
			unsigned n0 = 0, nf = 0;
			int64_t t0 = 0, tf = 0;
			while (e < fd->n && k[e].hash == k[i].hash) {
				const struct fmsg *m = &fd->m[k[e++].idx];
				if (m->file == 0)
					n0++, t0 = m->us;
				else if (m->file == f)
					nf++, tf = m->us;
			}
			if (n0 == 1 && nf == 1)
				d[nd++] = tf - t0;
			i = e;
		}
		int64_t off = 0;
		if (nd) {
			qsort(d, nd, sizeof(*d), cmp_i64);
			off = d[nd / 2];
		}
		for (size_t i = 0; i < fd->n; i++)
			if (fd->m[i].file == f)
				b->adj[i] = fd->m[i].us - off;
	}
	free(d);
	return IKE_OK;
}

/* Groups the copies into transmissions: same bytes, close in time, one per capture. */
static enum ike_err cluster(struct build *b, struct okey *k)
{
	const struct ike_ladder_feed *fd = b->fd;
	b->tx = calloc(fd->n ? fd->n : 1, sizeof(*b->tx));
	if (!b->tx)
		return IKE_E_NOMEM;
	for (size_t i = 0; i < fd->n; i++)
		k[i].adj = b->adj[k[i].idx];
	qsort(k, fd->n, sizeof(*k), cmp_okey);
	struct tx *cur = NULL;
	for (size_t i = 0; i < fd->n; i++) {
		uint32_t idx = k[i].idx;
		const struct fmsg *m = &fd->m[idx];
		if (m->file >= b->n_files)
			continue;
		if (cur && cur->hash == m->hash && b->adj[idx] - cur->t <= CLUSTER_US && !(cur->seen & (1u << m->file))) {
			cur->seen |= (uint8_t)(1u << m->file);
			cur->rec[m->file] = idx;
			continue;
		}
		cur = &b->tx[b->n_tx++];
		*cur = (struct tx){.seen = (uint8_t)(1u << m->file), .first = idx, .t = b->adj[idx], .ispi = m->ispi,
				   .hash = m->hash, .mid = m->mid, .resp = fmsg_resp(m),
				   .req_init = fmsg_requester_init(m), .lost_after = -1};
		cur->rec[m->file] = idx;
	}
	return IKE_OK;
}

/* ---- the exchange each message belongs to, from its capture's tracker ---- */

static int cmp_xrec(const void *a, const void *b)
{
	const struct ike_exchange_rec *x = *(const struct ike_exchange_rec *const *)a;
	const struct ike_exchange_rec *y = *(const struct ike_exchange_rec *const *)b;
	if (x->ispi != y->ispi)
		return x->ispi < y->ispi ? -1 : 1;
	if (x->mid != y->mid)
		return x->mid < y->mid ? -1 : 1;
	if (x->by_initiator != y->by_initiator)
		return x->by_initiator ? 1 : -1;
	return x < y ? -1 : x > y; /* tracker order: first message order within an SA */
}

/* Per capture, its tracker's exchanges sorted by SPI, message ID and requester. */
static enum ike_err index_exchanges(struct build *b)
{
	for (unsigned f = 0; f < b->n_files; f++) {
		const struct ike_tracker *t = b->trk[f];
		size_t n = t ? ike_tracker_n_exchanges(t) : 0;
		b->xi[f] = malloc((n ? n : 1) * sizeof(*b->xi[f]));
		if (!b->xi[f])
			return IKE_E_NOMEM;
		for (size_t i = 0; i < n; i++)
			b->xi[f][i] = ike_tracker_exchange(t, i);
		qsort(b->xi[f], n, sizeof(*b->xi[f]), cmp_xrec);
		b->n_xi[f] = n;
	}
	return IKE_OK;
}

static const struct ike_exchange_rec *exchange_of(const struct build *b, const struct fmsg *m)
{
	const struct ike_exchange_rec *const *xs = b->xi[m->file];
	size_t lo = 0, hi = b->n_xi[m->file];
	bool by_init = fmsg_requester_init(m);
	while (lo < hi) { /* first record not below (ispi, mid, requester) */
		size_t mid = lo + (hi - lo) / 2;
		const struct ike_exchange_rec *x = xs[mid];
		bool below = x->ispi != m->ispi ? x->ispi < m->ispi
			   : x->mid != m->mid ? x->mid < m->mid
					       : (!x->by_initiator && by_init);
		if (below)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct ike_exchange_rec *best = NULL;
	for (size_t i = lo; i < b->n_xi[m->file] && i < lo + COPY_SCAN; i++) {
		const struct ike_exchange_rec *x = xs[i];
		if (x->ispi != m->ispi || x->mid != m->mid || x->by_initiator != by_init)
			break;
		for (uint32_t k = 0; k < x->n_frames; k++)
			if (x->frames[k] == m->frame)
				return x;
		if (x->first_us <= m->us || (x->first_us < 0 && x->response_us <= m->us))
			best = x; /* its frame list was full: the latest one begun before */
	}
	return best;
}

/* ---- direction ----------------------------------------------------------- */

struct vote {
	uint64_t ispi;
	int v;
};

static int cmp_vote(const void *a, const void *b)
{
	uint64_t x = ((const struct vote *)a)->ispi, y = ((const struct vote *)b)->ispi;
	return x < y ? -1 : x > y;
}

/* Several captures: which end of the chain each IKE SA's initiator sits at.
 * A transmission seen at one end but not the other was sent from that end. */
static enum ike_err directions(struct build *b)
{
	unsigned last = b->n_files - 1;
	struct vote *v = malloc((b->n_tx ? b->n_tx : 1) * sizeof(*v));
	if (!v)
		return IKE_E_NOMEM;
	int global = 0;
	for (size_t i = 0; i < b->n_tx; i++) {
		const struct tx *t = &b->tx[i];
		const struct fmsg *m = &b->fd->m[t->first];
		bool at0 = t->seen & 1u, atl = t->seen & (1u << last);
		int e = at0 && !atl ? 1 : atl && !at0 ? -1 : 0; /* +1: sender on the left */
		v[i] = (struct vote){m->ispi, fmsg_from_init(m) ? e : -e};
		global += v[i].v;
	}
	qsort(v, b->n_tx, sizeof(*v), cmp_vote);
	size_t w = 0;
	for (size_t i = 0; i < b->n_tx; i++) {
		if (w > 0 && v[w - 1].ispi == v[i].ispi)
			v[w - 1].v += v[i].v;
		else
			v[w++] = v[i];
	}
	for (size_t i = 0; i < b->n_tx; i++) {
		struct tx *t = &b->tx[i];
		const struct fmsg *m = &b->fd->m[t->first];
		struct vote key = {m->ispi, 0};
		const struct vote *sv = bsearch(&key, v, w, sizeof(*v), cmp_vote);
		int score = sv && sv->v != 0 ? sv->v : global;
		bool init_left = score >= 0; /* no evidence: the first capture is the initiator's */
		bool left = fmsg_from_init(m) ? init_left : !init_left;
		t->from = left ? 0 : (int)last;
		t->to = left ? (int)last : 0;
		int step = left ? 1 : -1, reached = -1;
		for (int k = t->from;; k += step) {
			if (t->seen & (1u << k))
				reached = k;
			if (k == t->to)
				break;
		}
		if (reached != t->to) {
			t->lost_after = reached < 0 ? t->from : reached;
			b->lost_between[t->lost_after]++;
		}
		/* the earliest copy in the direction of travel sets the row's time */
		for (int k = t->from;; k += step) {
			if (t->seen & (1u << k)) {
				t->t = b->adj[t->rec[k]];
				break;
			}
			if (k == t->to)
				break;
		}
	}
	free(v);
	return IKE_OK;
}

/* One capture: one lifeline per endpoint, in order of first appearance. */
static int endpoint(struct build *b, const struct ike_addr *a)
{
	for (unsigned i = 0; i < b->n_ep; i++)
		if (b->ep[i].family == a->family && memcmp(b->ep[i].a, a->a, sizeof(a->a)) == 0)
			return (int)i;
	if (b->n_ep >= IKE_LADDER_MAX_LIFELINES)
		return -1;
	b->ep[b->n_ep] = *a;
	return (int)b->n_ep++;
}

/* ---- copies, retransmissions, proven losses ------------------------------ */

static int cmp_exchange_time(const void *a, const void *b)
{
	const struct tx *x = a, *y = b;
	if (x->ispi != y->ispi)
		return x->ispi < y->ispi ? -1 : 1;
	if (x->mid != y->mid)
		return x->mid < y->mid ? -1 : 1;
	if (x->req_init != y->req_init)
		return x->req_init ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

static bool seen_request(const struct build *b, size_t from, size_t to, uint64_t hash)
{
	for (size_t j = to > from + COPY_SCAN ? to - COPY_SCAN : from; j < to; j++)
		if (b->fd->m[b->tx[j].first].hash == hash)
			return true;
	return false;
}

/* Walks the transmissions of each exchange (same SPI, message ID and
 * requester) in time order: the copy number of each request and response,
 * and with one capture which copies the next one proves lost. */
static void copies(struct build *b)
{
	qsort(b->tx, b->n_tx, sizeof(*b->tx), cmp_exchange_time);
	for (size_t i = 0; i < b->n_tx;) {
		size_t e = i;
		const struct fmsg *m0 = &b->fd->m[b->tx[i].first];
		bool answered = false;
		while (e < b->n_tx) {
			const struct fmsg *m = &b->fd->m[b->tx[e].first];
			if (m->ispi != m0->ispi || m->mid != m0->mid || fmsg_requester_init(m) != fmsg_requester_init(m0))
				break;
			/* a new request after an answer (an IKE_SA_INIT restarted with the KE group or
			 * COOKIE asked for) is a new exchange with the same message ID */
			if (answered && !fmsg_resp(m) && !m->frag_total && !seen_request(b, i, e, m->hash))
				break;
			answered |= fmsg_resp(m);
			e++;
		}
		bool failed = false;
		for (size_t k = i; k < e; k++)
			for (unsigned f = 0; f < b->n_files; f++) {
				const struct tx *t = &b->tx[k];
				const struct ike_exchange_rec *x =
					t->seen & (1u << f) ? exchange_of(b, &b->fd->m[t->rec[f]]) : NULL;
				if (x && x->outcome != IKE_XO_ANSWERED)
					failed = true;
			}
		/* a copy is the same bytes again: the fragments of one message are not copies */
		for (size_t k = i; k < e; k++) {
			struct tx *t = &b->tx[k];
			uint64_t h = b->fd->m[t->first].hash;
			t->red = failed;
			t->copy = 0;
			for (size_t j = k > i + COPY_SCAN ? k - COPY_SCAN : i; j < k; j++)
				t->copy += b->fd->m[b->tx[j].first].hash == h;
			t->dashed = t->copy > 0;
		}
		/* a request sent again before any answer; an answer followed by the request again */
		for (size_t k = i; k < e; k++) {
			struct tx *t = &b->tx[k];
			const struct fmsg *m = &b->fd->m[t->first];
			t->proven_lost = false;
			for (size_t j = k + 1; j < e && j <= k + COPY_SCAN; j++) {
				const struct fmsg *n = &b->fd->m[b->tx[j].first];
				if (fmsg_resp(n))
					break;
				if (fmsg_resp(m) ? b->tx[j].copy > 0 : n->hash == m->hash) {
					t->proven_lost = true;
					break;
				}
			}
		}
		i = e;
	}
}

static int cmp_time(const void *a, const void *b)
{
	const struct tx *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

enum ike_err ike_ladder_match(struct build *b)
{
	const struct ike_ladder_feed *fd = b->fd;
	struct okey *k = malloc((fd->n ? fd->n : 1) * sizeof(*k));
	b->adj = malloc((fd->n ? fd->n : 1) * sizeof(*b->adj));
	enum ike_err err = IKE_E_NOMEM;
	if (!k || !b->adj)
		goto out;
	for (size_t i = 0; i < fd->n; i++) {
		b->adj[i] = fd->m[i].us;
		k[i] = (struct okey){fd->m[i].hash, fd->m[i].us, fd->m[i].file, (uint32_t)i};
	}
	qsort(k, fd->n, sizeof(*k), cmp_okey);
	if (clock_offsets(b, k) != IKE_OK || cluster(b, k) != IKE_OK)
		goto out;
	if (b->n_files > 1) {
		if (directions(b) != IKE_OK)
			goto out;
	} else {
		/* endpoints in order of first appearance: capture order */
		qsort(b->tx, b->n_tx, sizeof(*b->tx), cmp_time);
		for (size_t i = 0; i < b->n_tx; i++) {
			const struct fmsg *m = &fd->m[b->tx[i].first];
			b->tx[i].from = endpoint(b, &m->src);
			b->tx[i].to = endpoint(b, &m->dst);
		}
	}
	if (index_exchanges(b) != IKE_OK)
		goto out;
	for (size_t i = 0; i < b->n_tx; i++)
		b->tx[i].x = exchange_of(b, &fd->m[b->tx[i].first]);
	copies(b);
	for (size_t i = 0; b->n_files == 1 && i < b->n_tx; i++) {
		struct tx *t = &b->tx[i];
		bool last_unanswered = !t->resp && t->x && t->x->outcome == IKE_XO_UNANSWERED &&
				       t->copy + 1 == t->x->transmissions;
		if (t->proven_lost || last_unanswered)
			t->lost_after = t->from;
	}
	qsort(b->tx, b->n_tx, sizeof(*b->tx), cmp_time);
	err = IKE_OK;
out:
	free(k);
	return err;
}

void ike_ladder_match_free(struct build *b)
{
	for (unsigned f = 0; f < IKE_LADDER_MAX_LIFELINES; f++)
		free(b->xi[f]);
	free(b->adj);
	free(b->tx);
}
