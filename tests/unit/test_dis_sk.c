/* SK (RFC 7296 §3.14) and SKF (RFC 7383 §2.5): fragment numbers, the
 * IV/ciphertext/ICV layout per algorithm, and the split for a known SA. */
#include <criterion/criterion.h>

#include "dis_harness.h"
#include "ike/decoder.h"
#include "sk_layout.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(sk, .init = setup, .fini = teardown);

static void layout(uint16_t encr, uint16_t integ, size_t iv, size_t icv, size_t block)
{
	struct ike_sa_algs a = {.encr = encr, .encr_keylen = 256, .integ = integ};
	size_t i = 99, c = 99, b = 99;
	cr_assert(ike_sk_layout(&a, &i, &c, &b), "encr %u integ %u unknown", encr, integ);
	cr_expect_eq(i, iv, "encr %u: IV %zu", encr, i);
	cr_expect_eq(c, icv, "encr %u integ %u: ICV %zu", encr, integ, c);
	cr_expect_eq(b, block, "encr %u: block %zu", encr, b);
}

Test(sk, layout_per_algorithm)
{
	layout(12, 2, 16, 12, 16);  /* AES_CBC + HMAC_SHA1_96 */
	layout(12, 12, 16, 16, 16); /* AES_CBC + HMAC_SHA2_256_128 */
	layout(12, 13, 16, 24, 16); /* + HMAC_SHA2_384_192 */
	layout(12, 14, 16, 32, 16); /* + HMAC_SHA2_512_256 */
	layout(3, 1, 8, 12, 8);     /* 3DES + HMAC_MD5_96 */
	layout(23, 5, 16, 12, 16);  /* CAMELLIA_CBC + AES_XCBC_96 */
	layout(13, 8, 8, 12, 1);    /* AES_CTR + AES_CMAC_96 */
	layout(11, 7, 0, 20, 1);    /* NULL + HMAC_SHA1_160 */
	layout(12, 6, 16, 16, 16);  /* + HMAC_MD5_128 */
	layout(18, 0, 8, 8, 1);     /* AES_GCM_8 */
	layout(19, 0, 8, 12, 1);    /* AES_GCM_12 */
	layout(20, 0, 8, 16, 1);    /* AES_GCM_16 */
	layout(14, 0, 8, 8, 1);     /* AES_CCM_8 */
	layout(16, 0, 8, 16, 1);    /* AES_CCM_16 */
	layout(28, 0, 8, 16, 1);    /* CHACHA20_POLY1305 */
	layout(20, 12, 8, 16, 1);   /* AEAD ignores a stray integrity transform */

	struct ike_sa_algs a = {.encr = 12, .integ = 0};
	size_t i, c, b;
	cr_expect_not(ike_sk_layout(&a, &i, &c, &b), "CBC without integrity");
	a.encr = 99;
	a.integ = 2;
	cr_expect_not(ike_sk_layout(&a, &i, &c, &b), "unknown cipher");
	a.encr = 12;
	a.integ = 99;
	cr_expect_not(ike_sk_layout(&a, &i, &c, &b), "unknown integrity");
}

Test(sk, opaque_without_a_known_sa)
{
	uint8_t b[64];
	memset(b, 0x33, sizeof(b));
	cr_assert_eq(dis_decode(&env, &ike_dis_sk, b, sizeof(b)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0);
	cr_expect_not(env.pl.u.sk.split);
	cr_expect_eq(env.pl.u.sk.encrypted.len, 64);
	cr_expect_null(env.pl.u.sk.inner);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "split"), "false");
	cr_expect_str_eq(rec_get(&env.rec, "encrypted_length"), "64");
	cr_expect_null(rec_get(&env.rec, "iv"));
}

Test(sk, fragment_numbers)
{
	uint8_t b[40] = {0, 2, 0, 3};
	cr_assert_eq(dis_decode(&env, &ike_dis_skf, b, sizeof(b)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.sk.frag_num, 2);
	cr_expect_eq(env.pl.u.sk.frag_total, 3);
	cr_expect_eq(env.msg.frag_num, 2);
	cr_expect_eq(env.msg.frag_total, 3);
	cr_expect_eq(env.pl.u.sk.encrypted.len, 36);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "fragment_number"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "fragment_total"), "3");
	cr_expect_str_eq(rec_get(&env.rec, "encrypted_length"), "36");

	static const uint8_t bad[][4] = {{0, 0, 0, 3}, {0, 1, 0, 0}, {0, 4, 0, 3}};
	for (int i = 0; i < 3; i++) {
		memcpy(b, bad[i], 4);
		cr_expect_eq(dis_decode(&env, &ike_dis_skf, b, sizeof(b)), IKE_OK);
		cr_expect(dis_has(&env, IKE_AN_MALFORMED), "numbers %d", i);
	}
}

Test(sk, fragment_total_65535_is_recorded_not_allocated)
{
	uint8_t b[20] = {0xff, 0xff, 0xff, 0xff};
	cr_expect_eq(dis_decode(&env, &ike_dis_skf, b, sizeof(b)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.msg.frag_total, 65535);
	b[1] = 1;
	b[0] = 0;
	cr_expect_eq(dis_decode(&env, &ike_dis_skf, b, sizeof(b)), IKE_OK);
	cr_expect_eq(env.msg.frag_num, 1);
}

Test(sk, later_fragments_carry_no_next_payload)
{
	uint8_t b[20] = {0, 2, 0, 2};
	memset(&env.pl, 0, sizeof(env.pl));
	struct ike_rd r = ike_rd_init(b, sizeof(b), DIS_BASE_OFF);
	env.ctx = (struct ike_dctx){.msg = &env.msg, .arena = &env.arena};
	env.pl.next = 35;
	cr_expect_eq(ike_dis_skf.decode(&env.ctx, &r, &env.pl), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 1);
}

Test(sk, nothing_encrypted_nests_inside_sk)
{
	uint8_t b[20] = {0, 1, 0, 1};
	static const struct ike_dissector *const ds[] = {&ike_dis_sk, &ike_dis_skf};
	for (int i = 0; i < 2; i++) {
		memset(&env.msg, 0, sizeof(env.msg));
		memset(&env.pl, 0, sizeof(env.pl));
		env.ctx = (struct ike_dctx){.msg = &env.msg, .arena = &env.arena, .depth = 1};
		struct ike_rd r = ike_rd_init(b, sizeof(b), DIS_BASE_OFF);
		cr_expect_eq(ds[i]->decode(&env.ctx, &r, &env.pl), IKE_OK);
		cr_expect(dis_has(&env, IKE_AN_MALFORMED), "%s at depth 1", ds[i]->abbrev);
		cr_expect_eq(env.msg.frag_total, 0, "an inner EF does not number the message");
	}
}

Test(sk, skf_lengths_below_numbers_and_every_prefix)
{
	uint8_t b[8] = {0, 1, 0, 1, 9, 9, 9, 9};
	for (size_t n = 0; n < 4; n++)
		cr_expect_eq(dis_decode(&env, &ike_dis_skf, b, n), IKE_E_TRUNC, "len %zu", n);
	for (size_t n = 4; n <= sizeof(b); n++)
		cr_expect_eq(dis_decode(&env, &ike_dis_skf, b, n), IKE_OK, "len %zu", n);
}

/* ---- the split, with the decoder knowing the SA -------------------------- */

static struct ike_decoder *dec;

/* Every slot holds the SA, so the lookup finds it whatever slot it hashes to. */
static void know_sa(uint64_t ispi, uint64_t rspi, uint16_t encr, uint16_t integ)
{
	dec = ike_decoder_new();
	cr_assert(dec);
	for (size_t i = 0; i < IKE_DEC_SA_SLOTS; i++) {
		dec->sas[i].ispi = ispi;
		dec->sas[i].rspi = rspi;
		dec->sas[i].algs = (struct ike_sa_algs){.encr = encr, .encr_keylen = 256, .integ = integ};
		dec->sas[i].used = 1;
	}
}

static enum ike_err decode_with_sa(const struct ike_dissector *d, const uint8_t *b, size_t n)
{
	memset(&env.msg, 0, sizeof(env.msg));
	memset(&env.pl, 0, sizeof(env.pl));
	env.msg.ispi = 0x1111;
	env.msg.rspi = 0x2222;
	env.ctx = (struct ike_dctx){.msg = &env.msg, .arena = &env.arena, .dec = dec};
	env.pl.type = d->type;
	env.pl.dis = d;
	struct ike_rd r = ike_rd_init(b, n, DIS_BASE_OFF);
	enum ike_err e = d->decode(&env.ctx, &r, &env.pl);
	env.pl.decoded = e == IKE_OK;
	return e;
}

Test(sk, split_aes_cbc_sha1)
{
	know_sa(0x1111, 0x2222, 12, 2);
	uint8_t b[16 + 32 + 12];
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	cr_assert_eq(decode_with_sa(&ike_dis_sk, b, sizeof(b)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	const struct ike_pl_sk *sk = &env.pl.u.sk;
	cr_expect(sk->split);
	cr_expect_eq(sk->iv.len, 16);
	cr_expect_eq(sk->iv.p, b);
	cr_expect_eq(sk->ciphertext.len, 32);
	cr_expect_eq(sk->ciphertext.p, b + 16);
	cr_expect_eq(sk->icv.len, 12);
	cr_expect_eq(sk->icv.p, b + 48);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "split"), "true");
	cr_expect_str_eq(rec_get(&env.rec, "iv"), "000102030405060708090a0b0c0d0e0f");
	cr_expect_str_eq(rec_get(&env.rec, "ciphertext_length"), "32");
	cr_expect_str_eq(rec_get(&env.rec, "icv"), "303132333435363738393a3b");
	ike_decoder_free(dec);
}

Test(sk, split_gcm_fragment_and_misaligned_cbc)
{
	know_sa(0x1111, 0x2222, 20, 0);
	uint8_t b[4 + 8 + 5 + 16] = {0, 1, 0, 2};
	cr_assert_eq(decode_with_sa(&ike_dis_skf, b, sizeof(b)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect(env.pl.u.sk.split);
	cr_expect_eq(env.pl.u.sk.iv.len, 8);
	cr_expect_eq(env.pl.u.sk.ciphertext.len, 5, "AEAD has no block alignment");
	cr_expect_eq(env.pl.u.sk.icv.len, 16);
	ike_decoder_free(dec);

	know_sa(0x1111, 0x2222, 12, 12);
	uint8_t c[16 + 20 + 16] = {0};
	cr_assert_eq(decode_with_sa(&ike_dis_sk, c, sizeof(c)), IKE_OK);
	cr_expect(env.pl.u.sk.split);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "20 bytes of AES-CBC");
	ike_decoder_free(dec);
}

Test(sk, too_short_for_iv_and_icv_stays_unsplit)
{
	know_sa(0x1111, 0x2222, 12, 2);
	uint8_t b[64] = {0};
	for (size_t n = 0; n <= 28; n++) {
		cr_assert_eq(decode_with_sa(&ike_dis_sk, b, n), IKE_OK);
		cr_expect_not(env.pl.u.sk.split, "len %zu", n);
		cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_SMALL), "len %zu", n);
		dis_describe(&env);
	}
	cr_assert_eq(decode_with_sa(&ike_dis_sk, b, 29), IKE_OK);
	cr_expect(env.pl.u.sk.split);
	/* another SA's message is left opaque */
	env.msg.ispi = 7;
	memset(&env.pl, 0, sizeof(env.pl));
	struct ike_rd r = ike_rd_init(b, 60, DIS_BASE_OFF);
	env.msg.n_anomalies = 0;
	cr_assert_eq(ike_dis_sk.decode(&env.ctx, &r, &env.pl), IKE_OK);
	cr_expect_not(env.pl.u.sk.split);
	ike_decoder_free(dec);
}

/* ---- through the decoder: the SA learnt from its IKE_SA_INIT response ---- */

#include "ikebuild.h"

static void ikeb_sk(struct ikeb *m, uint8_t first_inner, size_t n)
{
	size_t p = ikeb_payload(m, 46, 0);
	m->b[p] = first_inner;
	for (size_t i = 0; i < n; i++)
		ikeb_u8(m, (uint8_t)i);
	ikeb_end(m, p);
}

Test(sk, split_after_ike_sa_init_response)
{
	struct ike_decoder *d = ike_decoder_new();
	struct ike_msg m;
	struct ikeb b;
	ikeb_sa_init(&b, 0xa1, 0xb2, 1); /* AES_CBC_256 / HMAC_SHA1_96 */
	cr_assert_eq(ike_decoder_decode(d, NULL, b.b, b.len, &m), IKE_OK);

	ikeb_header(&b, 0xa1, 0xb2, 35, 0x08, 1);
	ikeb_sk(&b, 35, 16 + 48 + 12);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(d, NULL, b.b, b.len, &m), IKE_OK);
	cr_assert_eq(m.n_payloads, 1);
	const struct ike_payload *pl = &m.payloads[0];
	cr_expect(pl->decoded);
	cr_expect(pl->u.sk.split, "IKE SA algorithms known from IKE_SA_INIT");
	cr_expect_eq(pl->u.sk.iv.len, 16);
	cr_expect_eq(pl->u.sk.ciphertext.len, 48);
	cr_expect_eq(pl->u.sk.icv.len, 12);
	cr_expect_eq(m.n_anomalies, 0, "%s", m.n_anomalies ? m.anomalies[0].detail : "");

	/* the same bytes under SPIs nobody negotiated stay opaque */
	ikeb_header(&b, 0xa1, 0xc3, 35, 0x08, 1);
	ikeb_sk(&b, 35, 16 + 48 + 12);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(d, NULL, b.b, b.len, &m), IKE_OK);
	cr_expect_not(m.payloads[0].u.sk.split);
	ike_decoder_free(d);
}
