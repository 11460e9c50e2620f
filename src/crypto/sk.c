/*
 * sk.c — opens an SK (RFC 7296 §3.14) or SKF (RFC 7383) payload: checks the
 * lengths, verifies the ICV or AEAD tag, then decrypts and strips the padding.
 *
 *   IV | ciphertext (inner payloads | padding | pad length) | ICV
 *
 * Integrity algorithms cover the IKE header through the end of the ciphertext.
 * AEAD (RFC 5282 GCM/CCM, RFC 7634 ChaCha20-Poly1305) takes the IKE header
 * through the SK/SKF header (fragment numbers included) as associated data,
 * with the nonce salt ‖ IV. AES-CTR (RFC 5930) counts from 1 after salt ‖ IV.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto_int.h"
#include "util/rd.h"

#define SPIS "0x%016" PRIx64 "/0x%016" PRIx64

struct sk_parts {
	struct ike_span authed; /* IKE header through the end of the ciphertext */
	struct ike_span aad;    /* IKE header through the SK/SKF header */
	struct ike_span iv, ct, icv;
};

static enum ike_err fail(enum ike_err e, char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static enum ike_err fail(enum ike_err e, char *why, size_t whylen, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return e;
}

/* Splits the payload; the SK header's own length bounds it. */
static enum ike_err split(const struct ike_encr_alg *e, size_t icv_len, const uint8_t *msg, size_t len, size_t sk_off,
			  size_t sk_hdr, struct sk_parts *p, char *why, size_t whylen)
{
	struct ike_rd r = ike_rd_init(msg, len, 0);
	ike_rd_skip(&r, sk_off);
	struct ike_rd h = r;
	ike_rd_skip(&h, 2);
	uint16_t plen = ike_rd_be16(&h);
	if (!ike_rd_ok(&h))
		return fail(IKE_E_MALFORMED, why, whylen, "SK header at offset %zu beyond the %zu-byte message", sk_off, len);
	if (plen < sk_hdr)
		return fail(IKE_E_MALFORMED, why, whylen, "SK payload length %u below its %zu-byte header", plen, sk_hdr);
	struct ike_rd body = ike_rd_sub(&r, plen);
	if (!ike_rd_ok(&body))
		return fail(IKE_E_MALFORMED, why, whylen, "SK payload length %u runs past the %zu-byte message", plen, len);
	ike_rd_skip(&body, sk_hdr);
	size_t enc = ike_rd_left(&body);
	if (enc < (size_t)e->iv_len + icv_len + 1)
		return fail(IKE_E_MALFORMED, why, whylen,
			    "SK payload of %zu encrypted bytes is shorter than IV (%u) + ICV (%zu) + pad length", enc,
			    e->iv_len, icv_len);
	p->iv = ike_rd_bytes(&body, e->iv_len);
	p->icv = ike_rd_tail(&body, icv_len);
	p->ct = ike_rd_rest(&body);
	if (e->kind == IKE_CK_CBC && p->ct.len % e->block_len)
		return fail(IKE_E_MALFORMED, why, whylen, "ciphertext of %zu bytes is not whole %u-byte blocks",
			    p->ct.len, e->block_len);
	struct ike_rd all = ike_rd_init(msg, len, 0);
	p->authed = ike_rd_bytes(&all, sk_off + plen - icv_len);
	all = ike_rd_init(msg, len, 0);
	p->aad = ike_rd_bytes(&all, sk_off + sk_hdr);
	return IKE_OK;
}

enum ike_err ike_sk_open(const struct ike_sa_keys *keys, bool from_initiator, const uint8_t *msg, size_t len,
			 size_t sk_off, size_t sk_hdr, uint8_t *out, size_t *out_len, char *why, size_t whylen)
{
	*out_len = 0;
	if (why && whylen)
		why[0] = '\0';
	if (sk_hdr != 4 && sk_hdr != 8)
		return fail(IKE_E_MALFORMED, why, whylen, "SK header of %zu bytes (4 for SK, 8 for SKF)", sk_hdr);
	const struct ike_encr_alg *e = ike_encr_find(keys->encr, keys->encr_bits);
	const struct ike_integ_alg *a = ike_integ_find(keys->integ);
	if (!e || !a || !ike_crypto_init())
		return fail(IKE_E_UNSUPPORTED, why, whylen, "algorithms %u/%u not supported", keys->encr, keys->integ);
	uint8_t dir = from_initiator ? IKE_KEYS_I : IKE_KEYS_R;
	const char *ename = from_initiator ? "SK_ei" : "SK_er", *aname = from_initiator ? "SK_ai" : "SK_ar";
	if (!(keys->have & dir))
		return fail(IKE_E_NOKEY, why, whylen, "no %s for " SPIS, ename, keys->ispi, keys->rspi);
	const uint8_t *ek = from_initiator ? keys->ei : keys->er;
	const uint8_t *ak = from_initiator ? keys->ai : keys->ar;

	struct sk_parts p = {0};
	enum ike_err err = split(e, keys->icv_len, msg, len, sk_off, sk_hdr, &p, why, whylen);
	if (err != IKE_OK)
		return err;

	if (ike_encr_is_aead(e)) {
		int r = ike_aead_open(e, ek, p.iv.p, p.aad.p, p.aad.len, p.ct.p, p.ct.len, p.icv.p, out);
		if (r < 0)
			return fail(IKE_E_UNSUPPORTED, why, whylen, "libgcrypt cannot run %s", e->charon);
		if (r == 0)
			return fail(IKE_E_AUTHFAIL, why, whylen, "ICV mismatch with %s of " SPIS " (%s)", ename,
				    keys->ispi, keys->rspi, e->charon);
	} else {
		if (a->kind != IKE_MK_UNCHECKED) {
			uint8_t mac[64];
			if (!ike_integ_compute(a, ak, keys->integ_len, p.authed.p, p.authed.len, mac))
				return fail(IKE_E_UNSUPPORTED, why, whylen, "libgcrypt cannot run %s", a->charon);
			bool match = sodium_memcmp(mac, p.icv.p, p.icv.len) == 0;
#ifdef IKESCOPE_FUZZING /* fuzz builds only: mutated bytes never carry a valid ICV, so let them reach the plaintext parser */
			match = true;
#endif
			sodium_memzero(mac, sizeof(mac));
			if (!match)
				return fail(IKE_E_AUTHFAIL, why, whylen, "ICV mismatch with %s of " SPIS " (%s)", aname,
					    keys->ispi, keys->rspi, a->charon);
		}
		if (!ike_cipher_decrypt(e, ek, p.iv.p, p.ct.p, p.ct.len, out)) {
			sodium_memzero(out, p.ct.len);
			return fail(IKE_E_UNSUPPORTED, why, whylen, "libgcrypt cannot run %s", e->charon);
		}
	}

	/* The pad length byte ends the plaintext; padding and it must fit. */
	size_t pad = out[p.ct.len - 1];
	if (pad + 1 > p.ct.len) {
		sodium_memzero(out, p.ct.len);
		return fail(IKE_E_MALFORMED, why, whylen, "pad length %zu beyond the %zu-byte plaintext", pad,
			    p.ct.len);
	}
	*out_len = p.ct.len - pad - 1;
	return IKE_OK;
}
