/*
 * sa.c — Security Association payload (33), RFC 7296 §3.3.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                          <Proposals>                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Proposal substructure (§3.3.1):
 * | Last Substruc |   RESERVED    |         Proposal Length       |
 * | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 * ~                        SPI (variable)                         ~
 * ~                        <Transforms>                           ~
 *
 * Transform substructure (§3.3.2):
 * | Last Substruc |   RESERVED    |        Transform Length       |
 * |Transform Type |   RESERVED    |          Transform ID         |
 * ~                      Transform Attributes                     ~
 *
 * Transform attribute (§3.3.5):
 * |A|       Attribute Type        |    AF=0  Attribute Length     |
 * |                               |    AF=1  Attribute Value      |
 * ~                   AF=0  Attribute Value                       ~
 *
 * Children are walked by their own length fields, each through a sub-reader
 * that must be consumed exactly; the declared counts and "last" markers are
 * checked against what the lengths give. Arrays are sized by a first pass
 * over the same lengths, so a lying count cannot make us allocate. Each
 * proposal also gets charon's text (proposal_printf_hook in 5.9.8): the
 * ENCR, INTEG, PRF, KE and ESN transforms in that group order, wire order
 * within a group, "_keylen" when a Key Length attribute is non-zero, "(id)"
 * for IDs charon 5.9.8 does not name; other transform types (RFC 9370
 * ADDKE) are not printed, as 5.9.8 does not print them either.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dissector.h"

#define SA_PROPOSAL_HDR 8
#define SA_TRANSFORM_HDR 8
#define SA_ATTR_KEY_LENGTH 14
#define SA_TEXT_MAX 2048

/* How many length-prefixed substructures (16-bit length at offset 2) start
 * in r, counting a broken last one, at most cap. r is a copy. */
static size_t count_subs(struct ike_rd r, size_t min_len, size_t cap)
{
	size_t n = 0;
	while (r.left && n < cap) {
		n++;
		if (r.left < 4)
			break;
		ike_rd_skip(&r, 2);
		uint16_t len = ike_rd_be16(&r);
		if (len < min_len)
			break;
		ike_rd_skip(&r, (size_t)len - 4);
		if (!ike_rd_ok(&r))
			break;
	}
	return n;
}

/* Same for transform attributes (TV: 4 bytes, TLV: 4 + length). */
static size_t count_attrs(struct ike_rd r, size_t cap)
{
	size_t n = 0;
	while (r.left && n < cap) {
		n++;
		uint16_t t = ike_rd_be16(&r);
		uint16_t v = ike_rd_be16(&r);
		if (!(t & 0x8000))
			ike_rd_skip(&r, v);
		if (!ike_rd_ok(&r))
			break;
	}
	return n;
}

static enum ike_err decode_attrs(struct ike_dctx *ctx, struct ike_rd *r, struct ike_transform *t)
{
	size_t want = count_attrs(*r, IKE_MAX_ATTRS + 1);
	size_t n_alloc = want > IKE_MAX_ATTRS ? IKE_MAX_ATTRS : want;
	if (n_alloc) {
		t->attrs = ike_arena_array(ctx->arena, n_alloc, sizeof(*t->attrs));
		if (!t->attrs)
			return IKE_E_NOMEM;
	}
	while (r->left) {
		if (t->n_attrs == IKE_MAX_ATTRS) {
			ike_dctx_anomaly(ctx, IKE_AN_LIMIT, r->off, "SA: more than %d attributes in a transform",
					 IKE_MAX_ATTRS);
			ike_rd_skip(r, r->left);
			break;
		}
		size_t off = r->off;
		if (r->left < 4) {
			ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, off, "SA: %zu bytes left for a 4-byte attribute header",
					 r->left);
			return IKE_E_TRUNC;
		}
		struct ike_attr *a = &t->attrs[t->n_attrs];
		uint16_t type = ike_rd_be16(r);
		a->type = type & 0x7fff;
		a->tv = (type & 0x8000) != 0;
		if (a->tv) {
			a->value = ike_rd_be16(r);
		} else {
			uint16_t len = ike_rd_be16(r);
			if (len > r->left) {
				ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, off,
						 "SA: attribute %u length %u exceeds the %zu bytes left", a->type, len,
						 r->left);
				return IKE_E_MALFORMED;
			}
			a->data = ike_rd_bytes(r, len);
		}
		t->n_attrs++;
		if (a->type == SA_ATTR_KEY_LENGTH) {
			if (a->tv)
				t->key_len = a->value;
			else
				ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off, "SA: Key Length attribute in TLV form");
		}
	}
	return r->err;
}

static enum ike_err decode_transform(struct ike_dctx *ctx, struct ike_rd *r, struct ike_transform *t,
				     bool *last)
{
	size_t off = r->off;
	if (r->left < SA_TRANSFORM_HDR) {
		ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, off, "SA: %zu bytes left for an 8-byte transform header",
				 r->left);
		return IKE_E_TRUNC;
	}
	uint8_t marker = ike_rd_u8(r);
	uint8_t reserved = ike_rd_u8(r);
	uint16_t len = ike_rd_be16(r);
	if (len < SA_TRANSFORM_HDR) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, off, "SA: transform length %u, at least 8", len);
		return IKE_E_MALFORMED;
	}
	if ((size_t)len - 4 > r->left) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, off, "SA: transform length %u exceeds the %zu bytes left",
				 len, r->left + 4);
		return IKE_E_MALFORMED;
	}
	struct ike_rd sub = ike_rd_sub(r, (size_t)len - 4);
	t->type = ike_rd_u8(&sub);
	uint8_t reserved2 = ike_rd_u8(&sub);
	t->id = ike_rd_be16(&sub);
	t->key_len = -1;
	if (marker != 0 && marker != 3)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off, "SA: transform last-substructure %u, 0 or 3 expected",
				 marker);
	if (reserved || reserved2)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, off, "SA: transform reserved bytes 0x%02x 0x%02x",
				 reserved, reserved2);
	*last = marker == 0;
	return decode_attrs(ctx, &sub, t);
}

static enum ike_err decode_transforms(struct ike_dctx *ctx, struct ike_rd *r, struct ike_proposal *p)
{
	size_t want = count_subs(*r, SA_TRANSFORM_HDR, IKE_MAX_TRANSFORMS + 1);
	size_t n_alloc = want > IKE_MAX_TRANSFORMS ? IKE_MAX_TRANSFORMS : want;
	if (n_alloc) {
		p->transforms = ike_arena_array(ctx->arena, n_alloc, sizeof(*p->transforms));
		if (!p->transforms)
			return IKE_E_NOMEM;
	}
	bool last = false;
	while (r->left) {
		if (p->n_transforms == IKE_MAX_TRANSFORMS) {
			ike_dctx_anomaly(ctx, IKE_AN_LIMIT, r->off, "SA: more than %d transforms in proposal %u",
					 IKE_MAX_TRANSFORMS, p->number);
			ike_rd_skip(r, r->left);
			return IKE_OK;
		}
		size_t off = r->off;
		if (last)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off,
					 "SA: transform after the one marked last in proposal %u", p->number);
		enum ike_err e = decode_transform(ctx, r, &p->transforms[p->n_transforms], &last);
		if (e != IKE_OK)
			return e;
		p->n_transforms++;
		if (!last && !r->left)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off,
					 "SA: last transform of proposal %u not marked last", p->number);
	}
	if (p->n_transforms != p->n_transforms_declared)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, r->off, "SA: proposal %u declares %u transforms, %u present",
				 p->number, p->n_transforms_declared, p->n_transforms);
	return IKE_OK;
}

/* ---- charon's proposal text ---------------------------------------------- */

struct sbuf {
	char b[SA_TEXT_MAX];
	size_t len;
};

static void sb_put(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_put(struct sbuf *s, const char *fmt, ...)
{
	if (s->len >= sizeof(s->b) - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->b + s->len, sizeof(s->b) - s->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->len += (size_t)n < sizeof(s->b) - s->len ? (size_t)n : sizeof(s->b) - 1 - s->len;
}

/* sb_put(s, "%s", str) without vsnprintf (proposal texts are built for every
 * SA payload decoded): the same truncation and terminator. */
static void sb_str(struct sbuf *s, const char *str)
{
	if (s->len >= sizeof(s->b) - 1)
		return;
	size_t n = strlen(str), room = sizeof(s->b) - 1 - s->len;
	if (n > room)
		n = room;
	memcpy(s->b + s->len, str, n);
	s->len += n;
	s->b[s->len] = '\0';
}

/* charon's protocol_id_names (4 is its IPComp, 0 PROTO_NONE). */
static const char *charon_protocol(uint8_t p)
{
	switch (p) {
	case 0: return "PROTO_NONE";
	case 1: return "IKE";
	case 2: return "AH";
	case 3: return "ESP";
	case 4: return "IPCOMP";
	default: return NULL;
	}
}

static char *proposal_text(struct ike_arena *a, const struct ike_proposal *p)
{
	static const uint8_t order[] = {1, 3, 2, 4, 5}; /* ENCR, INTEG, PRF, KE, ESN */
	struct sbuf s = {.len = 0};
	const char *proto = charon_protocol(p->protocol);
	if (proto) {
		sb_str(&s, proto);
		sb_str(&s, ":");
	} else
		sb_put(&s, "(%u):", p->protocol);
	bool first = true;
	for (size_t g = 0; g < sizeof(order); g++) {
		const struct ike_names *names = ike_names_for_transform(order[g]);
		for (uint16_t i = 0; i < p->n_transforms; i++) {
			const struct ike_transform *t = &p->transforms[i];
			if (t->type != order[g])
				continue;
			const char *sep = first ? "" : "/";
			first = false;
			if (ike_transform_charon_knows(t->type, t->id)) {
				sb_str(&s, sep);
				const char *nm = ike_name_long(names, t->id);
				sb_str(&s, nm ? nm : "(null)"); /* what printf wrote for NULL */
			} else
				sb_put(&s, "%s(%u)", sep, t->id);
			if (t->key_len > 0)
				sb_put(&s, "_%d", (int)t->key_len);
		}
	}
	return ike_arena_dup(a, s.b, s.len + 1);
}

/* ---- the payload ----------------------------------------------------------- */

static enum ike_err decode_proposal(struct ike_dctx *ctx, struct ike_rd *r, struct ike_proposal *p, bool *last)
{
	size_t off = r->off;
	if (r->left < SA_PROPOSAL_HDR) {
		ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, off, "SA: %zu bytes left for an 8-byte proposal header",
				 r->left);
		return IKE_E_TRUNC;
	}
	uint8_t marker = ike_rd_u8(r);
	uint8_t reserved = ike_rd_u8(r);
	uint16_t len = ike_rd_be16(r);
	if (len < SA_PROPOSAL_HDR) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, off, "SA: proposal length %u, at least 8", len);
		return IKE_E_MALFORMED;
	}
	if ((size_t)len - 4 > r->left) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, off, "SA: proposal length %u exceeds the %zu bytes left",
				 len, r->left + 4);
		return IKE_E_MALFORMED;
	}
	struct ike_rd sub = ike_rd_sub(r, (size_t)len - 4);
	p->number = ike_rd_u8(&sub);
	p->protocol = ike_rd_u8(&sub);
	uint8_t spi_size = ike_rd_u8(&sub);
	p->n_transforms_declared = ike_rd_u8(&sub);
	if (marker != 0 && marker != 2)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off, "SA: proposal last-substructure %u, 0 or 2 expected",
				 marker);
	if (reserved)
		ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, off + 1, "SA: proposal reserved byte 0x%02x", reserved);
	*last = marker == 0;
	if (spi_size > sub.left) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, off + 6, "SA: SPI size %u exceeds the %zu bytes left",
				 spi_size, sub.left);
		return IKE_E_MALFORMED;
	}
	p->spi = ike_rd_bytes(&sub, spi_size);
	enum ike_err e = decode_transforms(ctx, &sub, p);
	p->text = proposal_text(ctx->arena, p);
	if (e == IKE_OK && !p->text)
		return IKE_E_NOMEM;
	return e;
}

static enum ike_err sa_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_sa *sa = &pl->u.sa;
	size_t want = count_subs(*body, SA_PROPOSAL_HDR, IKE_MAX_PROPOSALS + 1);
	size_t n_alloc = want > IKE_MAX_PROPOSALS ? IKE_MAX_PROPOSALS : want;
	if (n_alloc) {
		sa->proposals = ike_arena_array(ctx->arena, n_alloc, sizeof(*sa->proposals));
		if (!sa->proposals)
			return IKE_E_NOMEM;
	}
	bool last = false;
	while (body->left) {
		if (sa->n == IKE_MAX_PROPOSALS) {
			ike_dctx_anomaly(ctx, IKE_AN_LIMIT, body->off, "SA: more than %d proposals; the rest is skipped",
					 IKE_MAX_PROPOSALS);
			ike_rd_skip(body, body->left);
			return IKE_OK;
		}
		size_t off = body->off;
		if (last)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off, "SA: proposal after the one marked last");
		struct ike_proposal *p = &sa->proposals[sa->n];
		enum ike_err e = decode_proposal(ctx, body, p, &last);
		if (p->text || e == IKE_OK)
			sa->n++;
		if (e != IKE_OK)
			return e;
		/* §3.3.1: the first proposal is 1, each next one the same or one more. */
		if (sa->n == 1 && p->number != 1)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "SA: first proposal number %u, 1 expected",
					 p->number);
		if (sa->n > 1) {
			uint8_t prev = sa->proposals[sa->n - 2].number;
			if (p->number != prev && p->number != prev + 1)
				ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 4, "SA: proposal number %u after %u",
						 p->number, prev);
		}
		if (!last && !body->left)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off, "SA: last proposal not marked last");
	}
	return body->err;
}

/* Attributes other than a Key Length (already "key_length"), when there are any. */
static void describe_attrs(const struct ike_transform *t, const struct ike_emit *e)
{
	uint16_t others = 0;
	for (uint16_t i = 0; i < t->n_attrs; i++)
		others += !(t->attrs[i].tv && t->attrs[i].type == SA_ATTR_KEY_LENGTH);
	if (!others)
		return;
	ike_emit_list(e, "attributes");
	for (uint16_t i = 0; i < t->n_attrs; i++) {
		const struct ike_attr *a = &t->attrs[i];
		if (a->tv && a->type == SA_ATTR_KEY_LENGTH)
			continue;
		ike_emit_open(e, NULL);
		ike_emit_u(e, "type", a->type);
		if (a->tv)
			ike_emit_u(e, "value", a->value);
		else
			ike_emit_hex(e, "data", a->data.p, a->data.len);
		ike_emit_close(e);
	}
	ike_emit_list_end(e);
}

static void sa_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_sa *sa = &pl->u.sa;
	ike_emit_list(e, "proposals");
	for (uint16_t i = 0; i < sa->n; i++) {
		const struct ike_proposal *p = &sa->proposals[i];
		ike_emit_open(e, NULL);
		ike_emit_u(e, "number", p->number);
		ike_emit_s(e, "protocol", ike_name_short(&ike_names_protocol, p->protocol));
		ike_emit_u(e, "protocol_id", p->protocol);
		ike_emit_hex(e, "spi", p->spi.p, p->spi.len);
		ike_emit_list(e, "transforms");
		for (uint16_t j = 0; j < p->n_transforms; j++) {
			const struct ike_transform *t = &p->transforms[j];
			const struct ike_names *names = ike_names_for_transform(t->type);
			ike_emit_open(e, NULL);
			ike_emit_s(e, "type", ike_name_short(&ike_names_transform_type, t->type));
			ike_emit_u(e, "type_id", t->type);
			ike_emit_u(e, "id", t->id);
			ike_emit_s(e, "name", names ? ike_name_long(names, t->id) : NULL);
			if (t->key_len >= 0)
				ike_emit_i(e, "key_length", t->key_len);
			describe_attrs(t, e);
			ike_emit_close(e);
		}
		ike_emit_list_end(e);
		ike_emit_s(e, "text", p->text);
		ike_emit_close(e);
	}
	ike_emit_list_end(e);
}

const struct ike_dissector ike_dis_sa = {
	.type = 33,
	.name = "Security Association",
	.abbrev = "SA",
	.min_len = SA_PROPOSAL_HDR, /* at least one proposal */
	.max_len = 0,
	.decode = sa_decode,
	.describe = sa_describe,
};
