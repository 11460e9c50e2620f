/* KE (RFC 7296 §3.4) and Nonce (§3.9) payloads: group names, the data size
 * each group implies, reserved bits, nonce size limits, truncations. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(ke_nonce, .init = setup, .fini = teardown);

static uint8_t buf[2048];

static size_t ke_body(uint16_t group, uint16_t reserved, size_t n)
{
	buf[0] = (uint8_t)(group >> 8);
	buf[1] = (uint8_t)group;
	buf[2] = (uint8_t)(reserved >> 8);
	buf[3] = (uint8_t)reserved;
	for (size_t i = 0; i < n; i++)
		buf[4 + i] = (uint8_t)(0xa0 + i);
	return 4 + n;
}

Test(ke_nonce, modp_2048)
{
	cr_assert_eq(dis_decode(&env, &ike_dis_ke, buf, ke_body(14, 0, 256)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.ke.group, 14);
	cr_expect_eq(env.pl.u.ke.data.len, 256);
	cr_expect_eq(env.left, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "group"), "MODP_2048");
	cr_expect_str_eq(rec_get(&env.rec, "group_id"), "14");
	cr_expect_str_eq(rec_get(&env.rec, "data_length"), "256");
}

Test(ke_nonce, sizes_per_group)
{
	static const struct {
		uint16_t group;
		size_t good, bad;
	} v[] = {{19, 64, 65}, {20, 96, 64}, {21, 132, 131}, {31, 32, 64}, {32, 56, 32}, {1, 96, 128},
		 {18, 1024, 512}, {28, 64, 32}, {36, 1184, 1568}};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		dis_decode(&env, &ike_dis_ke, buf, ke_body(v[i].group, 0, v[i].good));
		cr_expect_eq(env.msg.n_anomalies, 0, "group %u, %zu bytes: %s", v[i].group, v[i].good,
			     dis_anomalies(&env));
		cr_expect_eq(dis_decode(&env, &ike_dis_ke, buf, ke_body(v[i].group, 0, v[i].bad)), IKE_OK);
		cr_expect(dis_has(&env, IKE_AN_MALFORMED), "group %u with %zu bytes", v[i].group, v[i].bad);
		cr_expect(env.pl.u.ke.data.len == v[i].bad, "still decoded");
	}
	/* ML-KEM: the responder's ciphertext is shorter than the initiator's key */
	dis_decode(&env, &ike_dis_ke, buf, ke_body(36, 0, 1088));
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
}

Test(ke_nonce, unknown_group_and_reserved)
{
	cr_assert_eq(dis_decode(&env, &ike_dis_ke, buf, ke_body(99, 0, 10)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "no size known for group 99");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "group"), "(99)");
	cr_expect_eq(dis_decode(&env, &ike_dis_ke, buf, ke_body(14, 0x0100, 256)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));
	cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF + 2);
}

Test(ke_nonce, ke_truncations)
{
	size_t n = ke_body(19, 0, 64);
	for (size_t len = 0; len < n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_ke, buf, len);
		if (len < ike_dis_ke.min_len)
			cr_expect_eq(e, IKE_E_TRUNC, "len %zu", len);
		else
			cr_expect(dis_has(&env, IKE_AN_MALFORMED), "len %zu: short ECP_256 value unnoticed", len);
	}
}

Test(ke_nonce, nonce_sizes)
{
	for (size_t i = 0; i < 300; i++)
		buf[i] = (uint8_t)i;
	cr_assert_eq(dis_decode(&env, &ike_dis_nonce, buf, 32), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "data_length"), "32");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	for (size_t len = 0; len <= 260; len++) {
		cr_expect_eq(dis_decode(&env, &ike_dis_nonce, buf, len), IKE_OK, "len %zu", len);
		cr_expect_eq(env.pl.u.nonce.data.len, len);
		cr_expect_eq(dis_has(&env, IKE_AN_MALFORMED), len < 16 || len > 256, "len %zu", len);
	}
}
