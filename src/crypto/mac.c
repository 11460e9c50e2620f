/*
 * mac.c — library start-up and the integrity algorithms: HMAC and AES-CMAC
 * from libgcrypt, AES-XCBC-MAC (RFC 3566, which libgcrypt lacks) over AES-ECB.
 */
#include <gcrypt.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "crypto/crypto_int.h"

static bool init_ok;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libs(void)
{
	if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
		if (!gcry_check_version(GCRYPT_VERSION))
			return;
		/* Keys live in libsodium's secure memory, not libgcrypt's. */
		gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
		gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	}
	init_ok = sodium_init() >= 0;
}

bool ike_crypto_init(void)
{
	pthread_once(&init_once, init_libs);
	return init_ok;
}

/* One AES-128 block, ECB, with the handle's key. */
static bool aes_block(gcry_cipher_hd_t h, uint8_t out[16], const uint8_t in[16])
{
	return gcry_cipher_encrypt(h, out, 16, in, 16) == 0;
}

bool ike_aes_xcbc_mac(const uint8_t key[16], const uint8_t *data, size_t len, uint8_t mac[16])
{
	gcry_cipher_hd_t h;
	uint8_t k1[16], k2[16], k3[16], c[16] = {0}, blk[16];
	bool ok = false;

	if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, 0))
		return false;
	/* RFC 3566 §4: K1, K2, K3 = E(K, 0x01..), E(K, 0x02..), E(K, 0x03..) */
	memset(blk, 0x01, 16);
	if (gcry_cipher_setkey(h, key, 16) || !aes_block(h, k1, blk))
		goto out;
	memset(blk, 0x02, 16);
	if (!aes_block(h, k2, blk))
		goto out;
	memset(blk, 0x03, 16);
	if (!aes_block(h, k3, blk) || gcry_cipher_setkey(h, k1, 16))
		goto out;
	/* Every block but the last: C = E(K1, M xor C). */
	while (len > 16) {
		for (size_t i = 0; i < 16; i++)
			blk[i] = data[i] ^ c[i];
		if (!aes_block(h, c, blk))
			goto out;
		data += 16;
		len -= 16;
	}
	/* Last block: whole ones are masked with K2, short (or empty) ones padded 10* and masked with K3. */
	const uint8_t *mask = len == 16 ? k2 : k3;
	memset(blk, 0, 16);
	memcpy(blk, data, len);
	if (len < 16)
		blk[len] = 0x80;
	for (size_t i = 0; i < 16; i++)
		blk[i] ^= c[i] ^ mask[i];
	ok = aes_block(h, mac, blk);
out:
	gcry_cipher_close(h);
	sodium_memzero(k1, sizeof(k1));
	sodium_memzero(k2, sizeof(k2));
	sodium_memzero(k3, sizeof(k3));
	sodium_memzero(c, sizeof(c));
	sodium_memzero(blk, sizeof(blk));
	return ok;
}

static bool gcry_mac_once(int algo, const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
			  uint8_t out[64])
{
	gcry_mac_hd_t h;
	size_t outlen = 64;
	if (gcry_mac_open(&h, algo, 0, NULL))
		return false;
	bool ok = gcry_mac_setkey(h, key, key_len) == 0 && gcry_mac_write(h, data, len) == 0 &&
		  gcry_mac_read(h, out, &outlen) == 0;
	gcry_mac_close(h);
	return ok;
}

bool ike_integ_compute(const struct ike_integ_alg *a, const uint8_t *key, size_t key_len, const uint8_t *data,
		       size_t len, uint8_t out[64])
{
	if (!ike_crypto_init())
		return false;
	memset(out, 0, 64);
	switch (a->kind) {
	case IKE_MK_HMAC:
	case IKE_MK_CMAC:
		return gcry_mac_once(a->gcry_mac, key, key_len, data, len, out);
	case IKE_MK_XCBC:
		return key_len == 16 && ike_aes_xcbc_mac(key, data, len, out);
	case IKE_MK_NONE:
	case IKE_MK_UNCHECKED:
		break;
	}
	return false;
}
