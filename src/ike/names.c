/*
 * names.c — lookups over the IANA registries, and the registries of the IKE
 * header itself: payload types, exchange types, protocol ids. Long names are
 * the ones charon prints with %N, short names its abbreviations.
 */
#include "ikescope/names.h"

#define ROW(id, name, short_name) {id, name, short_name},
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

const struct ike_name *ike_names_find(const struct ike_names *t, uint32_t id)
{
	/* Most registries are runs of consecutive ids from their first one:
	 * there the row is found by subtraction, before the binary search. */
	if (t->n) {
		uint32_t at = id - t->v[0].id;
		if (at < t->n && t->v[at].id == id)
			return &t->v[at];
	}
	/* Elsewhere (notify's error and status ranges) a binary search whose
	 * step is a conditional move rather than a branch the CPU must guess. */
	const struct ike_name *base = t->v;
	size_t n = t->n;
	if (n == 0)
		return NULL;
	while (n > 1) {
		size_t half = n / 2;
		base = base[half].id <= id ? base + half : base;
		n -= half;
	}
	return base->id == id ? base : NULL;
}

const char *ike_name_long(const struct ike_names *t, uint32_t id)
{
	const struct ike_name *n = ike_names_find(t, id);
	return n ? n->name : NULL;
}

const char *ike_name_short(const struct ike_names *t, uint32_t id)
{
	const struct ike_name *n = ike_names_find(t, id);
	return n ? n->short_name : NULL;
}

/* RFC 7296 §3.2 and later RFCs; short names as charon's payload_type_short_names. */
#define IKE_PAYLOAD_TYPES(X)                                          \
	X(33, "SECURITY_ASSOCIATION", "SA")                           \
	X(34, "KEY_EXCHANGE", "KE")                                   \
	X(35, "ID_INITIATOR", "IDi")                                  \
	X(36, "ID_RESPONDER", "IDr")                                  \
	X(37, "CERTIFICATE", "CERT")                                  \
	X(38, "CERTIFICATE_REQUEST", "CERTREQ")                       \
	X(39, "AUTHENTICATION", "AUTH")                               \
	X(40, "NONCE", "No")                                          \
	X(41, "NOTIFY", "N")                                          \
	X(42, "DELETE", "D")                                          \
	X(43, "VENDOR_ID", "V")                                       \
	X(44, "TRAFFIC_SELECTOR_INITIATOR", "TSi")                    \
	X(45, "TRAFFIC_SELECTOR_RESPONDER", "TSr")                    \
	X(46, "ENCRYPTED", "E")                                       \
	X(47, "CONFIGURATION", "CP")                                  \
	X(48, "EAP", "EAP")                                           \
	X(49, "GENERIC_SECURE_PASSWORD_METHOD", "GSPM")               \
	X(50, "GROUP_ID", "IDg")                                      \
	X(51, "GROUP_SECURITY_ASSOCIATION", "GSA")                    \
	X(52, "KEY_DOWNLOAD", "KD")                                   \
	X(53, "ENCRYPTED_FRAGMENT", "EF")

static const struct ike_name payload_rows[] = {IKE_PAYLOAD_TYPES(ROW)};
const struct ike_names ike_names_payload = {"payload type", payload_rows, COUNT(payload_rows)};

/* IKEv1 (RFC 2408/2409) and IKEv2 exchange types, as charon names them. */
#define IKE_EXCHANGE_TYPES(X)                                 \
	X(2, "ID_PROT", "ID_PROT")                            \
	X(3, "AUTH_ONLY", "AUTH_ONLY")                        \
	X(4, "AGGRESSIVE", "AGGRESSIVE")                      \
	X(5, "INFORMATIONAL_V1", "INFORMATIONAL_V1")          \
	X(6, "TRANSACTION", "TRANSACTION")                    \
	X(32, "QUICK_MODE", "QUICK_MODE")                     \
	X(33, "NEW_GROUP_MODE", "NEW_GROUP_MODE")             \
	X(34, "IKE_SA_INIT", "IKE_SA_INIT")                   \
	X(35, "IKE_AUTH", "IKE_AUTH")                         \
	X(36, "CREATE_CHILD_SA", "CREATE_CHILD_SA")           \
	X(37, "INFORMATIONAL", "INFORMATIONAL")               \
	X(38, "IKE_SESSION_RESUME", "IKE_SESSION_RESUME")     \
	X(39, "GSA_AUTH", "GSA_AUTH")                         \
	X(40, "GSA_REGISTRATION", "GSA_REGISTRATION")         \
	X(41, "GSA_REKEY", "GSA_REKEY")                       \
	X(43, "IKE_INTERMEDIATE", "IKE_INTERMEDIATE")         \
	X(44, "IKE_FOLLOWUP_KE", "IKE_FOLLOWUP_KE")           \
	X(45, "GSA_INBAND_REKEY", "GSA_INBAND_REKEY")

static const struct ike_name exchange_rows[] = {IKE_EXCHANGE_TYPES(ROW)};
const struct ike_names ike_names_exchange = {"exchange type", exchange_rows, COUNT(exchange_rows)};

/* Security protocol identifiers (RFC 7296 §3.3.1; 4 FC_ESP_HEADER, 5 FC_CT_AUTHENTICATION RFC 4595). */
#define IKE_PROTOCOL_IDS(X)                  \
	X(1, "IKE", "IKE")                   \
	X(2, "AH", "AH")                     \
	X(3, "ESP", "ESP")                   \
	X(4, "FC_ESP_HEADER", "FC_ESP")      \
	X(5, "FC_CT_AUTHENTICATION", "FC_CT")

static const struct ike_name protocol_rows[] = {IKE_PROTOCOL_IDS(ROW)};
const struct ike_names ike_names_protocol = {"protocol", protocol_rows, COUNT(protocol_rows)};
