/*
 * gsa.c — Group Security Association payload GSA (51), G-IKEv2 (RFC 9838).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Group Policies                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Only the generic header is decoded: the group policy substructures (GSA
 * TEK, KEK and group-wide policies) changed across the G-IKEv2 drafts and
 * charon neither sends nor parses them, so the body is kept as opaque bytes
 * rather than decoded from a layout we could not verify.
 */
#include "dissector.h"

static enum ike_err gsa_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	(void)ctx;
	pl->u.raw.data = ike_rd_rest(body);
	return body->err;
}

static void gsa_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_emit_u(e, "data_length", pl->u.raw.data.len);
	ike_emit_hex(e, "data", pl->u.raw.data.p, pl->u.raw.data.len);
}

const struct ike_dissector ike_dis_gsa = {
	.type = 51,
	.name = "Group Security Association",
	.abbrev = "GSA",
	.min_len = 0,
	.max_len = 0,
	.decode = gsa_decode,
	.describe = gsa_describe,
};
