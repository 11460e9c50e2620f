/*
 * cp.c — Configuration payload CP (47), RFC 7296 §3.15.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C| RESERVED    |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   CFG Type    |                    RESERVED                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                   Configuration Attributes                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Each attribute (§3.15.1):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|         Attribute Type      |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                             Value                             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Address attributes are shown as text (IPv6 ones with their prefix length),
 * others as hex. A value is empty in a request; any other size that does not
 * fit the attribute is an anomaly and stays hex.
 */
#include <stdio.h>

#include "dissector.h"

enum cp_form { CP_HEX, CP_IP4, CP_IP4_SUBNET, CP_IP6, CP_IP6_PREFIX };

static enum cp_form cp_form_of(uint16_t type)
{
	switch (type) {
	case 1: case 2: case 3: case 4: case 6: /* INTERNAL_IP4_ADDRESS, _NETMASK, _DNS, _NBNS, _DHCP */
	case 20:                                /* P_CSCF_IP4_ADDRESS */
	case 23456:                             /* INTERNAL_IP4_SERVER */
		return CP_IP4;
	case 13: /* INTERNAL_IP4_SUBNET: address and netmask */
		return CP_IP4_SUBNET;
	case 10: case 11: case 12: /* INTERNAL_IP6_DNS, _NBNS, _DHCP */
	case 21:                   /* P_CSCF_IP6_ADDRESS */
	case 23457:                /* INTERNAL_IP6_SERVER */
		return CP_IP6;
	case 8: case 15: case 18: /* INTERNAL_IP6_ADDRESS, _SUBNET, _PREFIX: address and prefix length */
		return CP_IP6_PREFIX;
	default:
		return CP_HEX;
	}
}

static size_t cp_form_len(enum cp_form f)
{
	switch (f) {
	case CP_IP4: return 4;
	case CP_IP4_SUBNET: return 8;
	case CP_IP6: return 16;
	case CP_IP6_PREFIX: return 17;
	default: return 0;
	}
}

static enum ike_err cp_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_cp *cp = &pl->u.cp;
	size_t at = body->off;
	cp->cfg_type = ike_rd_u8(body);
	uint32_t reserved = ike_rd_be24(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (!ike_names_find(&ike_names_cp_type, cp->cfg_type))
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, at, "CP: unknown CFG type %u", cp->cfg_type);
	if (reserved)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, at + 1, "CP: reserved bytes 0x%06x", reserved);

	size_t cap = body->left / 4; /* every attribute has a 4-byte header */
	if (cap > IKE_MAX_ITEMS)
		cap = IKE_MAX_ITEMS;
	if (cap) {
		cp->attrs = ike_arena_array(ctx->arena, cap, sizeof(*cp->attrs));
		if (!cp->attrs)
			return IKE_E_NOMEM;
	}
	while (body->left) {
		size_t a_off = body->off;
		if (body->left < 4) {
			ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, a_off, "CP: %zu bytes, not an attribute header",
					 body->left);
			ike_rd_skip(body, body->left);
			break;
		}
		if (cp->n == cap) {
			ike_dctx_anomaly(ctx, IKE_AN_LIMIT, a_off, "CP: more than %zu attributes", cap);
			ike_rd_skip(body, body->left);
			break;
		}
		uint16_t t = ike_rd_be16(body);
		uint16_t len = ike_rd_be16(body);
		if (t & 0x8000)
			ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, a_off, "CP: attribute reserved bit set");
		if (len > body->left) {
			ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, a_off + 2,
					 "CP: attribute length %u exceeds the %zu bytes left", len, body->left);
			ike_rd_skip(body, body->left);
			break;
		}
		struct ike_cp_attr *a = &cp->attrs[cp->n++];
		a->type = t & 0x7fff;
		a->value = ike_rd_bytes(body, len);
		size_t want = cp_form_len(cp_form_of(a->type));
		if (want && len && len != want)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, a_off + 2, "CP: attribute %u is %u bytes, %zu expected",
					 a->type, len, want);
	}
	return body->err;
}

/* Value as text: addresses for the address attributes, hex otherwise. */
static void cp_value(const struct ike_cp_attr *a, const struct ike_emit *e)
{
	enum cp_form f = cp_form_of(a->type);
	if (a->value.len == 0 || a->value.len != cp_form_len(f)) {
		ike_emit_hex(e, "value", a->value.p, a->value.len);
		return;
	}
	struct ike_rd r = ike_rd_span(a->value, 0);
	struct ike_addr x = {.family = f == CP_IP4 || f == CP_IP4_SUBNET ? 4 : 6};
	char s[64], m[64], out[140];
	ike_rd_copy(&r, x.a, x.family == 4 ? 4 : 16);
	ike_addr_str(&x, s, sizeof(s));
	if (f == CP_IP4_SUBNET) {
		struct ike_addr mask = {.family = 4};
		ike_rd_copy(&r, mask.a, 4);
		snprintf(out, sizeof(out), "%s/%s", s, ike_addr_str(&mask, m, sizeof(m)));
	} else if (f == CP_IP6_PREFIX) {
		snprintf(out, sizeof(out), "%s/%u", s, ike_rd_u8(&r));
	} else {
		snprintf(out, sizeof(out), "%s", s);
	}
	ike_emit_s(e, "value", out);
}

static void cp_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_cp *cp = &pl->u.cp;
	ike_emit_s(e, "cfg_type", ike_name_long(&ike_names_cp_type, cp->cfg_type));
	ike_emit_u(e, "cfg_type_id", cp->cfg_type);
	ike_emit_list(e, "attributes");
	for (uint16_t i = 0; i < cp->n; i++) {
		const struct ike_cp_attr *a = &cp->attrs[i];
		char num[16];
		const char *sh = ike_name_short(&ike_names_cp_attr, a->type);
		if (!sh) {
			snprintf(num, sizeof(num), "(%u)", a->type);
			sh = num;
		}
		ike_emit_open(e, NULL);
		ike_emit_s(e, "type", ike_name_long(&ike_names_cp_attr, a->type));
		ike_emit_u(e, "type_id", a->type);
		ike_emit_s(e, "short", sh);
		ike_emit_u(e, "length", a->value.len);
		cp_value(a, e);
		ike_emit_close(e);
	}
	ike_emit_list_end(e);
}

const struct ike_dissector ike_dis_cp = {
	.type = 47,
	.name = "Configuration",
	.abbrev = "CP",
	.min_len = 4,
	.max_len = 0,
	.decode = cp_decode,
	.describe = cp_describe,
};
