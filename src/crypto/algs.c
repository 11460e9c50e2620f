/*
 * algs.c — the encryption and integrity algorithms ikescope can open SK
 * payloads with, under every name a key file may give them.
 */
#include <gcrypt.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto_int.h"

#define AES GCRY_CIPHER_AES
#define AES192 GCRY_CIPHER_AES192
#define AES256 GCRY_CIPHER_AES256

/* Key lengths include the salt (RFC 5930 CTR and RFC 5282 GCM: 4 bytes, CCM: 3; RFC 7634: 4). */
static const struct ike_encr_alg encr_algs[] = {
	{11, 0, "NULL [RFC2410]", "null", "NULL", 0, 0, 0, 1, 0, IKE_CK_NULL, 0},
	{3, 0, "3DES [RFC2451]", "3des", "3DES_CBC", 24, 0, 8, 8, 0, IKE_CK_CBC, GCRY_CIPHER_3DES},
	{12, 128, "AES-CBC-128 [RFC3602]", "aes", "AES_CBC_128", 16, 0, 16, 16, 0, IKE_CK_CBC, AES},
	{12, 192, "AES-CBC-192 [RFC3602]", "aes", "AES_CBC_192", 24, 0, 16, 16, 0, IKE_CK_CBC, AES192},
	{12, 256, "AES-CBC-256 [RFC3602]", "aes", "AES_CBC_256", 32, 0, 16, 16, 0, IKE_CK_CBC, AES256},
	{13, 128, "AES-CTR-128 [RFC5930]", "aes_ctr", "AES_CTR_128", 20, 4, 8, 1, 0, IKE_CK_CTR, AES},
	{13, 192, "AES-CTR-192 [RFC5930]", "aes_ctr", "AES_CTR_192", 28, 4, 8, 1, 0, IKE_CK_CTR, AES192},
	{13, 256, "AES-CTR-256 [RFC5930]", "aes_ctr", "AES_CTR_256", 36, 4, 8, 1, 0, IKE_CK_CTR, AES256},
	{14, 128, "AES-CCM-128 with 8 octet ICV [RFC5282]", "aes_ccm_8", "AES_CCM_8_128", 19, 3, 8, 1, 8, IKE_CK_CCM, AES},
	{14, 192, "AES-CCM-192 with 8 octet ICV [RFC5282]", "aes_ccm_8", "AES_CCM_8_192", 27, 3, 8, 1, 8, IKE_CK_CCM, AES192},
	{14, 256, "AES-CCM-256 with 8 octet ICV [RFC5282]", "aes_ccm_8", "AES_CCM_8_256", 35, 3, 8, 1, 8, IKE_CK_CCM, AES256},
	{15, 128, "AES-CCM-128 with 12 octet ICV [RFC5282]", "aes_ccm_12", "AES_CCM_12_128", 19, 3, 8, 1, 12, IKE_CK_CCM, AES},
	{15, 192, "AES-CCM-192 with 12 octet ICV [RFC5282]", "aes_ccm_12", "AES_CCM_12_192", 27, 3, 8, 1, 12, IKE_CK_CCM, AES192},
	{15, 256, "AES-CCM-256 with 12 octet ICV [RFC5282]", "aes_ccm_12", "AES_CCM_12_256", 35, 3, 8, 1, 12, IKE_CK_CCM, AES256},
	{16, 128, "AES-CCM-128 with 16 octet ICV [RFC5282]", "aes_ccm_16", "AES_CCM_16_128", 19, 3, 8, 1, 16, IKE_CK_CCM, AES},
	{16, 192, "AES-CCM-192 with 16 octet ICV [RFC5282]", "aes_ccm_16", "AES_CCM_16_192", 27, 3, 8, 1, 16, IKE_CK_CCM, AES192},
	{16, 256, "AES-CCM-256 with 16 octet ICV [RFC5282]", "aes_ccm_16", "AES_CCM_16_256", 35, 3, 8, 1, 16, IKE_CK_CCM, AES256},
	/* libreswan writes AES_GCM_8 as plain "aes_gcm" in its tcpdump lines. */
	{18, 128, "AES-GCM-128 with 8 octet ICV [RFC5282]", "aes_gcm", "AES_GCM_8_128", 20, 4, 8, 1, 8, IKE_CK_GCM, AES},
	{18, 192, "AES-GCM-192 with 8 octet ICV [RFC5282]", "aes_gcm", "AES_GCM_8_192", 28, 4, 8, 1, 8, IKE_CK_GCM, AES192},
	{18, 256, "AES-GCM-256 with 8 octet ICV [RFC5282]", "aes_gcm", "AES_GCM_8_256", 36, 4, 8, 1, 8, IKE_CK_GCM, AES256},
	{19, 128, "AES-GCM-128 with 12 octet ICV [RFC5282]", "aes_gcm_12", "AES_GCM_12_128", 20, 4, 8, 1, 12, IKE_CK_GCM, AES},
	{19, 192, "AES-GCM-192 with 12 octet ICV [RFC5282]", "aes_gcm_12", "AES_GCM_12_192", 28, 4, 8, 1, 12, IKE_CK_GCM, AES192},
	{19, 256, "AES-GCM-256 with 12 octet ICV [RFC5282]", "aes_gcm_12", "AES_GCM_12_256", 36, 4, 8, 1, 12, IKE_CK_GCM, AES256},
	{20, 128, "AES-GCM-128 with 16 octet ICV [RFC5282]", "aes_gcm_16", "AES_GCM_16_128", 20, 4, 8, 1, 16, IKE_CK_GCM, AES},
	{20, 192, "AES-GCM-192 with 16 octet ICV [RFC5282]", "aes_gcm_16", "AES_GCM_16_192", 28, 4, 8, 1, 16, IKE_CK_GCM, AES192},
	{20, 256, "AES-GCM-256 with 16 octet ICV [RFC5282]", "aes_gcm_16", "AES_GCM_16_256", 36, 4, 8, 1, 16, IKE_CK_GCM, AES256},
	{28, 0, "CHACHA20-POLY1305 [RFC7634]", "chacha20_poly1305", "CHACHA20_POLY1305", 36, 4, 8, 1, 16, IKE_CK_CHACHA, 0},
};

#define UNCHECKED(bits) \
	{IKE_INTEG_UNCHECKED(bits), "ANY " #bits "-bits of Authentication [No Checking]", NULL, "UNCHECKED_" #bits, \
	 0, (bits) / 8, IKE_MK_UNCHECKED, 0}

static const struct ike_integ_alg integ_algs[] = {
	{IKE_INTEG_NONE, "NONE [RFC4306]", "none", "NONE", 0, 0, IKE_MK_NONE, 0},
	{1, "HMAC_MD5_96 [RFC2403]", "md5", "HMAC_MD5_96", 16, 12, IKE_MK_HMAC, GCRY_MAC_HMAC_MD5},
	{2, "HMAC_SHA1_96 [RFC2404]", "sha1", "HMAC_SHA1_96", 20, 12, IKE_MK_HMAC, GCRY_MAC_HMAC_SHA1},
	{5, "AES-XCBC-96 [RFC3566]", "aes_xcbc", "AES_XCBC_96", 16, 12, IKE_MK_XCBC, 0},
	{6, "HMAC_MD5_128 [RFC4595]", "md5_128", "HMAC_MD5_128", 16, 16, IKE_MK_HMAC, GCRY_MAC_HMAC_MD5},
	{7, "HMAC_SHA1_160 [RFC4595]", "sha1_160", "HMAC_SHA1_160", 20, 20, IKE_MK_HMAC, GCRY_MAC_HMAC_SHA1},
	{8, "AES-CMAC-96 [RFC4494]", "aes_cmac", "AES_CMAC_96", 16, 12, IKE_MK_CMAC, GCRY_MAC_CMAC_AES},
	{12, "HMAC_SHA2_256_128 [RFC4868]", "sha256", "HMAC_SHA2_256_128", 32, 16, IKE_MK_HMAC, GCRY_MAC_HMAC_SHA256},
	{13, "HMAC_SHA2_384_192 [RFC4868]", "sha384", "HMAC_SHA2_384_192", 48, 24, IKE_MK_HMAC, GCRY_MAC_HMAC_SHA384},
	{14, "HMAC_SHA2_512_256 [RFC4868]", "sha512", "HMAC_SHA2_512_256", 64, 32, IKE_MK_HMAC, GCRY_MAC_HMAC_SHA512},
	{IKE_INTEG_HMAC_SHA2_256_96, "HMAC_SHA2_256_96 [draft-ietf-ipsec-ciph-sha-256-00]", "hmac_sha2_256_truncbug",
	 "HMAC_SHA2_256_96", 32, 12, IKE_MK_HMAC, GCRY_MAC_HMAC_SHA256},
	UNCHECKED(64), UNCHECKED(96), UNCHECKED(128), UNCHECKED(160), UNCHECKED(192), UNCHECKED(256),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool same(const char *name, const char *s, size_t n)
{
	return name && strlen(name) == n && memcmp(name, s, n) == 0;
}

const struct ike_encr_alg *ike_encr_find(uint16_t id, uint16_t bits)
{
	for (size_t i = 0; i < COUNT(encr_algs); i++)
		if (encr_algs[i].id == id && encr_algs[i].bits == bits)
			return &encr_algs[i];
	return NULL;
}

const struct ike_encr_alg *ike_encr_find_negotiated(uint16_t id, int32_t bits)
{
	if (bits < 0 || bits > UINT16_MAX)
		bits = 0;
	const struct ike_encr_alg *e = ike_encr_find(id, (uint16_t)bits);
	/* 3DES and ChaCha20 have no Key Length attribute; accept their nominal size too */
	if (!e && ((id == 3 && bits == 192) || (id == 28 && bits == 256)))
		e = ike_encr_find(id, 0);
	return e;
}

bool ike_sk_sizes(uint16_t encr, int32_t encr_bits, uint16_t integ, size_t *iv_len, size_t *icv_len)
{
	const struct ike_encr_alg *e = ike_encr_find_negotiated(encr, encr_bits);
	const struct ike_integ_alg *a = ike_integ_find(integ);
	if (!e || !a || ike_encr_is_aead(e) != (a->kind == IKE_MK_NONE))
		return false;
	*iv_len = e->iv_len;
	*icv_len = ike_encr_is_aead(e) ? e->icv_len : a->icv_len;
	return true;
}

const struct ike_integ_alg *ike_integ_find(uint16_t id)
{
	for (size_t i = 0; i < COUNT(integ_algs); i++)
		if (integ_algs[i].id == id)
			return &integ_algs[i];
	return NULL;
}

const struct ike_encr_alg *ike_encr_by_wireshark(const char *s, size_t n)
{
	for (size_t i = 0; i < COUNT(encr_algs); i++)
		if (same(encr_algs[i].wireshark, s, n))
			return &encr_algs[i];
	return NULL;
}

const struct ike_integ_alg *ike_integ_by_wireshark(const char *s, size_t n)
{
	for (size_t i = 0; i < COUNT(integ_algs); i++)
		if (same(integ_algs[i].wireshark, s, n))
			return &integ_algs[i];
	return NULL;
}

/* The key-size suffix after a libreswan base name: "" or the bits for fixed
 * ciphers written with their nominal size ("3des192"), else exactly the bits. */
static bool bits_suffix_matches(const struct ike_encr_alg *e, const char *s, size_t n)
{
	static const struct { uint16_t id; const char *nominal; } fixed[] = {{3, "192"}, {28, "256"}, {11, "0"}};
	if (e->bits == 0) {
		if (n == 0)
			return true;
		for (size_t i = 0; i < COUNT(fixed); i++)
			if (fixed[i].id == e->id && same(fixed[i].nominal, s, n))
				return true;
		return false;
	}
	char b[8];
	int bl = snprintf(b, sizeof(b), "%u", e->bits);
	return bl > 0 && (size_t)bl == n && memcmp(b, s, n) == 0;
}

const struct ike_encr_alg *ike_encr_by_tcpdump(const char *s, size_t n)
{
	static const char cbc[] = "-cbc";
	bool want_cbc = n > 4 && memcmp(s + n - 4, cbc, 4) == 0; /* tcpdump's own "aes128-cbc" */
	if (want_cbc)
		n -= 4;
	const struct ike_encr_alg *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < COUNT(encr_algs); i++) {
		const struct ike_encr_alg *e = &encr_algs[i];
		const char *base = e->tcpdump;
		size_t bl = strlen(base);
		/* libreswan's other spelling of AES_GCM_8 */
		if (e->id == 18 && n >= 9 && memcmp(s, "aes_gcm_8", 9) == 0)
			base = "aes_gcm_8", bl = 9;
		if (bl > n || memcmp(s, base, bl) != 0 || (want_cbc && e->kind != IKE_CK_CBC))
			continue;
		if (bits_suffix_matches(e, s + bl, n - bl) && bl > best_len)
			best = e, best_len = bl;
	}
	return best;
}

const struct ike_integ_alg *ike_integ_by_tcpdump(const char *s, size_t n)
{
	for (size_t i = 0; i < COUNT(integ_algs); i++)
		if (same(integ_algs[i].tcpdump, s, n))
			return &integ_algs[i];
	return NULL;
}

const char *ike_encr_charon_name(uint16_t encr, uint16_t bits)
{
	const struct ike_encr_alg *e = ike_encr_find(encr, bits);
	return e ? e->charon : NULL;
}

const char *ike_integ_charon_name(uint16_t integ)
{
	const struct ike_integ_alg *a = ike_integ_find(integ);
	return a ? a->charon : NULL;
}

const char *ike_encr_wireshark_name(uint16_t encr, uint16_t bits)
{
	const struct ike_encr_alg *e = ike_encr_find(encr, bits);
	return e ? e->wireshark : NULL;
}

const char *ike_integ_wireshark_name(uint16_t integ)
{
	const struct ike_integ_alg *a = ike_integ_find(integ);
	return a ? a->wireshark : NULL;
}
