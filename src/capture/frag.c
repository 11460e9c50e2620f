/*
 * frag.c — IPv4 and IPv6 fragment reassembly.
 *
 * IKE_AUTH with certificates is routinely fragmented, so datagrams whose
 * first fragment shows an IKE port are rebuilt; a first fragment for any
 * other port puts the datagram on a short reject list so its later fragments
 * cost nothing. Everything is capped: datagrams under reassembly, bytes held,
 * fragments per datagram, and a timeout measured in capture time. Identical
 * duplicate fragments are tolerated; any other overlap drops the datagram
 * (the overlapping-fragment attacks that motivated RFC 5722).
 */
#include "capture/cap_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAG_MAX_PIECES 64
#define FRAG_MAX_LEN 65535

struct cap_frag_piece {
	uint32_t off, len;
};

struct cap_frag {
	struct cap_frag *prev, *next;
	struct cap_frag_key k;
	int64_t first_ts;
	uint64_t first_frame;
	bool first_seen; /* the offset-0 fragment arrived */
	bool have_last;
	uint32_t total; /* once have_last */
	uint8_t *buf;
	size_t cap;
	size_t got;
	struct cap_frag_piece pc[FRAG_MAX_PIECES];
	unsigned n;
};

static bool key_eq(const struct cap_frag_key *a, const struct cap_frag_key *b)
{
	return a->version == b->version && a->proto == b->proto && a->id == b->id &&
	       memcmp(a->src.a, b->src.a, 16) == 0 && memcmp(a->dst.a, b->dst.a, 16) == 0;
}

static bool rejected(const struct ike_capture *c, const struct cap_frag_key *k)
{
	for (unsigned i = 0; i < c->n_reject; i++)
		if (key_eq(&c->reject[i], k))
			return true;
	return false;
}

static void reject(struct ike_capture *c, const struct cap_frag_key *k)
{
	c->reject[c->reject_next] = *k;
	c->reject_next = (c->reject_next + 1) % CAP_REJECT_RING;
	if (c->n_reject < CAP_REJECT_RING)
		c->n_reject++;
}

static void unlink_free(struct ike_capture *c, struct cap_frag *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->frags = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->frags_tail = e->prev;
	c->n_frags--;
	c->frag_bytes -= e->cap;
	free(e->buf);
	free(e);
}

/* Anomaly about datagram e, at the current frame but with e's addresses. */
static void frag_anomaly(struct ike_capture *c, const struct cap_frag *e, enum ike_anomaly_kind kind,
			 const char *what)
{
	struct ike_origin at = c->cur;
	char sa[48], da[48], total[16] = "?";
	at.src = e->k.src;
	at.dst = e->k.dst;
	at.sport = at.dport = 0;
	if (e->have_last)
		snprintf(total, sizeof(total), "%" PRIu32, e->total);
	ike_addr_str(&e->k.src, sa, sizeof(sa));
	ike_addr_str(&e->k.dst, da, sizeof(da));
	ike_cap_anomaly_at(c, &at, kind, 0, "%s: IPv%u id 0x%" PRIx32 " from frame %" PRIu64 ", %zu/%s bytes%s, %s>%s",
			   what, e->k.version, e->k.id, e->first_frame, e->got, total,
			   e->first_seen ? "" : ", no first fragment", sa, da);
}

bool ike_cap_frag_expire_one(struct ike_capture *c, bool at_eof)
{
	struct cap_frag *e = c->frags;
	if (!e)
		return false;
	if (!at_eof && c->cur.ts_sec - e->first_ts < (int64_t)c->opts.frag_timeout_sec)
		return false;
	frag_anomaly(c, e, IKE_AN_IP_FRAG_TIMEOUT, at_eof ? "never completed" : "timed out");
	unlink_free(c, e);
	return true;
}

void ike_cap_frag_free_all(struct ike_capture *c)
{
	while (c->frags)
		unlink_free(c, c->frags);
}

static struct cap_frag *find(struct ike_capture *c, const struct cap_frag_key *k)
{
	for (struct cap_frag *e = c->frags; e; e = e->next)
		if (key_eq(&e->k, k))
			return e;
	return NULL;
}

static struct cap_frag *create(struct ike_capture *c, const struct cap_frag_key *k)
{
	if (c->n_frags >= c->opts.frag_max_datagrams) {
		frag_anomaly(c, c->frags, IKE_AN_IP_FRAG_LIMIT, "evicted: too many datagrams");
		unlink_free(c, c->frags);
	}
	struct cap_frag *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->k = *k;
	e->first_ts = c->cur.ts_sec;
	e->first_frame = c->cur.frame;
	e->prev = c->frags_tail;
	if (c->frags_tail)
		c->frags_tail->next = e;
	else
		c->frags = e;
	c->frags_tail = e;
	c->n_frags++;
	return e;
}

static bool grow(struct ike_capture *c, struct cap_frag *e, size_t end)
{
	if (end <= e->cap)
		return true;
	size_t ncap = e->cap * 2 > end ? e->cap * 2 : end;
	if (ncap > FRAG_MAX_LEN)
		ncap = FRAG_MAX_LEN;
	if (c->frag_bytes + (ncap - e->cap) > c->opts.frag_max_bytes)
		return false;
	uint8_t *nb = realloc(e->buf, ncap);
	if (!nb)
		return false;
	c->frag_bytes += ncap - e->cap;
	e->buf = nb;
	e->cap = ncap;
	return true;
}

static void drop(struct ike_capture *c, struct cap_frag *e, enum ike_anomaly_kind kind, const char *why)
{
	frag_anomaly(c, e, kind, why);
	reject(c, &e->k);
	unlink_free(c, e);
}

static void complete(struct ike_capture *c, struct cap_frag *e)
{
	struct cap_l4 l4 = {.proto = e->k.proto, .frame_off = 0};
	free(c->done_buf);
	c->done_buf = e->buf; /* lives until the next frame; events point into it */
	e->buf = NULL;
	struct ike_rd r = ike_rd_init(c->done_buf, e->total, 0);
	if (e->k.version == 6 && !ike_cap_ip6_ext(&r, &l4.proto, NULL)) {
		ike_cap_anomaly(c, IKE_AN_IP_BAD_HEADER, 0, "reassembled IPv6 datagram ends inside its extension headers");
		unlink_free(c, e);
		return;
	}
	l4.data = ike_rd_rest(&r);
	l4.wire_len = l4.data.len;
	unlink_free(c, e);
	ike_cap_l4(c, &l4);
}

void ike_cap_frag(struct ike_capture *c, const struct cap_frag_key *k, uint32_t off, bool more,
		  struct ike_span data, bool first_is_ike)
{
	if (rejected(c, k))
		return;
	struct cap_frag *e = find(c, k);
	if (off == 0 && !first_is_ike) {
		if (e)
			unlink_free(c, e);
		reject(c, k);
		return;
	}
	c->cur_counted = true;
	size_t end = (size_t)off + data.len;
	if (end > FRAG_MAX_LEN || (data.len == 0 && more)) {
		ike_cap_anomaly(c, IKE_AN_IP_BAD_HEADER, 0, "IP fragment at offset %" PRIu32 " of %zu bytes", off,
				data.len);
		if (e)
			unlink_free(c, e);
		reject(c, k);
		return;
	}
	if (!e && !(e = create(c, k)))
		return;
	size_t max_end = 0;
	for (unsigned i = 0; i < e->n; i++) {
		const struct cap_frag_piece *p = &e->pc[i];
		if (p->off + p->len > max_end)
			max_end = p->off + p->len;
		if (off >= p->off + p->len || end <= p->off)
			continue;
		if (p->off == off && p->len == data.len && memcmp(e->buf + off, data.p, data.len) == 0)
			return; /* an identical duplicate */
		drop(c, e, IKE_AN_IP_FRAG_OVERLAP, "dropped: overlapping fragments");
		return;
	}
	if ((e->have_last && (end > e->total || !more)) || (!more && max_end > end)) {
		drop(c, e, IKE_AN_IP_FRAG_OVERLAP, "dropped: fragments beyond the last one");
		return;
	}
	if (e->n == FRAG_MAX_PIECES) {
		drop(c, e, IKE_AN_IP_FRAG_LIMIT, "dropped: too many fragments");
		return;
	}
	if (!grow(c, e, end)) {
		drop(c, e, IKE_AN_IP_FRAG_LIMIT, "dropped: reassembly memory cap");
		return;
	}
	memcpy(e->buf + off, data.p, data.len);
	e->pc[e->n].off = off;
	e->pc[e->n].len = (uint32_t)data.len;
	e->n++;
	e->got += data.len;
	if (off == 0)
		e->first_seen = true;
	if (!more) {
		e->have_last = true;
		e->total = (uint32_t)end;
	}
	if (e->have_last && e->got == e->total)
		complete(c, e);
}
