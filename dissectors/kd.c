/*
 * kd.c — Key Download payload KD (52), G-IKEv2 (RFC 9838).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                          Key Packets                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Only the generic header is decoded: the key packet and key bag layout
 * (TEK/KEK/GM key packets with their attributes) differs between GDOI
 * (RFC 6407) and the G-IKEv2 drafts, and charon implements neither, so the
 * body is kept as opaque bytes rather than decoded from a guessed layout.
 * It only ever travels encrypted, inside SK.
 */
#include "dissector.h"

static enum ike_err kd_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	(void)ctx;
	pl->u.raw.data = ike_rd_rest(body);
	return body->err;
}

static void kd_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_emit_u(e, "data_length", pl->u.raw.data.len);
	ike_emit_hex(e, "data", pl->u.raw.data.p, pl->u.raw.data.len);
}

const struct ike_dissector ike_dis_kd = {
	.type = 52,
	.name = "Key Download",
	.abbrev = "KD",
	.min_len = 0,
	.max_len = 0,
	.decode = kd_decode,
	.describe = kd_describe,
};
