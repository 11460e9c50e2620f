/*
 * sk_layout.c — IV/ciphertext/ICV split of SK and SKF (RFC 7296 §3.14,
 * RFC 5282 §3 for AEAD, RFC 7634 for ChaCha20-Poly1305, RFC 7383 §2.5).
 *
 * The split is the order strongSwan's encrypted_payload.c checks before it
 * decrypts: IV from the front, ICV from the back, and for block ciphers the
 * rest must be whole blocks. Decryption itself fills sk->inner later; this
 * file only locates the pieces.
 */
#include "sk_layout.h"

struct encr_layout {
	uint16_t id;
	uint8_t iv, block, icv; /* icv != 0: AEAD, the integrity transform is unused */
};

/* IKEv2 Encryption Algorithm Transform IDs (IANA), as charon implements them. */
static const struct encr_layout encrs[] = {
	{2, 8, 8, 0},    /* DES_CBC */
	{3, 8, 8, 0},    /* 3DES_CBC */
	{6, 8, 8, 0},    /* CAST_CBC */
	{7, 8, 8, 0},    /* BLOWFISH_CBC */
	{11, 0, 1, 0},   /* NULL */
	{12, 16, 16, 0}, /* AES_CBC */
	{13, 8, 1, 0},   /* AES_CTR */
	{14, 8, 1, 8},   /* AES_CCM_8 */
	{15, 8, 1, 12},  /* AES_CCM_12 */
	{16, 8, 1, 16},  /* AES_CCM_16 */
	{18, 8, 1, 8},   /* AES_GCM_8 */
	{19, 8, 1, 12},  /* AES_GCM_12 */
	{20, 8, 1, 16},  /* AES_GCM_16 */
	{21, 8, 1, 16},  /* NULL_AES_GMAC */
	{23, 16, 16, 0}, /* CAMELLIA_CBC */
	{24, 8, 1, 0},   /* CAMELLIA_CTR */
	{25, 8, 1, 8},   /* CAMELLIA_CCM_8 */
	{26, 8, 1, 12},  /* CAMELLIA_CCM_12 */
	{27, 8, 1, 16},  /* CAMELLIA_CCM_16 */
	{28, 8, 1, 16},  /* CHACHA20_POLY1305 */
};

/* Integrity Algorithm Transform IDs and their truncated output lengths. */
static size_t integ_icv(uint16_t id)
{
	switch (id) {
	case 1: return 12;  /* HMAC_MD5_96 */
	case 2: return 12;  /* HMAC_SHA1_96 */
	case 5: return 12;  /* AES_XCBC_96 */
	case 6: return 16;  /* HMAC_MD5_128 */
	case 7: return 20;  /* HMAC_SHA1_160 */
	case 8: return 12;  /* AES_CMAC_96 */
	case 12: return 16; /* HMAC_SHA2_256_128 */
	case 13: return 24; /* HMAC_SHA2_384_192 */
	case 14: return 32; /* HMAC_SHA2_512_256 */
	default: return 0;
	}
}

bool ike_sk_layout(const struct ike_sa_algs *a, size_t *iv, size_t *icv, size_t *block)
{
	for (size_t i = 0; i < sizeof(encrs) / sizeof(encrs[0]); i++) {
		if (encrs[i].id != a->encr)
			continue;
		size_t t = encrs[i].icv ? encrs[i].icv : integ_icv(a->integ);
		if (t == 0)
			return false;
		*iv = encrs[i].iv;
		*icv = t;
		*block = encrs[i].block;
		return true;
	}
	return false;
}

void ike_sk_split(struct ike_dctx *ctx, struct ike_rd *body, struct ike_pl_sk *sk, const char *who)
{
	size_t at = body->off;
	sk->encrypted = ike_rd_rest(body);
	struct ike_sa_algs algs;
	size_t iv, icv, block;
	if (!ctx->dec || !ike_decoder_sa_algs(ctx->dec, ctx->msg->ispi, ctx->msg->rspi, &algs) ||
	    !ike_sk_layout(&algs, &iv, &icv, &block))
		return;
	/* At least one byte (the Pad Length) must sit between IV and ICV. */
	if (sk->encrypted.len <= iv + icv) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_SMALL, at, "%s: %zu encrypted bytes, IV %zu + ICV %zu need more",
				 who, sk->encrypted.len, iv, icv);
		return;
	}
	struct ike_rd r = ike_rd_span(sk->encrypted, at);
	sk->iv = ike_rd_bytes(&r, iv);
	sk->icv = ike_rd_tail(&r, icv);
	sk->ciphertext = ike_rd_rest(&r);
	sk->split = true;
	if (sk->ciphertext.len % block)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, at + iv, "%s: ciphertext of %zu bytes is not a multiple of the %zu-byte block",
				 who, sk->ciphertext.len, block);
}

void ike_sk_describe(const struct ike_pl_sk *sk, const struct ike_emit *e)
{
	ike_emit_b(e, "split", sk->split);
	ike_emit_u(e, "encrypted_length", sk->encrypted.len);
	if (!sk->split)
		return;
	ike_emit_hex(e, "iv", sk->iv.p, sk->iv.len);
	ike_emit_u(e, "ciphertext_length", sk->ciphertext.len);
	ike_emit_hex(e, "icv", sk->icv.p, sk->icv.len);
}
