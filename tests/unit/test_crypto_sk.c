/* ike_sk_open(): round trips for every ENCR × INTEG pair, tampering, wrong keys, bad lengths. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/keys.h"
#include "sk_seal.h"

static const struct { uint16_t id, bits; } plain_encr[] = {
	{11, 0}, {3, 0}, {12, 128}, {12, 192}, {12, 256}, {13, 128}, {13, 192}, {13, 256},
};
static const struct { uint16_t id, bits; } aead_encr[] = {
	{18, 128}, {18, 192}, {18, 256}, {19, 128}, {19, 192}, {19, 256}, {20, 128}, {20, 192}, {20, 256},
	{14, 128}, {14, 192}, {14, 256}, {15, 128}, {15, 192}, {15, 256}, {16, 128}, {16, 192}, {16, 256},
	{28, 0},
};
static const uint16_t integs[] = {1, 2, 5, 6, 7, 8, 12, 13, 14, IKE_INTEG_HMAC_SHA2_256_96};

static struct ike_keyring *ring;

/* Random keys of the right sizes for one SA; SPIs tell the SAs apart. */
static const struct ike_sa_keys *make_sa(uint16_t encr, uint16_t bits, uint16_t integ)
{
	static uint64_t next_spi = 1;
	const struct ike_encr_alg *e = ike_encr_find(encr, bits);
	const struct ike_integ_alg *a = ike_integ_find(integ);
	cr_assert_not_null(e);
	cr_assert_not_null(a);
	uint8_t k[4][IKE_KEY_MAX];
	randombytes_buf(k, sizeof(k));
	struct ike_sa_keyspec s = {
		.ispi = 0x1000000000000000ull + next_spi, .rspi = 0x2000000000000000ull + next_spi,
		.encr = encr, .encr_bits = bits, .integ = integ, .dirs = IKE_KEYS_I | IKE_KEYS_R,
		.ei = k[0], .er = k[1], .ai = k[2], .ar = k[3],
		.ei_len = e->key_len, .er_len = e->key_len, .ai_len = a->key_len, .ar_len = a->key_len,
	};
	next_spi++;
	char why[256];
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	return ike_keyring_find(ring, s.ispi, s.rspi);
}

static void setup(void) { ring = ike_keyring_new(); cr_assert_not_null(ring); }
static void teardown(void) { ike_keyring_free(ring); }

TestSuite(sk, .init = setup, .fini = teardown);

static const struct seal_opts plain_opts = {.force_pad_len = -1};

/* Seals inner bytes of several lengths both ways, as SK and SKF, and opens them. */
static void round_trip(const struct ike_sa_keys *k)
{
	static uint8_t inner[300];
	for (size_t i = 0; i < sizeof(inner); i++)
		inner[i] = (uint8_t)(i * 7 + 1);
	const size_t lens[] = {0, 1, 15, 16, 17, 31, 100, 299};
	for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
		for (int variant = 0; variant < 4; variant++) {
			struct seal_opts o = plain_opts;
			o.from_i = variant & 1;
			o.skf = variant & 2;
			o.frag_num = 1, o.frag_total = 2;
			o.extra_pad = li % 3;
			struct ikeb m;
			size_t len = sk_seal(k, &o, 41, inner, lens[li], &m);
			cr_assert_neq(len, 0, "seal %s/%s", ike_encr_charon_name(k->encr, k->encr_bits),
				      ike_integ_charon_name(k->integ));
			uint8_t out[4096];
			size_t out_len = 99;
			char why[200];
			enum ike_err r = ike_sk_open(k, o.from_i, m.b, len, 28, o.skf ? 8 : 4, out, &out_len, why, sizeof(why));
			cr_assert_eq(r, IKE_OK, "%s/%s len %zu variant %d: %s", ike_encr_charon_name(k->encr, k->encr_bits),
				     ike_integ_charon_name(k->integ), lens[li], variant, why);
			cr_assert_eq(out_len, lens[li]);
			cr_assert_arr_eq(out, inner, lens[li]);
		}
}

Test(sk, every_plain_cipher_with_every_integrity)
{
	for (size_t i = 0; i < sizeof(plain_encr) / sizeof(plain_encr[0]); i++)
		for (size_t j = 0; j < sizeof(integs) / sizeof(integs[0]); j++)
			round_trip(make_sa(plain_encr[i].id, plain_encr[i].bits, integs[j]));
}

Test(sk, every_aead_cipher)
{
	for (size_t i = 0; i < sizeof(aead_encr) / sizeof(aead_encr[0]); i++)
		round_trip(make_sa(aead_encr[i].id, aead_encr[i].bits, IKE_INTEG_NONE));
}

Test(sk, unchecked_integrity_skips_the_icv)
{
	const uint16_t bits[] = {64, 96, 128, 160, 192, 256};
	for (size_t i = 0; i < 6; i++) {
		const struct ike_sa_keys *k = make_sa(12, 128, IKE_INTEG_UNCHECKED(bits[i]));
		cr_assert_eq(k->icv_len, bits[i] / 8);
		cr_assert(!ike_sa_keys_icv_checked(k));
		round_trip(k);
	}
}

/* Flips every bit of the message in turn: never IKE_OK, never output. */
static void tamper_all(const struct ike_sa_keys *k, bool skf)
{
	const uint8_t inner[] = {0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	struct seal_opts o = plain_opts;
	o.from_i = true;
	o.skf = skf;
	o.frag_num = 2, o.frag_total = 3;
	struct ikeb m;
	size_t len = sk_seal(k, &o, 41, inner, sizeof(inner), &m);
	cr_assert_neq(len, 0);
	size_t sk_hdr = skf ? 8 : 4;
	for (size_t bit = 0; bit < len * 8; bit++) {
		m.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		uint8_t out[4096];
		size_t out_len = 5;
		char why[200];
		enum ike_err r = ike_sk_open(k, true, m.b, len, 28, sk_hdr, out, &out_len, why, sizeof(why));
		bool in_sk_len = bit / 8 == 30 || bit / 8 == 31; /* the SK length field moves the ICV */
		cr_assert(r == IKE_E_AUTHFAIL || (in_sk_len && r == IKE_E_MALFORMED),
			  "%s/%s bit %zu: %s (%s)", ike_encr_charon_name(k->encr, k->encr_bits),
			  ike_integ_charon_name(k->integ), bit, ike_err_str(r), why);
		cr_assert_eq(out_len, 0);
		if (r == IKE_E_AUTHFAIL)
			cr_assert(strstr(why, "ICV mismatch with SK_") != NULL, "%s", why);
		m.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	uint8_t out[4096];
	size_t out_len;
	cr_assert_eq(ike_sk_open(k, true, m.b, len, 28, sk_hdr, out, &out_len, NULL, 0), IKE_OK);
}

Test(sk, every_bit_flip_fails_authentication)
{
	for (size_t i = 0; i < sizeof(plain_encr) / sizeof(plain_encr[0]); i++)
		tamper_all(make_sa(plain_encr[i].id, plain_encr[i].bits, integs[i % 10]), i & 1);
	for (size_t j = 0; j < sizeof(integs) / sizeof(integs[0]); j++)
		tamper_all(make_sa(12, 256, integs[j]), j & 1);
	for (size_t i = 0; i < sizeof(aead_encr) / sizeof(aead_encr[0]); i++)
		tamper_all(make_sa(aead_encr[i].id, aead_encr[i].bits, IKE_INTEG_NONE), i & 1);
}

Test(sk, authfail_names_key_role_spis_and_algorithm_but_no_key_bytes)
{
	const struct ike_sa_keys *k = make_sa(12, 128, 2);
	const uint8_t inner[] = {1, 2, 3};
	struct ikeb m;
	size_t len = sk_seal(k, &plain_opts, 41, inner, 3, &m);
	m.b[len - 1] ^= 1;
	uint8_t out[512];
	size_t out_len;
	char why[200], want[200];
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, why, sizeof(why)), IKE_E_AUTHFAIL);
	snprintf(want, sizeof(want), "ICV mismatch with SK_ar of 0x%016llx/0x%016llx (HMAC_SHA1_96)",
		 (unsigned long long)k->ispi, (unsigned long long)k->rspi);
	cr_assert_str_eq(why, want);
}

Test(sk, wrong_direction_key_fails)
{
	const uint8_t inner[] = {0, 0, 0, 5, 9};
	for (size_t i = 0; i < 3; i++) {
		const struct ike_sa_keys *k = i == 0 ? make_sa(12, 128, 12) : i == 1 ? make_sa(20, 256, 0) : make_sa(28, 0, 0);
		struct seal_opts o = plain_opts;
		o.from_i = true;
		struct ikeb m;
		size_t len = sk_seal(k, &o, 41, inner, sizeof(inner), &m);
		uint8_t out[512];
		size_t out_len = 3;
		cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_E_AUTHFAIL);
		cr_assert_eq(out_len, 0);
		cr_assert_eq(ike_sk_open(k, true, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_OK);
	}
}

Test(sk, pad_length_beyond_plaintext_is_malformed)
{
	const uint8_t inner[] = {0, 0, 0, 5, 9};
	const struct ike_sa_keys *ks[] = {make_sa(12, 128, 2), make_sa(18, 128, 0), make_sa(13, 256, 14), make_sa(11, 0, 1)};
	for (size_t i = 0; i < 4; i++) {
		struct seal_opts o = plain_opts;
		o.force_pad_len = 255;
		struct ikeb m;
		size_t len = sk_seal(ks[i], &o, 41, inner, sizeof(inner), &m);
		uint8_t out[512];
		size_t out_len = 7;
		char why[200];
		cr_assert_eq(ike_sk_open(ks[i], false, m.b, len, 28, 4, out, &out_len, why, sizeof(why)), IKE_E_MALFORMED);
		cr_assert(strstr(why, "pad length 255") != NULL, "%s", why);
		cr_assert_eq(out_len, 0);
	}
}

Test(sk, pad_length_exactly_filling_the_plaintext_is_fine)
{
	const struct ike_sa_keys *k = make_sa(13, 128, 2);
	struct seal_opts o = plain_opts;
	o.extra_pad = 5; /* CTR: block 1, so five padding bytes */
	struct ikeb m;
	size_t len = sk_seal(k, &o, 0, NULL, 0, &m);
	uint8_t out[512];
	size_t out_len = 7;
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_OK);
	cr_assert_eq(out_len, 0);
}

Test(sk, every_truncation_is_malformed)
{
	const uint8_t inner[40] = {0};
	const struct ike_sa_keys *ks[] = {make_sa(12, 128, 2), make_sa(20, 128, 0), make_sa(28, 0, 0)};
	for (size_t i = 0; i < 3; i++) {
		struct ikeb m;
		size_t len = sk_seal(ks[i], &plain_opts, 41, inner, sizeof(inner), &m);
		for (size_t cut = 0; cut < len; cut++) {
			uint8_t out[512];
			size_t out_len = 1;
			enum ike_err r = ike_sk_open(ks[i], false, m.b, cut, 28, 4, out, &out_len, NULL, 0);
			cr_assert_eq(r, IKE_E_MALFORMED, "cut %zu: %s", cut, ike_err_str(r));
			cr_assert_eq(out_len, 0);
		}
	}
}

/* An SK payload whose own length leaves fewer bytes than IV + ICV + 1. */
Test(sk, shorter_than_iv_and_icv_is_malformed)
{
	const struct ike_sa_keys *ks[] = {make_sa(12, 128, 2), make_sa(20, 256, 0), make_sa(3, 0, 14)};
	for (size_t i = 0; i < 3; i++) {
		const struct ike_encr_alg *e = ike_encr_find(ks[i]->encr, ks[i]->encr_bits);
		size_t need = e->iv_len + ks[i]->icv_len + 1;
		for (size_t enc = 0; enc < need; enc++) {
			struct ikeb m = {.len = 0};
			ikeb_u64(&m, ks[i]->ispi);
			ikeb_u64(&m, ks[i]->rspi);
			ikeb_u8(&m, 46), ikeb_u8(&m, 0x20), ikeb_u8(&m, 35), ikeb_u8(&m, 0x20);
			ikeb_u32(&m, 1), ikeb_u32(&m, (uint32_t)(32 + enc));
			ikeb_u8(&m, 41), ikeb_u8(&m, 0), ikeb_u16(&m, (uint16_t)(4 + enc));
			ikeb_fill(&m, 0xab, enc);
			uint8_t out[512];
			size_t out_len = 1;
			char why[200];
			cr_assert_eq(ike_sk_open(ks[i], false, m.b, m.len, 28, 4, out, &out_len, why, sizeof(why)),
				     IKE_E_MALFORMED, "enc %zu", enc);
			cr_assert(strstr(why, "shorter than IV") != NULL, "%s", why);
		}
	}
}

Test(sk, cbc_ciphertext_not_whole_blocks_is_malformed)
{
	const struct ike_sa_keys *k = make_sa(12, 128, 2);
	struct ikeb m;
	size_t len = sk_seal(k, &plain_opts, 41, (const uint8_t *)"abcdefgh", 8, &m);
	/* Drop one ciphertext byte: shrink the SK length and move the ICV down. */
	memmove(m.b + len - 13, m.b + len - 12, 12);
	len--;
	ikeb_put16(&m, 30, (uint16_t)(len - 28));
	uint8_t out[512];
	size_t out_len;
	char why[200];
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, why, sizeof(why)), IKE_E_MALFORMED);
	cr_assert(strstr(why, "whole 16-byte blocks") != NULL, "%s", why);
}

Test(sk, sk_length_field_bounds_and_header_size)
{
	const struct ike_sa_keys *k = make_sa(12, 128, 2);
	struct ikeb m;
	size_t len = sk_seal(k, &plain_opts, 41, (const uint8_t *)"abc", 3, &m);
	uint8_t out[512];
	size_t out_len;
	for (uint16_t plen = 0; plen < 4; plen++) {
		ikeb_put16(&m, 30, plen);
		cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_E_MALFORMED);
	}
	ikeb_put16(&m, 30, 0xffff);
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_E_MALFORMED);
	ikeb_put16(&m, 30, (uint16_t)(len - 28));
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 5, out, &out_len, NULL, 0), IKE_E_MALFORMED);
	cr_assert_eq(ike_sk_open(k, false, m.b, len, len, 4, out, &out_len, NULL, 0), IKE_E_MALFORMED);
	cr_assert_eq(ike_sk_open(k, false, m.b, len, SIZE_MAX, 4, out, &out_len, NULL, 0), IKE_E_MALFORMED);
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_OK);
}

Test(sk, missing_direction_is_nokey)
{
	uint8_t ek[16] = {1}, ak[20] = {2};
	struct ike_sa_keyspec s = {.ispi = 7, .rspi = 8, .encr = 12, .encr_bits = 128, .integ = 2,
				   .dirs = IKE_KEYS_I, .ei = ek, .ai = ak, .ei_len = 16, .ai_len = 20};
	char why[200];
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	const struct ike_sa_keys *k = ike_keyring_find(ring, 7, 8);
	struct seal_opts o = plain_opts;
	o.from_i = true;
	struct ikeb m;
	size_t len = sk_seal(k, &o, 41, (const uint8_t *)"abc", 3, &m);
	uint8_t out[512];
	size_t out_len;
	cr_assert_eq(ike_sk_open(k, true, m.b, len, 28, 4, out, &out_len, NULL, 0), IKE_OK);
	cr_assert_eq(ike_sk_open(k, false, m.b, len, 28, 4, out, &out_len, why, sizeof(why)), IKE_E_NOKEY);
	cr_assert_str_eq(why, "no SK_er for 0x0000000000000007/0x0000000000000008");
}

Test(sk, sizes_for_splitting_without_keys)
{
	size_t iv, icv;
	cr_assert(ike_sk_sizes(12, 256, 2, &iv, &icv));
	cr_assert_eq(iv, 16);
	cr_assert_eq(icv, 12);
	cr_assert(ike_sk_sizes(20, 128, 0, &iv, &icv));
	cr_assert_eq(iv, 8);
	cr_assert_eq(icv, 16);
	cr_assert(ike_sk_sizes(3, -1, 14, &iv, &icv));
	cr_assert_eq(iv, 8);
	cr_assert_eq(icv, 32);
	cr_assert(ike_sk_sizes(28, -1, 0, &iv, &icv));
	cr_assert_eq(icv, 16);
	cr_assert(ike_sk_sizes(11, -1, IKE_INTEG_UNCHECKED(96), &iv, &icv));
	cr_assert_eq(iv, 0);
	cr_assert_eq(icv, 12);
	cr_assert_not(ike_sk_sizes(12, 100, 2, &iv, &icv));   /* no such key size */
	cr_assert_not(ike_sk_sizes(12, 128, 0, &iv, &icv));   /* CBC needs integrity */
	cr_assert_not(ike_sk_sizes(18, 128, 2, &iv, &icv));   /* AEAD takes none */
	cr_assert_not(ike_sk_sizes(23, 128, 2, &iv, &icv));   /* Camellia: not supported */
}
