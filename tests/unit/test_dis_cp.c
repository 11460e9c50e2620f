/* Configuration payload (RFC 7296 §3.15) and its registries. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(cp, .init = setup, .fini = teardown);

struct cpb {
	uint8_t b[4096];
	size_t n;
};

static void hdr(struct cpb *c, uint8_t type)
{
	memset(c->b, 0, 4);
	c->b[0] = type;
	c->n = 4;
}

static void attr(struct cpb *c, uint16_t type, const uint8_t *v, uint16_t len)
{
	c->b[c->n++] = (uint8_t)(type >> 8);
	c->b[c->n++] = (uint8_t)type;
	c->b[c->n++] = (uint8_t)(len >> 8);
	c->b[c->n++] = (uint8_t)len;
	if (len)
		memcpy(c->b + c->n, v, len);
	c->n += len;
}

static void sorted_unique(const struct ike_names *t)
{
	for (size_t i = 1; i < t->n; i++)
		cr_expect_lt(t->v[i - 1].id, t->v[i].id, "%s row %zu", t->registry, i);
}

Test(cp, registries)
{
	sorted_unique(&ike_names_cp_type);
	sorted_unique(&ike_names_cp_attr);
	cr_expect_str_eq(ike_name_short(&ike_names_cp_type, 1), "CPRQ");
	cr_expect_str_eq(ike_name_long(&ike_names_cp_type, 2), "CFG_REPLY");
	cr_expect_str_eq(ike_name_short(&ike_names_cp_type, 2), "CPRP");
	cr_expect_str_eq(ike_name_short(&ike_names_cp_attr, 1), "ADDR");
	cr_expect_str_eq(ike_name_short(&ike_names_cp_attr, 3), "DNS");
	cr_expect_str_eq(ike_name_short(&ike_names_cp_attr, 8), "ADDR6");
	cr_expect_str_eq(ike_name_short(&ike_names_cp_attr, 10), "DNS6");
	cr_expect_str_eq(ike_name_short(&ike_names_cp_attr, 28675), "U_SPLITDNS");
	cr_expect_null(ike_name_short(&ike_names_cp_attr, 27), "charon 5.9.8 prints (27)");
}

Test(cp, request_with_empty_values)
{
	struct cpb c;
	hdr(&c, 1);
	attr(&c, 1, NULL, 0);
	attr(&c, 3, NULL, 0);
	cr_assert_eq(dis_decode(&env, &ike_dis_cp, c.b, c.n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.cp.n, 2);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "cfg_type"), "CFG_REQUEST");
	cr_expect_str_eq(rec_get(&env.rec, "cfg_type_id"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/0/type"), "INTERNAL_IP4_ADDRESS");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/0/short"), "ADDR");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/0/length"), "0");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/0/value"), "");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/1/short"), "DNS");
}

Test(cp, reply_values_as_text)
{
	struct cpb c;
	uint8_t a4[4] = {10, 3, 0, 1}, m4[4] = {255, 255, 255, 0}, sub[8] = {10, 0, 0, 0, 255, 255, 0, 0};
	uint8_t a6[17] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2, [16] = 64}, d6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 53};
	uint8_t ver[3] = {'x', 'y', 'z'};
	hdr(&c, 2);
	attr(&c, 1, a4, 4);
	attr(&c, 2, m4, 4);
	attr(&c, 13, sub, 8);
	attr(&c, 8, a6, 17);
	attr(&c, 10, d6, 16);
	attr(&c, 7, ver, 3);
	attr(&c, 27, ver, 3);
	cr_assert_eq(dis_decode(&env, &ike_dis_cp, c.b, c.n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "cfg_type"), "CFG_REPLY");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/0/value"), "10.3.0.1");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/1/value"), "255.255.255.0");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/2/value"), "10.0.0.0/255.255.0.0");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/3/value"), "2001:db8::2/64");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/4/value"), "2001:db8::35");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/5/value"), "78797a");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/6/type"), "null");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/6/short"), "(27)");
	cr_expect_str_eq(rec_get(&env.rec, "attributes/6/type_id"), "27");
}

Test(cp, damaged_attributes)
{
	struct cpb c;
	uint8_t v[5] = {1, 2, 3, 4, 5};
	hdr(&c, 2);
	attr(&c, 1, v, 5);
	cr_expect_eq(dis_decode(&env, &ike_dis_cp, c.b, c.n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "5-byte IPv4 address");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "attributes/0/value"), "0102030405");

	hdr(&c, 2);
	attr(&c, 0x8001, NULL, 0);
	dis_decode(&env, &ike_dis_cp, c.b, c.n);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));

	hdr(&c, 9);
	c.b[3] = 1;
	dis_decode(&env, &ike_dis_cp, c.b, c.n);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "CFG type 9");
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));

	hdr(&c, 1);
	attr(&c, 1, v, 4);
	c.b[7] = 40; /* length past the payload */
	dis_decode(&env, &ike_dis_cp, c.b, c.n);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(dis_offset(&env, IKE_AN_LENGTH_TOO_LARGE), DIS_BASE_OFF + 6, "at the attribute length");
	cr_expect_eq(env.left, 0);
}

Test(cp, lengths_and_every_prefix)
{
	uint8_t z[4] = {0};
	for (size_t n = 0; n < 4; n++)
		cr_expect_eq(dis_decode(&env, &ike_dis_cp, z, n), IKE_E_TRUNC, "len %zu", n);
	struct cpb c;
	uint8_t a4[4] = {10, 3, 0, 1};
	hdr(&c, 2);
	attr(&c, 1, a4, 4);
	attr(&c, 3, a4, 4);
	for (size_t n = 4; n < c.n; n++) {
		if (n == 4 || n == 12)
			continue; /* no attribute, or a whole first one: valid shorter payloads */
		enum ike_err e = dis_decode(&env, &ike_dis_cp, c.b, n);
		cr_expect(dis_flagged(&env, e), "prefix %zu passed unnoticed", n);
		if (e == IKE_OK)
			dis_describe(&env);
	}
}

Test(cp, attribute_cap)
{
	struct cpb c;
	hdr(&c, 1);
	for (int i = 0; i < 300; i++)
		attr(&c, 3, NULL, 0);
	cr_expect_eq(dis_decode(&env, &ike_dis_cp, c.b, c.n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LIMIT));
	cr_expect_eq(env.pl.u.cp.n, IKE_MAX_ITEMS);
	cr_expect_eq(env.left, 0);
}
