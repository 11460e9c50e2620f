/* Delete payload (RFC 7296 §3.11). */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(delete, .init = setup, .fini = teardown);

static uint8_t big[4 + 4 * 300];

static size_t body(uint8_t *b, uint8_t proto, uint8_t spi_size, uint16_t count, size_t present)
{
	size_t n = 0;
	b[n++] = proto;
	b[n++] = spi_size;
	b[n++] = (uint8_t)(count >> 8);
	b[n++] = (uint8_t)count;
	for (size_t i = 0; i < present * spi_size; i++)
		b[n++] = (uint8_t)(0x10 + i);
	return n;
}

Test(delete, ike_sa)
{
	uint8_t b[8];
	cr_assert_eq(dis_decode(&env, &ike_dis_delete, b, body(b, 1, 0, 0, 0)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.d.n_spis, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "protocol"), "IKE");
	cr_expect_str_eq(rec_get(&env.rec, "protocol_id"), "1");
	cr_expect_str_eq(rec_get(&env.rec, "spi_size"), "0");
	cr_expect_null(rec_get(&env.rec, "spis/0"));
}

Test(delete, two_esp_spis)
{
	uint8_t b[16];
	cr_assert_eq(dis_decode(&env, &ike_dis_delete, b, body(b, 3, 4, 2, 2)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.d.n_spis, 2);
	cr_expect_eq(env.left, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "protocol"), "ESP");
	cr_expect_str_eq(rec_get(&env.rec, "spi_count"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "spis/0"), "10111213");
	cr_expect_str_eq(rec_get(&env.rec, "spis/1"), "14151617");
}

Test(delete, wrong_sizes_for_the_protocol)
{
	uint8_t b[32];
	dis_decode(&env, &ike_dis_delete, b, body(b, 1, 8, 1, 1));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "IKE delete with SPIs");
	dis_decode(&env, &ike_dis_delete, b, body(b, 3, 8, 1, 1));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "8-byte ESP SPI");
	dis_decode(&env, &ike_dis_delete, b, body(b, 3, 0, 3, 0));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "SPIs of size 0");
	dis_decode(&env, &ike_dis_delete, b, body(b, 9, 4, 1, 1));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "protocol 9");
}

Test(delete, count_larger_than_bytes)
{
	uint8_t b[16];
	cr_expect_eq(dis_decode(&env, &ike_dis_delete, b, body(b, 3, 4, 3, 2)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(dis_offset(&env, IKE_AN_LENGTH_TOO_LARGE), DIS_BASE_OFF + 2, "at Num of SPIs");
	cr_expect_eq(env.pl.u.d.n_spis, 2, "the SPIs present are kept");
}

Test(delete, count_smaller_than_bytes_leaves_trailing)
{
	uint8_t b[16];
	cr_expect_eq(dis_decode(&env, &ike_dis_delete, b, body(b, 3, 4, 1, 2)), IKE_OK);
	cr_expect_eq(env.pl.u.d.n_spis, 1);
	cr_expect_eq(env.left, 4, "the walker reports the extra SPI as trailing bytes");
}

Test(delete, claims_65535_spis)
{
	cr_expect_eq(dis_decode(&env, &ike_dis_delete, big, body(big, 3, 4, 65535, 1)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(env.pl.u.d.n_spis, 1);

	cr_expect_eq(dis_decode(&env, &ike_dis_delete, big, body(big, 3, 4, 65535, 300)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LIMIT));
	cr_expect_eq(env.pl.u.d.n_spis, IKE_MAX_ITEMS);
	cr_expect_eq(env.left, 0, "SPIs past the cap are skipped, not trailing");
	dis_describe(&env);
}

Test(delete, lengths_below_header_and_every_prefix)
{
	uint8_t b[16];
	size_t n = body(b, 3, 4, 2, 2);
	for (size_t len = 0; len < n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_delete, b, len);
		cr_expect(dis_flagged(&env, e), "prefix %zu passed unnoticed", len);
		if (len < 4)
			cr_expect_eq(e, IKE_E_TRUNC);
		else if (e == IKE_OK)
			dis_describe(&env);
	}
}
