/*
 * keywrite.c — writes IKE SA keys as Wireshark ikev2_decryption_table rows,
 * tcpdump/libreswan lines or JSON objects. This is the one place key bytes
 * leave secure memory for output, and it exists for the `keys` command.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto_int.h"

/* snprintf-style appender: counts what it would need, writes what fits. */
struct out {
	char *buf;
	size_t cap, len;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void put_hex(struct out *o, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		if (o->len + 2 < o->cap) {
			o->buf[o->len] = digits[p[i] >> 4];
			o->buf[o->len + 1] = digits[p[i] & 15];
			o->buf[o->len + 2] = '\0';
		}
		o->len += 2;
	}
}

static void wireshark(struct out *o, const struct ike_sa_keys *k, const struct ike_encr_alg *e,
		      const struct ike_integ_alg *a)
{
	put(o, "%016" PRIx64 ",%016" PRIx64 ",", k->ispi, k->rspi);
	put_hex(o, k->ei, k->enc_len);
	put(o, ",");
	put_hex(o, k->er, k->enc_len);
	put(o, ",\"%s\",", e->wireshark);
	put_hex(o, k->ai, k->integ_len);
	put(o, ",");
	put_hex(o, k->ar, k->integ_len);
	put(o, ",\"%s\"\n", a->wireshark);
}

static void tcpdump(struct out *o, const struct ike_sa_keys *k, const struct ike_encr_alg *e,
		    const struct ike_integ_alg *a)
{
	for (int r = 0; r < 2; r++) {
		if (!(k->have & (r ? IKE_KEYS_R : IKE_KEYS_I)))
			continue;
		put(o, "ikev2 %c 0x%016" PRIx64 " 0x%016" PRIx64 " %s:0x", r ? 'R' : 'I', k->ispi, k->rspi, a->tcpdump);
		put_hex(o, r ? k->ar : k->ai, k->integ_len);
		put(o, " %s", e->tcpdump);
		if (e->bits)
			put(o, "%u", e->bits);
		put(o, ":0x");
		put_hex(o, r ? k->er : k->ei, k->enc_len);
		put(o, "\n");
	}
}

static void json_key(struct out *o, const char *name, bool have, const uint8_t *p, size_t n)
{
	put(o, ",\"%s\":", name);
	if (!have) {
		put(o, "null");
		return;
	}
	put(o, "\"");
	put_hex(o, p, n);
	put(o, "\"");
}

static void json(struct out *o, const struct ike_sa_keys *k, const struct ike_encr_alg *e,
		 const struct ike_integ_alg *a)
{
	bool i = k->have & IKE_KEYS_I, r = k->have & IKE_KEYS_R;
	put(o, "{\"v\":1,\"type\":\"keys\",\"ispi\":\"%016" PRIx64 "\",\"rspi\":\"%016" PRIx64 "\"", k->ispi, k->rspi);
	put(o, ",\"encr\":\"%s\",\"encr_id\":%u,\"encr_keylen\":", e->charon, e->id);
	if (e->bits)
		put(o, "%u", e->bits);
	else
		put(o, "null");
	put(o, ",\"integ\":\"%s\",\"integ_id\":%u", a->charon, a->id);
	json_key(o, "sk_ei", i, k->ei, k->enc_len);
	json_key(o, "sk_er", r, k->er, k->enc_len);
	json_key(o, "sk_ai", i, k->ai, k->integ_len);
	json_key(o, "sk_ar", r, k->ar, k->integ_len);
	put(o, ",\"origin\":\"");
	for (const char *c = k->origin; *c; c++) {
		if (*c == '"' || *c == '\\')
			put(o, "\\%c", *c);
		else if ((unsigned char)*c < 0x20)
			put(o, "\\u%04x", (unsigned char)*c);
		else
			put(o, "%c", *c);
	}
	put(o, "\"}\n");
}

int ike_sa_keys_format(const struct ike_sa_keys *sa, enum ike_key_format fmt, char *buf, size_t cap)
{
	const struct ike_encr_alg *e = ike_encr_find(sa->encr, sa->encr_bits);
	const struct ike_integ_alg *a = ike_integ_find(sa->integ);
	struct out o = {buf, cap, 0};
	if (cap)
		buf[0] = '\0';
	if (!e || !a)
		return -1;
	switch (fmt) {
	case IKE_KEYS_WIRESHARK:
		if (sa->have != (IKE_KEYS_I | IKE_KEYS_R))
			return -1; /* a row needs both directions */
		wireshark(&o, sa, e, a);
		break;
	case IKE_KEYS_TCPDUMP:
		if (!a->tcpdump)
			return -1; /* "no checking" has no libreswan name */
		tcpdump(&o, sa, e, a);
		break;
	case IKE_KEYS_JSON:
		json(&o, sa, e, a);
		break;
	default:
		return -1;
	}
	return o.len > INT32_MAX ? -1 : (int)o.len;
}

int ike_keyring_write(const struct ike_keyring *k, enum ike_key_format fmt, FILE *f)
{
	char buf[2048]; /* the longest SA, as JSON with SHA-512 keys, needs about 700 bytes */
	int n = 0;
	bool failed = false;
	for (size_t i = 0; i < ike_keyring_count(k) && !failed; i++) {
		int len = ike_sa_keys_format(ike_keyring_at(k, i), fmt, buf, sizeof(buf));
		if (len < 0 || (size_t)len >= sizeof(buf))
			continue;
		if (fwrite(buf, 1, (size_t)len, f) != (size_t)len)
			failed = true;
		else
			n++;
	}
	sodium_memzero(buf, sizeof(buf));
	return failed ? -1 : n;
}
