/* Traffic Selector payloads (RFC 7296 §3.13) and charon's %R text. The
 * expected texts are what strongSwan 5.9.8's own print hook produced for the
 * same selectors. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netdb.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(ts, .init = setup, .fini = teardown);

struct tsb {
	uint8_t b[8192];
	size_t n;
};

static void hdr(struct tsb *t, uint8_t count)
{
	t->n = 0;
	t->b[t->n++] = count;
	t->b[t->n++] = 0;
	t->b[t->n++] = 0;
	t->b[t->n++] = 0;
}

static void sel(struct tsb *t, uint8_t type, uint8_t proto, uint16_t sp, uint16_t ep, const char *from,
		const char *to)
{
	int v6 = type == 8;
	size_t alen = v6 ? 16 : 4;
	t->b[t->n++] = type;
	t->b[t->n++] = proto;
	t->b[t->n++] = 0;
	t->b[t->n++] = (uint8_t)(8 + 2 * alen);
	t->b[t->n++] = (uint8_t)(sp >> 8);
	t->b[t->n++] = (uint8_t)sp;
	t->b[t->n++] = (uint8_t)(ep >> 8);
	t->b[t->n++] = (uint8_t)ep;
	cr_assert_eq(inet_pton(v6 ? AF_INET6 : AF_INET, from, t->b + t->n), 1);
	t->n += alen;
	cr_assert_eq(inet_pton(v6 ? AF_INET6 : AF_INET, to, t->b + t->n), 1);
	t->n += alen;
}

static const char *text_of(uint8_t type, uint8_t proto, uint16_t sp, uint16_t ep, const char *from, const char *to)
{
	struct tsb t;
	hdr(&t, 1);
	sel(&t, type, proto, sp, ep, from, to);
	cr_assert_eq(dis_decode(&env, &ike_dis_tsi, t.b, t.n), IKE_OK);
	cr_assert_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	dis_describe(&env);
	const char *s = rec_get(&env.rec, "ts/0/text");
	cr_assert(s != NULL);
	return s;
}

Test(ts, registry)
{
	cr_expect_str_eq(ike_name_long(&ike_names_ts_type, 7), "TS_IPV4_ADDR_RANGE");
	cr_expect_str_eq(ike_name_long(&ike_names_ts_type, 8), "TS_IPV6_ADDR_RANGE");
	cr_expect_str_eq(ike_name_long(&ike_names_ts_type, 10), "TS_SECLABEL");
	for (size_t i = 1; i < ike_names_ts_type.n; i++)
		cr_expect_lt(ike_names_ts_type.v[i - 1].id, ike_names_ts_type.v[i].id);
}

Test(ts, two_selectors_members)
{
	struct tsb t;
	hdr(&t, 2);
	sel(&t, 7, 0, 0, 65535, "198.51.100.0", "198.51.100.127");
	sel(&t, 8, 6, 443, 443, "2001:db8::1", "2001:db8::1");
	cr_assert_eq(dis_decode(&env, &ike_dis_tsr, t.b, t.n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.ts.n, 2);
	cr_expect_eq(env.left, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "ts_count"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/ts_type"), "TS_IPV4_ADDR_RANGE");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/ts_type_id"), "7");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/start"), "198.51.100.0");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/end"), "198.51.100.127");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/start_port"), "0");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/end_port"), "65535");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/text"), "198.51.100.0/25");
	cr_expect_str_eq(rec_get(&env.rec, "ts/1/ts_type"), "TS_IPV6_ADDR_RANGE");
	cr_expect_str_eq(rec_get(&env.rec, "ts/1/ip_protocol"), "6");
	cr_expect_str_eq(rec_get(&env.rec, "ts/1/start"), "2001:db8::1");
}

Test(ts, charon_text_forms)
{
	cr_expect_str_eq(text_of(7, 0, 0, 65535, "198.51.100.5", "198.51.100.9"), "198.51.100.5..198.51.100.9");
	cr_expect_str_eq(text_of(7, 0, 0, 65535, "0.0.0.0", "255.255.255.255"), "0.0.0.0/0");
	cr_expect_str_eq(text_of(7, 0, 0, 65535, "10.0.0.1", "10.0.0.1"), "10.0.0.1/32");
	cr_expect_str_eq(text_of(7, 6, 1000, 2000, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[tcp/1000-2000]");
	cr_expect_str_eq(text_of(7, 17, 0, 65535, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[udp]");
	cr_expect_str_eq(text_of(7, 1, 0x0800, 0x0800, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[icmp/8]");
	cr_expect_str_eq(text_of(7, 1, 0x0803, 0x0803, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[icmp/8(3)]");
	cr_expect_str_eq(text_of(8, 58, 0x8000, 0x8101, "2001:db8::", "2001:db8::ffff"),
			 "2001:db8::/112[ipv6-icmp/128-129(1)]");
	cr_expect_str_eq(text_of(7, 6, 65535, 0, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[tcp/OPAQUE]");
	cr_expect_str_eq(text_of(7, 99, 0, 65535, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[99]");
	cr_expect_str_eq(text_of(8, 0, 0, 65535, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "::/0");
	cr_expect_str_eq(text_of(8, 0, 0, 65535, "2001:db8::1", "2001:db8::5"), "2001:db8::1..2001:db8::5");
	cr_expect_str_eq(text_of(7, 0, 0, 65535, "255.255.255.255", "0.0.0.0"), "255.255.255.255..0.0.0.0");
	cr_expect_str_eq(text_of(7, 6, 5, 0, "10.0.0.0", "10.0.0.255"), "10.0.0.0/24[tcp/5-0]");
}

Test(ts, single_port_uses_the_services_database)
{
	/* charon prints getservbyport()'s name: "[tcp/http]" where /etc/services knows port 80 */
	struct servent *sv = getservbyport(htons(80), "tcp");
	char want[64];
	snprintf(want, sizeof(want), "10.0.0.0/24[tcp/%s]", sv ? sv->s_name : "80");
	cr_expect_str_eq(text_of(7, 6, 80, 80, "10.0.0.0", "10.0.0.255"), want);
	sv = getservbyport(htons(80), NULL);
	snprintf(want, sizeof(want), "10.0.0.0/24[0/%s]", sv ? sv->s_name : "80");
	cr_expect_str_eq(text_of(7, 0, 80, 80, "10.0.0.0", "10.0.0.255"), want);
}

Test(ts, other_types_and_wrong_lengths_stay_raw)
{
	struct tsb t;
	hdr(&t, 2);
	/* TS_SECLABEL: type, reserved, length, label */
	uint8_t lab[] = {10, 0, 0, 8, 's', 'y', 's', 0};
	memcpy(t.b + t.n, lab, sizeof(lab));
	t.n += sizeof(lab);
	/* IPv4 selector claiming 12 bytes */
	uint8_t bad[] = {7, 0, 0, 12, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
	memcpy(t.b + t.n, bad, sizeof(bad));
	t.n += sizeof(bad);
	cr_assert_eq(dis_decode(&env, &ike_dis_tsi, t.b, t.n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "12-byte IPv4 selector");
	cr_expect_eq(env.pl.u.ts.n, 2);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/ts_type"), "TS_SECLABEL");
	cr_expect_str_eq(rec_get(&env.rec, "ts/0/data"), "73797300");
	cr_expect_str_eq(rec_get(&env.rec, "ts/1/data"), "0000ffff0a000001");
	cr_expect_null(rec_get(&env.rec, "ts/1/text"));
}

Test(ts, reserved_and_selector_lengths)
{
	struct tsb t;
	hdr(&t, 1);
	t.b[2] = 1;
	sel(&t, 7, 0, 0, 65535, "10.0.0.0", "10.0.0.255");
	dis_decode(&env, &ike_dis_tsi, t.b, t.n);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));

	for (uint16_t len = 0; len < 4; len++) {
		hdr(&t, 1);
		sel(&t, 7, 0, 0, 65535, "10.0.0.0", "10.0.0.255");
		t.b[7] = (uint8_t)len;
		dis_decode(&env, &ike_dis_tsi, t.b, t.n);
		cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_SMALL), "selector length %u", len);
	}
	hdr(&t, 1);
	sel(&t, 7, 0, 0, 65535, "10.0.0.0", "10.0.0.255");
	t.b[6] = 1; /* 272 */
	dis_decode(&env, &ike_dis_tsi, t.b, t.n);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(dis_offset(&env, IKE_AN_LENGTH_TOO_LARGE), DIS_BASE_OFF + 6, "at the selector length");
}

Test(ts, claims_255_selectors)
{
	struct tsb t;
	hdr(&t, 255);
	sel(&t, 7, 0, 0, 65535, "10.0.0.0", "10.0.0.255");
	cr_expect_eq(dis_decode(&env, &ike_dis_tsi, t.b, t.n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_TRUNCATED), "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.ts.n, 1);
	dis_describe(&env);

	hdr(&t, 255);
	for (int i = 0; i < 255; i++)
		sel(&t, 7, 0, 0, 65535, "10.0.0.0", "10.0.0.255");
	cr_expect_eq(dis_decode(&env, &ike_dis_tsi, t.b, t.n), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.ts.n, 255);
}

Test(ts, every_prefix_is_clean)
{
	struct tsb t;
	hdr(&t, 2);
	sel(&t, 7, 6, 80, 80, "10.0.0.0", "10.0.0.255");
	sel(&t, 8, 0, 0, 65535, "2001:db8::", "2001:db8::ffff");
	for (size_t len = 0; len < t.n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_tsi, t.b, len);
		cr_expect(dis_flagged(&env, e), "prefix %zu passed unnoticed", len);
		if (len < 4)
			cr_expect_eq(e, IKE_E_TRUNC);
		if (e == IKE_OK)
			dis_describe(&env);
	}
}
