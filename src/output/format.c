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

void ike_out_hex(FILE *f, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char buf[512];
	while (n) {
		size_t k = n < sizeof(buf) / 2 ? n : sizeof(buf) / 2;
		for (size_t i = 0; i < k; i++) {
			buf[2 * i] = digits[p[i] >> 4];
			buf[2 * i + 1] = digits[p[i] & 15];
		}
		fwrite(buf, 1, 2 * k, f);
		p += k;
		n -= k;
	}
}

void ike_out_u64(FILE *f, uint64_t v)
{
	char buf[20];
	size_t i = sizeof(buf);
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite(buf + i, 1, sizeof(buf) - i, f);
}

void ike_json_str(FILE *f, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	fputc('"', f);
	while (n) {
		size_t run = plain_run(p, n, '"', '\\');
		if (run) {
			fwrite(p, 1, run, f);
			p += run;
			n -= run;
			continue;
		}
		uint8_t c = p[0];
		size_t len = ike_utf8_seq(p, n);
		if (len == 0) {
			fputs("\\ufffd", f);
			len = 1;
		} else if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c == '\b') {
			fputs("\\b", f);
		} else if (c == '\f') {
			fputs("\\f", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (is_c1(p, len)) {
			fprintf(f, "\\u%04x", p[1]);
		} else {
			fwrite(p, 1, len, f);
		}
		p += len;
		n -= len;
	}
	fputc('"', f);
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

char *ike_out_time(int64_t sec, int32_t usec, char sep, char *buf, size_t cap)
{
	/* Carry microseconds out of range into the seconds. */
	sec += usec / 1000000;
	usec %= 1000000;
	if (usec < 0) {
		usec += 1000000;
		sec--;
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
