/*
 * cfg_vedge.c — Cisco vEdge (Viptela) CLI: `interface ipsecN` blocks with
 * their `ike` and `ipsec` sub-modes, mapped to what the vEdge's own charon
 * is configured with.
 *
 * Sub-modes are tracked with a stack rather than indentation: exported
 * configs (and the guide's second-hand copies) lose their indentation, but
 * every sub-mode is closed by a "!" line, and a keyword that the current
 * sub-mode does not know belongs to an enclosing one.
 *
 * Mapping tables and where each entry comes from:
 *  - [guide] /shared/seed/vedge-ikev2-troubleshooting.fr.txt (Cisco, "Dépannage
 *    des problèmes IPsec … vEdge avec IKEv2"): ipsec `cipher-suite
 *    aes256-cbc-sha1` + `perfect-forward-secrecy group-16` are charon's
 *    "configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ";
 *    "MODP_4096 est le groupe DH 16"; the block layout and keywords
 *    (tunnel-source[-interface], tunnel-destination, dead-peer-detection
 *    interval, ike version/rekey/cipher-suite/group/authentication-type,
 *    ipsec rekey/replay-window/cipher-suite/perfect-forward-secrecy).
 *  - [cref] Cisco SD-WAN (vEdge) command reference, "cipher-suite (IKE)",
 *    "cipher-suite (IPsec)", "group", "perfect-forward-secrecy", "rekey",
 *    "replay-window", "dead-peer-detection": the keyword lists and defaults
 *    below (IKE cipher-suite default aes256-cbc-sha1, group default 16,
 *    IKE rekey 14400 s, IPsec cipher-suite default aes256-gcm, PFS default
 *    group-16, IPsec rekey 3600 s, replay-window 512, DPD interval 10 s,
 *    retries 3). The "-sha2" IKE suites are HMAC-SHA2-256 (PRF SHA2-256).
 *    These [cref] entries were taken from that reference as published by
 *    Cisco; only the [guide] entries are also checked against charon's own
 *    "configured proposals:" output (tests/unit/test_config_parse.c).
 *  - group numbers are IANA Diffie-Hellman group numbers (RFC 3526, 5903,
 *    5114), which charon names MODP_2048 (14), ECP_256 (19), … [IANA].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config/cfg_int.h"

struct map {
	const char *vedge;
	const char *swan; /* strongSwan keywords charon gets (NULL: no transform) */
};

/* [guide] aes256-cbc-sha1; [cref] the rest */
static const struct map ike_suites[] = {
	{"aes128-cbc-sha1", "aes128-sha1"},
	{"aes128-cbc-sha2", "aes128-sha256"},
	{"aes256-cbc-sha1", "aes256-sha1"},
	{"aes256-cbc-sha2", "aes256-sha256"},
};
/* [guide] aes256-cbc-sha1, aes256-gcm; [cref] the rest */
static const struct map esp_suites[] = {
	{"aes256-cbc-sha1", "aes256-sha1"},     {"aes256-cbc-sha256", "aes256-sha256"},
	{"aes256-cbc-sha384", "aes256-sha384"}, {"aes256-cbc-sha512", "aes256-sha512"},
	{"aes256-gcm", "aes256gcm16"},          {"null-sha1", "null-sha1"},
	{"null-sha256", "null-sha256"},         {"null-sha384", "null-sha384"},
	{"null-sha512", "null-sha512"},
};
/* ike `group N` and ipsec `perfect-forward-secrecy group-N`: [guide] 14, 16; [cref]+[IANA] the rest */
static const struct map groups[] = {
	{"1", "modp768"},   {"2", "modp1024"},  {"5", "modp1536"},  {"14", "modp2048"},
	{"15", "modp3072"}, {"16", "modp4096"}, {"19", "ecp256"},   {"20", "ecp384"},
	{"21", "ecp521"},   {"24", "modp2048s256"},
};

static const char *lookup(const struct map *m, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].vedge, k) == 0)
			return m[i].swan;
	return NULL;
}
#define LOOKUP(m, k) lookup(m, sizeof(m) / sizeof(m[0]), k)

enum mode { M_NONE, M_OTHER, M_IF, M_IKE, M_AUTH, M_PSK, M_IPSEC };
#define STACK_MAX 6

struct ve {
	struct ike_cfg_file *f;
	struct ike_cfg_tunnel *t;
	enum mode st[STACK_MAX];
	unsigned depth;
	/* the values charon's proposals are built from, with their lines */
	char ike_suite[32], ike_group[16], esp_suite[32], pfs[16];
};

static const char *const if_ignored[] = {"description", "ip", "ipv6", "mtu", "tcp-mss-adjust", "shutdown", "no",
					 "clear-dont-fragment", "tunnel-route-via", "track", "tunnel-set", NULL};

static bool word_in(const char *const *l, const char *w)
{
	for (; *l; l++)
		if (strcmp(*l, w) == 0)
			return true;
	return false;
}

/* Which sub-mode knows this first word (M_NONE: none). */
static bool knows(enum mode m, const char *w)
{
	static const char *const ifw[] = {"tunnel-source", "tunnel-source-interface", "tunnel-destination",
					  "dead-peer-detection", "ike", "ipsec", NULL};
	static const char *const ikew[] = {"version", "rekey", "cipher-suite", "group", "authentication-type",
					   "mode", NULL};
	static const char *const authw[] = {"pre-shared-key", NULL};
	static const char *const pskw[] = {"pre-shared-secret", "local-id", "remote-id", NULL};
	static const char *const ipsecw[] = {"rekey", "replay-window", "cipher-suite", "perfect-forward-secrecy",
					     NULL};
	switch (m) {
	case M_IF: return word_in(ifw, w) || word_in(if_ignored, w);
	case M_IKE: return word_in(ikew, w);
	case M_AUTH: return word_in(authw, w);
	case M_PSK: return word_in(pskw, w);
	case M_IPSEC: return word_in(ipsecw, w);
	default: return false;
	}
}

static void push(struct ve *v, enum mode m)
{
	if (v->depth < STACK_MAX)
		v->st[v->depth++] = m;
}

static void timer(struct ve *v, struct ike_cfg_timer *tm, const char *val, unsigned line, const char *text)
{
	uint32_t x;
	if (!cfg_u32(val, &x)) {
		cfg_note(v->f, line, "'%s' is not a number of seconds", val ? val : "");
		return;
	}
	tm->set = x > 0;
	tm->sec = x;
	cfg_origin(&tm->from, line, text);
}

static void build(struct ve *v)
{
	struct ike_cfg_tunnel *t = v->t;
	char s[96], bad[160];
	if (!t)
		return;
	if (!t->ike_from.text[0]) {
		snprintf(v->ike_suite, sizeof(v->ike_suite), "aes256-cbc-sha1");
		cfg_default(&t->ike_from, "vEdge default: ike cipher-suite aes256-cbc-sha1");
	}
	if (!t->group_from.text[0]) {
		snprintf(v->ike_group, sizeof(v->ike_group), "16");
		cfg_default(&t->group_from, "vEdge default: ike group 16");
	}
	if (!t->esp_from.text[0]) {
		snprintf(v->esp_suite, sizeof(v->esp_suite), "aes256-gcm");
		cfg_default(&t->esp_from, "vEdge default: ipsec cipher-suite aes256-gcm");
	}
	if (!t->pfs_from.text[0]) {
		snprintf(v->pfs, sizeof(v->pfs), "group-16");
		cfg_default(&t->pfs_from, "vEdge default: ipsec perfect-forward-secrecy group-16");
	}
	const char *ike = LOOKUP(ike_suites, v->ike_suite);
	const char *grp = LOOKUP(groups, v->ike_group);
	const char *esp = LOOKUP(esp_suites, v->esp_suite);
	const char *pfs = strcmp(v->pfs, "none") == 0 ? "" : strncmp(v->pfs, "group-", 6) == 0 ? LOOKUP(groups, v->pfs + 6)
											     : NULL;
	if (ike && grp) {
		snprintf(s, sizeof(s), "%s-%s", ike, grp);
		if (ike_cfg_swan_proposal(s, 1, t->ike, &t->n_ike, bad, sizeof(bad)) != 0)
			cfg_note(v->f, t->ike_from.line, "ike: %s", bad);
	}
	if (esp && pfs) {
		snprintf(s, sizeof(s), "%s%s%s", esp, *pfs ? "-" : "", pfs);
		if (ike_cfg_swan_proposal(s, 3, t->esp, &t->n_esp, bad, sizeof(bad)) != 0)
			cfg_note(v->f, t->esp_from.line, "ipsec: %s", bad);
	}
	if (!*pfs && pfs)
		memset(&t->pfs_from, 0, sizeof(t->pfs_from)); /* "none": no KE in ESP */
	if (!t->ike_rekey.from.text[0]) {
		t->ike_rekey.set = true, t->ike_rekey.sec = 14400;
		cfg_default(&t->ike_rekey.from, "vEdge default: ike rekey 14400");
	}
	if (!t->child_rekey.from.text[0]) {
		t->child_rekey.set = true, t->child_rekey.sec = 3600;
		cfg_default(&t->child_rekey.from, "vEdge default: ipsec rekey 3600");
	}
	if (!t->replay.from.text[0]) {
		t->replay.set = true, t->replay.sec = 512;
		cfg_default(&t->replay.from, "vEdge default: ipsec replay-window 512");
	}
	if (!t->dpd.from.text[0]) {
		t->dpd.set = true, t->dpd.sec = 10;
		cfg_default(&t->dpd.from, "vEdge default: dead-peer-detection interval 10 retries 3");
	}
	if (!t->version) {
		t->version = 1; /* [cref]: ike version defaults to 1 */
		cfg_default(&t->version_from, "vEdge default: ike version 1");
	}
	if (!t->auth) {
		t->auth = IKE_CFG_AUTH_PSK;
		cfg_default(&t->auth_from, "vEdge: authentication-type pre-shared-key (the only type)");
	}
	v->t = NULL;
}

static void line_in(struct ve *v, char **w, unsigned n, unsigned line, const char *text)
{
	struct ike_cfg_tunnel *t = v->t;
	enum mode m = v->st[v->depth - 1];
	const char *a = n > 1 ? w[1] : NULL;
	if (m == M_IF) {
		if (strcmp(w[0], "tunnel-source") == 0 && a) {
			cfg_copy(t->local_addr, sizeof(t->local_addr), a);
			cfg_origin(&t->local_from, line, text);
		} else if (strcmp(w[0], "tunnel-source-interface") == 0 && a) {
			cfg_copy(t->local_addr, sizeof(t->local_addr), a); /* an interface name: address unknown */
			cfg_origin(&t->local_from, line, text);
		} else if (strcmp(w[0], "tunnel-destination") == 0 && a) {
			cfg_copy(t->peer_addr, sizeof(t->peer_addr), a);
			cfg_origin(&t->peer_from, line, text);
		} else if (strcmp(w[0], "dead-peer-detection") == 0) {
			for (unsigned i = 1; i + 1 < n; i += 2)
				if (strcmp(w[i], "interval") == 0)
					timer(v, &t->dpd, w[i + 1], line, text);
			if (!t->dpd.from.text[0])
				cfg_origin(&t->dpd.from, line, text);
		} else if (strcmp(w[0], "ike") == 0)
			push(v, M_IKE);
		else if (strcmp(w[0], "ipsec") == 0)
			push(v, M_IPSEC);
	} else if (m == M_IKE) {
		if (strcmp(w[0], "version") == 0 && a && (strcmp(a, "1") == 0 || strcmp(a, "2") == 0)) {
			t->version = (unsigned)(a[0] - '0');
			cfg_origin(&t->version_from, line, text);
		} else if (strcmp(w[0], "rekey") == 0)
			timer(v, &t->ike_rekey, a, line, text);
		else if (strcmp(w[0], "cipher-suite") == 0 && a) {
			if (!LOOKUP(ike_suites, a))
				cfg_note(v->f, line, "unknown ike cipher-suite '%s' skipped", a);
			else {
				cfg_copy(v->ike_suite, sizeof(v->ike_suite), a);
				cfg_origin(&t->ike_from, line, text);
			}
		} else if (strcmp(w[0], "group") == 0 && a) {
			if (!LOOKUP(groups, a))
				cfg_note(v->f, line, "unknown ike group '%s' skipped", a);
			else {
				cfg_copy(v->ike_group, sizeof(v->ike_group), a);
				cfg_origin(&t->group_from, line, text);
			}
		} else if (strcmp(w[0], "authentication-type") == 0) {
			push(v, M_AUTH);
			cfg_origin(&t->auth_from, line, text);
		} else if (strcmp(w[0], "mode") != 0)
			cfg_note(v->f, line, "ike %s: value missing or not understood", w[0]);
	} else if (m == M_AUTH) {
		t->auth = IKE_CFG_AUTH_PSK;
		push(v, M_PSK);
	} else if (m == M_PSK) {
		if (strcmp(w[0], "pre-shared-secret") == 0 && a) {
			if (strncmp(a, "$8$", 3) == 0 || strncmp(a, "$4$", 3) == 0) {
				t->psk_opaque = true; /* stored encrypted by the vEdge: cannot be compared */
				cfg_origin(&t->psk_from, line, "pre-shared-secret (encrypted)");
			} else
				cfg_psk(t, a, strlen(a), line, "pre-shared-secret (clear text)");
		}
	} else if (m == M_IPSEC) {
		if (strcmp(w[0], "rekey") == 0)
			timer(v, &t->child_rekey, a, line, text);
		else if (strcmp(w[0], "replay-window") == 0)
			timer(v, &t->replay, a, line, text);
		else if (strcmp(w[0], "cipher-suite") == 0 && a) {
			if (!LOOKUP(esp_suites, a))
				cfg_note(v->f, line, "unknown ipsec cipher-suite '%s' skipped", a);
			else {
				cfg_copy(v->esp_suite, sizeof(v->esp_suite), a);
				cfg_origin(&t->esp_from, line, text);
			}
		} else if (strcmp(w[0], "perfect-forward-secrecy") == 0 && a) {
			if (strcmp(a, "none") != 0 && !(strncmp(a, "group-", 6) == 0 && LOOKUP(groups, a + 6)))
				cfg_note(v->f, line, "unknown perfect-forward-secrecy '%s' skipped", a);
			else {
				cfg_copy(v->pfs, sizeof(v->pfs), a);
				cfg_origin(&t->pfs_from, line, text);
			}
		}
	}
}

int cfg_parse_vedge(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap)
{
	struct ve v = {.f = f};
	struct cfg_lines *l = malloc(sizeof(*l));
	if (!l) {
		snprintf(err, errcap, "%s: out of memory", f->name);
		return -1;
	}
	cfg_lines_init(l, text, len, f);
	while (cfg_next_line(l)) {
		char *p = cfg_trim(l->buf);
		if (!*p)
			continue;
		char text_copy[IKE_CFG_MAX_LINE + 1];
		cfg_copy(text_copy, sizeof(text_copy), p);
		if (*p == '!') {
			if (v.depth > 0)
				v.depth--;
			continue;
		}
		char *w[8];
		unsigned n = cfg_words(p, w, 8);
		if (strcmp(w[0], "interface") == 0 && n > 1) {
			build(&v);
			v.depth = 0;
			if (strncmp(w[1], "ipsec", 5) == 0) {
				v.t = cfg_tunnel_new(f, w[1], l->line, text_copy);
				v.ike_suite[0] = v.ike_group[0] = v.esp_suite[0] = v.pfs[0] = '\0';
				push(&v, v.t ? M_IF : M_OTHER);
			} else
				push(&v, M_OTHER);
			continue;
		}
		if (v.depth == 0 || v.st[0] == M_OTHER)
			continue; /* outside an ipsec interface: vpn, system, other interfaces */
		/* the innermost sub-mode that knows the keyword takes it */
		unsigned d = v.depth;
		while (d > 0 && !knows(v.st[d - 1], w[0]))
			d--;
		if (d == 0) {
			cfg_note(f, l->line, "unknown keyword '%s' in interface %s skipped", w[0], v.t->name);
			continue;
		}
		v.depth = d;
		line_in(&v, w, n, l->line, text_copy);
	}
	build(&v);
	sodium_memzero(l, sizeof(*l));
	free(l);
	return 0;
}
