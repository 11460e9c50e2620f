/* Notify payload (RFC 7296 §3.10) and the notify name registry. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(notify, .init = setup, .fini = teardown);

/* Body: protocol, SPI size, type, SPI, data. */
static size_t body(uint8_t *b, uint8_t proto, uint16_t type, const uint8_t *spi, uint8_t spi_len,
		   const uint8_t *data, size_t data_len)
{
	size_t n = 0;
	b[n++] = proto;
	b[n++] = spi_len;
	b[n++] = (uint8_t)(type >> 8);
	b[n++] = (uint8_t)type;
	if (spi_len)
		memcpy(b + n, spi, spi_len);
	n += spi_len;
	if (data_len)
		memcpy(b + n, data, data_len);
	return n + data_len;
}

static void decode_ok(const uint8_t *b, size_t n)
{
	cr_assert_eq(dis_decode(&env, &ike_dis_notify, b, n), IKE_OK);
	cr_assert_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_assert_eq(env.left, 0);
	dis_describe(&env);
}

static void expect_member(const char *path, const char *want)
{
	const char *got = rec_get(&env.rec, path);
	cr_expect(got != NULL, "no member %s", path);
	if (got)
		cr_expect_str_eq(got, want, "%s", path);
}

Test(notify, registry_sorted_unique_and_charon_names)
{
	for (size_t i = 1; i < ike_names_notify.n; i++)
		cr_expect_lt(ike_names_notify.v[i - 1].id, ike_names_notify.v[i].id, "row %zu", i);
	cr_expect_str_eq(ike_name_long(&ike_names_notify, 24), "AUTHENTICATION_FAILED");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 24), "AUTH_FAILED");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 14), "NO_PROP");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 17), "INVAL_KE");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 16430), "FRAG_SUP");
	cr_expect_str_eq(ike_name_long(&ike_names_notify, 16430), "FRAGMENTATION_SUPPORTED");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 16431), "HASH_ALG");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 16387), "IPCOMP_SUP");
	cr_expect_str_eq(ike_name_short(&ike_names_notify, 40969), "RADIUS");
	cr_expect_str_eq(ike_name_long(&ike_names_notify, 47), "STATE_NOT_FOUND");
	cr_expect_str_eq(ike_name_long(&ike_names_notify, 16444), "SA_RESOURCE_INFO");
	cr_expect_null(ike_name_long(&ike_names_notify, 30000));
}

Test(notify, charon_knows_exactly_its_own_types)
{
	cr_expect(ike_notify_charon_knows(16388));
	cr_expect(ike_notify_charon_knows(12345));
	cr_expect(ike_notify_charon_knows(16437));
	cr_expect_not(ike_notify_charon_knows(16438), "5.9.8 prints N((16438))");
	cr_expect_not(ike_notify_charon_knows(16441));
	cr_expect_not(ike_notify_charon_knows(47));
	cr_expect_not(ike_notify_charon_knows(30000));
	for (size_t i = 0; i < ike_names_notify.n; i++) {
		const struct ike_name *n = &ike_names_notify.v[i];
		if (!ike_notify_charon_knows((uint16_t)n->id))
			cr_expect_str_eq(n->name, n->short_name, "IANA-only type %u keeps short = long", n->id);
	}
}

Test(notify, nat_detection_hash)
{
	uint8_t h[20], b[64];
	for (int i = 0; i < 20; i++)
		h[i] = (uint8_t)(0xa0 + i);
	decode_ok(b, body(b, 0, 16388, NULL, 0, h, 20));
	cr_expect_eq(env.pl.u.n.type, 16388);
	cr_expect_eq(env.pl.u.n.data.len, 20);
	expect_member("notify", "NAT_DETECTION_SOURCE_IP");
	expect_member("notify_id", "16388");
	expect_member("short", "NATD_S_IP");
	expect_member("error", "false");
	expect_member("protocol", "null");
	expect_member("spi", "");
	expect_member("hash", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");

	/* 19 bytes: the hash is not a SHA-1 */
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 16389, NULL, 0, h, 19));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	dis_describe(&env);
	cr_expect_null(rec_get(&env.rec, "hash"));
	expect_member("data", "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2");
}

Test(notify, errors_and_invalid_ke)
{
	uint8_t b[16], g[2] = {0, 14};
	decode_ok(b, body(b, 0, 14, NULL, 0, NULL, 0));
	expect_member("notify", "NO_PROPOSAL_CHOSEN");
	expect_member("short", "NO_PROP");
	expect_member("error", "true");

	decode_ok(b, body(b, 0, 17, NULL, 0, g, 2));
	expect_member("group_id", "14");
	expect_member("group", "MODP_2048");

	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 17, NULL, 0, g, 1));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "1-byte group");
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 14, NULL, 0, g, 2));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "NO_PROPOSAL_CHOSEN carries no data");
}

Test(notify, unknown_type_short_is_number)
{
	uint8_t b[8];
	decode_ok(b, body(b, 0, 30000, NULL, 0, NULL, 0));
	expect_member("notify", "null");
	expect_member("short", "(30000)");
	expect_member("error", "false");
	decode_ok(b, body(b, 0, 16438, NULL, 0, NULL, 0));
	expect_member("notify", "INTERMEDIATE_EXCHANGE_SUPPORTED");
}

Test(notify, rekey_sa_with_esp_spi)
{
	uint8_t b[16], spi[4] = {0xc1, 0x2a, 0x33, 0x04};
	decode_ok(b, body(b, 3, 16393, spi, 4, NULL, 0));
	expect_member("notify", "REKEY_SA");
	expect_member("protocol", "ESP");
	expect_member("protocol_id", "3");
	expect_member("spi", "c12a3304");
	dis_decode(&env, &ike_dis_notify, b, body(b, 3, 16393, NULL, 0, NULL, 0));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "REKEY_SA without SPI");
}

Test(notify, signature_hash_algorithms)
{
	uint8_t b[32], d[] = {0, 2, 0, 3, 0, 4, 0, 5, 0, 99};
	decode_ok(b, body(b, 0, 16431, NULL, 0, d, sizeof(d)));
	expect_member("short", "HASH_ALG");
	expect_member("hash_algorithms/0", "SHA2_256");
	expect_member("hash_algorithms/1", "SHA2_384");
	expect_member("hash_algorithms/2", "SHA2_512");
	expect_member("hash_algorithms/3", "IDENTITY");
	expect_member("hash_algorithms/4", "(99)");
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 16431, NULL, 0, d, 3));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "odd length");
}

Test(notify, fragmentation_supported_must_be_empty)
{
	uint8_t b[16], d[1] = {1};
	decode_ok(b, body(b, 0, 16430, NULL, 0, NULL, 0));
	expect_member("short", "FRAG_SUP");
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 16430, NULL, 0, d, 1));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
}

Test(notify, redirect_ipv4_with_nonce_and_redirected_from_fqdn)
{
	uint8_t b[64], d[] = {1, 4, 192, 0, 2, 7, 0xee, 0xff};
	decode_ok(b, body(b, 0, 16407, NULL, 0, d, sizeof(d)));
	expect_member("gw_ident_type", "IPV4_ADDR");
	expect_member("gw_ident_type_id", "1");
	expect_member("gw_identity", "192.0.2.7");
	expect_member("nonce", "eeff");

	uint8_t f[] = {3, 11, 'v', 'p', 'n', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'};
	decode_ok(b, body(b, 0, 16408, NULL, 0, f, sizeof(f)));
	expect_member("gw_ident_type", "FQDN");
	expect_member("gw_identity", "vpn.example");

	/* identity length past the data */
	f[1] = 40;
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 16408, NULL, 0, f, sizeof(f)));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	dis_describe(&env); /* must not read past the data */
}

Test(notify, addresses_ports_windows_lifetimes)
{
	uint8_t b[64];
	uint8_t nn[] = {192, 0, 2, 1, 198, 51, 100, 2, 0x11, 0x94, 0x01, 0xf4};
	decode_ok(b, body(b, 0, 16402, NULL, 0, nn, sizeof(nn)));
	expect_member("src", "192.0.2.1");
	expect_member("dst", "198.51.100.2");
	expect_member("sport", "4500");
	expect_member("dport", "500");

	uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	decode_ok(b, body(b, 0, 16398, NULL, 0, a6, 16));
	expect_member("address", "2001:db8::1");

	uint8_t w[4] = {0, 0, 0, 10};
	decode_ok(b, body(b, 0, 16385, NULL, 0, w, 4));
	expect_member("window", "10");
	decode_ok(b, body(b, 0, 16403, NULL, 0, w, 4));
	expect_member("auth_lifetime", "10");

	uint8_t ipc[3] = {0x12, 0x34, 2};
	decode_ok(b, body(b, 0, 16387, NULL, 0, ipc, 3));
	expect_member("cpi", "4660");
	expect_member("ipcomp_transform", "IPCOMP_DEFLATE");

	uint8_t ms[4] = {0, 0, 0, 1};
	decode_ok(b, body(b, 0, 12345, NULL, 0, ms, 4));
	expect_member("status", "1");

	uint8_t sync[12] = {0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0, 6};
	decode_ok(b, body(b, 0, 16422, NULL, 0, sync, 12));
	expect_member("nonce", "9");
	expect_member("expected_send_req_mid", "5");
	expect_member("expected_recv_req_mid", "6");

	uint8_t ppk[] = {1, 'k', 'e', 'y'};
	decode_ok(b, body(b, 0, 16436, NULL, 0, ppk, sizeof(ppk)));
	expect_member("ppk_id_type", "PPK_ID_OPAQUE");
	expect_member("ppk_id", "6b6579");
}

Test(notify, cookie_sizes)
{
	uint8_t b[128], c[65];
	memset(c, 0x5a, sizeof(c));
	decode_ok(b, body(b, 0, 16390, NULL, 0, c, 8));
	expect_member("cookie", "5a5a5a5a5a5a5a5a");
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 16390, NULL, 0, c, 0));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "empty cookie");
	dis_decode(&env, &ike_dis_notify, b, body(b, 0, 16390, NULL, 0, c, 65));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "65-byte cookie");
}

Test(notify, spi_size_past_the_body)
{
	uint8_t b[16] = {3, 200, 0x40, 0x09, 1, 2, 3, 4};
	cr_expect_neq(dis_decode(&env, &ike_dis_notify, b, 8), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE), "%s", dis_anomalies(&env));
	cr_expect_eq(dis_offset(&env, IKE_AN_LENGTH_TOO_LARGE), DIS_BASE_OFF + 1, "at the SPI Size byte");
	uint8_t odd[16] = {3, 3, 0x40, 0x09, 1, 2, 3};
	cr_expect_eq(dis_decode(&env, &ike_dis_notify, odd, 7), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "3-byte ESP SPI");
	uint8_t proto[4] = {77, 0, 0x40, 0x00};
	cr_expect_eq(dis_decode(&env, &ike_dis_notify, proto, 4), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "protocol 77");
}

Test(notify, body_lengths_0_to_3_are_below_minimum)
{
	uint8_t b[4] = {0};
	for (size_t n = 0; n < 4; n++)
		cr_expect_eq(dis_decode(&env, &ike_dis_notify, b, n), IKE_E_TRUNC, "len %zu", n);
}

Test(notify, every_prefix_is_clean)
{
	uint8_t h[20] = {0}, spi[4] = {1, 2, 3, 4}, red[] = {2, 16, 0x20, 1, 0xd, 0xb8, [17] = 9};
	uint8_t vec[4][64];
	size_t len[4];
	len[0] = body(vec[0], 0, 16388, NULL, 0, h, 20);
	len[1] = body(vec[1], 3, 16393, spi, 4, NULL, 0);
	len[2] = body(vec[2], 0, 16407, NULL, 0, red, sizeof(red));
	uint8_t nn[12] = {0};
	len[3] = body(vec[3], 0, 16402, NULL, 0, nn, sizeof(nn));
	for (int v = 0; v < 4; v++) {
		for (size_t n = 0; n < len[v]; n++) {
			enum ike_err e = dis_decode(&env, &ike_dis_notify, vec[v], n);
			cr_expect(dis_flagged(&env, e), "vector %d prefix %zu passed unnoticed", v, n);
			if (e == IKE_OK)
				dis_describe(&env);
		}
	}
}
