/*
 * cmp_log.c — a charon log standing in for a capture of its end.
 *
 * charon logs each datagram as `sending packet: … (N bytes)` /
 * `received packet: … (N bytes)` and names the message on a line of the same
 * thread: `generating X request M [ … ]` before the sending line,
 * `parsed X request M [ … ]` after the received one; a retransmission is
 * announced by `retransmit N of request with message ID M`, a resent response
 * by `received retransmit of request with ID M, retransmitting response`.
 * Such a pair is one sighting of a message, without SPIs or bytes, so it is
 * matched to the message the captures saw with the same exchange, message
 * ID, response flag and length nearest in time (once the log's clock offset
 * against the capture of the same end is known). A line no capture can
 * account for becomes a message of its own, known from the logs alone: a
 * message logged as sent by one end and absent from the other end's log is
 * located like any other.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare/cmp_int.h"

#define LOG_WINDOW_US (IKE_CMP_MATCH_WINDOW_US + 1000000) /* the 1-second resolution on top */
#define LOG_ONLY_GAP_US 60000000 /* retransmissions of one log-only message are closer than this */
#define CLOCK_WINDOW_SEC 86400
#define CONTENT_MAX_PAIRS (1u << 18) /* line/message pairings for a clock without addresses */
#define ADOPT_WINDOW_US 30000000 /* a lost answer is logged this close to its request */

void cmp_log_free(struct cmp_logstate *s)
{
	if (!s)
		return;
	ike_log_clock_free(s->clock);
	free(s);
}

/* The capture at the log's end: the first capture when the log comes before
 * every capture on the path, the last one otherwise. */
static void seal(struct ike_compare *c)
{
	if (c->sealed)
		return;
	c->sealed = true;
	int first = -1, last = -1;
	for (unsigned p = 0; p < c->n_points; p++)
		if (cmp_is_capture(c, p)) {
			if (first < 0)
				first = (int)p;
			last = (int)p;
		}
	for (unsigned p = 0; p < c->n_points; p++) {
		struct cmp_logstate *s = c->logs[p];
		if (!s)
			continue;
		s->local_end = first < 0 || (int)p < first;
		s->capture = s->local_end ? first : last;
		if (s->capture >= 0)
			s->clock = ike_log_clock_new(); /* NULL on OOM: the log's offset stays unknown */
	}
}

void cmp_seal(struct ike_compare *c) { seal(c); }

static void remember(struct cmp_logstate *s, uint32_t mid, uint8_t exchange, bool response)
{
	s->recent[s->n_recent % 16].mid = mid;
	s->recent[s->n_recent % 16].exchange = exchange;
	s->recent[s->n_recent % 16].response = response;
	s->recent[s->n_recent % 16].used = true;
	s->n_recent++;
}

static bool recall(const struct cmp_logstate *s, uint32_t mid, bool response, uint8_t *exchange)
{
	for (unsigned k = 0; k < 16; k++) { /* newest first */
		unsigned i = (s->n_recent + 15 - k) % 16;
		if (s->recent[i].used && s->recent[i].mid == mid && s->recent[i].response == response) {
			*exchange = s->recent[i].exchange;
			return true;
		}
	}
	return false;
}

static int push_line(struct ike_compare *c, const struct cmp_logline *l)
{
	if (c->n_lines >= c->max_obs) {
		c->st.obs_dropped++;
		return 0;
	}
	if (c->n_lines == c->cap_lines) {
		size_t cap = c->cap_lines ? c->cap_lines * 2 : 256;
		struct cmp_logline *n = realloc(c->lines, cap * sizeof(*n));
		if (!n)
			return -1;
		c->lines = n;
		c->cap_lines = cap;
	}
	c->lines[c->n_lines++] = *l;
	return 0;
}

enum ike_err ike_compare_add_log(struct ike_compare *c, int point, const struct ike_log_event *ev)
{
	if (point < 0 || (unsigned)point >= c->n_points || !c->logs[point] || c->finished)
		return IKE_E_MALFORMED;
	seal(c);
	struct cmp_logstate *s = c->logs[point];
	if (!ev->t.has_time)
		return IKE_OK;
	int64_t us = ev->t.sec * 1000000 + ev->t.usec;
	if (!s->have_first) {
		s->first_t = ev->t;
		s->have_first = true;
	}
	ike_compare_cover(c, point, us);
	if (s->clock)
		ike_log_clock_add_event(s->clock, ev);
	unsigned th = (unsigned)(ev->thread < 0 ? 0 : ev->thread) % CMP_LOG_THREADS;
	struct cmp_logline l = {.point = (uint8_t)point, .us = us, .line = ev->line};
	switch (ev->kind) {
	case IKE_LOG_MSG_GENERATED:
		s->th[th].have_gen = true;
		s->th[th].gen_exchange = ev->u.msg.exchange_id;
		s->th[th].gen_response = ev->u.msg.response;
		s->th[th].gen_mid = ev->u.msg.mid;
		remember(s, ev->u.msg.mid, ev->u.msg.exchange_id, ev->u.msg.response);
		return IKE_OK;
	case IKE_LOG_RETRANSMIT: {
		uint8_t x = 0;
		s->th[th].have_gen = recall(s, ev->u.retx.mid, false, &x);
		s->th[th].gen_exchange = x;
		s->th[th].gen_response = false;
		s->th[th].gen_mid = ev->u.retx.mid;
		return IKE_OK;
	}
	case IKE_LOG_PKT_SENT:
		if (!ev->u.pkt.has_bytes || !s->th[th].have_gen)
			return IKE_OK; /* the sender thread's echo, or a packet we cannot name */
		c->points[point].messages++;
		l.sent = true;
		l.exchange = s->th[th].gen_exchange;
		l.response = s->th[th].gen_response;
		l.mid = s->th[th].gen_mid;
		l.length = ev->u.pkt.bytes;
		l.from = ev->u.pkt.from;
		l.to = ev->u.pkt.to;
		return push_line(c, &l) ? IKE_E_NOMEM : IKE_OK;
	case IKE_LOG_PKT_RECEIVED:
		if (!ev->u.pkt.has_bytes)
			return IKE_OK;
		s->th[th].pending = true;
		s->th[th].pkt.from = ev->u.pkt.from;
		s->th[th].pkt.to = ev->u.pkt.to;
		s->th[th].pkt.bytes = ev->u.pkt.bytes;
		s->th[th].pkt.us = us;
		s->th[th].pkt.line = ev->line;
		return IKE_OK;
	case IKE_LOG_MSG_PARSED:
	case IKE_LOG_RETRANSMIT_RECEIVED: {
		bool parsed = ev->kind == IKE_LOG_MSG_PARSED;
		uint8_t x = 0;
		uint32_t mid = parsed ? ev->u.msg.mid : ev->u.retx.mid;
		if (parsed) {
			x = ev->u.msg.exchange_id;
			remember(s, mid, x, ev->u.msg.response);
		} else if (!recall(s, mid, false, &x)) {
			s->th[th].pending = false;
			return IKE_OK;
		} else {
			/* the response charon sends again next is the one it generated */
			uint8_t rx = 0;
			s->th[th].have_gen = recall(s, mid, true, &rx);
			s->th[th].gen_exchange = rx;
			s->th[th].gen_response = true;
			s->th[th].gen_mid = mid;
		}
		if (!s->th[th].pending)
			return IKE_OK;
		s->th[th].pending = false;
		c->points[point].messages++;
		l.sent = false;
		l.exchange = x;
		l.response = parsed ? ev->u.msg.response : false;
		l.mid = mid;
		l.length = s->th[th].pkt.bytes;
		l.us = s->th[th].pkt.us;
		l.line = s->th[th].pkt.line;
		l.from = s->th[th].pkt.from;
		l.to = s->th[th].pkt.to;
		return push_line(c, &l) ? IKE_E_NOMEM : IKE_OK;
	}
	default: return IKE_OK;
	}
}

static uint64_t line_key(uint8_t exchange, bool response, uint32_t length)
{
	return (uint64_t)exchange << 40 | (uint64_t)response << 39 | (uint64_t)length;
}

/* What a log line and a captured message have in common without addresses. */
struct content_key {
	uint64_t k;
	uint32_t mid;
	int64_t us;
};

static int by_content_key(const void *x, const void *y)
{
	const struct content_key *a = x, *b = y;
	if (a->k != b->k)
		return a->k < b->k ? -1 : 1;
	if (a->mid != b->mid)
		return a->mid < b->mid ? -1 : 1;
	return a->us < b->us ? -1 : a->us > b->us;
}

static int by_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/*
 * The log's clock when its packet lines name other addresses than the
 * capture of its end shows (a NAT between them): each line is paired with
 * the captured copies of the same exchange, message ID, response flag and
 * length; true pairs pile up at the offset, the densest 2-second cluster
 * wins (as log.h's estimate does with addresses). Lines are already in the
 * capture's year.
 */
static bool by_content(const struct ike_compare *c, unsigned p, unsigned cap, int64_t *offset)
{
	size_t n_msg = 0;
	for (size_t i = 0; i < c->n_obs; i++)
		n_msg += c->obs[i].point == cap;
	struct content_key *keys = malloc((n_msg + 1) * sizeof(*keys));
	int64_t *diffs = malloc(CONTENT_MAX_PAIRS * sizeof(*diffs));
	size_t nd = 0;
	bool found = false;
	if (!keys || !diffs)
		goto out;
	size_t nk = 0;
	for (size_t i = 0; i < c->n_obs; i++) {
		const struct cmp_obs *o = &c->obs[i];
		if (o->point != cap)
			continue;
		const struct ike_cmp_msg *x = &c->msgs[o->msg];
		keys[nk++] = (struct content_key){line_key(x->exchange, x->response, x->length), x->mid, o->us};
	}
	qsort(keys, nk, sizeof(*keys), by_content_key);
	for (size_t i = 0; i < c->n_lines && nd < CONTENT_MAX_PAIRS; i++) {
		const struct cmp_logline *l = &c->lines[i];
		if (l->point != p)
			continue;
		struct content_key want = {line_key(l->exchange, l->response, l->length), l->mid, INT64_MIN};
		size_t lo = 0, hi = nk;
		while (lo < hi) { /* the first key not below want */
			size_t mid = lo + (hi - lo) / 2;
			if (by_content_key(&keys[mid], &want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < nk && keys[k].k == want.k && keys[k].mid == want.mid && nd < CONTENT_MAX_PAIRS; k++) {
			int64_t d = keys[k].us - l->us;
			if (d > -CLOCK_WINDOW_SEC * 1000000ll && d < CLOCK_WINDOW_SEC * 1000000ll)
				diffs[nd++] = d;
		}
	}
	qsort(diffs, nd, sizeof(*diffs), by_i64);
	size_t best_i = 0, best_n = 0;
	for (size_t i = 0, j = 0; i < nd; i++) {
		if (j < i)
			j = i;
		while (j + 1 < nd && diffs[j + 1] - diffs[i] <= 2000000)
			j++;
		if (j - i + 1 > best_n) {
			best_n = j - i + 1;
			best_i = i;
		}
	}
	if (best_n) {
		*offset = diffs[best_i + (best_n - 1) / 2];
		found = true;
	}
out:
	free(keys);
	free(diffs);
	return found;
}

void cmp_log_offsets(struct ike_compare *c)
{
	for (unsigned p = 0; p < c->n_points; p++) {
		struct cmp_logstate *s = c->logs[p];
		if (!s || !s->clock)
			continue;
		struct ike_log_clock_result r;
		ike_log_clock_estimate(s->clock, CLOCK_WINDOW_SEC, &r);
		/* no packet line to set the clock by (a silent end): the capture's
		 * clock is taken, and its year for lines without one */
		int year = r.found ? r.year : 0;
		const struct ike_cmp_point *cap = &c->points[s->capture];
		for (unsigned q = 0; q < c->n_points && !cap->covered; q++)
			if (cmp_is_capture(c, q))
				cap = &c->points[q]; /* its own end's capture is empty: any other */
		if (!r.found && cap->covered) {
			time_t sec = (time_t)(cap->first_us / 1000000);
			struct tm tm;
			if (gmtime_r(&sec, &tm))
				year = tm.tm_year + 1900;
		}
		/* lines without a year were timed in a nominal one: move them into the capture's */
		int64_t shift = 0;
		if (year && s->have_first && !s->first_t.has_year)
			shift = (ike_log_civil_sec(&s->first_t, year) - ike_log_civil_sec(&s->first_t, IKE_LOG_NOMINAL_YEAR)) *
				1000000;
		for (size_t i = 0; i < c->n_lines; i++)
			if (c->lines[i].point == p)
				c->lines[i].us += shift;
		c->points[p].first_us += shift;
		c->points[p].last_us += shift;
		if (r.found) {
			c->log_found[p] = true;
			c->log_offset[p] = r.offset_usec; /* against the lines in the capture's year */
		} else if (s->capture >= 0 && c->points[s->capture].covered) {
			c->log_found[p] = by_content(c, p, (unsigned)s->capture, &c->log_offset[p]);
		}
	}
}

/* ---- lines to observations ----------------------------------------------- */


/* Nearest distance between t (reference clock) and a capture sighting of m. */
static int64_t nearest(const struct ike_compare *c, uint32_t m, int64_t t)
{
	int64_t best = INT64_MAX;
	for (unsigned p = 0; p < c->n_points; p++) {
		size_t n;
		const struct cmp_obs *o = cmp_obs_at(c, m, p, &n);
		for (size_t i = 0; i < n; i++) {
			int64_t d = o[i].us - c->points[p].offset_us - t;
			if (d < 0)
				d = -d;
			if (d < best)
				best = d;
		}
	}
	return best;
}

static int log_only_msg(struct ike_compare *c, const struct cmp_logline *l, bool local_end, uint32_t *out)
{
	if (c->n_msgs >= c->max_messages) {
		c->st.messages_dropped++;
		return 1;
	}
	struct ike_cmp_msg *x = cmp_msg_push(c, out);
	if (!x)
		return -1;
	x->exchange = l->exchange;
	x->mid = l->mid;
	x->response = l->response;
	/* who sent it is all a log tells; the local end is taken as the initiator */
	bool sent_by_local = local_end == l->sent;
	x->initiator = x->response ? !sent_by_local : sent_by_local;
	x->length = l->length;
	x->log_only = true;
	return 0;
}

/* A log-only message takes the SPIs of the exchange it belongs to: the
 * captured message of the other direction (request or response) with the
 * same exchange and message ID, nearest in time. */
static void adopt_sa(struct ike_compare *c, const struct ike_pairmap *by_xm, const uint32_t *next_xm, uint32_t m,
		     int64_t t)
{
	struct ike_cmp_msg *x = &c->msgs[m];
	uint32_t cand;
	if (!ike_pairmap_get(by_xm, (uint64_t)x->exchange << 1 | !x->response, x->mid, &cand))
		return;
	uint32_t best = UINT32_MAX;
	int64_t best_d = ADOPT_WINDOW_US + 1;
	for (; cand != UINT32_MAX; cand = next_xm[cand]) {
		int64_t d = nearest(c, cand, t);
		if (d < best_d) {
			best_d = d;
			best = cand;
		}
	}
	if (best == UINT32_MAX)
		return;
	const struct ike_cmp_msg *y = &c->msgs[best];
	x->ispi = y->ispi;
	x->rspi = y->rspi;
	x->initiator = !y->initiator; /* the other side of the same exchange */
}

void cmp_log_match(struct ike_compare *c)
{
	if (!c->n_lines)
		return;
	size_t n_cap_msgs = c->n_msgs;
	struct ike_pairmap first = {0}, by_xm = {0}, open = {0};
	uint32_t *next = malloc((n_cap_msgs + 1) * sizeof(*next));
	uint32_t *next_xm = malloc((n_cap_msgs + 1) * sizeof(*next_xm));
	uint32_t *line_msg = malloc(c->n_lines * sizeof(*line_msg));
	if (!next || !next_xm || !line_msg)
		goto out;
	for (uint32_t m = (uint32_t)n_cap_msgs; m-- > 0;) {
		const struct ike_cmp_msg *x = &c->msgs[m];
		uint64_t k = line_key(x->exchange, x->response, x->length);
		uint32_t head;
		next[m] = ike_pairmap_get(&first, k, x->mid, &head) ? head : UINT32_MAX;
		next_xm[m] = ike_pairmap_get(&by_xm, (uint64_t)x->exchange << 1 | x->response, x->mid, &head) ? head
														   : UINT32_MAX;
		if (ike_pairmap_put(&first, k, x->mid, m) != 0 ||
		    ike_pairmap_put(&by_xm, (uint64_t)x->exchange << 1 | x->response, x->mid, m) != 0)
			goto out;
	}
	/* a log whose clock could not be set says nothing: its lines are not
	 * placed, and it is not taken to cover any time */
	for (unsigned p = 0; p < c->n_points; p++)
		if (c->logs[p] && !c->points[p].offset_known)
			c->points[p].covered = false;
	for (size_t i = 0; i < c->n_lines; i++) {
		const struct cmp_logline *l = &c->lines[i];
		unsigned p = l->point;
		const struct ike_cmp_point *pt = &c->points[p];
		int64_t t = l->us - pt->offset_us;
		line_msg[i] = UINT32_MAX;
		if (!pt->offset_known) {
			c->points[p].unmatched++;
			c->st.log_lines_unmatched++;
			continue;
		}
		uint64_t k = line_key(l->exchange, l->response, l->length);
		uint32_t m = UINT32_MAX, cand, best_lines = UINT32_MAX;
		int64_t best = LOG_WINDOW_US + 1;
		/* within the window, the candidate this log has named least so far:
		 * fragments of one length sent in one second are told apart so */
		if (ike_pairmap_get(&first, k, l->mid, &cand))
			for (; cand != UINT32_MAX; cand = next[cand]) {
				int64_t d = nearest(c, cand, t);
				uint32_t lines = c->msgs[cand].seen[p].count;
				if (d <= LOG_WINDOW_US && (lines < best_lines || (lines == best_lines && d < best))) {
					best = d;
					best_lines = lines;
					m = cand;
				}
			}
		if (m == UINT32_MAX) {
			c->points[p].unmatched++;
			c->st.log_lines_unmatched++;
			uint32_t o;
			if (ike_pairmap_get(&open, k, l->mid, &o) && c->msgs[o].first_us >= 0 &&
			    t - c->msgs[o].first_us < LOG_ONLY_GAP_US) {
				m = o;
			} else {
				int r = log_only_msg(c, l, c->logs[p]->local_end, &m);
				if (r < 0)
					break;
				if (r > 0)
					continue;
				c->msgs[m].first_us = t; /* provisional: the time gathering starts from */
				adopt_sa(c, &by_xm, next_xm, m, t);
				if (ike_pairmap_put(&open, k, l->mid, m) != 0)
					break;
			}
		}
		line_msg[i] = m;
		struct ike_cmp_seen *s = &c->msgs[m].seen[p];
		if (s->count == 0) {
			s->src = l->from.addr;
			s->dst = l->to.addr;
			s->sport = l->from.port;
			s->dport = l->to.port;
		}
		s->count++; /* recounted by cmp_sort_obs */
		if (cmp_add_obs(c, m, p, l->us, l->line) != 0)
			break;
	}
	/* what each log says of the way each message went */
	free(c->log_vote);
	c->log_vote = calloc(c->n_msgs + 1, sizeof(*c->log_vote));
	if (c->log_vote)
		for (size_t i = 0; i < c->n_lines; i++) {
			if (line_msg[i] == UINT32_MAX)
				continue;
			const struct cmp_logline *l = &c->lines[i];
			bool toward_peer = c->logs[l->point]->local_end == l->sent;
			c->log_vote[line_msg[i]] += toward_peer ? 1 : -1;
		}
out:
	ike_pairmap_free(&open);
	ike_pairmap_free(&first);
	ike_pairmap_free(&by_xm);
	free(next);
	free(next_xm);
	free(line_msg);
	cmp_sort_obs(c);
}
