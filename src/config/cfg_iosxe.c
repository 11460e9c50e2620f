/*
 * cfg_iosxe.c — Cisco IOS XE FlexVPN / route-based IPsec: `crypto ikev2
 * proposal|policy|keyring|profile|dpd`, `crypto ipsec transform-set|profile|
 * security-association lifetime`, and `interface TunnelN` with `tunnel
 * protection ipsec profile P`. One tunnel per protected Tunnel interface.
 *
 * This file reads the lines into objects (cfg_iosxe.h); cfg_iosxe_resolve.c
 * turns them into tunnels.
 *
 * Mapping tables and sources:
 *  - [ios-ikev2] Cisco "Configuring Internet Key Exchange Version 2 and
 *    FlexVPN Site-to-Site" (IOS XE Security Configuration Guide): proposal
 *    `encryption` des, 3des, aes-cbc-128/192/256, aes-gcm-128/256 (AEAD,
 *    16-octet ICV); `integrity` md5, sha1, sha256, sha384, sha512 (HMAC,
 *    truncated as in RFC 4868); `prf` the same names (with GCM a prf is
 *    mandatory; without one, the integrity algorithms serve as PRFs);
 *    `group` 1 2 5 14 15 16 19 20 21 24 = IANA DH group numbers; profile
 *    `lifetime` (default 86400 s), `dpd INTERVAL RETRY on-demand|periodic`.
 *  - [ios-smart] "IKEv2 smart defaults": `show crypto ikev2 proposal default`
 *    on IOS XE 16 and later: AES-CBC-256; SHA512 SHA384; PRF SHA512 SHA384;
 *    groups 19 14 21 5; default transform set `esp-aes esp-sha-hmac`.
 *  - [ios-ipsec] "Configuring Security for VPNs with IPsec": transform-set
 *    esp-aes [128|192|256] (128 when no size), esp-gcm [128|256] (128),
 *    esp-gmac, esp-3des, esp-des, esp-null, esp-md5-hmac, esp-sha-hmac
 *    (HMAC-SHA1-96), esp-sha256-hmac, esp-sha384-hmac, esp-sha512-hmac;
 *    `set pfs groupN` (group1 when no group is named); SA lifetime default
 *    3600 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config/cfg_iosxe.h"

struct algo {
	const char *name;
	uint8_t type;
	uint16_t id, key_len;
};

/* [ios-ikev2] */
static const struct algo ikev2_encr[] = {
	{"des", 1, 2, 0},           {"3des", 1, 3, 0},          {"aes-cbc-128", 1, 12, 128},
	{"aes-cbc-192", 1, 12, 192}, {"aes-cbc-256", 1, 12, 256}, {"aes-gcm-128", 1, 20, 128},
	{"aes-gcm-256", 1, 20, 256},
};
static const struct algo ikev2_integ[] = {
	{"md5", 3, 1, 0}, {"sha1", 3, 2, 0}, {"sha256", 3, 12, 0}, {"sha384", 3, 13, 0}, {"sha512", 3, 14, 0},
};
static const struct algo ikev2_prf[] = {
	{"md5", 2, 1, 0}, {"sha1", 2, 2, 0}, {"sha256", 2, 5, 0}, {"sha384", 2, 6, 0}, {"sha512", 2, 7, 0},
};
/* [ios-ipsec]; esp-aes and esp-gcm take an optional key size */
static const struct algo esp_xforms[] = {
	{"esp-aes", 1, 12, 128},       {"esp-gcm", 1, 20, 128},        {"esp-gmac", 1, 21, 128},
	{"esp-3des", 1, 3, 0},         {"esp-des", 1, 2, 0},           {"esp-null", 1, 11, 0},
	{"esp-md5-hmac", 3, 1, 0},     {"esp-sha-hmac", 3, 2, 0},      {"esp-sha256-hmac", 3, 12, 0},
	{"esp-sha384-hmac", 3, 13, 0}, {"esp-sha512-hmac", 3, 14, 0},
};
static const uint16_t ios_groups[] = {1, 2, 5, 14, 15, 16, 19, 20, 21, 24};

static const struct algo *algo(const struct algo *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}
#define ALGO(t, s) algo(t, sizeof(t) / sizeof(t[0]), s)

static bool group_ok(uint32_t g)
{
	for (size_t i = 0; i < sizeof(ios_groups) / sizeof(ios_groups[0]); i++)
		if (ios_groups[i] == g)
			return true;
	return false;
}

static void named(struct named *n, const char *name, unsigned line, const char *text)
{
	cfg_copy(n->name, sizeof(n->name), name);
	n->line = line;
	cfg_copy(n->text, sizeof(n->text), text);
}

#define NEW(arr, cnt, what)                                                                                \
	((cnt) < OBJ_MAX ? &(arr)[(cnt)++]                                                                 \
			 : (cfg_note(s->f, line, "more than %u %s: the rest are skipped", OBJ_MAX, what), NULL))

static void timer_words(struct ios *s, struct ike_cfg_timer *tm, const char *v, unsigned line, const char *text)
{
	uint32_t x;
	if (!cfg_u32(v, &x)) {
		cfg_note(s->f, line, "'%s' is not a number", v ? v : "");
		return;
	}
	tm->set = x > 0;
	tm->sec = x;
	cfg_origin(&tm->from, line, text);
}

static void top(struct ios *s, char **w, unsigned n, unsigned line, const char *text)
{
	s->block = B_SKIP;
	s->peer = NULL;
	if (n >= 4 && strcmp(w[0], "crypto") == 0 && strcmp(w[1], "ikev2") == 0) {
		if (strcmp(w[2], "proposal") == 0) {
			struct iprop *p = NEW(s->props, s->n_props, "IKEv2 proposals");
			if (p) {
				named(&p->n, w[3], line, text);
				p->p.protocol = 1;
				s->block = B_PROP;
			}
		} else if (strcmp(w[2], "policy") == 0) {
			struct ipolicy *p = NEW(s->pols, s->n_pols, "IKEv2 policies");
			if (p) {
				named(&p->n, w[3], line, text);
				s->block = B_POL;
			}
		} else if (strcmp(w[2], "keyring") == 0) {
			struct keyring *k = NEW(s->rings, s->n_rings, "keyrings");
			if (k) {
				named(&k->n, w[3], line, text);
				s->block = B_RING;
			}
		} else if (strcmp(w[2], "profile") == 0) {
			struct iprofile *p = NEW(s->profs, s->n_profs, "IKEv2 profiles");
			if (p) {
				named(&p->n, w[3], line, text);
				s->block = B_PROF;
			}
		} else if (strcmp(w[2], "dpd") == 0) {
			timer_words(s, &s->dpd_global, w[3], line, text);
		} else
			cfg_note(s->f, line, "crypto ikev2 %s: not modelled, skipped", w[2]);
	} else if (n >= 3 && strcmp(w[0], "crypto") == 0 && strcmp(w[1], "ipsec") == 0) {
		if (strcmp(w[2], "transform-set") == 0 && n >= 5) {
			struct tset *t = NEW(s->tsets, s->n_tsets, "transform sets");
			if (!t)
				return;
			named(&t->n, w[3], line, text);
			t->p.protocol = 3;
			for (unsigned i = 4; i < n; i++) {
				const struct algo *a = ALGO(esp_xforms, w[i]);
				if (!a) {
					cfg_note(s->f, line, "unknown transform '%s' skipped", w[i]);
					continue;
				}
				uint16_t kl = a->key_len;
				uint32_t sz;
				if (kl && i + 1 < n && cfg_u32(w[i + 1], &sz)) {
					kl = (uint16_t)sz;
					i++;
				}
				cfg_xform_add(&t->p, a->type, a->id, kl);
			}
			cfg_xform_add(&t->p, 5, 0, 0);
			s->block = B_TSET;
		} else if (strcmp(w[2], "profile") == 0 && n >= 4) {
			struct sprofile *p = NEW(s->sprofs, s->n_sprofs, "IPsec profiles");
			if (p) {
				named(&p->n, w[3], line, text);
				s->block = B_SPROF;
			}
		} else if (strcmp(w[2], "security-association") == 0 && n >= 6 && strcmp(w[3], "lifetime") == 0 &&
			   strcmp(w[4], "seconds") == 0) {
			timer_words(s, &s->sa_life_global, w[5], line, text);
		} else
			cfg_note(s->f, line, "crypto ipsec %s: not modelled, skipped", w[2]);
	} else if (n >= 2 && strcmp(w[0], "interface") == 0 && strncmp(w[1], "Tunnel", 6) == 0) {
		if (s->n_ifs < IKE_CFG_MAX_TUNNELS) {
			named(&s->ifs[s->n_ifs++].n, w[1], line, text);
			s->block = B_IF;
		}
	} else if (n >= 2 && strcmp(w[0], "crypto") == 0 && strcmp(w[1], "map") == 0) {
		cfg_note(s->f, line, "crypto map: not modelled (route-based tunnels only), skipped");
	}
}

static void in_prop(struct ios *s, struct iprop *p, char **w, unsigned n, unsigned line, const char *text)
{
	const struct algo *t = NULL;
	size_t tn = 0;
	if (strcmp(w[0], "encryption") == 0)
		t = ikev2_encr, tn = sizeof(ikev2_encr) / sizeof(ikev2_encr[0]);
	else if (strcmp(w[0], "integrity") == 0)
		t = ikev2_integ, tn = sizeof(ikev2_integ) / sizeof(ikev2_integ[0]);
	else if (strcmp(w[0], "prf") == 0)
		t = ikev2_prf, tn = sizeof(ikev2_prf) / sizeof(ikev2_prf[0]);
	else if (strcmp(w[0], "group") == 0) {
		for (unsigned i = 1; i < n; i++) {
			uint32_t g;
			if (cfg_u32(w[i], &g) && group_ok(g))
				cfg_xform_add(&p->p, 4, (uint16_t)g, 0);
			else
				cfg_note(s->f, line, "unknown group '%s' skipped", w[i]);
		}
		p->has_group = true;
		p->group_line = line;
		cfg_copy(p->group_text, sizeof(p->group_text), text);
		return;
	} else {
		cfg_note(s->f, line, "unknown IKEv2 proposal keyword '%s' skipped", w[0]);
		return;
	}
	for (unsigned i = 1; i < n; i++) {
		const struct algo *a = algo(t, tn, w[i]);
		if (!a) {
			cfg_note(s->f, line, "unknown %s '%s' skipped", w[0], w[i]);
			continue;
		}
		cfg_xform_add(&p->p, a->type, a->id, a->key_len);
		if (a->type == 2)
			p->prf_set = true;
		if (a->type == 1)
			p->has_encr = true;
	}
	if (strcmp(w[0], "encryption") == 0) {
		char o[IKE_CFG_ORIGIN_LEN + 96];
		snprintf(o, sizeof(o), "crypto ikev2 proposal %.48s / %.40s", p->n.name, text);
		p->n.line = line;
		cfg_copy(p->n.text, sizeof(p->n.text), o);
	}
}

static void in_block(struct ios *s, char **w, unsigned n, unsigned line, const char *text)
{
	switch (s->block) {
	case B_PROP: in_prop(s, &s->props[s->n_props - 1], w, n, line, text); break;
	case B_POL: {
		struct ipolicy *p = &s->pols[s->n_pols - 1];
		if (strcmp(w[0], "proposal") == 0 && n > 1 && p->n_props < 4)
			cfg_copy(p->props[p->n_props++], sizeof(p->props[0]), w[1]);
		else if (strcmp(w[0], "match") != 0)
			cfg_note(s->f, line, "unknown IKEv2 policy keyword '%s' skipped", w[0]);
		break;
	}
	case B_RING: {
		struct keyring *k = &s->rings[s->n_rings - 1];
		if (strcmp(w[0], "peer") == 0) {
			s->peer = k->n_peers < 8 ? &k->peers[k->n_peers++] : NULL;
			if (!s->peer)
				cfg_note(s->f, line, "more than 8 peers in keyring %s: skipped", k->n.name);
		} else if (strcmp(w[0], "address") == 0 && n > 1 && s->peer)
			cfg_copy(s->peer->addr, sizeof(s->peer->addr), w[1]);
		else if (strcmp(w[0], "pre-shared-key") == 0 && n > 1 && s->peer) {
			unsigned i = 1;
			if (strcmp(w[i], "local") == 0 || strcmp(w[i], "remote") == 0)
				i++;
			bool enc = false;
			if (i + 1 < n && (strcmp(w[i], "0") == 0 || strcmp(w[i], "6") == 0 || strcmp(w[i], "7") == 0)) {
				enc = w[i][0] != '0';
				i++;
			}
			if (i < n) {
				static const uint8_t key[16] = "ikescope-psk-eq";
				s->peer->opaque = enc;
				if (!enc)
					crypto_generichash(s->peer->hash, sizeof(s->peer->hash), (const uint8_t *)w[i],
							   strlen(w[i]), key, sizeof(key));
				s->peer->have_psk = true;
				s->peer->line = line;
			}
		} else if (strcmp(w[0], "description") != 0 && strcmp(w[0], "hostname") != 0 &&
			   strcmp(w[0], "identity") != 0)
			cfg_note(s->f, line, "unknown keyring keyword '%s' skipped", w[0]);
		break;
	}
	case B_PROF: {
		struct iprofile *p = &s->profs[s->n_profs - 1];
		if (strcmp(w[0], "match") == 0 && n >= 5 && strcmp(w[1], "identity") == 0 && strcmp(w[2], "remote") == 0 &&
		    strcmp(w[3], "address") == 0)
			cfg_copy(p->remote, sizeof(p->remote), w[4]);
		else if (strcmp(w[0], "keyring") == 0 && n >= 3)
			cfg_copy(p->keyring, sizeof(p->keyring), w[2]);
		else if (strcmp(w[0], "authentication") == 0 && n >= 3) {
			if (strcmp(w[1], "local") == 0) {
				p->auth = strcmp(w[2], "pre-share") == 0 ? IKE_CFG_AUTH_PSK
					  : strncmp(w[2], "rsa", 3) == 0 || strncmp(w[2], "ecdsa", 5) == 0 ? IKE_CFG_AUTH_PUBKEY
													    : IKE_CFG_AUTH_UNKNOWN;
				cfg_origin(&p->auth_from, line, text);
			}
		} else if (strcmp(w[0], "lifetime") == 0 && n > 1)
			timer_words(s, &p->life, w[1], line, text);
		else if (strcmp(w[0], "dpd") == 0 && n > 1)
			timer_words(s, &p->dpd, w[1], line, text);
		else if (strcmp(w[0], "identity") != 0 && strcmp(w[0], "match") != 0 && strcmp(w[0], "description") != 0)
			cfg_note(s->f, line, "unknown IKEv2 profile keyword '%s' skipped", w[0]);
		break;
	}
	case B_TSET:
		if (strcmp(w[0], "mode") != 0)
			cfg_note(s->f, line, "unknown transform-set keyword '%s' skipped", w[0]);
		break;
	case B_SPROF: {
		struct sprofile *p = &s->sprofs[s->n_sprofs - 1];
		if (strcmp(w[0], "set") != 0 || n < 2) {
			if (strcmp(w[0], "description") != 0)
				cfg_note(s->f, line, "unknown IPsec profile keyword '%s' skipped", w[0]);
		} else if (strcmp(w[1], "transform-set") == 0) {
			for (unsigned i = 2; i < n && p->n_tsets < 6; i++)
				cfg_copy(p->tsets[p->n_tsets++], sizeof(p->tsets[0]), w[i]);
			cfg_origin(&p->ts_from, line, text);
		} else if (strcmp(w[1], "pfs") == 0) {
			uint32_t g = 1; /* [ios-ipsec]: group1 when none is named */
			if (n > 2 && (strncmp(w[2], "group", 5) != 0 || !cfg_u32(w[2] + 5, &g) || !group_ok(g))) {
				cfg_note(s->f, line, "unknown pfs group '%s' skipped", w[2]);
				break;
			}
			p->has_pfs = true;
			p->pfs = (uint16_t)g;
			cfg_origin(&p->pfs_from, line, text);
		} else if (strcmp(w[1], "ikev2-profile") == 0 && n > 2)
			cfg_copy(p->ikev2, sizeof(p->ikev2), w[2]);
		else if (strcmp(w[1], "security-association") == 0 && n >= 5 && strcmp(w[2], "lifetime") == 0 &&
			 strcmp(w[3], "seconds") == 0)
			timer_words(s, &p->life, w[4], line, text);
		else if (strcmp(w[1], "security-association") == 0 && n >= 5 && strcmp(w[2], "replay") == 0 &&
			 strcmp(w[3], "window-size") == 0)
			timer_words(s, &p->replay, w[4], line, text);
		else
			cfg_note(s->f, line, "unknown IPsec profile setting 'set %s' skipped", w[1]);
		break;
	}
	case B_IF: {
		struct tif *t = &s->ifs[s->n_ifs - 1];
		if (strcmp(w[0], "tunnel") != 0 || n < 3)
			break; /* ip address, description, mtu: not IKE */
		if (strcmp(w[1], "source") == 0) {
			cfg_copy(t->src, sizeof(t->src), w[2]);
			cfg_origin(&t->src_from, line, text);
		} else if (strcmp(w[1], "destination") == 0) {
			cfg_copy(t->dst, sizeof(t->dst), w[2]);
			cfg_origin(&t->dst_from, line, text);
		} else if (strcmp(w[1], "protection") == 0 && n >= 5 && strcmp(w[3], "profile") == 0) {
			cfg_copy(t->prot, sizeof(t->prot), w[4]);
			cfg_origin(&t->prot_from, line, text);
		}
		break;
	}
	default: break;
	}
}

int cfg_parse_iosxe(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap)
{
	struct ios *s = calloc(1, sizeof(*s));
	struct cfg_lines *l = malloc(sizeof(*l));
	if (!s || !l) {
		free(s);
		free(l);
		snprintf(err, errcap, "%s: out of memory", f->name);
		return -1;
	}
	s->f = f;
	bool crypto = false;
	cfg_lines_init(l, text, len, f);
	while (cfg_next_line(l)) {
		bool indented = l->buf[0] == ' ';
		char *p = cfg_trim(l->buf);
		if (!*p || *p == '!') {
			if (*p == '!' && !indented)
				s->block = B_NONE;
			continue;
		}
		char text_copy[IKE_CFG_MAX_LINE + 1];
		cfg_copy(text_copy, sizeof(text_copy), p);
		char *w[16];
		unsigned n = cfg_words(p, w, 16);
		if (!indented) {
			if (strcmp(w[0], "crypto") == 0)
				crypto = true;
			top(s, w, n, l->line, text_copy);
		} else if (s->block != B_NONE && s->block != B_SKIP)
			in_block(s, w, n, l->line, text_copy);
	}
	cfg_iosxe_resolve(s);
	sodium_memzero(l, sizeof(*l));
	free(l);
	free(s);
	if (!crypto) {
		snprintf(err, errcap, "%s: no 'crypto' command: not an IOS XE IPsec configuration", f->name);
		return -1;
	}
	return 0;
}
