/*
 * cipher.c — the decryption primitives behind ike_sk_open(): CBC, CTR and
 * NULL with libgcrypt, AEAD with libgcrypt (GCM, CCM) and libsodium
 * (ChaCha20-Poly1305 IETF). Keys arrive with their salt at the end.
 */
#include <gcrypt.h>
#include <sodium.h>
#include <string.h>

#include "crypto/crypto_int.h"

bool ike_cipher_decrypt(const struct ike_encr_alg *e, const uint8_t *key, const uint8_t *iv, const uint8_t *in,
			size_t n, uint8_t *out)
{
	if (e->kind == IKE_CK_NULL) {
		if (n)
			memcpy(out, in, n);
		return true;
	}
	if (e->kind != IKE_CK_CBC && e->kind != IKE_CK_CTR)
		return false;
	gcry_cipher_hd_t h;
	int mode = e->kind == IKE_CK_CBC ? GCRY_CIPHER_MODE_CBC : GCRY_CIPHER_MODE_CTR;
	if (!ike_crypto_init() || gcry_cipher_open(&h, e->gcry_algo, mode, 0))
		return false;
	bool ok = gcry_cipher_setkey(h, key, (size_t)e->key_len - e->salt_len) == 0;
	if (ok && e->kind == IKE_CK_CBC) {
		ok = gcry_cipher_setiv(h, iv, e->iv_len) == 0;
	} else if (ok) {
		/* RFC 3686 counter block: nonce (the salt) | IV | 32-bit counter from 1 */
		uint8_t ctr[16] = {0};
		memcpy(ctr, key + e->key_len - e->salt_len, 4);
		memcpy(ctr + 4, iv, 8);
		ctr[15] = 1;
		ok = gcry_cipher_setctr(h, ctr, sizeof(ctr)) == 0;
		sodium_memzero(ctr, sizeof(ctr));
	}
	ok = ok && gcry_cipher_decrypt(h, out, n, in, n) == 0;
	gcry_cipher_close(h);
	return ok;
}

/*
 * libgcrypt computes the GCM/CCM tag while it decrypts, so the plaintext goes
 * to out first and is wiped unless the tag matches; libsodium checks the
 * Poly1305 tag before it decrypts.
 */
int ike_aead_open(const struct ike_encr_alg *e, const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
		  size_t aad_len, const uint8_t *ct, size_t n, const uint8_t *tag, uint8_t *out)
{
	uint8_t nonce[12], got[16];
	size_t klen = (size_t)e->key_len - e->salt_len;
	size_t nlen = (size_t)e->salt_len + 8;
	int r;
	if (!ike_encr_is_aead(e) || nlen > sizeof(nonce) || !ike_crypto_init())
		return -1;
	memcpy(nonce, key + klen, e->salt_len);
	memcpy(nonce + e->salt_len, iv, 8);
	if (e->kind == IKE_CK_CHACHA) {
		r = crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, NULL, ct, n, tag, aad, aad_len, nonce, key) == 0;
		sodium_memzero(nonce, sizeof(nonce));
		return r;
	}
	gcry_cipher_hd_t h;
	int mode = e->kind == IKE_CK_GCM ? GCRY_CIPHER_MODE_GCM : GCRY_CIPHER_MODE_CCM;
	if (gcry_cipher_open(&h, e->gcry_algo, mode, 0))
		return -1;
	bool ok = gcry_cipher_setkey(h, key, klen) == 0 && gcry_cipher_setiv(h, nonce, nlen) == 0;
	if (ok && e->kind == IKE_CK_CCM) {
		uint64_t lens[3] = {n, aad_len, e->icv_len};
		ok = gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, lens, sizeof(lens)) == 0;
	}
	ok = ok && gcry_cipher_authenticate(h, aad, aad_len) == 0 && gcry_cipher_decrypt(h, out, n, ct, n) == 0 &&
	     gcry_cipher_gettag(h, got, e->kind == IKE_CK_GCM ? 16 : e->icv_len) == 0;
	gcry_cipher_close(h);
	r = !ok ? -1 : sodium_memcmp(got, tag, e->icv_len) == 0;
	if (r != 1 && n)
		sodium_memzero(out, n);
	sodium_memzero(nonce, sizeof(nonce));
	sodium_memzero(got, sizeof(got));
	return r;
}
