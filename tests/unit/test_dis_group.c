/* GSPM (RFC 6467), IDg, GSA and KD (G-IKEv2, RFC 9838). */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(group, .init = setup, .fini = teardown);

static void opaque(const struct ike_dissector *d, uint8_t type, const char *abbrev)
{
	uint8_t b[6] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02};
	cr_expect_eq(d->type, type);
	cr_expect_str_eq(d->abbrev, abbrev);
	cr_expect_str_eq(ike_name_short(&ike_names_payload, type), abbrev, "descriptor and registry agree");
	for (size_t n = 0; n <= sizeof(b); n++) {
		cr_assert_eq(dis_decode(&env, d, b, n), IKE_OK, "%s len %zu", abbrev, n);
		cr_expect_eq(env.msg.n_anomalies, 0);
		cr_expect_eq(env.left, 0);
		cr_expect_eq(env.pl.u.raw.data.len, n);
		dis_describe(&env);
		char want[8];
		snprintf(want, sizeof(want), "%zu", n);
		cr_expect_str_eq(rec_get(&env.rec, "data_length"), want);
	}
	cr_expect_str_eq(rec_get(&env.rec, "data"), "deadbeef0102");
}

Test(group, gspm_gsa_kd_keep_their_bytes)
{
	opaque(&ike_dis_gspm, 49, "GSPM");
	opaque(&ike_dis_gsa, 51, "GSA");
	opaque(&ike_dis_kd, 52, "KD");
}

Test(group, idg_fqdn_and_key_id)
{
	uint8_t b[32] = {2, 0, 0, 0, 'g', 'r', 'o', 'u', 'p', '1'};
	cr_expect_eq(ike_dis_idg.type, 50);
	cr_expect_str_eq(ike_dis_idg.abbrev, "IDg");
	cr_assert_eq(dis_decode(&env, &ike_dis_idg, b, 10), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.id.id_type, 2);
	cr_expect_eq(env.pl.u.id.data.len, 6);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "id_type"), "ID_FQDN");
	cr_expect_str_eq(rec_get(&env.rec, "id_type_id"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "id"), "group1");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "67726f757031");

	uint8_t k[8] = {11, 0, 0, 0, 0x00, 0x00, 0x30, 0x39};
	cr_assert_eq(dis_decode(&env, &ike_dis_idg, k, 8), IKE_OK);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "id_type"), "ID_KEY_ID");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "00003039");
}

Test(group, idg_damage)
{
	uint8_t b[8] = {1, 0, 0, 1, 10, 0, 0};
	for (size_t n = 0; n < 4; n++)
		cr_expect_eq(dis_decode(&env, &ike_dis_idg, b, n), IKE_E_TRUNC, "len %zu", n);
	cr_expect_eq(dis_decode(&env, &ike_dis_idg, b, 7), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "3-byte IPv4 group id");
	cr_expect(strstr(dis_anomalies(&env), "IDg") != NULL, "anomalies name IDg: %s", dis_anomalies(&env));
	dis_describe(&env);
}
