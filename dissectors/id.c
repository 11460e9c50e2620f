/*
 * id.c — Identification payloads IDi (35) and IDr (36), RFC 7296 §3.5.
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
 * The identity is shown the way charon's %Y prints it, so it can be matched
 * against "IDir 'C=CH, O=strongSwan, CN=peer' does not match" and friends:
 * addresses as text, FQDN and RFC 822 names with '?' for non-printables,
 * DNs as "C=CH, O=…", key IDs as text when printable (and not 20 bytes) or
 * colon-separated hex, "%any" for type 0, "(ASN.1 general name)" and
 * "(unknown ID type: 13)" for the rest (5.9.8 names neither ID_FC_NAME nor
 * ID_NULL). Data that cannot be what its type says is an anomaly.
 */
#include <stdio.h>

#include "der.h"
#include "dissector.h"

#define ID_ANY 0
#define ID_IPV4_ADDR 1
#define ID_FQDN 2
#define ID_RFC822_ADDR 3
#define ID_IPV4_ADDR_SUBNET 4
#define ID_IPV6_ADDR 5
#define ID_IPV6_ADDR_SUBNET 6
#define ID_IPV4_ADDR_RANGE 7
#define ID_IPV6_ADDR_RANGE 8
#define ID_DER_ASN1_DN 9
#define ID_DER_ASN1_GN 10
#define ID_KEY_ID 11

#define ID_TEXT_MAX 512 /* charon's BUF_LEN */

static const char *addr_text(struct ike_rd *r, size_t n, char *buf, size_t cap)
{
	struct ike_addr a = {.family = n == 4 ? 4 : 6};
	ike_rd_copy(r, a.a, n);
	return ike_addr_str(&a, buf, cap);
}

/* Leading one bits of a netmask, as charon's netmask_to_cidr(). */
static int mask_bits(struct ike_rd *r, size_t n)
{
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = ike_rd_u8(r);
		for (int k = 7; k >= 0 && (b >> k & 1); k--)
			bits++;
		if (b != 0xff) {
			ike_rd_skip(r, n - i - 1);
			break;
		}
	}
	return bits;
}

static bool printable(struct ike_span s)
{
	struct ike_rd r = ike_rd_span(s, 0);
	while (r.left) {
		uint8_t c = ike_rd_u8(&r);
		if (c < 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

/* The bytes as charon's chunk_printable() shows them: '?' for non-printables. */
static void text_copy(struct ike_rd *r, char *buf, size_t cap)
{
	size_t n = 0;
	while (r->left && n + 1 < cap) {
		uint8_t c = ike_rd_u8(r);
		buf[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[n] = '\0';
}

static void id_text(uint8_t type, struct ike_span data, char *buf, size_t cap)
{
	struct ike_rd r = ike_rd_span(data, 0);
	size_t asz = type == ID_IPV4_ADDR || type == ID_IPV4_ADDR_SUBNET || type == ID_IPV4_ADDR_RANGE ? 4 : 16;
	char a[64], b[64];
	const char *name = ike_name_long(&ike_names_id_type, type);

	switch (type) {
	case ID_ANY:
		snprintf(buf, cap, "%%any");
		return;
	case ID_IPV4_ADDR:
	case ID_IPV6_ADDR:
		if (data.len < asz)
			snprintf(buf, cap, "(invalid %s)", name);
		else
			snprintf(buf, cap, "%s", addr_text(&r, asz, a, sizeof(a)));
		return;
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV6_ADDR_SUBNET:
	case ID_IPV4_ADDR_RANGE:
	case ID_IPV6_ADDR_RANGE:
		if (data.len < 2 * asz) {
			snprintf(buf, cap, "(invalid %s)", name);
		} else if (type == ID_IPV4_ADDR_SUBNET || type == ID_IPV6_ADDR_SUBNET) {
			addr_text(&r, asz, a, sizeof(a));
			snprintf(buf, cap, "%s/%d", a, mask_bits(&r, asz));
		} else {
			addr_text(&r, asz, a, sizeof(a));
			snprintf(buf, cap, "%s-%s", a, addr_text(&r, asz, b, sizeof(b)));
		}
		return;
	case ID_FQDN:
	case ID_RFC822_ADDR:
		text_copy(&r, buf, cap);
		return;
	case ID_DER_ASN1_DN:
		ike_der_dn_str(data, buf, cap);
		return;
	case ID_DER_ASN1_GN:
		snprintf(buf, cap, "(ASN.1 general name)");
		return;
	case ID_KEY_ID:
		if (printable(data) && data.len != 20) {
			text_copy(&r, buf, cap);
		} else {
			size_t n = 0;
			buf[0] = '\0';
			for (size_t i = 0; r.left && n + 4 < cap; i++)
				n += (size_t)snprintf(buf + n, cap - n, i ? ":%02x" : "%02x", ike_rd_u8(&r));
		}
		return;
	default:
		snprintf(buf, cap, "(unknown ID type: %d)", type);
		return;
	}
}

static enum ike_err id_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_id *id = &pl->u.id;
	size_t off = body->off;
	id->id_type = ike_rd_u8(body);
	uint32_t reserved = ike_rd_be24(body);
	if (!ike_rd_ok(body))
		return body->err;
	const char *abbrev = pl->dis ? pl->dis->abbrev : "ID";
	if (reserved)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, off + 1, "%s: reserved field 0x%06x", abbrev, reserved);
	id->data = ike_rd_rest(body);
	char dn[ID_TEXT_MAX];
	switch (id->id_type) {
	case ID_IPV4_ADDR:
	case ID_IPV6_ADDR: {
		size_t want = id->id_type == ID_IPV4_ADDR ? 4 : 16;
		if (id->data.len != want)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "%s: %zu bytes of address, %zu expected", abbrev,
					 id->data.len, want);
		break;
	}
	case ID_FQDN:
	case ID_RFC822_ADDR:
	case ID_KEY_ID:
		if (!id->data.len)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "%s: empty %s", abbrev,
					 ike_name_long(&ike_names_id_type, id->id_type));
		break;
	case ID_DER_ASN1_DN:
		if (!ike_der_dn_str(id->data, dn, sizeof(dn)))
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "%s: ID_DER_ASN1_DN is not a DER Name", abbrev);
		break;
	default:
		break;
	}
	return body->err;
}

static void id_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_id *id = &pl->u.id;
	char text[ID_TEXT_MAX];
	id_text(id->id_type, id->data, text, sizeof(text));
	ike_emit_s(e, "id_type", ike_name_long(&ike_names_id_type, id->id_type));
	ike_emit_u(e, "id_type_id", id->id_type);
	ike_emit_s(e, "id", text);
	ike_emit_hex(e, "data", id->data.p, id->data.len);
}

const struct ike_dissector ike_dis_idi = {
	.type = 35,
	.name = "Identification - Initiator",
	.abbrev = "IDi",
	.min_len = 4,
	.max_len = 0,
	.decode = id_decode,
	.describe = id_describe,
};

const struct ike_dissector ike_dis_idr = {
	.type = 36,
	.name = "Identification - Responder",
	.abbrev = "IDr",
	.min_len = 4,
	.max_len = 0,
	.decode = id_decode,
	.describe = id_describe,
};
