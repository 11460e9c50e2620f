/*
 * SK and SKF opening inside the decoder: inner chains decoded by the same
 * dissectors, RFC 7383 fragments reassembled in any order with duplicates
 * ignored, missing fragments named, a bad ICV never decoded.
 */
#include <criterion/criterion.h>

#include "ikescope/ike.h"
#include "ikescope/keys.h"
#include "sk_seal.h"

static struct ike_keyring *ring;
static struct ike_decoder *dec;
static const struct ike_sa_keys *sa;
static struct ike_msg msg;

/* Inner chain: No (16 bytes) then N(INITIAL_CONTACT). */
static const uint8_t inner[] = {
	41, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	0, 0, 0, 8, 0, 0, 0x40, 0x00,
};

static void setup(void)
{
	ring = ike_keyring_new();
	uint8_t k[4][20];
	randombytes_buf(k, sizeof(k));
	struct ike_sa_keyspec s = {
		.ispi = 0x1111, .rspi = 0x2222, .encr = 12, .encr_bits = 128, .integ = 2,
		.dirs = IKE_KEYS_I | IKE_KEYS_R, .ei = k[0], .er = k[1], .ai = k[2], .ar = k[3],
		.ei_len = 16, .er_len = 16, .ai_len = 20, .ar_len = 20,
	};
	char why[160];
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	sa = ike_keyring_find(ring, 0x1111, 0x2222);
	dec = ike_decoder_new();
	ike_decoder_set_keys(dec, ring);
}

static void teardown(void)
{
	ike_decoder_free(dec);
	ike_keyring_free(ring);
}

TestSuite(decrypt, .init = setup, .fini = teardown);

static const uint8_t *frag_bytes(uint16_t n, size_t *len)
{
	static const size_t cut[] = {0, 10, 20, sizeof(inner)};
	*len = cut[n] - cut[n - 1];
	return inner + cut[n - 1];
}

static void feed_fragment(uint16_t n, uint16_t total, bool tamper)
{
	struct ikeb b;
	struct seal_opts o = {.from_i = true, .skf = true, .frag_num = n, .frag_total = total, .force_pad_len = -1};
	size_t len;
	const uint8_t *p = frag_bytes(n, &len);
	cr_assert_gt(sk_seal(sa, &o, n == 1 ? 40 : 0, p, len, &b), 0);
	if (tamper)
		b.b[b.len - 20] ^= 0x01;
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
}

static const char *summary(void)
{
	static char s[256];
	ike_msg_summary(&msg, s, sizeof(s));
	return s;
}

Test(decrypt, sk_inner_chain)
{
	struct ikeb b;
	struct seal_opts o = {.from_i = true, .force_pad_len = -1};
	cr_assert_gt(sk_seal(sa, &o, 40, inner, sizeof(inner), &b), 0);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect_eq(msg.decrypted, IKE_DEC_YES);
	cr_expect_eq(msg.icv, IKE_ICV_OK);
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ No N(INIT_CONTACT) ]");
	const struct ike_pl_sk *sk = &msg.payloads[0].u.sk;
	cr_assert_eq(sk->n_inner, 2);
	cr_expect_eq(sk->inner[0].u.nonce.data.len, 16);
	cr_expect_eq(sk->inner[1].u.n.type, 16384);
}

Test(decrypt, wrong_direction_key_is_not_used)
{
	struct ikeb b;
	struct seal_opts o = {.from_i = false, .force_pad_len = -1};
	cr_assert_gt(sk_seal(sa, &o, 40, inner, sizeof(inner), &b), 0);
	b.b[19] = 0x08; /* claim the initiator sent it: SK_ei/SK_ai are tried and fail */
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect_eq(msg.icv, IKE_ICV_BAD);
	cr_expect_eq(msg.decrypted, IKE_DEC_FAILED);
	cr_expect_eq(msg.payloads[0].u.sk.n_inner, 0);
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ E ]");
	cr_expect_eq(msg.anomalies[0].kind, IKE_AN_ICV_BAD);
}

Test(decrypt, fragments_in_any_order_with_duplicates)
{
	feed_fragment(3, 3, false);
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ EF(3/3) ]");
	cr_expect_eq(msg.decrypted, IKE_DEC_YES);
	feed_fragment(1, 3, false);
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ EF(1/3) ]");
	feed_fragment(1, 3, false); /* retransmitted fragment */
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ EF(1/3) ]");
	feed_fragment(2, 3, false);
	cr_expect_eq(msg.reassembled_from, 3);
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ No N(INIT_CONTACT) ]");
	struct ike_origin at;
	struct ike_anomaly a;
	cr_expect_not(ike_decoder_flush(dec, &at, &a), "nothing pending after completion");
}

Test(decrypt, missing_fragment_is_named)
{
	feed_fragment(1, 3, false);
	feed_fragment(3, 3, false);
	struct ike_origin at;
	struct ike_anomaly a;
	cr_assert(ike_decoder_flush(dec, &at, &a));
	cr_expect_eq(a.kind, IKE_AN_FRAGMENT_MISSING);
	cr_expect(strstr(a.detail, "fragment(s) 2 of 3") != NULL, "%s", a.detail);
	cr_expect_not(ike_decoder_flush(dec, &at, &a));
}

Test(decrypt, tampered_fragment_never_joins)
{
	feed_fragment(1, 3, false);
	feed_fragment(2, 3, true);
	cr_expect_eq(msg.icv, IKE_ICV_BAD);
	feed_fragment(3, 3, false);
	cr_expect_eq(msg.reassembled_from, 0);
	cr_expect_str_eq(summary(), "IKE_AUTH request 1 [ EF(3/3) ]");
	struct ike_origin at;
	struct ike_anomaly a;
	cr_assert(ike_decoder_flush(dec, &at, &a));
	cr_expect(strstr(a.detail, "fragment(s) 2 of 3") != NULL, "%s", a.detail);
}

Test(decrypt, fragment_count_cap)
{
	feed_fragment(1, 65535, false);
	bool limit = false;
	for (uint16_t i = 0; i < msg.n_anomalies; i++)
		limit |= msg.anomalies[i].kind == IKE_AN_LIMIT;
	cr_expect(limit, "65,535 announced fragments hit the cap");
	struct ike_origin at;
	struct ike_anomaly a;
	cr_expect_not(ike_decoder_flush(dec, &at, &a), "nothing kept for it");
}
