/* IDi/IDr payloads (RFC 7296 §3.5): identities printed as charon's %Y prints
 * them, DER Names included, and damaged data. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(id, .init = setup, .fini = teardown);

static uint8_t buf[1024];

static size_t id_body(uint8_t type, const void *data, size_t n)
{
	buf[0] = type;
	buf[1] = buf[2] = buf[3] = 0;
	memcpy(buf + 4, data, n);
	return 4 + n;
}

static const char *id_of(const struct ike_dissector *d, uint8_t type, const void *data, size_t n)
{
	cr_assert_eq(dis_decode(&env, d, buf, id_body(type, data, n)), IKE_OK);
	dis_describe(&env);
	return rec_get(&env.rec, "id");
}

/* C=CH, O=strongSwan, CN=peer */
static const uint8_t dn[] = {0x30, 0x37, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02,
			     0x43, 0x48, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x0a,
			     0x73, 0x74, 0x72, 0x6f, 0x6e, 0x67, 0x53, 0x77, 0x61, 0x6e, 0x31, 0x13, 0x30,
			     0x11, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0a, 'p', 'e', 'e', 'r', '.', 'l',
			     'o', 'c', 'a', 'l'};
/* strongSwan's own test: C=CH, telexNumber=123 (an OID charon does not name) */
static const uint8_t dn_unknown[] = {0x30, 0x19, 0x31, 0x17, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06,
				     0x13, 0x02, 0x43, 0x48, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x15,
				     0x13, 0x03, 0x31, 0x32, 0x33};
/* and its broken one: a NULL where the second OID should be */
static const uint8_t dn_broken[] = {0x30, 0x20, 0x31, 0x1e, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13,
				    0x02, 0x43, 0x48, 0x30, 0x11, 0x05, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x0a,
				    0x73, 0x74, 0x72, 0x6f, 0x6e, 0x67, 0x53, 0x77, 0x61, 0x6e};

Test(id, addresses)
{
	static const uint8_t v4[] = {192, 0, 2, 1};
	static const uint8_t v6[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	cr_expect_str_eq(id_of(&ike_dis_idi, 1, v4, 4), "192.0.2.1");
	cr_expect_eq(env.msg.n_anomalies, 0);
	cr_expect_str_eq(rec_get(&env.rec, "id_type"), "ID_IPV4_ADDR");
	cr_expect_str_eq(rec_get(&env.rec, "id_type_id"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "c0000201");
	cr_expect_str_eq(id_of(&ike_dis_idr, 5, v6, 16), "2001:db8::1");
	cr_expect_str_eq(id_of(&ike_dis_idi, 1, v4, 3), "(invalid ID_IPV4_ADDR)");
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	id_of(&ike_dis_idi, 5, v6, 15);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
}

Test(id, names_and_key_ids)
{
	cr_expect_str_eq(id_of(&ike_dis_idi, 2, "moon.strongswan.org", 19), "moon.strongswan.org");
	cr_expect_eq(env.msg.n_anomalies, 0);
	cr_expect_str_eq(id_of(&ike_dis_idi, 3, "a@b\x01\xff", 5), "a@b??");
	cr_expect_str_eq(id_of(&ike_dis_idr, 11, "keyid", 5), "keyid");
	static const uint8_t kid[] = {0x01, 0xab, 0x00};
	cr_expect_str_eq(id_of(&ike_dis_idr, 11, kid, 3), "01:ab:00");
	/* a printable 20-byte key ID is still hex, as charon takes it for a hash */
	cr_expect_str_eq(id_of(&ike_dis_idr, 11, "AAAAAAAAAAAAAAAAAAAA", 20),
			 "41:41:41:41:41:41:41:41:41:41:41:41:41:41:41:41:41:41:41:41");
	cr_expect_str_eq(id_of(&ike_dis_idi, 10, "\x81\x01x", 3), "(ASN.1 general name)");
	cr_expect_str_eq(id_of(&ike_dis_idi, 13, "", 0), "(unknown ID type: 13)");
	cr_expect_str_eq(rec_get(&env.rec, "id_type"), "ID_NULL");
	cr_expect_str_eq(id_of(&ike_dis_idi, 0, "", 0), "%any");
	cr_expect_str_eq(rec_get(&env.rec, "id_type"), "null");
	id_of(&ike_dis_idi, 2, "", 0);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "empty FQDN");
}

Test(id, subnets_and_ranges)
{
	static const uint8_t sub[] = {10, 1, 0, 0, 255, 255, 240, 0};
	static const uint8_t range[] = {10, 0, 0, 1, 10, 0, 0, 9};
	cr_expect_str_eq(id_of(&ike_dis_idi, 4, sub, 8), "10.1.0.0/20");
	cr_expect_str_eq(id_of(&ike_dis_idi, 7, range, 8), "10.0.0.1-10.0.0.9");
	cr_expect_str_eq(id_of(&ike_dis_idi, 7, range, 7), "(invalid ID_IPV4_ADDR_RANGE)");
}

Test(id, distinguished_names)
{
	cr_expect_str_eq(id_of(&ike_dis_idi, 9, dn, sizeof(dn)), "C=CH, O=strongSwan, CN=peer.local");
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_str_eq(id_of(&ike_dis_idi, 9, dn_unknown, sizeof(dn_unknown)), "C=CH, 55:04:15=123");
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_str_eq(id_of(&ike_dis_idi, 9, dn_broken, sizeof(dn_broken)), "C=CH, (invalid ID_DER_ASN1_DN)");
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF + 4);
	cr_expect_str_eq(id_of(&ike_dis_idi, 9, "\x04\x02hi", 4), "");
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "not a SEQUENCE");
}

Test(id, every_truncation_of_a_dn)
{
	size_t n = id_body(9, dn, sizeof(dn));
	for (size_t len = 0; len < n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_idi, buf, len);
		if (len < ike_dis_idi.min_len) {
			cr_expect_eq(e, IKE_E_TRUNC, "len %zu", len);
			continue;
		}
		cr_expect_eq(e, IKE_OK);
		cr_expect(dis_has(&env, IKE_AN_MALFORMED), "len %zu: cut DN unnoticed", len);
		dis_describe(&env);
		cr_expect_not_null(rec_get(&env.rec, "id"));
	}
}

Test(id, der_length_forms)
{
	/* long-form lengths are fine; indefinite and 5-byte lengths are not */
	static const uint8_t longform[] = {0x30, 0x81, 0x0b, 0x31, 0x09, 0x30, 0x07, 0x06,
					   0x03, 0x55, 0x04, 0x03, 0x0c, 0x00};
	cr_expect_str_eq(id_of(&ike_dis_idi, 9, longform, sizeof(longform)), "CN=");
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	static const uint8_t indef[] = {0x30, 0x80, 0x00, 0x00};
	id_of(&ike_dis_idi, 9, indef, sizeof(indef));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	static const uint8_t huge[] = {0x30, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff};
	id_of(&ike_dis_idi, 9, huge, sizeof(huge));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	static const uint8_t trailing[] = {0x30, 0x00, 0x00};
	cr_expect_str_eq(id_of(&ike_dis_idi, 9, trailing, sizeof(trailing)), "");
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
}

Test(id, reserved_bytes)
{
	size_t n = id_body(2, "x.org", 5);
	buf[3] = 1;
	cr_expect_eq(dis_decode(&env, &ike_dis_idr, buf, n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));
	cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF + 1);
}
