/*
 * keydump.c — IKE SA keys from charon's ike=4 hex dumps (see keydump.h).
 *
 *   15[IKE] <ipsec2_1|1> Sk_ei secret => 32 bytes @ 0x7ff1f4037c20
 *   15[IKE] <ipsec2_1|1>    0: 4A BF 5B BE E8 30 50 C7 32 10 48 73 BA A5 F1 36  J.[..0P.2.Hs...6
 *   15[IKE] <ipsec2_1|1>   16: 36 7E 33 B6 C1 60 60 82 5F 11 63 3E 89 A9 94 A4  6~3..``._.c>....
 *
 * Whatever comes before the "NN[GRP]" thread and group (a syslog prefix, a
 * filelog time) is ignored. charon-systemd writes to the journal without that
 * prefix and sends a hex dump as one multi-line message: in `journalctl -o
 * json` (and charon 6.x's JSON filelog) the lines are inside MESSAGE/msg and
 * the thread is a field; in `journalctl -o short*` the message follows
 * "charon-systemd[PID]: " and its further lines are indented continuation
 * lines, with no thread at all (one pseudo-thread stands for the journal).
 * Dumps of one derivation come on one thread, one line at a time, but other
 * threads' lines may be interleaved: state is kept per thread.
 */
#include <ctype.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/keydump.h"
#include "ikescope/names.h"
#include "logs/logjson.h"

#define MAX_LINE 8192
#define KEY_MAX 64
#define THREAD_SLOTS 256
#define FAILED_SLOTS 4096
#define JOURNAL_THREAD 100000 /* the pseudo-thread of journal lines, which name none */

enum { K_EI, K_ER, K_AI, K_AR, K_N };

struct cand {
	uint8_t *mem; /* sodium_malloc: K_N * KEY_MAX */
	size_t len[K_N];
	bool has_proposal, has_spis, bound;
	char proposal[160];
	uint64_t ispi, rspi;
	char origin[96];
};

struct thread_state {
	int thread; /* -1: unused */
	/* the dump being read */
	int key;        /* K_*, or -1 for a key we skip (Sk_d, Sk_p?), -2 for none */
	size_t want, got;
	uint8_t buf[KEY_MAX];
	/* the derivation being collected */
	bool open;
	size_t len[K_N];
	uint8_t keys[K_N][KEY_MAX];
	char origin[96];
	/* facts around it */
	char proposal[160];
	bool has_proposal;
	long awaiting; /* candidate index waiting for its SPIs, or -1 */
};

struct ike_keycands {
	struct cand c[IKE_KEYDUMP_MAX];
	size_t n;
	bool reported_cap;
	uint64_t failed[FAILED_SLOTS][2]; /* SPI pairs no candidate opened */
};

struct ike_keycands *ike_keycands_new(void)
{
	if (sodium_init() < 0)
		return NULL;
	return calloc(1, sizeof(struct ike_keycands));
}

void ike_keycands_free(struct ike_keycands *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		sodium_memzero(c->c[i].mem, K_N * KEY_MAX);
		sodium_free(c->c[i].mem);
	}
	sodium_memzero(c, sizeof(*c));
	free(c);
}

size_t ike_keycands_count(const struct ike_keycands *c) { return c ? c->n : 0; }

/* Finds "NN[GRP]" (NN at least two digits, GRP three capitals and an
 * optional level digit) followed by a space; returns the text after it and
 * the thread, skipping charon's "<name|id> " SA prefix. NULL when absent. */
static const char *charon_text(const char *line, int *thread)
{
	for (const char *p = line; *p; p++) {
		if (!isdigit((unsigned char)p[0]) || (p != line && p[-1] != ' '))
			continue;
		const char *q = p;
		int t = 0;
		while (isdigit((unsigned char)*q) && q - p < 4)
			t = t * 10 + (*q++ - '0');
		if (q - p < 2 || q[0] != '[')
			continue;
		if (!isupper((unsigned char)q[1]) || !isupper((unsigned char)q[2]) || !isupper((unsigned char)q[3]))
			continue;
		const char *e = q + 4;
		if (isdigit((unsigned char)*e))
			e++;
		if (e[0] != ']' || e[1] != ' ')
			continue;
		e += 2;
		if (*e == '<') {
			const char *gt = strstr(e, "> ");
			if (gt)
				e = gt + 2;
		}
		*thread = t;
		return e;
	}
	return NULL;
}

static struct thread_state *thread_get(struct thread_state *ts, int thread)
{
	struct thread_state *s = &ts[thread % THREAD_SLOTS];
	if (s->thread != thread) {
		memset(s, 0, sizeof(*s));
		s->thread = thread;
		s->key = -2;
		s->awaiting = -1;
	}
	return s;
}

static void diag_line(const struct ike_diag *diag, const char *path, unsigned long line, const char *what)
{
	if (!diag || !diag->fn)
		return;
	char msg[512];
	snprintf(msg, sizeof(msg), "%s:%lu: %s", path, line, what);
	diag->fn(diag->ctx, msg);
}

/* A derivation is complete: keep it as a candidate. */
static void commit(struct ike_keycands *c, struct thread_state *s, const char *path, unsigned long line,
		   const struct ike_diag *diag)
{
	if (!s->open)
		return;
	s->open = false;
	if (!s->len[K_EI] || !s->len[K_ER])
		return; /* not an IKE SA derivation we can use */
	if (c->n == IKE_KEYDUMP_MAX) {
		if (!c->reported_cap)
			diag_line(diag, path, line, "more than " "1024" " key derivations; the rest are ignored");
		c->reported_cap = true;
		return;
	}
	struct cand *k = &c->c[c->n];
	memset(k, 0, sizeof(*k));
	k->mem = sodium_malloc(K_N * KEY_MAX);
	if (!k->mem)
		return;
	for (int i = 0; i < K_N; i++) {
		k->len[i] = s->len[i];
		memcpy(k->mem + i * KEY_MAX, s->keys[i], s->len[i]);
	}
	sodium_memzero(s->keys, sizeof(s->keys));
	k->has_proposal = s->has_proposal;
	memcpy(k->proposal, s->proposal, sizeof(k->proposal));
	memcpy(k->origin, s->origin, sizeof(k->origin));
	s->awaiting = (long)c->n;
	c->n++;
}

static bool spis_taken(const struct ike_keycands *c, uint64_t i, uint64_t r)
{
	for (size_t n = 0; n < c->n; n++)
		if (c->c[n].has_spis && c->c[n].ispi == i && c->c[n].rspi == r)
			return true;
	return false;
}

/* "Sk_ei secret => 32 bytes @ 0x…" */
static void start_dump(struct thread_state *s, const char *text)
{
	static const char *const names[] = {"Sk_ei", "Sk_er", "Sk_ai", "Sk_ar"};
	char name[8];
	unsigned long want;
	if (sscanf(text, "%7s secret => %lu bytes", name, &want) != 2)
		return;
	s->key = -1;
	for (int i = 0; i < K_N; i++)
		if (strcmp(name, names[i]) == 0)
			s->key = i;
	s->want = want;
	s->got = 0;
}

/* "   16: 36 7E 33 …  6~3…": appends up to 16 bytes. */
static bool dump_line(struct thread_state *s, const char *text)
{
	const char *p = text;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return false;
	for (int i = 0; i < 16 && s->got < s->want; i++) {
		if (p[0] != ' ' || !isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
			break;
		unsigned v;
		char hx[3] = {p[1], p[2], 0};
		sscanf(hx, "%x", &v);
		if (s->got < KEY_MAX)
			s->buf[s->got] = (uint8_t)v;
		s->got++;
		p += 3;
	}
	return true;
}

static void end_dump(struct ike_keycands *c, struct thread_state *s, const char *path, unsigned long line,
		     const struct ike_diag *diag)
{
	if (s->key >= 0) {
		if (s->want > KEY_MAX) {
			diag_line(diag, path, line, "key dump longer than 64 bytes; ignored");
		} else {
			s->len[s->key] = s->want;
			memcpy(s->keys[s->key], s->buf, s->want);
		}
	}
	sodium_memzero(s->buf, sizeof(s->buf));
	s->key = -2;
	(void)c;
}

/* "… charon-systemd[812]: text" (journalctl -o short, short-iso, short-precise). */
static const char *journal_text(const char *line)
{
	const char *p = strstr(line, " charon-systemd[");
	if (!p)
		p = strstr(line, " charon[");
	const char *e = p ? strstr(p, "]: ") : NULL;
	return e ? e + 3 : NULL;
}

static void handle_text(struct ike_keycands *c, struct thread_state *ts, int thread, const char *text, const char *path,
			unsigned long no, const struct ike_diag *diag);

/* journalctl -o json (MESSAGE, THREAD) or charon 6.x's JSON filelog (msg, thread):
 * the message's lines, each handled on the entry's thread. */
static void json_line(struct ike_keycands *c, struct thread_state *ts, const char *line, size_t len, const char *path,
		      unsigned long no, const struct ike_diag *diag)
{
	static char msg[MAX_LINE], msg6[MAX_LINE];
	char thr[16], thr6[16];
	struct logjson_field f[] = {
		{.key = "MESSAGE", .out = msg, .cap = sizeof(msg)},
		{.key = "THREAD", .out = thr, .cap = sizeof(thr)},
		{.key = "msg", .out = msg6, .cap = sizeof(msg6)},
		{.key = "thread", .out = thr6, .cap = sizeof(thr6)},
	};
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!logjson_read(line, len, f, 4))
		return;
	const char *text = f[0].found ? msg : f[2].found ? msg6 : NULL;
	const char *tid = f[1].found ? thr : f[3].found ? thr6 : NULL;
	if (!text)
		return;
	int thread = tid ? (int)strtol(tid, NULL, 10) : JOURNAL_THREAD;
	for (char *l = (char *)text; l && *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		handle_text(c, ts, thread, l, path, no, diag);
		l = nl ? nl + 1 : NULL;
	}
	sodium_memzero(msg, sizeof(msg));
	sodium_memzero(msg6, sizeof(msg6));
}

/* One line of charon text on a thread: a dump header or hex line, a proposal, a checkin. */
static void handle_text(struct ike_keycands *c, struct thread_state *ts, int thread, const char *text, const char *path,
			unsigned long no, const struct ike_diag *diag)
{
	struct thread_state *s = thread_get(ts, thread);
	if (s->key != -2) {
		if (dump_line(s, text)) {
			if (s->got >= s->want)
				end_dump(c, s, path, no, diag);
			return;
		}
		end_dump(c, s, path, no, diag); /* a dump cut short: keep what was announced only if whole */
	}
	if (strncmp(text, "Sk_", 3) == 0 && strstr(text, " secret => ")) {
		if (strncmp(text, "Sk_d ", 5) == 0) {
			commit(c, s, path, no, diag);
			s->open = true;
			memset(s->len, 0, sizeof(s->len));
			snprintf(s->origin, sizeof(s->origin), "%s:%lu", path, no);
		}
		start_dump(s, text);
		if (s->key >= 0 && !s->open) {
			s->open = true;
			memset(s->len, 0, sizeof(s->len));
			snprintf(s->origin, sizeof(s->origin), "%s:%lu", path, no);
		}
		return;
	}
	if (strncmp(text, "Sk_pr secret", 12) == 0) {
		commit(c, s, path, no, diag);
		return;
	}
	const char *sel = strstr(text, "selected proposal: IKE:");
	if (sel) {
		snprintf(s->proposal, sizeof(s->proposal), "%s", sel + strlen("selected proposal: "));
		s->proposal[strcspn(s->proposal, "\r\n")] = '\0';
		s->has_proposal = true;
		return;
	}
	const char *ck = strstr(text, "checkin IKEv2 SA ");
	const char *w = ck ? strstr(ck, " with SPIs ") : NULL;
	if (w) {
		/* The derivation may still be open if Sk_pr was not logged. */
		commit(c, s, path, no, diag);
		uint64_t i, r;
		if (s->awaiting >= 0 && sscanf(w, " with SPIs %" SCNx64 "_i %" SCNx64 "_r", &i, &r) == 2 && r &&
		    !spis_taken(c, i, r)) {
			struct cand *k = &c->c[s->awaiting];
			k->ispi = i;
			k->rspi = r;
			k->has_spis = true;
			s->awaiting = -1;
		}
	}
}

int ike_keycands_load_log(struct ike_keycands *c, const char *path, const struct ike_diag *diag)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s: cannot open", path);
		if (diag && diag->fn)
			diag->fn(diag->ctx, msg);
		return -1;
	}
	static struct thread_state ts[THREAD_SLOTS];
	for (size_t i = 0; i < THREAD_SLOTS; i++) {
		memset(&ts[i], 0, sizeof(ts[i]));
		ts[i].thread = -1;
	}
	static char line[MAX_LINE];
	unsigned long no = 0;
	size_t before = c->n;
	bool long_reported = false;
	bool journal_short = false;
	while (fgets(line, sizeof(line), f)) {
		no++;
		size_t len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			/* Longer than any charon line: skip the rest of it. */
			int ch;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			if (!long_reported)
				diag_line(diag, path, no, "line longer than 8192 bytes; skipped");
			long_reported = true;
			continue;
		}
		int thread;
		const char *text = charon_text(line, &thread);
		if (text) {
			journal_short = false;
			handle_text(c, ts, thread, text, path, no, diag);
		} else if (line[0] == '{') {
			journal_short = false;
			json_line(c, ts, line, len, path, no, diag);
		} else if ((text = journal_text(line)) != NULL) {
			journal_short = true;
			handle_text(c, ts, JOURNAL_THREAD, text, path, no, diag);
		} else if (journal_short && (line[0] == ' ' || line[0] == '\t')) {
			/* a further line of the previous journal message */
			handle_text(c, ts, JOURNAL_THREAD, line, path, no, diag);
		}
	}
	for (size_t i = 0; i < THREAD_SLOTS; i++) {
		if (ts[i].thread >= 0)
			commit(c, &ts[i], path, no, diag);
		sodium_memzero(&ts[i], sizeof(ts[i]));
	}
	sodium_memzero(line, sizeof(line));
	bool err = ferror(f);
	fclose(f);
	if (err) {
		diag_line(diag, path, no, "read error");
		return -1;
	}
	return (int)(c->n - before);
}

/* "AES_CBC_256" → AES_CBC, 256; "AES_GCM_16_256" → AES_GCM_16, 256; "3DES_CBC" → 3DES_CBC, -1. */
static bool parse_encr(const char *tok, uint16_t *id, int32_t *bits)
{
	for (size_t i = 0; i < ike_names_encr.n; i++) {
		const char *n = ike_names_encr.v[i].name;
		size_t l = strlen(n);
		if (strncmp(tok, n, l) != 0)
			continue;
		if (tok[l] == '\0') {
			*id = (uint16_t)ike_names_encr.v[i].id;
			*bits = -1;
			return true;
		}
		char *end;
		long b = tok[l] == '_' ? strtol(tok + l + 1, &end, 10) : 0;
		if (b > 0 && *end == '\0') {
			*id = (uint16_t)ike_names_encr.v[i].id;
			*bits = (int32_t)b;
			return true;
		}
	}
	return false;
}

/* "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048" */
static bool parse_proposal(const char *text, struct ike_sa_algs *a)
{
	memset(a, 0, sizeof(*a));
	a->encr_keylen = -1;
	if (strncmp(text, "IKE:", 4) != 0)
		return false;
	char buf[160];
	snprintf(buf, sizeof(buf), "%s", text + 4);
	buf[strcspn(buf, ", ")] = '\0';
	bool have_encr = false;
	char *save = NULL;
	for (char *tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!have_encr) {
			if (!parse_encr(tok, &a->encr, &a->encr_keylen))
				return false;
			have_encr = true;
			continue;
		}
		for (size_t i = 0; i < ike_names_integ.n; i++)
			if (strcmp(tok, ike_names_integ.v[i].name) == 0)
				a->integ = (uint16_t)ike_names_integ.v[i].id;
	}
	return have_encr;
}

static void spec_of(const struct cand *k, const struct ike_sa_algs *a, uint64_t ispi, uint64_t rspi,
		    struct ike_sa_keyspec *s)
{
	memset(s, 0, sizeof(*s));
	s->ispi = ispi;
	s->rspi = rspi;
	s->encr = a->encr;
	s->encr_bits = a->encr_keylen;
	s->integ = a->integ;
	s->dirs = IKE_KEYS_I | IKE_KEYS_R;
	s->ei = k->mem + K_EI * KEY_MAX;
	s->er = k->mem + K_ER * KEY_MAX;
	s->ai = k->mem + K_AI * KEY_MAX;
	s->ar = k->mem + K_AR * KEY_MAX;
	s->ei_len = k->len[K_EI];
	s->er_len = k->len[K_ER];
	s->ai_len = k->len[K_AI];
	s->ar_len = k->len[K_AR];
	s->origin = k->origin;
}

size_t ike_keycands_bind_from_log(struct ike_keycands *c, struct ike_keyring *k)
{
	size_t bound = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct cand *cd = &c->c[i];
		struct ike_sa_algs a;
		if (cd->bound || !cd->has_spis || !cd->has_proposal || !parse_proposal(cd->proposal, &a))
			continue;
		struct ike_sa_keyspec s;
		char why[160];
		spec_of(cd, &a, cd->ispi, cd->rspi, &s);
		if (ike_keyring_add(k, &s, why, sizeof(why)) >= 0) {
			cd->bound = true;
			bound++;
		}
	}
	return bound;
}

static size_t failed_slot(uint64_t i, uint64_t r) { return (size_t)((i * 0x9e3779b97f4a7c15ull ^ r) % FAILED_SLOTS); }

bool ike_keycands_try(struct ike_keycands *c, struct ike_keyring *k, const struct ike_sa_algs *algs,
		      const struct ike_msg *m, size_t sk_off, size_t sk_hdr)
{
	size_t fs = failed_slot(m->ispi, m->rspi);
	if (c->failed[fs][0] == m->ispi && c->failed[fs][1] == m->rspi)
		return false; /* every candidate was tried on this SA already */
	size_t len = m->raw.len;
	if (m->length >= 28 && m->length < len)
		len = m->length;
	uint8_t *out = malloc(len ? len : 1);
	if (!out)
		return false;
	bool ok = false;
	for (size_t i = 0; i < c->n && !ok; i++) {
		struct cand *cd = &c->c[i];
		struct ike_sa_algs a;
		if (cd->bound)
			continue;
		if (algs)
			a = *algs;
		else if (!cd->has_proposal || !parse_proposal(cd->proposal, &a))
			continue;
		struct ike_keyring *trial = ike_keyring_new();
		if (!trial)
			break;
		struct ike_sa_keyspec s;
		char why[160];
		spec_of(cd, &a, m->ispi, m->rspi, &s);
		if (ike_keyring_add(trial, &s, why, sizeof(why)) > 0) {
			const struct ike_sa_keys *keys = ike_keyring_find(trial, m->ispi, m->rspi);
			size_t out_len;
			if (keys && ike_sa_keys_icv_checked(keys) &&
			    ike_sk_open(keys, ike_msg_from_initiator(m), m->raw.p, len, sk_off, sk_hdr, out, &out_len, why,
					sizeof(why)) == IKE_OK) {
				ok = ike_keyring_add(k, &s, why, sizeof(why)) >= 0;
				cd->bound = ok;
				cd->ispi = m->ispi;
				cd->rspi = m->rspi;
				cd->has_spis = true;
			}
		}
		ike_keyring_free(trial);
	}
	sodium_memzero(out, len ? len : 1);
	free(out);
	if (!ok) {
		c->failed[fs][0] = m->ispi;
		c->failed[fs][1] = m->rspi;
	}
	return ok;
}
