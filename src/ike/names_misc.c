/*
 * names_misc.c — the smaller registries: traffic selector types,
 * configuration payload types and attributes, EAP codes and EAP method types.
 *
 * Long and short names are exactly strongSwan 5.9.8's strings
 * (config_type_names, configuration_attribute_type_names and _short_names,
 * eap_code_names and _short_names, eap_type_names and _short_names; the CP
 * short forms are what its message.c prints after "CP"). The CP attribute and
 * EAP type tables hold only what charon names, because the summary prints a
 * short name where charon does and "(27)" where charon does not; the TS types,
 * which charon never abbreviates, carry the IANA names.
 */
#include "ikescope/names.h"

#define ROW(id, name, short_name) {id, name, short_name},
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* IKEv2 Traffic Selector Types (RFC 7296 §3.13.1, RFC 4595, RFC 9478). */
#define IKE_TS_TYPES(X)                                          \
	X(7, "TS_IPV4_ADDR_RANGE", "TS_IPV4_ADDR_RANGE")         \
	X(8, "TS_IPV6_ADDR_RANGE", "TS_IPV6_ADDR_RANGE")         \
	X(9, "TS_FC_ADDR_RANGE", "TS_FC_ADDR_RANGE")             \
	X(10, "TS_SECLABEL", "TS_SECLABEL")

static const struct ike_name ts_type_rows[] = {IKE_TS_TYPES(ROW)};
const struct ike_names ike_names_ts_type = {"traffic selector type", ts_type_rows, COUNT(ts_type_rows)};

/* IKEv2 Configuration Payload CFG Types (RFC 7296 §3.15). */
#define IKE_CP_TYPES(X)                        \
	X(1, "CFG_REQUEST", "CPRQ")            \
	X(2, "CFG_REPLY", "CPRP")              \
	X(3, "CFG_SET", "CPS")                 \
	X(4, "CFG_ACK", "CPA")

static const struct ike_name cp_type_rows[] = {IKE_CP_TYPES(ROW)};
const struct ike_names ike_names_cp_type = {"configuration type", cp_type_rows, COUNT(cp_type_rows)};

/*
 * IKEv2 Configuration Payload Attribute Types (RFC 7296 §3.15.1 and later) as
 * far as charon 5.9.8 names them, with the IKEv1 XAUTH, strongSwan server and
 * Cisco Unity values it also names.
 */
#define IKE_CP_ATTRS(X)                                                   \
	X(1, "INTERNAL_IP4_ADDRESS", "ADDR")                              \
	X(2, "INTERNAL_IP4_NETMASK", "MASK")                              \
	X(3, "INTERNAL_IP4_DNS", "DNS")                                   \
	X(4, "INTERNAL_IP4_NBNS", "NBNS")                                 \
	X(5, "INTERNAL_ADDRESS_EXPIRY", "EXP")                            \
	X(6, "INTERNAL_IP4_DHCP", "DHCP")                                 \
	X(7, "APPLICATION_VERSION", "VER")                                \
	X(8, "INTERNAL_IP6_ADDRESS", "ADDR6")                             \
	X(9, "INTERNAL_IP6_NETMASK", "MASK6")                             \
	X(10, "INTERNAL_IP6_DNS", "DNS6")                                 \
	X(11, "INTERNAL_IP6_NBNS", "NBNS6")                               \
	X(12, "INTERNAL_IP6_DHCP", "DHCP6")                               \
	X(13, "INTERNAL_IP4_SUBNET", "SUBNET")                            \
	X(14, "SUPPORTED_ATTRIBUTES", "SUP")                              \
	X(15, "INTERNAL_IP6_SUBNET", "SUBNET6")                           \
	X(16, "MIP6_HOME_PREFIX", "MIP6HPFX")                             \
	X(17, "INTERNAL_IP6_LINK", "LINK6")                               \
	X(18, "INTERNAL_IP6_PREFIX", "PFX6")                              \
	X(19, "HOME_AGENT_ADDRESS", "HOA")                                \
	X(20, "P_CSCF_IP4_ADDRESS", "PCSCF4")                             \
	X(21, "P_CSCF_IP6_ADDRESS", "PCSCF6")                             \
	X(22, "FTT_KAT", "FTTKAT")                                        \
	X(23, "EXT_SRC_IP4_NAT_INFO", "EXTSRC4")                          \
	X(24, "TIMEOUT_PERIOD_FOR_DPD", "DPD")                            \
	X(25, "INTERNAL_DNS_DOMAIN", "DOMAIN")                            \
	X(26, "INTERNAL_DNSSEC_TA", "TA")                                 \
	X(16520, "XAUTH_TYPE", "X_TYPE")                                  \
	X(16521, "XAUTH_USER_NAME", "X_USER")                             \
	X(16522, "XAUTH_USER_PASSWORD", "X_PWD")                          \
	X(16523, "XAUTH_PASSCODE", "X_CODE")                              \
	X(16524, "XAUTH_MESSAGE", "X_MSG")                                \
	X(16525, "XAUTH_CHALLENGE", "X_CHALL")                            \
	X(16526, "XAUTH_DOMAIN", "X_DOMAIN")                              \
	X(16527, "XAUTH_STATUS", "X_STATUS")                              \
	X(16528, "XAUTH_NEXT_PIN", "X_PIN")                               \
	X(16529, "XAUTH_ANSWER", "X_ANSWER")                              \
	X(23456, "INTERNAL_IP4_SERVER", "SRV")                            \
	X(23457, "INTERNAL_IP6_SERVER", "SRV6")                           \
	X(28672, "UNITY_BANNER", "U_BANNER")                              \
	X(28673, "UNITY_SAVE_PASSWD", "U_SAVEPWD")                        \
	X(28674, "UNITY_DEF_DOMAIN", "U_DEFDOM")                          \
	X(28675, "UNITY_SPLITDNS_NAME", "U_SPLITDNS")                     \
	X(28676, "UNITY_SPLIT_INCLUDE", "U_SPLITINC")                     \
	X(28677, "UNITY_NATT_PORT", "U_NATTPORT")                         \
	X(28678, "UNITY_LOCAL_LAN", "U_LOCALLAN")                         \
	X(28679, "UNITY_PFS", "U_PFS")                                    \
	X(28680, "UNITY_FW_TYPE", "U_FWTYPE")                             \
	X(28681, "UNITY_BACKUP_SERVERS", "U_BKPSRV")                      \
	X(28682, "UNITY_DDNS_HOSTNAME", "U_DDNSHOST")

static const struct ike_name cp_attr_rows[] = {IKE_CP_ATTRS(ROW)};
const struct ike_names ike_names_cp_attr = {"configuration attribute", cp_attr_rows, COUNT(cp_attr_rows)};

/* EAP codes (RFC 3748 §4). */
#define IKE_EAP_CODES(X)                       \
	X(1, "EAP_REQUEST", "REQ")             \
	X(2, "EAP_RESPONSE", "RES")            \
	X(3, "EAP_SUCCESS", "SUCC")            \
	X(4, "EAP_FAILURE", "FAIL")

static const struct ike_name eap_code_rows[] = {IKE_EAP_CODES(ROW)};
const struct ike_names ike_names_eap_code = {"EAP code", eap_code_rows, COUNT(eap_code_rows)};

/*
 * EAP method types charon names (IANA "Method Types"; 38 is EAP-TNC as charon
 * has it, IANA lists EAP-HTTP Digest). charon's internal 256/257 never appear
 * on the wire, where the type is one byte.
 */
#define IKE_EAP_TYPES(X)                                \
	X(1, "EAP_IDENTITY", "ID")                      \
	X(2, "EAP_NOTIFICATION", "NTF")                 \
	X(3, "EAP_NAK", "NAK")                          \
	X(4, "EAP_MD5", "MD5")                          \
	X(5, "EAP_OTP", "OTP")                          \
	X(6, "EAP_GTC", "GTC")                          \
	X(13, "EAP_TLS", "TLS")                         \
	X(18, "EAP_SIM", "SIM")                         \
	X(21, "EAP_TTLS", "TTLS")                       \
	X(23, "EAP_AKA", "AKA")                         \
	X(25, "EAP_PEAP", "PEAP")                       \
	X(26, "EAP_MSCHAPV2", "MSCHAPV2")               \
	X(33, "EAP_MSTLV", "MSTLV")                     \
	X(38, "EAP_TNC", "TNC")                         \
	X(54, "EAP_PT_EAP", "PT")                       \
	X(254, "EAP_EXPANDED", "EXP")                   \
	X(255, "EAP_EXPERIMENTAL", "XP")

static const struct ike_name eap_type_rows[] = {IKE_EAP_TYPES(ROW)};
const struct ike_names ike_names_eap_type = {"EAP type", eap_type_rows, COUNT(eap_type_rows)};
