/*
 * capture.h — reading capture files into IKE datagrams.
 *
 * libpcap reads pcap and pcapng offline; the link layer (Ethernet with
 * 802.1Q/QinQ, Linux SLL/SLL2, raw IP, BSD NULL/loopback) is stripped, IPv4/IPv6
 * fragments are reassembled, UDP 500/4500 (and --port extras) and RFC 8229 TCP
 * streams are turned into IKE messages. Memory use is bounded whatever the
 * size of the file.
 */
#ifndef IKESCOPE_CAPTURE_H
#define IKESCOPE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/ike.h"

#define IKE_CAP_MAX_PORTS 8

struct ike_capture_opts {
	uint16_t extra_ports[IKE_CAP_MAX_PORTS]; /* --port N: treated like 500 (UDP and TCP) */
	unsigned n_extra_ports;
	uint32_t frag_timeout_sec;     /* IP reassembly timeout (capture time); 0 = default 30 */
	size_t frag_max_bytes;         /* all pending fragments together; 0 = default 4 MiB */
	unsigned frag_max_datagrams;   /* datagrams under reassembly; 0 = default 256 */
	unsigned tcp_max_streams;      /* 0 = default 256 */
	size_t tcp_max_stream_bytes;   /* bytes buffered per stream; 0 = default 256 KiB */
};

enum ike_cap_kind {
	IKE_CAP_EOF = 0,
	IKE_CAP_MESSAGE,    /* .data/.len hold one IKE message (marker / framing removed) */
	IKE_CAP_KEEPALIVE,  /* single 0xFF byte on a 4500-style port (RFC 3948) */
	IKE_CAP_ANOMALY,    /* a frame-level problem; .anomaly says what */
	IKE_CAP_ERROR,      /* the file cannot be read further; .error says why */
};

struct ike_cap_event {
	enum ike_cap_kind kind;
	struct ike_origin at;   /* file, frame (the one that completed a reassembly), time, addresses */
	const uint8_t *data;    /* borrowed until the next ike_capture_next() */
	size_t len;
	struct ike_anomaly anomaly; /* IKE_CAP_ANOMALY; offset is into the frame */
	char error[256];            /* IKE_CAP_ERROR: "FILE: byte offset N: reason" */
};

struct ike_esp_count {
	struct ike_addr src, dst;
	uint32_t spi;
	uint64_t packets;
};

struct ike_capture_stats {
	uint64_t frames;          /* frames read */
	uint64_t ike_messages;    /* IKE_CAP_MESSAGE events */
	uint64_t keepalives;
	uint64_t esp_packets;     /* ESP on UDP 4500 (non-zero marker) and IP protocol 50 */
	uint64_t other;           /* frames that were not IKE, ESP or keepalive */
	uint64_t anomalies;
	const struct ike_esp_count *esp; /* per SPI and direction, capped; borrowed */
	size_t n_esp;
	bool esp_truncated;      /* more SPIs than the table holds */
};

struct ike_capture; /* owned; free with ike_capture_close() */

/*
 * Opens path. On failure returns NULL and writes a one-line reason naming the
 * file into err: an unreadable file (IKE_E_IO), or a link type we do not read
 * (IKE_E_UNSUPPORTED, reason names the link type) — *why tells which.
 */
struct ike_capture *ike_capture_open(const char *path, uint32_t file_index, const struct ike_capture_opts *opts,
				     enum ike_err *why, char *err, size_t errlen);
/* The next event; IKE_CAP_EOF at the end (fragments still pending are reported
 * as IKE_CAP_ANOMALY IKE_AN_IP_FRAG_TIMEOUT first). */
enum ike_cap_kind ike_capture_next(struct ike_capture *c, struct ike_cap_event *ev);
void ike_capture_stats(const struct ike_capture *c, struct ike_capture_stats *out);
int ike_capture_linktype(const struct ike_capture *c);
void ike_capture_close(struct ike_capture *c);

#endif
