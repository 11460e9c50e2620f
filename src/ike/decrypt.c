/*
 * decrypt.c — opens the SK or SKF payload of a decoded message with the keys
 * the user gave, and decodes the inner chain with the same dissectors.
 *
 * The ICV is verified before anything is decrypted (keys.h: ike_sk_open); a
 * message that fails is marked icv "bad" and nothing of its plaintext is
 * decoded. SKF fragments (RFC 7383) are each verified and decrypted on their
 * own, kept per (SPIs, message ID, direction) until all have come, in any
 * order; the message that completes the set carries the reassembled chain.
 */
#include <stdlib.h>
#include <string.h>

#include "dissector.h"
#include "ike/decoder.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"

#define PT_SK 46
#define PT_SKF 53

static struct ike_frag_set *frag_find(struct ike_decoder *d, const struct ike_msg *m)
{
	uint8_t dir = m->flags & IKE_FLAG_I;
	for (size_t i = 0; i < IKE_DEC_FRAG_SETS; i++) {
		struct ike_frag_set *f = &d->frags[i];
		if (f->used && f->ispi == m->ispi && f->rspi == m->rspi && f->mid == m->mid && f->dir == dir &&
		    f->response == ike_msg_is_response(m))
			return f;
	}
	return NULL;
}

/* "message 1 of 0x…: fragment(s) 2, 3 of 3 never came" (the list is cut short when long). */
static void frag_describe(const struct ike_frag_set *f, char *buf, size_t cap)
{
	char miss[32] = "";
	size_t len = 0;
	for (uint16_t n = 1; n <= f->total && len + 8 < sizeof(miss); n++) {
		if (f->len[n - 1] == 0 && !f->have_empty[n - 1])
			len += (size_t)snprintf(miss + len, sizeof(miss) - len, "%s%u", len ? ", " : "", n);
	}
	snprintf(buf, cap, "message %u of 0x%016llx: fragment(s) %s of %u never came", f->mid,
		 (unsigned long long)f->ispi, miss, f->total);
}

static void frag_release(struct ike_frag_set *f)
{
	f->used = false;
	f->n_have = 0;
	f->bytes = 0;
	memset(f->len, 0, sizeof(f->len));
	memset(f->have_empty, 0, sizeof(f->have_empty));
}

/* A slot for a new set; the oldest one is given up (and reported) when all are taken. */
static struct ike_frag_set *frag_new(struct ike_decoder *d, struct ike_msg *m, uint16_t total)
{
	struct ike_frag_set *f = NULL;
	for (size_t i = 0; i < IKE_DEC_FRAG_SETS && !f; i++)
		if (!d->frags[i].used)
			f = &d->frags[i];
	if (!f) {
		f = &d->frags[0];
		for (size_t i = 1; i < IKE_DEC_FRAG_SETS; i++)
			if (d->frags[i].seq < f->seq)
				f = &d->frags[i];
		char what[128];
		frag_describe(f, what, sizeof(what));
		ike_msg_anomaly(m, IKE_AN_FRAGMENT_MISSING, 0, "gave up: %s", what);
		frag_release(f);
	}
	if (!f->buf) {
		f->buf = malloc(IKE_DEC_FRAG_BYTES);
		if (!f->buf)
			return NULL;
	}
	f->used = true;
	f->ispi = m->ispi;
	f->rspi = m->rspi;
	f->mid = m->mid;
	f->dir = m->flags & IKE_FLAG_I;
	f->response = ike_msg_is_response(m);
	f->total = total;
	f->first_np = 0;
	f->last_at = m->at;
	f->seq = ++d->frag_seq;
	return f;
}

/*
 * Keeps one decrypted fragment. Returns the set when it is now complete (its
 * plaintext is then joined into the arena by the caller), NULL otherwise.
 */
static struct ike_frag_set *frag_add(struct ike_decoder *d, struct ike_msg *m, const struct ike_payload *pl,
				     const uint8_t *plain, size_t len)
{
	uint16_t num = pl->u.sk.frag_num, total = pl->u.sk.frag_total;
	if (num == 0 || total == 0 || num > total)
		return NULL; /* the SKF dissector has reported it */
	if (total > IKE_DEC_FRAG_MAX) {
		ike_msg_anomaly(m, IKE_AN_LIMIT, pl->offset, "EF: %u fragments announced, at most %d reassembled",
				total, IKE_DEC_FRAG_MAX);
		return NULL;
	}
	struct ike_frag_set *f = frag_find(d, m);
	if (f && f->total != total) {
		ike_msg_anomaly(m, IKE_AN_MALFORMED, pl->offset, "EF: total changed from %u to %u; restarting",
				f->total, total);
		frag_release(f);
		f = NULL;
	}
	if (!f)
		f = frag_new(d, m, total);
	if (!f)
		return NULL;
	f->last_at = m->at;
	if (f->len[num - 1] || f->have_empty[num - 1])
		return NULL; /* a retransmitted fragment: already have it */
	if (len > IKE_DEC_FRAG_BYTES - f->bytes) {
		ike_msg_anomaly(m, IKE_AN_LIMIT, pl->offset, "EF: reassembled message over %u bytes; dropped",
				IKE_DEC_FRAG_BYTES);
		frag_release(f);
		return NULL;
	}
	memcpy(f->buf + f->bytes, plain, len);
	f->off[num - 1] = (uint32_t)f->bytes;
	f->len[num - 1] = (uint32_t)len;
	f->have_empty[num - 1] = len == 0;
	f->bytes += len;
	if (num == 1)
		f->first_np = pl->next;
	f->n_have++;
	return f->n_have == f->total ? f : NULL;
}

static void decode_inner(struct ike_decoder *d, struct ike_msg *m, struct ike_payload *pl, const uint8_t *plain,
			 size_t len, uint8_t first, size_t base_off)
{
	pl->u.sk.opened = true;
	struct ike_dctx ctx = {.msg = m, .arena = d->arena, .dec = d, .depth = 1};
	struct ike_rd r = ike_rd_init(plain, len, base_off);
	if (ike_decode_chain(&ctx, &r, first, &pl->u.sk.inner, &pl->u.sk.n_inner) == IKE_E_NOMEM)
		ike_msg_anomaly(m, IKE_AN_LIMIT, (uint32_t)base_off, "decoder memory cap reached");
}

/* The user's keys first, then those learnt from logs; an SA with neither
 * gets one try of the log candidates against this message's ICV. */
static const struct ike_sa_keys *find_keys(struct ike_decoder *d, const struct ike_msg *m,
					  const struct ike_payload *pl, size_t hdr)
{
	const struct ike_sa_keys *k = d->keys ? ike_keyring_find(d->keys, m->ispi, m->rspi) : NULL;
	if (!k && d->learned)
		k = ike_keyring_find(d->learned, m->ispi, m->rspi);
	if (k || !d->cands || !d->learned)
		return k;
	struct ike_sa_algs algs;
	bool known = ike_decoder_sa_algs(d, m->ispi, m->rspi, &algs);
	if (!ike_keycands_try(d->cands, d->learned, known ? &algs : NULL, m, pl->offset, hdr))
		return NULL;
	return ike_keyring_find(d->learned, m->ispi, m->rspi);
}

void ike_decoder_set_candidates(struct ike_decoder *d, struct ike_keycands *c)
{
	d->cands = c;
	if (c && !d->learned)
		d->learned = ike_keyring_new();
}

const struct ike_keyring *ike_decoder_learned_keys(const struct ike_decoder *d)
{
	return d->learned;
}

void ike_decrypt_message(struct ike_decoder *d, struct ike_msg *m)
{
	struct ike_payload *pl = NULL;
	for (uint16_t i = 0; i < m->n_payloads; i++)
		if (m->payloads[i].type == PT_SK || m->payloads[i].type == PT_SKF)
			pl = &m->payloads[i];
	if (!pl)
		return;
	m->decrypted = IKE_DEC_NO_KEY;
	m->icv = IKE_ICV_UNCHECKED;
	if (!pl->decoded)
		return;
	bool skf = pl->type == PT_SKF;
	size_t hdr = skf ? 8 : 4;
	const struct ike_sa_keys *k = find_keys(d, m, pl, hdr);
	if (!k)
		return;
	size_t msg_len = m->raw.len;
	if (m->length >= 28 && m->length < msg_len)
		msg_len = m->length;
	uint8_t *plain = ike_arena_alloc(d->arena, msg_len);
	if (!plain) {
		ike_msg_anomaly(m, IKE_AN_LIMIT, pl->offset, "decoder memory cap reached");
		return;
	}
	size_t plain_len = 0;
	char why[160] = "";
	enum ike_err e = ike_sk_open(k, ike_msg_from_initiator(m), m->raw.p, msg_len, pl->offset, hdr, plain,
				     &plain_len, why, sizeof(why));
	switch (e) {
	case IKE_OK: break;
	case IKE_E_NOKEY: return;
	case IKE_E_AUTHFAIL:
		m->icv = IKE_ICV_BAD;
		m->decrypted = IKE_DEC_FAILED;
		ike_msg_anomaly(m, IKE_AN_ICV_BAD, pl->offset, "%s", why);
		return;
	default:
		m->decrypted = IKE_DEC_FAILED;
		ike_msg_anomaly(m, IKE_AN_DECRYPT_FAILED, pl->offset, "%s", why[0] ? why : ike_err_str(e));
		return;
	}
	m->decrypted = IKE_DEC_YES;
	m->icv = ike_sa_keys_icv_checked(k) ? IKE_ICV_OK : IKE_ICV_UNCHECKED;
	size_t base = pl->offset + hdr + pl->u.sk.iv.len;
	if (!skf) {
		decode_inner(d, m, pl, plain, plain_len, pl->next, base);
		return;
	}
	struct ike_frag_set *f = frag_add(d, m, pl, plain, plain_len);
	if (!f)
		return;
	/* Complete: join the fragments in order and decode them as one chain. */
	uint8_t *joined = ike_arena_alloc(d->arena, f->bytes ? f->bytes : 1);
	if (!joined) {
		ike_msg_anomaly(m, IKE_AN_LIMIT, pl->offset, "decoder memory cap reached");
		frag_release(f);
		return;
	}
	size_t at = 0;
	for (uint16_t n = 0; n < f->total; n++) {
		memcpy(joined + at, f->buf + f->off[n], f->len[n]);
		at += f->len[n];
	}
	m->reassembled_from = f->total;
	uint8_t first = f->first_np;
	frag_release(f);
	decode_inner(d, m, pl, joined, at, first, base);
}

bool ike_decoder_flush(struct ike_decoder *d, struct ike_origin *at, struct ike_anomaly *a)
{
	for (size_t i = 0; i < IKE_DEC_FRAG_SETS; i++) {
		struct ike_frag_set *f = &d->frags[i];
		if (!f->used)
			continue;
		*at = f->last_at;
		memset(a, 0, sizeof(*a));
		a->kind = IKE_AN_FRAGMENT_MISSING;
		frag_describe(f, a->detail, sizeof(a->detail));
		frag_release(f);
		return true;
	}
	return false;
}
