/*
 * names_sa.c — IKEv2 transform registries (IANA "Transform Type Values" and
 * the per-type Transform IDs, RFC 7296 §3.3.2 and later RFCs).
 *
 * Long names are exactly what strongSwan 5.9.8 prints with %N in proposal
 * lines (encryption_algorithm_names, integrity_algorithm_names,
 * pseudo_random_function_names, key_exchange_method_names,
 * extended_sequence_numbers_names), including the private-use values charon
 * names (1024 and up). IANA values charon 5.9.8 does not know carry their IANA
 * name for our own output, but ike_transform_charon_knows() says false for
 * them, because charon prints such a value as "(36)" in a proposal.
 */
#include <stdbool.h>

#include "ikescope/names.h"

#define ROW(id, name, short_name, known) {id, name, short_name},
#define KNOWN(id, name, short_name, known) known,
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* X(id, long name, short name, named by charon 5.9.8) — sorted by id. */
#define IKE_TRANSFORM_TYPES(X)                                               \
	X(1, "ENCRYPTION_ALGORITHM", "ENCR", true)                           \
	X(2, "PSEUDO_RANDOM_FUNCTION", "PRF", true)                          \
	X(3, "INTEGRITY_ALGORITHM", "INTEG", true)                           \
	X(4, "KEY_EXCHANGE_METHOD", "KE", true)                              \
	X(5, "EXTENDED_SEQUENCE_NUMBERS", "ESN", true)                       \
	X(6, "ADDITIONAL_KEY_EXCHANGE_1", "ADDKE1", false)                    \
	X(7, "ADDITIONAL_KEY_EXCHANGE_2", "ADDKE2", false)                    \
	X(8, "ADDITIONAL_KEY_EXCHANGE_3", "ADDKE3", false)                    \
	X(9, "ADDITIONAL_KEY_EXCHANGE_4", "ADDKE4", false)                    \
	X(10, "ADDITIONAL_KEY_EXCHANGE_5", "ADDKE5", false)                   \
	X(11, "ADDITIONAL_KEY_EXCHANGE_6", "ADDKE6", false)                   \
	X(12, "ADDITIONAL_KEY_EXCHANGE_7", "ADDKE7", false)

/* Transform type 1 (RFC 7296, 4106, 4309, 4543, 5529, 7634, 8750, 9227). */
#define IKE_ENCR(X)                                                          \
	X(1, "DES_IV64", "DES_IV64", true)                                   \
	X(2, "DES_CBC", "DES_CBC", true)                                     \
	X(3, "3DES_CBC", "3DES_CBC", true)                                   \
	X(4, "RC5_CBC", "RC5_CBC", true)                                     \
	X(5, "IDEA_CBC", "IDEA_CBC", true)                                   \
	X(6, "CAST_CBC", "CAST_CBC", true)                                   \
	X(7, "BLOWFISH_CBC", "BLOWFISH_CBC", true)                           \
	X(8, "3IDEA", "3IDEA", true)                                         \
	X(9, "DES_IV32", "DES_IV32", true)                                   \
	X(11, "NULL", "NULL", true)                                          \
	X(12, "AES_CBC", "AES_CBC", true)                                    \
	X(13, "AES_CTR", "AES_CTR", true)                                    \
	X(14, "AES_CCM_8", "AES_CCM_8", true)                                \
	X(15, "AES_CCM_12", "AES_CCM_12", true)                              \
	X(16, "AES_CCM_16", "AES_CCM_16", true)                              \
	X(18, "AES_GCM_8", "AES_GCM_8", true)                                \
	X(19, "AES_GCM_12", "AES_GCM_12", true)                              \
	X(20, "AES_GCM_16", "AES_GCM_16", true)                              \
	X(21, "NULL_AES_GMAC", "NULL_AES_GMAC", true)                        \
	X(23, "CAMELLIA_CBC", "CAMELLIA_CBC", true)                          \
	X(24, "CAMELLIA_CTR", "CAMELLIA_CTR", true)                          \
	X(25, "CAMELLIA_CCM_8", "CAMELLIA_CCM_8", true)                      \
	X(26, "CAMELLIA_CCM_12", "CAMELLIA_CCM_12", true)                    \
	X(27, "CAMELLIA_CCM_16", "CAMELLIA_CCM_16", true)                    \
	X(28, "CHACHA20_POLY1305", "CHACHA20_POLY1305", true)                \
	X(29, "AES_CCM_8_IIV", "AES_CCM_8_IIV", false)                       \
	X(30, "AES_GCM_16_IIV", "AES_GCM_16_IIV", false)                     \
	X(31, "CHACHA20_POLY1305_IIV", "CHACHA20_POLY1305_IIV", false)       \
	X(32, "KUZNYECHIK_MGM_KTREE", "KUZNYECHIK_MGM_KTREE", false)         \
	X(33, "MAGMA_MGM_KTREE", "MAGMA_MGM_KTREE", false)                   \
	X(34, "KUZNYECHIK_MGM_MAC_KTREE", "KUZNYECHIK_MGM_MAC_KTREE", false) \
	X(35, "MAGMA_MGM_MAC_KTREE", "MAGMA_MGM_MAC_KTREE", false)           \
	X(1024, "UNDEFINED", "UNDEFINED", true)                              \
	X(1025, "DES_ECB", "DES_ECB", true)                                  \
	X(1026, "SERPENT_CBC", "SERPENT_CBC", true)                          \
	X(1027, "TWOFISH_CBC", "TWOFISH_CBC", true)                          \
	X(1028, "RC2_CBC", "RC2_CBC", true)

/* Transform type 2 (RFC 7296, 4434, 4615, 4868, 9385). */
#define IKE_PRF(X)                                                           \
	X(1, "PRF_HMAC_MD5", "PRF_HMAC_MD5", true)                           \
	X(2, "PRF_HMAC_SHA1", "PRF_HMAC_SHA1", true)                         \
	X(3, "PRF_HMAC_TIGER", "PRF_HMAC_TIGER", true)                       \
	X(4, "PRF_AES128_XCBC", "PRF_AES128_XCBC", true)                     \
	X(5, "PRF_HMAC_SHA2_256", "PRF_HMAC_SHA2_256", true)                 \
	X(6, "PRF_HMAC_SHA2_384", "PRF_HMAC_SHA2_384", true)                 \
	X(7, "PRF_HMAC_SHA2_512", "PRF_HMAC_SHA2_512", true)                 \
	X(8, "PRF_AES128_CMAC", "PRF_AES128_CMAC", true)                     \
	X(9, "PRF_HMAC_STREEBOG_512", "PRF_HMAC_STREEBOG_512", false)        \
	X(1024, "PRF_UNDEFINED", "PRF_UNDEFINED", true)                      \
	X(1025, "PRF_FIPS_SHA1_160", "PRF_FIPS_SHA1_160", true)              \
	X(1026, "PRF_FIPS_DES", "PRF_FIPS_DES", true)                        \
	X(1027, "PRF_KEYED_SHA1", "PRF_KEYED_SHA1", true)                    \
	X(1028, "PRF_CAMELLIA128_XCBC", "PRF_CAMELLIA128_XCBC", true)

/* Transform type 3 (RFC 7296, 4494, 4543, 4868). */
#define IKE_INTEG(X)                                                         \
	X(1, "HMAC_MD5_96", "HMAC_MD5_96", true)                             \
	X(2, "HMAC_SHA1_96", "HMAC_SHA1_96", true)                           \
	X(3, "DES_MAC", "DES_MAC", true)                                     \
	X(4, "KPDK_MD5", "KPDK_MD5", true)                                   \
	X(5, "AES_XCBC_96", "AES_XCBC_96", true)                             \
	X(6, "HMAC_MD5_128", "HMAC_MD5_128", true)                           \
	X(7, "HMAC_SHA1_160", "HMAC_SHA1_160", true)                         \
	X(8, "AES_CMAC_96", "AES_CMAC_96", true)                             \
	X(9, "AES_128_GMAC", "AES_128_GMAC", true)                           \
	X(10, "AES_192_GMAC", "AES_192_GMAC", true)                          \
	X(11, "AES_256_GMAC", "AES_256_GMAC", true)                          \
	X(12, "HMAC_SHA2_256_128", "HMAC_SHA2_256_128", true)                \
	X(13, "HMAC_SHA2_384_192", "HMAC_SHA2_384_192", true)                \
	X(14, "HMAC_SHA2_512_256", "HMAC_SHA2_512_256", true)                \
	X(1024, "UNDEFINED", "UNDEFINED", true)                              \
	X(1025, "HMAC_SHA1_128", "HMAC_SHA1_128", true)                      \
	X(1026, "HMAC_SHA2_256_96", "HMAC_SHA2_256_96", true)                \
	X(1027, "HMAC_SHA2_256_256", "HMAC_SHA2_256_256", true)              \
	X(1028, "HMAC_SHA2_384_384", "HMAC_SHA2_384_384", true)              \
	X(1029, "HMAC_SHA2_512_512", "HMAC_SHA2_512_512", true)              \
	X(1030, "CAMELLIA_XCBC_96", "CAMELLIA_XCBC_96", true)

/* Transform type 4 (RFC 7296, 3526, 5114, 5903, 6954, 8031, 9385, ML-KEM);
 * 1024 and up are strongSwan's private groups. */
#define IKE_KE(X)                                                            \
	X(0, "KE_NONE", "KE_NONE", true)                                     \
	X(1, "MODP_768", "MODP_768", true)                                   \
	X(2, "MODP_1024", "MODP_1024", true)                                 \
	X(5, "MODP_1536", "MODP_1536", true)                                 \
	X(14, "MODP_2048", "MODP_2048", true)                                \
	X(15, "MODP_3072", "MODP_3072", true)                                \
	X(16, "MODP_4096", "MODP_4096", true)                                \
	X(17, "MODP_6144", "MODP_6144", true)                                \
	X(18, "MODP_8192", "MODP_8192", true)                                \
	X(19, "ECP_256", "ECP_256", true)                                    \
	X(20, "ECP_384", "ECP_384", true)                                    \
	X(21, "ECP_521", "ECP_521", true)                                    \
	X(22, "MODP_1024_160", "MODP_1024_160", true)                        \
	X(23, "MODP_2048_224", "MODP_2048_224", true)                        \
	X(24, "MODP_2048_256", "MODP_2048_256", true)                        \
	X(25, "ECP_192", "ECP_192", true)                                    \
	X(26, "ECP_224", "ECP_224", true)                                    \
	X(27, "ECP_224_BP", "ECP_224_BP", true)                              \
	X(28, "ECP_256_BP", "ECP_256_BP", true)                              \
	X(29, "ECP_384_BP", "ECP_384_BP", true)                              \
	X(30, "ECP_512_BP", "ECP_512_BP", true)                              \
	X(31, "CURVE_25519", "CURVE_25519", true)                            \
	X(32, "CURVE_448", "CURVE_448", true)                                \
	X(33, "GOST3410_2012_256", "GOST3410_2012_256", false)               \
	X(34, "GOST3410_2012_512", "GOST3410_2012_512", false)               \
	X(35, "ML_KEM_512", "ML_KEM_512", false)                             \
	X(36, "ML_KEM_768", "ML_KEM_768", false)                             \
	X(37, "ML_KEM_1024", "ML_KEM_1024", false)                           \
	X(1024, "MODP_NULL", "MODP_NULL", true)                              \
	X(1030, "NTRU_112", "NTRU_112", true)                                \
	X(1031, "NTRU_128", "NTRU_128", true)                                \
	X(1032, "NTRU_192", "NTRU_192", true)                                \
	X(1033, "NTRU_256", "NTRU_256", true)                                \
	X(1040, "NEWHOPE_128", "NEWHOPE_128", true)

/* Transform type 5 (RFC 7296). */
#define IKE_ESN(X)                                                           \
	X(0, "NO_EXT_SEQ", "NO_EXT_SEQ", true)                               \
	X(1, "EXT_SEQ", "EXT_SEQ", true)

static const struct ike_name transform_type_rows[] = {IKE_TRANSFORM_TYPES(ROW)};
static const struct ike_name encr_rows[] = {IKE_ENCR(ROW)};
static const struct ike_name prf_rows[] = {IKE_PRF(ROW)};
static const struct ike_name integ_rows[] = {IKE_INTEG(ROW)};
static const struct ike_name ke_rows[] = {IKE_KE(ROW)};
static const struct ike_name esn_rows[] = {IKE_ESN(ROW)};

static const bool encr_known[] = {IKE_ENCR(KNOWN)};
static const bool prf_known[] = {IKE_PRF(KNOWN)};
static const bool integ_known[] = {IKE_INTEG(KNOWN)};
static const bool ke_known[] = {IKE_KE(KNOWN)};
static const bool esn_known[] = {IKE_ESN(KNOWN)};

const struct ike_names ike_names_transform_type = {"transform type", transform_type_rows,
						     COUNT(transform_type_rows)};
const struct ike_names ike_names_encr = {"encryption algorithm", encr_rows, COUNT(encr_rows)};
const struct ike_names ike_names_prf = {"pseudo-random function", prf_rows, COUNT(prf_rows)};
const struct ike_names ike_names_integ = {"integrity algorithm", integ_rows, COUNT(integ_rows)};
const struct ike_names ike_names_ke = {"key exchange method", ke_rows, COUNT(ke_rows)};
const struct ike_names ike_names_esn = {"extended sequence numbers", esn_rows, COUNT(esn_rows)};

const struct ike_names *ike_names_for_transform(uint8_t type)
{
	switch (type) {
	case 1: return &ike_names_encr;
	case 2: return &ike_names_prf;
	case 3: return &ike_names_integ;
	case 4: return &ike_names_ke;
	case 5: return &ike_names_esn;
	case 6: case 7: case 8: case 9: case 10: case 11: case 12:
		return &ike_names_ke; /* RFC 9370: ADDKE transforms use the KE IDs */
	default: return NULL;
	}
}

bool ike_transform_charon_knows(uint8_t type, uint16_t id)
{
	const struct ike_names *t = ike_names_for_transform(type);
	const bool *known;
	/* ADDKE (6-12) exists only from strongSwan 6.0 on. */
	switch (type) {
	case 1: known = encr_known; break;
	case 2: known = prf_known; break;
	case 3: known = integ_known; break;
	case 4: known = ke_known; break;
	case 5: known = esn_known; break;
	default: return false;
	}
	const struct ike_name *n = ike_names_find(t, id);
	return n && known[n - t->v];
}
