/*
 * ts.c — Traffic Selector payloads TSi (44) and TSr (45), RFC 7296 §3.13.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Number of TSs |                 RESERVED                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       <Traffic Selectors>                     ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Each selector (§3.13.1):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   TS Type     |IP Protocol ID*|       Selector Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Start Port*         |           End Port*           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                         Starting Address*                     ~
 * ~                         Ending Address*                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Types 7 (IPv4, length 16) and 8 (IPv6, length 40) are decoded; other types
 * (FC, security label) and 7/8 selectors of the wrong length keep their body
 * raw. The "text" member is charon's %R form (traffic_selector.c print hook):
 * a CIDR prefix when the range is one ("10.0.0.0/24", "0.0.0.0/0"), else
 * "from..to", then "[proto/port]" with protocol and service names from the
 * system's protocols and services databases, exactly as charon looks them up
 * ("[tcp/http]", "[udp]", "[0/http]", "[icmp/8(3)]", "[tcp/OPAQUE]").
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissector.h"

#define TS_IPV4 7
#define TS_IPV6 8
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58

static enum ike_err ts_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_ts *t = &pl->u.ts;
	const char *who = pl->type == 44 ? "TSi" : "TSr";
	t->n_declared = ike_rd_u8(body);
	uint32_t reserved = ike_rd_be24(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (reserved)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, body->off - 3, "%s: reserved bytes 0x%06x", who,
				 reserved);
	/* Every selector takes at least its 4-byte header: size the array by what can be there. */
	size_t cap = t->n_declared;
	if (cap > body->left / 4)
		cap = body->left / 4;
	if (cap > IKE_MAX_ITEMS)
		cap = IKE_MAX_ITEMS;
	if (cap) {
		t->ts = ike_arena_array(ctx->arena, cap, sizeof(*t->ts));
		if (!t->ts)
			return IKE_E_NOMEM;
	}
	for (unsigned i = 0; i < t->n_declared; i++) {
		size_t at = body->off;
		if (body->left < 4) {
			ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, at, "%s: %u selectors declared, %u present", who,
					 t->n_declared, i);
			break;
		}
		if (t->n == cap) {
			ike_dctx_anomaly(ctx, IKE_AN_LIMIT, at, "%s: more than %zu selectors", who, cap);
			break;
		}
		struct ike_ts *s = &t->ts[t->n];
		s->ts_type = ike_rd_u8(body);
		s->ip_proto = ike_rd_u8(body);
		uint16_t sel_len = ike_rd_be16(body);
		if (sel_len < 4) {
			ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, at + 2, "%s: selector length %u", who, sel_len);
			break;
		}
		if ((size_t)sel_len - 4 > body->left) {
			ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, at + 2,
					 "%s: selector length %u exceeds the %zu bytes left", who, sel_len,
					 body->left + 4);
			break;
		}
		struct ike_rd sel = ike_rd_sub(body, (size_t)sel_len - 4);
		t->n++;
		size_t alen = s->ts_type == TS_IPV4 ? 4 : s->ts_type == TS_IPV6 ? 16 : 0;
		if (alen && sel_len != 8 + 2 * alen) {
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, at + 2, "%s: %s selector length %u, %zu expected", who,
					 s->ts_type == TS_IPV4 ? "IPv4" : "IPv6", sel_len, 8 + 2 * alen);
			alen = 0;
		}
		if (!alen) {
			s->raw = ike_rd_rest(&sel);
			continue;
		}
		s->start_port = ike_rd_be16(&sel);
		s->end_port = ike_rd_be16(&sel);
		s->start.family = s->end.family = alen == 4 ? 4 : 6;
		ike_rd_copy(&sel, s->start.a, alen);
		ike_rd_copy(&sel, s->end.a, alen);
	}
	return body->err;
}

/* charon's calc_netbits(): the prefix length, or -1 when the range is no subnet. */
static int ts_netbits(const struct ike_ts *s, size_t alen)
{
	int netbits = (int)alen * 8;
	bool prefix = true;
	for (size_t byte = 0; byte < alen; byte++) {
		for (int bit = 7; bit >= 0; bit--) {
			uint8_t m = (uint8_t)(1u << bit);
			uint8_t f = s->start.a[byte] & m, t = s->end.a[byte] & m;
			if (prefix) {
				if (f != t) {
					netbits = (7 - bit) + (int)byte * 8;
					prefix = false;
				}
			} else if (f || !t) {
				return -1;
			}
		}
	}
	return netbits;
}

static size_t put(char *buf, size_t cap, size_t len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t put(char *buf, size_t cap, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, fmt, ap);
	va_end(ap);
	return n > 0 ? len + (size_t)n : len;
}

static size_t put_icmp(char *buf, size_t cap, size_t len, uint16_t port)
{
	unsigned type = port >> 8, code = port & 0xff;
	if (code)
		return put(buf, cap, len, "%u(%u)", type, code);
	return put(buf, cap, len, "%u", type);
}

/* charon's %R for an IPv4/IPv6 selector. */
static void ts_text(const struct ike_ts *s, char *buf, size_t cap)
{
	size_t alen = s->start.family == 4 ? 4 : 16, len = 0;
	char a[64], b[64];
	int bits = ts_netbits(s, alen);
	if (bits < 0)
		len = put(buf, cap, len, "%s..%s", ike_addr_str(&s->start, a, sizeof(a)),
			  ike_addr_str(&s->end, b, sizeof(b)));
	else
		len = put(buf, cap, len, "%s/%d", ike_addr_str(&s->start, a, sizeof(a)), bits);

	bool has_proto = s->ip_proto != 0;
	bool has_ports = !(s->start_port == 0 && s->end_port == 0xffff);
	if (!has_proto && !has_ports)
		return;
	len = put(buf, cap, len, "[");
	const char *proto_name = NULL;
	struct protoent pe, *pr = NULL;
	char pbuf[1024];
	if (has_proto && getprotobynumber_r(s->ip_proto, &pe, pbuf, sizeof(pbuf), &pr) == 0 && pr)
		proto_name = pr->p_name;
	if (proto_name)
		len = put(buf, cap, len, "%s", proto_name);
	else
		len = put(buf, cap, len, "%u", s->ip_proto);
	if (has_ports) {
		bool icmp = s->ip_proto == PROTO_ICMP || s->ip_proto == PROTO_ICMPV6;
		len = put(buf, cap, len, "/");
		if (s->start_port == s->end_port) {
			struct servent se, *sv = NULL;
			char sbuf[1024];
			if (icmp)
				len = put_icmp(buf, cap, len, s->start_port);
			else if (getservbyport_r(htons(s->start_port), proto_name, &se, sbuf, sizeof(sbuf), &sv) == 0 &&
				 sv)
				len = put(buf, cap, len, "%s", sv->s_name);
			else
				len = put(buf, cap, len, "%u", s->start_port);
		} else if (s->start_port == 0xffff && s->end_port == 0) {
			len = put(buf, cap, len, "OPAQUE");
		} else if (icmp) {
			len = put_icmp(buf, cap, len, s->start_port);
			len = put(buf, cap, len, "-");
			len = put_icmp(buf, cap, len, s->end_port);
		} else {
			len = put(buf, cap, len, "%u-%u", s->start_port, s->end_port);
		}
	}
	put(buf, cap, len, "]");
}

static void ts_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_ts *t = &pl->u.ts;
	ike_emit_u(e, "ts_count", t->n_declared);
	ike_emit_list(e, "ts");
	for (uint16_t i = 0; i < t->n; i++) {
		const struct ike_ts *s = &t->ts[i];
		ike_emit_open(e, NULL);
		ike_emit_s(e, "ts_type", ike_name_long(&ike_names_ts_type, s->ts_type));
		ike_emit_u(e, "ts_type_id", s->ts_type);
		ike_emit_u(e, "ip_protocol", s->ip_proto);
		if (s->start.family) {
			char a[64], text[160];
			ike_emit_u(e, "start_port", s->start_port);
			ike_emit_u(e, "end_port", s->end_port);
			ike_emit_s(e, "start", ike_addr_str(&s->start, a, sizeof(a)));
			ike_emit_s(e, "end", ike_addr_str(&s->end, a, sizeof(a)));
			ts_text(s, text, sizeof(text));
			ike_emit_s(e, "text", text);
		} else {
			ike_emit_hex(e, "data", s->raw.p, s->raw.len);
		}
		ike_emit_close(e);
	}
	ike_emit_list_end(e);
}

const struct ike_dissector ike_dis_tsi = {
	.type = 44,
	.name = "Traffic Selector - Initiator",
	.abbrev = "TSi",
	.min_len = 4,
	.max_len = 0,
	.decode = ts_decode,
	.describe = ts_describe,
};

const struct ike_dissector ike_dis_tsr = {
	.type = 45,
	.name = "Traffic Selector - Responder",
	.abbrev = "TSr",
	.min_len = 4,
	.max_len = 0,
	.decode = ts_decode,
	.describe = ts_describe,
};
