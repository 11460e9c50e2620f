/*
 * cfg_explain.c — a verdict said in config terms: for each end, the
 * transform that differs, the config line it came from, and the line to
 * write instead, in that end's own dialect (vEdge, IOS XE, swanctl.conf,
 * ipsec.conf).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/cfg_int.h"
#include "ikescope/names.h"

struct sb {
	char *b;
	size_t cap, len;
};

static void put(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(s->len < s->cap ? s->b + s->len : NULL, s->len < s->cap ? s->cap - s->len : 0, fmt, ap);
	va_end(ap);
	if (r > 0)
		s->len += (size_t)r;
}

static const char *who(const struct ike_cfg_tunnel *t)
{
	switch (t->dialect) {
	case IKE_CFG_VEDGE: return "vEdge";
	case IKE_CFG_IOSXE: return "IOS XE";
	case IKE_CFG_SWANCTL: return "strongSwan";
	case IKE_CFG_IPSEC_CONF: return "strongSwan";
	default: return "";
	}
}

static void side(struct sb *s, const struct ike_cfg_tunnel *t, const struct ike_cfg_tunnel *other, bool local);

/* "`text` (line N)" or "`vEdge default: …`" */
static void origin(struct sb *s, const struct ike_cfg_origin *o)
{
	if (o->line)
		put(s, "`%s` (line %u)", o->text, o->line);
	else
		put(s, "%s", o->text[0] ? o->text : "(not configured)");
}

/* The distinct algorithms of one type over a list of proposals, "/"-joined. */
static void algs(struct sb *s, const struct ike_cfg_proposal *p, unsigned n, uint8_t type)
{
	struct ike_cfg_proposal seen = {.protocol = 0};
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < p[i].n; k++)
			if (p[i].x[k].type == type)
				cfg_xform_add(&seen, type, p[i].x[k].id, p[i].x[k].key_len);
	if (seen.n == 0) {
		put(s, type == 4 ? "no KE (no PFS)" : "none");
		return;
	}
	for (unsigned k = 0; k < seen.n; k++) {
		char one[48];
		ike_cfg_xform_text(&seen.x[k], one, sizeof(one));
		put(s, "%s%s", k ? "/" : "", one);
	}
}

/* Whether some algorithm of this type is on both sides (or neither has one). */
static bool type_agrees(const struct ike_cfg_proposal *a, unsigned na, const struct ike_cfg_proposal *b, unsigned nb,
			uint8_t type)
{
	bool any_a = false, any_b = false;
	for (unsigned i = 0; i < na; i++)
		for (unsigned k = 0; k < a[i].n; k++) {
			if (a[i].x[k].type != type)
				continue;
			any_a = true;
			for (unsigned j = 0; j < nb; j++)
				for (unsigned m = 0; m < b[j].n; m++)
					if (b[j].x[m].type == type && b[j].x[m].id == a[i].x[k].id &&
					    b[j].x[m].key_len == a[i].x[k].key_len)
						return true;
		}
	for (unsigned j = 0; j < nb; j++)
		any_b |= cfg_xform_has_type(&b[j], type);
	return !any_a && !any_b;
}

static const char *type_name(uint8_t type)
{
	switch (type) {
	case 1: return "encryption";
	case 2: return "PRF";
	case 3: return "integrity";
	case 4: return "DH group";
	default: return "ESN";
	}
}

static void proposals(struct sb *s, bool esp, const struct ike_cfg_tunnel *l, const struct ike_cfg_tunnel *p,
		      uint8_t only_type)
{
	const struct ike_cfg_proposal *la = esp ? l->esp : l->ike, *pa = esp ? p->esp : p->ike;
	unsigned ln = esp ? l->n_esp : l->n_ike, pn = esp ? p->n_esp : p->n_ike;
	bool first = true;
	for (uint8_t type = 1; type <= 5; type++) {
		if (only_type ? type != only_type : (type == 4 || type_agrees(la, ln, pa, pn, type)))
			continue;
		put(s, "%s%s differs: ", first ? "" : "; ", type_name(type));
		side(s, l, p, true);
		put(s, " ");
		const struct ike_cfg_origin *lo = type == 4 && !esp && l->group_from.text[0] ? &l->group_from
						  : type == 4 && esp ? &l->pfs_from
								      : esp ? &l->esp_from : &l->ike_from;
		const struct ike_cfg_origin *po = type == 4 && !esp && p->group_from.text[0] ? &p->group_from
						  : type == 4 && esp ? &p->pfs_from
								      : esp ? &p->esp_from : &p->ike_from;
		origin(s, lo);
		put(s, " → ");
		algs(s, la, ln, type);
		put(s, ", ");
		side(s, p, l, false);
		put(s, " ");
		origin(s, po);
		put(s, " → ");
		algs(s, pa, pn, type);
		first = false;
	}
	if (first) {
		char a[512], b[512];
		ike_cfg_proposals_text(la, ln, a, sizeof(a));
		ike_cfg_proposals_text(pa, pn, b, sizeof(b));
		put(s, "no proposal pair matches as a whole: %s %s offers %s, %s %s offers %s", who(l), l->name, a, who(p),
		    p->name, b);
	}
}

/* The change that gives this end the PFS group (0: no PFS), verb included. */
static void pfs_fix(struct sb *s, const struct ike_cfg_tunnel *t, uint16_t group)
{
	const char *kw = group ? cfg_swan_keyword(4, group) : NULL;
	const char *key = t->dialect == IKE_CFG_SWANCTL ? "esp_proposals" : "esp=";
	switch (t->dialect) {
	case IKE_CFG_VEDGE:
		if (group)
			put(s, "set `perfect-forward-secrecy group-%u` under `ipsec` of interface %s", group, t->name);
		else
			put(s, "set `perfect-forward-secrecy none` under `ipsec` of interface %s", t->name);
		break;
	case IKE_CFG_IOSXE:
		if (group)
			put(s, "add `set pfs group%u` to its crypto ipsec profile", group);
		else
			put(s, "remove `set pfs` from its crypto ipsec profile");
		break;
	default:
		if (group)
			put(s, "append `-%s` to each proposal of %s", kw ? kw : "?", key);
		else
			put(s, "remove the DH group from %s", key);
		break;
	}
}

/* "vEdge ipsec1", with "local "/"peer " in front when both ends would read the same. */
static void side(struct sb *s, const struct ike_cfg_tunnel *t, const struct ike_cfg_tunnel *other, bool local)
{
	bool same = t->dialect == other->dialect && strcmp(t->name, other->name) == 0;
	put(s, "%s%s %s", same ? (local ? "local " : "peer ") : "", who(t), t->name);
}

static uint16_t esp_group(const struct ike_cfg_tunnel *t)
{
	for (unsigned i = 0; i < t->n_esp; i++)
		for (unsigned k = 0; k < t->esp[i].n; k++)
			if (t->esp[i].x[k].type == 4)
				return t->esp[i].x[k].id;
	return 0;
}

static void pfs(struct sb *s, const struct ike_cfg_tunnel *l, const struct ike_cfg_tunnel *p)
{
	uint16_t gl = esp_group(l), gp = esp_group(p);
	const struct ike_cfg_tunnel *end[2] = {l, p};
	uint16_t g[2] = {gl, gp};
	for (int i = 0; i < 2; i++) {
		const struct ike_cfg_tunnel *t = end[i];
		put(s, "%s", i ? "; " : "");
		side(s, t, end[1 - i], i == 0);
		put(s, " ");
		if (g[i]) {
			origin(s, &t->pfs_from);
			put(s, " → %s", ike_name_long(&ike_names_ke, g[i]));
		} else if (t->dialect == IKE_CFG_IOSXE && t->pfs_from.text[0])
			put(s, "has no PFS: `%s`", t->pfs_from.text);
		else {
			put(s, "has no PFS (");
			origin(s, &t->esp_from);
			put(s, " has no DH group)");
		}
	}
	put(s, ": the CHILD SA made in IKE_AUTH needs no KE and comes up; every CREATE_CHILD_SA rekey fails. Fix: on ");
	/* either the end without PFS gets the other's group, or the other drops it */
	const struct ike_cfg_tunnel *gets = gl && !gp ? p : l, *drops = gets == p ? l : p;
	uint16_t group = gets == p ? gl : gp;
	side(s, gets, drops, gets == l);
	put(s, " ");
	pfs_fix(s, gets, group);
	put(s, ", or on ");
	side(s, drops, gets, drops == l);
	put(s, " ");
	pfs_fix(s, drops, gl && gp ? (drops == l ? gp : gl) : 0);
}

static void auth(struct sb *s, const struct ike_cfg_tunnel *l, const struct ike_cfg_tunnel *p)
{
	if (l->auth && p->auth && l->auth != p->auth) {
		put(s, "authentication methods differ: ");
		side(s, l, p, true);
		put(s, " ");
		origin(s, &l->auth_from);
		put(s, ", ");
		side(s, p, l, false);
		put(s, " ");
		origin(s, &p->auth_from);
		return;
	}
	if (l->psk_known && p->psk_known) {
		bool same = memcmp(l->psk_hash, p->psk_hash, sizeof(l->psk_hash)) == 0;
		put(s, "the pre-shared keys %s (compared by hash, never printed): ", same ? "are the same" : "differ");
		side(s, l, p, true);
		put(s, " ");
		origin(s, &l->psk_from);
		put(s, ", ");
		side(s, p, l, false);
		put(s, " ");
		origin(s, &p->psk_from);
		if (!same)
			put(s, ": set the same key on both ends");
		return;
	}
	put(s, "the pre-shared keys cannot be compared (");
	const struct ike_cfg_tunnel *side_of[2] = {l, p};
	for (int i = 0; i < 2; i++) {
		const struct ike_cfg_tunnel *t = side_of[i];
		put(s, "%s", i ? "; " : "");
		side(s, t, side_of[1 - i], i == 0);
		put(s, ": ");
		if (t->psk_opaque)
			put(s, "stored encrypted, line %u", t->psk_from.line);
		else if (t->psk_known)
			put(s, "line %u", t->psk_from.line);
		else
			put(s, "not in this file");
	}
	put(s, "): re-enter the same key on both ends");
}

static void ts_text(struct sb *s, const struct ike_cfg_tunnel *t, bool local)
{
	const struct ike_cfg_origin *o = local ? &t->local_ts_from : &t->remote_ts_from;
	unsigned n = local ? t->n_local_ts : t->n_remote_ts;
	if (n == 0 && !o->text[0])
		put(s, "%s: any (route-based)", local ? "local" : "remote");
	else
		origin(s, o);
}

/* Only this end's config is known: its side of the matter, and what was seen. */
static size_t local_only(const char *cause, const struct ike_cfg_tunnel *l, const char *seen, struct sb *s)
{
	const struct ike_cfg_origin *o;
	const struct ike_cfg_proposal *list = l->ike;
	unsigned n = l->n_ike;
	if (strcmp(cause, "ike-proposal-mismatch") == 0)
		o = &l->ike_from;
	else if (strcmp(cause, "dh-group-mismatch") == 0)
		o = l->group_from.text[0] ? &l->group_from : &l->ike_from;
	else if (strcmp(cause, "child-proposal-mismatch") == 0)
		o = &l->esp_from, list = l->esp, n = l->n_esp;
	else if (strcmp(cause, "pfs-mismatch") == 0)
		o = l->pfs_from.text[0] ? &l->pfs_from : &l->esp_from, list = l->esp, n = l->n_esp;
	else if (strcmp(cause, "dpd-timeout") == 0)
		o = &l->dpd.from, list = NULL;
	else if (strcmp(cause, "auth-failed") == 0)
		o = l->psk_from.text[0] ? &l->psk_from : &l->auth_from, list = NULL;
	else if (strcmp(cause, "ts-unacceptable") == 0)
		o = &l->remote_ts_from, list = NULL;
	else if (strcmp(cause, "peer-unreachable") == 0)
		o = &l->peer_from, list = NULL;
	else
		return 0;
	put(s, "%s %s: ", who(l), l->name);
	origin(s, o);
	if (list && n) {
		char b[768];
		ike_cfg_proposals_text(list, n, b, sizeof(b));
		put(s, " → %s", b);
	}
	if (seen && *seen)
		put(s, "; the peer sent %s", seen);
	put(s, " (the peer's config was not given)");
	return s->len;
}

size_t ike_cfg_explain(const char *cause, const struct ike_cfg_tunnel *l, const struct ike_cfg_tunnel *p,
		       const char *seen, char *buf, size_t cap)
{
	struct sb s = {buf, cap, 0};
	if (cap)
		buf[0] = '\0';
	if (!cause || !l)
		return 0;
	if (!p)
		return local_only(cause, l, seen, &s);
	if (strcmp(cause, "ike-proposal-mismatch") == 0) {
		put(&s, "IKE proposals: ");
		proposals(&s, false, l, p, 0);
	} else if (strcmp(cause, "dh-group-mismatch") == 0) {
		put(&s, "IKE DH group: ");
		proposals(&s, false, l, p, 4);
		put(&s, ": configure the same group first on both ends");
	} else if (strcmp(cause, "child-proposal-mismatch") == 0) {
		put(&s, "ESP proposals: ");
		proposals(&s, true, l, p, 0);
	} else if (strcmp(cause, "pfs-mismatch") == 0) {
		put(&s, "PFS: ");
		pfs(&s, l, p);
	} else if (strcmp(cause, "auth-failed") == 0) {
		put(&s, "IKE_AUTH: ");
		auth(&s, l, p);
	} else if (strcmp(cause, "ts-unacceptable") == 0) {
		put(&s, "traffic selectors do not overlap: ");
		side(&s, l, p, true);
		put(&s, " ");
		ts_text(&s, l, true);
		put(&s, " / ");
		ts_text(&s, l, false);
		put(&s, ", ");
		side(&s, p, l, false);
		put(&s, " ");
		ts_text(&s, p, true);
		put(&s, " / ");
		ts_text(&s, p, false);
		put(&s, ": each end's remote selector must cover the other's local one");
	} else if (strcmp(cause, "dpd-timeout") == 0) {
		put(&s, "DPD: ");
		side(&s, l, p, true);
		put(&s, " ");
		origin(&s, &l->dpd.from);
		put(&s, ", ");
		side(&s, p, l, false);
		put(&s, " ");
		origin(&s, &p->dpd.from);
		put(&s, ": the path lost the DPD exchange; the timers only decide how fast it is noticed");
	} else if (strcmp(cause, "peer-unreachable") == 0) {
		put(&s, "addresses: ");
		side(&s, l, p, true);
		put(&s, " sends to %s ", l->peer_addr[0] ? l->peer_addr : "?");
		origin(&s, &l->peer_from);
		put(&s, ", ");
		side(&s, p, l, false);
		put(&s, " listens on %s ", p->local_addr[0] ? p->local_addr : "?");
		origin(&s, &p->local_from);
	} else {
		return 0;
	}
	if (seen && *seen)
		put(&s, " (seen: %s)", seen);
	return s.len;
}
