/*
 * names.h — IANA registries with the IANA (long) name and charon's short name
 * side by side, so the two never drift apart. Each registry is generated from
 * one X-macro list in src/ike/names_*.c; tables are sorted by id.
 */
#ifndef IKESCOPE_NAMES_H
#define IKESCOPE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_name {
	uint32_t id;
	const char *name;  /* IANA / charon long name: "NAT_DETECTION_SOURCE_IP" */
	const char *short_name; /* charon's abbreviation: "NATD_S_IP" (= name when charon has none) */
};

struct ike_names {
	const char *registry; /* "notify", for messages */
	const struct ike_name *v;
	size_t n;
};

/* NULL when id is not in the table. */
const struct ike_name *ike_names_find(const struct ike_names *t, uint32_t id);
/* Long / short name, or NULL. */
const char *ike_name_long(const struct ike_names *t, uint32_t id);
const char *ike_name_short(const struct ike_names *t, uint32_t id);

extern const struct ike_names ike_names_payload;   /* payload types: "SECURITY_ASSOCIATION" / "SA" */
extern const struct ike_names ike_names_exchange;  /* exchange types: "IKE_SA_INIT" */
extern const struct ike_names ike_names_protocol;  /* protocol ids: 1 IKE, 2 AH, 3 ESP */
extern const struct ike_names ike_names_notify;    /* notify message types: long IANA / charon short */
extern const struct ike_names ike_names_transform_type; /* 1 ENCR, 2 PRF, 3 INTEG, 4 KE, 5 ESN */
extern const struct ike_names ike_names_encr;      /* charon names: "AES_CBC" */
extern const struct ike_names ike_names_prf;       /* "PRF_HMAC_SHA1" */
extern const struct ike_names ike_names_integ;     /* "HMAC_SHA1_96" */
extern const struct ike_names ike_names_ke;        /* "MODP_2048" */
extern const struct ike_names ike_names_esn;       /* "NO_EXT_SEQ" */
extern const struct ike_names ike_names_id_type;   /* "ID_IPV4_ADDR" */
extern const struct ike_names ike_names_cert_enc;  /* "X509_CERT_SIG" */
extern const struct ike_names ike_names_auth;      /* "RSA_DIGITAL_SIGNATURE" */
extern const struct ike_names ike_names_ts_type;   /* "TS_IPV4_ADDR_RANGE" */
extern const struct ike_names ike_names_cp_type;   /* "CFG_REQUEST" / "CPRQ" */
extern const struct ike_names ike_names_cp_attr;   /* "INTERNAL_IP4_ADDRESS" / "ADDR" */
extern const struct ike_names ike_names_eap_code;  /* "REQUEST" / "REQ" */
extern const struct ike_names ike_names_eap_type;  /* "IDENTITY" / "ID" */

/* The ID registry of a transform type (ENCR, PRF, INTEG, KE, ESN; ADDKE uses KE), or NULL. */
const struct ike_names *ike_names_for_transform(uint8_t type);
/* Whether charon 5.9.8 names this transform ID (it prints "(36)" in a proposal otherwise). */
bool ike_transform_charon_knows(uint8_t type, uint16_t id);

/* Whether charon 5.9.8 names this notify type (it prints N((16438)) otherwise). */
bool ike_notify_charon_knows(uint16_t type);

#endif
