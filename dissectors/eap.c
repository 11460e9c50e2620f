/*
 * eap.c — Extensible Authentication payload (48), RFC 7296 §3.16, carrying
 * one EAP packet (RFC 3748 §4; expanded types §5.7).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      | Identifier    |           Length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      | Type_Data...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Expanded type (254): Vendor-Id (3 octets), Vendor-Type (4 octets), data.
 *
 * Request (1) and Response (2) carry a Type; Success (3) and Failure (4) are
 * the 4-byte header alone. The EAP Length must equal the payload body: a
 * longer one is cut to the body, a shorter one leaves bytes that are
 * reported here and skipped.
 */
#include <stdio.h>

#include "dissector.h"

#define EAP_REQUEST 1
#define EAP_RESPONSE 2
#define EAP_IDENTITY 1
#define EAP_EXPANDED 254

static enum ike_err eap_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_eap *p = &pl->u.eap;
	size_t at = body->off;
	p->code = ike_rd_u8(body);
	p->identifier = ike_rd_u8(body);
	p->length = ike_rd_be16(body);
	if (!ike_rd_ok(body))
		return body->err;
	size_t have = body->left + 4, use = p->length;
	if (p->length < 4) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, at + 2, "EAP: length %u is below the 4-byte header",
				 p->length);
		use = have;
	} else if (p->length > have) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, at + 2, "EAP: length %u but the payload holds %zu",
				 p->length, have);
		use = have;
	} else if (p->length < have) {
		ike_dctx_anomaly(ctx, IKE_AN_TRAILING_BYTES, at + p->length,
				 "EAP: length %u but the payload holds %zu", p->length, have);
	}
	struct ike_rd r = ike_rd_sub(body, use - 4);
	ike_rd_skip(body, body->left);

	switch (p->code) {
	case EAP_REQUEST:
	case EAP_RESPONSE:
		if (r.left == 0) {
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, r.off, "EAP: %s without a type",
					 p->code == EAP_REQUEST ? "request" : "response");
			break;
		}
		p->type = ike_rd_u8(&r);
		if (p->type == 0)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, r.off - 1, "EAP: type 0");
		if (p->type == EAP_EXPANDED) {
			if (r.left < 7) {
				ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, r.off, "EAP: expanded type with %zu bytes, 7 needed",
						 r.left);
				break;
			}
			p->vendor_id = ike_rd_be24(&r);
			p->vendor_type = ike_rd_be32(&r);
		}
		break;
	case 3:
	case 4:
		if (r.left)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, r.off, "EAP: %s carries %zu bytes",
					 p->code == 3 ? "success" : "failure", r.left);
		break;
	default:
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, at, "EAP: unknown code %u", p->code);
		break;
	}
	p->data = ike_rd_rest(&r);
	return IKE_OK;
}

static void eap_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_eap *p = &pl->u.eap;
	ike_emit_s(e, "code", ike_name_long(&ike_names_eap_code, p->code));
	ike_emit_u(e, "code_id", p->code);
	ike_emit_u(e, "identifier", p->identifier);
	ike_emit_u(e, "eap_length", p->length);
	if (p->code == EAP_REQUEST || p->code == EAP_RESPONSE) {
		ike_emit_s(e, "eap_type", ike_name_long(&ike_names_eap_type, p->type));
		ike_emit_u(e, "eap_type_id", p->type);
	}
	if (p->type == EAP_EXPANDED) {
		ike_emit_u(e, "vendor_id", p->vendor_id);
		ike_emit_u(e, "vendor_type", p->vendor_type);
	}
	ike_emit_hex(e, "data", p->data.p, p->data.len);
	if (p->code == EAP_RESPONSE && p->type == EAP_IDENTITY) {
		/* Printable ASCII; anything else shows as '?', the hex above has the bytes. */
		char id[256];
		size_t i = 0;
		struct ike_rd r = ike_rd_span(p->data, 0);
		while (r.left && i < sizeof(id) - 1) {
			uint8_t c = ike_rd_u8(&r);
			id[i++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		id[i] = '\0';
		ike_emit_s(e, "identity", id);
	}
}

const struct ike_dissector ike_dis_eap = {
	.type = 48,
	.name = "Extensible Authentication",
	.abbrev = "EAP",
	.min_len = 4,
	.max_len = 0,
	.decode = eap_decode,
	.describe = eap_describe,
};
