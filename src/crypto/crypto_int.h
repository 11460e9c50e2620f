/*
 * crypto_int.h — the algorithm tables and primitives behind keys.h, shared by
 * the keyring, the key-file readers, the writer and ike_sk_open().
 */
#ifndef IKESCOPE_CRYPTO_INT_H
#define IKESCOPE_CRYPTO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/keys.h"

enum ike_cipher_kind { IKE_CK_NULL, IKE_CK_CBC, IKE_CK_CTR, IKE_CK_GCM, IKE_CK_CCM, IKE_CK_CHACHA };
enum ike_mac_kind { IKE_MK_NONE, IKE_MK_HMAC, IKE_MK_XCBC, IKE_MK_CMAC, IKE_MK_UNCHECKED };

struct ike_encr_alg {
	uint16_t id;
	uint16_t bits;           /* Key Length attribute; 0 for fixed-size ciphers */
	const char *wireshark;   /* ikev2_decryption_table string */
	const char *tcpdump;     /* libreswan's base name; the key bits follow it */
	const char *charon;      /* "AES_CBC_256" */
	uint8_t key_len;         /* bytes of SK_e, salt included */
	uint8_t salt_len;        /* trailing salt bytes of SK_e (CTR, GCM, CCM, ChaCha20) */
	uint8_t iv_len;          /* IV on the wire */
	uint8_t block_len;       /* CBC block; ciphertext must be whole blocks */
	uint8_t icv_len;         /* AEAD tag; 0 for ciphers that need an integrity algorithm */
	enum ike_cipher_kind kind;
	int gcry_algo;           /* GCRY_CIPHER_*, 0 for NULL and ChaCha20 */
};

struct ike_integ_alg {
	uint16_t id;
	const char *wireshark;
	const char *tcpdump;
	const char *charon;
	uint8_t key_len;         /* bytes of SK_a */
	uint8_t icv_len;         /* bytes of ICV */
	enum ike_mac_kind kind;
	int gcry_mac;            /* GCRY_MAC_* for HMAC and CMAC */
};

static inline bool ike_encr_is_aead(const struct ike_encr_alg *e) { return e->icv_len != 0; }

const struct ike_encr_alg *ike_encr_find(uint16_t id, uint16_t bits);
const struct ike_integ_alg *ike_integ_find(uint16_t id);
/* With a Key Length attribute as negotiated: -1 or 0 when absent, 192/256 accepted for 3DES/ChaCha20. */
const struct ike_encr_alg *ike_encr_find_negotiated(uint16_t id, int32_t bits);
/* s[0..n): exact Wireshark (or ikescope) string. */
const struct ike_encr_alg *ike_encr_by_wireshark(const char *s, size_t n);
const struct ike_integ_alg *ike_integ_by_wireshark(const char *s, size_t n);
/* s[0..n): libreswan/tcpdump name ("aes128", "aes_gcm_16256", "aes256-cbc", "sha1"). */
const struct ike_encr_alg *ike_encr_by_tcpdump(const char *s, size_t n);
const struct ike_integ_alg *ike_integ_by_tcpdump(const char *s, size_t n);

/* Initialises libgcrypt and libsodium once; false when either fails. */
bool ike_crypto_init(void);

/*
 * Computes the integrity algorithm's full output (at most 64 bytes) over
 * data; the ICV is its first icv_len bytes. false when the library refuses.
 */
bool ike_integ_compute(const struct ike_integ_alg *a, const uint8_t *key, size_t key_len, const uint8_t *data,
		       size_t len, uint8_t out[64]);

/* CBC, CTR or NULL: n bytes of in to out. */
bool ike_cipher_decrypt(const struct ike_encr_alg *e, const uint8_t *key, const uint8_t *iv, const uint8_t *in,
			size_t n, uint8_t *out);
/* AEAD with nonce salt | iv (8 bytes): 1 tag verified and plaintext in out,
 * 0 tag mismatch (out wiped), -1 library failure. */
int ike_aead_open(const struct ike_encr_alg *e, const uint8_t *key, const uint8_t *iv, const uint8_t *aad,
		  size_t aad_len, const uint8_t *ct, size_t n, const uint8_t *tag, uint8_t *out);

/* AES-XCBC-MAC (RFC 3566) with a 16-byte key: the full 16-byte MAC. */
bool ike_aes_xcbc_mac(const uint8_t key[16], const uint8_t *data, size_t len, uint8_t mac[16]);

#endif
