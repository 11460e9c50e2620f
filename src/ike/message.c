/*
 * message.c — the IKE header and the generic payload chain (RFC 7296 §3.1,
 * §3.2), driven by the descriptors in dissectors/table.c.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Generic payload header:
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 */
#include <stdlib.h>
#include <string.h>

#include "dissector.h"
#include "ike/decoder.h"
#include "ikescope/keys.h"

#define IKE_HDR_LEN 28
#define PT_SA 33
#define PT_SK 46
#define PT_SKF 53
#define EXCH_IKE_SA_INIT 34

static const char *pt_name(uint8_t type)
{
	const char *n = ike_name_short(&ike_names_payload, type);
	return n ? n : "payload";
}

/* Which anomaly a dissector's error becomes when it did not explain it. */
static enum ike_anomaly_kind err_anomaly(enum ike_err e)
{
	switch (e) {
	case IKE_E_TRUNC: return IKE_AN_TRUNCATED;
	case IKE_E_TRAILING: return IKE_AN_TRAILING_BYTES;
	case IKE_E_LIMIT: return IKE_AN_LIMIT;
	default: return IKE_AN_MALFORMED;
	}
}

static void decode_body(struct ike_dctx *ctx, struct ike_payload *pl, struct ike_rd *body)
{
	const struct ike_dissector *dis = pl->dis;
	uint16_t before = ctx->msg->n_anomalies;
	uint32_t dropped_before = ctx->msg->n_anomalies_dropped;

	if (body->left < dis->min_len) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, pl->offset,
				 "%s payload body is %zu bytes, at least %u expected", dis->abbrev, body->left,
				 dis->min_len);
		pl->u.raw.data = ike_rd_rest(body);
		return;
	}
	if (dis->max_len && body->left > dis->max_len)
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, pl->offset,
				 "%s payload body is %zu bytes, at most %u expected", dis->abbrev, body->left,
				 dis->max_len);
	enum ike_err e = dis->decode(ctx, body, pl);
	if (e == IKE_OK && body->err == IKE_OK && body->left) {
		ike_dctx_anomaly(ctx, IKE_AN_TRAILING_BYTES, body->off,
				 "%zu bytes after the %s payload's last field", body->left, dis->abbrev);
	}
	if (e == IKE_E_NOMEM) {
		ike_dctx_anomaly(ctx, IKE_AN_LIMIT, pl->offset, "%s payload: decoder memory cap reached",
				 dis->abbrev);
		return;
	}
	if (e != IKE_OK) {
		bool explained = ctx->msg->n_anomalies != before || ctx->msg->n_anomalies_dropped != dropped_before;
		if (!explained)
			ike_dctx_anomaly(ctx, err_anomaly(e), body->off, "%s payload: %s", dis->abbrev,
					 ike_err_str(e));
		return;
	}
	pl->decoded = true;
}

enum ike_err ike_decode_chain(struct ike_dctx *ctx, struct ike_rd *r, uint8_t first, struct ike_payload **out,
			      uint16_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	if (first == 0)
		return IKE_OK;
	/* Room for the most payloads a chain may have; each is zeroed when it is
	 * reached (zeroing all 64 up front was a tenth of the JSON output's time). */
	struct ike_payload *pls = ike_arena_array_raw(ctx->arena, IKE_MAX_PAYLOADS, sizeof(*pls));
	if (!pls)
		return IKE_E_NOMEM;
	*out = pls;

	uint8_t next = first;
	uint16_t n = 0;
	while (next != 0) {
		if (n == IKE_MAX_PAYLOADS) {
			ike_dctx_anomaly(ctx, IKE_AN_LIMIT, r->off, "more than %d payloads; the rest is not decoded",
					 IKE_MAX_PAYLOADS);
			break;
		}
		if (r->left < 4) {
			ike_dctx_anomaly(ctx, IKE_AN_TRUNCATED, r->off, "message ends before the %s payload header",
					 pt_name(next));
			break;
		}
		struct ike_payload *pl = &pls[n];
		memset(pl, 0, sizeof(*pl));
		pl->offset = (uint32_t)r->off;
		pl->type = next;
		pl->next = ike_rd_u8(r);
		uint8_t flags = ike_rd_u8(r);
		pl->critical = (flags & 0x80) != 0;
		pl->reserved = flags & 0x7f;
		pl->length = ike_rd_be16(r);
		pl->dis = ike_dissector_for(pl->type);
		next = pl->next;

		if (pl->reserved)
			ike_dctx_anomaly(ctx, IKE_AN_RESERVED_NONZERO, pl->offset, "%s payload: reserved bits 0x%02x",
					 pt_name(pl->type), pl->reserved);
		if (pl->length < 4) {
			/* A length below the header would loop forever: stop the chain. */
			ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, pl->offset,
					 "%s payload length %u is below the 4-byte header", pt_name(pl->type),
					 pl->length);
			n++;
			break;
		}
		size_t body_len = (size_t)pl->length - 4;
		bool cut = body_len > r->left;
		if (cut) {
			ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, pl->offset,
					 "%s payload length %u exceeds the %zu bytes left", pt_name(pl->type),
					 pl->length, r->left + 4);
			body_len = r->left;
		}
		struct ike_rd body = ike_rd_sub(r, body_len);
		pl->body.p = body.p;
		pl->body.len = body.left;
		n++;

		if (pl->dis) {
			decode_body(ctx, pl, &body);
		} else {
			pl->u.raw.data = ike_rd_rest(&body);
			if (pl->critical)
				ike_dctx_anomaly(ctx, IKE_AN_UNKNOWN_CRITICAL, pl->offset,
						 "unknown payload type %u marked critical", pl->type);
		}
		if (cut)
			break;
		if (pl->type == PT_SK || pl->type == PT_SKF) {
			/* Next Payload of SK names the first inner payload: the outer chain ends here. */
			if (r->left)
				ike_dctx_anomaly(ctx, IKE_AN_SK_NOT_LAST, r->off, "%zu bytes after the %s payload",
						 r->left, pt_name(pl->type));
			ike_rd_skip(r, r->left);
			break;
		}
	}
	if (next == 0 && r->left && r->err == IKE_OK)
		ike_dctx_anomaly(ctx, IKE_AN_TRAILING_BYTES, r->off, "%zu bytes after the last payload", r->left);
	*n_out = n;
	return IKE_OK;
}

/* ---- SA algorithms learnt from IKE_SA_INIT responses -------------------- */

static size_t sa_slot(uint64_t ispi, uint64_t rspi)
{
	uint64_t h = ispi * 0x9e3779b97f4a7c15ull ^ rspi;
	h ^= h >> 29;
	return (size_t)(h % IKE_DEC_SA_SLOTS);
}

bool ike_decoder_sa_algs(const struct ike_decoder *d, uint64_t ispi, uint64_t rspi, struct ike_sa_algs *out)
{
	const struct ike_sa_slot *s = &d->sas[sa_slot(ispi, rspi)];
	if (!s->used || s->ispi != ispi || s->rspi != rspi)
		return false;
	*out = s->algs;
	return true;
}

/* The responder's SA payload holds the one proposal both sides now use. */
static void learn_algs(struct ike_decoder *d, const struct ike_msg *m)
{
	if (m->exchange != EXCH_IKE_SA_INIT || !ike_msg_is_response(m) || m->rspi == 0)
		return;
	for (uint16_t i = 0; i < m->n_payloads; i++) {
		const struct ike_payload *pl = &m->payloads[i];
		if (pl->type != PT_SA || !pl->decoded || pl->u.sa.n != 1)
			continue;
		const struct ike_proposal *p = &pl->u.sa.proposals[0];
		struct ike_sa_algs a = {.encr_keylen = -1};
		for (uint16_t t = 0; t < p->n_transforms; t++) {
			const struct ike_transform *tr = &p->transforms[t];
			switch (tr->type) {
			case 1: a.encr = tr->id; a.encr_keylen = tr->key_len; break;
			case 2: a.prf = tr->id; break;
			case 3: a.integ = tr->id; break;
			case 4: a.ke = tr->id; break;
			default: break;
			}
		}
		struct ike_sa_slot *s = &d->sas[sa_slot(m->ispi, m->rspi)];
		s->ispi = m->ispi;
		s->rspi = m->rspi;
		s->algs = a;
		s->used = 1;
		return;
	}
}

/* ---- the decoder ------------------------------------------------------- */

struct ike_decoder *ike_decoder_new(void)
{
	struct ike_decoder *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	if (ike_arena_init(&d->arenas[0], IKE_DEC_ARENA) != 0) {
		free(d);
		return NULL;
	}
	d->arena = &d->arenas[0];
	d->n_arenas = 1;
	return d;
}

int ike_decoder_keep(struct ike_decoder *d, unsigned n)
{
	if (n < 1 || n > IKE_DEC_KEEP_MAX)
		return -1;
	for (unsigned i = d->n_arenas; i < n; i++) {
		if (!d->arenas[i].buf && ike_arena_init(&d->arenas[i], IKE_DEC_ARENA) != 0)
			return -1; /* the ones made so far stay, unused until n_arenas grows */
	}
	if (n > d->n_arenas)
		d->n_arenas = n;
	return 0;
}

void ike_decoder_free(struct ike_decoder *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < IKE_DEC_KEEP_MAX; i++)
		ike_arena_free(&d->arenas[i]);
	for (size_t i = 0; i < IKE_DEC_FRAG_SETS; i++)
		free(d->frags[i].buf);
	ike_keyring_free(d->learned);
	free(d);
}

void ike_decoder_set_keys(struct ike_decoder *d, const struct ike_keyring *k)
{
	d->keys = k;
}

static void header_checks(struct ike_msg *m, size_t len)
{
	if (m->length < IKE_HDR_LEN)
		ike_msg_anomaly(m, IKE_AN_LENGTH_TOO_SMALL, 24, "IKE length %u is below the 28-byte header",
				m->length);
	else if (m->length > len)
		ike_msg_anomaly(m, IKE_AN_LENGTH_TOO_LARGE, 24, "IKE length %u but only %zu bytes present",
				m->length, len);
	else if (m->length < len)
		ike_msg_anomaly(m, IKE_AN_LENGTH_MISMATCH, 24, "IKE length %u but the datagram carries %zu bytes",
				m->length, len);
	if (m->flags & ~(IKE_FLAG_I | IKE_FLAG_V | IKE_FLAG_R))
		ike_msg_anomaly(m, IKE_AN_RESERVED_NONZERO, 19, "reserved header flags 0x%02x set", m->flags);
}

enum ike_err ike_decoder_decode(struct ike_decoder *d, const struct ike_origin *at, const uint8_t *bytes,
				size_t len, struct ike_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (at)
		m->at = *at;
	d->arena = &d->arenas[d->next_arena];
	d->next_arena = (d->next_arena + 1) % d->n_arenas;
	ike_arena_reset(d->arena);

	if (len < IKE_HDR_LEN) {
		ike_msg_anomaly(m, IKE_AN_TRUNCATED, 0, "%zu bytes, shorter than the 28-byte IKE header", len);
		return IKE_E_TRUNC;
	}
	uint8_t *copy = ike_arena_dup(d->arena, bytes, len);
	if (!copy)
		return IKE_E_NOMEM;
	m->raw.p = copy;
	m->raw.len = len;

	struct ike_rd r = ike_rd_init(copy, len, 0);
	m->ispi = ike_rd_be64(&r);
	m->rspi = ike_rd_be64(&r);
	m->first_payload = ike_rd_u8(&r);
	m->version = ike_rd_u8(&r);
	m->exchange = ike_rd_u8(&r);
	m->flags = ike_rd_u8(&r);
	m->mid = ike_rd_be32(&r);
	m->length = ike_rd_be32(&r);

	unsigned major = m->version >> 4;
	if (major == 1) {
		/* IKEv1 (ISAKMP): recognised and reported by its header, never read as IKEv2. */
		m->ikev1 = true;
		return IKE_OK;
	}
	if (major != 2) {
		ike_msg_anomaly(m, IKE_AN_BAD_VERSION, 17, "version %u.%u is neither IKEv2 nor IKEv1", major,
				m->version & 0x0f);
		return IKE_OK;
	}
	header_checks(m, len);

	size_t body = len - IKE_HDR_LEN;
	if (m->length >= IKE_HDR_LEN && m->length < len)
		body = m->length - IKE_HDR_LEN;
	struct ike_rd chain = ike_rd_sub(&r, body);

	struct ike_dctx ctx = {.msg = m, .arena = d->arena, .dec = d, .depth = 0};
	if (ike_decode_chain(&ctx, &chain, m->first_payload, &m->payloads, &m->n_payloads) == IKE_E_NOMEM)
		ike_msg_anomaly(m, IKE_AN_LIMIT, IKE_HDR_LEN, "decoder memory cap reached");

	learn_algs(d, m);
	ike_decrypt_message(d, m);
	return IKE_OK;
}
