/*
 * names_notify.c — IKEv2 Notify Message Types (IANA "IKEv2 Notify Message
 * Error Types" and "Status Types", RFC 7296 §3.10.1 and later RFCs).
 *
 * Long and short names are exactly what strongSwan 5.9.8 prints with
 * notify_type_names / notify_type_short_names (including its spellings
 * "SECURE PASSWORD_METHOD" and "FRAGMENTATION_SUPPORTED", and its private and
 * IKEv1 values), so log lines and our output compare byte for byte. Types
 * charon 5.9.8 does not name carry the IANA name as both long and short;
 * ike_notify_charon_knows() tells them apart, because charon prints such a
 * type as N((16438)) in its summary.
 */
#include <stdbool.h>

#include "ikescope/names.h"

/* X(id, long name, short name, named by charon 5.9.8) — sorted by id. */
#define IKE_NOTIFY_TYPES(X)                                                          \
	X(1, "UNSUPPORTED_CRITICAL_PAYLOAD", "CRIT", true)                           \
	X(4, "INVALID_IKE_SPI", "INVAL_IKE_SPI", true)                               \
	X(5, "INVALID_MAJOR_VERSION", "INVAL_MAJOR", true)                           \
	X(7, "INVALID_SYNTAX", "INVAL_SYN", true)                                    \
	X(9, "INVALID_MESSAGE_ID", "INVAL_MID", true)                                \
	X(11, "INVALID_SPI", "INVAL_SPI", true)                                      \
	X(13, "ATTRIBUTES_NOT_SUPPORTED", "ATTR_UNSUP", true)                        \
	X(14, "NO_PROPOSAL_CHOSEN", "NO_PROP", true)                                 \
	X(16, "PAYLOAD_MALFORMED", "PLD_MAL", true)                                  \
	X(17, "INVALID_KE_PAYLOAD", "INVAL_KE", true)                                \
	X(18, "INVALID_ID_INFORMATION", "INVAL_ID", true)                            \
	X(19, "INVALID_CERT_ENCODING", "INVAL_CERTEN", true)                         \
	X(20, "INVALID_CERTIFICATE", "INVAL_CERT", true)                             \
	X(21, "CERT_TYPE_UNSUPPORTED", "CERT_UNSUP", true)                           \
	X(22, "INVALID_CERT_AUTHORITY", "INVAL_CA", true)                            \
	X(23, "INVALID_HASH_INFORMATION", "INVAL_HASH", true)                        \
	X(24, "AUTHENTICATION_FAILED", "AUTH_FAILED", true)                          \
	X(34, "SINGLE_PAIR_REQUIRED", "SINGLE_PAIR", true)                           \
	X(35, "NO_ADDITIONAL_SAS", "NO_ADD_SAS", true)                               \
	X(36, "INTERNAL_ADDRESS_FAILURE", "INT_ADDR_FAIL", true)                     \
	X(37, "FAILED_CP_REQUIRED", "FAIL_CP_REQ", true)                             \
	X(38, "TS_UNACCEPTABLE", "TS_UNACCEPT", true)                                \
	X(39, "INVALID_SELECTORS", "INVAL_SEL", true)                                \
	X(40, "UNACCEPTABLE_ADDRESSES", "UNACCEPT_ADDR", true)                       \
	X(41, "UNEXPECTED_NAT_DETECTED", "UNEXPECT_NAT", true)                       \
	X(42, "USE_ASSIGNED_HoA", "ASSIGNED_HoA", true)                              \
	X(43, "TEMPORARY_FAILURE", "TEMP_FAIL", true)                                \
	X(44, "CHILD_SA_NOT_FOUND", "NO_CHILD_SA", true)                             \
	X(45, "INVALID_GROUP_ID", "INVALID_GROUP_ID", false)                         \
	X(46, "AUTHORIZATION_FAILED", "AUTHORIZATION_FAILED", false)                 \
	X(47, "STATE_NOT_FOUND", "STATE_NOT_FOUND", false)                           \
	X(48, "TS_MAX_QUEUE", "TS_MAX_QUEUE", false)                                 \
	X(49, "REGISTRATION_FAILED", "REGISTRATION_FAILED", false)                   \
	X(8192, "ME_CONNECT_FAILED", "ME_CONN_FAIL", true)                           \
	X(12345, "MS_NOTIFY_STATUS", "MS_STATUS", true)                              \
	X(16384, "INITIAL_CONTACT", "INIT_CONTACT", true)                            \
	X(16385, "SET_WINDOW_SIZE", "SET_WINSIZE", true)                             \
	X(16386, "ADDITIONAL_TS_POSSIBLE", "ADD_TS_POSS", true)                      \
	X(16387, "IPCOMP_SUPPORTED", "IPCOMP_SUP", true)                             \
	X(16388, "NAT_DETECTION_SOURCE_IP", "NATD_S_IP", true)                       \
	X(16389, "NAT_DETECTION_DESTINATION_IP", "NATD_D_IP", true)                  \
	X(16390, "COOKIE", "COOKIE", true)                                           \
	X(16391, "USE_TRANSPORT_MODE", "USE_TRANSP", true)                           \
	X(16392, "HTTP_CERT_LOOKUP_SUPPORTED", "HTTP_CERT_LOOK", true)               \
	X(16393, "REKEY_SA", "REKEY_SA", true)                                       \
	X(16394, "ESP_TFC_PADDING_NOT_SUPPORTED", "ESP_TFC_PAD_N", true)             \
	X(16395, "NON_FIRST_FRAGMENTS_ALSO", "NON_FIRST_FRAG", true)                 \
	X(16396, "MOBIKE_SUPPORTED", "MOBIKE_SUP", true)                             \
	X(16397, "ADDITIONAL_IP4_ADDRESS", "ADD_4_ADDR", true)                       \
	X(16398, "ADDITIONAL_IP6_ADDRESS", "ADD_6_ADDR", true)                       \
	X(16399, "NO_ADDITIONAL_ADDRESSES", "NO_ADD_ADDR", true)                     \
	X(16400, "UPDATE_SA_ADDRESSES", "UPD_SA_ADDR", true)                         \
	X(16401, "COOKIE2", "COOKIE2", true)                                         \
	X(16402, "NO_NATS_ALLOWED", "NO_NATS", true)                                 \
	X(16403, "AUTH_LIFETIME", "AUTH_LFT", true)                                  \
	X(16404, "MULTIPLE_AUTH_SUPPORTED", "MULT_AUTH", true)                       \
	X(16405, "ANOTHER_AUTH_FOLLOWS", "AUTH_FOLLOWS", true)                       \
	X(16406, "REDIRECT_SUPPORTED", "REDIR_SUP", true)                            \
	X(16407, "REDIRECT", "REDIR", true)                                          \
	X(16408, "REDIRECTED_FROM", "REDIR_FROM", true)                              \
	X(16409, "TICKET_LT_OPAQUE", "TKT_LT_OPAK", true)                            \
	X(16410, "TICKET_REQUEST", "TKT_REQ", true)                                  \
	X(16411, "TICKET_ACK", "TKT_ACK", true)                                      \
	X(16412, "TICKET_NACK", "TKT_NACK", true)                                    \
	X(16413, "TICKET_OPAQUE", "TKT_OPAK", true)                                  \
	X(16414, "LINK_ID", "LINK_ID", true)                                         \
	X(16415, "USE_WESP_MODE", "WESP_MODE", true)                                 \
	X(16416, "ROHC_SUPPORTED", "ROHC_SUP", true)                                 \
	X(16417, "EAP_ONLY_AUTHENTICATION", "EAP_ONLY", true)                        \
	X(16418, "CHILDLESS_IKEV2_SUPPORTED", "CHDLESS_SUP", true)                   \
	X(16419, "QUICK_CRASH_DETECTION", "CRASH_DET", true)                         \
	X(16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED", "MSG_ID_SYN_SUP", true)          \
	X(16421, "IKEV2_REPLAY_COUNTER_SYNC_SUPPORTED", "RPL_CTR_SYN_SUP", true)     \
	X(16422, "IKEV2_MESSAGE_ID_SYNC", "MSG_ID_SYN", true)                        \
	X(16423, "IPSEC_REPLAY_COUNTER_SYNC", "RPL_CTR_SYN", true)                   \
	X(16424, "SECURE PASSWORD_METHOD", "SEC_PASSWD", true)                       \
	X(16425, "PSK_PERSIST", "PSK_PST", true)                                     \
	X(16426, "PSK_CONFIRM", "PSK_CFM", true)                                     \
	X(16427, "ERX_SUPPORTED", "ERX_SUP", true)                                   \
	X(16428, "IFOM_CAPABILITY", "IFOM_CAP", true)                                \
	X(16429, "SENDER_REQUEST_ID", "SENDER_REQ_ID", true)                         \
	X(16430, "FRAGMENTATION_SUPPORTED", "FRAG_SUP", true)                        \
	X(16431, "SIGNATURE_HASH_ALGORITHMS", "HASH_ALG", true)                      \
	X(16432, "CLONE_IKE_SA_SUPPORTED", "CLONE_IKE_SA_SUPPORTED", false)          \
	X(16433, "CLONE_IKE_SA", "CLONE_IKE_SA", false)                              \
	X(16434, "PUZZLE", "PUZZLE", false)                                          \
	X(16435, "USE_PPK", "USE_PPK", true)                                         \
	X(16436, "PPK_IDENTITY", "PPK_ID", true)                                     \
	X(16437, "NO_PPK_AUTH", "NO_PPK", true)                                      \
	X(16438, "INTERMEDIATE_EXCHANGE_SUPPORTED", "INTERMEDIATE_EXCHANGE_SUPPORTED", false) \
	X(16439, "IP4_ALLOWED", "IP4_ALLOWED", false)                                \
	X(16440, "IP6_ALLOWED", "IP6_ALLOWED", false)                                \
	X(16441, "ADDITIONAL_KEY_EXCHANGE", "ADDITIONAL_KEY_EXCHANGE", false)        \
	X(16442, "USE_AGGFRAG", "USE_AGGFRAG", false)                                \
	X(16443, "SUPPORTED_AUTH_METHODS", "SUPPORTED_AUTH_METHODS", false)          \
	X(16444, "SA_RESOURCE_INFO", "SA_RESOURCE_INFO", false)                      \
	X(16445, "USE_PPK_INT", "USE_PPK_INT", false)                                \
	X(16446, "PPK_IDENTITY_KEY", "PPK_IDENTITY_KEY", false)                      \
	X(16447, "IKE_SA_INIT_FULL_TRANSCRIPT_AUTH", "IKE_SA_INIT_FULL_TRANSCRIPT_AUTH", false) \
	X(24578, "INITIAL_CONTACT", "INITIAL_CONTACT", true) /* IKEv1 */             \
	X(36136, "DPD_R_U_THERE", "DPD", true)               /* IKEv1 */             \
	X(36137, "DPD_R_U_THERE_ACK", "DPD_ACK", true)       /* IKEv1 */             \
	X(40501, "UNITY_LOAD_BALANCE", "UNITY_LB", true)                             \
	X(40961, "USE_BEET_MODE", "BEET_MODE", true)                                 \
	X(40962, "ME_MEDIATION", "ME_MED", true)                                     \
	X(40963, "ME_ENDPOINT", "ME_EP", true)                                       \
	X(40964, "ME_CALLBACK", "ME_CB", true)                                       \
	X(40965, "ME_CONNECTID", "ME_CID", true)                                     \
	X(40966, "ME_CONNECTKEY", "ME_CKEY", true)                                   \
	X(40967, "ME_CONNECTAUTH", "ME_CAUTH", true)                                 \
	X(40968, "ME_RESPONSE", "ME_R", true)                                        \
	X(40969, "RADIUS_ATTRIBUTE", "RADIUS", true)

#define ROW(id, name, short_name, charon) {id, name, short_name},
#define KNOWN(id, name, short_name, charon) charon,

static const struct ike_name notify_rows[] = {IKE_NOTIFY_TYPES(ROW)};
static const bool notify_charon[] = {IKE_NOTIFY_TYPES(KNOWN)};

const struct ike_names ike_names_notify = {"notify", notify_rows, sizeof(notify_rows) / sizeof(notify_rows[0])};

bool ike_notify_charon_knows(uint16_t type)
{
	const struct ike_name *n = ike_names_find(&ike_names_notify, type);
	if (n == NULL)
		return false;
	return notify_charon[(size_t)(n - notify_rows)];
}
