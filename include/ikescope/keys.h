/*
 * keys.h — IKE SA keys: the key store, the key-file readers and writer, and
 * opening (verify, then decrypt) an SK or SKF payload.
 *
 * Key material lives in libsodium secure memory (guarded, locked, read-only
 * once loaded, wiped on free). Nothing here prints key bytes except the
 * formatters at the end, which exist for the `keys` command.
 *
 * Algorithm names in key files (one line per SA, detected line by line):
 *  - Wireshark ikev2_decryption_table rows (also written by strongSwan's
 *    save-keys plugin): SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ" with
 *    Wireshark's exact strings ("AES-CBC-256 [RFC3602]", "HMAC_SHA1_96 [RFC2404]",
 *    "ANY 96-bits of Authentication [No Checking]", …). For what Wireshark
 *    lacks, ikescope adds "CHACHA20-POLY1305 [RFC7634]", "AES-XCBC-96 [RFC3566]"
 *    and "AES-CMAC-96 [RFC4494]".
 *  - tcpdump / libreswan lines, one direction each:
 *    ikev2 I|R 0xSPIi 0xSPIr INTEG:0xKEY ENCR:0xKEY with libreswan's names
 *    (integ md5, sha1, sha256, sha384, sha512, aes_xcbc, aes_cmac, none,
 *    hmac_sha2_256_truncbug; ikescope adds md5_128 and sha1_160; encryption
 *    null, 3des, aesBITS, aes_ctrBITS, aes_gcmBITS (8-octet ICV, as libreswan
 *    writes it), aes_gcm_12BITS, aes_gcm_16BITS, aes_ccm_8/12/16BITS,
 *    chacha20_poly1305; tcpdump's aes128-cbc style is accepted too).
 * AEAD and CTR keys include the salt (GCM, CTR, ChaCha20: +4 bytes; CCM: +3).
 */
#ifndef IKESCOPE_KEYS_H
#define IKESCOPE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/ike.h"

#define IKE_KEYRING_MAX_SAS 4096   /* SAs per keyring; more are reported and dropped */
#define IKE_KEYFILE_MAX_LINE 4096  /* longer key-file lines are reported and skipped */
#define IKE_KEY_MAX 64             /* longest key: SK_ai of HMAC_SHA2_512_256 */

/*
 * Integrity ids beyond the IANA registry (which assigns ids below 0xf000):
 * HMAC-SHA-256 truncated to 96 bits (draft-ietf-ipsec-ciph-sha-256-00, what
 * Wireshark calls HMAC_SHA2_256_96 and libreswan hmac_sha2_256_truncbug), and
 * "no checking": the ICV of the given size is skipped, not verified.
 */
#define IKE_INTEG_NONE 0
#define IKE_INTEG_HMAC_SHA2_256_96 0xf001
#define IKE_INTEG_UNCHECKED(bits) (0xf100 | ((bits) / 8)) /* bits: 64, 96, 128, 160, 192, 256 */
static inline bool ike_integ_is_unchecked(uint16_t integ) { return (integ & 0xff00) == 0xf100; }

#define IKE_KEYS_I 0x01 /* SK_ei/SK_ai present: messages with the I flag */
#define IKE_KEYS_R 0x02 /* SK_er/SK_ar present: messages without it */

/* One IKE SA's keys. Borrowed from the keyring that holds it. */
struct ike_sa_keys {
	uint64_t ispi, rspi;
	uint16_t encr;      /* IANA ENCR id */
	uint16_t encr_bits; /* Key Length attribute, salt excluded; 0 when the cipher has none (3DES, NULL, ChaCha20) */
	uint16_t integ;     /* IANA INTEG id, IKE_INTEG_NONE for AEAD, or one of the ids above */
	uint8_t icv_len;    /* bytes at the end of the SK payload: AEAD tag or integrity output */
	uint8_t have;       /* IKE_KEYS_I | IKE_KEYS_R: directions known (a tcpdump line gives one) */
	uint16_t enc_len, integ_len;      /* bytes of each SK_e? and each SK_a? */
	const uint8_t *ei, *er, *ai, *ar; /* secure memory, read-only */
	char origin[96];                  /* "FILE:LINE" (or source name) that first gave the SA */
};

/* Whether the ICV is verified with these keys (false for the "no checking" ids). */
static inline bool ike_sa_keys_icv_checked(const struct ike_sa_keys *k) { return !ike_integ_is_unchecked(k->integ); }

/* Keys harvested elsewhere (charon ike=4 dumps): IANA ids and raw bytes, copied. */
struct ike_sa_keyspec {
	uint64_t ispi, rspi;
	uint16_t encr;
	int32_t encr_bits; /* Key Length attribute; -1 or 0 when the transform has none */
	uint16_t integ;
	uint8_t dirs;      /* IKE_KEYS_I and/or IKE_KEYS_R: which keys below are given */
	const uint8_t *ei, *er, *ai, *ar;
	size_t ei_len, er_len, ai_len, ar_len;
	const char *origin; /* where they came from, for conflict reports; may be NULL */
};

struct ike_keyring; /* owned; free with ike_keyring_free() */

/* Diagnostics: the library never prints; each problem is one line
 * "FILE:LINE: reason" (never any key bytes). */
struct ike_diag {
	void (*fn)(void *ctx, const char *line);
	void *ctx;
};

struct ike_keyring *ike_keyring_new(void); /* NULL on out of memory or crypto library failure */
void ike_keyring_free(struct ike_keyring *k);

/*
 * Loads a key file. Bad lines are reported through diag (may be NULL) and
 * skipped; the rest load. The same SA given twice is kept once when the keys
 * agree, reported as a conflict when they do not (the first one stays).
 * Returns how many SAs or directions the file added, or -1 when it cannot be
 * read ("FILE: No such file or directory").
 */
int ike_keyring_load_file(struct ike_keyring *k, const char *path, const struct ike_diag *diag);
/* The same over text in memory; name stands for the file in diagnostics. */
int ike_keyring_load_buffer(struct ike_keyring *k, const char *name, const char *text, size_t len,
			    const struct ike_diag *diag);

/*
 * Adds one SA (or one direction of it). Returns 1 when something was added, 0
 * when everything given was already there (identical), -1 on an invalid spec
 * or a conflict, IKE_KEYRING_FULL when a new SA is past IKE_KEYRING_MAX_SAS,
 * with the reason in why (no key bytes).
 */
#define IKE_KEYRING_FULL (-2)
int ike_keyring_add(struct ike_keyring *k, const struct ike_sa_keyspec *spec, char *why, size_t whylen);

size_t ike_keyring_count(const struct ike_keyring *k);
/* The i-th SA in load order (NULL beyond the count). */
const struct ike_sa_keys *ike_keyring_at(const struct ike_keyring *k, size_t i);
/* The SA with this SPI pair, or NULL. */
const struct ike_sa_keys *ike_keyring_find(const struct ike_keyring *k, uint64_t ispi, uint64_t rspi);

/*
 * IV and ICV sizes of an SK payload under these algorithms (as negotiated:
 * encr_bits -1 or 0 when the transform has no Key Length), for splitting the
 * payload in the model without keys. false for unknown or mismatched ones.
 */
bool ike_sk_sizes(uint16_t encr, int32_t encr_bits, uint16_t integ, size_t *iv_len, size_t *icv_len);

/* Algorithm names: charon's ("AES_CBC_256", "HMAC_SHA1_96") and Wireshark's; NULL when unknown. */
const char *ike_encr_charon_name(uint16_t encr, uint16_t bits);
const char *ike_integ_charon_name(uint16_t integ);
const char *ike_encr_wireshark_name(uint16_t encr, uint16_t bits);
const char *ike_integ_wireshark_name(uint16_t integ);

/*
 * Opens an SK (sk_hdr 4) or SKF (sk_hdr 8: fragment number and total belong to
 * the associated data) payload.
 * msg, len: the whole IKE message, header included; sk_off: offset of the
 * SK/SKF generic payload header, whose length field bounds the payload.
 * from_initiator: the header's I flag, which picks SK_ei/SK_ai or SK_er/SK_ar.
 * The ICV (or AEAD tag) is verified first, in constant time; no plaintext is
 * released unless it verifies. For the "no checking" integrity ids the ICV is
 * skipped. On IKE_OK the inner payloads (padding and pad length removed) are
 * in out (caller's buffer of at least len bytes, not overlapping msg) and their
 * length in *out_len. For AES-GCM/CCM libgcrypt computes the tag while it
 * decrypts, so out holds plaintext during the call and is wiped on a mismatch.
 * Errors, with a one-line reason in why (never key bytes):
 *  IKE_E_AUTHFAIL    the ICV did not verify ("ICV mismatch with SK_ai of 0x…/0x… (HMAC_SHA1_96)")
 *  IKE_E_MALFORMED   impossible lengths: shorter than IV + ICV, CBC ciphertext
 *                    not whole blocks, pad length beyond the plaintext
 *  IKE_E_NOKEY       the keys for this direction are not known
 *  IKE_E_UNSUPPORTED an algorithm the crypto library cannot run
 */
enum ike_err ike_sk_open(const struct ike_sa_keys *keys, bool from_initiator, const uint8_t *msg, size_t len,
			 size_t sk_off, size_t sk_hdr, uint8_t *out, size_t *out_len, char *why, size_t whylen);

/* ---- writing keys (the `keys` command only) ---------------------------- */

enum ike_key_format {
	IKE_KEYS_WIRESHARK, /* one ikev2_decryption_table row */
	IKE_KEYS_TCPDUMP,   /* two lines, "ikev2 I …" and "ikev2 R …" */
	IKE_KEYS_JSON,      /* one {"v":1,"type":"keys",…} object */
};

/*
 * Formats one SA, newline-terminated, into buf (NUL-terminated when cap > 0).
 * Returns the length it needed (as snprintf), or -1 when the format cannot
 * express the SA (tcpdump has no "no checking" integrity; a direction is
 * missing for Wireshark). The caller wipes buf (sodium_memzero) after use.
 */
int ike_sa_keys_format(const struct ike_sa_keys *sa, enum ike_key_format fmt, char *buf, size_t cap);
/* Writes every SA the format can express; returns how many, or -1 on a write error. */
int ike_keyring_write(const struct ike_keyring *k, enum ike_key_format fmt, FILE *f);

#endif
