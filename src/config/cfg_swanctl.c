/*
 * cfg_swanctl.c — strongSwan swanctl.conf: connections { NAME { … children
 * { CHILD { … } } } } and secrets { ike-X { secret id } }. One tunnel per
 * connection; its first child gives the ESP side (others are noted).
 *
 * Defaults are swanctl.conf(5)'s: proposals and esp_proposals "default",
 * rekey_time 4h (IKE) and 1h (CHILD), life_time = 110 % of rekey_time,
 * dpd_delay 0s (off), version 0 (IKEv2 when initiating).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config/cfg_int.h"

#define DEPTH_MAX 8
#define SECRETS_MAX 16

struct secret {
	unsigned line;
	char ids[4][64];
	unsigned n_ids;
	char value[256];
	size_t len;
	bool have;
};

struct sw {
	struct ike_cfg_file *f;
	char stack[DEPTH_MAX][64];
	unsigned depth, dropped_depth;
	struct ike_cfg_tunnel *t;
	bool child_seen, in_first_child;
	char local_id[64], remote_id[64];
	struct secret sec[SECRETS_MAX];
	unsigned n_sec;
};

static const char *const conn_keys_ignored[] = {
	"mobike", "fragmentation", "keyingtries", "unique", "send_cert", "send_certreq", "encap", "dpd_timeout",
	"aggressive", "pull", "dscp", "reauth_time", "over_time", "rand_time", "pools", "if_id_in", "if_id_out",
	"mediation", "mediated_by", "mediation_peer", "childless", "ppk_id", "ppk_required", "keyingtries",
	"local_port", "remote_port", "vips", "ocsp", "cert_policy", NULL};
static const char *const child_keys_ignored[] = {
	"dpd_action", "start_action", "close_action", "mode", "updown", "hostaccess", "ipcomp", "inactivity",
	"reqid", "priority", "interface", "mark_in", "mark_out", "set_mark_in", "set_mark_out", "tfc_padding",
	"replay_window", "hw_offload", "copy_df", "copy_ecn", "copy_dscp", "policies", "policies_fwd_out",
	"rand_time", "rekey_bytes", "life_bytes", "rand_bytes", "rekey_packets", "life_packets", "rand_packets",
	"label", "label_mode", "sha256_96", "if_id_in", "if_id_out", "ah_proposals", NULL};
static const char *const auth_keys_ignored[] = {"certs", "cacerts", "pubkeys", "cert", "round", "eap_id",
						"aaa_id", "xauth_id", "groups", "cert_policy", "ca_id", "revocation",
						NULL};

static bool in_list(const char *const *l, const char *k)
{
	for (; *l; l++)
		if (strcmp(*l, k) == 0)
			return true;
	return false;
}

static bool at(const struct sw *s, unsigned depth, const char *name)
{
	return s->depth > depth && strcmp(s->stack[depth], name) == 0;
}

static void set_timer(struct sw *s, struct ike_cfg_timer *tm, const char *v, unsigned line, const char *text)
{
	uint32_t sec;
	if (!cfg_duration(v, &sec)) {
		cfg_note(s->f, line, "'%s' is not a duration", v);
		return;
	}
	tm->set = sec > 0;
	tm->sec = sec;
	cfg_origin(&tm->from, line, text);
}

static void proposals(struct sw *s, bool esp, char *v, unsigned line, const char *text)
{
	struct ike_cfg_tunnel *t = s->t;
	struct ike_cfg_proposal *list = esp ? t->esp : t->ike;
	unsigned *n = esp ? &t->n_esp : &t->n_ike;
	*n = 0;
	char *save = NULL;
	for (char *p = strtok_r(v, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char bad[160];
		if (ike_cfg_swan_proposal(p, esp ? 3 : 1, list, n, bad, sizeof(bad)) != 0)
			cfg_note(s->f, line, "%s: %s", esp ? "esp_proposals" : "proposals", bad);
	}
	cfg_origin(esp ? &t->esp_from : &t->ike_from, line, text);
	if (esp) {
		bool ke = false;
		for (unsigned i = 0; i < *n; i++)
			ke |= cfg_xform_has_type(&list[i], 4);
		if (ke)
			cfg_origin(&t->pfs_from, line, text);
		else
			memset(&t->pfs_from, 0, sizeof(t->pfs_from));
	}
}

static void selectors(struct sw *s, bool local, char *v, unsigned line, const char *text)
{
	struct ike_cfg_tunnel *t = s->t;
	char *save = NULL;
	for (char *p = strtok_r(v, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		p = cfg_trim(p);
		char *br = strchr(p, '[');
		if (br)
			*br = '\0'; /* protocol/port restrictions are not compared */
		struct ike_cfg_ts ts;
		if (strcmp(p, "dynamic") == 0) {
			const char *a = local ? t->local_addr : t->peer_addr;
			if (!*a || !cfg_ts(a, &ts))
				memset(&ts, 0, sizeof(ts));
		} else if (!cfg_ts(p, &ts)) {
			cfg_note(s->f, line, "'%s' is not a traffic selector", p);
			continue;
		}
		cfg_ts_add(t, local, &ts);
	}
	cfg_origin(local ? &t->local_ts_from : &t->remote_ts_from, line, text);
}

static void conn_key(struct sw *s, const char *k, char *v, unsigned line, const char *text)
{
	struct ike_cfg_tunnel *t = s->t;
	if (strcmp(k, "version") == 0) {
		uint32_t x;
		if (cfg_u32(v, &x) && x <= 2) {
			t->version = x;
			cfg_origin(&t->version_from, line, text);
		} else
			cfg_note(s->f, line, "version '%s': 0, 1 or 2 expected", v);
	} else if (strcmp(k, "local_addrs") == 0) {
		cfg_copy(t->local_addr, sizeof(t->local_addr), v);
		cfg_origin(&t->local_from, line, text);
	} else if (strcmp(k, "remote_addrs") == 0) {
		cfg_copy(t->peer_addr, sizeof(t->peer_addr), v);
		cfg_origin(&t->peer_from, line, text);
	} else if (strcmp(k, "proposals") == 0)
		proposals(s, false, v, line, text);
	else if (strcmp(k, "dpd_delay") == 0)
		set_timer(s, &t->dpd, v, line, text);
	else if (strcmp(k, "rekey_time") == 0)
		set_timer(s, &t->ike_rekey, v, line, text);
	else if (!in_list(conn_keys_ignored, k))
		cfg_note(s->f, line, "unknown connection keyword '%s' skipped", k);
}

static void child_key(struct sw *s, const char *k, char *v, unsigned line, const char *text)
{
	struct ike_cfg_tunnel *t = s->t;
	if (!s->in_first_child)
		return;
	if (strcmp(k, "esp_proposals") == 0)
		proposals(s, true, v, line, text);
	else if (strcmp(k, "local_ts") == 0)
		selectors(s, true, v, line, text);
	else if (strcmp(k, "remote_ts") == 0)
		selectors(s, false, v, line, text);
	else if (strcmp(k, "rekey_time") == 0)
		set_timer(s, &t->child_rekey, v, line, text);
	else if (strcmp(k, "life_time") == 0)
		set_timer(s, &t->child_life, v, line, text);
	else if (!in_list(child_keys_ignored, k))
		cfg_note(s->f, line, "unknown child keyword '%s' skipped", k);
}

static void auth_key(struct sw *s, bool local, const char *k, const char *v, unsigned line, const char *text)
{
	struct ike_cfg_tunnel *t = s->t;
	if (strcmp(k, "auth") == 0) {
		if (local) {
			t->auth = strcmp(v, "psk") == 0 ? IKE_CFG_AUTH_PSK
				  : strncmp(v, "pubkey", 6) == 0 || strncmp(v, "rsa", 3) == 0 || strncmp(v, "ecdsa", 5) == 0
					  ? IKE_CFG_AUTH_PUBKEY
					  : IKE_CFG_AUTH_UNKNOWN;
			cfg_origin(&t->auth_from, line, text);
		}
	} else if (strcmp(k, "id") == 0)
		cfg_copy(local ? s->local_id : s->remote_id, sizeof(s->local_id), v);
	else if (!in_list(auth_keys_ignored, k))
		cfg_note(s->f, line, "unknown authentication keyword '%s' skipped", k);
}

static void secret_key(struct sw *s, const char *k, const char *v, unsigned line)
{
	if (s->n_sec == 0)
		return;
	struct secret *x = &s->sec[s->n_sec - 1];
	if (strcmp(k, "secret") == 0) {
		x->len = strlen(v) < sizeof(x->value) ? strlen(v) : sizeof(x->value) - 1;
		memcpy(x->value, v, x->len);
		x->have = true;
		x->line = line;
	} else if (strncmp(k, "id", 2) == 0 && x->n_ids < 4)
		cfg_copy(x->ids[x->n_ids++], sizeof(x->ids[0]), v);
}

/* A secret applies to a tunnel when it names none of the IDs, or one of them
 * is the tunnel's local or remote ID (or address, the default ID). */
static bool secret_fits(const struct secret *x, const struct ike_cfg_tunnel *t)
{
	if (x->n_ids == 0)
		return true;
	for (unsigned i = 0; i < x->n_ids; i++)
		if (strcmp(x->ids[i], "%any") == 0 || strcmp(x->ids[i], t->local_addr) == 0 ||
		    strcmp(x->ids[i], t->peer_addr) == 0)
			return true;
	return false;
}

static void finish_tunnel(struct sw *s)
{
	struct ike_cfg_tunnel *t = s->t;
	if (!t)
		return;
	if (!t->ike_from.text[0] && !t->ike_from.line) {
		ike_cfg_swan_proposal("default", 1, t->ike, &t->n_ike, (char[8]){0}, 8);
		cfg_default(&t->ike_from, "swanctl default: proposals = default");
	}
	if (!t->esp_from.text[0] && !t->esp_from.line) {
		ike_cfg_swan_proposal("default", 3, t->esp, &t->n_esp, (char[8]){0}, 8);
		cfg_default(&t->esp_from, "swanctl default: esp_proposals = default");
	}
	if (!t->ike_rekey.from.text[0]) {
		t->ike_rekey.set = true, t->ike_rekey.sec = 14400;
		cfg_default(&t->ike_rekey.from, "swanctl default: rekey_time = 4h");
	}
	if (!t->child_rekey.from.text[0]) {
		t->child_rekey.set = true, t->child_rekey.sec = 3600;
		cfg_default(&t->child_rekey.from, "swanctl default: children rekey_time = 1h");
	}
	if (!t->dpd.from.text[0])
		cfg_default(&t->dpd.from, "swanctl default: dpd_delay = 0s (off)");
	s->t = NULL;
}

static void open_section(struct sw *s, const char *name, unsigned line, const char *text)
{
	if (s->depth >= DEPTH_MAX) {
		s->dropped_depth++;
		return;
	}
	cfg_copy(s->stack[s->depth], sizeof(s->stack[0]), name);
	s->depth++;
	if (s->depth == 2 && at(s, 0, "connections")) {
		s->t = cfg_tunnel_new(s->f, name, line, text);
		s->child_seen = false;
		s->local_id[0] = s->remote_id[0] = '\0';
	} else if (s->depth == 4 && s->t && at(s, 0, "connections") && at(s, 2, "children")) {
		s->in_first_child = !s->child_seen;
		if (s->child_seen)
			cfg_note(s->f, line, "child '%s': only the first child of '%s' is compared", name, s->t->name);
		s->child_seen = true;
	} else if (s->depth == 2 && at(s, 0, "secrets")) {
		/* eap-, xauth- and private key sections are not IKE PSKs */
		if (strncmp(name, "ike", 3) == 0 && s->n_sec < SECRETS_MAX)
			memset(&s->sec[s->n_sec++], 0, sizeof(s->sec[0]));
	}
}

static void close_section(struct sw *s)
{
	if (s->dropped_depth) {
		s->dropped_depth--;
		return;
	}
	if (s->depth == 0)
		return;
	if (s->depth == 2 && at(s, 0, "connections"))
		finish_tunnel(s);
	s->depth--;
}

static void key_value(struct sw *s, char *k, char *v, unsigned line, const char *text)
{
	if (s->dropped_depth)
		return;
	v = cfg_trim(v);
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		v++;
	}
	if (at(s, 0, "connections") && s->t) {
		if (s->depth == 2)
			conn_key(s, k, v, line, text);
		else if (s->depth == 3 && strncmp(s->stack[2], "local", 5) == 0)
			auth_key(s, true, k, v, line, text);
		else if (s->depth == 3 && strncmp(s->stack[2], "remote", 6) == 0)
			auth_key(s, false, k, v, line, text);
		else if (s->depth == 4 && at(s, 2, "children"))
			child_key(s, k, v, line, text);
	} else if (at(s, 0, "secrets") && s->depth == 2) {
		secret_key(s, k, v, line);
	}
}

int cfg_parse_swanctl(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap)
{
	struct sw *s = calloc(1, sizeof(*s));
	struct cfg_lines *l = malloc(sizeof(*l));
	if (!s || !l) {
		free(s);
		free(l);
		snprintf(err, errcap, "%s: out of memory", f->name);
		return -1;
	}
	s->f = f;
	bool seen_connections = false;
	cfg_lines_init(l, text, len, f);
	while (cfg_next_line(l)) {
		char *hash = strchr(l->buf, '#');
		if (hash)
			*hash = '\0';
		char *p = cfg_trim(l->buf);
		char text_copy[IKE_CFG_MAX_LINE + 1];
		cfg_copy(text_copy, sizeof(text_copy), p);
		while (*p) {
			if (*p == '}') {
				close_section(s);
				p = cfg_trim(p + 1);
				continue;
			}
			char *brace = strchr(p, '{');
			char *eq = strchr(p, '=');
			if (eq && (!brace || eq < brace)) {
				*eq = '\0';
				char *k = cfg_trim(p);
				char *v = eq + 1;
				char *close = strchr(v, '}');
				if (close)
					*close = '\0';
				key_value(s, k, v, l->line, text_copy);
				if (!close)
					break;
				*close = '}';
				p = close;
				continue;
			}
			if (brace) {
				*brace = '\0';
				char *name = cfg_trim(p);
				if (s->depth == 0 && strcmp(name, "connections") == 0)
					seen_connections = true;
				open_section(s, name, l->line, text_copy);
				p = cfg_trim(brace + 1);
				continue;
			}
			if (strncmp(p, "include ", 8) == 0)
				cfg_note(f, l->line, "include not followed: %s", p + 8);
			else
				cfg_note(f, l->line, "'%s' is neither a section nor key = value, skipped", p);
			break;
		}
	}
	finish_tunnel(s);
	for (unsigned i = 0; i < f->n_tunnels; i++) {
		struct ike_cfg_tunnel *t = &f->tunnels[i];
		for (unsigned k = 0; k < s->n_sec; k++)
			if (s->sec[k].have && secret_fits(&s->sec[k], t)) {
				cfg_psk(t, s->sec[k].value, s->sec[k].len, s->sec[k].line, "secrets { ike-… { secret = … } }");
				break;
			}
	}
	sodium_memzero(s->sec, sizeof(s->sec));
	sodium_memzero(l, sizeof(*l));
	free(l);
	free(s);
	if (!seen_connections) {
		snprintf(err, errcap, "%s: no 'connections { }' section: not a swanctl.conf", f->name);
		return -1;
	}
	return 0;
}
