/*
 * test_cap_build.h — writes pcap and pcapng files byte by byte for the
 * capture tests, and reads them back through ike_capture_next() into a list
 * of events the tests can inspect.
 *
 * Packets are built from the inside out: the payload first, then each header
 * is pushed in front of it (UDP, IP, link), so every length field is the one
 * its RFC defines for the bytes that follow.
 */
#ifndef IKESCOPE_TEST_CAP_BUILD_H
#define IKESCOPE_TEST_CAP_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/capture.h"

/* ---- packets ----------------------------------------------------------- */

#define PK_HEAD 512
struct pk {
	uint8_t b[PK_HEAD + 70000];
	size_t start, end;
};

static inline struct pk *pk_new(void)
{
	struct pk *p = calloc(1, sizeof(*p));
	p->start = p->end = PK_HEAD;
	return p;
}
static inline size_t pk_len(const struct pk *p) { return p->end - p->start; }
static inline const uint8_t *pk_data(const struct pk *p) { return p->b + p->start; }
static inline void pk_put(struct pk *p, const void *d, size_t n)
{
	memcpy(p->b + p->end, d, n);
	p->end += n;
}
static inline void pk_fill(struct pk *p, uint8_t v, size_t n)
{
	memset(p->b + p->end, v, n);
	p->end += n;
}
static inline uint8_t *pk_push(struct pk *p, size_t n)
{
	p->start -= n;
	memset(p->b + p->start, 0, n);
	return p->b + p->start;
}
static inline void pk_be16(uint8_t *at, uint16_t v)
{
	at[0] = (uint8_t)(v >> 8);
	at[1] = (uint8_t)v;
}
static inline void pk_be32(uint8_t *at, uint32_t v)
{
	pk_be16(at, (uint16_t)(v >> 16));
	pk_be16(at + 2, (uint16_t)v);
}

/* A 28-byte IKE header (IKE_SA_INIT request) plus fill bytes up to len. */
static inline void pk_ike(struct pk *p, uint64_t ispi, size_t len)
{
	uint8_t h[28] = {0};
	for (int i = 0; i < 8; i++)
		h[i] = (uint8_t)(ispi >> (56 - 8 * i));
	h[16] = 33; /* SA */
	h[17] = 0x20;
	h[18] = 34;
	h[19] = 0x08;
	pk_be32(h + 24, (uint32_t)len);
	pk_put(p, h, len < 28 ? len : 28);
	if (len > 28)
		pk_fill(p, 0xab, len - 28);
}

static inline void pk_marker(struct pk *p)
{
	uint8_t *m = pk_push(p, 4);
	(void)m;
}

static inline void pk_udp_len(struct pk *p, uint16_t sport, uint16_t dport, uint16_t ulen)
{
	uint8_t *h = pk_push(p, 8);
	pk_be16(h, sport);
	pk_be16(h + 2, dport);
	pk_be16(h + 4, ulen);
}
static inline void pk_udp(struct pk *p, uint16_t sport, uint16_t dport)
{
	pk_udp_len(p, sport, dport, (uint16_t)(pk_len(p) + 8));
}

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
static inline void pk_tcp(struct pk *p, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags)
{
	uint8_t *h = pk_push(p, 20);
	pk_be16(h, sport);
	pk_be16(h + 2, dport);
	pk_be32(h + 4, seq);
	h[12] = 5 << 4;
	h[13] = flags;
	pk_be16(h + 14, 65535);
}

static const uint8_t A4[4] = {192, 0, 2, 1}, B4[4] = {198, 51, 100, 2};
static const uint8_t A6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, B6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* fo: flags and fragment offset field as on the wire (0x2000 = MF, offset in 8-byte units). */
static inline void pk_ip4(struct pk *p, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t id, uint16_t fo)
{
	uint16_t total = (uint16_t)(pk_len(p) + 20);
	uint8_t *h = pk_push(p, 20);
	h[0] = 0x45;
	pk_be16(h + 2, total);
	pk_be16(h + 4, id);
	pk_be16(h + 6, fo);
	h[8] = 64;
	h[9] = proto;
	memcpy(h + 12, src, 4);
	memcpy(h + 16, dst, 4);
}

static inline void pk_ip6(struct pk *p, const uint8_t *src, const uint8_t *dst, uint8_t nh)
{
	uint16_t plen = (uint16_t)pk_len(p);
	uint8_t *h = pk_push(p, 40);
	h[0] = 0x60;
	pk_be16(h + 4, plen);
	h[6] = nh;
	h[7] = 64;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* An options-style extension header (hop-by-hop, destination, routing) of 8*(1+hdrlen) bytes. */
static inline void pk_ext6(struct pk *p, uint8_t nh, uint8_t hdrlen)
{
	uint8_t *h = pk_push(p, 8 * (1 + (size_t)hdrlen));
	h[0] = nh;
	h[1] = hdrlen;
	h[2] = 1; /* PadN */
	h[3] = (uint8_t)(8 * (1 + hdrlen) - 4);
}

static inline void pk_frag6(struct pk *p, uint8_t nh, uint16_t off, bool more, uint32_t id)
{
	uint8_t *h = pk_push(p, 8);
	h[0] = nh;
	pk_be16(h + 2, (uint16_t)(off | (more ? 1 : 0)));
	pk_be32(h + 4, id);
}

static inline void pk_eth(struct pk *p, uint16_t type)
{
	uint8_t *h = pk_push(p, 14);
	memset(h, 0x02, 12);
	pk_be16(h + 12, type);
}
/* A VLAN tag: call after the inner EtherType is in place, before pk_eth(p, tpid). */
static inline void pk_vlan(struct pk *p, uint16_t inner_type, uint16_t vid)
{
	uint8_t *h = pk_push(p, 4);
	pk_be16(h, vid);
	pk_be16(h + 2, inner_type);
}
static inline void pk_sll(struct pk *p, uint16_t proto)
{
	uint8_t *h = pk_push(p, 16);
	pk_be16(h + 2, 1);
	pk_be16(h + 4, 6);
	pk_be16(h + 14, proto);
}
static inline void pk_sll2(struct pk *p, uint16_t proto)
{
	uint8_t *h = pk_push(p, 20);
	pk_be16(h, proto);
	pk_be32(h + 4, 3);
	pk_be16(h + 8, 1);
	h[11] = 6;
}
static inline void pk_af(struct pk *p, uint32_t af, bool big_endian)
{
	uint8_t *h = pk_push(p, 4);
	if (big_endian)
		pk_be32(h, af);
	else {
		h[0] = (uint8_t)af;
		h[1] = (uint8_t)(af >> 8);
		h[2] = (uint8_t)(af >> 16);
		h[3] = (uint8_t)(af >> 24);
	}
}

/* UDP/IPv4/Ethernet around an IKE message of len bytes (with the marker on 4500). */
static inline struct pk *pk_ike_udp4(uint16_t sport, uint16_t dport, uint64_t ispi, size_t len)
{
	struct pk *p = pk_new();
	pk_ike(p, ispi, len);
	if (sport == 4500 || dport == 4500)
		pk_marker(p);
	pk_udp(p, sport, dport);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_eth(p, 0x0800);
	return p;
}

/* ---- files ------------------------------------------------------------- */

struct capw {
	uint8_t *b;
	size_t len, cap;
	bool ng;
};

static inline void capw_put(struct capw *w, const void *d, size_t n)
{
	if (n == 0)
		return;
	if (w->len + n > w->cap) {
		w->cap = (w->len + n) * 2;
		w->b = realloc(w->b, w->cap);
	}
	memcpy(w->b + w->len, d, n);
	w->len += n;
}
static inline void capw_le32(struct capw *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	capw_put(w, b, 4);
}
static inline void capw_le16(struct capw *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	capw_put(w, b, 2);
}

/* pcap (microsecond, little endian) global header. */
static inline void capw_pcap(struct capw *w, uint32_t linktype, uint32_t snaplen)
{
	memset(w, 0, sizeof(*w));
	capw_le32(w, 0xa1b2c3d4);
	capw_le16(w, 2);
	capw_le16(w, 4);
	capw_le32(w, 0);
	capw_le32(w, 0);
	capw_le32(w, snaplen);
	capw_le32(w, linktype);
}

/* pcapng: Section Header Block and one Interface Description Block. */
static inline void capw_pcapng(struct capw *w, uint16_t linktype)
{
	memset(w, 0, sizeof(*w));
	w->ng = true;
	capw_le32(w, 0x0a0d0d0a);
	capw_le32(w, 28);
	capw_le32(w, 0x1a2b3c4d);
	capw_le16(w, 1);
	capw_le16(w, 0);
	capw_le32(w, 0xffffffff);
	capw_le32(w, 0xffffffff);
	capw_le32(w, 28);
	capw_le32(w, 1);
	capw_le32(w, 20);
	capw_le16(w, linktype);
	capw_le16(w, 0);
	capw_le32(w, 262144);
	capw_le32(w, 20);
}

/* One record: caplen bytes of data saved, wirelen declared. */
static inline void capw_rec(struct capw *w, uint32_t sec, uint32_t usec, const uint8_t *d, uint32_t caplen,
			    uint32_t wirelen)
{
	if (!w->ng) {
		capw_le32(w, sec);
		capw_le32(w, usec);
		capw_le32(w, caplen);
		capw_le32(w, wirelen);
		capw_put(w, d, caplen);
		return;
	}
	uint32_t pad = (4 - caplen % 4) % 4;
	uint32_t total = 32 + caplen + pad;
	uint64_t t = (uint64_t)sec * 1000000 + usec;
	static const uint8_t zero[4];
	capw_le32(w, 6);
	capw_le32(w, total);
	capw_le32(w, 0);
	capw_le32(w, (uint32_t)(t >> 32));
	capw_le32(w, (uint32_t)t);
	capw_le32(w, caplen);
	capw_le32(w, wirelen);
	capw_put(w, d, caplen);
	capw_put(w, zero, pad);
	capw_le32(w, total);
}

static inline void capw_pk(struct capw *w, uint32_t sec, const struct pk *p)
{
	capw_rec(w, sec, 0, pk_data(p), (uint32_t)pk_len(p), (uint32_t)pk_len(p));
}

/* Writes the file; returns a path the caller frees (and unlinks). */
static inline char *capw_save(struct capw *w)
{
	char *path = strdup("/tmp/ikescope-cap-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, w->b, w->len) != (ssize_t)w->len)
		abort();
	close(fd);
	free(w->b);
	w->b = NULL;
	return path;
}

/* ---- reading back ------------------------------------------------------ */

struct evrec {
	enum ike_cap_kind kind;
	struct ike_origin at;
	uint8_t *data;
	size_t len;
	struct ike_anomaly an;
	char error[256];
};

struct evlist {
	struct evrec ev[512];
	size_t n;
	struct ike_capture_stats st;
	size_t n_esp;
	struct ike_esp_count esp[16];
	int linktype;
};

/* Runs the whole file; every event is copied (data included). */
static inline void run_file(const char *path, const struct ike_capture_opts *o, struct evlist *out)
{
	enum ike_err why;
	char err[256];
	memset(out, 0, sizeof(*out));
	struct ike_capture *c = ike_capture_open(path, 3, o, &why, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "open %s: %s\n", path, err);
		abort();
	}
	out->linktype = ike_capture_linktype(c);
	struct ike_cap_event ev;
	while (ike_capture_next(c, &ev) != IKE_CAP_EOF) {
		if (out->n == 512)
			abort();
		struct evrec *r = &out->ev[out->n++];
		r->kind = ev.kind;
		r->at = ev.at;
		r->len = ev.len;
		r->data = malloc(ev.len + 1);
		if (ev.len)
			memcpy(r->data, ev.data, ev.len);
		r->an = ev.anomaly;
		memcpy(r->error, ev.error, sizeof(r->error));
	}
	/* EOF is sticky */
	if (ike_capture_next(c, &ev) != IKE_CAP_EOF)
		abort();
	ike_capture_stats(c, &out->st);
	out->n_esp = out->st.n_esp < 16 ? out->st.n_esp : 16;
	memcpy(out->esp, out->st.esp, out->n_esp * sizeof(out->esp[0]));
	out->st.esp = NULL;
	ike_capture_close(c);
}

static inline void evlist_free(struct evlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->ev[i].data);
	l->n = 0;
}

/* Saves w, runs it, removes the file. */
static inline void run_capw(struct capw *w, const struct ike_capture_opts *o, struct evlist *out)
{
	char *path = capw_save(w);
	run_file(path, o, out);
	unlink(path);
	free(path);
}

static inline size_t count_kind(const struct evlist *l, enum ike_cap_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->ev[i].kind == k;
	return n;
}

static inline const struct evrec *nth_kind(const struct evlist *l, enum ike_cap_kind k, size_t nth)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ev[i].kind == k && nth-- == 0)
			return &l->ev[i];
	return NULL;
}

static inline size_t count_anomaly(const struct evlist *l, enum ike_anomaly_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->ev[i].kind == IKE_CAP_ANOMALY && l->ev[i].an.kind == k;
	return n;
}

#endif
