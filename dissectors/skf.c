/*
 * skf.c — Encrypted and Authenticated Fragment SKF (53), RFC 7383 §2.5.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Fragment Number        |        Total Fragments        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Initialization Vector                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                      Encrypted content                        ~
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |             Padding (0-255 octets)            |
 * +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
 * |                                               |  Pad Length   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                    Integrity checksum data                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Fragments are numbered from 1; only fragment 1 names the first inner
 * payload, the others carry Next Payload 0. The numbers go to the message
 * (frag_num, frag_total) for reassembly, which bounds how many it keeps;
 * a large total is not itself an error. IV/ciphertext/ICV as for SK.
 */
#include "sk_layout.h"

static enum ike_err skf_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_sk *sk = &pl->u.sk;
	size_t at = body->off;
	sk->frag_num = ike_rd_be16(body);
	sk->frag_total = ike_rd_be16(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (sk->frag_num == 0 || sk->frag_total == 0 || sk->frag_num > sk->frag_total)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, at, "EF: fragment %u of %u", sk->frag_num, sk->frag_total);
	if (sk->frag_num != 1 && pl->next != 0)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, pl->offset, "EF: fragment %u names next payload %u, 0 expected",
				 sk->frag_num, pl->next);
	if (ctx->depth > 0)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, pl->offset, "EF: an Encrypted Fragment inside an Encrypted payload");
	else {
		ctx->msg->frag_num = sk->frag_num;
		ctx->msg->frag_total = sk->frag_total;
	}
	ike_sk_split(ctx, body, sk, "EF");
	return body->err;
}

static void skf_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_emit_u(e, "fragment_number", pl->u.sk.frag_num);
	ike_emit_u(e, "fragment_total", pl->u.sk.frag_total);
	ike_sk_describe(&pl->u.sk, e);
}

const struct ike_dissector ike_dis_skf = {
	.type = 53,
	.name = "Encrypted and Authenticated Fragment",
	.abbrev = "EF",
	.min_len = 4,
	.max_len = 0,
	.decode = skf_decode,
	.describe = skf_describe,
};
