/* Key files: Wireshark ikev2_decryption_table rows, tcpdump/libreswan lines, and every way a line can be bad. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto_int.h"
#include "ikescope/keys.h"

struct diags {
	char line[64][512];
	size_t n;
};

static void collect(void *ctx, const char *line)
{
	struct diags *d = ctx;
	if (d->n < 64)
		snprintf(d->line[d->n], sizeof(d->line[0]), "%s", line);
	d->n++;
}

static struct ike_keyring *ring;
static struct diags dg;
static struct ike_diag diag = {collect, &dg};

static void setup(void)
{
	ring = ike_keyring_new();
	cr_assert_not_null(ring);
	memset(&dg, 0, sizeof(dg));
}
static void teardown(void) { ike_keyring_free(ring); }

TestSuite(keys, .init = setup, .fini = teardown);

static int load(const char *text) { return ike_keyring_load_buffer(ring, "keys.txt", text, strlen(text), &diag); }

/* n bytes of hex counting up from b: "0102…" */
static const char *hexrun(uint8_t b, size_t n)
{
	static char bufs[8][2 * IKE_KEY_MAX + 80];
	static int which;
	char *s = bufs[which++ % 8];
	for (size_t i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02x", (uint8_t)(b + i));
	s[2 * n] = '\0';
	return s;
}

static void expect_key(const uint8_t *k, uint8_t b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(k[i], (uint8_t)(b + i), "byte %zu", i);
}

Test(keys, every_wireshark_encryption_string)
{
	static const struct { const char *name; uint16_t id, bits; size_t klen; uint8_t icv; } v[] = {
		{"NULL [RFC2410]", 11, 0, 0, 0},
		{"3DES [RFC2451]", 3, 0, 24, 0},
		{"AES-CBC-128 [RFC3602]", 12, 128, 16, 0},
		{"AES-CBC-192 [RFC3602]", 12, 192, 24, 0},
		{"AES-CBC-256 [RFC3602]", 12, 256, 32, 0},
		{"AES-CTR-128 [RFC5930]", 13, 128, 20, 0},
		{"AES-CTR-192 [RFC5930]", 13, 192, 28, 0},
		{"AES-CTR-256 [RFC5930]", 13, 256, 36, 0},
		{"AES-GCM-128 with 8 octet ICV [RFC5282]", 18, 128, 20, 8},
		{"AES-GCM-192 with 8 octet ICV [RFC5282]", 18, 192, 28, 8},
		{"AES-GCM-256 with 8 octet ICV [RFC5282]", 18, 256, 36, 8},
		{"AES-GCM-128 with 12 octet ICV [RFC5282]", 19, 128, 20, 12},
		{"AES-GCM-192 with 12 octet ICV [RFC5282]", 19, 192, 28, 12},
		{"AES-GCM-256 with 12 octet ICV [RFC5282]", 19, 256, 36, 12},
		{"AES-GCM-128 with 16 octet ICV [RFC5282]", 20, 128, 20, 16},
		{"AES-GCM-192 with 16 octet ICV [RFC5282]", 20, 192, 28, 16},
		{"AES-GCM-256 with 16 octet ICV [RFC5282]", 20, 256, 36, 16},
		{"AES-CCM-128 with 8 octet ICV [RFC5282]", 14, 128, 19, 8},
		{"AES-CCM-192 with 8 octet ICV [RFC5282]", 14, 192, 27, 8},
		{"AES-CCM-256 with 8 octet ICV [RFC5282]", 14, 256, 35, 8},
		{"AES-CCM-128 with 12 octet ICV [RFC5282]", 15, 128, 19, 12},
		{"AES-CCM-192 with 12 octet ICV [RFC5282]", 15, 192, 27, 12},
		{"AES-CCM-256 with 12 octet ICV [RFC5282]", 15, 256, 35, 12},
		{"AES-CCM-128 with 16 octet ICV [RFC5282]", 16, 128, 19, 16},
		{"AES-CCM-192 with 16 octet ICV [RFC5282]", 16, 192, 27, 16},
		{"AES-CCM-256 with 16 octet ICV [RFC5282]", 16, 256, 35, 16},
		{"CHACHA20-POLY1305 [RFC7634]", 28, 0, 36, 16},
	};
	char line[1024];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		bool aead = v[i].icv != 0;
		snprintf(line, sizeof(line), "%016zx,%016zx,%s,%s,\"%s\",%s,%s,\"%s\"\n", i + 1, i + 100,
			 hexrun(0x10, v[i].klen), hexrun(0x40, v[i].klen), v[i].name, aead ? "" : hexrun(0x70, 20),
			 aead ? "" : hexrun(0xa0, 20), aead ? "NONE [RFC4306]" : "HMAC_SHA1_96 [RFC2404]");
		cr_assert_eq(load(line), 1, "%s: %s", v[i].name, dg.n ? dg.line[0] : "");
		const struct ike_sa_keys *k = ike_keyring_find(ring, i + 1, i + 100);
		cr_assert_not_null(k);
		cr_assert_eq(k->encr, v[i].id);
		cr_assert_eq(k->encr_bits, v[i].bits);
		cr_assert_eq(k->integ, aead ? IKE_INTEG_NONE : 2);
		cr_assert_eq(k->icv_len, aead ? v[i].icv : 12);
		cr_assert_eq(k->have, IKE_KEYS_I | IKE_KEYS_R);
		cr_assert_eq(k->enc_len, v[i].klen);
		expect_key(k->ei, 0x10, v[i].klen);
		expect_key(k->er, 0x40, v[i].klen);
		if (!aead) {
			expect_key(k->ai, 0x70, 20);
			expect_key(k->ar, 0xa0, 20);
		}
		cr_assert_str_eq(ike_encr_wireshark_name(k->encr, k->encr_bits), v[i].name);
	}
	cr_assert_eq(dg.n, 0);
	cr_assert_eq(ike_keyring_count(ring), sizeof(v) / sizeof(v[0]));
}

Test(keys, every_wireshark_integrity_string)
{
	static const struct { const char *name; uint16_t id; size_t klen; uint8_t icv; } v[] = {
		{"HMAC_MD5_96 [RFC2403]", 1, 16, 12},
		{"HMAC_SHA1_96 [RFC2404]", 2, 20, 12},
		{"HMAC_MD5_128 [RFC4595]", 6, 16, 16},
		{"HMAC_SHA1_160 [RFC4595]", 7, 20, 20},
		{"HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]", IKE_INTEG_HMAC_SHA2_256_96, 32, 12},
		{"HMAC_SHA2_256_128 [RFC4868]", 12, 32, 16},
		{"HMAC_SHA2_384_192 [RFC4868]", 13, 48, 24},
		{"HMAC_SHA2_512_256 [RFC4868]", 14, 64, 32},
		{"AES-XCBC-96 [RFC3566]", 5, 16, 12},
		{"AES-CMAC-96 [RFC4494]", 8, 16, 12},
		{"ANY 64-bits of Authentication [No Checking]", IKE_INTEG_UNCHECKED(64), 0, 8},
		{"ANY 96-bits of Authentication [No Checking]", IKE_INTEG_UNCHECKED(96), 0, 12},
		{"ANY 128-bits of Authentication [No Checking]", IKE_INTEG_UNCHECKED(128), 0, 16},
		{"ANY 160-bits of Authentication [No Checking]", IKE_INTEG_UNCHECKED(160), 0, 20},
		{"ANY 192-bits of Authentication [No Checking]", IKE_INTEG_UNCHECKED(192), 0, 24},
		{"ANY 256-bits of Authentication [No Checking]", IKE_INTEG_UNCHECKED(256), 0, 32},
	};
	char line[1024];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(line, sizeof(line), "%016zx,%016zx,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"%s\"", i + 1, i + 100,
			 hexrun(0x10, 16), hexrun(0x40, 16), hexrun(0x70, v[i].klen), hexrun(0x90, v[i].klen), v[i].name);
		cr_assert_eq(load(line), 1, "%s: %s", v[i].name, dg.n ? dg.line[0] : "");
		const struct ike_sa_keys *k = ike_keyring_find(ring, i + 1, i + 100);
		cr_assert_eq(k->integ, v[i].id);
		cr_assert_eq(k->icv_len, v[i].icv);
		cr_assert_eq(k->integ_len, v[i].klen);
		expect_key(k->ai, 0x70, v[i].klen);
		expect_key(k->ar, 0x90, v[i].klen);
		cr_assert_eq(ike_sa_keys_icv_checked(k), v[i].klen != 0);
		cr_assert_str_eq(ike_integ_wireshark_name(k->integ), v[i].name);
	}
	cr_assert_eq(dg.n, 0);
}

Test(keys, save_keys_sample_with_comments_blank_lines_and_crlf)
{
	char text[2048];
	snprintf(text, sizeof(text),
		 "# ikev2_decryption_table written by save-keys\r\n"
		 "\r\n"
		 "   \t\r\n"
		 "0158b8fb90b7623d,13514610cea16160,%s,%s,\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\r\n"
		 "  # indented comment\r\n"
		 "19ab98963486359f,78f13157ccd3b3d8,%s,%s,\"3DES [RFC2451]\",%s,%s,\"HMAC_SHA1_160 [RFC4595]\"",
		 hexrun(1, 36), hexrun(2, 36), hexrun(3, 24), hexrun(4, 24), hexrun(5, 20), hexrun(6, 20));
	cr_assert_eq(load(text), 2, "%s", dg.n ? dg.line[0] : "");
	cr_assert_eq(dg.n, 0, "%s", dg.line[0]);
	const struct ike_sa_keys *g = ike_keyring_find(ring, 0x0158b8fb90b7623dull, 0x13514610cea16160ull);
	cr_assert_eq(g->encr, 20);
	expect_key(g->er, 2, 36);
	const struct ike_sa_keys *d = ike_keyring_find(ring, 0x19ab98963486359full, 0x78f13157ccd3b3d8ull);
	cr_assert_eq(d->integ, 7);
	expect_key(d->ar, 6, 20);
	cr_assert_str_eq(d->origin, "keys.txt:6");
	cr_assert_null(ike_keyring_find(ring, 0x78f13157ccd3b3d8ull, 0x19ab98963486359full));
}

Test(keys, tcpdump_lines_pair_into_one_sa)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x%s aes128:0x%s\n"
		 "ikev2 R 0x0001020304050607 0xc02e7a3031a03188 sha1:0x%s aes128:0x%s\n",
		 hexrun(0x11, 20), hexrun(0x22, 16), hexrun(0x33, 20), hexrun(0x44, 16));
	cr_assert_eq(load(text), 2);
	cr_assert_eq(dg.n, 0, "%s", dg.line[0]);
	cr_assert_eq(ike_keyring_count(ring), 1);
	const struct ike_sa_keys *k = ike_keyring_find(ring, 0x0001020304050607ull, 0xc02e7a3031a03188ull);
	cr_assert_eq(k->have, IKE_KEYS_I | IKE_KEYS_R);
	cr_assert_eq(k->encr, 12);
	cr_assert_eq(k->encr_bits, 128);
	cr_assert_eq(k->integ, 2);
	expect_key(k->ai, 0x11, 20);
	expect_key(k->ei, 0x22, 16);
	expect_key(k->ar, 0x33, 20);
	expect_key(k->er, 0x44, 16);
	/* the same lines again change nothing */
	cr_assert_eq(load(text), 0);
	cr_assert_eq(dg.n, 0);
}

Test(keys, tcpdump_one_direction_only)
{
	char text[512];
	snprintf(text, sizeof(text), "ikev2 R 0x0000000000000001 0x0000000000000002 sha256:0x%s aes256:0x%s",
		 hexrun(0, 32), hexrun(1, 32));
	cr_assert_eq(load(text), 1);
	const struct ike_sa_keys *k = ike_keyring_find(ring, 1, 2);
	cr_assert_eq(k->have, IKE_KEYS_R);
	cr_assert_eq(k->integ, 12);
}

Test(keys, tcpdump_algorithm_names)
{
	static const struct { const char *integ, *encr; uint16_t i, e, bits; size_t ik, ek; } v[] = {
		{"md5", "3des", 1, 3, 0, 16, 24},
		{"sha1", "3des192", 2, 3, 0, 20, 24},
		{"sha1", "3des-cbc", 2, 3, 0, 20, 24},
		{"sha1", "aes128-cbc", 2, 12, 128, 20, 16},
		{"SHA1", "AES256", 2, 12, 256, 20, 32},
		{"sha256", "aes192", 12, 12, 192, 32, 24},
		{"sha384", "aes_ctr128", 13, 13, 128, 48, 20},
		{"sha512", "aes_ctr256", 14, 13, 256, 64, 36},
		{"aes_xcbc", "aes_ctr192", 5, 13, 192, 16, 28},
		{"aes_cmac", "null", 8, 11, 0, 16, 0},
		{"md5_128", "aes128", 6, 12, 128, 16, 16},
		{"sha1_160", "aes128", 7, 12, 128, 20, 16},
		{"hmac_sha2_256_truncbug", "aes128", IKE_INTEG_HMAC_SHA2_256_96, 12, 128, 32, 16},
		{"none", "aes_gcm128", 0, 18, 128, 0, 20},
		{"none", "aes_gcm_8256", 0, 18, 256, 0, 36},
		{"none", "aes_gcm_12192", 0, 19, 192, 0, 28},
		{"none", "aes_gcm_16256", 0, 20, 256, 0, 36},
		{"none", "aes_ccm_8128", 0, 14, 128, 0, 19},
		{"none", "aes_ccm_12256", 0, 15, 256, 0, 35},
		{"none", "aes_ccm_16192", 0, 16, 192, 0, 27},
		{"none", "chacha20_poly1305", 0, 28, 0, 0, 36},
		{"none", "chacha20_poly1305256", 0, 28, 0, 0, 36},
	};
	char line[512];
	for (size_t n = 0; n < sizeof(v) / sizeof(v[0]); n++) {
		snprintf(line, sizeof(line), "ikev2 I 0x%016zx 0x0000000000000009 %s:0x%s %s:0x%s", n + 1, v[n].integ,
			 hexrun(7, v[n].ik), v[n].encr, hexrun(9, v[n].ek));
		cr_assert_eq(load(line), 1, "%s/%s: %s", v[n].integ, v[n].encr, dg.n ? dg.line[dg.n - 1] : "");
		const struct ike_sa_keys *k = ike_keyring_find(ring, n + 1, 9);
		cr_assert_eq(k->integ, v[n].i, "%s", v[n].integ);
		cr_assert_eq(k->encr, v[n].e, "%s", v[n].encr);
		cr_assert_eq(k->encr_bits, v[n].bits, "%s", v[n].encr);
		expect_key(k->ei, 9, v[n].ek);
	}
	cr_assert_eq(dg.n, 0);
}

Test(keys, bad_lines_are_reported_and_skipped)
{
	char text[4096];
	const char *good = hexrun(0x10, 16), *ga = hexrun(0x20, 20);
	snprintf(text, sizeof(text),
		 "garbage line\n"                                                               /* 1 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s\n"   /* 2: 7 columns */
		 "000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n" /* 3 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-FOO-128\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n"       /* 4 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA3\"\n"         /* 5 */
		 "0000000000000001,0000000000000002,%sz,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n" /* 6 */
		 "0000000000000001,0000000000000002,%s,%s0,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n" /* 7 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-256 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n" /* 8 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA2_256_128 [RFC4868]\"\n" /* 9 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",,,\"NONE [RFC4306]\"\n"        /* 10 */
		 "ikev2 X 0x0000000000000001 0x0000000000000002 sha1:0x%s aes128:0x%s\n"                             /* 11 */
		 "ikev2 I 0x0000000000000001 0x0000000000000002 sha1:0x%s\n"                                         /* 12 */
		 "ikev2 I 0000000000000001 0x0000000000000002 sha1:0x%s aes128:0x%s\n"                               /* 13 */
		 "ikev2 I 0x0000000000000001 0x0000000000000002 sha1=%s aes128:0x%s\n"                               /* 14 */
		 "ikev2 I 0x0000000000000001 0x0000000000000002 sha1:0x%s blowfish128:0x%s\n"                        /* 15 */
		 "ikev2 I 0x0000000000000001 0x0000000000000002 whirlpool:0x%s aes128:0x%s\n"                        /* 16 */
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n", /* 17 ok */
		 good, good, ga, ga, good, good, ga, ga, good, good, ga, ga, good, good, ga, ga, good, good, ga, ga,
		 good, good, ga, ga, good, good, ga, ga, good, good, ga, ga, good, good, ga, good, ga, ga, good, ga,
		 good, ga, ga, good, ga, good, good, ga, ga);
	cr_assert_eq(load(text), 1);
	cr_assert_eq(ike_keyring_count(ring), 1);
	static const char *const want[] = {
		"keys.txt:1: neither a Wireshark ikev2_decryption_table row nor a tcpdump \"ikev2\" line",
		"keys.txt:2: expected 8 comma-separated columns (Wireshark ikev2_decryption_table), found 7",
		"keys.txt:3: SPIi is not 16 hex digits",
		"keys.txt:4: unknown encryption algorithm \"AES-FOO-128\"",
		"keys.txt:5: unknown integrity algorithm \"HMAC_SHA3\"",
		"keys.txt:6: SK_ei has an odd number of hex digits",
		"keys.txt:7: SK_er has an odd number of hex digits",
		"keys.txt:8: SK_ei is 16 bytes, AES-CBC-256 [RFC3602] needs 32",
		"keys.txt:9: SK_ai is 20 bytes, HMAC_SHA2_256_128 [RFC4868] needs 32",
		"keys.txt:10: AES-CBC-128 [RFC3602] needs an integrity algorithm, not NONE [RFC4306]",
		"keys.txt:11: direction is neither I nor R",
		"keys.txt:12: expected \"ikev2 I|R 0xSPIi 0xSPIr INTEG:0xKEY ENCR:0xKEY\", found 5 fields",
		"keys.txt:13: SPIi is not 0x and 16 hex digits",
		"keys.txt:14: integrity key is not NAME:0xHEX",
		"keys.txt:15: unknown encryption algorithm \"blowfish128\"",
		"keys.txt:16: unknown integrity algorithm \"whirlpool\"",
	};
	cr_assert_eq(dg.n, sizeof(want) / sizeof(want[0]), "%zu reports", dg.n);
	for (size_t i = 0; i < dg.n; i++)
		cr_assert_str_eq(dg.line[i], want[i]);
}

Test(keys, non_hex_key_and_aead_with_integrity)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,zz%s,\"HMAC_SHA1_96 [RFC2404]\"\n"
		 "0000000000000001,0000000000000002,%s,%s,\"AES-GCM-128 with 16 octet ICV [RFC5282]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n",
		 hexrun(0, 16), hexrun(0, 16), hexrun(0, 20), hexrun(0, 19), hexrun(0, 20), hexrun(0, 20), hexrun(0, 20),
		 hexrun(0, 20));
	cr_assert_eq(load(text), 0);
	cr_assert_eq(dg.n, 2);
	cr_assert_str_eq(dg.line[0], "keys.txt:1: SK_ar is not hexadecimal");
	cr_assert_str_eq(dg.line[1], "keys.txt:2: AES-GCM-128 with 16 octet ICV [RFC5282] is AEAD and takes integrity "
				     "NONE [RFC4306], not HMAC_SHA1_96 [RFC2404]");
}

Test(keys, reports_never_carry_key_bytes)
{
	/* keys made of one distinctive pattern, in every kind of bad line */
	const char *k32 = "c0ffee11c0ffee11c0ffee11c0ffee11c0ffee11c0ffee11c0ffee11c0ffee11";
	char text[4096];
	snprintf(text, sizeof(text),
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n"
		 "0000000000000001,0000000000000002,%.32s,%.32s,\"AES-CBC-128 [RFC3602]\",%.40s,%.40sx,\"HMAC_SHA1_96 [RFC2404]\"\n"
		 "0000000000000003,0000000000000004,%.32s,%.32s,\"AES-CBC-128 [RFC3602]\",%.40s,%.40s,\"HMAC_SHA1_96 [RFC2404]\"\n"
		 "0000000000000003,0000000000000004,%.32s,%.30s22,\"AES-CBC-128 [RFC3602]\",%.40s,%.40s,\"HMAC_SHA1_96 [RFC2404]\"\n"
		 "ikev2 I 0x0000000000000005 0x0000000000000006 sha1:0x%s aes128:0x%s\n"
		 "%s\n",
		 k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32, k32);
	load(text);
	cr_assert_geq(dg.n, 5);
	for (size_t i = 0; i < dg.n; i++) {
		cr_assert_null(strstr(dg.line[i], "c0ffee"), "%s", dg.line[i]);
		cr_assert_null(strstr(dg.line[i], "C0FFEE"), "%s", dg.line[i]);
	}
}

Test(keys, duplicate_rows_keep_one_and_conflicts_are_reported)
{
	char row[512], other[512], text[2048];
	snprintf(row, sizeof(row), "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"",
		 hexrun(1, 16), hexrun(2, 16), hexrun(3, 20), hexrun(4, 20));
	snprintf(other, sizeof(other), "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"",
		 hexrun(1, 16), hexrun(2, 16), hexrun(3, 20), hexrun(5, 20));
	snprintf(text, sizeof(text), "%s\n%s\n%s\n", row, row, other);
	cr_assert_eq(load(text), 1);
	cr_assert_eq(ike_keyring_count(ring), 1);
	cr_assert_eq(dg.n, 1);
	cr_assert_str_eq(dg.line[0], "keys.txt:3: SA 0x0000000000000001/0x0000000000000002 conflicts with the one from "
				     "keys.txt:1 (different keys); the first is kept");
	expect_key(ike_keyring_find(ring, 1, 2)->ar, 4, 20);

	snprintf(text, sizeof(text),
		 "0000000000000001,0000000000000002,%s,%s,\"AES-CBC-256 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n",
		 hexrun(1, 32), hexrun(2, 32), hexrun(3, 20), hexrun(4, 20));
	cr_assert_eq(load(text), 0);
	cr_assert_str_eq(dg.line[1], "keys.txt:1: SA 0x0000000000000001/0x0000000000000002 conflicts with the one from "
				     "keys.txt:1 (different algorithms); the first is kept");
}

Test(keys, one_megabyte_line_is_capped_and_reported)
{
	size_t big = 1 << 20;
	char *text = malloc(big + 1024);
	cr_assert_not_null(text);
	memset(text, 'a', big);
	int n = snprintf(text + big, 1024,
			 "\n0000000000000001,0000000000000002,%s,%s,\"AES-CBC-128 [RFC3602]\",%s,%s,\"HMAC_SHA1_96 [RFC2404]\"\n",
			 hexrun(1, 16), hexrun(2, 16), hexrun(3, 20), hexrun(4, 20));
	cr_assert_eq(ike_keyring_load_buffer(ring, "big.txt", text, big + (size_t)n, &diag), 1);
	cr_assert_eq(dg.n, 1);
	cr_assert_str_eq(dg.line[0], "big.txt:1: line longer than 4096 bytes, skipped");
	cr_assert_str_eq(ike_keyring_find(ring, 1, 2)->origin, "big.txt:2");
	/* the same as the last line of a file, without a newline */
	memset(&dg, 0, sizeof(dg));
	cr_assert_eq(ike_keyring_load_buffer(ring, "big.txt", text, big, &diag), 0);
	cr_assert_eq(dg.n, 1);
	cr_assert_str_eq(dg.line[0], "big.txt:1: line longer than 4096 bytes, skipped");
	free(text);
}

Test(keys, files_are_read_and_missing_files_reported)
{
	char path[] = "/tmp/ikescope-keys-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	/* a big file, so it is read in several chunks with lines across chunk edges */
	for (int i = 0; i < 300; i++)
		fprintf(f, "# padding comment %d ....................................................................\n"
			   "%016x,%016x,%s,%s,\"AES-GCM-128 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n",
			i, i + 1, i + 2, hexrun((uint8_t)i, 20), hexrun((uint8_t)(i + 1), 20));
	fclose(f);
	cr_assert_eq(ike_keyring_load_file(ring, path, &diag), 300);
	cr_assert_eq(dg.n, 0, "%s", dg.line[0]);
	const struct ike_sa_keys *k = ike_keyring_find(ring, 200, 201);
	expect_key(k->er, 200, 20);
	char origin[64];
	snprintf(origin, sizeof(origin), "%s:%d", path, 400); /* i = 199: comment on line 399, row on 400 */
	cr_assert_str_eq(k->origin, origin);
	unlink(path);

	cr_assert_eq(ike_keyring_load_file(ring, "/nonexistent/keys.txt", &diag), -1);
	cr_assert_str_eq(dg.line[0], "/nonexistent/keys.txt: No such file or directory");
	cr_assert_eq(ike_keyring_load_file(ring, "/nonexistent/keys.txt", NULL), -1);
	cr_assert_eq(ike_keyring_load_file(ring, "/tmp", &diag), -1);
	cr_assert_str_eq(dg.line[1], "/tmp: Is a directory");
}

Test(keys, sa_cap_is_reported)
{
	uint8_t ek[20] = {0};
	struct ike_sa_keyspec s = {.encr = 20, .encr_bits = 128, .integ = 0, .dirs = IKE_KEYS_I, .ei = ek, .ei_len = 20};
	char why[200];
	for (uint64_t i = 0; i < IKE_KEYRING_MAX_SAS; i++) {
		s.ispi = i + 1;
		cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1);
	}
	s.ispi = 0xffff;
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), IKE_KEYRING_FULL);
	cr_assert_str_eq(why, "more than 4096 SAs; SA 0x000000000000ffff/0x0000000000000000 dropped");
	cr_assert_eq(ike_keyring_count(ring), IKE_KEYRING_MAX_SAS);
	for (uint64_t i = 0; i < IKE_KEYRING_MAX_SAS; i++)
		cr_assert_eq(ike_keyring_find(ring, i + 1, 0), ike_keyring_at(ring, i), "SA %" PRIu64, i + 1);
	cr_assert_null(ike_keyring_find(ring, 0xffff, 0));
	cr_assert_null(ike_keyring_find(ring, 0, 1));
	cr_assert_not_null(ike_keyring_at(ring, IKE_KEYRING_MAX_SAS - 1));
	cr_assert_null(ike_keyring_at(ring, IKE_KEYRING_MAX_SAS));
}

Test(keys, keyspec_from_charon_ids)
{
	uint8_t ek[32] = {1}, ak[32] = {2};
	char why[200];
	/* 3DES and ChaCha20 carry no Key Length attribute: -1 (ike_sa_algs) or their nominal size */
	struct ike_sa_keyspec s = {.ispi = 1, .encr = 3, .encr_bits = -1, .integ = 12, .dirs = IKE_KEYS_I | IKE_KEYS_R,
				   .ei = ek, .er = ek, .ai = ak, .ar = ak, .ei_len = 24, .er_len = 24, .ai_len = 32, .ar_len = 32};
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	s.ispi = 2, s.encr_bits = 192;
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	cr_assert_eq(ike_keyring_find(ring, 2, 0)->encr_bits, 0);
	s.ispi = 3, s.encr = 12, s.encr_bits = 100;
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), -1);
	cr_assert_str_eq(why, "unsupported encryption algorithm 12 with a 100-bit key");
	s.encr_bits = 128, s.integ = 9;
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), -1);
	cr_assert_str_eq(why, "unsupported integrity algorithm 9");
	s.integ = 12, s.dirs = 0;
	cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), -1);
	cr_assert_str_eq(why, "no keys given");
}

Test(keys, salted_ciphers_name_the_missing_salt_and_empty_none_key)
{
	char text[1024];
	/* libreswan keeps the salt apart: a bare 16-byte AES-GCM key cannot open anything */
	snprintf(text, sizeof(text),
		 "ikev2 I 0x0000000000000001 0x0000000000000002 none: aes_gcm_16128:0x%s\n"
		 "ikev2 R 0x0000000000000001 0x0000000000000002 none: aes_gcm_16128:0x%s\n",
		 hexrun(0, 16), hexrun(0, 20));
	cr_assert_eq(load(text), 1);
	cr_assert_eq(dg.n, 1);
	cr_assert_str_eq(dg.line[0], "keys.txt:1: SK_ei is 16 bytes, AES-GCM-128 with 16 octet ICV [RFC5282] needs 20 "
				     "(key and 4-byte salt)");
	cr_assert_eq(ike_keyring_find(ring, 1, 2)->have, IKE_KEYS_R);
}

/* Every prefix of a valid file, and random bytes: reports or loads, never a crash or a leak. */
Test(keys, every_prefix_and_random_bytes)
{
	char text[2048];
	int n = snprintf(text, sizeof(text),
			 "# comment\n"
			 "0158b8fb90b7623d,13514610cea16160,%s,%s,\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\r\n"
			 "ikev2 I 0x0001020304050607 0xc02e7a3031a03188 sha1:0x%s aes128:0x%s\n",
			 hexrun(1, 36), hexrun(2, 36), hexrun(3, 20), hexrun(4, 16));
	for (int cut = 0; cut <= n; cut++) {
		struct ike_keyring *k = ike_keyring_new();
		cr_assert_geq(ike_keyring_load_buffer(k, "p.txt", text, (size_t)cut, &diag), 0);
		ike_keyring_free(k);
	}
	uint8_t junk[4096];
	for (int round = 0; round < 200; round++) {
		randombytes_buf(junk, sizeof(junk));
		/* bias towards the characters the parsers care about */
		for (size_t i = 0; i < sizeof(junk); i++)
			if (junk[i] < 64)
				junk[i] = (uint8_t)",\"\n\r #0x:ikev2IR"[junk[i] % 16];
		cr_assert_geq(ike_keyring_load_buffer(ring, "junk.txt", (const char *)junk, sizeof(junk), &diag), 0);
	}
}

/* Keys share slabs of secure memory: with the largest keys (AES-CBC-256 and
 * HMAC-SHA2-512) over the whole cap, every SA still reads back its own bytes,
 * and a direction added later (into a slab filled long ago) lands intact. */
Test(keys, many_sas_keep_their_own_keys)
{
	uint8_t ei[32], er[32], ai[64], ar[64];
	char why[200];
	struct ike_sa_keyspec s = {.encr = 12, .encr_bits = 256, .integ = 14, .dirs = IKE_KEYS_I,
				   .ei = ei, .er = er, .ai = ai, .ar = ar, .ei_len = 32, .er_len = 32, .ai_len = 64, .ar_len = 64};
	for (uint64_t i = 0; i < IKE_KEYRING_MAX_SAS; i++) {
		memset(ei, (int)(i * 7), sizeof(ei));
		memset(ai, (int)(i * 11), sizeof(ai));
		s.ispi = i + 1;
		cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	}
	s.dirs = IKE_KEYS_R;
	for (uint64_t i = 0; i < IKE_KEYRING_MAX_SAS; i += 97) {
		memset(er, (int)(i * 13), sizeof(er));
		memset(ar, (int)(i * 17), sizeof(ar));
		s.ispi = i + 1;
		cr_assert_eq(ike_keyring_add(ring, &s, why, sizeof(why)), 1, "%s", why);
	}
	for (uint64_t i = 0; i < IKE_KEYRING_MAX_SAS; i++) {
		const struct ike_sa_keys *k = ike_keyring_find(ring, i + 1, 0);
		cr_assert_not_null(k);
		cr_assert_eq(k->enc_len, 32);
		cr_assert_eq(k->integ_len, 64);
		for (size_t j = 0; j < 32; j++)
			cr_assert_eq(k->ei[j], (uint8_t)(i * 7), "SA %" PRIu64 " SK_ei", i + 1);
		for (size_t j = 0; j < 64; j++)
			cr_assert_eq(k->ai[j], (uint8_t)(i * 11), "SA %" PRIu64 " SK_ai", i + 1);
		bool both = i % 97 == 0;
		cr_assert_eq(k->have, both ? (IKE_KEYS_I | IKE_KEYS_R) : IKE_KEYS_I);
		for (size_t j = 0; both && j < 32; j++)
			cr_assert_eq(k->er[j], (uint8_t)(i * 13), "SA %" PRIu64 " SK_er", i + 1);
		for (size_t j = 0; both && j < 64; j++)
			cr_assert_eq(k->ar[j], (uint8_t)(i * 17), "SA %" PRIu64 " SK_ar", i + 1);
	}
}

/* A table past the cap says the first dropped row, then one line counting the
 * rest, not one line per row; a bad row among them is still said on its own. */
Test(keys, rows_past_the_cap_are_said_once_with_a_count)
{
	enum { ROWS = IKE_KEYRING_MAX_SAS + 300 };
	size_t cap = (size_t)ROWS * 256 + 200, len = 0;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	for (unsigned i = 0; i < ROWS; i++) {
		if (i == IKE_KEYRING_MAX_SAS + 100)
			len += (size_t)snprintf(text + len, cap - len, "not a key line\n");
		len += (size_t)snprintf(text + len, cap - len,
					"%016x,%016x,%s,%s,\"AES-GCM-128 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"\n",
					i + 1, 7, hexrun(1, 20), hexrun(2, 20));
	}
	cr_assert_eq(ike_keyring_load_buffer(ring, "big.table", text, len, &diag), IKE_KEYRING_MAX_SAS);
	cr_assert_eq(dg.n, 3, "%zu lines, first %s", dg.n, dg.line[0]);
	cr_assert_str_eq(dg.line[0], "big.table:4097: more than 4096 SAs; SA 0x0000000000001001/0x0000000000000007 dropped");
	cr_assert_not_null(strstr(dg.line[1], "big.table:4197: "), "%s", dg.line[1]);
	cr_assert_str_eq(dg.line[2], "big.table:4397: 299 more SAs past the cap of 4096 dropped, up to this line");
	free(text);
}
