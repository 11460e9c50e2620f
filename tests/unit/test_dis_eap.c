/* EAP payload (RFC 7296 §3.16, RFC 3748 §4) and the EAP registries. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(eap, .init = setup, .fini = teardown);

static size_t pkt(uint8_t *b, uint8_t code, uint8_t id, int type, const char *data)
{
	size_t n = 4, dl = data ? strlen(data) : 0;
	b[0] = code;
	b[1] = id;
	if (type >= 0)
		b[n++] = (uint8_t)type;
	memcpy(b + n, data ? data : "", dl);
	n += dl;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	return n;
}

Test(eap, registries)
{
	const struct ike_names *t[] = {&ike_names_eap_code, &ike_names_eap_type};
	for (int k = 0; k < 2; k++)
		for (size_t i = 1; i < t[k]->n; i++)
			cr_expect_lt(t[k]->v[i - 1].id, t[k]->v[i].id, "%s row %zu", t[k]->registry, i);
	cr_expect_str_eq(ike_name_long(&ike_names_eap_code, 1), "EAP_REQUEST");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_code, 1), "REQ");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_code, 2), "RES");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_code, 3), "SUCC");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_code, 4), "FAIL");
	cr_expect_str_eq(ike_name_long(&ike_names_eap_type, 1), "EAP_IDENTITY");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_type, 1), "ID");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_type, 26), "MSCHAPV2");
	cr_expect_str_eq(ike_name_short(&ike_names_eap_type, 254), "EXP");
	cr_expect_null(ike_name_short(&ike_names_eap_type, 17), "charon 5.9.8 prints (17)");
}

Test(eap, identity_response)
{
	uint8_t b[64];
	size_t n = pkt(b, 2, 7, 1, "carol@strongswan.org");
	cr_assert_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.eap.code, 2);
	cr_expect_eq(env.pl.u.eap.type, 1);
	cr_expect_eq(env.left, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "code"), "EAP_RESPONSE");
	cr_expect_str_eq(rec_get(&env.rec, "code_id"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "identifier"), "7");
	cr_expect_str_eq(rec_get(&env.rec, "eap_length"), "25");
	cr_expect_str_eq(rec_get(&env.rec, "eap_type"), "EAP_IDENTITY");
	cr_expect_str_eq(rec_get(&env.rec, "eap_type_id"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "identity"), "carol@strongswan.org");
}

Test(eap, request_success_failure)
{
	uint8_t b[64];
	size_t n = pkt(b, 1, 1, 26, "\x01\x01\x02\x10");
	cr_assert_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "eap_type"), "EAP_MSCHAPV2");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "01010210");
	cr_expect_null(rec_get(&env.rec, "identity"));

	n = pkt(b, 3, 2, -1, NULL);
	cr_assert_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.eap.type, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "code"), "EAP_SUCCESS");
	cr_expect_null(rec_get(&env.rec, "eap_type"));

	n = pkt(b, 4, 2, 9, NULL);
	dis_decode(&env, &ike_dis_eap, b, n);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "failure with data");
	n = pkt(b, 1, 2, -1, NULL);
	dis_decode(&env, &ike_dis_eap, b, n);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "request without type");
	n = pkt(b, 9, 2, -1, NULL);
	dis_decode(&env, &ike_dis_eap, b, n);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "code 9");
}

Test(eap, expanded_type)
{
	uint8_t b[32] = {1, 5, 0, 14, 254, 0x00, 0x90, 0x2a, 0, 0, 0, 3, 0xaa, 0xbb};
	cr_assert_eq(dis_decode(&env, &ike_dis_eap, b, 14), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.eap.vendor_id, 0x902a);
	cr_expect_eq(env.pl.u.eap.vendor_type, 3);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "eap_type"), "EAP_EXPANDED");
	cr_expect_str_eq(rec_get(&env.rec, "vendor_id"), "36906");
	cr_expect_str_eq(rec_get(&env.rec, "vendor_type"), "3");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "aabb");

	b[3] = 9; /* cut inside the vendor fields */
	dis_decode(&env, &ike_dis_eap, b, 9);
	cr_expect(dis_has(&env, IKE_AN_TRUNCATED));
}

Test(eap, length_field_against_the_body)
{
	uint8_t b[64];
	size_t n = pkt(b, 2, 1, 1, "bob");
	for (uint16_t l = 0; l < 4; l++) {
		b[2] = 0;
		b[3] = (uint8_t)l;
		cr_expect_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
		cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_SMALL), "EAP length %u", l);
		cr_expect_eq(env.left, 0);
	}
	b[3] = (uint8_t)(n + 10);
	cr_expect_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	b[3] = (uint8_t)(n - 2);
	cr_expect_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_TRAILING_BYTES));
	cr_expect_eq(dis_offset(&env, IKE_AN_TRAILING_BYTES), DIS_BASE_OFF + n - 2, "where the EAP packet ends");
	cr_expect_eq(env.left, 0, "the extra bytes are reported once, here");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "identity"), "b");
	b[2] = 0xff;
	b[3] = 0xff;
	cr_expect_eq(dis_decode(&env, &ike_dis_eap, b, n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
}

Test(eap, every_prefix_is_clean)
{
	uint8_t b[64];
	size_t n = pkt(b, 2, 7, 1, "carol");
	for (size_t len = 0; len < n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_eap, b, len);
		cr_expect(dis_flagged(&env, e), "prefix %zu passed unnoticed", len);
		if (len < 4)
			cr_expect_eq(e, IKE_E_TRUNC);
		if (e == IKE_OK)
			dis_describe(&env);
	}
}
