/* SA payload (RFC 7296 §3.3): proposals, transforms, attributes, charon's
 * proposal text, broken lengths at every level, and the caps. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(sa, .init = setup, .fini = teardown);

/* ---- a small builder drawn from the §3.3.1/§3.3.2 diagrams ------------------ */

struct sab {
	uint8_t b[16384];
	size_t len;
	size_t prop;  /* start of the open proposal */
	size_t trans; /* start of the open transform */
};

static void u8(struct sab *s, uint8_t v) { s->b[s->len++] = v; }
static void u16(struct sab *s, uint16_t v)
{
	u8(s, (uint8_t)(v >> 8));
	u8(s, (uint8_t)v);
}
static void put16(struct sab *s, size_t at, uint16_t v)
{
	s->b[at] = (uint8_t)(v >> 8);
	s->b[at + 1] = (uint8_t)v;
}

static void prop(struct sab *s, bool last, uint8_t num, uint8_t proto, uint8_t spi_size, uint8_t ntrans)
{
	s->prop = s->len;
	u8(s, last ? 0 : 2);
	u8(s, 0);
	u16(s, 0);
	u8(s, num);
	u8(s, proto);
	u8(s, spi_size);
	u8(s, ntrans);
	for (uint8_t i = 0; i < spi_size; i++)
		u8(s, (uint8_t)(0xc0 + i));
}
static void prop_end(struct sab *s) { put16(s, s->prop + 2, (uint16_t)(s->len - s->prop)); }

static void tr_open(struct sab *s, bool last, uint8_t type, uint16_t id)
{
	s->trans = s->len;
	u8(s, last ? 0 : 3);
	u8(s, 0);
	u16(s, 0);
	u8(s, type);
	u8(s, 0);
	u16(s, id);
}
static void tr_close(struct sab *s) { put16(s, s->trans + 2, (uint16_t)(s->len - s->trans)); }

/* A transform, with a Key Length attribute when keylen >= 0. */
static void tr(struct sab *s, bool last, uint8_t type, uint16_t id, int keylen)
{
	tr_open(s, last, type, id);
	if (keylen >= 0) {
		u16(s, 0x800e);
		u16(s, (uint16_t)keylen);
	}
	tr_close(s);
}

/* IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048, as charon sends it. */
static void ike_default(struct sab *s, bool last, uint8_t num)
{
	prop(s, last, num, 1, 0, 4);
	tr(s, false, 1, 12, 256);
	tr(s, false, 3, 2, -1);
	tr(s, false, 2, 2, -1);
	tr(s, true, 4, 14, -1);
	prop_end(s);
}

static enum ike_err decode(struct sab *s) { return dis_decode(&env, &ike_dis_sa, s->b, s->len); }

/* ---- valid proposals ----------------------------------------------------------- */

Test(sa, ike_proposal_and_description)
{
	struct sab s = {.len = 0};
	ike_default(&s, true, 1);
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.left, 0);
	const struct ike_pl_sa *sa = &env.pl.u.sa;
	cr_assert_eq(sa->n, 1);
	cr_expect_eq(sa->proposals[0].n_transforms, 4);
	cr_expect_eq(sa->proposals[0].transforms[0].key_len, 256);
	cr_expect_eq(sa->proposals[0].transforms[1].key_len, -1);
	cr_expect_str_eq(sa->proposals[0].text, "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048");

	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/number"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/protocol"), "IKE");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/protocol_id"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/spi"), "");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/type"), "ENCR");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/type_id"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/id"), "12");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/name"), "AES_CBC");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/key_length"), "256");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/2/type"), "PRF");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/3/name"), "MODP_2048");
	cr_expect_null(rec_get(&env.rec, "proposals/0/transforms/3/key_length"));
	cr_expect_null(rec_get(&env.rec, "proposals/0/transforms/0/attributes/0/type"));
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/text"), "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048");
}

Test(sa, esp_aead_with_spi)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 3, 4, 2);
	tr(&s, false, 1, 20, 256);
	tr(&s, true, 5, 0, -1);
	prop_end(&s);
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_str_eq(env.pl.u.sa.proposals[0].text, "ESP:AES_GCM_16_256/NO_EXT_SEQ");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/protocol"), "ESP");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/spi"), "c0c1c2c3");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/1/type"), "ESN");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/1/name"), "NO_EXT_SEQ");
}

Test(sa, text_groups_in_charon_order_wire_order_inside)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 1, 0, 6);
	tr(&s, false, 4, 19, -1);
	tr(&s, false, 2, 5, -1);
	tr(&s, false, 1, 12, 256);
	tr(&s, false, 3, 12, -1);
	tr(&s, false, 1, 12, 128);
	tr(&s, true, 4, 31, -1);
	prop_end(&s);
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect_str_eq(env.pl.u.sa.proposals[0].text,
			 "IKE:AES_CBC_256/AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/ECP_256/CURVE_25519");
}

Test(sa, ids_charon_does_not_name_print_as_numbers)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 1, 0, 6);
	tr(&s, false, 1, 28, -1);
	tr(&s, false, 1, 17, -1);  /* unassigned */
	tr(&s, false, 2, 7, -1);
	tr(&s, false, 4, 36, -1);  /* ML-KEM-768: IANA, but not charon 5.9.8 */
	tr(&s, false, 6, 36, -1);  /* ADDKE1: not printed by 5.9.8 */
	tr(&s, true, 99, 1, -1);   /* unknown type */
	prop_end(&s);
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect_str_eq(env.pl.u.sa.proposals[0].text, "IKE:CHACHA20_POLY1305/(17)/PRF_HMAC_SHA2_512/(36)");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/1/name"), "null");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/3/name"), "ML_KEM_768");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/4/type"), "ADDKE1");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/4/name"), "ML_KEM_768");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/5/type"), "null");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/5/name"), "null");
}

Test(sa, several_proposals_and_odd_protocols)
{
	struct sab s = {.len = 0};
	ike_default(&s, false, 1);
	ike_default(&s, false, 2);
	prop(&s, true, 3, 9, 0, 1);
	tr(&s, true, 1, 3, -1);
	prop_end(&s);
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_assert_eq(env.pl.u.sa.n, 3);
	cr_expect_str_eq(env.pl.u.sa.proposals[2].text, "(9):3DES_CBC");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "proposals/1/number"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/2/protocol"), "null");
}

Test(sa, attributes_tv_and_tlv)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 1, 0, 1);
	tr_open(&s, true, 1, 12);
	u16(&s, 0x0020); /* TLV type 32, 3 bytes */
	u16(&s, 3);
	u8(&s, 1);
	u8(&s, 2);
	u8(&s, 3);
	u16(&s, 0x800e);
	u16(&s, 192);
	tr_close(&s);
	prop_end(&s);
	cr_assert_eq(decode(&s), IKE_OK);
	const struct ike_transform *t = &env.pl.u.sa.proposals[0].transforms[0];
	cr_assert_eq(t->n_attrs, 2);
	cr_expect_not(t->attrs[0].tv);
	cr_expect_eq(t->attrs[0].type, 32);
	cr_expect_eq(t->attrs[0].data.len, 3);
	cr_expect(t->attrs[1].tv);
	cr_expect_eq(t->key_len, 192);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/key_length"), "192");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/attributes/0/type"), "32");
	cr_expect_str_eq(rec_get(&env.rec, "proposals/0/transforms/0/attributes/0/data"), "010203");
	cr_expect_null(rec_get(&env.rec, "proposals/0/transforms/0/attributes/1/type"), "key length is not repeated");
}

/* ---- damage ----------------------------------------------------------------------- */

Test(sa, every_truncation_is_clean)
{
	struct sab s = {.len = 0};
	ike_default(&s, false, 1);
	prop(&s, true, 2, 3, 4, 2);
	tr(&s, false, 1, 20, 256);
	tr(&s, true, 5, 0, -1);
	prop_end(&s);
	for (size_t len = 0; len < s.len; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_sa, s.b, len);
		cr_expect(dis_flagged(&env, e), "prefix %zu went unnoticed", len);
		if (e != IKE_OK && len >= ike_dis_sa.min_len)
			cr_expect_gt(env.msg.n_anomalies, 0, "prefix %zu: error without anomaly", len);
	}
}

Test(sa, proposal_length_too_small_or_large)
{
	for (uint16_t bad = 0; bad < 8; bad++) {
		struct sab s = {.len = 0};
		ike_default(&s, true, 1);
		put16(&s, 2, bad);
		cr_expect_neq(decode(&s), IKE_OK, "proposal length %u", bad);
		cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_SMALL), "proposal length %u: %s", bad, dis_anomalies(&env));
		cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF);
	}
	struct sab s = {.len = 0};
	ike_default(&s, false, 1);
	size_t second = s.len;
	ike_default(&s, true, 2);
	put16(&s, second + 2, (uint16_t)(s.len - second + 1));
	cr_expect_neq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE), "%s", dis_anomalies(&env));
	cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF + second);
	cr_expect_eq(env.pl.u.sa.n, 1, "the first proposal is kept");
	cr_expect_str_eq(env.pl.u.sa.proposals[0].text, "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048");
}

Test(sa, transform_length_too_small_or_large)
{
	for (uint16_t bad = 0; bad < 8; bad++) {
		struct sab s = {.len = 0};
		ike_default(&s, true, 1);
		put16(&s, 8 + 2, bad); /* first transform */
		cr_expect_neq(decode(&s), IKE_OK, "transform length %u", bad);
		cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_SMALL), "transform length %u", bad);
	}
	struct sab s = {.len = 0};
	ike_default(&s, true, 1);
	put16(&s, 8 + 2, 200);
	cr_expect_neq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF + 8);
}

Test(sa, attribute_length_too_large_and_truncated)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 1, 0, 1);
	tr_open(&s, true, 1, 12);
	u16(&s, 0x0020);
	u16(&s, 40); /* more than the transform holds */
	tr_close(&s);
	prop_end(&s);
	cr_expect_neq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE), "%s", dis_anomalies(&env));

	struct sab t = {.len = 0};
	prop(&t, true, 1, 1, 0, 1);
	tr_open(&t, true, 1, 12);
	u16(&t, 0x800e); /* 2 of 4 attribute bytes */
	tr_close(&t);
	prop_end(&t);
	cr_expect_eq(decode(&t), IKE_E_TRUNC);
	cr_expect(dis_has(&env, IKE_AN_TRUNCATED), "%s", dis_anomalies(&env));
}

Test(sa, declared_counts_markers_reserved_and_numbers)
{
	struct sab s = {.len = 0};
	ike_default(&s, true, 1);
	s.b[7] = 3; /* four transforms present */
	cr_expect_eq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "count mismatch");

	struct sab m = {.len = 0};
	ike_default(&m, false, 1); /* claims more proposals follow */
	cr_expect_eq(decode(&m), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "last marker");

	struct sab r = {.len = 0};
	ike_default(&r, true, 1);
	r.b[1] = 0x40;
	cr_expect_eq(decode(&r), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));

	struct sab n = {.len = 0};
	ike_default(&n, false, 2);
	ike_default(&n, true, 5);
	cr_expect_eq(decode(&n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "numbers 2 then 5");

	struct sab k = {.len = 0};
	prop(&k, true, 1, 1, 0, 1);
	tr_open(&k, true, 1, 12);
	u16(&k, 0x000e); /* Key Length in TLV form */
	u16(&k, 2);
	u16(&k, 256);
	tr_close(&k);
	prop_end(&k);
	cr_expect_eq(decode(&k), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "TLV key length");
	cr_expect_eq(env.pl.u.sa.proposals[0].transforms[0].key_len, -1);
}

Test(sa, spi_size_beyond_the_proposal)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 3, 0, 0);
	prop_end(&s);
	s.b[6] = 8;
	cr_expect_neq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
}

/* ---- caps ------------------------------------------------------------------------------ */

Test(sa, thousand_proposals_hit_the_cap)
{
	struct sab s = {.len = 0};
	for (int i = 0; i < 1000; i++) {
		prop(&s, i == 999, (uint8_t)(i + 1), 1, 0, 0);
		prop_end(&s);
	}
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LIMIT), "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.sa.n, IKE_MAX_PROPOSALS);
	cr_expect_eq(env.left, 0, "the skipped proposals are not trailing bytes");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "proposals/31/text"), "IKE:");
}

Test(sa, transform_and_attribute_caps)
{
	struct sab s = {.len = 0};
	prop(&s, true, 1, 1, 0, 200);
	for (int i = 0; i < 200; i++)
		tr(&s, i == 199, 1, 12, 128);
	prop_end(&s);
	cr_assert_eq(decode(&s), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LIMIT));
	cr_expect_eq(env.pl.u.sa.proposals[0].n_transforms, IKE_MAX_TRANSFORMS);

	struct sab a = {.len = 0};
	prop(&a, true, 1, 1, 0, 1);
	tr_open(&a, true, 1, 12);
	for (int i = 0; i < 40; i++) {
		u16(&a, 0x8001);
		u16(&a, (uint16_t)i);
	}
	tr_close(&a);
	prop_end(&a);
	cr_assert_eq(decode(&a), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LIMIT));
	cr_expect_eq(env.pl.u.sa.proposals[0].transforms[0].n_attrs, IKE_MAX_ATTRS);
}
