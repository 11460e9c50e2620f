/*
 * notify.c — Notify payload (41), RFC 7296 §3.10.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                Security Parameter Index (SPI)                 ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                       Notification Data                       ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The data of the types whose structure an RFC defines is read by one
 * function, notify_data(), run twice: while decoding it records anomalies,
 * while describing it emits the members. The model keeps only the span, so
 * the two passes cannot disagree. A type's data of the wrong size is an
 * anomaly and stays hex; the payload itself still counts as decoded, so the
 * summary shows N(NATD_S_IP) as charon would.
 */
#include <stdarg.h>
#include <stdio.h>

#include "dissector.h"

#define N_UNSUPPORTED_CRITICAL_PAYLOAD 1
#define N_INVALID_MAJOR_VERSION 5
#define N_INVALID_SYNTAX 7
#define N_INVALID_MESSAGE_ID 9
#define N_INVALID_SPI 11
#define N_NO_PROPOSAL_CHOSEN 14
#define N_INVALID_KE_PAYLOAD 17
#define N_MS_NOTIFY_STATUS 12345
#define N_SET_WINDOW_SIZE 16385
#define N_IPCOMP_SUPPORTED 16387
#define N_NATD_S_IP 16388
#define N_NATD_D_IP 16389
#define N_COOKIE 16390
#define N_REKEY_SA 16393
#define N_ADDITIONAL_IP4_ADDRESS 16397
#define N_ADDITIONAL_IP6_ADDRESS 16398
#define N_COOKIE2 16401
#define N_NO_NATS_ALLOWED 16402
#define N_AUTH_LIFETIME 16403
#define N_REDIRECT 16407
#define N_REDIRECTED_FROM 16408
#define N_TICKET_LT_OPAQUE 16409
#define N_TICKET_OPAQUE 16413
#define N_IKEV2_MESSAGE_ID_SYNC 16422
#define N_SECURE_PASSWORD_METHODS 16424
#define N_SIGNATURE_HASH_ALGORITHMS 16431
#define N_PPK_IDENTITY 16436

#define ROW(id, name) {id, name, name},
#define COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* RFC 7427 §7: IKEv2 Hash Algorithms. */
#define HASH_ALGS(X) X(1, "SHA1") X(2, "SHA2_256") X(3, "SHA2_384") X(4, "SHA2_512") X(5, "IDENTITY") \
	X(6, "STREEBOG_256") X(7, "STREEBOG_512")
static const struct ike_name hash_rows[] = {HASH_ALGS(ROW)};
static const struct ike_names hash_names = {"hash algorithm", hash_rows, COUNT(hash_rows)};

/* RFC 6467 §4: Secure Password Authentication Methods. */
#define SPW_METHODS(X) X(1, "PACE") X(2, "AugPAKE") X(3, "PSK_AUTH")
static const struct ike_name spw_rows[] = {SPW_METHODS(ROW)};
static const struct ike_names spw_names = {"secure password method", spw_rows, COUNT(spw_rows)};

/* RFC 7296 §3.3.2 IPComp transform ids, as charon names them. */
#define IPCOMP_IDS(X) X(1, "IPCOMP_OUI") X(2, "IPCOMP_DEFLATE") X(3, "IPCOMP_LZS") X(4, "IPCOMP_LZJH")
static const struct ike_name ipcomp_rows[] = {IPCOMP_IDS(ROW)};
static const struct ike_names ipcomp_names = {"IPComp transform", ipcomp_rows, COUNT(ipcomp_rows)};

/* RFC 5685 §10: Gateway Identity Types. */
#define GW_TYPES(X) X(1, "IPV4_ADDR") X(2, "IPV6_ADDR") X(3, "FQDN")
static const struct ike_name gw_rows[] = {GW_TYPES(ROW)};
static const struct ike_names gw_names = {"gateway identity type", gw_rows, COUNT(gw_rows)};

/* RFC 8784 §5.1: PPK_ID types. */
#define PPK_TYPES(X) X(1, "PPK_ID_OPAQUE") X(2, "PPK_ID_FIXED")
static const struct ike_name ppk_rows[] = {PPK_TYPES(ROW)};
static const struct ike_names ppk_names = {"PPK_ID type", ppk_rows, COUNT(ppk_rows)};

/* One pass over the notification data: decoding (ctx set) or describing (e set). */
struct nd {
	struct ike_rd r;
	struct ike_dctx *ctx;
	const struct ike_emit *e;
	const char *name;
};

static void nd_bad(struct nd *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void nd_bad(struct nd *d, const char *fmt, ...)
{
	if (!d->ctx)
		return;
	char buf[80];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ike_dctx_anomaly(d->ctx, IKE_AN_MALFORMED, d->r.off, "%s: %s", d->name, buf);
}

static bool nd_len(struct nd *d, size_t n)
{
	if (d->r.left == n)
		return true;
	nd_bad(d, "data is %zu bytes, %zu expected", d->r.left, n);
	return false;
}

static void nd_u(struct nd *d, const char *k, uint64_t v)
{
	if (d->e)
		ike_emit_u(d->e, k, v);
}
static void nd_s(struct nd *d, const char *k, const char *v)
{
	if (d->e)
		ike_emit_s(d->e, k, v);
}
static void nd_hex(struct nd *d, const char *k, struct ike_span s)
{
	if (d->e)
		ike_emit_hex(d->e, k, s.p, s.len);
}
static void nd_addr(struct nd *d, const char *k, uint8_t family)
{
	struct ike_addr a = {.family = family};
	char buf[64];
	ike_rd_copy(&d->r, a.a, family == 4 ? 4 : 16);
	nd_s(d, k, ike_addr_str(&a, buf, sizeof(buf)));
}

/* A list of 16-bit ids with their names (or "(N)"). */
static void nd_id_list(struct nd *d, const char *k, const struct ike_names *t)
{
	if (d->r.left % 2) {
		nd_bad(d, "data is %zu bytes, not a list of 2-byte ids", d->r.left);
		return;
	}
	if (d->e)
		ike_emit_list(d->e, k);
	while (d->r.left) {
		uint16_t id = ike_rd_be16(&d->r);
		const char *n = ike_name_long(t, id);
		char buf[16];
		if (!n) {
			snprintf(buf, sizeof(buf), "(%u)", id);
			n = buf;
		}
		nd_s(d, NULL, n);
	}
	if (d->e)
		ike_emit_list_end(d->e);
}

static void nd_name(struct nd *d, const char *k, const struct ike_names *t, uint32_t id)
{
	char kid[32];
	nd_s(d, k, ike_name_long(t, id));
	snprintf(kid, sizeof(kid), "%s_id", k);
	nd_u(d, kid, id);
}

/* Gateway identity of REDIRECT / REDIRECTED_FROM (RFC 5685 §8, §9). */
static void nd_gateway(struct nd *d, bool nonce_allowed)
{
	uint8_t gw_type = ike_rd_u8(&d->r);
	uint8_t gw_len = ike_rd_u8(&d->r);
	if (!ike_rd_ok(&d->r) || gw_len > d->r.left) {
		nd_bad(d, "gateway identity runs past the data");
		return;
	}
	struct ike_rd gw = ike_rd_sub(&d->r, gw_len);
	nd_name(d, "gw_ident_type", &gw_names, gw_type);
	if ((gw_type == 1 && gw_len == 4) || (gw_type == 2 && gw_len == 16)) {
		struct ike_addr a = {.family = gw_type == 1 ? 4 : 6};
		char buf[64];
		ike_rd_copy(&gw, a.a, gw_len);
		nd_s(d, "gw_identity", ike_addr_str(&a, buf, sizeof(buf)));
	} else if (gw_type == 3) {
		char buf[256]; /* gw_len is at most 255 */
		size_t i = 0;
		while (gw.left) {
			uint8_t ch = ike_rd_u8(&gw);
			buf[i++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
		buf[i] = '\0';
		nd_s(d, "gw_identity", buf);
	} else {
		nd_bad(d, "gateway identity type %u with %u bytes", gw_type, gw_len);
		nd_hex(d, "gw_identity", ike_rd_rest(&gw));
	}
	if (d->r.left) {
		if (!nonce_allowed)
			nd_bad(d, "%zu bytes after the gateway identity", d->r.left);
		nd_hex(d, "nonce", ike_rd_rest(&d->r));
	}
}

static bool no_data_defined(uint16_t type)
{
	switch (type) {
	case N_INVALID_MAJOR_VERSION: case N_INVALID_SYNTAX: case N_NO_PROPOSAL_CHOSEN:
	case 43:    /* TEMPORARY_FAILURE */
	case 16384: /* INITIAL_CONTACT */
	case 16386: /* ADDITIONAL_TS_POSSIBLE */
	case 16391: /* USE_TRANSPORT_MODE */
	case 16392: /* HTTP_CERT_LOOKUP_SUPPORTED */
	case 16394: /* ESP_TFC_PADDING_NOT_SUPPORTED */
	case 16395: /* NON_FIRST_FRAGMENTS_ALSO */
	case 16396: /* MOBIKE_SUPPORTED */
	case 16399: /* NO_ADDITIONAL_ADDRESSES */
	case 16400: /* UPDATE_SA_ADDRESSES */
	case 16404: /* MULTIPLE_AUTH_SUPPORTED */
	case 16405: /* ANOTHER_AUTH_FOLLOWS */
	case 16406: /* REDIRECT_SUPPORTED */
	case 16410: case 16411: case 16412: /* TICKET_REQUEST, TICKET_ACK, TICKET_NACK */
	case 16417: /* EAP_ONLY_AUTHENTICATION */
	case 16418: /* CHILDLESS_IKEV2_SUPPORTED */
	case 16420: case 16421: /* MESSAGE_ID / REPLAY_COUNTER _SYNC_SUPPORTED */
	case 16430: /* IKEV2_FRAGMENTATION_SUPPORTED */
	case 16435: /* USE_PPK */
	case 16438: /* INTERMEDIATE_EXCHANGE_SUPPORTED */
		return true;
	default:
		return false;
	}
}

static void notify_data(const struct ike_pl_notify *n, struct nd *d)
{
	if (no_data_defined(n->type)) {
		if (d->r.left)
			nd_bad(d, "%zu bytes of data where the RFC defines none", d->r.left);
		return;
	}
	switch (n->type) {
	case N_UNSUPPORTED_CRITICAL_PAYLOAD:
		if (nd_len(d, 1))
			nd_name(d, "payload_type", &ike_names_payload, ike_rd_u8(&d->r));
		break;
	case N_INVALID_MESSAGE_ID:
		if (nd_len(d, 4))
			nd_u(d, "message_id", ike_rd_be32(&d->r));
		break;
	case N_INVALID_SPI:
		if (d->r.left == 4 || d->r.left == 8)
			nd_hex(d, "invalid_spi", ike_rd_rest(&d->r));
		else
			nd_bad(d, "data is %zu bytes, a 4- or 8-byte SPI expected", d->r.left);
		break;
	case N_INVALID_KE_PAYLOAD:
		if (nd_len(d, 2))
			nd_name(d, "group", &ike_names_ke, ike_rd_be16(&d->r));
		break;
	case N_MS_NOTIFY_STATUS:
		if (nd_len(d, 4))
			nd_u(d, "status", ike_rd_be32(&d->r));
		break;
	case N_SET_WINDOW_SIZE:
		if (nd_len(d, 4))
			nd_u(d, "window", ike_rd_be32(&d->r));
		break;
	case N_IPCOMP_SUPPORTED:
		if (nd_len(d, 3)) {
			nd_u(d, "cpi", ike_rd_be16(&d->r));
			nd_name(d, "ipcomp_transform", &ipcomp_names, ike_rd_u8(&d->r));
		}
		break;
	case N_NATD_S_IP:
	case N_NATD_D_IP:
		if (nd_len(d, 20))
			nd_hex(d, "hash", ike_rd_rest(&d->r));
		break;
	case N_COOKIE:
		if (d->r.left >= 1 && d->r.left <= 64)
			nd_hex(d, "cookie", ike_rd_rest(&d->r));
		else
			nd_bad(d, "cookie is %zu bytes, 1 to 64 expected", d->r.left);
		break;
	case N_COOKIE2:
		if (d->r.left >= 8 && d->r.left <= 64)
			nd_hex(d, "cookie2", ike_rd_rest(&d->r));
		else
			nd_bad(d, "cookie is %zu bytes, 8 to 64 expected", d->r.left);
		break;
	case N_REKEY_SA:
		/* The SA being rekeyed is named by the protocol and SPI fields. */
		if (n->spi.len == 0)
			nd_bad(d, "no SPI names the SA to rekey");
		if (d->r.left)
			nd_bad(d, "%zu bytes of data where the RFC defines none", d->r.left);
		break;
	case N_ADDITIONAL_IP4_ADDRESS:
		if (nd_len(d, 4))
			nd_addr(d, "address", 4);
		break;
	case N_ADDITIONAL_IP6_ADDRESS:
		if (nd_len(d, 16))
			nd_addr(d, "address", 6);
		break;
	case N_NO_NATS_ALLOWED: /* RFC 4555 §3.9: addresses, then ports */
		if (d->r.left == 12 || d->r.left == 36) {
			uint8_t fam = d->r.left == 12 ? 4 : 6;
			nd_addr(d, "src", fam);
			nd_addr(d, "dst", fam);
			nd_u(d, "sport", ike_rd_be16(&d->r));
			nd_u(d, "dport", ike_rd_be16(&d->r));
		} else {
			nd_bad(d, "data is %zu bytes, 12 or 36 expected", d->r.left);
		}
		break;
	case N_AUTH_LIFETIME:
		if (nd_len(d, 4))
			nd_u(d, "auth_lifetime", ike_rd_be32(&d->r));
		break;
	case N_REDIRECT:
	case N_REDIRECTED_FROM:
		if (d->r.left < 2)
			nd_bad(d, "data is %zu bytes, a gateway identity expected", d->r.left);
		else
			nd_gateway(d, n->type == N_REDIRECT);
		break;
	case N_TICKET_LT_OPAQUE: /* RFC 5723 §4.3.2 */
		if (d->r.left < 4) {
			nd_bad(d, "data is %zu bytes, a lifetime and a ticket expected", d->r.left);
			break;
		}
		nd_u(d, "lifetime", ike_rd_be32(&d->r));
		nd_hex(d, "ticket", ike_rd_rest(&d->r));
		break;
	case N_TICKET_OPAQUE:
		nd_hex(d, "ticket", ike_rd_rest(&d->r));
		break;
	case N_IKEV2_MESSAGE_ID_SYNC: /* RFC 6311 §4.1 */
		if (nd_len(d, 12)) {
			nd_u(d, "nonce", ike_rd_be32(&d->r));
			nd_u(d, "expected_send_req_mid", ike_rd_be32(&d->r));
			nd_u(d, "expected_recv_req_mid", ike_rd_be32(&d->r));
		}
		break;
	case N_SECURE_PASSWORD_METHODS:
		nd_id_list(d, "methods", &spw_names);
		break;
	case N_SIGNATURE_HASH_ALGORITHMS:
		nd_id_list(d, "hash_algorithms", &hash_names);
		break;
	case N_PPK_IDENTITY:
		if (d->r.left < 1) {
			nd_bad(d, "no PPK_ID type");
			break;
		}
		nd_name(d, "ppk_id_type", &ppk_names, ike_rd_u8(&d->r));
		nd_hex(d, "ppk_id", ike_rd_rest(&d->r));
		break;
	default:
		break; /* opaque: the hex "data" says it all */
	}
}

static const char *name_of(uint16_t type)
{
	const char *s = ike_name_long(&ike_names_notify, type);
	return s ? s : "notify";
}

static enum ike_err notify_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_notify *n = &pl->u.n;
	n->protocol = ike_rd_u8(body);
	uint8_t spi_size = ike_rd_u8(body);
	n->type = ike_rd_be16(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (spi_size > body->left) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, body->off - 3, "%s: SPI size %u exceeds the %zu bytes left",
				 name_of(n->type), spi_size, body->left);
		return IKE_E_TRUNC;
	}
	if (n->protocol && !ike_names_find(&ike_names_protocol, n->protocol))
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, body->off - 4, "%s: unknown protocol id %u",
				 name_of(n->type), n->protocol);
	if ((n->protocol == 2 || n->protocol == 3) && spi_size != 0 && spi_size != 4)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, body->off - 3, "%s: %u-byte SPI for %s, 4 expected",
				 name_of(n->type), spi_size, n->protocol == 2 ? "AH" : "ESP");
	n->spi = ike_rd_bytes(body, spi_size);
	struct nd d = {.r = ike_rd_init(body->p, body->left, body->off), .ctx = ctx, .name = name_of(n->type)};
	n->data = ike_rd_rest(body);
	notify_data(n, &d);
	return IKE_OK;
}

static void notify_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_notify *n = &pl->u.n;
	char buf[16];
	const char *s = ike_name_short(&ike_names_notify, n->type);
	if (!s) {
		snprintf(buf, sizeof(buf), "(%u)", n->type);
		s = buf;
	}
	ike_emit_s(e, "notify", ike_name_long(&ike_names_notify, n->type));
	ike_emit_u(e, "notify_id", n->type);
	ike_emit_s(e, "short", s);
	ike_emit_b(e, "error", n->type < 16384);
	ike_emit_s(e, "protocol", ike_name_long(&ike_names_protocol, n->protocol));
	ike_emit_u(e, "protocol_id", n->protocol);
	ike_emit_hex(e, "spi", n->spi.p, n->spi.len);
	ike_emit_hex(e, "data", n->data.p, n->data.len);
	struct nd d = {.r = ike_rd_span(n->data, 0), .e = e, .name = ""};
	notify_data(n, &d);
}

const struct ike_dissector ike_dis_notify = {
	.type = 41,
	.name = "Notify",
	.abbrev = "N",
	.min_len = 4,
	.max_len = 0,
	.decode = notify_decode,
	.describe = notify_describe,
};
