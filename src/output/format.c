/*
 * format.c — string escaping and value formatting shared by the printers.
 * Strings reach the printers from packets (identities, vendor names, EAP
 * identities), so nothing is written to a terminal or a JSON line unescaped.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/out_int.h"

/* RFC 3629 §4: the well-formed byte sequences, and nothing else. */
size_t ike_utf8_seq(const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	uint8_t c = p[0];
	if (c < 0x80)
		return 1;
	size_t len;
	uint8_t lo = 0x80, hi = 0xbf; /* range of the second byte */
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* C1 controls (U+0080–U+009F) are well-formed but steer terminals. */
static bool is_c1(const uint8_t *p, size_t len)
{
	return len == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

/* Length of the run of printable ASCII at p that needs no escape (other
 * than the two characters named), written with one fwrite. */
static size_t plain_run(const uint8_t *p, size_t n, uint8_t not1, uint8_t not2)
{
	size_t i = 0;
	while (i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != not1 && p[i] != not2)
		i++;
	return i;
}

void ike_obuf_flush(struct ike_obuf *o)
{
	if (o->n)
		fwrite(o->b, 1, o->n, o->f);
	o->n = 0;
}

void ike_obuf_write(struct ike_obuf *o, const void *p, size_t n)
{
	if (n > sizeof(o->b) - o->n) {
		ike_obuf_flush(o);
		if (n > sizeof(o->b)) {
			fwrite(p, 1, n, o->f);
			return;
		}
	}
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

/* Tables built by the preprocessor: F(b) for every byte value b. */
#define B4(F, b) F(b), F((b) + 1), F((b) + 2), F((b) + 3)
#define B16(F, b) B4(F, b), B4(F, (b) + 4), B4(F, (b) + 8), B4(F, (b) + 12)
#define B64(F, b) B16(F, b), B16(F, (b) + 16), B16(F, (b) + 32), B16(F, (b) + 48)
#define B256(F) B64(F, 0), B64(F, 64), B64(F, 128), B64(F, 192)
#define B10(F, b) F(b), F((b) + 1), F((b) + 2), F((b) + 3), F((b) + 4), F((b) + 5), F((b) + 6), F((b) + 7), \
		  F((b) + 8), F((b) + 9)
#define B100(F) B10(F, 0), B10(F, 10), B10(F, 20), B10(F, 30), B10(F, 40), B10(F, 50), B10(F, 60), \
		B10(F, 70), B10(F, 80), B10(F, 90)

#define PLAIN(b) ((b) >= 0x20 && (b) < 0x7f && (b) != '"' && (b) != '\\')
const uint8_t ike_json_plain[256] = {B256(PLAIN)};

#define NIBBLE(x) (char)((x) < 10 ? '0' + (x) : 'a' + (x) - 10)
#define HEX2(b) {NIBBLE((b) >> 4), NIBBLE((b) & 15)}
static const char hex2[256][2] = {B256(HEX2)};

#define DEC2(b) {(char)('0' + (b) / 10), (char)('0' + (b) % 10)}
static const char dec2[100][2] = {B100(DEC2)};

/* SSE2 sixteen bytes at a time, then two digits per table load: the hex of
 * key exchange data and nonces is much of a JSON line's bytes. */
void ike_obuf_hex(struct ike_obuf *o, const uint8_t *p, size_t n)
{
	while (n) {
		if (o->n + 2 > sizeof(o->b))
			ike_obuf_flush(o);
		size_t k = (sizeof(o->b) - o->n) / 2;
		if (k > n)
			k = n;
		char *d = o->b + o->n;
		size_t i = 0;
#if defined(__SSE2__)
		/* Sixteen bytes at a time: each nibble plus '0', plus 39 more
		 * ('a' - '0' - 10) when above 9, high and low interleaved. */
		const __m128i low4 = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
		const __m128i zero = _mm_set1_epi8('0'), letter = _mm_set1_epi8('a' - '0' - 10);
		for (; k - i >= 16; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4);
			__m128i lo = _mm_and_si128(v, low4);
			hi = _mm_add_epi8(hi, _mm_add_epi8(zero, _mm_and_si128(_mm_cmpgt_epi8(hi, nine), letter)));
			lo = _mm_add_epi8(lo, _mm_add_epi8(zero, _mm_and_si128(_mm_cmpgt_epi8(lo, nine), letter)));
			_mm_storeu_si128((__m128i *)(void *)(d + 2 * i), _mm_unpacklo_epi8(hi, lo));
			_mm_storeu_si128((__m128i *)(void *)(d + 2 * i + 16), _mm_unpackhi_epi8(hi, lo));
		}
#endif
		for (; i < k; i++)
			memcpy(d + 2 * i, hex2[p[i]], 2);
		o->n += 2 * k;
		p += k;
		n -= k;
	}
}

/* Two decimal digits per division, written straight into the buffer once
 * the digits are counted (most numbers in a line have one or two). */
void ike_obuf_u64(struct ike_obuf *o, uint64_t v)
{
	if (sizeof(o->b) - o->n < 20)
		ike_obuf_flush(o);
	char *d = o->b + o->n;
	if (v < 10) {
		d[0] = (char)('0' + v);
		o->n++;
		return;
	}
	size_t n = 2;
	for (uint64_t p = 100; n < 20 && v >= p; p *= 10)
		n++;
	o->n += n;
	while (v >= 100) {
		n -= 2;
		memcpy(d + n, dec2[v % 100], 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(d, dec2[v], 2);
	else
		d[0] = (char)('0' + v);
}

void ike_obuf_i64(struct ike_obuf *o, int64_t v)
{
	if (v < 0) {
		ike_obuf_putc(o, '-');
		ike_obuf_u64(o, 0 - (uint64_t)v); /* INT64_MIN too, in unsigned arithmetic */
	} else {
		ike_obuf_u64(o, (uint64_t)v);
	}
}

void ike_obuf_json_str(struct ike_obuf *o, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	/* The common case: the whole string needs no escape and fits, so it is
	 * checked and copied a word at a time. */
	if (n + 2 <= sizeof(o->b) - o->n) {
		char *d = o->b + o->n;
		if (ike_json_copy_plain(d + 1, p, n)) {
			d[0] = '"';
			d[n + 1] = '"';
			o->n += n + 2;
			return;
		}
	}
	ike_obuf_putc(o, '"');
	while (n) {
		/* Printable ASCII other than the quote and the backslash is copied
		 * straight into the buffer: the common case, names and numbers. */
		if (o->n == sizeof(o->b))
			ike_obuf_flush(o);
		size_t lim = sizeof(o->b) - o->n, i = 0;
		if (lim > n)
			lim = n;
		char *d = o->b + o->n;
		while (lim - i >= 8) { /* eight at a time while none needs a look */
			uint64_t x;
			memcpy(&x, p + i, 8);
			if (!ike_plain8(x))
				break;
			memcpy(d + i, &x, 8);
			i += 8;
		}
		while (i < lim && ike_json_plain[p[i]]) {
			d[i] = (char)p[i];
			i++;
		}
		o->n += i;
		p += i;
		n -= i;
		if (i == lim)
			continue;
		uint8_t c = p[0];
		size_t len = ike_utf8_seq(p, n);
		char u[6] = {'\\', 'u', '0', '0', 0, 0};
		if (len == 0) {
			ike_obuf_write(o, "\\ufffd", 6);
			len = 1;
		} else if (c == '"' || c == '\\') {
			ike_obuf_putc(o, '\\');
			ike_obuf_putc(o, (char)c);
		} else if (c == '\n') {
			ike_obuf_write(o, "\\n", 2);
		} else if (c == '\t') {
			ike_obuf_write(o, "\\t", 2);
		} else if (c == '\r') {
			ike_obuf_write(o, "\\r", 2);
		} else if (c == '\b') {
			ike_obuf_write(o, "\\b", 2);
		} else if (c == '\f') {
			ike_obuf_write(o, "\\f", 2);
		} else if (c < 0x20 || c == 0x7f || is_c1(p, len)) {
			uint8_t v = c < 0x80 ? c : p[1]; /* a C1 control is U+0080–U+009F */
			u[4] = digits[v >> 4];
			u[5] = digits[v & 15];
			ike_obuf_write(o, u, sizeof(u));
		} else {
			ike_obuf_write(o, p, len);
		}
		p += len;
		n -= len;
	}
	ike_obuf_putc(o, '"');
}

void ike_out_hex(FILE *f, const uint8_t *p, size_t n)
{
	struct ike_obuf o;
	o.f = f;
	o.n = 0;
	ike_obuf_hex(&o, p, n);
	ike_obuf_flush(&o);
}

void ike_out_u64(FILE *f, uint64_t v)
{
	struct ike_obuf o;
	o.f = f;
	o.n = 0;
	ike_obuf_u64(&o, v);
	ike_obuf_flush(&o);
}

void ike_json_str(FILE *f, const char *s, size_t n)
{
	struct ike_obuf o;
	o.f = f;
	o.n = 0;
	ike_obuf_json_str(&o, s, n);
	ike_obuf_flush(&o);
}

void ike_text_str(FILE *f, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	while (n) {
		size_t run = plain_run(p, n, '\\', '\\');
		if (run) {
			fwrite(p, 1, run, f);
			p += run;
			n -= run;
			continue;
		}
		size_t len = ike_utf8_seq(p, n);
		if (len == 0 || p[0] < 0x20 || p[0] == 0x7f || is_c1(p, len)) {
			if (len == 0)
				len = 1;
			for (size_t i = 0; i < len; i++)
				fprintf(f, "\\x%02x", p[i]);
		} else if (p[0] == '\\') {
			fputs("\\\\", f);
		} else {
			fwrite(p, 1, len, f);
		}
		p += len;
		n -= len;
	}
}

/* n as exactly w decimal digits (n < 10^w). */
static char *digits_w(char *d, unsigned n, unsigned w)
{
	for (unsigned i = w; i-- > 0; n /= 10)
		d[i] = (char)('0' + n % 10);
	return d + w;
}

/* Proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's
 * days_from_civil inverse): what gmtime_r does, without its locking and
 * snprintf's parsing, for the one timestamp every JSON line carries. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

char *ike_out_time(int64_t sec, int32_t usec, char sep, char *buf, size_t cap)
{
	/* Carry microseconds out of range into the seconds. */
	sec += usec / 1000000;
	usec %= 1000000;
	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	/* Years 0–9999 (what the slow path below accepts), formatted by hand. */
	if (cap >= 28 && sec >= -62167219200 && sec < 253402300800) {
		int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
		unsigned sod = (unsigned)(sec - days * 86400);
		int64_t y;
		unsigned mo, d;
		civil_from_days(days, &y, &mo, &d);
		char *q = digits_w(buf, (unsigned)y, 4);
		*q++ = '-';
		q = digits_w(q, mo, 2);
		*q++ = '-';
		q = digits_w(q, d, 2);
		*q++ = sep;
		q = digits_w(q, sod / 3600, 2);
		*q++ = ':';
		q = digits_w(q, sod / 60 % 60, 2);
		*q++ = ':';
		q = digits_w(q, sod % 60, 2);
		*q++ = '.';
		q = digits_w(q, (unsigned)usec, 6);
		if (sep == 'T')
			*q++ = 'Z';
		*q = '\0';
		return buf;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if ((int64_t)t != sec || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		/* Not a date a calendar can show: the raw count keeps it honest. */
		snprintf(buf, cap, "%" PRId64 ".%06" PRId32 "%s", sec, usec, sep == 'T' ? "Z" : "");
		return buf;
	}
	snprintf(buf, cap, "%04d-%02d-%02d%c%02d:%02d:%02d.%06" PRId32 "%s", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, sep, tm.tm_hour, tm.tm_min, tm.tm_sec, usec, sep == 'T' ? "Z" : "");
	return buf;
}

char *ike_out_endpoint(const struct ike_addr *a, uint16_t port, char *buf, size_t cap)
{
	char host[64];
	if (a->family != 4 && a->family != 6) {
		snprintf(buf, cap, "-");
		return buf;
	}
	ike_addr_str(a, host, sizeof(host));
	snprintf(buf, cap, "%s[%u]", host, port);
	return buf;
}

const char *ike_out_exchange(const struct ike_msg *m, char *buf, size_t cap)
{
	const char *s = ike_name_long(&ike_names_exchange, m->exchange);
	if (s)
		return s;
	snprintf(buf, cap, "%u", m->exchange);
	return buf;
}

const char *ike_out_summary(const struct ike_msg *m, char *buf, size_t cap, char **heap)
{
	*heap = NULL;
	size_t need = ike_msg_summary(m, buf, cap);
	if (need < cap)
		return buf;
	/* Only a message with hundreds of configuration attributes gets here. */
	char *big = malloc(need + 1);
	if (!big)
		return buf; /* the truncated text is still the right beginning */
	ike_msg_summary(m, big, need + 1);
	*heap = big;
	return big;
}
