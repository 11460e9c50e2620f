/* Writing keys: exact Wireshark, tcpdump and JSON text, and write-then-read round trips. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto_int.h"
#include "ikescope/keys.h"

static struct ike_keyring *ring;

static void setup(void) { ring = ike_keyring_new(); }
static void teardown(void) { ike_keyring_free(ring); }
TestSuite(write, .init = setup, .fini = teardown);

static void add(uint64_t ispi, uint64_t rspi, uint16_t encr, uint16_t bits, uint16_t integ, uint8_t dirs, uint8_t seed)
{
	const struct ike_encr_alg *e = ike_encr_find(encr, bits);
	const struct ike_integ_alg *a = ike_integ_find(integ);
	uint8_t k[4][IKE_KEY_MAX];
	for (size_t i = 0; i < sizeof(k); i++)
		((uint8_t *)k)[i] = (uint8_t)(seed + i);
	size_t al = a->kind == IKE_MK_UNCHECKED ? 0 : a->key_len;
	struct ike_sa_keyspec s = {.ispi = ispi, .rspi = rspi, .encr = encr, .encr_bits = bits, .integ = integ,
				   .dirs = dirs, .ei = k[0], .er = k[1], .ai = k[2], .ar = k[3],
				   .ei_len = e->key_len, .er_len = e->key_len, .ai_len = al, .ar_len = al, .origin = "test"};
	char why[200];
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
}

Test(write, exact_wireshark_row)
{
	add(0x19ab98963486359full, 0x78f13157ccd3b3d8ull, 12, 128, 2, IKE_KEYS_I | IKE_KEYS_R, 0);
	char buf[1024];
	int n = ike_sa_keys_format(ike_keyring_at(ring, 0), IKE_KEYS_WIRESHARK, buf, sizeof(buf));
	const char *want = "19ab98963486359f,78f13157ccd3b3d8,000102030405060708090a0b0c0d0e0f,"
			   "404142434445464748494a4b4c4d4e4f,\"AES-CBC-128 [RFC3602]\","
			   "808182838485868788898a8b8c8d8e8f90919293,c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3,"
			   "\"HMAC_SHA1_96 [RFC2404]\"\n";
	cr_assert_str_eq(buf, want);
	cr_assert_eq(n, (int)strlen(want));
}

Test(write, exact_tcpdump_lines_and_one_direction)
{
	add(1, 2, 20, 256, 0, IKE_KEYS_I | IKE_KEYS_R, 0);
	add(3, 4, 3, 0, 12, IKE_KEYS_R, 0x10);
	char buf[1024];
	ike_sa_keys_format(ike_keyring_at(ring, 0), IKE_KEYS_TCPDUMP, buf, sizeof(buf));
	cr_assert_str_eq(buf, "ikev2 I 0x0000000000000001 0x0000000000000002 none:0x aes_gcm_16256:0x"
			      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223\n"
			      "ikev2 R 0x0000000000000001 0x0000000000000002 none:0x aes_gcm_16256:0x"
			      "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263\n");
	ike_sa_keys_format(ike_keyring_at(ring, 1), IKE_KEYS_TCPDUMP, buf, sizeof(buf));
	cr_assert_str_eq(buf, "ikev2 R 0x0000000000000003 0x0000000000000004 sha256:0x"
			      "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef 3des:0x"
			      "505152535455565758595a5b5c5d5e5f6061626364656667\n");
	/* a Wireshark row needs both directions */
	cr_assert_eq(ike_sa_keys_format(ike_keyring_at(ring, 1), IKE_KEYS_WIRESHARK, buf, sizeof(buf)), -1);
}

Test(write, exact_json)
{
	add(0xc0c1c2c3c4c5c6c7ull, 0xd0d1d2d3d4d5d6d7ull, 28, 0, 0, IKE_KEYS_R, 0);
	char buf[1024];
	ike_sa_keys_format(ike_keyring_at(ring, 0), IKE_KEYS_JSON, buf, sizeof(buf));
	cr_assert_str_eq(buf, "{\"v\":1,\"type\":\"keys\",\"ispi\":\"c0c1c2c3c4c5c6c7\",\"rspi\":\"d0d1d2d3d4d5d6d7\","
			      "\"encr\":\"CHACHA20_POLY1305\",\"encr_id\":28,\"encr_keylen\":null,\"integ\":\"NONE\","
			      "\"integ_id\":0,\"sk_ei\":null,\"sk_er\":"
			      "\"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263\","
			      "\"sk_ai\":null,\"sk_ar\":\"\",\"origin\":\"test\"}\n");
}

Test(write, short_buffers_are_measured_and_terminated)
{
	add(1, 2, 12, 256, 14, IKE_KEYS_I | IKE_KEYS_R, 0);
	char full[2048], small[2048];
	for (int fmt = IKE_KEYS_WIRESHARK; fmt <= IKE_KEYS_JSON; fmt++) {
		int n = ike_sa_keys_format(ike_keyring_at(ring, 0), fmt, full, sizeof(full));
		cr_assert_gt(n, 0);
		cr_assert_eq((size_t)n, strlen(full));
		for (size_t cap = 0; cap <= (size_t)n + 1; cap++) {
			memset(small, 'X', sizeof(small));
			cr_assert_eq(ike_sa_keys_format(ike_keyring_at(ring, 0), fmt, small, cap), n);
			if (cap) {
				size_t got = strlen(small);
				/* truncation keeps whole hex pairs, so it may stop one short */
				if (cap - 1 < (size_t)n)
					cr_assert(got == cap - 1 || (cap >= 2 && got == cap - 2), "fmt %d cap %zu", fmt, cap);
				else
					cr_assert_eq(got, (size_t)n);
				cr_assert(strncmp(small, full, strlen(small)) == 0);
			}
			cr_assert_eq(small[cap], 'X', "fmt %d cap %zu: wrote past the buffer", fmt, cap);
		}
	}
}

/* Every SA written and read back gives the same SA. */
static void round_trip(enum ike_key_format fmt)
{
	char path[] = "/tmp/ikescope-keys-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	int n = ike_keyring_write(ring, fmt, f);
	fclose(f);
	struct ike_keyring *back = ike_keyring_new();
	/* tcpdump lines count one per direction when read */
	cr_assert_geq(ike_keyring_load_file(back, path, NULL), n);
	unlink(path);
	cr_assert_eq(ike_keyring_count(back), (size_t)n);
	for (size_t i = 0; i < ike_keyring_count(back); i++) {
		const struct ike_sa_keys *b = ike_keyring_at(back, i);
		const struct ike_sa_keys *a = ike_keyring_find(ring, b->ispi, b->rspi);
		cr_assert_not_null(a);
		cr_assert_eq(a->encr, b->encr);
		cr_assert_eq(a->encr_bits, b->encr_bits);
		cr_assert_eq(a->integ, b->integ);
		cr_assert_eq(a->icv_len, b->icv_len);
		cr_assert_eq(a->have, b->have);
		cr_assert(memcmp(a->ei, b->ei, a->enc_len) == 0 && memcmp(a->er, b->er, a->enc_len) == 0);
		cr_assert(memcmp(a->ai, b->ai, a->integ_len) == 0 && memcmp(a->ar, b->ar, a->integ_len) == 0);
	}
	ike_keyring_free(back);
}

static const struct { uint16_t encr, bits; } encrs[] = {
	{11, 0}, {3, 0}, {12, 128}, {12, 192}, {12, 256}, {13, 128}, {13, 192}, {13, 256}, {18, 128}, {18, 192}, {18, 256},
	{19, 128}, {19, 192}, {19, 256}, {20, 128}, {20, 192}, {20, 256}, {14, 128}, {14, 192}, {14, 256}, {15, 128},
	{15, 192}, {15, 256}, {16, 128}, {16, 192}, {16, 256}, {28, 0},
};
static const uint16_t integs[] = {1, 2, 5, 6, 7, 8, 12, 13, 14, IKE_INTEG_HMAC_SHA2_256_96, IKE_INTEG_UNCHECKED(96)};

static void add_everything(void)
{
	uint64_t spi = 1;
	for (size_t i = 0; i < sizeof(encrs) / sizeof(encrs[0]); i++) {
		const struct ike_encr_alg *e = ike_encr_find(encrs[i].encr, encrs[i].bits);
		if (ike_encr_is_aead(e)) {
			add(spi, spi + 1000, e->id, e->bits, 0, IKE_KEYS_I | IKE_KEYS_R, (uint8_t)spi), spi++;
			continue;
		}
		for (size_t j = 0; j < sizeof(integs) / sizeof(integs[0]); j++)
			add(spi, spi + 1000, e->id, e->bits, integs[j], IKE_KEYS_I | IKE_KEYS_R, (uint8_t)spi), spi++;
	}
}

Test(write, wireshark_round_trip_of_every_algorithm)
{
	add_everything();
	round_trip(IKE_KEYS_WIRESHARK);
}

Test(write, tcpdump_round_trip_of_every_algorithm_it_can_name)
{
	add_everything();
	add(9999, 1, 12, 128, 2, IKE_KEYS_I, 9); /* one direction only */
	round_trip(IKE_KEYS_TCPDUMP);
	char buf[512];
	const struct ike_sa_keys *unchecked = NULL;
	for (size_t i = 0; i < ike_keyring_count(ring); i++)
		if (ike_integ_is_unchecked(ike_keyring_at(ring, i)->integ))
			unchecked = ike_keyring_at(ring, i);
	cr_assert_not_null(unchecked);
	cr_assert_eq(ike_sa_keys_format(unchecked, IKE_KEYS_TCPDUMP, buf, sizeof(buf)), -1);
}
