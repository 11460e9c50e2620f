/*
 * nonce.c — Nonce payload (40), RFC 7296 §3.9.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                            Nonce Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The data is 16 to 256 bytes. charon's verify() rejects other sizes, so a
 * nonce outside them is an anomaly, but it is still decoded and shown.
 */
#include "dissector.h"

#define NONCE_MIN 16
#define NONCE_MAX 256

static enum ike_err nonce_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	size_t off = body->off;
	pl->u.nonce.data = ike_rd_rest(body);
	size_t n = pl->u.nonce.data.len;
	if (n < NONCE_MIN || n > NONCE_MAX)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off, "No: %zu bytes of nonce, %d to %d expected", n,
				 NONCE_MIN, NONCE_MAX);
	return body->err;
}

static void nonce_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_emit_u(e, "data_length", pl->u.nonce.data.len);
	ike_emit_hex(e, "data", pl->u.nonce.data.p, pl->u.nonce.data.len);
}

const struct ike_dissector ike_dis_nonce = {
	.type = 40,
	.name = "Nonce",
	.abbrev = "No",
	.min_len = 0,
	.max_len = 0,
	.decode = nonce_decode,
	.describe = nonce_describe,
};
