/*
 * idg.c — Group Identification payload IDg (50), G-IKEv2 (RFC 9838).
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ID Type     |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Identification Data                         ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * IDg names the group a member wants to join with the ID payload's layout
 * and ID types, so it is decoded and described by id.c, reached through the
 * IDi descriptor: the checks and the identity text (charon's %Y form) cannot
 * drift apart between ID and IDg. Anomalies name "IDg" (the walker points
 * the payload at this descriptor).
 */
#include "dissector.h"

static enum ike_err idg_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	return ike_dis_idi.decode(ctx, body, pl);
}

static void idg_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_dis_idi.describe(pl, e);
}

const struct ike_dissector ike_dis_idg = {
	.type = 50,
	.name = "Group Identification",
	.abbrev = "IDg",
	.min_len = 4,
	.max_len = 0,
	.decode = idg_decode,
	.describe = idg_describe,
};
