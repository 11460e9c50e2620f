/* CERT (RFC 7296 §3.6) and CERTREQ (§3.7) payloads: X.509 subject and issuer
 * as charon prints them, Hash and URL, CA hash lists and their cap. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(cert, .init = setup, .fini = teardown);

/* An Ed25519 certificate made with strongSwan 5.9.8's pki: subject
 * "C=CH, O=strongSwan, CN=moon", issuer "C=CH, O=strongSwan, CN=strongSwan CA". */
static const uint8_t leaf[] = {
	0x30, 0x82, 0x01, 0x3c, 0x30, 0x81, 0xef, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x02, 0x30,
	0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x30, 0x3a, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04,
	0x06, 0x13, 0x02, 0x43, 0x48, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x0a,
	0x73, 0x74, 0x72, 0x6f, 0x6e, 0x67, 0x53, 0x77, 0x61, 0x6e, 0x31, 0x16, 0x30, 0x14, 0x06, 0x03,
	0x55, 0x04, 0x03, 0x13, 0x0d, 0x73, 0x74, 0x72, 0x6f, 0x6e, 0x67, 0x53, 0x77, 0x61, 0x6e, 0x20,
	0x43, 0x41, 0x30, 0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x36, 0x32, 0x33, 0x33, 0x34,
	0x35, 0x30, 0x5a, 0x17, 0x0d, 0x32, 0x39, 0x31, 0x31, 0x32, 0x35, 0x32, 0x33, 0x33, 0x34, 0x35,
	0x30, 0x5a, 0x30, 0x31, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x43,
	0x48, 0x31, 0x13, 0x30, 0x11, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x13, 0x0a, 0x73, 0x74, 0x72, 0x6f,
	0x6e, 0x67, 0x53, 0x77, 0x61, 0x6e, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13,
	0x04, 0x6d, 0x6f, 0x6f, 0x6e, 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
	0x00, 0xa3, 0x8a, 0xc7, 0x12, 0x9d, 0x46, 0x78, 0xa4, 0x83, 0xef, 0x5b, 0x64, 0x92, 0xa9, 0x98,
	0xae, 0x5e, 0x38, 0xb5, 0x0b, 0xc5, 0x36, 0xa4, 0xb6, 0xed, 0xa8, 0x83, 0x57, 0x0c, 0x32, 0xd1,
	0x0c, 0xa3, 0x23, 0x30, 0x21, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30, 0x16,
	0x80, 0x14, 0xe2, 0xe3, 0x7e, 0xf8, 0x09, 0x20, 0x16, 0xcf, 0xd8, 0xc5, 0x30, 0x22, 0x46, 0x1b,
	0x7c, 0x2e, 0x7c, 0x71, 0x7e, 0x58, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x41, 0x00,
	0x44, 0x05, 0x96, 0xae, 0xc4, 0xca, 0xc9, 0x95, 0x9a, 0x2e, 0x06, 0x90, 0x4b, 0xa9, 0xd4, 0xd7,
	0xeb, 0xbd, 0xfe, 0xca, 0x95, 0x12, 0x6f, 0xd6, 0xee, 0xc1, 0x46, 0x12, 0x04, 0x79, 0x32, 0x25,
	0x70, 0xe5, 0x11, 0x56, 0x8f, 0x87, 0xe9, 0xa5, 0x49, 0x3f, 0x3a, 0xd2, 0xd8, 0xc0, 0x6f, 0x92,
	0x91, 0x7e, 0x20, 0x10, 0x2f, 0xd8, 0xb6, 0xaa, 0xea, 0x44, 0x50, 0x1d, 0xde, 0x0d, 0x5e, 0x0a,
};

static uint8_t buf[8192];

static size_t body(uint8_t enc, const void *data, size_t n)
{
	buf[0] = enc;
	memcpy(buf + 1, data, n);
	return 1 + n;
}

Test(cert, x509_subject_and_issuer)
{
	cr_assert_eq(dis_decode(&env, &ike_dis_cert, buf, body(4, leaf, sizeof(leaf))), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "%s", dis_anomalies(&env));
	cr_expect_eq(env.pl.u.cert.data.len, sizeof(leaf));
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "encoding"), "ENC_X509_SIGNATURE");
	cr_expect_str_eq(rec_get(&env.rec, "encoding_id"), "4");
	cr_expect_str_eq(rec_get(&env.rec, "data_length"), "320");
	cr_expect_str_eq(rec_get(&env.rec, "subject"), "C=CH, O=strongSwan, CN=moon");
	cr_expect_str_eq(rec_get(&env.rec, "issuer"), "C=CH, O=strongSwan, CN=strongSwan CA");
}

Test(cert, every_truncation_of_a_certificate)
{
	size_t n = body(4, leaf, sizeof(leaf));
	for (size_t len = 0; len < n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_cert, buf, len);
		if (len < ike_dis_cert.min_len) {
			cr_expect_eq(e, IKE_E_TRUNC);
			continue;
		}
		cr_expect_eq(e, IKE_OK, "len %zu", len);
		cr_expect(dis_has(&env, IKE_AN_MALFORMED), "len %zu: cut certificate unnoticed", len);
		dis_describe(&env);
		cr_expect_null(rec_get(&env.rec, "subject"), "len %zu", len);
	}
}

Test(cert, other_encodings)
{
	static const uint8_t junk[] = {0x04, 0x03, 1, 2, 3};
	cr_expect_eq(dis_decode(&env, &ike_dis_cert, buf, body(4, junk, sizeof(junk))), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	cr_expect_eq(dis_decode(&env, &ike_dis_cert, buf, body(2, junk, sizeof(junk))), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "PGP data is not looked into");
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "encoding"), "ENC_PGP");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "0403010203");
	cr_expect_eq(dis_decode(&env, &ike_dis_cert, buf, body(200, junk, 0)), IKE_OK);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "encoding"), "null");
}

Test(cert, hash_and_url)
{
	uint8_t hu[40];
	memset(hu, 0xaa, 20);
	memcpy(hu + 20, "http://ca.org/c.der\x01", 20);
	cr_assert_eq(dis_decode(&env, &ike_dis_cert, buf, body(12, hu, sizeof(hu))), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "hash"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	cr_expect_str_eq(rec_get(&env.rec, "url"), "http://ca.org/c.der?");
	dis_decode(&env, &ike_dis_cert, buf, body(12, hu, 20));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "hash without URL");
}

Test(cert, certreq_ca_hashes)
{
	uint8_t h[60];
	for (size_t i = 0; i < sizeof(h); i++)
		h[i] = (uint8_t)i;
	cr_assert_eq(dis_decode(&env, &ike_dis_certreq, buf, body(4, h, 40)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0);
	cr_expect_eq(env.pl.u.cert.n_hashes, 2);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "encoding"), "ENC_X509_SIGNATURE");
	cr_expect_str_eq(rec_get(&env.rec, "ca_hashes/0"), "000102030405060708090a0b0c0d0e0f10111213");
	cr_expect_str_eq(rec_get(&env.rec, "ca_hashes/1"), "1415161718191a1b1c1d1e1f2021222324252627");
	cr_expect_null(rec_get(&env.rec, "ca_hashes/2"));

	cr_assert_eq(dis_decode(&env, &ike_dis_certreq, buf, body(4, h, 0)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "an empty list asks for any CA");
	cr_expect_eq(env.pl.u.cert.n_hashes, 0);

	for (size_t len = 1; len < 60; len++) {
		dis_decode(&env, &ike_dis_certreq, buf, body(4, h, len));
		cr_expect_eq(dis_has(&env, IKE_AN_MALFORMED), len % 20 != 0, "len %zu", len);
		cr_expect_eq(env.pl.u.cert.n_hashes, len / 20);
	}
	cr_expect_eq(dis_decode(&env, &ike_dis_certreq, buf, body(7, h, 30)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0, "CRL requests carry no hash list");
	dis_describe(&env);
	cr_expect_null(rec_get(&env.rec, "ca_hashes/0"));
}

Test(cert, certreq_hash_cap)
{
	static uint8_t many[300 * 20];
	cr_assert_eq(dis_decode(&env, &ike_dis_certreq, buf, body(4, many, 300 * 20 - 20 * 100)), IKE_OK);
	cr_expect_eq(env.pl.u.cert.n_hashes, 200);
	cr_expect_eq(env.msg.n_anomalies, 0);
	static uint8_t big[1 + 300 * 20];
	big[0] = 4;
	cr_assert_eq(dis_decode(&env, &ike_dis_certreq, big, sizeof(big)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_LIMIT));
	cr_expect_eq(env.pl.u.cert.n_hashes, IKE_MAX_ITEMS);
	cr_expect_eq(env.pl.u.cert.data.len, 300 * 20, "the bytes are all kept");
}
