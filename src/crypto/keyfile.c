/*
 * keyfile.c — reads key files line by line: Wireshark ikev2_decryption_table
 * rows (and strongSwan save-keys output), tcpdump/libreswan "ikev2 I|R" lines,
 * comments and blank lines. A bad line is reported and skipped; key bytes
 * never appear in a report, and every copy of them is wiped after use.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto_int.h"

struct text {
	const char *p;
	size_t n;
};

struct liner {
	struct ike_keyring *k;
	const char *name;
	const struct ike_diag *diag;
	unsigned lineno;
	int added;
	unsigned long over_cap; /* rows past the keyring's cap after the first, said once at the end */
	unsigned last_over;     /* the line of the last of them */
	char line[IKE_KEYFILE_MAX_LINE + 1];
	size_t len;
	bool too_long;
};

__attribute__((format(printf, 2, 3))) static void report(struct liner *L, const char *fmt, ...)
{
	if (!L->diag || !L->diag->fn)
		return;
	char reason[384], out[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(out, sizeof(out), "%s:%u: %s", L->name, L->lineno, reason);
	L->diag->fn(L->diag->ctx, out);
}

static struct text trim(struct text t)
{
	while (t.n && isspace((unsigned char)t.p[0]))
		t.p++, t.n--;
	while (t.n && isspace((unsigned char)t.p[t.n - 1]))
		t.n--;
	return t;
}

static struct text unquote(struct text t)
{
	t = trim(t);
	if (t.n >= 2 && t.p[0] == '"' && t.p[t.n - 1] == '"')
		t.p++, t.n -= 2;
	return t;
}

/*
 * A hex digit's value, or -1, without a branch on the digit (as
 * sodium_hex2bin): the digits are key bytes, and random ones defeat branch
 * prediction, which made this test half the time of loading a 165,716-row
 * key table.
 */
static int hexval(char ch)
{
	unsigned c = (unsigned char)ch;
	unsigned num = c ^ 48u;                                    /* '0'..'9' → 0..9 */
	unsigned num_ok = ((num - 10u) >> 8) & 1u;                 /* 1 when num < 10 */
	unsigned alpha = (c & ~32u) - 55u;                         /* 'A'..'F', 'a'..'f' → 10..15 */
	unsigned alpha_ok = (((alpha - 10u) ^ (alpha - 16u)) >> 8) & 1u; /* 1 when 10 <= alpha < 16 */
	unsigned v = (num & (0u - num_ok)) | (alpha & (0u - alpha_ok));
	return (int)(v | ((num_ok | alpha_ok) - 1u)); /* -1 when neither */
}

/* Decodes hex into out (IKE_KEY_MAX bytes) when it fits; *len gets the byte
 * count either way, so a wrong length is reported against the algorithm. */
static bool unhex(struct liner *L, const char *role, struct text t, uint8_t out[IKE_KEY_MAX], size_t *len)
{
	if (t.n % 2) {
		report(L, "%s has an odd number of hex digits", role);
		return false;
	}
	int bad = 0;
	for (size_t i = 0; i < t.n; i++)
		bad |= hexval(t.p[i]);
	if (bad < 0) {
		report(L, "%s is not hexadecimal", role);
		return false;
	}
	*len = t.n / 2;
	for (size_t i = 0; i < *len && i < IKE_KEY_MAX; i++)
		out[i] = (uint8_t)(hexval(t.p[2 * i]) << 4 | hexval(t.p[2 * i + 1]));
	return true;
}

static bool spi(struct liner *L, const char *role, struct text t, uint64_t *v)
{
	*v = 0;
	if (t.n != 16) {
		report(L, "%s is not 16 hex digits", role);
		return false;
	}
	for (size_t i = 0; i < 16; i++) {
		int h = hexval(t.p[i]);
		if (h < 0) {
			report(L, "%s is not 16 hex digits", role);
			return false;
		}
		*v = *v << 4 | (uint64_t)h;
	}
	return true;
}

static void add(struct liner *L, struct ike_sa_keyspec *s)
{
	char why[256], origin[96];
	snprintf(origin, sizeof(origin), "%s:%u", L->name, L->lineno);
	s->origin = origin;
	int r = ike_keyring_add(L->k, s, why, sizeof(why));
	if (r == IKE_KEYRING_FULL && L->last_over) {
		/* A table past the cap would print one line per row: the first is
		 * said as it comes, the rest counted. */
		L->over_cap++;
		L->last_over = L->lineno;
	} else if (r < 0) {
		report(L, "%s", why);
		if (r == IKE_KEYRING_FULL)
			L->last_over = L->lineno;
	} else {
		L->added += r;
	}
}

/* Keys decoded from one line; wiped when the line is done. */
struct keybuf {
	uint8_t ei[IKE_KEY_MAX], er[IKE_KEY_MAX], ai[IKE_KEY_MAX], ar[IKE_KEY_MAX];
};

/* SPIi,SPIr,SK_ei,SK_er,"encryption",SK_ai,SK_ar,"integrity" */
static void wireshark_row(struct liner *L, struct text line, struct keybuf *kb)
{
	struct text col[8];
	size_t n = 0;
	const char *p = line.p, *end = line.p + line.n;
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *stop = c ? c : end;
		if (n < 8)
			col[n] = unquote((struct text){p, (size_t)(stop - p)});
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	if (n != 8) {
		report(L, "expected 8 comma-separated columns (Wireshark ikev2_decryption_table), found %zu", n);
		return;
	}
	struct ike_sa_keyspec s = {.dirs = IKE_KEYS_I | IKE_KEYS_R};
	const struct ike_encr_alg *e = ike_encr_by_wireshark(col[4].p, col[4].n);
	const struct ike_integ_alg *a = ike_integ_by_wireshark(col[7].p, col[7].n);
	if (!spi(L, "SPIi", col[0], &s.ispi) || !spi(L, "SPIr", col[1], &s.rspi))
		return;
	if (!e) {
		report(L, "unknown encryption algorithm \"%.*s\"", (int)(col[4].n > 64 ? 64 : col[4].n), col[4].p);
		return;
	}
	if (!a) {
		report(L, "unknown integrity algorithm \"%.*s\"", (int)(col[7].n > 64 ? 64 : col[7].n), col[7].p);
		return;
	}
	if (!unhex(L, "SK_ei", col[2], kb->ei, &s.ei_len) || !unhex(L, "SK_er", col[3], kb->er, &s.er_len) ||
	    !unhex(L, "SK_ai", col[5], kb->ai, &s.ai_len) || !unhex(L, "SK_ar", col[6], kb->ar, &s.ar_len))
		return;
	s.encr = e->id;
	s.encr_bits = e->bits;
	s.integ = a->id;
	s.ei = kb->ei, s.er = kb->er, s.ai = kb->ai, s.ar = kb->ar;
	add(L, &s);
}

static size_t split_ws(struct text line, struct text *tok, size_t max)
{
	size_t n = 0, i = 0;
	while (i < line.n) {
		while (i < line.n && isspace((unsigned char)line.p[i]))
			i++;
		if (i == line.n)
			break;
		size_t start = i;
		while (i < line.n && !isspace((unsigned char)line.p[i]))
			i++;
		if (n < max)
			tok[n] = (struct text){line.p + start, i - start};
		n++;
	}
	return n;
}

/* "name:0xHEX" → name and hex. */
static bool algo_key(struct liner *L, const char *what, struct text t, struct text *name, struct text *hex)
{
	const char *colon = memchr(t.p, ':', t.n);
	if (!colon) {
		report(L, "%s key is not NAME:0xHEX", what);
		return false;
	}
	*name = (struct text){t.p, (size_t)(colon - t.p)};
	*hex = (struct text){colon + 1, t.n - name->n - 1};
	if (hex->n == 0)
		return true; /* "none:" — libreswan's empty AEAD integrity key */
	if (hex->n < 2 || hex->p[0] != '0' || (hex->p[1] != 'x' && hex->p[1] != 'X')) {
		report(L, "%s key is not NAME:0xHEX", what);
		return false;
	}
	hex->p += 2, hex->n -= 2;
	return true;
}

static bool spi0x(struct liner *L, const char *role, struct text t, uint64_t *v)
{
	if (t.n < 2 || t.p[0] != '0' || (t.p[1] != 'x' && t.p[1] != 'X')) {
		report(L, "%s is not 0x and 16 hex digits", role);
		return false;
	}
	return spi(L, role, (struct text){t.p + 2, t.n - 2}, v);
}

/* ikev2 I|R 0xSPIi 0xSPIr INTEG:0xKEY ENCR:0xKEY */
static void tcpdump_line(struct liner *L, struct text line, struct keybuf *kb)
{
	struct text tok[6], iname, ihex, ename, ehex;
	size_t n = split_ws(line, tok, 6);
	if (n != 6) {
		report(L, "expected \"ikev2 I|R 0xSPIi 0xSPIr INTEG:0xKEY ENCR:0xKEY\", found %zu fields", n);
		return;
	}
	struct ike_sa_keyspec s = {0};
	if (tok[1].n == 1 && (tok[1].p[0] == 'I' || tok[1].p[0] == 'i'))
		s.dirs = IKE_KEYS_I;
	else if (tok[1].n == 1 && (tok[1].p[0] == 'R' || tok[1].p[0] == 'r'))
		s.dirs = IKE_KEYS_R;
	else {
		report(L, "direction is neither I nor R");
		return;
	}
	if (!spi0x(L, "SPIi", tok[2], &s.ispi) || !spi0x(L, "SPIr", tok[3], &s.rspi) ||
	    !algo_key(L, "integrity", tok[4], &iname, &ihex) || !algo_key(L, "encryption", tok[5], &ename, &ehex))
		return;
	char lname[32];
	const struct ike_integ_alg *a = NULL;
	const struct ike_encr_alg *e = NULL;
	if (iname.n < sizeof(lname)) {
		for (size_t i = 0; i < iname.n; i++)
			lname[i] = (char)tolower((unsigned char)iname.p[i]);
		a = ike_integ_by_tcpdump(lname, iname.n);
	}
	if (ename.n < sizeof(lname)) {
		for (size_t i = 0; i < ename.n; i++)
			lname[i] = (char)tolower((unsigned char)ename.p[i]);
		e = ike_encr_by_tcpdump(lname, ename.n);
	}
	if (!a) {
		report(L, "unknown integrity algorithm \"%.*s\"", (int)(iname.n > 64 ? 64 : iname.n), iname.p);
		return;
	}
	if (!e) {
		report(L, "unknown encryption algorithm \"%.*s\"", (int)(ename.n > 64 ? 64 : ename.n), ename.p);
		return;
	}
	bool in = s.dirs == IKE_KEYS_I;
	if (!unhex(L, in ? "SK_ai" : "SK_ar", ihex, in ? kb->ai : kb->ar, in ? &s.ai_len : &s.ar_len) ||
	    !unhex(L, in ? "SK_ei" : "SK_er", ehex, in ? kb->ei : kb->er, in ? &s.ei_len : &s.er_len))
		return;
	s.encr = e->id;
	s.encr_bits = e->bits;
	s.integ = a->id;
	s.ei = kb->ei, s.er = kb->er, s.ai = kb->ai, s.ar = kb->ar;
	add(L, &s);
}

static void one_line(struct liner *L, const char *p, size_t n)
{
	L->lineno++;
	if (L->too_long) {
		report(L, "line longer than %d bytes, skipped", IKE_KEYFILE_MAX_LINE);
		return;
	}
	struct text line = trim((struct text){p, n});
	if (line.n == 0 || line.p[0] == '#')
		return;
	struct keybuf kb;
	if (line.n > 6 && memcmp(line.p, "ikev2", 5) == 0 && isspace((unsigned char)line.p[5]))
		tcpdump_line(L, line, &kb);
	else if (memchr(line.p, ',', line.n))
		wireshark_row(L, line, &kb);
	else
		report(L, "neither a Wireshark ikev2_decryption_table row nor a tcpdump \"ikev2\" line");
	sodium_memzero(&kb, sizeof(kb));
}

/* Feeds bytes; whole lines go to one_line(), over-long ones are flagged. */
static void feed(struct liner *L, const char *p, size_t n)
{
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		if (L->len + take > IKE_KEYFILE_MAX_LINE)
			L->too_long = true;
		else
			memcpy(L->line + L->len, p, take), L->len += take;
		if (!nl)
			return;
		one_line(L, L->line, L->len);
		L->len = 0;
		L->too_long = false;
		p += take + 1;
		n -= take + 1;
	}
}

static void finish(struct liner *L)
{
	if (L->len || L->too_long)
		one_line(L, L->line, L->len);
	sodium_memzero(L->line, sizeof(L->line));
	L->len = 0;
	if (L->over_cap) {
		L->lineno = L->last_over;
		report(L, "%lu more SAs past the cap of %d dropped, up to this line", L->over_cap,
		       IKE_KEYRING_MAX_SAS);
	}
}

int ike_keyring_load_buffer(struct ike_keyring *k, const char *name, const char *text, size_t len,
			    const struct ike_diag *diag)
{
	static struct liner zero;
	struct liner L = zero;
	L.k = k, L.name = name, L.diag = diag;
	feed(&L, text, len);
	finish(&L);
	return L.added;
}

int ike_keyring_load_file(struct ike_keyring *k, const char *path, const struct ike_diag *diag)
{
	static struct liner zero;
	struct liner L = zero;
	L.k = k, L.name = path, L.diag = diag;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int err = errno;
		if (diag && diag->fn) {
			char out[512];
			snprintf(out, sizeof(out), "%s: %s", path, strerror(err));
			diag->fn(diag->ctx, out);
		}
		return -1;
	}
	char buf[16384];
	size_t got;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		feed(&L, buf, got);
	bool failed = ferror(f) != 0;
	int err = errno;
	fclose(f);
	sodium_memzero(buf, sizeof(buf));
	finish(&L);
	if (failed) {
		if (diag && diag->fn) {
			char out[512];
			snprintf(out, sizeof(out), "%s: %s", path, strerror(err));
			diag->fn(diag->ctx, out);
		}
		return -1;
	}
	return L.added;
}
