/*
 * ke.c — Key Exchange payload (34), RFC 7296 §3.4.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Diffie-Hellman Group Num    |           RESERVED            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Key Exchange Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * For the groups whose public value has one size (MODP: the prime's length,
 * RFC 7296 §3.4; ECP: x || y, RFC 5903 §7; Curve25519/448: RFC 8031 §3.3;
 * GOST: RFC 9385; ML-KEM: encapsulation key from the initiator, ciphertext
 * from the responder) a data length that differs is an anomaly: charon
 * rejects such a KE payload, so the peer's failure is explained here.
 */
#include <stdio.h>

#include "dissector.h"

struct ke_size {
	uint16_t group;
	uint16_t len, alt_len; /* alt_len: the other direction's size, 0 if the same */
};

static const struct ke_size ke_sizes[] = {
	{1, 96, 0},	{2, 128, 0},   {5, 192, 0},    {14, 256, 0},   {15, 384, 0},	 {16, 512, 0},
	{17, 768, 0},	{18, 1024, 0}, {19, 64, 0},    {20, 96, 0},    {21, 132, 0},	 {22, 128, 0},
	{23, 256, 0},	{24, 256, 0},  {25, 48, 0},    {26, 56, 0},    {27, 56, 0},	 {28, 64, 0},
	{29, 96, 0},	{30, 128, 0},  {31, 32, 0},    {32, 56, 0},    {33, 64, 0},	 {34, 128, 0},
	{35, 800, 768}, {36, 1184, 1088}, {37, 1568, 0},
};

static const struct ke_size *ke_size_for(uint16_t group)
{
	for (size_t i = 0; i < sizeof(ke_sizes) / sizeof(ke_sizes[0]); i++)
		if (ke_sizes[i].group == group)
			return &ke_sizes[i];
	return NULL;
}

static enum ike_err ke_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_ke *ke = &pl->u.ke;
	size_t off = body->off;
	ke->group = ike_rd_be16(body);
	uint16_t reserved = ike_rd_be16(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (reserved)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, off + 2, "KE: reserved field 0x%04x", reserved);
	ke->data = ike_rd_rest(body);
	const struct ke_size *want = ke_size_for(ke->group);
	if (want && ke->data.len != want->len && (!want->alt_len || ke->data.len != want->alt_len)) {
		const char *name = ike_name_long(&ike_names_ke, ke->group);
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "KE: %zu bytes of %s data, %u expected",
				 ke->data.len, name ? name : "?", want->len);
	}
	return body->err;
}

static void ke_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_ke *ke = &pl->u.ke;
	char unknown[16];
	const char *name = ike_name_long(&ike_names_ke, ke->group);
	if (!name) {
		snprintf(unknown, sizeof(unknown), "(%u)", ke->group);
		name = unknown;
	}
	ike_emit_s(e, "group", name);
	ike_emit_u(e, "group_id", ke->group);
	ike_emit_u(e, "data_length", ke->data.len);
	ike_emit_hex(e, "data", ke->data.p, ke->data.len);
}

const struct ike_dissector ike_dis_ke = {
	.type = 34,
	.name = "Key Exchange",
	.abbrev = "KE",
	.min_len = 4,
	.max_len = 0,
	.decode = ke_decode,
	.describe = ke_describe,
};
