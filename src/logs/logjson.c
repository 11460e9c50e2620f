/*
 * logjson.c — see logjson.h. Strings are unescaped (\uXXXX to UTF-8, pairs
 * of surrogates joined); a value cut by its cap is flagged, never overrun.
 */
#include <string.h>

#include "logs/logjson.h"

struct cur {
	const char *p;
	size_t left;
};

static void ws(struct cur *c)
{
	while (c->left && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n')) {
		c->p++;
		c->left--;
	}
}

static bool eat(struct cur *c, char ch)
{
	ws(c);
	if (!c->left || *c->p != ch)
		return false;
	c->p++;
	c->left--;
	return true;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static bool hex4(struct cur *c, unsigned *v)
{
	if (c->left < 4)
		return false;
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(c->p[i]);
		if (h < 0)
			return false;
		*v = *v << 4 | (unsigned)h;
	}
	c->p += 4;
	c->left -= 4;
	return true;
}

/* Appends to out (may be NULL: validate only); sets *trunc when out is full. */
static void put(char *out, size_t cap, size_t *n, const char *b, size_t len, bool *trunc)
{
	if (!out)
		return;
	if (*n + len >= cap) {
		*trunc = true;
		return;
	}
	memcpy(out + *n, b, len);
	*n += len;
	out[*n] = '\0';
}

static bool string(struct cur *c, char *out, size_t cap, bool *trunc)
{
	size_t n = 0;
	if (out && cap)
		out[0] = '\0';
	if (!eat(c, '"'))
		return false;
	while (c->left) {
		char ch = *c->p++;
		c->left--;
		if (ch == '"')
			return true;
		if ((unsigned char)ch < 0x20)
			return false;
		if (ch != '\\') {
			put(out, cap, &n, &ch, 1, trunc);
			continue;
		}
		if (!c->left)
			return false;
		char e = *c->p++;
		c->left--;
		const char *simple = strchr("\"\\/bfnrt", e);
		if (simple && e) {
			static const char rep[] = "\"\\/\b\f\n\r\t";
			put(out, cap, &n, &rep[simple - "\"\\/bfnrt"], 1, trunc);
			continue;
		}
		if (e != 'u')
			return false;
		unsigned u;
		if (!hex4(c, &u))
			return false;
		if (u >= 0xd800 && u < 0xdc00) {
			unsigned lo;
			if (c->left < 2 || c->p[0] != '\\' || c->p[1] != 'u')
				return false;
			c->p += 2;
			c->left -= 2;
			if (!hex4(c, &lo) || lo < 0xdc00 || lo > 0xdfff)
				return false;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		} else if (u >= 0xdc00 && u <= 0xdfff) {
			return false;
		}
		char b[4];
		size_t len;
		if (u == 0) {
			return false; /* a NUL inside a log line is junk */
		} else if (u < 0x80) {
			b[0] = (char)u;
			len = 1;
		} else if (u < 0x800) {
			b[0] = (char)(0xc0 | u >> 6);
			b[1] = (char)(0x80 | (u & 0x3f));
			len = 2;
		} else if (u < 0x10000) {
			b[0] = (char)(0xe0 | u >> 12);
			b[1] = (char)(0x80 | (u >> 6 & 0x3f));
			b[2] = (char)(0x80 | (u & 0x3f));
			len = 3;
		} else {
			b[0] = (char)(0xf0 | u >> 18);
			b[1] = (char)(0x80 | (u >> 12 & 0x3f));
			b[2] = (char)(0x80 | (u >> 6 & 0x3f));
			b[3] = (char)(0x80 | (u & 0x3f));
			len = 4;
		}
		put(out, cap, &n, b, len, trunc);
	}
	return false;
}

/* A number, true, false or null, copied as written. */
static bool scalar(struct cur *c, char *out, size_t cap, bool *trunc)
{
	ws(c);
	size_t n = 0;
	while (n < c->left && strchr("0123456789+-.eEtruefalsn", c->p[n]) && c->p[n])
		n++;
	if (n == 0)
		return false;
	size_t k = 0;
	if (out && cap)
		out[0] = '\0';
	put(out, cap, &k, c->p, n, trunc);
	c->p += n;
	c->left -= n;
	return true;
}

static bool value(struct cur *c, int depth, char *out, size_t cap, bool *is_string, bool *trunc);

static bool container(struct cur *c, int depth, char open)
{
	char close = open == '{' ? '}' : ']';
	if (depth >= LOGJSON_MAX_DEPTH || !eat(c, open))
		return false;
	if (eat(c, close))
		return true;
	for (;;) {
		bool s, t = false;
		if (open == '{' && (!string(c, NULL, 0, &t) || !eat(c, ':')))
			return false;
		if (!value(c, depth + 1, NULL, 0, &s, &t))
			return false;
		if (eat(c, close))
			return true;
		if (!eat(c, ','))
			return false;
	}
}

static bool value(struct cur *c, int depth, char *out, size_t cap, bool *is_string, bool *trunc)
{
	ws(c);
	if (!c->left)
		return false;
	*is_string = false;
	if (*c->p == '"') {
		*is_string = true;
		return string(c, out, cap, trunc);
	}
	if (*c->p == '{' || *c->p == '[')
		return container(c, depth, *c->p);
	return scalar(c, out, cap, trunc);
}

bool logjson_read(const char *s, size_t len, struct logjson_field *f, size_t n)
{
	struct cur c = {s, len};
	for (size_t i = 0; i < n; i++) {
		f[i].found = f[i].truncated = f[i].is_string = false;
		if (f[i].cap)
			f[i].out[0] = '\0';
	}
	if (!eat(&c, '{'))
		return false;
	if (!eat(&c, '}')) {
		for (;;) {
			char key[64];
			bool kt = false;
			if (!string(&c, key, sizeof(key), &kt) || !eat(&c, ':'))
				return false;
			struct logjson_field *want = NULL;
			for (size_t i = 0; i < n && !kt; i++)
				if (strcmp(f[i].key, key) == 0)
					want = &f[i];
			bool is_str, t = false;
			if (!value(&c, 1, want ? want->out : NULL, want ? want->cap : 0, &is_str, &t))
				return false;
			if (want) {
				want->found = true;
				want->is_string = is_str;
				want->truncated = t;
			}
			if (eat(&c, '}'))
				break;
			if (!eat(&c, ','))
				return false;
		}
	}
	ws(&c);
	return c.left == 0;
}
