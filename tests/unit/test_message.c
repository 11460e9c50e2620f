/* The IKE header and payload-chain walker: valid messages, every truncation,
 * broken lengths, caps, IKEv1, SK placement and the IV/ICV split. */
#include <criterion/criterion.h>
#include <string.h>

#include "ikebuild.h"
#include "ikescope/ike.h"

static struct ike_decoder *dec;
static struct ike_msg msg;

static void setup(void) { dec = ike_decoder_new(); }
static void teardown(void) { ike_decoder_free(dec); }

TestSuite(message, .init = setup, .fini = teardown);

static bool has_anomaly(const struct ike_msg *m, enum ike_anomaly_kind k)
{
	for (uint16_t i = 0; i < m->n_anomalies; i++)
		if (m->anomalies[i].kind == k)
			return true;
	return false;
}

Test(message, ike_sa_init_header_and_chain)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0x1122334455667788ull, 0, 0);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect_eq(msg.ispi, 0x1122334455667788ull);
	cr_expect_eq(msg.rspi, 0);
	cr_expect_eq(msg.exchange, 34);
	cr_expect_eq(msg.version, 0x20);
	cr_expect(ike_msg_from_initiator(&msg));
	cr_expect_not(ike_msg_is_response(&msg));
	cr_expect_eq(msg.length, b.len);
	cr_expect_eq(msg.n_payloads, 5);
	cr_expect_eq(msg.n_anomalies, 0, "unexpected anomaly: %s",
		     msg.n_anomalies ? msg.anomalies[0].detail : "");
	cr_expect_eq(msg.payloads[0].type, 33);
	cr_expect_eq(msg.payloads[0].offset, 28);
	cr_expect_eq(msg.payloads[4].type, 41);
	cr_expect_eq(msg.decrypted, IKE_DEC_NA);
	cr_expect_eq(msg.icv, IKE_ICV_NA);
	for (uint16_t i = 0; i < msg.n_payloads; i++)
		cr_expect(msg.payloads[i].decoded, "payload %u not decoded", i);
}

Test(message, every_truncation_is_clean)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 2, 1);
	for (size_t len = 0; len < b.len; len++) {
		enum ike_err e = ike_decoder_decode(dec, NULL, b.b, len, &msg);
		if (len < 28) {
			cr_expect_eq(e, IKE_E_TRUNC, "len %zu", len);
			continue;
		}
		cr_expect_eq(e, IKE_OK, "len %zu", len);
		cr_expect(has_anomaly(&msg, IKE_AN_LENGTH_TOO_LARGE), "len %zu: no length anomaly", len);
	}
}

Test(message, header_length_too_small_or_short_of_datagram)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 0, 0);
	b.b[27] = 10;
	b.b[26] = 0;
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_LENGTH_TOO_SMALL));
	cr_expect_eq(msg.n_payloads, 5, "the datagram is still decoded");

	ikeb_sa_init(&b, 1, 0, 0);
	size_t real = b.len;
	ikeb_fill(&b, 0, 7); /* padding after the message */
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_LENGTH_MISMATCH));
	cr_expect_not(has_anomaly(&msg, IKE_AN_TRAILING_BYTES), "padding is outside the IKE length");
	cr_expect_eq(msg.length, real);
}

Test(message, payload_lengths_zero_to_three_stop_the_chain)
{
	for (uint16_t l = 0; l < 4; l++) {
		struct ikeb b;
		ikeb_header(&b, 1, 0, 34, 0x08, 0);
		size_t p = ikeb_payload(&b, 40, 0);
		ikeb_fill(&b, 0x4e, 16);
		ikeb_end(&b, p);
		ikeb_put16(&b, p + 2, l);
		ikeb_done(&b);
		cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
		cr_expect(has_anomaly(&msg, IKE_AN_LENGTH_TOO_SMALL), "length %u", l);
		cr_expect_eq(msg.n_payloads, 1);
	}
}

Test(message, payload_length_beyond_message)
{
	struct ikeb b;
	ikeb_header(&b, 1, 0, 34, 0x08, 0);
	size_t p = ikeb_payload(&b, 40, 0);
	ikeb_fill(&b, 0x4e, 16);
	ikeb_end(&b, p);
	ikeb_put16(&b, p + 2, 65535);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(msg.n_payloads, 1);
}

Test(message, payload_count_is_capped)
{
	struct ikeb b;
	ikeb_header(&b, 1, 0, 37, 0x08, 2);
	for (int i = 0; i < 1000; i++) {
		size_t p = ikeb_payload(&b, 200, 0); /* unknown, not critical: skipped */
		ikeb_end(&b, p);
	}
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect_eq(msg.n_payloads, IKE_MAX_PAYLOADS);
	cr_expect(has_anomaly(&msg, IKE_AN_LIMIT));
}

Test(message, unknown_critical_payload_is_an_anomaly)
{
	struct ikeb b;
	ikeb_header(&b, 1, 0, 37, 0x08, 2);
	size_t p = ikeb_payload(&b, 150, 0x80);
	ikeb_fill(&b, 1, 3);
	ikeb_end(&b, p);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_UNKNOWN_CRITICAL));
	cr_expect_eq(msg.payloads[0].u.raw.data.len, 3);
	char s[128];
	ike_msg_summary(&msg, s, sizeof(s));
	cr_expect_str_eq(s, "INFORMATIONAL request 2 [ UNKN(150) ]");
}

Test(message, trailing_bytes_after_last_payload)
{
	struct ikeb b;
	ikeb_header(&b, 1, 0, 34, 0x08, 0);
	ikeb_nonce(&b, 16);
	ikeb_fill(&b, 0, 5);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_TRAILING_BYTES));
}

Test(message, ikev1_is_recognised_not_decoded)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 0, 0);
	b.b[17] = 0x10; /* version 1.0 */
	b.b[18] = 2;    /* Identity Protection (Main Mode) */
	b.b[16] = 1;    /* IKEv1 SA payload */
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(msg.ikev1);
	cr_expect_eq(msg.n_payloads, 0);
	char s[64];
	ike_msg_summary(&msg, s, sizeof(s));
	cr_expect_str_eq(s, "IKEv1 ID_PROT 0");
}

Test(message, other_versions_are_anomalies)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 0, 0);
	b.b[17] = 0x30;
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_BAD_VERSION));
	cr_expect_not(msg.ikev1);
	cr_expect_eq(msg.n_payloads, 0);
}

/* IKE_AUTH whose SK payload is split with the algorithms the IKE_SA_INIT
 * response negotiated (AES-CBC: 16-byte IV; HMAC-SHA1-96: 12-byte ICV). */
Test(message, sk_split_after_sa_init_response)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0xaa, 0xbb, 1);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	struct ike_sa_algs algs;
	cr_assert(ike_decoder_sa_algs(dec, 0xaa, 0xbb, &algs));
	cr_expect_eq(algs.encr, 12);
	cr_expect_eq(algs.encr_keylen, 256);
	cr_expect_eq(algs.integ, 2);
	cr_expect_eq(algs.prf, 2);
	cr_expect_eq(algs.ke, 14);
	cr_expect_not(ike_decoder_sa_algs(dec, 0xaa, 0xbc, &algs));

	ikeb_header(&b, 0xaa, 0xbb, 35, 0x08, 1);
	size_t p = ikeb_payload(&b, 46, 0);
	b.b[p] = 35; /* first inner payload: IDi */
	ikeb_fill(&b, 0x11, 16);  /* IV */
	ikeb_fill(&b, 0x22, 64);  /* ciphertext */
	ikeb_fill(&b, 0x33, 12);  /* ICV */
	ikeb_end(&b, p);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_assert_eq(msg.n_payloads, 1);
	const struct ike_pl_sk *sk = &msg.payloads[0].u.sk;
	cr_expect(sk->split);
	cr_expect_eq(sk->iv.len, 16);
	cr_expect_eq(sk->ciphertext.len, 64);
	cr_expect_eq(sk->icv.len, 12);
	cr_expect_eq(sk->icv.p[0], 0x33);
	cr_expect_eq(msg.decrypted, IKE_DEC_NO_KEY);
	cr_expect_eq(msg.icv, IKE_ICV_UNCHECKED);
	char s[64];
	ike_msg_summary(&msg, s, sizeof(s));
	cr_expect_str_eq(s, "IKE_AUTH request 1 [ E ]");
}

Test(message, sk_must_be_last)
{
	struct ikeb b;
	ikeb_header(&b, 5, 6, 37, 0x08, 3);
	size_t p = ikeb_payload(&b, 46, 0);
	ikeb_fill(&b, 0x11, 40);
	ikeb_end(&b, p);
	ikeb_fill(&b, 0x00, 8); /* bytes after SK that no chain claims */
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect(has_anomaly(&msg, IKE_AN_SK_NOT_LAST));
	cr_expect_not(msg.payloads[0].u.sk.split, "no IKE_SA_INIT seen: opaque");
}

Test(message, skf_summary_and_fragment_numbers)
{
	struct ikeb b;
	ikeb_header(&b, 7, 8, 35, 0x08, 1);
	size_t p = ikeb_payload(&b, 53, 0);
	b.b[p] = 35;
	ikeb_u16(&b, 1);
	ikeb_u16(&b, 3);
	ikeb_fill(&b, 0x44, 48);
	ikeb_end(&b, p);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect_eq(msg.frag_num, 1);
	cr_expect_eq(msg.frag_total, 3);
	char s[64];
	ike_msg_summary(&msg, s, sizeof(s));
	cr_expect_str_eq(s, "IKE_AUTH request 1 [ EF(1/3) ]");
}

Test(message, anomalies_beyond_the_cap_are_counted)
{
	for (int i = 0; i < IKE_MAX_ANOMALIES + 5; i++)
		ike_msg_anomaly(&msg, IKE_AN_MALFORMED, (uint32_t)i, "n%d", i);
	cr_expect_eq(msg.n_anomalies, IKE_MAX_ANOMALIES);
	cr_expect_eq(msg.n_anomalies_dropped, 5);
}

Test(message, kept_messages_stay_valid_until_n_more_decodes)
{
	enum { KEEP = 4 };
	static struct ike_msg kept[KEEP];
	struct ikeb b;
	cr_assert_eq(ike_decoder_keep(dec, 0), -1);
	cr_assert_eq(ike_decoder_keep(dec, IKE_DEC_KEEP_MAX + 1), -1);
	cr_assert_eq(ike_decoder_keep(dec, KEEP), 0);
	/* KEEP messages with different SPIs; each one's copy of the bytes and its
	 * payload array must still be its own after the later ones are decoded. */
	for (unsigned i = 0; i < KEEP; i++) {
		ikeb_sa_init(&b, 0x1000 + i, 0, 0);
		cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &kept[i]), IKE_OK);
	}
	for (unsigned i = 0; i < KEEP; i++) {
		ikeb_sa_init(&b, 0x1000 + i, 0, 0);
		cr_expect_eq(kept[i].raw.len, b.len);
		cr_expect_eq(memcmp(kept[i].raw.p, b.b, b.len), 0, "message %u overwritten", i);
		cr_expect_eq(kept[i].n_payloads, 5);
		cr_expect_eq(kept[i].payloads[0].type, 33);
		cr_expect_eq(kept[i].payloads[0].body.p, kept[i].raw.p + 32, "message %u's payloads moved", i);
	}
	/* The next message takes the oldest one's memory, and only that. */
	ikeb_sa_init(&b, 0x2000, 0, 0);
	cr_assert_eq(ike_decoder_decode(dec, NULL, b.b, b.len, &msg), IKE_OK);
	cr_expect_eq(msg.raw.p, kept[0].raw.p);
	for (unsigned i = 1; i < KEEP; i++)
		cr_expect_neq(msg.raw.p, kept[i].raw.p);
}
