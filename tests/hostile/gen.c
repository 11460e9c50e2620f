/*
 * gen.c — writes the input files of one hostile case (tests/hostile/run.sh
 * names them and states what ikescope must do with each).
 *
 *   hostile_gen CASE SCALE OUT SRCROOT
 *
 * writes OUT.pcap and, for the cases that need them, OUT.keys (a Wireshark
 * ikev2_decryption_table) and OUT.log. SCALE is how much damage: run.sh runs
 * each case at a small and a large SCALE and checks that peak memory does not
 * follow it. Every packet is built byte by byte, inside out (IKE, then UDP or
 * TCP, IP, Ethernet), with the builders of the unit tests; encrypted payloads
 * are sealed by the unit tests' independent sender (sk_seal.h) with fixed
 * keys, so that the decrypting side really reaches the inner bytes.
 * Exit 0 when the files were written, 1 on a usage error or a failed write.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/sk_seal.h"
#include "../unit/test_cap_build.h"
#include "ikescope/keys.h"

#define T0 1764201600u /* 2025-11-27 00:00:00 UTC: capture time of the first frame */
#define GOOD_SPI 0x600d0000600dull /* the readable message after the damage (run.sh looks for it) */

static const char *out_prefix;
static struct ike_keyring *ring;
static const struct ike_sa_keys *sa;
static const uint64_t SA_ISPI = 0x1122334455667788ull, SA_RSPI = 0x99aabbccddeeff00ull;

static void die(const char *what)
{
	fprintf(stderr, "hostile_gen: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

static FILE *out_open(const char *ext, const char *mode)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s.%s", out_prefix, ext);
	FILE *f = fopen(path, mode);
	if (!f)
		die(path);
	return f;
}

static void out_write(const char *ext, const void *d, size_t n)
{
	FILE *f = out_open(ext, "wb");
	if (fwrite(d, 1, n, f) != n || fclose(f) != 0)
		die(ext);
}

/* ---- messages larger than the unit tests' 8 KiB builder ---------------- */

struct big {
	uint8_t b[65536];
	size_t len, np;
};

static void big_u8(struct big *m, uint8_t v) { m->b[m->len++] = v; }
static void big_u16(struct big *m, uint16_t v)
{
	big_u8(m, (uint8_t)(v >> 8));
	big_u8(m, (uint8_t)v);
}
static void big_u32(struct big *m, uint32_t v)
{
	big_u16(m, (uint16_t)(v >> 16));
	big_u16(m, (uint16_t)v);
}
static void big_header(struct big *m, uint64_t ispi, uint8_t exch, uint32_t mid)
{
	m->len = 0;
	big_u32(m, (uint32_t)(ispi >> 32));
	big_u32(m, (uint32_t)ispi);
	big_u32(m, 0);
	big_u32(m, 0);
	m->np = m->len;
	big_u8(m, 0);
	big_u8(m, 0x20);
	big_u8(m, exch);
	big_u8(m, 0x08);
	big_u32(m, mid);
	big_u32(m, 0);
}
static size_t big_payload(struct big *m, uint8_t type)
{
	m->b[m->np] = type;
	size_t at = m->len;
	m->np = at;
	big_u8(m, 0);
	big_u8(m, 0);
	big_u16(m, 0);
	return at;
}
static void big_end(struct big *m, size_t at)
{
	m->b[at + 2] = (uint8_t)((m->len - at) >> 8);
	m->b[at + 3] = (uint8_t)(m->len - at);
}
static void big_done(struct big *m, uint32_t declared)
{
	pk_be32(m->b + 24, declared);
}

/* ---- frames and files --------------------------------------------------- */

static struct capw cw;
static uint32_t frame_sec = T0;

/* One UDP/IPv4/Ethernet frame carrying msg (with the non-ESP marker on 4500). */
static struct pk *udp_frame(const uint8_t *msg, size_t n, uint16_t port)
{
	struct pk *p = pk_new();
	pk_put(p, msg, n);
	if (port == 4500)
		pk_marker(p);
	pk_udp(p, port, port);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_eth(p, 0x0800);
	return p;
}

static void add_msg(const uint8_t *msg, size_t n, uint16_t port)
{
	struct pk *p = udp_frame(msg, n, port);
	capw_pk(&cw, frame_sec++, p);
	free(p);
}

/* A well-formed IKE_SA_INIT request: the readable message every case ends with. */
static void add_good(uint64_t ispi)
{
	struct ikeb m;
	ikeb_sa_init(&m, ispi, 0, 0);
	add_msg(m.b, m.len, 500);
}

static void save_pcap(void)
{
	out_write("pcap", cw.b, cw.len);
	free(cw.b);
}

/* ---- keys and sealed messages ------------------------------------------ */

static void keys_init(void)
{
	static const uint8_t ei[16] = "0123456789abcdef", er[16] = "fedcba9876543210";
	static const uint8_t ai[20] = "integrity-key-init!!", ar[20] = "integrity-key-resp!!";
	ring = ike_keyring_new();
	if (!ring)
		die("ike_keyring_new");
	struct ike_sa_keyspec s = {
		.ispi = SA_ISPI, .rspi = SA_RSPI, .encr = 12, .encr_bits = 128, .integ = 2,
		.dirs = IKE_KEYS_I | IKE_KEYS_R, .ei = ei, .er = er, .ai = ai, .ar = ar,
		.ei_len = 16, .er_len = 16, .ai_len = 20, .ar_len = 20,
	};
	char why[160];
	if (ike_keyring_add(ring, &s, why, sizeof(why)) != 1)
		die(why);
	sa = ike_keyring_find(ring, SA_ISPI, SA_RSPI);
}

/* The SA's row as a Wireshark ikev2_decryption_table line (newline included). */
static void key_row(char *buf, size_t cap)
{
	if (ike_sa_keys_format(sa, IKE_KEYS_WIRESHARK, buf, cap) < 0)
		die("ike_sa_keys_format");
}

/* An INFORMATIONAL request whose SK (or SKF) holds inner, sealed with the SA's keys. */
static void add_sealed(const struct seal_opts *o, uint8_t first_inner, const uint8_t *inner, size_t n)
{
	struct ikeb m;
	if (sk_seal(sa, o, first_inner, inner, n, &m) == 0)
		die("sk_seal");
	add_msg(m.b, m.len, 4500);
}

/* Inner chain of a DPD-like INFORMATIONAL: N(INITIAL_CONTACT). */
static const uint8_t inner_notify[] = {0, 0, 0, 8, 0, 0, 0x40, 0x00};

/* ---- the cases ---------------------------------------------------------- */

/* Truncated pcap: the file header cut in the middle. */
static void case_trunc_file_header(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 1, 65535);
	cw.len = 12;
	save_pcap();
}

/* Truncated pcap: SCALE good records, then half a record header. */
static void case_trunc_record_header(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++)
		add_good(0x100 + i);
	capw_le32(&cw, frame_sec);
	capw_le32(&cw, 0);
	save_pcap();
}

/* Truncated pcap: SCALE good records, then a record whose data stops short. */
static void case_trunc_record_data(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++)
		add_good(0x100 + i);
	struct ikeb m;
	ikeb_sa_init(&m, 0xdead, 0, 0);
	struct pk *p = udp_frame(m.b, m.len, 500);
	capw_rec(&cw, frame_sec, 0, pk_data(p), (uint32_t)pk_len(p), (uint32_t)pk_len(p));
	cw.len -= pk_len(p) / 2;
	free(p);
	save_pcap();
}

/* caplen larger than the file's snaplen: libpcap keeps snaplen bytes, the IKE
 * message is cut short; a message that fits the snaplen follows. */
static void case_caplen_over_snaplen(unsigned scale)
{
	capw_pcap(&cw, 1, 128);
	for (unsigned i = 0; i < scale; i++)
		add_good(0x100 + i);
	struct big m;
	big_header(&m, 0xf00d, 37, 7); /* INFORMATIONAL request 7 [ ] */
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	save_pcap();
}

/* caplen beyond anything libpcap accepts, after SCALE good records. */
static void case_caplen_over_max(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++)
		add_good(0x100 + i);
	static const uint8_t junk[64];
	capw_rec(&cw, frame_sec, 0, junk, sizeof(junk), sizeof(junk));
	memcpy(cw.b + cw.len - sizeof(junk) - 8, "\xff\xff\xff\x7f", 4); /* caplen 0x7fffffff */
	save_pcap();
}

/* caplen larger than the frame: 200 bytes after the IP datagram (link padding)
 * and a wire length below the captured length. */
static void case_caplen_over_frame(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++) {
		struct ikeb m;
		ikeb_sa_init(&m, 0x100 + i, 0, 0);
		struct pk *p = udp_frame(m.b, m.len, 500);
		p->end += 200; /* zero bytes the IP length does not cover */
		capw_rec(&cw, frame_sec++, 0, pk_data(p), (uint32_t)pk_len(p), 60);
		free(p);
	}
	save_pcap();
}

/* SCALE records of zero bytes, then a good message. */
static void case_zero_length_frames(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++)
		capw_rec(&cw, frame_sec++, 0, NULL, 0, 0);
	add_good(GOOD_SPI);
	save_pcap();
}

/* A link type no dissector reads (LINKTYPE_USER0). */
static void case_unknown_link_type(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 147, 65535);
	add_good(0x100);
	save_pcap();
}

/* IKE header length larger (delta > 0) or smaller than the datagram, SCALE times. */
static void ike_length(unsigned scale, int delta)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++) {
		struct ikeb m;
		ikeb_sa_init(&m, 0x100 + i, 0, 0);
		ikeb_done(&m);
		pk_be32(m.b + 24, (uint32_t)((int)m.len + delta));
		add_msg(m.b, m.len, 500);
	}
	add_good(GOOD_SPI);
	save_pcap();
}
static void case_ike_length_larger(unsigned scale) { ike_length(scale, 100); }
static void case_ike_length_smaller(unsigned scale) { ike_length(scale, -100); }

/* Payload length 0, 1, 2 and 3 (below the 4-byte generic header), SCALE rounds. */
static void case_payload_length_0_3(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++)
		for (uint16_t l = 0; l < 4; l++) {
			struct big m;
			big_header(&m, 0x100 + 4 * i + l, 37, l);
			size_t at = big_payload(&m, 43); /* V */
			for (int k = 0; k < 12; k++)
				big_u8(&m, 0x56);
			m.b[at + 2] = 0;
			m.b[at + 3] = (uint8_t)l;
			big_done(&m, (uint32_t)m.len);
			add_msg(m.b, m.len, 500);
		}
	add_good(GOOD_SPI);
	save_pcap();
}

/* A chain that points back at itself: N payloads of length 0, each naming N next. */
static void case_payload_chain_loop(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++) {
		struct big m;
		big_header(&m, 0x100 + i, 37, i);
		m.b[m.np] = 41;
		for (int k = 0; k < 8; k++) {
			big_u8(&m, 41);
			big_u8(&m, 0);
			big_u16(&m, 0);
		}
		big_done(&m, (uint32_t)m.len);
		add_msg(m.b, m.len, 500);
	}
	add_good(GOOD_SPI);
	save_pcap();
}

/* One message whose chain holds SCALE well-formed 4-byte V payloads. */
static void case_payload_chain_many(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	struct big m;
	big_header(&m, 0x100, 37, 1);
	for (unsigned i = 0; i < scale && m.len + 4 <= 60000; i++)
		big_end(&m, big_payload(&m, 43));
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	add_good(GOOD_SPI);
	save_pcap();
}

/* An IKE_SA_INIT whose SA payload carries SCALE proposals of one transform each. */
static void case_sa_many_proposals(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	struct big m;
	big_header(&m, 0x100, 34, 0);
	size_t sa_at = big_payload(&m, 33);
	for (unsigned i = 0; i < scale && m.len + 16 <= 60000; i++) {
		big_u8(&m, i + 1 < scale ? 2 : 0); /* more proposals follow */
		big_u8(&m, 0);
		big_u16(&m, 16);
		big_u8(&m, (uint8_t)(i + 1));
		big_u8(&m, 1); /* IKE */
		big_u8(&m, 0);
		big_u8(&m, 1);
		big_u8(&m, 0); /* last transform: ENCR AES_CBC */
		big_u8(&m, 0);
		big_u16(&m, 8);
		big_u8(&m, 1);
		big_u8(&m, 0);
		big_u16(&m, 12);
	}
	big_end(&m, sa_at);
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	add_good(GOOD_SPI);
	save_pcap();
}

/* An SK whose plaintext is an SK holding an SK … SCALE levels deep (capped by
 * the sealer's 2 KiB plaintext); the key file opens the outer one. */
static void case_nesting(unsigned scale)
{
	keys_init();
	capw_pcap(&cw, 1, 65535);
	uint8_t inner[1600];
	size_t levels = scale < 300 ? scale : 300, n = 4 * levels + 8;
	for (size_t i = 0; i < levels; i++) {
		inner[4 * i] = 46; /* E inside E */
		inner[4 * i + 1] = 0;
		pk_be16(inner + 4 * i + 2, (uint16_t)(n - 4 * i));
	}
	memset(inner + 4 * levels, 0x5a, 8);
	struct seal_opts o = {.from_i = true, .force_pad_len = -1};
	add_sealed(&o, 46, inner, n);
	o.skf = true; /* and an SKF holding an SKF */
	o.frag_num = o.frag_total = 1;
	uint8_t skf[16] = {53, 0, 0, 16, 0, 1, 0, 1};
	add_sealed(&o, 53, skf, sizeof(skf));
	add_good(GOOD_SPI);
	save_pcap();
	char row[1024];
	key_row(row, sizeof(row));
	out_write("keys", row, strlen(row));
	sodium_memzero(row, sizeof(row));
}

/* SCALE SKF fragments, each announcing 65,535 fragments, all verified. */
static void case_skf_65535(unsigned scale)
{
	keys_init();
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++) {
		struct seal_opts o = {.from_i = true, .skf = true, .frag_num = (uint16_t)(i % 65535 + 1),
				      .frag_total = 65535, .force_pad_len = -1};
		add_sealed(&o, i == 0 ? 41 : 0, inner_notify, sizeof(inner_notify));
	}
	add_good(GOOD_SPI);
	save_pcap();
	char row[1024];
	key_row(row, sizeof(row));
	out_write("keys", row, strlen(row));
	sodium_memzero(row, sizeof(row));
}

/* SCALE IPv4 datagrams sent as two fragments that overlap by 64 bytes. */
static void case_ip_fragments_overlap(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++) {
		struct ikeb m;
		ikeb_sa_init(&m, 0x100 + i, 0, 0);
		struct pk *d = pk_new();
		pk_put(d, m.b, m.len);
		pk_udp(d, 500, 500);
		size_t len = pk_len(d);
		uint16_t id = (uint16_t)(i + 1);
		struct pk *f1 = pk_new(), *f2 = pk_new();
		pk_put(f1, pk_data(d), 256);
		pk_ip4(f1, A4, B4, 17, id, 0x2000);
		pk_eth(f1, 0x0800);
		pk_put(f2, pk_data(d) + 192, len - 192); /* starts 64 bytes inside the first */
		pk_ip4(f2, A4, B4, 17, id, 192 / 8);
		pk_eth(f2, 0x0800);
		capw_pk(&cw, frame_sec++, f1);
		capw_pk(&cw, frame_sec++, f2);
		free(d);
		free(f1);
		free(f2);
	}
	add_good(GOOD_SPI);
	save_pcap();
}

/* RFC 8229: IKETCP, one good record, then a record whose length prefix is
 * plen, then SCALE segments of 1000 bytes on the same stream. */
static void tcp_stream(unsigned scale, uint16_t plen)
{
	capw_pcap(&cw, 1, 65535);
	uint32_t seq = 1000;
	struct pk *p = pk_new();
	pk_put(p, "\0\0\0\0", 4); /* SYN */
	p->end -= 4;
	pk_tcp(p, 40000, 4500, seq - 1, TH_SYN);
	pk_ip4(p, A4, B4, 6, 1, 0);
	pk_eth(p, 0x0800);
	capw_pk(&cw, frame_sec++, p);
	free(p);

	struct ikeb m;
	ikeb_sa_init(&m, 0x100, 0, 0);
	p = pk_new();
	pk_put(p, "IKETCP", 6);
	uint8_t hdr[6];
	pk_be16(hdr, (uint16_t)(m.len + 6));
	memset(hdr + 2, 0, 4); /* non-ESP marker */
	pk_put(p, hdr, 6);
	pk_put(p, m.b, m.len);
	pk_be16(hdr, plen);
	pk_put(p, hdr, 2);
	size_t n = pk_len(p);
	pk_tcp(p, 40000, 4500, seq, TH_ACK | TH_PSH);
	pk_ip4(p, A4, B4, 6, 2, 0);
	pk_eth(p, 0x0800);
	capw_pk(&cw, frame_sec++, p);
	free(p);
	seq += (uint32_t)n;
	for (unsigned i = 0; i < scale; i++) {
		p = pk_new();
		pk_fill(p, 0, 1000);
		pk_tcp(p, 40000, 4500, seq, TH_ACK);
		pk_ip4(p, A4, B4, 6, (uint16_t)(3 + i), 0);
		pk_eth(p, 0x0800);
		capw_pk(&cw, frame_sec++, p);
		free(p);
		seq += 1000;
	}
	add_good(GOOD_SPI);
	save_pcap();
}
static void case_tcp_length_0(unsigned scale) { tcp_stream(scale, 0); }
static void case_tcp_length_65535(unsigned scale) { tcp_stream(scale, 65535); }

/* SCALE RFC 8229 streams, each opened by a SYN and then missing its first 100
 * bytes, with 4 segments of 60,000 bytes after the hole: nothing can be cut
 * into records, so every stream holds all it gets, and past the stream cap
 * the oldest are evicted. Peak memory is what the caps allow, whatever SCALE. */
static void case_tcp_streams_at_cap(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	for (unsigned i = 0; i < scale; i++) {
		uint16_t sport = (uint16_t)(10000 + i);
		struct pk *p = pk_new();
		pk_tcp(p, sport, 4500, 999, TH_SYN);
		pk_ip4(p, A4, B4, 6, 1, 0);
		pk_eth(p, 0x0800);
		capw_pk(&cw, frame_sec, p);
		free(p);
		for (uint32_t k = 0; k < 4; k++) {
			p = pk_new();
			pk_fill(p, (uint8_t)k, 60000);
			pk_tcp(p, sport, 4500, 1000 + 100 + k * 60000, TH_ACK);
			pk_ip4(p, A4, B4, 6, (uint16_t)(2 + k), 0);
			pk_eth(p, 0x0800);
			capw_pk(&cw, frame_sec, p);
			free(p);
		}
		frame_sec++;
	}
	add_good(GOOD_SPI);
	save_pcap();
}

/* SCALE sealed messages of an SA the key file does not have (it has another). */
static void case_spis_no_keys(unsigned scale)
{
	keys_init();
	capw_pcap(&cw, 1, 65535);
	struct seal_opts o = {.from_i = true, .force_pad_len = -1};
	for (unsigned i = 0; i < scale; i++)
		add_sealed(&o, 41, inner_notify, sizeof(inner_notify));
	save_pcap();
	char row[1024];
	key_row(row, sizeof(row));
	row[0] = row[0] == '0' ? '1' : '0'; /* another SPIi */
	out_write("keys", row, strlen(row));
	sodium_memzero(row, sizeof(row));
}

/* A key file with SCALE bad lines of the given kind around the one good row,
 * and one sealed message that the good row opens. */
static void keyfile(unsigned scale, const char *kind)
{
	keys_init();
	capw_pcap(&cw, 1, 65535);
	struct seal_opts o = {.from_i = true, .force_pad_len = -1};
	add_sealed(&o, 41, inner_notify, sizeof(inner_notify));
	save_pcap();

	char row[1024];
	key_row(row, sizeof(row));
	FILE *f = out_open("keys", "wb");
	for (unsigned i = 0; i < scale; i++) {
		if (!strcmp(kind, "garbage")) {
			uint8_t junk[97];
			for (size_t k = 0; k < sizeof(junk); k++)
				junk[k] = (uint8_t)((i * 131 + k * 7 + 1) % 256 == '\n' ? 0 : (i * 131 + k * 7 + 1) % 256);
			junk[0] = 0xff; /* never a comment ('#') or a blank line, which are skipped silently */
			fwrite(junk, 1, sizeof(junk), f);
			fputs("\n,,,,,,,,\nikev2 Q 0xzz\n", f);
		} else if (!strcmp(kind, "lengths")) {
			/* SK_ei of 5 bytes for AES-CBC-128, SPIs of 15 digits */
			fprintf(f, "%016x,%016x,0011223344,00112233445566778899aabbccddeeff,\"AES-CBC-128 [RFC3602]\","
				   "0011223344556677889900112233445566778899,0011223344556677889900112233445566778899,"
				   "\"HMAC_SHA1_96 [RFC2404]\"\n", i + 1, i + 1);
			fprintf(f, "%015x,%016x,00112233445566778899aabbccddeeff,00112233445566778899aabbccddeeff,"
				   "\"AES-CBC-128 [RFC3602]\",00,00,\"HMAC_SHA1_96 [RFC2404]\"\n", i + 1, i + 1);
		} else {
			fprintf(f, "%016x,%016x,00112233445566778899aabbccddeeff,00112233445566778899aabbccddeeff,"
				   "\"ROT13-CBC [RFC0000]\",0011223344556677889900112233445566778899,"
				   "0011223344556677889900112233445566778899,\"HMAC_SHA1_96 [RFC2404]\"\n", i + 1, i + 1);
			fprintf(f, "ikev2 I 0x%016x 0x%016x sha7:0x00112233 blowfish-ecb:0x00112233\n", i + 1, i + 1);
		}
		if (i == scale / 2)
			fputs(row, f);
	}
	if (fclose(f) != 0)
		die("keys");
	sodium_memzero(row, sizeof(row));
}
static void case_keyfile_garbage(unsigned scale) { keyfile(scale, "garbage"); }
static void case_keyfile_wrong_lengths(unsigned scale) { keyfile(scale, "lengths"); }
static void case_keyfile_unknown_algorithms(unsigned scale) { keyfile(scale, "algorithms"); }

/* The lab's charon ike=4 log, with something inserted before its line number at. */
static char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path);
	size_t cap = 1 << 16;
	char *b = malloc(cap);
	*n = 0;
	size_t r;
	while ((r = fread(b + *n, 1, cap - *n, f)) > 0) {
		*n += r;
		if (*n == cap)
			b = realloc(b, cap *= 2);
	}
	fclose(f);
	return b;
}

static const char *lab_log = "tests/unit/data/keydump/charon-ike4.log";

/* A line of SCALE MiB (a charon-looking prefix and then one word), between
 * the lab log's first and second lines, and another at its end. */
static void case_log_long_line(unsigned scale, const char *root)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, lab_log);
	size_t n;
	char *log = read_all(path, &n);
	char *nl = memchr(log, '\n', n);
	size_t head = nl ? (size_t)(nl - log) + 1 : n;
	FILE *f = out_open("log", "wb");
	fwrite(log, 1, head, f);
	for (int k = 0; k < 2; k++) {
		fputs("Nov 27 00:00:00 vedge charon: 00[CFG] ", f);
		for (size_t i = 0; i < (size_t)scale << 20; i++)
			putc('A' + (int)(i % 26), f);
		putc('\n', f);
		if (k == 0)
			fwrite(log + head, 1, n - head, f);
	}
	if (fclose(f) != 0)
		die("log");
	free(log);
}

/* SCALE lines of binary junk and invalid UTF-8 (NUL, 0xff, lone continuation
 * bytes, overlong and truncated sequences, CR, escapes) after every line. */
static void case_log_binary_junk(unsigned scale, const char *root)
{
	static const char junk[][32] = {
		"\x00\x01\x02\xff\xfe\r", "\xc3\x28\xa0\xa1", "\xe0\x80\x80\xf8\x88\x80\x80\x80",
		"\xed\xa0\x80 \xf4\x90\x80\x80", "\x1b[31m\x7f\x80\x81", "Nov 27 \xff\xff:00:00 \xc0\xaf charon:",
	};
	static const size_t junk_len[] = {6, 4, 8, 8, 8, 26};
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, lab_log);
	size_t n;
	char *log = read_all(path, &n);
	FILE *f = out_open("log", "wb");
	for (size_t i = 0; i < n; i++) {
		putc(log[i], f);
		if (log[i] != '\n')
			continue;
		for (unsigned k = 0; k < scale; k++) {
			fwrite(junk[k % 6], 1, junk_len[k % 6], f);
			putc('\n', f);
		}
	}
	if (fclose(f) != 0)
		die("log");
	free(log);
}

/* The lab's syslog (without SPIs in its key dumps) with SCALE earlier-dated
 * lines after every line, each an hour or a day further back. */
static void case_log_timestamps_backwards(unsigned scale, const char *root)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/unit/data/keydump/syslog-no-spis.log", root);
	size_t n;
	char *log = read_all(path, &n);
	FILE *f = out_open("log", "wb");
	unsigned k = 0;
	for (size_t i = 0; i < n; i++) {
		putc(log[i], f);
		if (log[i] != '\n')
			continue;
		for (unsigned j = 0; j < scale; j++, k++)
			fprintf(f, "Nov %2u %02u:%02u:00 vedge charon: 07[NET] sending packet: from 192.0.2.1[500] to "
				   "203.0.113.1[500] (100 bytes)\n", 26 - (k / 24) % 20, 23 - k % 24, k % 60);
	}
	if (fclose(f) != 0)
		die("log");
	free(log);
}

/* Requests and responses whose capture times run backwards. */
static void case_pcap_timestamps_backwards(unsigned scale)
{
	capw_pcap(&cw, 1, 65535);
	uint32_t t = T0 + 100000;
	for (unsigned i = 0; i < scale; i++) {
		struct ikeb m;
		ikeb_sa_init(&m, 0x100 + i, 0, 0);
		struct pk *p = udp_frame(m.b, m.len, 500);
		capw_pk(&cw, t--, p);
		free(p);
		ikeb_sa_init(&m, 0x100 + i, 0x900 + i, 1);
		p = udp_frame(m.b, m.len, 500);
		capw_pk(&cw, t -= 7, p);
		free(p);
	}
	save_pcap();
}

/* ---- published dissector advisories, rebuilt from their descriptions ----
 *
 * The reporters' capture files (the pcap files in tcpdump's tests directory for these CVEs, the
 * Wireshark bug attachments) are not available here; each case below rebuilds
 * the input shape the advisory and its fix describe, byte by byte, and
 * run.sh checks that ikescope reports it as anomalies and goes on. The same
 * files (tests/hostile/advisories/) seed the fuzz corpora. Every message is
 * built without randomness, so the committed files can be compared with what
 * this code writes.
 */

/* An IKEv1 (ISAKMP 1.0) header: the byte order and fields IKEv2 kept. */
static void v1_header(struct big *m, uint64_t icookie, uint8_t exch, uint8_t flags)
{
	big_header(m, icookie, exch, 0);
	m->b[17] = 0x10;
	m->b[19] = flags;
}

/* tcpdump CVE-2017-12990 (ISAKMP infinite loop): the printer dissected a
 * Notification's data as a whole ISAKMP message, which can hold the same
 * Notification again. Here: an IKEv1 and an IKEv2 message whose notify data is
 * an ISAKMP header and a Notification, nested eight deep. */
static void case_tcpdump_cve_2017_12990(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 1, 65535);
	for (int v = 1; v <= 2; v++) {
		uint8_t inner[1024];
		size_t n = 0;
		for (int level = 0; level < 8; level++) {
			struct big h;
			if (v == 1)
				v1_header(&h, 0x12990, 5, 0);
			else
				big_header(&h, 0x12990, 37, 0);
			h.b[16] = v == 1 ? 11 : 41; /* first payload: N */
			memmove(inner + 28 + 12, inner, n);
			memcpy(inner, h.b, 28);
			uint8_t *pl = inner + 28; /* N: next none, length, then the v1 DOI or the v2 fields */
			memset(pl, 0, 12);
			pk_be16(pl + 2, (uint16_t)(12 + n));
			pl[4] = v == 1 ? 0 : 1; /* v2: protocol IKE */
			pk_be16(pl + 10 - (v == 1 ? 0 : 4), 40000);
			n += 28 + 12;
			pk_be32(inner + 24, (uint32_t)n);
		}
		add_msg(inner, n, 500);
	}
	add_good(GOOD_SPI);
	save_pcap();
}

/* tcpdump CVE-2017-13039 (ISAKMP over-read in several functions): sub-payload
 * lengths beyond their parent. A proposal longer than its SA, a transform
 * longer than its proposal, a transform of length 0 (the walker must still
 * advance), a TLV attribute beyond its transform; and an IKEv1 SA with the
 * same long proposal. */
static void case_tcpdump_cve_2017_13039(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 1, 65535);
	static const uint8_t bad[][20] = {
		/* proposal: last, length 200, #1, IKE, SPI size 0, 1 transform; transform ENCR AES_CBC */
		{0, 0, 0, 200, 1, 1, 0, 1, 0, 0, 0, 8, 1, 0, 0, 12},
		/* proposal length 20; transform length 60 */
		{0, 0, 0, 20, 1, 1, 0, 1, 0, 0, 0, 60, 1, 0, 0, 12, 0x80, 0x0e, 0, 128},
		/* proposal length 20; transform length 0, two transforms claimed */
		{0, 0, 0, 20, 1, 1, 0, 2, 0, 0, 0, 0, 1, 0, 0, 12, 0, 0, 0, 0},
		/* transform length 12 with a TLV attribute (type 14) claiming 1,000 bytes */
		{0, 0, 0, 20, 1, 1, 0, 1, 0, 0, 0, 16, 1, 0, 0, 12, 0x00, 0x0e, 0x03, 0xe8},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct big m;
		big_header(&m, 0x13039 + i, 34, 0);
		size_t at = big_payload(&m, 33);
		memcpy(m.b + m.len, bad[i], 20);
		m.len += 20;
		big_end(&m, at);
		big_done(&m, (uint32_t)m.len);
		add_msg(m.b, m.len, 500);
	}
	struct big m;
	v1_header(&m, 0x13039, 2, 0); /* Identity Protection (Main Mode) */
	size_t at = big_payload(&m, 1); /* v1 SA: DOI, situation, then the proposal */
	big_u32(&m, 1);
	big_u32(&m, 1);
	memcpy(m.b + m.len, bad[0], 16);
	m.len += 16;
	big_end(&m, at);
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	add_good(GOOD_SPI);
	save_pcap();
}

/* tcpdump CVE-2017-13689 (IKEv1 ID over-read; the reporter's file was
 * ikev1_id_ipv6_addr_subnet-oobr): an identification whose type promises more
 * address bytes than the payload holds. IKEv2 IDi of type IPv6 with 4 bytes
 * and of type IPv4 with 2, a TSi whose IPv6 selector says 16 bytes, and the
 * IKEv1 ID of type IPV6_ADDR_SUBNET with 8 bytes. */
static void case_tcpdump_cve_2017_13689(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 1, 65535);
	static const struct {
		uint8_t type, len;
		uint8_t body[12];
	} bad[] = {
		{35, 8, {5, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8}},     /* IDi ID_IPV6_ADDR, 4 bytes */
		{35, 6, {1, 0, 0, 0, 192, 0}},                     /* IDi ID_IPV4_ADDR, 2 bytes */
		{44, 12, {1, 0, 0, 0, 8, 0, 0, 16, 0, 0, 0xff, 0xff}}, /* TSi: IPv6 range of 16 bytes */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct big m;
		big_header(&m, 0x13689 + i, 35, 1);
		size_t at = big_payload(&m, bad[i].type);
		memcpy(m.b + m.len, bad[i].body, bad[i].len);
		m.len += bad[i].len;
		big_end(&m, at);
		big_done(&m, (uint32_t)m.len);
		add_msg(m.b, m.len, 500);
	}
	struct big m;
	v1_header(&m, 0x13689, 4, 0); /* Aggressive Mode */
	size_t at = big_payload(&m, 5); /* v1 ID: type 6 (IPV6_ADDR_SUBNET), protocol, port, 8 of 32 bytes */
	big_u8(&m, 6);
	big_u8(&m, 17);
	big_u16(&m, 500);
	for (int k = 0; k < 8; k++)
		big_u8(&m, 0x20);
	big_end(&m, at);
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	add_good(GOOD_SPI);
	save_pcap();
}

/* tcpdump CVE-2017-13690 (IKEv2 over-read in several functions; the fixed
 * code printed "key len" and the raw bytes of KE from the payload length): KE
 * of length 6 (below its 8-byte header), KE claiming 300 bytes of the 40
 * left, N with a 16-byte SPI size and 4 bytes, CERT of length 4 (no encoding
 * byte), AUTH of length 5 and an empty Nonce. */
static void case_tcpdump_cve_2017_13690(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 1, 65535);
	static const struct {
		uint8_t type;
		uint16_t len; /* as declared */
		uint8_t n;    /* body bytes present */
		uint8_t body[12];
	} bad[] = {
		{34, 6, 2, {0, 14}},
		{34, 300, 36, {0, 14, 0, 0, 1, 2, 3, 4}},
		{41, 12, 8, {1, 16, 0x40, 0x00, 1, 2, 3, 4}},
		{37, 4, 0, {0}},
		{39, 5, 1, {1}},
		{40, 4, 0, {0}},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct big m;
		big_header(&m, 0x13690 + i, 34, 0);
		size_t at = big_payload(&m, bad[i].type);
		memset(m.b + m.len, 0, bad[i].n);
		memcpy(m.b + m.len, bad[i].body, bad[i].n < 12 ? bad[i].n : 12);
		m.len += bad[i].n;
		pk_be16(m.b + at + 2, bad[i].len);
		big_done(&m, (uint32_t)m.len);
		add_msg(m.b, m.len, 500);
	}
	add_good(GOOD_SPI);
	save_pcap();
}

/* Wireshark wnpa-sec-2019-04 (CVE-2019-5719, bug 15374; the ISAKMP dissector
 * crashed when the decryption data of an encrypted message was missing):
 * encrypted messages with keys but nothing to decrypt. An SK of 3 bytes, an
 * SK shorter than IV plus ICV, an SKF of 2 bytes (no fragment numbers), an SK
 * for SPIs the key file has whose IKE_SA_INIT was never seen, and an IKEv1
 * message with the encryption flag and no key exchange before it. */
static void case_wireshark_wnpa_sec_2019_04(unsigned scale)
{
	(void)scale;
	keys_init();
	capw_pcap(&cw, 1, 65535);
	static const struct {
		uint8_t type;
		uint8_t n;
	} sk[] = {{46, 3}, {46, 20}, {53, 2}, {46, 64}};
	for (size_t i = 0; i < sizeof(sk) / sizeof(sk[0]); i++) {
		struct big m;
		big_header(&m, SA_ISPI, 35, 1);
		pk_be32(m.b + 8, (uint32_t)(SA_RSPI >> 32));
		pk_be32(m.b + 12, (uint32_t)SA_RSPI);
		size_t at = big_payload(&m, sk[i].type);
		m.b[at] = 41;
		memset(m.b + m.len, 0x5c, sk[i].n);
		m.len += sk[i].n;
		big_end(&m, at);
		big_done(&m, (uint32_t)m.len);
		add_msg(m.b, m.len, 4500);
	}
	struct big m;
	v1_header(&m, 0x5719, 5, 0x01); /* Informational, E flag */
	m.b[16] = 8;                    /* HASH, inside the "encrypted" bytes */
	for (int k = 0; k < 40; k++)
		big_u8(&m, (uint8_t)(k * 37));
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	add_good(GOOD_SPI);
	save_pcap();
	char row[1024];
	key_row(row, sizeof(row));
	out_write("keys", row, strlen(row));
	sodium_memzero(row, sizeof(row));
}

/* Wireshark CVE-2011-3266 (the IKEv1 Delete dissector looped forever: its
 * loop advanced by the SPI size, which may be 0). Deletes with SPI size 0 and
 * 65,535 SPIs claimed, with SPI size 4 and 65,535 SPIs in 8 bytes, and with
 * SPI size 255; an IKEv1 Delete of SPI size 0 with bytes after it. */
static void case_wireshark_cve_2011_3266(unsigned scale)
{
	(void)scale;
	capw_pcap(&cw, 1, 65535);
	static const uint8_t bad[][12] = {
		{3, 0, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8},
		{3, 4, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8},
		{3, 255, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct big m;
		big_header(&m, 0x3266 + i, 37, 2);
		size_t at = big_payload(&m, 42);
		memcpy(m.b + m.len, bad[i], 12);
		m.len += 12;
		big_end(&m, at);
		big_done(&m, (uint32_t)m.len);
		add_msg(m.b, m.len, 500);
	}
	struct big m;
	v1_header(&m, 0x3266, 5, 0);
	size_t at = big_payload(&m, 12); /* v1 Delete: DOI, protocol, SPI size 0, 65,535 SPIs */
	big_u32(&m, 1);
	big_u8(&m, 3);
	big_u8(&m, 0);
	big_u16(&m, 0xffff);
	for (int k = 0; k < 8; k++)
		big_u8(&m, (uint8_t)k);
	big_end(&m, at);
	big_done(&m, (uint32_t)m.len);
	add_msg(m.b, m.len, 500);
	add_good(GOOD_SPI);
	save_pcap();
}

struct hcase {
	const char *name;
	void (*gen)(unsigned scale);
	void (*gen_root)(unsigned scale, const char *root);
};

static const struct hcase cases[] = {
	{"trunc-file-header", case_trunc_file_header, NULL},
	{"trunc-record-header", case_trunc_record_header, NULL},
	{"trunc-record-data", case_trunc_record_data, NULL},
	{"caplen-over-snaplen", case_caplen_over_snaplen, NULL},
	{"caplen-over-max", case_caplen_over_max, NULL},
	{"caplen-over-frame", case_caplen_over_frame, NULL},
	{"zero-length-frames", case_zero_length_frames, NULL},
	{"unknown-link-type", case_unknown_link_type, NULL},
	{"ike-length-larger", case_ike_length_larger, NULL},
	{"ike-length-smaller", case_ike_length_smaller, NULL},
	{"payload-length-0-3", case_payload_length_0_3, NULL},
	{"payload-chain-loop", case_payload_chain_loop, NULL},
	{"payload-chain-10000", case_payload_chain_many, NULL},
	{"sa-1000-proposals", case_sa_many_proposals, NULL},
	{"nesting", case_nesting, NULL},
	{"skf-65535-fragments", case_skf_65535, NULL},
	{"ip-fragments-overlap", case_ip_fragments_overlap, NULL},
	{"tcp-length-0", case_tcp_length_0, NULL},
	{"tcp-length-65535", case_tcp_length_65535, NULL},
	{"tcp-streams-at-cap", case_tcp_streams_at_cap, NULL},
	{"spis-no-keys", case_spis_no_keys, NULL},
	{"keyfile-garbage", case_keyfile_garbage, NULL},
	{"keyfile-wrong-lengths", case_keyfile_wrong_lengths, NULL},
	{"keyfile-unknown-algorithms", case_keyfile_unknown_algorithms, NULL},
	{"log-long-line", NULL, case_log_long_line},
	{"log-binary-junk", NULL, case_log_binary_junk},
	{"log-timestamps-backwards", NULL, case_log_timestamps_backwards},
	{"pcap-timestamps-backwards", case_pcap_timestamps_backwards, NULL},
	{"tcpdump-cve-2017-12990", case_tcpdump_cve_2017_12990, NULL},
	{"tcpdump-cve-2017-13039", case_tcpdump_cve_2017_13039, NULL},
	{"tcpdump-cve-2017-13689", case_tcpdump_cve_2017_13689, NULL},
	{"tcpdump-cve-2017-13690", case_tcpdump_cve_2017_13690, NULL},
	{"wireshark-wnpa-sec-2019-04", case_wireshark_wnpa_sec_2019_04, NULL},
	{"wireshark-cve-2011-3266", case_wireshark_cve_2011_3266, NULL},
};

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: hostile_gen CASE SCALE OUT SRCROOT\n");
		return 1;
	}
	char *end;
	unsigned long scale = strtoul(argv[2], &end, 10);
	if (*end || scale == 0 || scale > 100000) {
		fprintf(stderr, "hostile_gen: SCALE must be 1..100000\n");
		return 1;
	}
	out_prefix = argv[3];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, argv[1]))
			continue;
		if (cases[i].gen)
			cases[i].gen((unsigned)scale);
		else
			cases[i].gen_root((unsigned)scale, argv[4]);
		if (ring)
			ike_keyring_free(ring);
		return 0;
	}
	fprintf(stderr, "hostile_gen: no case %s\n", argv[1]);
	return 1;
}
