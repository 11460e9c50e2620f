/*
 * gspm.c — Generic Secure Password Methods payload GSPM (49), RFC 6467 §3.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                             Data                              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 6467 defines the whole body as data of the password method chosen by
 * the SECURE_PASSWORD_METHODS notify (PACE, AugPAKE, ...); its layout belongs
 * to that method's RFC, which the payload does not name, so it stays opaque.
 */
#include "dissector.h"

static enum ike_err gspm_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	(void)ctx;
	pl->u.raw.data = ike_rd_rest(body);
	return body->err;
}

static void gspm_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_emit_u(e, "data_length", pl->u.raw.data.len);
	ike_emit_hex(e, "data", pl->u.raw.data.p, pl->u.raw.data.len);
}

const struct ike_dissector ike_dis_gspm = {
	.type = 49,
	.name = "Generic Secure Password Method",
	.abbrev = "GSPM",
	.min_len = 0,
	.max_len = 0,
	.decode = gspm_decode,
	.describe = gspm_describe,
};
