/* AUTH payload (RFC 7296 §3.8, RFC 7427): methods, RFC 7427 signature
 * algorithms named from their DER AlgorithmIdentifier, broken ASN.1 lengths. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(auth, .init = setup, .fini = teardown);

static uint8_t buf[1024];

static size_t body(uint8_t method, const void *data, size_t n)
{
	buf[0] = method;
	buf[1] = buf[2] = buf[3] = 0;
	memcpy(buf + 4, data, n);
	return 4 + n;
}

/* RFC 7427 §3: ASN.1 length, AlgorithmIdentifier, signature. */
static size_t ds_body(const uint8_t *alg, uint8_t alg_len, size_t sig_len)
{
	uint8_t d[512];
	d[0] = alg_len;
	memcpy(d + 1, alg, alg_len);
	memset(d + 1 + alg_len, 0x5a, sig_len);
	return body(14, d, 1u + alg_len + sig_len);
}

/* RFC 7427 Appendix A.1 and A.3 objects. */
static const uint8_t sha256_rsa[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
				     0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
static const uint8_t ecdsa_sha384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t ed25519[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};
/* RSASSA-PSS with SHA-256 (RFC 7427 Appendix A.4.2, hash parameter only) */
static const uint8_t pss_sha256[] = {0x30, 0x1e, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
				     0x01, 0x0a, 0x30, 0x11, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60,
				     0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00};
static const uint8_t unknown_oid[] = {0x30, 0x04, 0x06, 0x02, 0x2a, 0x03};

Test(auth, shared_key)
{
	static const uint8_t mac[20] = {1, 2, 3};
	cr_assert_eq(dis_decode(&env, &ike_dis_auth, buf, body(2, mac, sizeof(mac))), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "method"), "SHARED_KEY_MESSAGE_INTEGRITY_CODE");
	cr_expect_str_eq(rec_get(&env.rec, "method_id"), "2");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "0102030000000000000000000000000000000000");
	cr_expect_null(rec_get(&env.rec, "signature_algorithm"));
}

Test(auth, digital_signature_algorithms)
{
	static const struct {
		const uint8_t *alg;
		uint8_t len;
		const char *name, *oid;
	} v[] = {
		{sha256_rsa, sizeof(sha256_rsa), "sha256WithRSAEncryption", "1.2.840.113549.1.1.11"},
		{ecdsa_sha384, sizeof(ecdsa_sha384), "ecdsa-with-SHA384", "1.2.840.10045.4.3.3"},
		{ed25519, sizeof(ed25519), "Ed25519", "1.3.101.112"},
		{pss_sha256, sizeof(pss_sha256), "RSASSA-PSS (sha256)", "1.2.840.113549.1.1.10"},
		{unknown_oid, sizeof(unknown_oid), "null", "1.2.3"},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		cr_assert_eq(dis_decode(&env, &ike_dis_auth, buf, ds_body(v[i].alg, v[i].len, 64)), IKE_OK);
		cr_expect_eq(env.msg.n_anomalies, 0, "%s: %s", v[i].name, dis_anomalies(&env));
		cr_expect_eq(env.pl.u.auth.signature.len, 64);
		cr_expect_eq(env.pl.u.auth.sig_alg_id.len, v[i].len);
		dis_describe(&env);
		cr_expect_str_eq(rec_get(&env.rec, "method"), "DIGITAL_SIGNATURE");
		cr_expect_str_eq(rec_get(&env.rec, "signature_algorithm"), v[i].name);
		cr_expect_str_eq(rec_get(&env.rec, "signature_algorithm_oid"), v[i].oid);
		cr_expect_str_eq(rec_get(&env.rec, "signature_length"), "64");
	}
	cr_expect_null(env.pl.u.auth.sig_alg);
}

Test(auth, asn1_length_and_damage)
{
	uint8_t d[4] = {40, 0x30, 0x00, 0x00};
	cr_expect_eq(dis_decode(&env, &ike_dis_auth, buf, body(14, d, sizeof(d))), IKE_E_MALFORMED);
	cr_expect(dis_has(&env, IKE_AN_LENGTH_TOO_LARGE));
	cr_expect_eq(env.msg.anomalies[0].offset, DIS_BASE_OFF + 4);
	cr_expect_eq(dis_decode(&env, &ike_dis_auth, buf, body(14, d, 0)), IKE_E_TRUNC);
	cr_expect(dis_has(&env, IKE_AN_TRUNCATED));
	static const uint8_t notder[] = {0x31, 0x00, 0x06};
	cr_expect_eq(dis_decode(&env, &ike_dis_auth, buf, ds_body(notder, sizeof(notder), 8)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	cr_expect_eq(dis_decode(&env, &ike_dis_auth, buf, ds_body(sha256_rsa, sizeof(sha256_rsa), 0)), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_MALFORMED), "no signature");
	size_t n = ds_body(pss_sha256, sizeof(pss_sha256), 16);
	for (size_t len = 0; len < n; len++) {
		enum ike_err e = dis_decode(&env, &ike_dis_auth, buf, len);
		if (len < ike_dis_auth.min_len) {
			cr_expect_eq(e, IKE_E_TRUNC);
			continue;
		}
		/* a shorter signature is still a signature: only the header and
		 * AlgorithmIdentifier have lengths to check */
		if (len > 4 + 1 + sizeof(pss_sha256))
			cr_expect_eq(env.msg.n_anomalies, 0, "len %zu: %s", len, dis_anomalies(&env));
		else
			cr_expect(dis_flagged(&env, e), "len %zu went unnoticed", len);
		if (e == IKE_OK) {
			dis_describe(&env);
			cr_expect_not_null(rec_get(&env.rec, "signature_algorithm_oid"));
		}
	}
}

Test(auth, ecdsa_sizes_and_reserved)
{
	uint8_t sig[132] = {0};
	cr_expect_eq(dis_decode(&env, &ike_dis_auth, buf, body(9, sig, 64)), IKE_OK);
	cr_expect_eq(env.msg.n_anomalies, 0);
	dis_decode(&env, &ike_dis_auth, buf, body(9, sig, 65));
	cr_expect(dis_has(&env, IKE_AN_MALFORMED));
	dis_decode(&env, &ike_dis_auth, buf, body(11, sig, 132));
	cr_expect_eq(env.msg.n_anomalies, 0);
	dis_describe(&env);
	cr_expect_str_eq(rec_get(&env.rec, "method"), "ECDSA_SHA512_P521");
	size_t n = body(1, sig, 10);
	buf[2] = 0x10;
	cr_expect_eq(dis_decode(&env, &ike_dis_auth, buf, n), IKE_OK);
	cr_expect(dis_has(&env, IKE_AN_RESERVED_NONZERO));
}
