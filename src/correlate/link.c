/*
 * link.c — each log line about a packet or a message tied to the frame it
 * speaks of.
 *
 * `sending/received packet` lines (with their byte count) go to the datagram
 * with the same addresses, ports and IKE length; `generating`/`parsed` lines
 * to the message their thread's packet line was tied to, or else to the
 * message with the same exchange, response flag and message ID; `retransmit
 * N of request with message ID M` to the copy of that request its thread sent
 * next, or else to its (N+1)-th copy. All within the link window around the
 * log time on the capture clock; log lines are taken in time order and each
 * takes the earliest free candidate, so equal lines pair with frames in order.
 */
#include <stdlib.h>
#include <string.h>

#include "correlate/corr_int.h"

#define THREAD_SCAN 64     /* log lines searched for the packet line of a message line */

bool ike_corr_same_addr(const struct ike_addr *a, const struct ike_addr *b)
{
	size_t n = a->family == 4 ? 4 : 16;
	return a->family == b->family && memcmp(a->a, b->a, n) == 0;
}

static bool same_host(const struct ike_addr *a, uint16_t port, const struct ike_log_host *h)
{
	return ike_corr_same_addr(a, &h->addr) && (h->port == 0 || h->port == port);
}

/* Which copy of a request each message is (1 = first); responses stay 0.
 * An open-addressing table keyed by the request's identity holds the last copy. */
static uint64_t req_key(const struct ike_corr_msg *x)
{
	uint64_t h = 1469598103934665603ULL;
	uint64_t parts[6] = {x->file, x->ispi, x->rspi, x->mid, (uint64_t)x->exchange << 16 | x->frag_num,
			     x->src.family == 4 ? (uint64_t)x->src.a[0] << 24 | (uint64_t)x->src.a[1] << 16 |
							  (uint64_t)x->src.a[2] << 8 | x->src.a[3]
					    : (uint64_t)x->src.a[15]};
	for (int i = 0; i < 6; i++) {
		h ^= parts[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static bool same_req(const struct ike_corr_msg *y, const struct ike_corr_msg *x)
{
	return y->file == x->file && y->ispi == x->ispi && y->rspi == x->rspi && y->mid == x->mid &&
	       y->exchange == x->exchange && y->frag_num == x->frag_num && ike_corr_same_addr(&y->src, &x->src);
}

static void copies(struct ike_corr *c)
{
	size_t cap = 16;
	while (cap < c->n_msgs * 2)
		cap *= 2;
	uint32_t *slot = malloc(cap * sizeof(*slot)); /* index + 1 of the last copy, 0 empty */
	if (!slot)
		return;
	memset(slot, 0, cap * sizeof(*slot));
	for (size_t i = 0; i < c->n_msgs; i++) {
		struct ike_corr_msg *x = &c->msgs[i];
		if (x->response)
			continue;
		x->copy = 1;
		for (size_t h = req_key(x) & (cap - 1);; h = (h + 1) & (cap - 1)) {
			if (!slot[h]) {
				slot[h] = (uint32_t)i + 1;
				break;
			}
			struct ike_corr_msg *y = &c->msgs[slot[h] - 1];
			if (same_req(y, x)) {
				x->copy = y->copy + 1;
				slot[h] = (uint32_t)i + 1;
				break;
			}
		}
	}
	free(slot);
}

/* Sort keys copied next to the index, so that qsort needs no state outside its arguments. */
struct sort_key {
	uint32_t len;
	int64_t us;
	uint32_t idx;
};

static int by_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* idx[] in the order of (length, time) or, by_time, of time alone. */
static bool sorted_index(const struct ike_corr *c, uint32_t *idx, bool by_time)
{
	struct sort_key *k = malloc(c->n_msgs * sizeof(*k));
	if (!k)
		return false;
	for (size_t i = 0; i < c->n_msgs; i++)
		k[i] = (struct sort_key){by_time ? 0 : c->msgs[i].length, c->msgs[i].us, (uint32_t)i};
	qsort(k, c->n_msgs, sizeof(*k), by_key);
	for (size_t i = 0; i < c->n_msgs; i++)
		idx[i] = k[i].idx;
	free(k);
	return true;
}

static void add_link(struct ike_corr *c, enum ike_corr_link_kind k, uint32_t log, uint32_t msg)
{
	if (c->n_links == c->cap_links) {
		size_t nc = c->cap_links ? c->cap_links * 2 : 256;
		void *p = realloc(c->links, nc * sizeof(*c->links));
		if (!p)
			return;
		c->links = p;
		c->cap_links = nc;
	}
	c->links[c->n_links++] =
		(struct ike_corr_link){k, log, msg, c->msgs[msg].us - c->logs[log].us};
	c->st.links++;
	if (k == IKE_CORR_LINK_PACKET) {
		c->msgs[msg].link_packet = log;
		c->logs[log].link = msg;
	} else if (k == IKE_CORR_LINK_MESSAGE) {
		c->msgs[msg].link_message = log;
		c->logs[log].link = msg;
	} else {
		c->msgs[msg].link_retransmit = log;
		c->logs[log].link = msg;
	}
}

/* First position in idx (by length, then time) of a message of that length no earlier than us. */
static size_t first_len_at(const struct ike_corr *c, const uint32_t *idx, uint32_t len, int64_t us)
{
	size_t lo = 0, hi = c->n_msgs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ike_corr_msg *x = &c->msgs[idx[mid]];
		if (x->length < len || (x->length == len && x->us < us))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool pkt_line(const struct ike_corr_log *l, uint32_t side)
{
	return (l->kind == IKE_LOG_PKT_SENT || l->kind == IKE_LOG_PKT_RECEIVED) && l->has_bytes && l->side == side;
}

static bool pkt_match(const struct ike_corr_msg *x, const struct ike_corr_log *l)
{
	return same_host(&x->src, x->sport, &l->from) && same_host(&x->dst, x->dport, &l->to);
}

/*
 * The local end's lines first: a frame links to one packet line, and the
 * local capture's frames are the local log's packets. With several captures
 * the same datagram is in each: a side's lines link into the capture where
 * most of them find their datagram (its own end's), and into another only
 * for what that one lacks.
 */
static void link_packets(struct ike_corr *c, const uint32_t *idx, uint32_t side)
{
	int64_t w = c->o.link_window_us;
	uint64_t count[IKE_CORR_MAX_CAPTURES] = {0};
	for (size_t i = 0; i < c->n_logs; i++) {
		const struct ike_corr_log *l = &c->logs[i];
		if (!pkt_line(l, side))
			continue;
		for (size_t k = first_len_at(c, idx, l->bytes, l->us - w); k < c->n_msgs; k++) {
			const struct ike_corr_msg *x = &c->msgs[idx[k]];
			if (x->length != l->bytes || x->us > l->us + w)
				break;
			if (pkt_match(x, l))
				count[x->file]++;
		}
	}
	uint32_t home = 0;
	for (uint32_t f = 1; f < IKE_CORR_MAX_CAPTURES; f++)
		if (count[f] > count[home])
			home = f;
	if (count[home])
		c->home_capture[side] = (int32_t)home;
	for (size_t i = 0; i < c->n_logs; i++) {
		struct ike_corr_log *l = &c->logs[i];
		if (!pkt_line(l, side))
			continue;
		l->linkable = true;
		int64_t other = -1;
		size_t k = first_len_at(c, idx, l->bytes, l->us - w);
		for (; k < c->n_msgs; k++) {
			const struct ike_corr_msg *x = &c->msgs[idx[k]];
			if (x->length != l->bytes || x->us > l->us + w)
				break;
			if (x->link_packet >= 0 || !pkt_match(x, l))
				continue;
			if (x->file == home) {
				other = -1;
				add_link(c, IKE_CORR_LINK_PACKET, (uint32_t)i, idx[k]);
				break;
			}
			if (other < 0)
				other = idx[k];
		}
		if (other >= 0 && l->link < 0)
			add_link(c, IKE_CORR_LINK_PACKET, (uint32_t)i, (uint32_t)other);
	}
}

/* The packet line of the same thread that goes with message line i: the next
 * sent one for `generating`/`retransmit`, the previous received one for `parsed`. */
static int64_t thread_packet(const struct ike_corr *c, size_t i, bool forward)
{
	const struct ike_corr_log *l = &c->logs[i];
	if (l->thread < 0)
		return -1;
	enum ike_log_kind want = forward ? IKE_LOG_PKT_SENT : IKE_LOG_PKT_RECEIVED;
	for (size_t s = 1; s <= THREAD_SCAN; s++) {
		size_t j;
		if (forward) {
			j = i + s;
			if (j >= c->n_logs)
				break;
		} else {
			if (s > i)
				break;
			j = i - s;
		}
		const struct ike_corr_log *p = &c->logs[j];
		if (p->file != l->file || p->thread != l->thread)
			continue;
		if (p->kind == want && p->has_bytes)
			return p->link;
		if (p->kind == IKE_LOG_MSG_GENERATED || p->kind == IKE_LOG_MSG_PARSED || p->kind == IKE_LOG_RETRANSMIT)
			break; /* another message's lines */
	}
	return -1;
}

/* First position in tidx (messages by time) at or after us. */
static size_t first_at(const struct ike_corr *c, const uint32_t *tidx, int64_t us)
{
	size_t lo = 0, hi = c->n_msgs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->msgs[tidx[mid]].us < us)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void link_messages(struct ike_corr *c, const uint32_t *tidx, uint32_t side)
{
	int64_t w = c->o.link_window_us;
	for (size_t i = 0; i < c->n_logs; i++) {
		struct ike_corr_log *l = &c->logs[i];
		if (l->side != side)
			continue;
		bool gen = l->kind == IKE_LOG_MSG_GENERATED, retx = l->kind == IKE_LOG_RETRANSMIT;
		if (!gen && !retx && l->kind != IKE_LOG_MSG_PARSED)
			continue;
		l->linkable = true;
		enum ike_corr_link_kind kind = retx ? IKE_CORR_LINK_RETRANSMIT : IKE_CORR_LINK_MESSAGE;
		int64_t k = thread_packet(c, i, gen || retx);
		if (k >= 0) {
			const struct ike_corr_msg *x = &c->msgs[k];
			bool ok = retx ? !x->response && x->mid == l->mid
				       : x->mid == l->mid && x->response == l->response &&
						 (!l->exchange_id || x->exchange == l->exchange_id);
			if (ok && (retx ? x->link_retransmit : x->link_message) < 0) {
				add_link(c, kind, (uint32_t)i, (uint32_t)k);
				continue;
			}
		}
		/* the earliest free candidate, in this end's capture when it has one */
		int64_t other = -1;
		for (size_t p = first_at(c, tidx, l->us - w); p < c->n_msgs; p++) {
			uint32_t m = tidx[p];
			const struct ike_corr_msg *x = &c->msgs[m];
			if (x->us > l->us + w)
				break;
			if (retx) {
				if (x->response || x->mid != l->mid || x->copy != l->n + 1 || x->link_retransmit >= 0)
					continue;
			} else if (x->mid != l->mid || x->response != l->response ||
				   (l->exchange_id && x->exchange != l->exchange_id) || x->link_message >= 0) {
				continue;
			}
			if (c->home_capture[side] < 0 || x->file == (uint32_t)c->home_capture[side]) {
				other = m;
				break;
			}
			if (other < 0)
				other = m;
		}
		if (other >= 0)
			add_link(c, kind, (uint32_t)i, (uint32_t)other);
	}
}

void ike_corr_link_all(struct ike_corr *c)
{
	copies(c);
	if (!c->n_msgs || !c->n_logs)
		return;
	uint32_t *idx = malloc(c->n_msgs * sizeof(*idx));
	if (!idx || !sorted_index(c, idx, false)) {
		free(idx);
		return;
	}
	for (uint32_t side = 0; side < IKE_CORR_SIDES; side++)
		link_packets(c, idx, side);
	if (sorted_index(c, idx, true)) /* the same index, now by time */
		for (uint32_t side = 0; side < IKE_CORR_SIDES; side++)
			link_messages(c, idx, side);
	free(idx);
}
