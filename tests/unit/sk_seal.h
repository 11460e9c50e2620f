/*
 * sk_seal.h — the encrypt side of SK/SKF, for tests only: builds an IKE
 * message whose last payload is an SK or SKF payload sealed with the given
 * keys, straight from libgcrypt and libsodium, so ike_sk_open() is checked
 * against an independent sender.
 */
#ifndef IKESCOPE_TEST_SK_SEAL_H
#define IKESCOPE_TEST_SK_SEAL_H

#include <gcrypt.h>
#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "crypto/crypto_int.h"
#include "ikebuild.h"

struct seal_opts {
	bool from_i;       /* I flag, and the key set used */
	bool skf;          /* SKF with fragment numbers */
	uint16_t frag_num, frag_total;
	size_t extra_pad;  /* padding bytes beyond what the block needs */
	int force_pad_len; /* >= 0: write this pad length byte instead of the true one */
};

static inline void seal_put(struct ikeb *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static inline bool seal_mac(const struct ike_integ_alg *a, const uint8_t *key, const uint8_t *d, size_t n,
			    uint8_t out[64])
{
	memset(out, 0, 64);
	if (a->kind == IKE_MK_XCBC)
		return ike_aes_xcbc_mac(key, d, n, out);
	gcry_mac_hd_t h;
	size_t ol = 64;
	if (gcry_mac_open(&h, a->gcry_mac, 0, NULL))
		return false;
	bool ok = !gcry_mac_setkey(h, key, a->key_len) && !gcry_mac_write(h, d, n) && !gcry_mac_read(h, out, &ol);
	gcry_mac_close(h);
	return ok;
}

/* Returns the message length, 0 when a library call failed. */
static inline size_t sk_seal(const struct ike_sa_keys *k, const struct seal_opts *o, uint8_t first_inner,
			     const uint8_t *inner, size_t n, struct ikeb *m)
{
	const struct ike_encr_alg *e = ike_encr_find(k->encr, k->encr_bits);
	const struct ike_integ_alg *a = ike_integ_find(k->integ);
	const uint8_t *ek = o->from_i ? k->ei : k->er, *ak = o->from_i ? k->ai : k->ar;
	uint8_t pt[2048], iv[16], icv[64] = {0};
	size_t block = e->block_len, pad = 0;

	while ((n + pad + 1) % block)
		pad++;
	pad += o->extra_pad * block;
	if (n)
		memcpy(pt, inner, n);
	for (size_t i = 0; i < pad; i++)
		pt[n + i] = (uint8_t)i;
	pt[n + pad] = o->force_pad_len >= 0 ? (uint8_t)o->force_pad_len : (uint8_t)pad;
	size_t ptl = n + pad + 1;
	randombytes_buf(iv, sizeof(iv));

	m->len = 0;
	ikeb_u64(m, k->ispi);
	ikeb_u64(m, k->rspi);
	ikeb_u8(m, o->skf ? 53 : 46);
	ikeb_u8(m, 0x20);
	ikeb_u8(m, 35);
	ikeb_u8(m, o->from_i ? 0x08 : 0x20);
	ikeb_u32(m, 1);
	size_t hdr_hlen = m->len;
	ikeb_u32(m, 0);
	size_t sk_off = m->len;
	ikeb_u8(m, first_inner);
	ikeb_u8(m, 0);
	size_t plen_at = m->len;
	ikeb_u16(m, 0);
	if (o->skf) {
		ikeb_u16(m, o->frag_num);
		ikeb_u16(m, o->frag_total);
	}
	size_t aad_len = m->len;
	size_t total = aad_len + e->iv_len + ptl + k->icv_len;
	ikeb_put16(m, plen_at, (uint16_t)(total - sk_off));
	m->b[hdr_hlen] = (uint8_t)(total >> 24);
	m->b[hdr_hlen + 1] = (uint8_t)(total >> 16);
	m->b[hdr_hlen + 2] = (uint8_t)(total >> 8);
	m->b[hdr_hlen + 3] = (uint8_t)total;
	seal_put(m, iv, e->iv_len);
	uint8_t *ct = m->b + m->len;
	size_t klen = (size_t)e->key_len - e->salt_len;
	uint8_t nonce[12];
	memcpy(nonce, ek + klen, e->salt_len);
	memcpy(nonce + e->salt_len, iv, 8);

	bool ok = true;
	if (e->kind == IKE_CK_NULL) {
		memcpy(ct, pt, ptl);
	} else if (e->kind == IKE_CK_CHACHA) {
		ok = crypto_aead_chacha20poly1305_ietf_encrypt_detached(ct, icv, NULL, pt, ptl, m->b, aad_len, NULL,
									nonce, ek) == 0;
	} else {
		static const int modes[] = {[IKE_CK_CBC] = GCRY_CIPHER_MODE_CBC, [IKE_CK_CTR] = GCRY_CIPHER_MODE_CTR,
					    [IKE_CK_GCM] = GCRY_CIPHER_MODE_GCM, [IKE_CK_CCM] = GCRY_CIPHER_MODE_CCM};
		gcry_cipher_hd_t h;
		ok = !gcry_cipher_open(&h, e->gcry_algo, modes[e->kind], 0) && !gcry_cipher_setkey(h, ek, klen);
		if (ok && e->kind == IKE_CK_CBC) {
			ok = !gcry_cipher_setiv(h, iv, e->iv_len);
		} else if (ok && e->kind == IKE_CK_CTR) {
			uint8_t ctr[16] = {0};
			memcpy(ctr, nonce, 12);
			ctr[15] = 1;
			ok = !gcry_cipher_setctr(h, ctr, 16);
		} else if (ok) {
			ok = !gcry_cipher_setiv(h, nonce, (size_t)e->salt_len + 8);
			if (ok && e->kind == IKE_CK_CCM) {
				uint64_t l[3] = {ptl, aad_len, e->icv_len};
				ok = !gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, l, sizeof(l));
			}
			ok = ok && !gcry_cipher_authenticate(h, m->b, aad_len);
		}
		ok = ok && !gcry_cipher_encrypt(h, ct, ptl, pt, ptl);
		if (ok && (e->kind == IKE_CK_GCM || e->kind == IKE_CK_CCM))
			ok = !gcry_cipher_gettag(h, icv, e->kind == IKE_CK_GCM ? 16 : e->icv_len);
		gcry_cipher_close(h);
	}
	m->len += ptl;
	if (ok && !ike_encr_is_aead(e)) {
		if (a->kind == IKE_MK_UNCHECKED)
			randombytes_buf(icv, k->icv_len);
		else
			ok = seal_mac(a, ak, m->b, m->len, icv);
	}
	seal_put(m, icv, k->icv_len);
	return ok ? m->len : 0;
}

#endif
