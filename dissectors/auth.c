/*
 * auth.c — Authentication payload (39), RFC 7296 §3.8.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Auth Method   |                RESERVED                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Authentication Data                      ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Digital Signature (method 14, RFC 7427 §3) authentication data:
 * | ASN.1 Length  | AlgorithmIdentifier ASN.1 object (DER)  ~ Signature ~
 *
 * The algorithm is named from its OID. An ASN.1 length past the data is a
 * malformed inner length (an error, as for any other); an AlgorithmIdentifier
 * that is not DER, or ECDSA signatures (methods 9-11, RFC 4754 §7: r || s)
 * of the wrong size, are anomalies on a decoded payload.
 */
#include "der.h"
#include "dissector.h"

#define AUTH_ECDSA_256 9
#define AUTH_ECDSA_384 10
#define AUTH_ECDSA_521 11
#define AUTH_DS 14
#define OID_TEXT_MAX 128

static enum ike_err auth_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_auth *a = &pl->u.auth;
	size_t off = body->off;
	a->method = ike_rd_u8(body);
	uint32_t reserved = ike_rd_be24(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (reserved)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, off + 1, "AUTH: reserved field 0x%06x", reserved);
	a->data = ike_rd_rest(body);

	size_t sig_len = 0;
	switch (a->method) {
	case AUTH_ECDSA_256: sig_len = 64; break;
	case AUTH_ECDSA_384: sig_len = 96; break;
	case AUTH_ECDSA_521: sig_len = 132; break;
	default: break;
	}
	if (sig_len && a->data.len != sig_len)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "AUTH: %zu bytes of ECDSA signature, %zu expected",
				 a->data.len, sig_len);
	if (a->method != AUTH_DS)
		return IKE_OK;

	struct ike_rd r = ike_rd_span(a->data, off + 4);
	if (!r.left) {
		ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, r.off, "AUTH: digital signature without ASN.1 length");
		return IKE_E_TRUNC;
	}
	uint8_t alg_len = ike_rd_u8(&r);
	if (alg_len > r.left) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, off + 4,
				 "AUTH: ASN.1 length %u exceeds the %zu bytes left", alg_len, r.left);
		return IKE_E_MALFORMED;
	}
	a->sig_alg_id = ike_rd_bytes(&r, alg_len);
	a->signature = ike_rd_rest(&r);
	struct ike_span oid;
	if (!ike_der_sig_alg(a->sig_alg_id, &a->sig_alg, &oid))
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 5, "AUTH: signature AlgorithmIdentifier is not DER");
	if (!a->signature.len)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, r.off, "AUTH: digital signature without signature");
	return IKE_OK;
}

static void auth_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_auth *a = &pl->u.auth;
	ike_emit_s(e, "method", ike_name_long(&ike_names_auth, a->method));
	ike_emit_u(e, "method_id", a->method);
	ike_emit_hex(e, "data", a->data.p, a->data.len);
	if (a->method != AUTH_DS)
		return;
	const char *name;
	struct ike_span oid;
	char dotted[OID_TEXT_MAX];
	bool ok = ike_der_sig_alg(a->sig_alg_id, &name, &oid) && ike_der_oid_str(oid, dotted, sizeof(dotted));
	ike_emit_s(e, "signature_algorithm", name);
	ike_emit_s(e, "signature_algorithm_oid", ok ? dotted : NULL);
	ike_emit_u(e, "signature_length", a->signature.len);
}

const struct ike_dissector ike_dis_auth = {
	.type = 39,
	.name = "Authentication",
	.abbrev = "AUTH",
	.min_len = 4,
	.max_len = 0,
	.decode = auth_decode,
	.describe = auth_describe,
};
