/*
 * out_int.h — what the printers share: string escaping, time and endpoint
 * formatting, and the two emitters (JSON and the indented text tree). The
 * emitters keep their whole state in a struct the caller puts on the stack,
 * so printing a message allocates nothing.
 */
#ifndef IKESCOPE_OUT_INT_H
#define IKESCOPE_OUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ikescope/emit.h"
#include "ikescope/ike.h"

/* ---- buffered writer --------------------------------------------------- */

/*
 * The JSON printer formats a whole line here and hands it to stdio in one
 * fwrite: a locked stdio call per character or per member cost more than the
 * decoding itself. Lives on the caller's stack.
 */
#define IKE_OBUF_SIZE 8192

struct ike_obuf {
	FILE *f;
	size_t n;
	char b[IKE_OBUF_SIZE];
};

void ike_obuf_flush(struct ike_obuf *o);
void ike_obuf_write(struct ike_obuf *o, const void *p, size_t n);
static inline void ike_obuf_putc(struct ike_obuf *o, char c)
{
	if (o->n == sizeof(o->b))
		ike_obuf_flush(o);
	o->b[o->n++] = c;
}
static inline void ike_obuf_puts(struct ike_obuf *o, const char *s) { ike_obuf_write(o, s, strlen(s)); }
/* True when none of the eight bytes of x is a control character, DEL, a
 * quote, a backslash or non-ASCII (the usual SWAR tests for a zero byte). */
static inline bool ike_plain8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
#define HAS_ZERO(v) (((v) - ones) & ~(v) & high)
	uint64_t bad = x & high;                      /* 0x80 and up */
	bad |= (x - 0x20 * ones) & ~x & high;        /* below 0x20 */
	bad |= HAS_ZERO(x ^ (0x7f * ones));
	bad |= HAS_ZERO(x ^ (0x22 * ones));
	bad |= HAS_ZERO(x ^ (0x5c * ones));
#undef HAS_ZERO
	return bad == 0;
}

/* 1 for the bytes a JSON string holds as they are: printable ASCII other
 * than the quote and the backslash. */
extern const uint8_t ike_json_plain[256];

#if defined(__SSE2__)
/* Nonzero when a byte of v needs an escape: below 0x20 or 0x80 and up (both
 * negative or small as signed bytes), DEL, the quote, the backslash. */
static inline int ike_json_bad16(__m128i v)
{
	__m128i bad = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
	bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
	return _mm_movemask_epi8(bad);
}
#endif

/* Copies the n bytes at s to d (which has room for them) when none needs a
 * JSON escape, with fixed-size loads only: sixteen (or eight) bytes at a
 * time, the last load overlapping the one before. False, with d partly
 * written, when one does. */
static inline bool ike_json_copy_plain(char *d, const uint8_t *s, size_t n)
{
#if defined(__SSE2__)
	if (n >= 16) {
		__m128i v;
		for (size_t i = 0; n - i > 16; i += 16) {
			v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			if (ike_json_bad16(v))
				return false;
			_mm_storeu_si128((__m128i *)(void *)(d + i), v);
		}
		v = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
		if (ike_json_bad16(v))
			return false;
		_mm_storeu_si128((__m128i *)(void *)(d + n - 16), v);
		return true;
	}
	if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		if (ike_json_bad16(_mm_set_epi64x((long long)b, (long long)a)))
			return false;
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
		return true;
	}
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		if (ike_json_bad16(_mm_set_epi32(0x41414141, 0x41414141, (int)b, (int)a)))
			return false;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		return true;
	}
#else
	if (n >= 8) {
		uint64_t x;
		for (size_t i = 0; n - i > 8; i += 8) {
			memcpy(&x, s + i, 8);
			if (!ike_plain8(x))
				return false;
			memcpy(d + i, &x, 8);
		}
		memcpy(&x, s + n - 8, 8);
		if (!ike_plain8(x))
			return false;
		memcpy(d + n - 8, &x, 8);
		return true;
	}
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		if (!ike_plain8(a | (uint64_t)b << 32))
			return false;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		return true;
	}
#endif
	for (size_t i = 0; i < n; i++) {
		if (!ike_json_plain[s[i]])
			return false;
		d[i] = (char)s[i];
	}
	return true;
}

/* The same formats as ike_json_str, ike_out_u64 and ike_out_hex below. */
void ike_obuf_json_str(struct ike_obuf *o, const char *s, size_t n);
void ike_obuf_u64(struct ike_obuf *o, uint64_t v);
void ike_obuf_i64(struct ike_obuf *o, int64_t v);
void ike_obuf_hex(struct ike_obuf *o, const uint8_t *p, size_t n);

/* ---- strings ----------------------------------------------------------- */

/*
 * Length of the well-formed UTF-8 sequence at p (1–4), or 0 when the bytes
 * there are not one (overlong forms, surrogates, past U+10FFFF, cut short).
 */
size_t ike_utf8_seq(const uint8_t *p, size_t n);

/* A JSON string with its quotes. Control characters become \n, \t, … or
 * \u00XX; a byte that is not part of well-formed UTF-8 becomes \ufffd. */
void ike_json_str(FILE *f, const char *s, size_t n);
/* Text for a terminal: well-formed UTF-8 as is, control characters and bytes
 * that are not UTF-8 as \xNN, a backslash as \\. */
void ike_text_str(FILE *f, const char *s, size_t n);

/* v in decimal, without printf's cost (the JSON has many numbers). */
void ike_out_u64(FILE *f, uint64_t v);
/* Lowercase hex digits of n bytes, no quotes. */
void ike_out_hex(FILE *f, const uint8_t *p, size_t n);

/* ---- values ------------------------------------------------------------ */

/* "2026-06-18 00:31:22.123456" (sep ' ') or "2026-06-18T00:31:22.123456Z"
 * (sep 'T'), always UTC. cap >= 40. */
char *ike_out_time(int64_t sec, int32_t usec, char sep, char *buf, size_t cap);
/* charon's "192.0.2.1[500]" / "2001:db8::1[4500]"; "-" without an address.
 * cap >= 56. */
char *ike_out_endpoint(const struct ike_addr *a, uint16_t port, char *buf, size_t cap);
/* The exchange's name as charon prints it (the table holds IKEv1's too), or
 * its number in decimal. buf holds at least 4 bytes. */
const char *ike_out_exchange(const struct ike_msg *m, char *buf, size_t cap);
/* The message's summary (ike_msg_summary) into buf, or into *heap when it
 * does not fit (free it afterwards; NULL when buf sufficed). */
const char *ike_out_summary(const struct ike_msg *m, char *buf, size_t cap, char **heap);

/* ---- JSON emitter ------------------------------------------------------ */

#define IKE_JSON_MAX_DEPTH 32

struct ike_json_w {
	struct ike_obuf o; /* flushed when the outermost value is closed */
	unsigned depth;    /* containers open, the ones past the cap included */
	unsigned dropped;  /* containers opened past the cap: their content is left out */
	bool more[IKE_JSON_MAX_DEPTH + 1]; /* something was written at that depth */
	bool list[IKE_JSON_MAX_DEPTH + 1]; /* the container at that depth is a list */
};

/* Fills *e so that it writes through *w to f. What is written reaches f when
 * the outermost object or list is closed (or ike_json_flush() is called). */
void ike_json_emitter(struct ike_json_w *w, FILE *f, struct ike_emit *e);
void ike_json_flush(struct ike_json_w *w);

/* ---- text tree emitter ------------------------------------------------- */

#define IKE_TEXT_MAX_DEPTH 16

struct ike_text_level {
	bool list;
	bool shown;   /* its "key:" line was written */
	bool dash;    /* an element object whose first line still needs its "- " */
	unsigned indent;
	char key[48];
};

struct ike_text_w {
	FILE *f;
	unsigned depth;
	unsigned dropped;
	struct ike_text_level lv[IKE_TEXT_MAX_DEPTH];
};

/* Members at depth 0 are indented by indent spaces, nested ones two more per
 * level; list elements are YAML-style "- " lines. */
void ike_text_emitter(struct ike_text_w *w, FILE *f, unsigned indent, struct ike_emit *e);

#endif
