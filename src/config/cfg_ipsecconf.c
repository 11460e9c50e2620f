/*
 * cfg_ipsecconf.c — strongSwan's legacy ipsec.conf (stroke): `conn NAME`
 * sections of key=value lines, `conn %default` for every conn, and `also=`
 * to pull another conn's settings in (one level).
 *
 * Defaults from ipsec.conf(5) (strongSwan 5.x): ike "aes128-sha256-modp3072",
 * esp "aes128-sha256"; unless the value ends with '!', charon appends its
 * default proposal; dpddelay 30s only when dpdaction is not none (the
 * default); ikelifetime 3h, lifetime (keylife) 1h, margintime 9m: a SA is
 * rekeyed margintime before it expires. Secrets live in ipsec.secrets,
 * which is not read: the PSK cannot be compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg_int.h"

#define CONNS_MAX 32
#define KV_MAX 48

struct kv {
	char key[32];
	char value[192];
	unsigned line;
	char text[IKE_CFG_ORIGIN_LEN];
};

struct conn {
	char name[64];
	unsigned line;
	char text[IKE_CFG_ORIGIN_LEN];
	struct kv kv[KV_MAX];
	unsigned n;
};

static const struct kv *get(const struct conn *c, const struct conn *dflt, const struct conn *also, const char *k)
{
	const struct conn *order[] = {c, also, dflt};
	for (size_t i = 0; i < 3; i++) {
		if (!order[i])
			continue;
		for (unsigned j = order[i]->n; j-- > 0;)
			if (strcmp(order[i]->kv[j].key, k) == 0)
				return &order[i]->kv[j];
	}
	return NULL;
}

static const struct conn *find(const struct conn *cs, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(cs[i].name, name) == 0)
			return &cs[i];
	return NULL;
}

static void lifetime(struct ike_cfg_file *f, struct ike_cfg_timer *tm, const struct kv *life, uint32_t dflt_life,
		     const struct kv *margin, const char *what)
{
	uint32_t l = dflt_life, m = 540;
	if (life && !cfg_duration(life->value, &l))
		cfg_note(f, life->line, "'%s' is not a duration", life->value);
	if (margin && !cfg_duration(margin->value, &m))
		cfg_note(f, margin->line, "'%s' is not a duration", margin->value);
	tm->set = l > m;
	tm->sec = l > m ? l - m : 0;
	if (life)
		cfg_origin(&tm->from, life->line, life->text);
	else
		cfg_default(&tm->from, "ipsec.conf default: %s=%us, margintime=9m", what, dflt_life);
}

static void props(struct ike_cfg_file *f, struct ike_cfg_tunnel *t, bool esp, const struct kv *kv)
{
	char v[192], bad[160];
	cfg_copy(v, sizeof(v), kv ? kv->value : esp ? "aes128-sha256" : "aes128-sha256-modp3072");
	size_t n = strlen(v);
	bool strict = n && v[n - 1] == '!';
	struct ike_cfg_proposal *list = esp ? t->esp : t->ike;
	unsigned *cnt = esp ? &t->n_esp : &t->n_ike;
	char *save = NULL;
	for (char *p = strtok_r(v, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (ike_cfg_swan_proposal(p, esp ? 3 : 1, list, cnt, bad, sizeof(bad)) != 0)
			cfg_note(f, kv ? kv->line : 0, "%s: %s", esp ? "esp" : "ike", bad);
	if (!strict)
		ike_cfg_swan_proposal("default", esp ? 3 : 1, list, cnt, bad, sizeof(bad));
	if (kv)
		cfg_origin(esp ? &t->esp_from : &t->ike_from, kv->line, kv->text);
	else
		cfg_default(esp ? &t->esp_from : &t->ike_from, "ipsec.conf default: %s", esp ? "esp=aes128-sha256" : "ike=aes128-sha256-modp3072");
	if (esp) {
		bool ke = false;
		for (unsigned i = 0; i < *cnt; i++)
			ke |= cfg_xform_has_type(&list[i], 4);
		if (ke && kv)
			cfg_origin(&t->pfs_from, kv->line, kv->text);
	}
}

static void subnets(struct ike_cfg_file *f, struct ike_cfg_tunnel *t, bool local, const struct kv *kv)
{
	if (!kv)
		return;
	char v[192];
	cfg_copy(v, sizeof(v), kv->value);
	char *save = NULL;
	for (char *p = strtok_r(v, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		p = cfg_trim(p);
		char *br = strchr(p, '[');
		if (br)
			*br = '\0';
		struct ike_cfg_ts ts;
		if (cfg_ts(p, &ts))
			cfg_ts_add(t, local, &ts);
		else
			cfg_note(f, kv->line, "'%s' is not a subnet", p);
	}
	cfg_origin(local ? &t->local_ts_from : &t->remote_ts_from, kv->line, kv->text);
}

static void materialize(struct ike_cfg_file *f, const struct conn *c, const struct conn *dflt, const struct conn *also)
{
#define G(k) get(c, dflt, also, k)
	const struct kv *a = G("auto");
	if (a && strcmp(a->value, "ignore") == 0)
		return;
	struct ike_cfg_tunnel *t = cfg_tunnel_new(f, c->name, c->line, c->text);
	if (!t)
		return;
	const struct kv *kv;
	if ((kv = G("left"))) {
		cfg_copy(t->local_addr, sizeof(t->local_addr), kv->value);
		cfg_origin(&t->local_from, kv->line, kv->text);
	}
	if ((kv = G("right"))) {
		cfg_copy(t->peer_addr, sizeof(t->peer_addr), kv->value);
		cfg_origin(&t->peer_from, kv->line, kv->text);
	}
	kv = G("keyexchange");
	t->version = kv && strcmp(kv->value, "ikev1") == 0 ? 1 : kv && strcmp(kv->value, "ikev2") == 0 ? 2 : 0;
	if (kv)
		cfg_origin(&t->version_from, kv->line, kv->text);
	props(f, t, false, G("ike"));
	props(f, t, true, G("esp"));
	const struct kv *dd = G("dpddelay"), *da = G("dpdaction");
	uint32_t d = 30;
	if (dd && !cfg_duration(dd->value, &d))
		cfg_note(f, dd->line, "'%s' is not a duration", dd->value);
	t->dpd.set = da && strcmp(da->value, "none") != 0 && d > 0;
	t->dpd.sec = d;
	if (dd)
		cfg_origin(&t->dpd.from, dd->line, dd->text);
	else if (da)
		cfg_origin(&t->dpd.from, da->line, da->text);
	else
		cfg_default(&t->dpd.from, "ipsec.conf default: dpdaction=none (no DPD)");
	const struct kv *ikl = G("ikelifetime");
	lifetime(f, &t->ike_rekey, ikl, 10800, G("margintime") ? G("margintime") : G("rekeymargin"), "ikelifetime");
	const struct kv *kl = G("lifetime") ? G("lifetime") : G("keylife");
	lifetime(f, &t->child_rekey, kl, 3600, G("margintime") ? G("margintime") : G("rekeymargin"), "lifetime");
	if ((kv = G("authby")) || (kv = G("leftauth"))) {
		t->auth = strcmp(kv->value, "secret") == 0 || strcmp(kv->value, "psk") == 0 ? IKE_CFG_AUTH_PSK
			  : strncmp(kv->value, "rsa", 3) == 0 || strcmp(kv->value, "pubkey") == 0 ||
					  strncmp(kv->value, "ecdsa", 5) == 0
				  ? IKE_CFG_AUTH_PUBKEY
				  : IKE_CFG_AUTH_UNKNOWN;
		cfg_origin(&t->auth_from, kv->line, kv->text);
	}
	subnets(f, t, true, G("leftsubnet"));
	subnets(f, t, false, G("rightsubnet"));
#undef G
}

static const char *const known_keys[] = {
	"left", "right", "leftsubnet", "rightsubnet", "ike", "esp", "dpddelay", "dpdaction", "dpdtimeout",
	"keyexchange", "ikelifetime", "lifetime", "keylife", "margintime", "rekeymargin", "authby", "leftauth",
	"rightauth", "auto", "also", "leftid", "rightid", "leftcert", "rightcert", "leftsendcert", "type",
	"rekey", "reauth", "mobike", "fragmentation", "rekeyfuzz", "keyingtries", "closeaction", "forceencaps",
	"leftfirewall", "installpolicy", "compress", "aggressive", "leftsourceip", "rightsourceip", "replay_window",
	"leftupdown", "mark", "leftikeport", "rightikeport", "ikedscp", "inactivity", "reqid", "leftca", "rightca",
	"leftprotoport", "rightprotoport", "leftnexthop", "rightnexthop", "eap_identity", "xauth", "modeconfig",
	"uniqueids", "charondebug", "strictcrlpolicy", "cachecrls", NULL};

static bool known_key(const char *k)
{
	for (const char *const *q = known_keys; *q; q++)
		if (strcmp(*q, k) == 0)
			return true;
	return false;
}

int cfg_parse_ipsec_conf(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap)
{
	struct conn *cs = calloc(CONNS_MAX, sizeof(*cs));
	struct cfg_lines *l = malloc(sizeof(*l));
	if (!cs || !l) {
		free(cs);
		free(l);
		snprintf(err, errcap, "%s: out of memory", f->name);
		return -1;
	}
	unsigned n = 0;
	struct conn *cur = NULL;
	bool in_setup = false, any = false;
	cfg_lines_init(l, text, len, f);
	while (cfg_next_line(l)) {
		char *hash = strchr(l->buf, '#');
		if (hash)
			*hash = '\0';
		bool indented = l->buf[0] == ' ';
		char *p = cfg_trim(l->buf);
		if (!*p)
			continue;
		if (!indented) {
			cur = NULL;
			in_setup = false;
			if (strncmp(p, "conn ", 5) == 0) {
				any = true;
				if (n >= CONNS_MAX) {
					cfg_note(f, l->line, "more than %u conns: the rest are skipped", CONNS_MAX);
					continue;
				}
				cur = &cs[n++];
				cfg_copy(cur->name, sizeof(cur->name), cfg_trim(p + 5));
				cur->line = l->line;
				cfg_copy(cur->text, sizeof(cur->text), p);
			} else if (strcmp(p, "config setup") == 0) {
				any = in_setup = true;
			} else if (strncmp(p, "include ", 8) == 0)
				cfg_note(f, l->line, "include not followed: %s", p + 8);
			else if (strncmp(p, "version ", 8) != 0 && strncmp(p, "ca ", 3) != 0)
				cfg_note(f, l->line, "'%s' outside a conn section skipped", p);
			continue;
		}
		if (in_setup || !cur)
			continue;
		char *eq = strchr(p, '=');
		if (!eq) {
			cfg_note(f, l->line, "'%s' is not key=value, skipped", p);
			continue;
		}
		*eq = '\0';
		char *k = cfg_trim(p), *v = cfg_trim(eq + 1);
		size_t vn = strlen(v);
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v[vn - 1] = '\0';
			v++;
		}
		if (!known_key(k)) {
			cfg_note(f, l->line, "unknown keyword '%s' skipped", k);
			continue;
		}
		if (cur->n >= KV_MAX) {
			cfg_note(f, l->line, "more than %u settings in conn %s: '%s' skipped", KV_MAX, cur->name, k);
			continue;
		}
		struct kv *kv = &cur->kv[cur->n++];
		cfg_copy(kv->key, sizeof(kv->key), k);
		cfg_copy(kv->value, sizeof(kv->value), v);
		kv->line = l->line;
		snprintf(kv->text, sizeof(kv->text), "%s=%s", k, v);
	}
	const struct conn *dflt = find(cs, n, "%default");
	for (unsigned i = 0; i < n; i++) {
		if (&cs[i] == dflt)
			continue;
		const struct kv *al = get(&cs[i], NULL, NULL, "also");
		const struct conn *also = al ? find(cs, n, al->value) : NULL;
		if (al && !also)
			cfg_note(f, al->line, "also=%s: no such conn", al->value);
		/* a conn only pulled in by also= is a template when it has no peer */
		materialize(f, &cs[i], dflt, also);
	}
	free(l);
	free(cs);
	if (!any) {
		snprintf(err, errcap, "%s: no 'conn' or 'config setup' section: not an ipsec.conf", f->name);
		return -1;
	}
	return 0;
}
