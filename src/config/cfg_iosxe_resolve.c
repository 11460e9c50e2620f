/*
 * cfg_iosxe_resolve.c — IOS XE objects to tunnels: a protected Tunnel
 * interface's IPsec profile gives its transform sets (one ESP proposal each),
 * `set pfs`, lifetime and IKEv2 profile; the IKEv2 profile gives lifetime,
 * DPD, keyring and authentication; every `crypto ikev2 policy` gives IKE
 * proposals, in order. Sources of the defaults: see cfg_iosxe.c.
 */
#include <stdio.h>
#include <string.h>

#include "config/cfg_iosxe.h"

/* Lookups by name; NULL when the config does not define it. */
static const struct iprop *find_prop(const struct ios *s, const char *nm)
{
	for (unsigned i = 0; i < s->n_props; i++)
		if (strcmp(s->props[i].n.name, nm) == 0)
			return &s->props[i];
	return NULL;
}
static const struct iprofile *find_prof(const struct ios *s, const char *nm)
{
	for (unsigned i = 0; i < s->n_profs; i++)
		if (strcmp(s->profs[i].n.name, nm) == 0)
			return &s->profs[i];
	return NULL;
}
static const struct keyring *find_ring(const struct ios *s, const char *nm)
{
	for (unsigned i = 0; i < s->n_rings; i++)
		if (strcmp(s->rings[i].n.name, nm) == 0)
			return &s->rings[i];
	return NULL;
}
static const struct tset *find_tset(const struct ios *s, const char *nm)
{
	for (unsigned i = 0; i < s->n_tsets; i++)
		if (strcmp(s->tsets[i].n.name, nm) == 0)
			return &s->tsets[i];
	return NULL;
}
static const struct sprofile *find_sprof(const struct ios *s, const char *nm)
{
	for (unsigned i = 0; i < s->n_sprofs; i++)
		if (strcmp(s->sprofs[i].n.name, nm) == 0)
			return &s->sprofs[i];
	return NULL;
}

/* A proposal as IOS XE sends it: without a prf line, the integrity
 * algorithms double as PRFs [ios-ikev2]. */
static struct ike_cfg_proposal ike_of(const struct iprop *p)
{
	/* integrity → PRF of the same name: md5, sha1, sha256, sha384, sha512 */
	static const uint16_t integ_prf[][2] = {{1, 1}, {2, 2}, {12, 5}, {13, 6}, {14, 7}};
	struct ike_cfg_proposal q = p->p;
	if (!p->prf_set)
		for (unsigned i = 0; i < p->p.n; i++)
			for (size_t k = 0; p->p.x[i].type == 3 && k < sizeof(integ_prf) / sizeof(integ_prf[0]); k++)
				if (integ_prf[k][0] == p->p.x[i].id)
					cfg_xform_add(&q, 2, integ_prf[k][1], 0);
	return q;
}

static void ike_side(struct ios *s, struct ike_cfg_tunnel *t)
{
	for (unsigned i = 0; i < s->n_pols; i++)
		for (unsigned j = 0; j < s->pols[i].n_props; j++) {
			const struct iprop *p = find_prop(s, s->pols[i].props[j]);
			if (!p) {
				cfg_note(s->f, s->pols[i].n.line, "policy %s: no IKEv2 proposal named %s", s->pols[i].n.name,
					 s->pols[i].props[j]);
				continue;
			}
			if (!p->has_encr || !p->has_group)
				cfg_note(s->f, p->n.line, "IKEv2 proposal %s lacks encryption or group: incomplete", p->n.name);
			struct ike_cfg_proposal q = ike_of(p);
			cfg_proposal_add(t, t->ike, &t->n_ike, &q);
			if (!t->ike_from.text[0]) {
				cfg_origin(&t->ike_from, p->n.line, p->n.text);
				if (p->has_group)
					cfg_origin(&t->group_from, p->group_line, p->group_text);
			}
		}
	if (s->n_pols == 0) {
		/* [ios-smart] the default proposal of IOS XE 16 and later */
		struct ike_cfg_proposal q = {.protocol = 1};
		static const uint16_t g[] = {19, 14, 21, 5};
		cfg_xform_add(&q, 1, 12, 256);
		cfg_xform_add(&q, 3, 14, 0);
		cfg_xform_add(&q, 3, 13, 0);
		cfg_xform_add(&q, 2, 7, 0);
		cfg_xform_add(&q, 2, 6, 0);
		for (size_t i = 0; i < 4; i++)
			cfg_xform_add(&q, 4, g[i], 0);
		cfg_proposal_add(t, t->ike, &t->n_ike, &q);
		cfg_default(&t->ike_from, "IOS XE default: crypto ikev2 proposal default (no crypto ikev2 policy)");
		cfg_default(&t->group_from, "IOS XE default: crypto ikev2 proposal default, group 19 14 21 5");
	}
}

static void ikev2_profile(struct ios *s, struct ike_cfg_tunnel *t, const struct sprofile *sp)
{
	const struct iprofile *pr = sp && sp->ikev2[0] ? find_prof(s, sp->ikev2) : NULL;
	if (sp && sp->ikev2[0] && !pr)
		cfg_note(s->f, sp->n.line, "IPsec profile %s: no IKEv2 profile named %s", sp->n.name, sp->ikev2);
	for (unsigned i = 0; !pr && i < s->n_profs; i++)
		if (strcmp(s->profs[i].remote, t->peer_addr) == 0 || strcmp(s->profs[i].remote, "0.0.0.0") == 0)
			pr = &s->profs[i];
	if (!pr && s->n_profs == 1)
		pr = &s->profs[0];
	if (pr && pr->life.from.text[0])
		t->ike_rekey = pr->life;
	else {
		t->ike_rekey.set = true, t->ike_rekey.sec = 86400;
		cfg_default(&t->ike_rekey.from, "IOS XE default: IKEv2 profile lifetime 86400");
	}
	if (pr && pr->dpd.from.text[0])
		t->dpd = pr->dpd;
	else if (s->dpd_global.from.text[0])
		t->dpd = s->dpd_global;
	else
		cfg_default(&t->dpd.from, "IOS XE default: no dpd (off)");
	if (pr) {
		t->auth = pr->auth;
		t->auth_from = pr->auth_from;
		const struct keyring *k = pr->keyring[0] ? find_ring(s, pr->keyring) : NULL;
		for (unsigned i = 0; k && i < k->n_peers; i++) {
			const struct peer *p = &k->peers[i];
			if (!p->have_psk || (p->addr[0] && strcmp(p->addr, t->peer_addr) != 0 && strcmp(p->addr, "0.0.0.0") != 0))
				continue;
			t->psk_opaque = p->opaque;
			t->psk_known = !p->opaque;
			memcpy(t->psk_hash, p->hash, sizeof(t->psk_hash));
			cfg_origin(&t->psk_from, p->line, "pre-shared-key (keyring)");
			break;
		}
	}
}

static void esp_side(struct ios *s, struct ike_cfg_tunnel *t, const struct sprofile *sp)
{
	if (sp && sp->n_tsets) {
		for (unsigned i = 0; i < sp->n_tsets; i++) {
			const struct tset *ts = find_tset(s, sp->tsets[i]);
			if (!ts) {
				cfg_note(s->f, sp->ts_from.line, "no transform-set named %s", sp->tsets[i]);
				continue;
			}
			cfg_proposal_add(t, t->esp, &t->n_esp, &ts->p);
		}
		t->esp_from = sp->ts_from;
	} else {
		/* [ios-smart] default transform set */
		struct ike_cfg_proposal q = {.protocol = 3};
		cfg_xform_add(&q, 1, 12, 128);
		cfg_xform_add(&q, 3, 2, 0);
		cfg_xform_add(&q, 5, 0, 0);
		cfg_proposal_add(t, t->esp, &t->n_esp, &q);
		cfg_default(&t->esp_from, "IOS XE default: transform set default (esp-aes esp-sha-hmac)");
	}
	/* a KE transform goes before the ESN one, as charon prints it anyway */
	if (sp && sp->has_pfs) {
		for (unsigned i = 0; i < t->n_esp; i++)
			cfg_xform_add(&t->esp[i], 4, sp->pfs, 0);
		t->pfs_from = sp->pfs_from;
	} else if (sp) {
		/* the line to add `set pfs` under */
		char o[IKE_CFG_ORIGIN_LEN + 16];
		snprintf(o, sizeof(o), "%.100s (no set pfs)", sp->n.text);
		t->pfs_from.line = 0;
		cfg_copy(t->pfs_from.text, sizeof(t->pfs_from.text), o);
	}
	if (sp && sp->life.from.text[0])
		t->child_rekey = sp->life;
	else if (s->sa_life_global.from.text[0])
		t->child_rekey = s->sa_life_global;
	else {
		t->child_rekey.set = true, t->child_rekey.sec = 3600;
		cfg_default(&t->child_rekey.from, "IOS XE default: security-association lifetime seconds 3600");
	}
	if (sp && sp->replay.from.text[0])
		t->replay = sp->replay;
}

void cfg_iosxe_resolve(struct ios *s)
{
	for (unsigned i = 0; i < s->n_ifs; i++) {
		const struct tif *ti = &s->ifs[i];
		if (!ti->prot[0])
			continue; /* GRE without IPsec, or a crypto-map tunnel */
		struct ike_cfg_tunnel *t = cfg_tunnel_new(s->f, ti->n.name, ti->n.line, ti->n.text);
		if (!t)
			return;
		t->version = 2;
		cfg_default(&t->version_from, "IOS XE: crypto ikev2 (IKEv2)");
		cfg_copy(t->local_addr, sizeof(t->local_addr), ti->src);
		t->local_from = ti->src_from;
		cfg_copy(t->peer_addr, sizeof(t->peer_addr), ti->dst);
		t->peer_from = ti->dst_from;
		const struct sprofile *sp = find_sprof(s, ti->prot);
		if (!sp)
			cfg_note(s->f, ti->prot_from.line, "no crypto ipsec profile named %s", ti->prot);
		ike_side(s, t);
		ikev2_profile(s, t, sp);
		esp_side(s, t, sp);
	}
}

