/*
 * names_id.c — identification types (RFC 7296 §3.5, RFC 4595, RFC 7619),
 * certificate encodings (RFC 7296 §3.6, RFC 4806, RFC 7670) and
 * authentication methods (RFC 7296 §3.8, RFC 4754, RFC 6467, RFC 7619,
 * RFC 7427).
 *
 * ID types and certificate encodings carry the names charon prints
 * (id_type_names, cert_encoding_names; the IKEv1-only ID types 4, 6, 7, 8 too,
 * as charon names them). Authentication methods carry the IANA name as the
 * long form and, as the short form, the words charon logs in "authentication
 * of 'peer' with pre-shared key successful" (auth_method_names).
 */
#include "ikescope/names.h"

#define ROW(id, name, short_name) {id, name, short_name},
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

#define IKE_ID_TYPES(X)                                          \
	X(1, "ID_IPV4_ADDR", "ID_IPV4_ADDR")                     \
	X(2, "ID_FQDN", "ID_FQDN")                               \
	X(3, "ID_RFC822_ADDR", "ID_RFC822_ADDR")                 \
	X(4, "ID_IPV4_ADDR_SUBNET", "ID_IPV4_ADDR_SUBNET")       \
	X(5, "ID_IPV6_ADDR", "ID_IPV6_ADDR")                     \
	X(6, "ID_IPV6_ADDR_SUBNET", "ID_IPV6_ADDR_SUBNET")       \
	X(7, "ID_IPV4_ADDR_RANGE", "ID_IPV4_ADDR_RANGE")         \
	X(8, "ID_IPV6_ADDR_RANGE", "ID_IPV6_ADDR_RANGE")         \
	X(9, "ID_DER_ASN1_DN", "ID_DER_ASN1_DN")                 \
	X(10, "ID_DER_ASN1_GN", "ID_DER_ASN1_GN")                \
	X(11, "ID_KEY_ID", "ID_KEY_ID")                          \
	X(12, "ID_FC_NAME", "ID_FC_NAME")                        \
	X(13, "ID_NULL", "ID_NULL")

#define IKE_CERT_ENCODINGS(X)                                               \
	X(1, "ENC_PKCS7_WRAPPED_X509", "ENC_PKCS7_WRAPPED_X509")            \
	X(2, "ENC_PGP", "ENC_PGP")                                          \
	X(3, "ENC_DNS_SIGNED_KEY", "ENC_DNS_SIGNED_KEY")                    \
	X(4, "ENC_X509_SIGNATURE", "ENC_X509_SIGNATURE")                    \
	X(5, "ENC_X509_KEY_EXCHANGE", "ENC_X509_KEY_EXCHANGE")              \
	X(6, "ENC_KERBEROS_TOKENS", "ENC_KERBEROS_TOKENS")                  \
	X(7, "ENC_CRL", "ENC_CRL")                                          \
	X(8, "ENC_ARL", "ENC_ARL")                                          \
	X(9, "ENC_SPKI", "ENC_SPKI")                                        \
	X(10, "ENC_X509_ATTRIBUTE", "ENC_X509_ATTRIBUTE")                   \
	X(11, "ENC_RAW_RSA_KEY", "ENC_RAW_RSA_KEY")                         \
	X(12, "ENC_X509_HASH_AND_URL", "ENC_X509_HASH_AND_URL")             \
	X(13, "ENC_X509_HASH_AND_URL_BUNDLE", "ENC_X509_HASH_AND_URL_BUNDLE") \
	X(14, "ENC_OCSP_CONTENT", "ENC_OCSP_CONTENT")                       \
	X(15, "ENC_RAW_PUBLIC_KEY", "ENC_RAW_PUBLIC_KEY")

#define IKE_AUTH_METHODS(X)                                                                 \
	X(1, "RSA_DIGITAL_SIGNATURE", "RSA signature")                                      \
	X(2, "SHARED_KEY_MESSAGE_INTEGRITY_CODE", "pre-shared key")                         \
	X(3, "DSS_DIGITAL_SIGNATURE", "DSS signature")                                      \
	X(9, "ECDSA_SHA256_P256", "ECDSA-256 signature")                                    \
	X(10, "ECDSA_SHA384_P384", "ECDSA-384 signature")                                   \
	X(11, "ECDSA_SHA512_P521", "ECDSA-521 signature")                                   \
	X(12, "GENERIC_SECURE_PASSWORD_AUTHENTICATION_METHOD", "secure password method")    \
	X(13, "NULL_AUTHENTICATION", "NULL authentication")                                 \
	X(14, "DIGITAL_SIGNATURE", "digital signature")

static const struct ike_name id_type_rows[] = {IKE_ID_TYPES(ROW)};
static const struct ike_name cert_enc_rows[] = {IKE_CERT_ENCODINGS(ROW)};
static const struct ike_name auth_rows[] = {IKE_AUTH_METHODS(ROW)};

const struct ike_names ike_names_id_type = {"identification type", id_type_rows, COUNT(id_type_rows)};
const struct ike_names ike_names_cert_enc = {"certificate encoding", cert_enc_rows, COUNT(cert_enc_rows)};
const struct ike_names ike_names_auth = {"authentication method", auth_rows, COUNT(auth_rows)};
