/*
 * cfg_common.c — loading a config file, guessing its dialect, and the small
 * helpers every dialect parser uses (lines, words, numbers, selectors, notes).
 * Text is read through the bounds-checked reader, one bounded line at a time.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config/cfg_int.h"

/* ---- lines ------------------------------------------------------------------ */

void cfg_lines_init(struct cfg_lines *l, const char *text, size_t len, struct ike_cfg_file *notes)
{
	l->r = ike_rd_init((const uint8_t *)text, len, 0);
	l->notes = notes;
	l->line = 0;
	l->cut = false;
	l->buf[0] = '\0';
}

bool cfg_next_line(struct cfg_lines *l)
{
	if (ike_rd_left(&l->r) == 0)
		return false;
	size_t n = 0;
	l->cut = false;
	while (ike_rd_left(&l->r) > 0) {
		uint8_t c = ike_rd_u8(&l->r);
		if (c == '\n')
			break;
		if (n < IKE_CFG_MAX_LINE)
			l->buf[n++] = c == '\0' || c == '\t' ? ' ' : (char)c;
		else
			l->cut = true;
	}
	if (n && l->buf[n - 1] == '\r')
		n--;
	l->buf[n] = '\0';
	l->line++;
	if (l->cut && l->notes)
		cfg_note(l->notes, l->line, "line longer than %u bytes cut", IKE_CFG_MAX_LINE);
	return true;
}

/* ---- notes, origins, tunnels ------------------------------------------------- */

void cfg_note(struct ike_cfg_file *f, unsigned line, const char *fmt, ...)
{
	if (f->n_notes >= IKE_CFG_MAX_NOTES) {
		f->notes_dropped++;
		return;
	}
	struct ike_cfg_note *n = &f->notes[f->n_notes++];
	n->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->msg, sizeof(n->msg), fmt, ap);
	va_end(ap);
}

void cfg_origin(struct ike_cfg_origin *o, unsigned line, const char *text)
{
	while (*text == ' ')
		text++;
	o->line = line;
	cfg_copy(o->text, sizeof(o->text), text);
	size_t n = strlen(o->text);
	while (n && o->text[n - 1] == ' ')
		o->text[--n] = '\0';
}

void cfg_default(struct ike_cfg_origin *o, const char *fmt, ...)
{
	o->line = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->text, sizeof(o->text), fmt, ap);
	va_end(ap);
}

struct ike_cfg_tunnel *cfg_tunnel_new(struct ike_cfg_file *f, const char *name, unsigned line, const char *text)
{
	if (f->n_tunnels >= IKE_CFG_MAX_TUNNELS) {
		if (f->tunnels_dropped++ == 0)
			cfg_note(f, line, "more than %u tunnels: the rest are skipped", IKE_CFG_MAX_TUNNELS);
		return NULL;
	}
	/* grown in steps: most files hold one or two tunnels */
	if ((f->n_tunnels & 3) == 0) {
		struct ike_cfg_tunnel *t = realloc(f->tunnels, (f->n_tunnels + 4) * sizeof(*t));
		if (!t) {
			f->tunnels_dropped++;
			return NULL;
		}
		f->tunnels = t;
	}
	struct ike_cfg_tunnel *t = &f->tunnels[f->n_tunnels++];
	memset(t, 0, sizeof(*t));
	cfg_copy(t->name, sizeof(t->name), name);
	cfg_origin(&t->where, line, text);
	t->dialect = f->dialect;
	return t;
}

/* ---- words and numbers -------------------------------------------------------- */

char *cfg_trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

void cfg_copy(char *dst, size_t cap, const char *src)
{
	if (!cap)
		return;
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

unsigned cfg_words(char *s, char **w, unsigned max)
{
	unsigned n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			w[n++] = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			w[n++] = s;
			while (*s && *s != ' ')
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

bool cfg_u32(const char *s, uint32_t *v)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long x = strtoul(s, &end, 10);
	if (errno || *end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

bool cfg_duration(const char *s, uint32_t *sec)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	unsigned long x = strtoul(s, &end, 10);
	unsigned long mul = 1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mul = 60, end++;
	else if (*end == 'h')
		mul = 3600, end++;
	else if (*end == 'd')
		mul = 86400, end++;
	if (errno || *end || x > UINT32_MAX / mul)
		return false;
	*sec = (uint32_t)(x * mul);
	return true;
}

bool cfg_ts(const char *s, struct ike_cfg_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	if (strcmp(s, "%any") == 0 || strcmp(s, "0.0.0.0/0,::/0") == 0)
		return true; /* family 0: everything */
	char a[64];
	cfg_copy(a, sizeof(a), s);
	char *slash = strchr(a, '/');
	long plen = -1;
	if (slash) {
		*slash = '\0';
		char *end;
		plen = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || plen < 0)
			return false;
	}
	if (inet_pton(AF_INET, a, ts->addr) == 1) {
		ts->family = 4;
		if (plen > 32)
			return false;
		ts->plen = plen < 0 ? 32 : (uint8_t)plen;
		return true;
	}
	if (inet_pton(AF_INET6, a, ts->addr) == 1) {
		ts->family = 6;
		if (plen > 128)
			return false;
		ts->plen = plen < 0 ? 128 : (uint8_t)plen;
		return true;
	}
	return false;
}

int cfg_mask_plen(const char *s)
{
	uint8_t m[4];
	if (inet_pton(AF_INET, s, m) != 1)
		return -1;
	uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
	int n = 0;
	while (n < 32 && (v & (0x80000000u >> n)))
		n++;
	if (n < 32 && (v << n) != 0)
		return -1;
	return n;
}

void cfg_ts_add(struct ike_cfg_tunnel *t, bool local, const struct ike_cfg_ts *ts)
{
	struct ike_cfg_ts *list = local ? t->local_ts : t->remote_ts;
	uint8_t *n = local ? &t->n_local_ts : &t->n_remote_ts;
	if (*n >= IKE_CFG_MAX_TS) {
		t->limits_hit++;
		return;
	}
	list[(*n)++] = *ts;
}

void cfg_psk(struct ike_cfg_tunnel *t, const char *psk, size_t len, unsigned line, const char *text)
{
	/* keyed so that the hash says nothing outside this process's comparisons */
	static const uint8_t key[16] = "ikescope-psk-eq";
	crypto_generichash(t->psk_hash, sizeof(t->psk_hash), (const uint8_t *)psk, len, key, sizeof(key));
	t->psk_known = true;
	t->psk_opaque = false;
	t->psk_from.line = line;
	/* the origin names the line but never carries the secret */
	cfg_copy(t->psk_from.text, sizeof(t->psk_from.text), text);
}

/* ---- proposals ------------------------------------------------------------------ */

void cfg_proposal_add(struct ike_cfg_tunnel *t, struct ike_cfg_proposal *list, unsigned *n,
		      const struct ike_cfg_proposal *p)
{
	if (*n >= IKE_CFG_MAX_PROPOSALS) {
		t->limits_hit++;
		return;
	}
	list[(*n)++] = *p;
}

void cfg_xform_add(struct ike_cfg_proposal *p, uint8_t type, uint16_t id, uint16_t key_len)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->x[i].type == type && p->x[i].id == id && p->x[i].key_len == key_len)
			return;
	if (p->n >= IKE_CFG_MAX_XFORMS)
		return;
	p->x[p->n].type = type;
	p->x[p->n].id = id;
	p->x[p->n].key_len = key_len;
	p->n++;
}

void cfg_xform_drop(struct ike_cfg_proposal *p, uint8_t type)
{
	unsigned k = 0;
	for (unsigned i = 0; i < p->n; i++)
		if (p->x[i].type != type)
			p->x[k++] = p->x[i];
	p->n = (uint8_t)k;
}

bool cfg_xform_has_type(const struct ike_cfg_proposal *p, uint8_t type)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->x[i].type == type)
			return true;
	return false;
}

bool cfg_encr_is_aead(uint16_t id)
{
	return (id >= 14 && id <= 16) || (id >= 18 && id <= 20) || (id >= 25 && id <= 28);
}

/* ---- files ------------------------------------------------------------------------ */

const char *ike_cfg_dialect_name(enum ike_cfg_dialect d)
{
	switch (d) {
	case IKE_CFG_VEDGE: return "vedge";
	case IKE_CFG_IOSXE: return "iosxe";
	case IKE_CFG_SWANCTL: return "swanctl";
	case IKE_CFG_IPSEC_CONF: return "ipsec.conf";
	default: return "auto";
	}
}

int ike_cfg_dialect_parse(const char *s)
{
	static const enum ike_cfg_dialect all[] = {IKE_CFG_DETECT, IKE_CFG_VEDGE, IKE_CFG_IOSXE, IKE_CFG_SWANCTL,
						   IKE_CFG_IPSEC_CONF};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, ike_cfg_dialect_name(all[i])) == 0)
			return (int)all[i];
	return -1;
}

/* The first line that only one dialect writes decides. */
static enum ike_cfg_dialect detect(const char *text, size_t len)
{
	struct cfg_lines *l = malloc(sizeof(*l));
	if (!l)
		return IKE_CFG_DETECT;
	enum ike_cfg_dialect d = IKE_CFG_DETECT;
	cfg_lines_init(l, text, len, NULL); /* detection: the parser notes cut lines */
	while (d == IKE_CFG_DETECT && cfg_next_line(l)) {
		char *s = cfg_trim(l->buf);
		if (strncmp(s, "interface ipsec", 15) == 0)
			d = IKE_CFG_VEDGE;
		else if (strncmp(s, "crypto ikev2 ", 13) == 0 || strncmp(s, "crypto ipsec ", 13) == 0)
			d = IKE_CFG_IOSXE;
		else if (strncmp(s, "connections", 11) == 0 && (s[11] == '\0' || s[11] == ' ' || s[11] == '{'))
			d = IKE_CFG_SWANCTL;
		else if ((strncmp(l->buf, "conn ", 5) == 0 || strncmp(l->buf, "config setup", 12) == 0))
			d = IKE_CFG_IPSEC_CONF;
	}
	free(l);
	return d;
}

int ike_cfg_parse(const char *name, const char *text, size_t len, enum ike_cfg_dialect dialect,
		  struct ike_cfg_file **out, char *err, size_t errcap)
{
	*out = NULL;
	if (dialect == IKE_CFG_DETECT)
		dialect = detect(text, len);
	if (dialect == IKE_CFG_DETECT) {
		snprintf(err, errcap, "%s: not a vEdge, IOS XE, swanctl.conf or ipsec.conf tunnel configuration", name);
		return -1;
	}
	struct ike_cfg_file *f = calloc(1, sizeof(*f));
	if (!f) {
		snprintf(err, errcap, "%s: out of memory", name);
		return -1;
	}
	cfg_copy(f->name, sizeof(f->name), name);
	f->dialect = dialect;
	int rc = -1;
	switch (dialect) {
	case IKE_CFG_VEDGE: rc = cfg_parse_vedge(f, text, len, err, errcap); break;
	case IKE_CFG_IOSXE: rc = cfg_parse_iosxe(f, text, len, err, errcap); break;
	case IKE_CFG_SWANCTL: rc = cfg_parse_swanctl(f, text, len, err, errcap); break;
	case IKE_CFG_IPSEC_CONF: rc = cfg_parse_ipsec_conf(f, text, len, err, errcap); break;
	default: break;
	}
	if (rc == 0 && f->n_tunnels == 0) {
		snprintf(err, errcap, "%s: no tunnel found in this %s configuration", name, ike_cfg_dialect_name(dialect));
		rc = -1;
	}
	if (rc != 0) {
		ike_cfg_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

int ike_cfg_load(const char *path, enum ike_cfg_dialect dialect, struct ike_cfg_file **out, char *err,
		 size_t errcap)
{
	*out = NULL;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(IKE_CFG_MAX_FILE + 1);
	if (!buf) {
		fclose(fp);
		snprintf(err, errcap, "%s: out of memory", path);
		return -1;
	}
	size_t n = fread(buf, 1, IKE_CFG_MAX_FILE + 1, fp);
	bool bad = ferror(fp);
	fclose(fp);
	int rc = -1;
	if (bad)
		snprintf(err, errcap, "%s: read error", path);
	else if (n > IKE_CFG_MAX_FILE)
		snprintf(err, errcap, "%s: larger than %u bytes, not a configuration", path, IKE_CFG_MAX_FILE);
	else
		rc = ike_cfg_parse(path, buf, n, dialect, out, err, errcap);
	/* a config may hold clear-text keys */
	sodium_memzero(buf, n < IKE_CFG_MAX_FILE ? n : IKE_CFG_MAX_FILE);
	free(buf);
	return rc;
}

void ike_cfg_free(struct ike_cfg_file *f)
{
	if (!f)
		return;
	free(f->tunnels);
	free(f);
}
