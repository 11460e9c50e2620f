/*
 * der.h — the little DER the ID, CERT and AUTH payloads need: one TLV at a
 * time over struct ike_rd (definite lengths of up to 4 bytes, low tag
 * numbers), distinguished names printed the way charon prints them, the
 * issuer and subject of an X.509 certificate, and the names of the RFC 7427
 * signature algorithms. Nothing here allocates; every loop consumes input.
 */
#ifndef IKESCOPE_DER_H
#define IKESCOPE_DER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/rd.h"

#define IKE_DER_SEQUENCE 0x30
#define IKE_DER_SET 0x31
#define IKE_DER_OID 0x06

/* Reads one TLV from r: its tag and a reader over exactly its content.
 * false (and r's error set) when the TLV is impossible or cut short. */
bool ike_der_tlv(struct ike_rd *r, uint8_t *tag, struct ike_rd *content);

/* Writes a DER Name as charon's %Y does: "C=CH, O=strongSwan, CN=peer",
 * unknown attribute types as hex "55:04:15", non-printable bytes as '?',
 * "(invalid ID_DER_ASN1_DN)" after what could be read. Returns true when the
 * whole input was one well-formed Name. buf always ends in NUL. */
bool ike_der_dn_str(struct ike_span dn, char *buf, size_t cap);

/* Dotted text of an OID's content bytes ("1.2.840.113549.1.1.11");
 * false (and "" in buf) when the encoding is broken. */
bool ike_der_oid_str(struct ike_span oid, char *buf, size_t cap);

/* Issuer and subject Names (whole TLVs) of a DER X.509 certificate. */
bool ike_der_cert_names(struct ike_span cert, struct ike_span *issuer, struct ike_span *subject);

/* Name of the signature algorithm in a DER AlgorithmIdentifier
 * ("sha256WithRSAEncryption", "RSASSA-PSS (sha256)", "Ed25519"), NULL when
 * unknown; *oid gets the OID's content bytes. false when the AlgorithmIdentifier
 * is not well-formed DER. */
bool ike_der_sig_alg(struct ike_span alg_id, const char **name, struct ike_span *oid);

#endif
