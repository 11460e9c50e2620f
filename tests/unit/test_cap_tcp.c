/* RFC 8229: IKETCP prefix, length framing, reordering, retransmission, caps. */
#include <criterion/criterion.h>

#include "test_cap_build.h"

static struct evlist L;

#define ISN 1000u

/* The initiator's byte stream: "IKETCP", then records. */
struct stream {
	uint8_t b[200000];
	size_t len;
};

static void st_put(struct stream *s, const void *d, size_t n)
{
	memcpy(s->b + s->len, d, n);
	s->len += n;
}
static void st_prefix(struct stream *s) { st_put(s, "IKETCP", 6); }
/* A record holding an IKE message of n bytes (after the marker). */
static void st_ike(struct stream *s, uint8_t tag, size_t n)
{
	uint8_t h[6] = {0};
	pk_be16(h, (uint16_t)(n + 6));
	st_put(s, h, 6);
	struct pk *p = pk_new();
	pk_ike(p, tag, n);
	st_put(s, pk_data(p), pk_len(p));
	free(p);
}
static void st_raw_record(struct stream *s, uint16_t len, uint8_t fill)
{
	uint8_t h[2];
	pk_be16(h, len);
	st_put(s, h, 2);
	for (size_t i = 2; i < len; i++)
		s->b[s->len++] = fill;
}

static void seg_from(struct capw *w, bool reverse, uint32_t seq, uint8_t flags, const uint8_t *d, size_t n)
{
	struct pk *p = pk_new();
	if (n)
		pk_put(p, d, n);
	pk_tcp(p, reverse ? 4500 : 50000, reverse ? 50000 : 4500, seq, flags);
	pk_ip4(p, reverse ? B4 : A4, reverse ? A4 : B4, 6, 1, 0);
	pk_eth(p, 0x0800);
	capw_pk(w, 10, p);
	free(p);
}
static void seg(struct capw *w, uint32_t seq, uint8_t flags, const uint8_t *d, size_t n)
{
	seg_from(w, false, seq, flags, d, n);
}
/* Stream bytes [off, off+n) as one segment. */
static void piece(struct capw *w, const struct stream *s, size_t off, size_t n)
{
	seg(w, ISN + 1 + (uint32_t)off, TH_ACK | TH_PSH, s->b + off, n);
}
static void handshake(struct capw *w)
{
	seg(w, ISN, TH_SYN, NULL, 0);
	seg_from(w, true, 7000, TH_SYN | TH_ACK, NULL, 0);
	seg(w, ISN + 1, TH_ACK, NULL, 0);
}

static struct stream S;

static void check_msg(const struct evrec *e, uint8_t tag, size_t n, uint64_t frame)
{
	cr_assert_eq(e->kind, IKE_CAP_MESSAGE);
	cr_assert_eq(e->len, n);
	cr_assert_eq(e->data[7], tag);
	cr_assert_eq(e->at.transport, IKE_TR_TCP);
	cr_assert_eq(e->at.frame, frame, "frame %llu, want %llu", (unsigned long long)e->at.frame,
		     (unsigned long long)frame);
	cr_assert_eq(e->at.sport, 50000);
	cr_assert_eq(e->at.dport, 4500);
}

Test(cap_tcp, prefix_and_records_in_one_segment)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 100);
	st_ike(&S, 2, 300);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 0, S.len);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	check_msg(&L.ev[0], 1, 100, 4);
	check_msg(&L.ev[1], 2, 300, 4);
	cr_assert_eq(L.st.ike_messages, 2);
	cr_assert_eq(L.st.other, 0);
	evlist_free(&L);
}

Test(cap_tcp, one_byte_segments)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 40);
	st_ike(&S, 2, 30);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	for (size_t i = 0; i < S.len; i++)
		piece(&w, &S, i, 1);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	check_msg(&L.ev[0], 1, 40, 3 + 6 + 46);
	check_msg(&L.ev[1], 2, 30, 3 + 6 + 46 + 36);
	evlist_free(&L);
}

Test(cap_tcp, out_of_order_and_retransmitted)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 100);
	st_ike(&S, 2, 100);
	st_ike(&S, 3, 100);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 200, S.len - 200); /* frame 4: the tail first */
	piece(&w, &S, 50, 150);          /* frame 5 */
	piece(&w, &S, 50, 150);          /* frame 6: retransmitted */
	piece(&w, &S, 0, 60);            /* frame 7: fills the gap, overlapping frame 5 */
	piece(&w, &S, 0, S.len);         /* frame 8: everything again */
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 3, "%zu", L.n);
	check_msg(&L.ev[0], 1, 100, 7);
	check_msg(&L.ev[1], 2, 100, 7);
	check_msg(&L.ev[2], 3, 100, 7);
	evlist_free(&L);
}

/* Bytes already held win over an overlapping segment that disagrees. */
Test(cap_tcp, overlap_keeps_first_bytes)
{
	S.len = 0;
	st_ike(&S, 1, 100);
	struct stream bad = S;
	bad.b[50] ^= 0xff;
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 40, 30);
	seg(&w, ISN + 1, TH_ACK, bad.b, 80);
	piece(&w, &S, 80, S.len - 80);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(memcmp(L.ev[0].data, S.b + 6, 100), 0);
	evlist_free(&L);
}

Test(cap_tcp, no_syn_and_no_prefix)
{
	S.len = 0;
	st_ike(&S, 1, 64);
	st_ike(&S, 2, 64);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	piece(&w, &S, 0, S.len);
	seg_from(&w, true, 5, TH_ACK, NULL, 0); /* a bare ACK the other way: nothing kept */
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	check_msg(&L.ev[0], 1, 64, 1);
	evlist_free(&L);

	S.len = 0; /* without the SYN but with the prefix */
	st_prefix(&S);
	st_ike(&S, 3, 64);
	capw_pcap(&w, 1, 65535);
	piece(&w, &S, 0, 3);
	piece(&w, &S, 3, S.len - 3);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	check_msg(&L.ev[0], 3, 64, 2);
	evlist_free(&L);
}

Test(cap_tcp, both_directions)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 64);
	struct stream R = {.len = 0};
	uint8_t h[6] = {0};
	pk_be16(h, 70);
	memcpy(R.b, h, 6);
	R.len = 6;
	struct pk *p = pk_new();
	pk_ike(p, 9, 64);
	memcpy(R.b + 6, pk_data(p), 64);
	R.len += 64;
	free(p);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 0, S.len);
	seg_from(&w, true, 7001, TH_ACK, R.b, R.len);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	check_msg(&L.ev[0], 1, 64, 4);
	cr_assert_eq(L.ev[1].at.sport, 4500);
	cr_assert_eq(L.ev[1].data[7], 9);
	cr_assert_eq(memcmp(L.ev[1].at.src.a, B4, 4), 0);
	evlist_free(&L);
}

Test(cap_tcp, esp_records_counted)
{
	S.len = 0;
	st_prefix(&S);
	st_raw_record(&S, 2 + 8 + 40, 0x77);
	st_ike(&S, 1, 64);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 0, S.len);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	check_msg(&L.ev[0], 1, 64, 4);
	cr_assert_eq(L.st.esp_packets, 1);
	cr_assert_eq(L.esp[0].spi, 0x77777777);
	evlist_free(&L);
}

Test(cap_tcp, short_records)
{
	for (uint16_t len = 2; len < 10; len++) {
		S.len = 0;
		st_raw_record(&S, len, 0x11);
		st_ike(&S, 1, 64);
		struct capw w;
		capw_pcap(&w, 1, 65535);
		handshake(&w);
		piece(&w, &S, 0, S.len);
		run_capw(&w, NULL, &L);
		bool esp = len >= 10;
		cr_assert_eq(count_anomaly(&L, IKE_AN_TCP_STREAM), esp ? 0 : 1, "len %u", len);
		cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 1, "framing continues after a %u-byte record", len);
		evlist_free(&L);
	}
}

Test(cap_tcp, impossible_length_abandons)
{
	for (uint16_t len = 0; len < 2; len++) {
		S.len = 0;
		st_prefix(&S);
		uint8_t h[2];
		pk_be16(h, len);
		st_put(&S, h, 2);
		st_ike(&S, 1, 64);
		struct capw w;
		capw_pcap(&w, 1, 65535);
		handshake(&w);
		piece(&w, &S, 0, 20);
		piece(&w, &S, 20, S.len - 20);
		run_capw(&w, NULL, &L);
		cr_assert_eq(L.n, 1, "len %u: %zu", len, L.n);
		cr_assert_eq(L.ev[0].an.kind, IKE_AN_TCP_STREAM);
		cr_assert_eq(L.ev[0].at.frame, 4);
		evlist_free(&L);
	}
}

Test(cap_tcp, largest_record)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 65535 - 6);
	st_ike(&S, 2, 28);
	struct capw w;
	capw_pcap(&w, 1, 262144);
	handshake(&w);
	for (size_t off = 0; off < S.len; off += 1400)
		piece(&w, &S, off, S.len - off < 1400 ? S.len - off : 1400);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	cr_assert_eq(L.ev[0].len, 65535 - 6);
	cr_assert_eq(L.ev[1].len, 28);
	evlist_free(&L);
}

Test(cap_tcp, byte_cap)
{
	struct ike_capture_opts o = {.tcp_max_stream_bytes = 1000};
	S.len = 0;
	st_ike(&S, 1, 500);
	st_ike(&S, 2, 500);
	st_ike(&S, 3, 500);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 0, 506);            /* frame 4: message 1 */
	piece(&w, &S, 1100, S.len - 1100); /* frame 5: beyond the cap past the gap */
	piece(&w, &S, 506, 594);          /* frame 6: ignored, stream abandoned */
	run_capw(&w, &o, &L);
	cr_assert_eq(L.n, 2);
	check_msg(&L.ev[0], 1, 500, 4);
	cr_assert_eq(L.ev[1].an.kind, IKE_AN_TCP_STREAM);
	cr_assert_eq(L.ev[1].at.frame, 5);
	evlist_free(&L);

	/* a record longer than the cap is refused as soon as its length is read */
	S.len = 0;
	st_ike(&S, 1, 2000);
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	piece(&w, &S, 0, 100);
	run_capw(&w, &o, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_TCP_STREAM);
	evlist_free(&L);
}

Test(cap_tcp, too_many_holes)
{
	S.len = 0;
	st_ike(&S, 1, 2000);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	for (size_t off = 100; off < 100 + 40 * 20; off += 20)
		piece(&w, &S, off, 10);
	run_capw(&w, NULL, &L);
	cr_assert_eq(count_anomaly(&L, IKE_AN_TCP_STREAM), 1);
	cr_assert_eq(L.n, 1);
	evlist_free(&L);
}

Test(cap_tcp, stream_cap_evicts_oldest)
{
	struct ike_capture_opts o = {.tcp_max_streams = 2};
	S.len = 0;
	st_ike(&S, 1, 64);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	for (uint16_t port = 1; port <= 3; port++) {
		struct pk *p = pk_new();
		pk_put(p, S.b, 20); /* an incomplete record on each of three connections */
		pk_tcp(p, port, 4500, 1, TH_ACK);
		pk_ip4(p, A4, B4, 6, 1, 0);
		pk_eth(p, 0x0800);
		capw_pk(&w, 1, p);
		free(p);
	}
	run_capw(&w, &o, &L);
	cr_assert_eq(L.n, 3, "%zu", L.n);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_TCP_STREAM);
	cr_assert_eq(L.ev[0].at.frame, 3);
	cr_assert_eq(L.ev[0].at.sport, 1, "the oldest goes");
	/* the other two end the capture incomplete */
	cr_assert_eq(L.ev[1].an.kind, IKE_AN_TCP_STREAM);
	cr_assert_eq(L.ev[2].an.kind, IKE_AN_TCP_STREAM);
	evlist_free(&L);
}

Test(cap_tcp, fin_and_rst)
{
	S.len = 0;
	st_ike(&S, 1, 64);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	seg(&w, ISN + 1, TH_ACK | TH_FIN, S.b, S.len); /* the last record rides on the FIN */
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	check_msg(&L.ev[0], 1, 64, 4);
	evlist_free(&L);

	capw_pcap(&w, 1, 65535);
	handshake(&w);
	seg(&w, ISN + 1, TH_ACK | TH_FIN, S.b, 30);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_TCP_STREAM);
	evlist_free(&L);

	capw_pcap(&w, 1, 65535);
	handshake(&w);
	seg(&w, ISN + 1, TH_ACK, S.b, 30);
	seg(&w, ISN + 31, TH_RST, NULL, 0);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0, "a reset discards quietly");
	evlist_free(&L);
}

Test(cap_tcp, syn_restarts_abandoned_stream)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 64);
	uint8_t zero[4] = {0};
	struct capw w;
	capw_pcap(&w, 1, 65535);
	handshake(&w);
	seg(&w, ISN + 1, TH_ACK, zero, 4); /* record length 0: abandoned */
	seg(&w, ISN + 5, TH_ACK, S.b, S.len);
	seg(&w, 9000, TH_SYN, NULL, 0); /* a new connection on the same ports */
	seg(&w, 9000, TH_SYN, NULL, 0); /* its SYN retransmitted */
	seg(&w, 9001, TH_ACK, S.b, S.len);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_TCP_STREAM);
	check_msg(&L.ev[1], 1, 64, 8);
	evlist_free(&L);
}

Test(cap_tcp, sequence_wraps)
{
	S.len = 0;
	st_prefix(&S);
	st_ike(&S, 1, 64);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	seg(&w, 0xffffffe0u, TH_SYN, NULL, 0);
	seg(&w, 0xffffffe1u, TH_ACK, S.b, 40);
	seg(&w, 0xffffffe1u + 40, TH_ACK, S.b + 40, S.len - 40);
	seg(&w, 0xffffffe1u, TH_ACK, S.b, 40); /* old retransmission */
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	check_msg(&L.ev[0], 1, 64, 3);
	evlist_free(&L);
}

Test(cap_tcp, other_ports_and_cut_segments)
{
	S.len = 0;
	st_ike(&S, 1, 64);
	struct pk *p = pk_new();
	pk_put(p, S.b, S.len);
	pk_tcp(p, 443, 50000, 1, TH_ACK);
	pk_ip4(p, A4, B4, 6, 1, 0);
	pk_eth(p, 0x0800);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	free(p);
	/* every prefix of an IKE segment: clean anomalies, never a crash */
	p = pk_new();
	pk_put(p, S.b, S.len);
	pk_tcp(p, 50000, 4500, 1, TH_ACK);
	pk_ip4(p, A4, B4, 6, 1, 0);
	pk_eth(p, 0x0800);
	for (size_t n = 0; n < pk_len(p); n++)
		capw_rec(&w, 1, 0, pk_data(p), (uint32_t)n, (uint32_t)pk_len(p));
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.st.other, 1 + 14 + 20 + 20);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 0);
	cr_assert_eq(count_anomaly(&L, IKE_AN_FRAME_TRUNCATED), 14 + 20 + 20);
	cr_assert_eq(count_anomaly(&L, IKE_AN_TCP_STREAM), 1, "the cut segment abandons the stream");
	evlist_free(&L);
}
