/* IPv4 and IPv6: headers, extension headers and fragment reassembly. */
#include <criterion/criterion.h>

#include "test_cap_build.h"

static struct evlist L;

/* The UDP datagram (header included) of an IKE message of len bytes to port dport. */
static struct pk *dgram(uint16_t dport, size_t len)
{
	struct pk *d = pk_new();
	pk_ike(d, 0x0102030405060708ull, len);
	for (size_t i = 28; i < len; i++) /* bytes that tell positions apart */
		d->b[d->start + i] = (uint8_t)(i * 7);
	pk_udp(d, 500, dport);
	return d;
}

/* One IPv4 fragment [off, off+len) of d. */
static void frag4(struct capw *w, uint32_t sec, const struct pk *d, size_t off, size_t len, bool more, uint16_t id)
{
	struct pk *p = pk_new();
	pk_put(p, pk_data(d) + off, len);
	pk_ip4(p, A4, B4, 17, id, (uint16_t)((more ? 0x2000 : 0) | off / 8));
	pk_eth(p, 0x0800);
	capw_pk(w, sec, p);
	free(p);
}

static void frag6(struct capw *w, uint32_t sec, const struct pk *d, size_t off, size_t len, bool more, uint32_t id)
{
	struct pk *p = pk_new();
	pk_put(p, pk_data(d) + off, len);
	pk_frag6(p, 17, (uint16_t)off, more, id);
	pk_ext6(p, 44, 0); /* a hop-by-hop header before the fragment header */
	pk_ip6(p, A6, B6, 0);
	pk_eth(p, 0x86dd);
	capw_pk(w, sec, p);
	free(p);
}

static void frag_any(int v, struct capw *w, uint32_t sec, const struct pk *d, size_t off, size_t len, bool more)
{
	if (v == 4)
		frag4(w, sec, d, off, len, more, 0x4242);
	else
		frag6(w, sec, d, off, len, more, 0x42424242);
}

/* The message is whole and byte-exact. */
static void expect_message(const struct evrec *e, const struct pk *d, uint64_t frame)
{
	cr_assert_eq(e->kind, IKE_CAP_MESSAGE);
	cr_assert_eq(e->len, pk_len(d) - 8);
	cr_assert_eq(memcmp(e->data, pk_data(d) + 8, e->len), 0);
	cr_assert_eq(e->at.frame, frame, "reported at frame %llu", (unsigned long long)e->at.frame);
	cr_assert_eq(e->at.sport, 500);
}

Test(cap_ip, ipv4_options)
{
	struct pk *p = pk_new();
	pk_ike(p, 1, 50);
	pk_udp(p, 500, 500);
	uint8_t *opt = pk_push(p, 8);
	opt[0] = 1; /* NOP, then End */
	pk_ip4(p, A4, B4, 17, 1, 0);
	p->b[p->start] = 0x47; /* 28-byte header: the options follow it */
	pk_eth(p, 0x0800);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 1);
	cr_assert_eq(nth_kind(&L, IKE_CAP_MESSAGE, 0)->len, 50);
	evlist_free(&L);
}

Test(cap_ip, ipv4_bad_header)
{
	uint8_t vihl[] = {0x40, 0x44, 0x4f};
	for (size_t i = 0; i < 3; i++) {
		struct pk *p = pk_ike_udp4(500, 500, 1, 10); /* total 38: below a 60-byte header too */
		p->b[p->start + 14] = vihl[i];
		struct capw w;
		capw_pcap(&w, 1, 65535);
		capw_pk(&w, 1, p);
		free(p);
		run_capw(&w, NULL, &L);
		cr_assert_eq(L.n, 1);
		cr_assert_eq(L.ev[0].kind, IKE_CAP_ANOMALY);
		cr_assert(L.ev[0].an.kind == IKE_AN_IP_BAD_HEADER || L.ev[0].an.kind == IKE_AN_FRAME_TRUNCATED);
		evlist_free(&L);
	}
}

/* Total length 0 (segmentation offload): what was captured counts. */
Test(cap_ip, ipv4_total_length_zero)
{
	struct pk *p = pk_ike_udp4(500, 500, 1, 40);
	pk_be16(p->b + p->start + 16, 0);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 40);
	evlist_free(&L);
}

Test(cap_ip, ipv6_extension_headers)
{
	struct pk *p = pk_new();
	pk_ike(p, 1, 64);
	pk_udp(p, 500, 500);
	uint8_t *ah = pk_push(p, 16); /* AH with a 4-byte ICV: (2 + 2) * 4 bytes */
	ah[0] = 17;
	ah[1] = 2;
	pk_ext6(p, 51, 1);  /* destination options, 16 bytes */
	pk_ext6(p, 60, 0);  /* routing, 8 bytes */
	pk_ext6(p, 43, 0);  /* hop-by-hop */
	pk_ip6(p, A6, B6, 0);
	pk_eth(p, 0x86dd);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	for (size_t n = 0; n < pk_len(p); n++) /* and every prefix */
		capw_rec(&w, 1, 0, pk_data(p), (uint32_t)n, (uint32_t)pk_len(p));
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
	cr_assert_eq(L.ev[0].len, 64);
	cr_assert_eq(L.ev[0].at.src.family, 6);
	cr_assert_eq(L.st.frames, 1 + 14 + 40 + 8 + 8 + 16 + 16 + 8 + 64);
	evlist_free(&L);
}

Test(cap_ip, ipv6_extension_longer_than_payload)
{
	struct pk *p = pk_new();
	pk_ext6(p, 17, 4); /* 40 bytes claimed */
	pk_ip6(p, A6, B6, 0);
	pk_be16(p->b + p->start + 4, 16); /* payload length only 16 */
	pk_eth(p, 0x86dd);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_IP_BAD_HEADER);
	evlist_free(&L);
}

/* In order and out of order, IPv4 and IPv6: one message at the completing frame. */
Test(cap_ip, fragments_reassembled)
{
	int orders[3][3] = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}};
	for (int v = 4; v <= 6; v += 2)
		for (int o = 0; o < 3; o++) {
			struct pk *d = dgram(500, 3000);
			size_t offs[3] = {0, 1480, 2960}, lens[3] = {1480, 1480, pk_len(d) - 2960};
			struct capw w;
			capw_pcap(&w, 1, 65535);
			struct pk *other = pk_ike_udp4(53, 53, 1, 40);
			capw_pk(&w, 1, other);
			free(other);
			for (int i = 0; i < 3; i++) {
				int k = orders[o][i];
				frag_any(v, &w, 2, d, offs[k], lens[k], k != 2);
			}
			run_capw(&w, NULL, &L);
			cr_assert_eq(L.n, 1, "v%d order %d: %zu events", v, o, L.n);
			expect_message(&L.ev[0], d, 4);
			cr_assert_eq(L.ev[0].at.src.family, v);
			cr_assert_eq(L.st.other, 1);
			evlist_free(&L);
			free(d);
		}
}

Test(cap_ip, duplicate_fragment_tolerated)
{
	for (int v = 4; v <= 6; v += 2) {
		struct pk *d = dgram(500, 2000);
		struct capw w;
		capw_pcap(&w, 1, 65535);
		frag_any(v, &w, 1, d, 0, 1000, true);
		frag_any(v, &w, 1, d, 0, 1000, true);
		frag_any(v, &w, 1, d, 1000, pk_len(d) - 1000, false);
		run_capw(&w, NULL, &L);
		cr_assert_eq(L.n, 1);
		cr_assert_eq(L.ev[0].kind, IKE_CAP_MESSAGE);
		cr_assert_eq(L.ev[0].at.frame, 3);
		evlist_free(&L);
		free(d);
	}
}

Test(cap_ip, overlapping_fragments_dropped)
{
	for (int v = 4; v <= 6; v += 2) {
		struct pk *d = dgram(500, 2000);
		struct capw w;
		capw_pcap(&w, 1, 65535);
		frag_any(v, &w, 1, d, 0, 1008, true);
		frag_any(v, &w, 1, d, 1000, pk_len(d) - 1000, false); /* overlaps by 8 */
		frag_any(v, &w, 1, d, 1008, pk_len(d) - 1008, false); /* would complete it: ignored */
		run_capw(&w, NULL, &L);
		cr_assert_eq(L.n, 1, "%zu", L.n);
		cr_assert_eq(L.ev[0].kind, IKE_CAP_ANOMALY);
		cr_assert_eq(L.ev[0].an.kind, IKE_AN_IP_FRAG_OVERLAP);
		cr_assert_eq(L.ev[0].at.frame, 2);
		evlist_free(&L);

		/* same place, different bytes */
		capw_pcap(&w, 1, 65535);
		frag_any(v, &w, 1, d, 0, 1000, true);
		d->b[d->start + 500] ^= 1;
		frag_any(v, &w, 1, d, 0, 1000, true);
		run_capw(&w, NULL, &L);
		cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_OVERLAP), 1);
		cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 0);
		evlist_free(&L);
		free(d);
	}
}

Test(cap_ip, fragment_beyond_last)
{
	struct pk *d = dgram(500, 2000);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	frag4(&w, 1, d, 1000, pk_len(d) - 1000, false, 9);
	frag4(&w, 1, d, 504, 496, false, 9); /* a second "last" fragment */
	run_capw(&w, NULL, &L);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_OVERLAP), 1);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 0);
	evlist_free(&L);
	free(d);
}

Test(cap_ip, timeout_in_capture_time)
{
	struct pk *d = dgram(500, 2000);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	frag4(&w, 100, d, 0, 1000, true, 1);
	struct pk *p = pk_ike_udp4(500, 500, 5, 40);
	capw_pk(&w, 120, p); /* 20 s later: still pending */
	capw_pk(&w, 131, p); /* 31 s later: expired */
	free(p);
	frag4(&w, 132, d, 1000, pk_len(d) - 1000, false, 1); /* too late: starts a new one */
	run_capw(&w, NULL, &L);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 2);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_TIMEOUT), 2, "one timed out, one pending at EOF");
	const struct evrec *t = nth_kind(&L, IKE_CAP_ANOMALY, 0);
	cr_assert_eq(t->at.frame, 3);
	cr_assert_eq(memcmp(t->at.src.a, A4, 4), 0);
	cr_assert_eq(L.ev[L.n - 1].kind, IKE_CAP_ANOMALY);
	cr_assert_eq(L.ev[L.n - 1].at.frame, 4);
	evlist_free(&L);

	/* a shorter timeout from the options */
	struct ike_capture_opts o = {.frag_timeout_sec = 5};
	capw_pcap(&w, 1, 65535);
	frag4(&w, 100, d, 0, 1000, true, 1);
	frag4(&w, 106, d, 1000, pk_len(d) - 1000, false, 1);
	run_capw(&w, &o, &L);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 0);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_TIMEOUT), 2);
	evlist_free(&L);
	free(d);
}

/* Fragments of non-IKE datagrams are neither kept nor reported. */
Test(cap_ip, non_ike_fragments_ignored)
{
	struct pk *d = dgram(53, 3000);
	pk_be16(d->b + d->start, 53);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	frag4(&w, 1, d, 0, 1480, true, 3);
	frag4(&w, 1, d, 1480, 1480, true, 3);
	frag4(&w, 1, d, 2960, pk_len(d) - 2960, false, 3);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 3);
	evlist_free(&L);
	free(d);
}

Test(cap_ip, datagram_cap)
{
	struct ike_capture_opts o = {.frag_max_datagrams = 4};
	struct pk *d = dgram(500, 2000);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	for (uint16_t id = 0; id < 6; id++)
		frag4(&w, 1, d, 0, 1000, true, id);
	frag4(&w, 1, d, 1000, pk_len(d) - 1000, false, 5);
	run_capw(&w, &o, &L);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_LIMIT), 2);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 1);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_TIMEOUT), 3, "ids 2, 3, 4 still pending at EOF");
	evlist_free(&L);
	free(d);
}

Test(cap_ip, byte_cap)
{
	struct ike_capture_opts o = {.frag_max_bytes = 3000};
	struct pk *d = dgram(500, 2000);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	frag4(&w, 1, d, 0, 1000, true, 1);
	frag4(&w, 1, d, 0, 1000, true, 2);
	frag4(&w, 1, d, 0, 1000, true, 3); /* 3000 bytes held */
	frag4(&w, 1, d, 1000, pk_len(d) - 1000, false, 3);
	run_capw(&w, &o, &L);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_LIMIT), 1);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 0);
	evlist_free(&L);
	free(d);
}

Test(cap_ip, too_many_pieces)
{
	struct pk *d = dgram(500, 1200);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	for (size_t off = 0; off + 8 < pk_len(d); off += 8)
		frag4(&w, 1, d, off, 8, true, 1);
	run_capw(&w, NULL, &L);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_LIMIT), 1);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_TIMEOUT), 0);
	evlist_free(&L);
	free(d);
}

Test(cap_ip, fragment_past_64k)
{
	struct pk *d = dgram(500, 2000);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	frag4(&w, 1, d, 0, 1000, true, 1);
	struct pk *p = pk_new();
	pk_fill(p, 1, 100);
	pk_ip4(p, A4, B4, 17, 1, 0x1fff); /* offset 65528 */
	pk_eth(p, 0x0800);
	capw_pk(&w, 1, p);
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_BAD_HEADER), 1);
	cr_assert_eq(count_anomaly(&L, IKE_AN_IP_FRAG_TIMEOUT), 0);
	evlist_free(&L);
	free(d);
}

/* A fragment the capture cut short cannot be used. */
Test(cap_ip, fragment_cut_by_snaplen)
{
	struct pk *d = dgram(500, 2000);
	struct pk *p = pk_new();
	pk_put(p, pk_data(d), 1000);
	pk_ip4(p, A4, B4, 17, 1, 0x2000);
	pk_eth(p, 0x0800);
	struct capw w;
	capw_pcap(&w, 1, 200);
	capw_rec(&w, 1, 0, pk_data(p), 200, (uint32_t)pk_len(p));
	free(p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_FRAME_TRUNCATED);
	evlist_free(&L);
	free(d);
}
