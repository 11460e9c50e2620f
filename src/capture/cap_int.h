/*
 * cap_int.h — the capture pipeline's internals, shared by its stages:
 * capture.c (file, frame loop, event queue), link.c, ip.c, frag.c, udp.c
 * (UDP, ESP counting) and tcp.c (RFC 8229 streams).
 *
 * One frame may yield several events (an anomaly, then a message); they wait
 * in a small fixed queue. A TCP stream that completes several records at once
 * is drained one record per ike_capture_next() call, so the record bytes stay
 * in the stream buffer and nothing is copied.
 */
#ifndef IKESCOPE_CAP_INT_H
#define IKESCOPE_CAP_INT_H

#include <pcap/pcap.h>
#include <stdio.h>

#include "ikescope/capture.h"
#include "util/rd.h"

#define CAP_QUEUE 8
#define CAP_ESP_MAX 1024
#define CAP_ESP_SLOTS 2048 /* hash slots, a power of two above CAP_ESP_MAX */
#define CAP_REJECT_RING 64 /* fragment keys whose first fragment was not IKE */

#define CAP_DEF_FRAG_TIMEOUT 30
#define CAP_DEF_FRAG_BYTES (4u << 20)
#define CAP_DEF_FRAG_DGRAMS 256
#define CAP_DEF_TCP_STREAMS 256
#define CAP_DEF_TCP_BYTES (256u << 10)

struct cap_frag;   /* frag.c */
struct cap_stream; /* tcp.c */

/* A transport-layer packet handed from IP to UDP/TCP/ESP. */
struct cap_l4 {
	uint8_t proto;
	struct ike_span data; /* captured bytes of the transport header and payload */
	size_t wire_len;      /* transport length the IP header declares */
	uint32_t frame_off;   /* offset of data in the frame (0 after reassembly) */
};

/* Identity of a fragmented datagram. */
struct cap_frag_key {
	uint8_t version;
	uint8_t proto;
	uint32_t id;
	struct ike_addr src, dst;
};

struct ike_capture {
	pcap_t *pcap;
	char *path;
	uint32_t file_index;
	int dlt;
	struct ike_capture_opts opts; /* defaults filled in */

	/* the frame being processed; a frame read but not yet processed waits
	 * in pend_* while expired fragments are reported at it */
	struct ike_origin cur;
	bool have_pend;
	struct pcap_pkthdr pend_h;
	const uint8_t *pend_d;
	bool cur_counted; /* the frame was IKE, ESP, keepalive or part of one */
	long last_good_off; /* file offset after the last complete record, -1 unknown */

	/* pending events */
	struct ike_cap_event q[CAP_QUEUE];
	unsigned q_head, q_n;
	uint64_t q_dropped;

	enum { CAP_READING, CAP_FLUSH, CAP_DONE } state;
	char fatal[256]; /* error to report once the flush is over */

	/* IP reassembly (frag.c) */
	struct cap_frag *frags; /* doubly linked, oldest first */
	struct cap_frag *frags_tail;
	unsigned n_frags;
	size_t frag_bytes;
	uint8_t *done_buf;        /* last reassembled datagram, freed on the next frame */
	struct cap_frag_key reject[CAP_REJECT_RING];
	unsigned reject_next, n_reject;

	/* TCP (tcp.c) */
	struct cap_stream *streams; /* doubly linked, least recently used first */
	struct cap_stream *streams_tail;
	unsigned n_streams;
	struct cap_stream *drain; /* a stream with records still to hand out */

	/* ESP per SPI (udp.c) */
	struct ike_esp_count esp[CAP_ESP_MAX];
	uint16_t esp_slot[CAP_ESP_SLOTS]; /* index + 1 into esp; 0 = empty */
	size_t n_esp;
	bool esp_truncated;

	struct ike_capture_stats st;
};

/* capture.c: queue an anomaly (origin = the current frame) or a message. */
void ike_cap_anomaly(struct ike_capture *c, enum ike_anomaly_kind kind, uint32_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ike_cap_anomaly_at(struct ike_capture *c, const struct ike_origin *at, enum ike_anomaly_kind kind,
			uint32_t off, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ike_cap_emit(struct ike_capture *c, enum ike_cap_kind kind, const struct ike_origin *at, const uint8_t *p,
		  size_t len);
bool ike_cap_is_ike_port(const struct ike_capture *c, uint16_t port);
bool ike_cap_is_encap_port(const struct ike_capture *c, uint16_t port);

/* file.c: a FILE whose ftell() needs no system call; NULL with errno set. */
FILE *ike_cap_fopen(const char *path);

/* link.c: strips the link layer; returns 4, 6, or 0 (not IP; *r untouched on 0). */
bool ike_cap_link_supported(int dlt);
int ike_cap_link(struct ike_capture *c, struct ike_rd *r);

/* ip.c: one IP packet (r at the IP header, wire = bytes on the wire from there). */
void ike_cap_ip(struct ike_capture *c, int version, struct ike_rd *r, size_t wire);
/* An IPv6 fragment header. */
struct cap_ip6_frag {
	bool present;
	uint8_t nh;
	uint16_t off; /* bytes */
	bool more;
	uint32_t id;
};
/* Walks IPv6 extension headers from *nh up to the upper layer or a fragment
 * header (filled into *f when f is not NULL). False when the chain is cut. */
bool ike_cap_ip6_ext(struct ike_rd *r, uint8_t *nh, struct cap_ip6_frag *f);
/* Whether an upper-layer header (UDP/TCP at r) is addressed to an IKE port. */
bool ike_cap_l4_is_ike(const struct ike_capture *c, uint8_t proto, struct ike_rd r);
void ike_cap_l4(struct ike_capture *c, const struct cap_l4 *l4);

/* frag.c */
/* One fragment; first_is_ike tells, for the fragment at offset 0, whether
 * its upper-layer header is addressed to an IKE port. */
void ike_cap_frag(struct ike_capture *c, const struct cap_frag_key *k, uint32_t off, bool more,
		  struct ike_span data, bool first_is_ike);
/* Reports and frees one expired datagram (all of them when at_eof); false when none. */
bool ike_cap_frag_expire_one(struct ike_capture *c, bool at_eof);
void ike_cap_frag_free_all(struct ike_capture *c);

/* udp.c */
void ike_cap_udp(struct ike_capture *c, const struct cap_l4 *l4);
void ike_cap_esp_count(struct ike_capture *c, uint32_t spi);

/* tcp.c */
void ike_cap_tcp(struct ike_capture *c, const struct cap_l4 *l4);
/* Hands out the next record of c->drain; false when the stream has none. */
bool ike_cap_tcp_drain_one(struct ike_capture *c);
/* At end of file: reports one stream left with undelivered bytes; false when none. */
bool ike_cap_tcp_flush_one(struct ike_capture *c);
void ike_cap_tcp_free_all(struct ike_capture *c);

#endif
