/*
 * ladder_exch.c — the ladder of `exchanges --svg`: what the captures showed,
 * one arrow per transmission.
 *
 * The feed keeps a small record per decoded message (times, header, charon's
 * summary, a hash of the IKE bytes). With several captures of one tunnel
 * (local, ISP tap, peer) each capture is a lifeline, in the order given: the
 * same bytes seen in several captures within CLUSTER_US (after the median
 * clock offset of each capture to the first) are one transmission crossing
 * them. A transmission goes from the end of the chain where its sender sits
 * (the IKE header's Initiator flag says which side, and messages missing at
 * one end of the chain say where that side is) toward the other end; where
 * it stops being seen, it ends in a red cross. With one capture the
 * lifelines are the endpoints, and a copy the capture proves lost (a request
 * sent again without an answer between, an answer followed by the request
 * again) ends in a cross half way: one vantage point cannot say where.
 *
 * Kinds, outcomes and retransmissions come from each capture's tracker,
 * looked up by frame number. Healthy DPD exchanges (one request, one answer)
 * carry a fold key so that ike_ladder_fold() folds a run of them into a row.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/ladder.h"
#include "ikescope/names.h"
#include "ikescope/track.h"
#include "output/out_int.h"

#define CLUSTER_US 500000 /* copies of one transmission seen by several taps; strongSwan never retransmits this fast */
#define SUMMARY_MAX 400   /* bytes of summary kept per message */
#define CAPTION_SAS 8     /* IKE SAs named one by one in the caption */
#define COPY_SCAN 256     /* transmissions of one exchange looked at around each (a bound on hostile input) */

struct fmsg {
	uint32_t file;
	uint64_t frame;
	int64_t us, adj;   /* capture time; time on the first capture's clock */
	uint64_t ispi, rspi;
	uint32_t mid;
	uint8_t exchange, flags;
	uint16_t frag_total; /* SKF: the fragments of one message are not copies of each other */
	uint64_t hash;     /* FNV-1a of the IKE bytes: equal for copies and across taps */
	struct ike_addr src, dst;
	uint16_t sport, dport;
	char *summary;     /* owned */
	char *note;        /* owned; extra tooltip lines, NULL */
};

struct ike_ladder_feed {
	unsigned n_files;
	const char *const *names;
	struct fmsg *m;
	size_t n, cap, max;
	uint64_t dropped;
};

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
	char *s = strndup(m->summary ? m->summary : "", SUMMARY_MAX);
	char *note = m->note && m->note[0] ? strndup(m->note, IKE_LADDER_TOOLTIP) : NULL;
	if (!s || (m->note && m->note[0] && !note)) {
		free(s);
		free(note);
		return IKE_E_NOMEM;
	}
	struct fmsg *x = &fd->m[fd->n++];
	*x = (struct fmsg){
		.file = m->file, .frame = m->frame, .us = m->us, .adj = m->us, .ispi = m->ispi, .rspi = m->rspi,
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
	char buf[SUMMARY_MAX];
	ike_msg_summary(m, buf, sizeof(buf));
	struct ike_ladder_feed_msg f = {
		.file = m->at.file, .frame = m->at.frame, .us = m->at.ts_sec * 1000000 + m->at.ts_usec,
		.ispi = m->ispi, .rspi = m->rspi, .mid = m->mid, .exchange = m->exchange, .flags = m->flags,
		.frag_total = m->frag_total, .hash = ike_ladder_hash(m->raw.p, m->raw.len), .src = m->at.src,
		.dst = m->at.dst, .sport = m->at.sport, .dport = m->at.dport, .summary = buf,
	};
	return ike_ladder_feed_add_fields(fd, &f);
}

static bool is_resp(const struct fmsg *m)
{
	return (m->flags & IKE_FLAG_R) != 0;
}
static bool from_init(const struct fmsg *m)
{
	return (m->flags & IKE_FLAG_I) != 0;
}
/* the exchange's requester is the IKE SA's original initiator */
static bool requester_init(const struct fmsg *m)
{
	return is_resp(m) ? !from_init(m) : from_init(m);
}

/* ---- one transmission: the copies of one message seen by the taps ------- */

struct tx {
	uint32_t rec[IKE_LADDER_MAX_LIFELINES]; /* feed index per capture; valid where seen */
	uint8_t seen;       /* bit per capture */
	uint32_t first;     /* feed index of the earliest copy */
	int64_t t;          /* adjusted time of the earliest copy */
	int from, to, lost_after;
	bool dashed;
	uint32_t copy;      /* 0 for the first copy of this request (or response) */
	const struct ike_exchange_rec *x;
	bool proven_lost;   /* one capture: the next copy shows this one went unanswered */
	bool red;           /* its exchange failed, in one capture's view at least */
};

struct build {
	const struct ike_ladder_feed *fd;
	const struct ike_tracker *const *trk;
	unsigned n_files; /* captures drawn (at most IKE_LADDER_MAX_LIFELINES) */
	struct tx *tx;
	size_t n_tx;
	uint32_t *order; /* feed indices, sorted */
	struct ike_addr ep[IKE_LADDER_MAX_LIFELINES]; /* one capture: the endpoints */
	unsigned n_ep;
	uint64_t ep_dropped;
	uint64_t lost_between[IKE_LADDER_MAX_LIFELINES]; /* lost after lifeline i */
	const struct ike_exchange_rec **xi[IKE_LADDER_MAX_LIFELINES]; /* see index_exchanges() */
	size_t n_xi[IKE_LADDER_MAX_LIFELINES];
};

static const struct ike_ladder_feed *g_fd; /* for the qsort comparators only */

static int cmp_hash_time(const void *a, const void *b)
{
	const struct fmsg *x = &g_fd->m[*(const uint32_t *)a], *y = &g_fd->m[*(const uint32_t *)b];
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->adj != y->adj)
		return x->adj < y->adj ? -1 : 1;
	return x->file < y->file ? -1 : x->file > y->file;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Each capture's clock against the first one's: the median difference of
 * the messages both saw exactly once. 0 when they share none. */
static enum ike_err clock_offsets(struct build *b)
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
			while (e < fd->n && fd->m[b->order[e]].hash == fd->m[b->order[i]].hash) {
				const struct fmsg *m = &fd->m[b->order[e++]];
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
				fd->m[i].adj = fd->m[i].us - off;
	}
	free(d);
	return IKE_OK;
}

/* Groups the copies into transmissions: same bytes, close in time, one per capture. */
static enum ike_err cluster(struct build *b)
{
	const struct ike_ladder_feed *fd = b->fd;
	b->tx = calloc(fd->n ? fd->n : 1, sizeof(*b->tx));
	if (!b->tx)
		return IKE_E_NOMEM;
	qsort(b->order, fd->n, sizeof(*b->order), cmp_hash_time);
	struct tx *cur = NULL;
	for (size_t i = 0; i < fd->n; i++) {
		uint32_t k = b->order[i];
		const struct fmsg *m = &fd->m[k];
		if (m->file >= b->n_files)
			continue;
		if (cur && fd->m[cur->first].hash == m->hash && m->adj - cur->t <= CLUSTER_US &&
		    !(cur->seen & (1u << m->file))) {
			cur->seen |= (uint8_t)(1u << m->file);
			cur->rec[m->file] = k;
			continue;
		}
		cur = &b->tx[b->n_tx++];
		cur->seen = (uint8_t)(1u << m->file);
		cur->rec[m->file] = k;
		cur->first = k;
		cur->t = m->adj;
		cur->lost_after = -1;
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
	bool by_init = requester_init(m);
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
	for (size_t i = lo; i < b->n_xi[m->file]; i++) {
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
		v[i] = (struct vote){m->ispi, from_init(m) ? e : -e};
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
		bool left = from_init(m) ? init_left : !init_left;
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
				t->t = b->fd->m[t->rec[k]].adj;
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
	const struct fmsg *mx = &g_fd->m[x->first], *my = &g_fd->m[y->first];
	if (mx->ispi != my->ispi)
		return mx->ispi < my->ispi ? -1 : 1;
	if (mx->mid != my->mid)
		return mx->mid < my->mid ? -1 : 1;
	if (requester_init(mx) != requester_init(my))
		return requester_init(mx) ? -1 : 1;
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
			if (m->ispi != m0->ispi || m->mid != m0->mid || requester_init(m) != requester_init(m0))
				break;
			/* a new request after an answer (an IKE_SA_INIT restarted with the KE group or
			 * COOKIE asked for) is a new exchange with the same message ID */
			if (answered && !is_resp(m) && !m->frag_total && !seen_request(b, i, e, m->hash))
				break;
			answered |= is_resp(m);
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
				if (is_resp(n))
					break;
				if (is_resp(m) ? b->tx[j].copy > 0 : n->hash == m->hash) {
					t->proven_lost = true;
					break;
				}
			}
		}
		i = e;
	}
}

/* ---- the ladder ---------------------------------------------------------- */

static void fmt_time(int64_t us, char *buf, size_t cap)
{
	ike_out_time(us / 1000000, (int32_t)(us % 1000000), ' ', buf, cap);
}

static bool kind_named(enum ike_xkind k)
{
	return k != IKE_XK_IKE_SA_INIT && k != IKE_XK_IKE_AUTH;
}

static enum ike_err add_tx(struct build *b, struct ike_ladder *l, struct tx *t)
{
	const struct ike_ladder_feed *fd = b->fd;
	const struct fmsg *m = &fd->m[t->first];
	const struct ike_exchange_rec *x = t->x;
	struct ike_ladder_arrow a = {
		.t_us = t->t, .from = (uint8_t)t->from, .to = (uint8_t)t->to, .lost_after = (int8_t)t->lost_after,
		.dashed = t->dashed, .fold_unit = is_resp(m) ? 0 : 1,
	};
	char kind[40] = "";
	if (x && kind_named(x->kind))
		snprintf(kind, sizeof(kind), "  (%s%s)", x->inferred ? "~" : "", ike_xkind_name(x->kind));
	char copy[32] = "";
	if (t->copy > 0)
		snprintf(copy, sizeof(copy), "retransmit %" PRIu32 ": ", t->copy);
	snprintf(a.label, sizeof(a.label), "%s%.110s%s", copy, m->summary, kind);
	a.red = t->red;
	if (x && x->kind == IKE_XK_DPD && x->outcome == IKE_XO_ANSWERED && x->transmissions == 1 &&
	    x->responses == 1 && t->lost_after < 0) {
		a.fold_key = (m->ispi ^ 0x9e3779b97f4a7c15ULL) | 1;
		snprintf(a.fold_label, sizeof(a.fold_label), "DPD exchanges, each answered at once");
	}
	enum ike_err err;
	struct ike_ladder_arrow *p = ike_ladder_add_arrow(l, &a, &err);
	if (!p)
		return err;

	/* tooltip: the summary, the endpoints, every capture that saw it, the exchange */
	char src[64], dst[64], ts[48];
	ike_ladder_tip(l, p, "%s", m->summary);
	ike_ladder_tip(l, p, "%s -> %s", ike_out_endpoint(&m->src, m->sport, src, sizeof(src)),
		       ike_out_endpoint(&m->dst, m->dport, dst, sizeof(dst)));
	for (unsigned f = 0; f < b->n_files; f++) {
		if (!(t->seen & (1u << f)))
			continue;
		const struct fmsg *c = &fd->m[t->rec[f]];
		fmt_time(c->us, ts, sizeof(ts));
		ike_ladder_tip(l, p, "%s frame %" PRIu64 " at %s", fd->names[f], c->frame, ts);
	}
	if (x) {
		char err_s[48] = "";
		const char *nn = x->error ? ike_name_long(&ike_names_notify, x->error) : NULL;
		if (x->error)
			snprintf(err_s, sizeof(err_s), ", notify %s", nn ? nn : "(unknown type)");
		else if (x->error_inferred)
			snprintf(err_s, sizeof(err_s), ", error notify (by size)");
		ike_ladder_tip(l, p, "exchange: %s%s, %s%s, %" PRIu32 " request(s), %" PRIu32 " response(s)",
			       x->inferred ? "~" : "", ike_xkind_name(x->kind), ike_xoutcome_name(x->outcome), err_s,
			       x->transmissions, x->responses);
	}
	for (unsigned f = 0; f < b->n_files; f++)
		if ((t->seen & (1u << f)) && fd->m[t->rec[f]].note)
			ike_ladder_tip(l, p, "%s", fd->m[t->rec[f]].note);
	if (t->lost_after >= 0 && b->n_files > 1) {
		int next = t->lost_after + (t->to > t->from ? 1 : -1);
		ike_ladder_tip(l, p, "lost: seen in %s, not in %s", fd->names[t->lost_after], fd->names[next]);
	} else if (t->lost_after >= 0) {
		ike_ladder_tip(l, p, is_resp(m) ? "lost: the request came again after this answer"
						: "lost: sent again with no answer between (this copy or its answer)");
	}
	return IKE_OK;
}

/* The caption: how each IKE SA ended, as the first capture saw it, and where copies were lost. */
static void caption(struct build *b, struct ike_ladder *l)
{
	const struct ike_tracker *t = b->trk[0];
	size_t n = t ? ike_tracker_n_sas(t) : 0;
	unsigned ends[IKE_END_FAILED + 1] = {0};
	for (size_t i = 0; i < n; i++)
		ends[ike_tracker_sa(t, i)->end]++;
	char line[IKE_LADDER_CAPTION];
	size_t len = (size_t)snprintf(line, sizeof(line), "%s: %zu IKE SA%s", b->fd->names[0], n, n == 1 ? "" : "s");
	for (int e = 0; e <= IKE_END_FAILED; e++)
		if (ends[e] && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, ", %u %s", ends[e],
						ike_sa_end_name((enum ike_sa_end)e));
	ike_ladder_caption(l, "%s", line);
	for (size_t i = 0; i < n && i < CAPTION_SAS; i++) {
		const struct ike_sa_rec *s = ike_tracker_sa(t, i);
		char est[48] = "never established", end[64] = "";
		if (s->established && s->established_us >= 0) {
			fmt_time(s->established_us, est, sizeof(est));
			memmove(est + 15, est + 11, strlen(est + 11) + 1);
			memcpy(est, "established at ", 15);
		}
		if (s->end != IKE_END_UP && s->end_us >= 0) {
			char ts[48];
			fmt_time(s->end_us, ts, sizeof(ts));
			snprintf(end, sizeof(end), " at %s", ts + 11);
		}
		ike_ladder_caption(l, "IKE SA %" PRIu32 " %016" PRIx64 "_i %016" PRIx64 "_r: %s%s, %s%s%s", s->index,
				   s->ispi, s->rspi, est, s->established_inferred ? " (~)" : "", ike_sa_end_name(s->end),
				   s->end_inferred ? " (~)" : "", end);
	}
	if (n > CAPTION_SAS)
		ike_ladder_caption(l, "... and %zu more IKE SAs", n - CAPTION_SAS);
	for (unsigned i = 0; b->n_files > 1 && i < b->n_files; i++) {
		if (!b->lost_between[i])
			continue;
		ike_ladder_caption(l, "%" PRIu64 " transmission%s seen in %s went no further", b->lost_between[i],
				   b->lost_between[i] == 1 ? "" : "s", b->fd->names[i]);
	}
	if (b->fd->dropped)
		ike_ladder_caption(l, "%" PRIu64 " messages beyond the cap of %zu not drawn", b->fd->dropped, b->fd->max);
	if (b->ep_dropped)
		ike_ladder_caption(l, "%" PRIu64 " messages of endpoints beyond %d not drawn", b->ep_dropped,
				   IKE_LADDER_MAX_LIFELINES);
}

static void lifelines(struct build *b, struct ike_ladder *l)
{
	char title[IKE_LADDER_LABEL], a[64], c[64];
	if (l->title[0] == '\0') {
		size_t len = (size_t)snprintf(title, sizeof(title), "ikescope exchanges:");
		for (unsigned f = 0; f < b->n_files && len < sizeof(title); f++)
			len += (size_t)snprintf(title + len, sizeof(title) - len, "%s %s", f ? "," : "",
						b->fd->names[f]);
		ike_ladder_set_title(l, title);
	}
	if (b->n_files == 1) {
		for (unsigned i = 0; i < b->n_ep; i++) {
			ike_addr_str(&b->ep[i], a, sizeof(a));
			ike_ladder_add_lifeline(l, a, i == 0 ? "sent the first message" : "");
		}
		return;
	}
	for (unsigned f = 0; f < b->n_files; f++) {
		/* the endpoints as this capture shows them (NAT may rewrite one) */
		c[0] = '\0';
		for (size_t i = 0; i < b->fd->n; i++) {
			const struct fmsg *m = &b->fd->m[i];
			if (m->file == f) {
				snprintf(c, sizeof(c), "%s - %s", ike_addr_str(&m->src, a, sizeof(a)),
					 ike_addr_str(&m->dst, a + 32, 32));
				break;
			}
		}
		ike_ladder_add_lifeline(l, b->fd->names[f], c);
	}
}

static int cmp_time(const void *a, const void *b)
{
	const struct tx *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

enum ike_err ike_ladder_from_feed(struct ike_ladder *l, const struct ike_ladder_feed *fd,
				  const struct ike_tracker *const *trackers)
{
	struct build b = {.fd = fd, .trk = trackers};
	b.n_files = fd->n_files < IKE_LADDER_MAX_LIFELINES ? fd->n_files : IKE_LADDER_MAX_LIFELINES;
	if (fd->n_files > b.n_files)
		l->stats.lifelines_dropped += fd->n_files - b.n_files;
	enum ike_err err = IKE_E_NOMEM;
	b.order = malloc((fd->n ? fd->n : 1) * sizeof(*b.order));
	if (!b.order)
		return err;
	for (size_t i = 0; i < fd->n; i++)
		b.order[i] = (uint32_t)i;
	g_fd = fd;
	qsort(b.order, fd->n, sizeof(*b.order), cmp_hash_time);
	if (clock_offsets(&b) != IKE_OK || cluster(&b) != IKE_OK)
		goto out;
	if (b.n_files > 1) {
		if (directions(&b) != IKE_OK)
			goto out;
	} else {
		/* endpoints in order of first appearance: capture order */
		qsort(b.tx, b.n_tx, sizeof(*b.tx), cmp_time);
		for (size_t i = 0; i < b.n_tx; i++) {
			const struct fmsg *m = &fd->m[b.tx[i].first];
			int s = endpoint(&b, &m->src), d = endpoint(&b, &m->dst);
			b.tx[i].from = s;
			b.tx[i].to = d;
		}
	}
	if (index_exchanges(&b) != IKE_OK)
		goto out;
	for (size_t i = 0; i < b.n_tx; i++)
		b.tx[i].x = exchange_of(&b, &fd->m[b.tx[i].first]);
	copies(&b);
	if (b.n_files == 1) {
		for (size_t i = 0; i < b.n_tx; i++) {
			struct tx *t = &b.tx[i];
			bool last_unanswered = !is_resp(&fd->m[t->first]) && t->x && t->x->outcome == IKE_XO_UNANSWERED &&
					       t->copy + 1 == t->x->transmissions;
			if (t->proven_lost || last_unanswered)
				t->lost_after = t->from;
		}
	}
	lifelines(&b, l);
	qsort(b.tx, b.n_tx, sizeof(*b.tx), cmp_time);
	for (size_t i = 0; i < b.n_tx; i++) {
		struct tx *t = &b.tx[i];
		if (t->from < 0 || t->to < 0 || t->from == t->to) {
			b.ep_dropped++;
			continue;
		}
		err = add_tx(&b, l, t);
		if (err != IKE_OK && err != IKE_E_LIMIT)
			goto out;
	}
	caption(&b, l);
	err = ike_ladder_fold(l, NULL);
out:
	for (unsigned f = 0; f < b.n_files; f++)
		free(b.xi[f]);
	free(b.order);
	free(b.tx);
	return err;
}
