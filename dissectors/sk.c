/*
 * sk.c — Encrypted and Authenticated payload SK (46), RFC 7296 §3.14.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * |         (length is block size for encryption algorithm)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Encrypted IKE Payloads                     ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity Checksum Data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Next Payload names the first inner payload. The walker keeps SK last; the
 * split into IV, ciphertext and ICV is sk_layout.c's. Decryption (a later
 * stage) fills u.sk.inner; until then it stays NULL and the payload is "E".
 */
#include "sk_layout.h"

static enum ike_err sk_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	if (ctx->depth > 0)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, pl->offset, "E: an Encrypted payload inside an Encrypted payload");
	ike_sk_split(ctx, body, &pl->u.sk, "E");
	return body->err;
}

static void sk_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_sk_describe(&pl->u.sk, e);
}

const struct ike_dissector ike_dis_sk = {
	.type = 46,
	.name = "Encrypted and Authenticated",
	.abbrev = "E",
	.min_len = 0,
	.max_len = 0,
	.decode = sk_decode,
	.describe = sk_describe,
};
