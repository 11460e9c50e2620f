/*
 * tcp.c — RFC 8229 IKE over TCP.
 *
 * Each direction of a connection to an IKE port is its own stream, keyed by
 * the 4-tuple. Bytes are placed by sequence number into one buffer per stream
 * (capped), so segments may arrive in any order; bytes already held are never
 * overwritten, which trims retransmissions and overlaps. Records are cut from
 * the contiguous prefix: an optional "IKETCP" prefix at the stream start,
 * then 2-byte lengths (counting themselves); a record opening with four zero
 * bytes is IKE after the non-ESP marker, anything else ESP (counted).
 *
 * Without the SYN the stream starts at the first segment seen, which is taken
 * to begin a record (peers write whole messages). A framing error or a cap hit
 * abandons the stream: once the boundaries are lost nothing can resync them.
 */
#include "capture/cap_int.h"
#include "util/pages.h"

#include <stdlib.h>
#include <string.h>

#define TCP_MAX_RANGES 32
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04

static const uint8_t iketcp[6] = {'I', 'K', 'E', 'T', 'C', 'P'};

struct cap_range {
	size_t s, e; /* filled bytes [s, e) relative to buf[0] */
};

struct cap_stream {
	struct cap_stream *prev, *next; /* least recently used first */
	struct ike_addr src, dst;
	uint16_t sport, dport;
	bool dead;     /* abandoned: ignore segments until SYN, FIN or RST */
	bool at_start; /* the IKETCP prefix may still come */
	bool fin;
	bool syn;         /* started at a SYN whose sequence number is isn1 - 1 */
	uint32_t isn1;
	uint32_t base_seq; /* sequence number of buf[0] */
	uint8_t *buf;
	size_t cap;
	size_t head; /* bytes of buf already handed out */
	struct cap_range r[TCP_MAX_RANGES];
	unsigned n;
};

static void unlink_stream(struct ike_capture *c, struct cap_stream *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		c->streams_tail = s->prev;
	s->prev = s->next = NULL;
}

static void append_stream(struct ike_capture *c, struct cap_stream *s)
{
	s->prev = c->streams_tail;
	s->next = NULL;
	if (c->streams_tail)
		c->streams_tail->next = s;
	else
		c->streams = s;
	c->streams_tail = s;
}

static void free_stream(struct ike_capture *c, struct cap_stream *s)
{
	unlink_stream(c, s);
	if (c->drain == s)
		c->drain = NULL;
	c->n_streams--;
	ike_pages_free(s->buf, s->cap);
	free(s);
}

void ike_cap_tcp_free_all(struct ike_capture *c)
{
	while (c->streams)
		free_stream(c, c->streams);
}

static void reset(struct cap_stream *s, uint32_t seq)
{
	s->dead = false;
	s->syn = false;
	s->at_start = true;
	s->fin = false;
	s->base_seq = seq;
	s->head = 0;
	s->n = 0;
}

static struct ike_origin stream_origin(const struct ike_capture *c, const struct cap_stream *s)
{
	struct ike_origin at = c->cur;
	at.src = s->src;
	at.dst = s->dst;
	at.sport = s->sport;
	at.dport = s->dport;
	at.transport = IKE_TR_TCP;
	return at;
}

static void abandon(struct ike_capture *c, struct cap_stream *s, const char *why, size_t v)
{
	struct ike_origin at = stream_origin(c, s);
	ike_cap_anomaly_at(c, &at, IKE_AN_TCP_STREAM, 0, "stream %u>%u abandoned: %s %zu", s->sport, s->dport, why, v);
	s->dead = true;
	s->n = 0;
	s->head = 0;
	ike_pages_free(s->buf, s->cap);
	s->buf = NULL;
	s->cap = 0;
	if (c->drain == s)
		c->drain = NULL;
}

static size_t contiguous(const struct cap_stream *s)
{
	return s->n && s->r[0].s == 0 ? s->r[0].e : 0;
}

/* Drops the bytes already handed out from the front of the buffer. */
static void compact(struct cap_stream *s)
{
	if (!s->head)
		return;
	size_t h = s->head;
	size_t used = s->r[s->n - 1].e;
	memmove(s->buf, s->buf + h, used - h);
	for (unsigned i = 0; i < s->n; i++) {
		s->r[i].s = s->r[i].s > h ? s->r[i].s - h : 0;
		s->r[i].e -= h;
	}
	if (s->r[0].s == s->r[0].e) {
		memmove(&s->r[0], &s->r[1], (s->n - 1) * sizeof(s->r[0]));
		s->n--;
	}
	s->base_seq += (uint32_t)h;
	s->head = 0;
}

static struct cap_stream *find(struct ike_capture *c, const struct ike_origin *o)
{
	for (struct cap_stream *s = c->streams_tail; s; s = s->prev)
		if (s->sport == o->sport && s->dport == o->dport && memcmp(&s->src, &o->src, sizeof(s->src)) == 0 &&
		    memcmp(&s->dst, &o->dst, sizeof(s->dst)) == 0)
			return s;
	return NULL;
}

static struct cap_stream *create(struct ike_capture *c, uint32_t seq)
{
	if (c->n_streams >= c->opts.tcp_max_streams) {
		struct cap_stream *old = c->streams;
		struct ike_origin at = stream_origin(c, old);
		ike_cap_anomaly_at(c, &at, IKE_AN_TCP_STREAM, 0, "stream %u>%u evicted: more than %u streams",
				   old->sport, old->dport, c->opts.tcp_max_streams);
		free_stream(c, old);
	}
	struct cap_stream *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->src = c->cur.src;
	s->dst = c->cur.dst;
	s->sport = c->cur.sport;
	s->dport = c->cur.dport;
	reset(s, seq);
	append_stream(c, s);
	c->n_streams++;
	return s;
}

/* Adds [s0, e0) to the sorted, merged range list; false when it is full. */
static bool add_range(struct cap_stream *s, size_t s0, size_t e0)
{
	unsigned i = 0;
	while (i < s->n && s->r[i].e < s0)
		i++;
	unsigned j = i;
	while (j < s->n && s->r[j].s <= e0) {
		if (s->r[j].s < s0)
			s0 = s->r[j].s;
		if (s->r[j].e > e0)
			e0 = s->r[j].e;
		j++;
	}
	if (i == j && s->n == TCP_MAX_RANGES)
		return false;
	/* ranges i..j-1 merge into one at i */
	unsigned nn = s->n - (j - i) + 1;
	memmove(&s->r[i + 1], &s->r[j], (s->n - j) * sizeof(s->r[0]));
	s->r[i].s = s0;
	s->r[i].e = e0;
	s->n = nn;
	return true;
}

/* Copies the bytes of [rel, rel+len) that no range holds yet. */
static void fill_holes(struct cap_stream *s, size_t rel, const uint8_t *p, size_t len)
{
	size_t cur = rel, end = rel + len;
	for (unsigned i = 0; i < s->n && cur < end; i++) {
		if (s->r[i].e <= cur)
			continue;
		if (s->r[i].s >= end)
			break;
		if (s->r[i].s > cur)
			memcpy(s->buf + cur, p + (cur - rel), s->r[i].s - cur);
		cur = s->r[i].e;
	}
	if (cur < end)
		memcpy(s->buf + cur, p + (cur - rel), end - cur);
}

static void insert(struct ike_capture *c, struct cap_stream *s, uint32_t seq, struct ike_span d)
{
	compact(s);
	uint32_t rel32 = seq - s->base_seq;
	size_t rel = rel32;
	const uint8_t *p = d.p;
	size_t len = d.len;
	if (rel32 >= 0x80000000u) { /* starts before what we still hold: trim */
		size_t behind = (uint32_t)(s->base_seq - seq);
		if (behind >= len)
			return;
		p += behind;
		len -= behind;
		rel = 0;
	}
	size_t end = rel + len;
	if (end > c->opts.tcp_max_stream_bytes) {
		abandon(c, s, "bytes buffered would exceed", c->opts.tcp_max_stream_bytes);
		return;
	}
	if (end > s->cap) {
		size_t ncap = s->cap ? s->cap : 4096;
		while (ncap < end)
			ncap *= 2;
		if (ncap > c->opts.tcp_max_stream_bytes)
			ncap = c->opts.tcp_max_stream_bytes;
		uint8_t *nb = ike_pages_resize(s->buf, s->cap, ncap);
		if (!nb) {
			abandon(c, s, "out of memory at", end);
			return;
		}
		s->buf = nb;
		s->cap = ncap;
	}
	fill_holes(s, rel, p, len);
	if (!add_range(s, rel, end))
		abandon(c, s, "out-of-order pieces over", (size_t)TCP_MAX_RANGES);
}

bool ike_cap_tcp_drain_one(struct ike_capture *c)
{
	struct cap_stream *s = c->drain;
	/* no compaction here: a segment carrying many records would move its
	 * tail once per record; insert() compacts once per segment instead */
	size_t have = contiguous(s);
	if (have == s->head)
		goto wait; /* nothing new (and perhaps no buffer yet) */
	struct ike_rd r = ike_rd_init(s->buf + s->head, have - s->head, 0);
	if (s->at_start) {
		size_t k = have < sizeof(iketcp) ? have : sizeof(iketcp);
		struct ike_rd pr = r;
		struct ike_span lead = ike_rd_bytes(&pr, k);
		bool match = k == 0 || memcmp(lead.p, iketcp, k) == 0;
		if (match && k < sizeof(iketcp))
			goto wait; /* could still become the prefix */
		s->at_start = false;
		if (match) {
			r = pr;
			s->head = sizeof(iketcp);
		}
	}
	while (ike_rd_left(&r) >= 2) {
		struct ike_rd rec = r;
		size_t len = ike_rd_be16(&rec);
		if (len < 2) {
			abandon(c, s, "record length", len);
			return true;
		}
		if (len > c->opts.tcp_max_stream_bytes) {
			abandon(c, s, "record longer than the stream cap:", len);
			return true;
		}
		if (ike_rd_left(&r) < len)
			break;
		ike_rd_skip(&r, 2);
		struct ike_rd body = ike_rd_sub(&r, len - 2);
		s->head += len;
		struct ike_origin at = stream_origin(c, s);
		uint32_t lead = ike_rd_be32(&body);
		if (ike_rd_ok(&body) && lead == 0) {
			struct ike_span m = ike_rd_rest(&body);
			ike_cap_emit(c, IKE_CAP_MESSAGE, &at, m.p, m.len);
			return true;
		}
		if (ike_rd_ok(&body) && len - 2 >= 8) {
			ike_cap_esp_count(c, lead);
			continue;
		}
		ike_cap_anomaly_at(c, &at, IKE_AN_TCP_STREAM, 0, "%zu-byte record is neither IKE nor ESP", len - 2);
		return true;
	}
wait:
	c->drain = NULL;
	if (s->fin) {
		struct ike_origin at = stream_origin(c, s);
		size_t left = (s->n ? s->r[s->n - 1].e : 0) - s->head;
		free_stream(c, s);
		if (left) {
			ike_cap_anomaly_at(c, &at, IKE_AN_TCP_STREAM, 0, "stream closed with %zu bytes of an incomplete record",
					   left);
			return true;
		}
	}
	return false;
}

bool ike_cap_tcp_flush_one(struct ike_capture *c)
{
	while (c->streams) {
		struct cap_stream *s = c->streams;
		size_t left = s->n ? s->r[s->n - 1].e - s->head : 0;
		struct ike_origin at = stream_origin(c, s);
		free_stream(c, s);
		if (left) {
			ike_cap_anomaly_at(c, &at, IKE_AN_TCP_STREAM, 0, "capture ended with %zu bytes of an incomplete record",
					   left);
			return true;
		}
	}
	return false;
}

void ike_cap_tcp(struct ike_capture *c, const struct cap_l4 *l4)
{
	struct ike_rd r = ike_rd_span(l4->data, l4->frame_off);
	uint16_t sport = ike_rd_be16(&r);
	uint16_t dport = ike_rd_be16(&r);
	if (ike_rd_ok(&r) && !ike_cap_is_ike_port(c, sport) && !ike_cap_is_ike_port(c, dport))
		return;
	uint32_t seq = ike_rd_be32(&r);
	ike_rd_skip(&r, 4);
	size_t hl = (size_t)(ike_rd_u8(&r) >> 4) * 4;
	uint8_t flags = ike_rd_u8(&r);
	ike_rd_skip(&r, 6);
	if (!ike_rd_ok(&r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, l4->frame_off, "frame ends inside the TCP header");
		return;
	}
	c->cur_counted = true;
	c->cur.sport = sport;
	c->cur.dport = dport;
	c->cur.transport = IKE_TR_TCP;
	if (hl < 20 || hl > l4->wire_len) {
		ike_cap_anomaly(c, IKE_AN_TCP_STREAM, l4->frame_off + 12, "TCP header length %zu", hl);
		return;
	}
	ike_rd_skip(&r, hl - 20);
	if (!ike_rd_ok(&r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, l4->frame_off, "frame ends inside the TCP options");
		return;
	}
	size_t declared = l4->wire_len - hl;
	struct cap_stream *s = find(c, &c->cur);
	if (flags & TH_RST) {
		if (s)
			free_stream(c, s);
		return;
	}
	if (flags & TH_SYN) {
		seq++;
		if (!s)
			s = create(c, seq);
		else if (s->dead || !s->syn || s->isn1 != seq)
			reset(s, seq); /* a new connection on the same ports */
		if (!s)
			return;
		s->syn = true;
		s->isn1 = seq;
	} else if (!s) {
		if (declared == 0)
			return; /* a bare ACK or FIN of a stream never seen: nothing to keep */
		if (!(s = create(c, seq)))
			return;
	}
	unlink_stream(c, s);
	append_stream(c, s);
	if (s->dead) {
		if (flags & TH_FIN)
			free_stream(c, s);
		return;
	}
	if (ike_rd_left(&r) < declared) {
		abandon(c, s, "segment cut by the capture to", ike_rd_left(&r));
		return;
	}
	if (declared)
		insert(c, s, seq, ike_rd_bytes(&r, declared));
	if (s->dead)
		return;
	if (flags & TH_FIN)
		s->fin = true;
	c->drain = s;
}
