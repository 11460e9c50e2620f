/* UDP 500 / 4500: messages, the non-ESP marker, keepalives, ESP counting, lengths. */
#include <criterion/criterion.h>

#include "test_cap_build.h"

static struct evlist L;

static void run_one(struct pk *p, const struct ike_capture_opts *o)
{
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 5, p);
	run_capw(&w, o, &L);
	free(p);
}

Test(cap_udp, port_500)
{
	run_one(pk_ike_udp4(500, 500, 42, 200), NULL);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 200);
	cr_assert_eq(L.ev[0].data[7], 42);
	cr_assert_eq(L.ev[0].at.transport, IKE_TR_UDP);
	evlist_free(&L);

	run_one(pk_ike_udp4(500, 1234, 42, 60), NULL); /* a NAT-translated source port */
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].at.sport, 500);
	cr_assert_eq(L.ev[0].at.dport, 1234);
	evlist_free(&L);
}

Test(cap_udp, port_4500_marker)
{
	run_one(pk_ike_udp4(4500, 4500, 7, 120), NULL);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 120, "marker removed: %zu", L.ev[0].len);
	cr_assert_eq(L.ev[0].data[7], 7);
	cr_assert_eq(L.ev[0].at.transport, IKE_TR_UDP_ENCAP);
	evlist_free(&L);

	run_one(pk_ike_udp4(61000, 4500, 7, 120), NULL);
	cr_assert_eq(L.ev[0].at.transport, IKE_TR_UDP_ENCAP);
	evlist_free(&L);
}

Test(cap_udp, keepalive)
{
	struct pk *p = pk_new();
	uint8_t ff = 0xff;
	pk_put(p, &ff, 1);
	pk_udp(p, 4500, 4500);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_eth(p, 0x0800);
	run_one(p, NULL);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_KEEPALIVE);
	cr_assert_eq(L.ev[0].len, 1);
	cr_assert_eq(L.st.keepalives, 1);
	cr_assert_eq(L.st.ike_messages, 0);
	evlist_free(&L);

	/* 0xFF on port 500 is just a (broken) one-byte IKE datagram */
	p = pk_new();
	pk_put(p, &ff, 1);
	pk_udp(p, 500, 500);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_eth(p, 0x0800);
	run_one(p, NULL);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	evlist_free(&L);
}

static struct pk *esp4(const uint8_t *src, const uint8_t *dst, uint32_t spi, bool udp)
{
	struct pk *p = pk_new();
	uint8_t h[8];
	pk_be32(h, spi);
	pk_be32(h + 4, 1);
	pk_put(p, h, 8);
	pk_fill(p, 0x5a, 64);
	if (udp)
		pk_udp(p, 4500, 4500);
	pk_ip4(p, src, dst, udp ? 17 : 50, 1, 0);
	pk_eth(p, 0x0800);
	return p;
}

Test(cap_udp, esp_counted_per_spi_and_direction)
{
	struct capw w;
	capw_pcap(&w, 1, 65535);
	for (int i = 0; i < 3; i++) {
		struct pk *p = esp4(A4, B4, 0xc0000001, true);
		capw_pk(&w, 1, p);
		free(p);
	}
	struct pk *p = esp4(B4, A4, 0xc0000002, true);
	capw_pk(&w, 1, p);
	free(p);
	p = esp4(B4, A4, 0xc0000002, false); /* IP protocol 50 */
	capw_pk(&w, 1, p);
	free(p);
	p = esp4(A4, B4, 0xc0000002, false); /* same SPI, other direction */
	capw_pk(&w, 1, p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0, "ESP is never an event");
	cr_assert_eq(L.st.esp_packets, 6);
	cr_assert_eq(L.st.other, 0);
	cr_assert_eq(L.n_esp, 3);
	cr_assert_eq(L.esp[0].spi, 0xc0000001);
	cr_assert_eq(L.esp[0].packets, 3);
	cr_assert_eq(memcmp(L.esp[0].src.a, A4, 4), 0);
	cr_assert_eq(L.esp[1].spi, 0xc0000002);
	cr_assert_eq(L.esp[1].packets, 2);
	cr_assert_eq(memcmp(L.esp[1].src.a, B4, 4), 0);
	cr_assert_eq(L.esp[2].packets, 1);
	cr_assert_not(L.st.esp_truncated);
	evlist_free(&L);
}

Test(cap_udp, esp_table_cap)
{
	struct capw w;
	capw_pcap(&w, 1, 65535);
	for (uint32_t i = 0; i < 1100; i++) {
		struct pk *p = esp4(A4, B4, 0x1000 + i, true);
		capw_pk(&w, 1, p);
		free(p);
	}
	struct pk *p = esp4(A4, B4, 0x1000, true);
	capw_pk(&w, 1, p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.st.esp_packets, 1101);
	cr_assert_eq(L.st.n_esp, 1024);
	cr_assert(L.st.esp_truncated);
	cr_assert_eq(L.esp[0].packets, 2);
	evlist_free(&L);
}

Test(cap_udp, short_4500_payloads)
{
	size_t lens[] = {0, 2, 3, 5, 7};
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct pk *p = pk_new();
		pk_fill(p, 0x01, lens[i]);
		pk_udp(p, 4500, 4500);
		pk_ip4(p, A4, B4, 17, 1, 0);
		pk_eth(p, 0x0800);
		run_one(p, NULL);
		cr_assert_eq(L.n, 1, "len %zu", lens[i]);
		cr_assert_eq(L.ev[0].kind, IKE_CAP_ANOMALY);
		cr_assert_eq(L.ev[0].an.kind, IKE_AN_MALFORMED);
		cr_assert_eq(L.st.esp_packets, 0);
		evlist_free(&L);
	}
	/* four zero bytes and nothing else: an empty IKE message after the marker */
	struct pk *p = pk_new();
	pk_fill(p, 0, 4);
	pk_udp(p, 4500, 4500);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_eth(p, 0x0800);
	run_one(p, NULL);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 0);
	evlist_free(&L);
}

Test(cap_udp, extra_ports)
{
	struct ike_capture_opts o = {.extra_ports = {7500}, .n_extra_ports = 1};
	run_one(pk_ike_udp4(7500, 7500, 9, 80), NULL);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 1);
	evlist_free(&L);
	run_one(pk_ike_udp4(7500, 7500, 9, 80), &o);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 80);
	cr_assert_eq(L.ev[0].at.transport, IKE_TR_UDP);
	evlist_free(&L);
}

Test(cap_udp, other_ports_ignored)
{
	run_one(pk_ike_udp4(53, 53, 1, 100), NULL);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 1);
	cr_assert_eq(L.st.frames, 1);
	evlist_free(&L);
}

/* A UDP length field that disagrees with IP: anomaly, and the smaller one wins. */
Test(cap_udp, bad_length)
{
	uint16_t ulens[] = {0, 7, 8, 50, 107, 109, 500, 65535};
	for (size_t i = 0; i < sizeof(ulens) / sizeof(ulens[0]); i++) {
		struct pk *p = pk_new();
		pk_ike(p, 1, 100);
		pk_udp_len(p, 500, 500, ulens[i]);
		pk_ip4(p, A4, B4, 17, 1, 0);
		pk_eth(p, 0x0800);
		run_one(p, NULL);
		cr_assert_eq(L.n, 2, "ulen %u", ulens[i]);
		cr_assert_eq(L.ev[0].kind, IKE_CAP_ANOMALY);
		cr_assert_eq(L.ev[0].an.kind, IKE_AN_UDP_BAD_LENGTH);
		cr_assert_eq(L.ev[0].at.frame, 1);
		cr_assert_eq(L.ev[1].kind, IKE_CAP_MESSAGE);
		size_t want = ulens[i] >= 8 && ulens[i] < 108 ? ulens[i] - 8u : 100;
		cr_assert_eq(L.ev[1].len, want, "ulen %u: %zu", ulens[i], L.ev[1].len);
		evlist_free(&L);
	}
}

Test(cap_udp, ethernet_padding_is_not_payload)
{
	struct pk *p = pk_new();
	pk_fill(p, 0xff, 1);
	pk_udp(p, 4500, 4500);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_eth(p, 0x0800);
	pk_fill(p, 0, 60 - pk_len(p)); /* pad to the Ethernet minimum */
	run_one(p, NULL);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_KEEPALIVE);
	evlist_free(&L);
}

/* snaplen cut the IKE message: it is still handed on with the bytes that exist. */
Test(cap_udp, snaplen_cut_payload)
{
	struct pk *p = pk_ike_udp4(500, 500, 1, 300);
	struct capw w;
	capw_pcap(&w, 1, 96);
	capw_rec(&w, 1, 0, pk_data(p), 96, (uint32_t)pk_len(p));
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 96 - 14 - 20 - 8);
	evlist_free(&L);

	/* on 4500, cut inside the marker: nothing to decide on */
	p = pk_ike_udp4(4500, 4500, 1, 300);
	capw_pcap(&w, 1, 44);
	capw_rec(&w, 1, 0, pk_data(p), 44, (uint32_t)pk_len(p));
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_FRAME_TRUNCATED);
	evlist_free(&L);
}

/* Every prefix of a 4500 frame: clean anomalies or a shortened message, never a crash. */
Test(cap_udp, every_prefix)
{
	struct pk *p = pk_ike_udp4(4500, 4500, 1, 64);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	for (size_t n = 0; n <= pk_len(p); n++)
		capw_rec(&w, 1, 0, pk_data(p), (uint32_t)n, (uint32_t)pk_len(p));
	size_t total = pk_len(p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.st.frames, total + 1);
	size_t msgs = count_kind(&L, IKE_CAP_MESSAGE);
	cr_assert_eq(msgs, total + 1 - (14 + 20 + 8 + 4), "%zu", msgs);
	cr_assert_eq(count_kind(&L, IKE_CAP_ANOMALY), 14 + 20 + 8 + 4);
	cr_assert_eq(nth_kind(&L, IKE_CAP_MESSAGE, msgs - 1)->len, 64);
	evlist_free(&L);
}
