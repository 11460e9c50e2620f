/*
 * cfg_predict.c — charon's proposal selection (strongSwan 5.9
 * proposal_select(): the responder walks its configured proposals in order,
 * preferring them to the received ones, and a pair matches when every
 * transform type finds a common algorithm) run on two configurations, and
 * the exchange that fails as a result.
 *
 * What each outcome looks like on the wire, from the lab's recordings
 * (captures/README.md): no IKE match → IKE_SA_INIT answered N(NO_PROP);
 * a DH group offered but not first → N(INVALID_KE) and a second IKE_SA_INIT
 * (recovered); CHILD SA proposals without a match → IKE_AUTH answered
 * N(NO_PROP) with the IKE SA up; selectors without overlap → N(TS_UNACCEPT)
 * in IKE_AUTH; PFS on one side only → the CHILD SA made in IKE_AUTH (which
 * carries no KE) comes up and the first CREATE_CHILD_SA rekey fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/cfg_int.h"

/* Whether two proposals share an algorithm of every transform type; the
 * types that do not are set in *bad (bit = type). skip_ke: the KE type is
 * not compared (the CHILD SA negotiated inside IKE_AUTH). */
static bool pair_match(const struct ike_cfg_proposal *conf, const struct ike_cfg_proposal *recv, bool skip_ke,
		       unsigned *bad, uint16_t *ke_sel)
{
	*bad = 0;
	if (conf->protocol != recv->protocol) {
		*bad = ~0u;
		return false;
	}
	for (uint8_t type = 1; type <= 5; type++) {
		if (type == 4 && skip_ke)
			continue;
		bool in_conf = false, in_recv = false, found = false;
		for (unsigned i = 0; i < conf->n && !found; i++) {
			if (conf->x[i].type != type)
				continue;
			in_conf = true;
			for (unsigned j = 0; j < recv->n; j++)
				if (recv->x[j].type == type && recv->x[j].id == conf->x[i].id &&
				    recv->x[j].key_len == conf->x[i].key_len) {
					found = true;
					if (type == 4 && ke_sel)
						*ke_sel = conf->x[i].id;
					break;
				}
		}
		for (unsigned j = 0; j < recv->n; j++)
			in_recv |= recv->x[j].type == type;
		/* a type absent on both sides is a match (no PFS on either end) */
		if (!found && (in_conf || in_recv))
			*bad |= 1u << type;
	}
	return *bad == 0;
}

/* The responder's choice; -1 when nothing matches, with the mismatching
 * types of the closest pair in *bad. */
static int select_prop(const struct ike_cfg_proposal *conf, unsigned n_conf, const struct ike_cfg_proposal *recv,
		       unsigned n_recv, bool skip_ke, unsigned *bad, uint16_t *ke_sel)
{
	unsigned best = ~0u;
	int best_bits = 99;
	for (unsigned i = 0; i < n_conf; i++)
		for (unsigned j = 0; j < n_recv; j++) {
			unsigned b;
			if (pair_match(&conf[i], &recv[j], skip_ke, &b, ke_sel)) {
				*bad = 0;
				return (int)i;
			}
			int bits = 0;
			for (unsigned v = b; v; v &= v - 1)
				bits++;
			if (bits < best_bits)
				best_bits = bits, best = b;
		}
	*bad = best == ~0u ? 0 : best;
	return -1;
}

static uint16_t first_ke(const struct ike_cfg_proposal *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < p[i].n; k++)
			if (p[i].x[k].type == 4)
				return p[i].x[k].id;
	return 0xffff;
}

static bool ts_overlap(const struct ike_cfg_ts *a, const struct ike_cfg_ts *b)
{
	if (a->family == 0 || b->family == 0)
		return true;
	if (a->family != b->family)
		return false;
	unsigned plen = a->plen < b->plen ? a->plen : b->plen;
	for (unsigned bit = 0; bit < plen; bit++) {
		uint8_t m = (uint8_t)(0x80u >> (bit % 8));
		if ((a->addr[bit / 8] & m) != (b->addr[bit / 8] & m))
			return false;
	}
	return true;
}

/* n == 0 stands for the whole address space (route-based tunnels). */
static bool ts_lists_overlap(const struct ike_cfg_ts *a, unsigned na, const struct ike_cfg_ts *b, unsigned nb)
{
	if (na == 0 || nb == 0)
		return true;
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nb; j++)
			if (ts_overlap(&a[i], &b[j]))
				return true;
	return false;
}

static void note(struct ike_cfg_prediction *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct ike_cfg_prediction *o, const char *fmt, ...)
{
	if (o->n_notes >= sizeof(o->notes) / sizeof(o->notes[0]))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->notes[o->n_notes++], sizeof(o->notes[0]), fmt, ap);
	va_end(ap);
}

static void fail(struct ike_cfg_prediction *o, const char *cause, const char *exchange, const char *when,
		 const struct ike_cfg_tunnel *i, const struct ike_cfg_tunnel *r)
{
	o->cause = cause;
	o->exchange = exchange;
	o->when = when;
	ike_cfg_explain(cause, i, r, NULL, o->explain, sizeof(o->explain));
}

static void timer_notes(struct ike_cfg_prediction *o, const struct ike_cfg_tunnel *i, const struct ike_cfg_tunnel *r)
{
	if (i->ike_rekey.set && r->ike_rekey.set && i->ike_rekey.sec != r->ike_rekey.sec)
		note(o, "IKE SA rekey after %u s (`%s`) and %u s (`%s`): not negotiated in IKEv2, the shorter one rekeys first",
		     i->ike_rekey.sec, i->ike_rekey.from.text, r->ike_rekey.sec, r->ike_rekey.from.text);
	if (i->child_rekey.set && r->child_rekey.set && i->child_rekey.sec != r->child_rekey.sec)
		note(o, "CHILD SA rekey after %u s (`%s`) and %u s (`%s`): the shorter one rekeys first",
		     i->child_rekey.sec, i->child_rekey.from.text, r->child_rekey.sec, r->child_rekey.from.text);
	if (i->dpd.set != r->dpd.set)
		note(o, "DPD only on %s (`%s`): the other end (`%s`) never notices a dead peer by itself",
		     i->dpd.set ? i->name : r->name, i->dpd.set ? i->dpd.from.text : r->dpd.from.text,
		     i->dpd.set ? r->dpd.from.text : i->dpd.from.text);
	else if (i->dpd.set && i->dpd.sec != r->dpd.sec)
		note(o, "DPD every %u s (`%s`) and %u s (`%s`)", i->dpd.sec, i->dpd.from.text, r->dpd.sec, r->dpd.from.text);
	struct ike_cfg_ts a, b;
	if (cfg_ts(i->peer_addr, &a) && cfg_ts(r->local_addr, &b) && a.family && b.family &&
	    (a.family != b.family || memcmp(a.addr, b.addr, 16) != 0))
		note(o, "%s sends to %s (`%s`) but %s's tunnel source is %s (`%s`): only right through a NAT",
		     i->name, i->peer_addr, i->peer_from.text, r->name, r->local_addr, r->local_from.text);
}

void ike_cfg_predict(const struct ike_cfg_tunnel *init, const struct ike_cfg_tunnel *resp,
		     struct ike_cfg_prediction *o)
{
	memset(o, 0, sizeof(*o));
	o->cause = "healthy";
	o->when = "never";
	timer_notes(o, init, resp);

	if ((init->version == 1) != (resp->version == 1) || (init->version == 1 && resp->version == 1)) {
		o->cause = "unknown";
		o->exchange = "IKE_SA_INIT";
		o->when = "at once";
		snprintf(o->explain, sizeof(o->explain),
			 "IKE versions: %s `%s` and %s `%s`; ikescope predicts IKEv2 only: set version 2 on both ends",
			 init->name, init->version_from.text, resp->name, resp->version_from.text);
		return;
	}

	/* IKE_SA_INIT: the responder selects among the initiator's proposals */
	unsigned bad;
	uint16_t ke = 0xffff;
	int sel = select_prop(resp->ike, resp->n_ike, init->ike, init->n_ike, false, &bad, &ke);
	if (sel < 0) {
		unsigned bad2;
		bool only_ke = select_prop(resp->ike, resp->n_ike, init->ike, init->n_ike, true, &bad2, NULL) >= 0;
		fail(o, only_ke ? "dh-group-mismatch" : "ike-proposal-mismatch", "IKE_SA_INIT", "at once", init, resp);
		return;
	}
	/* charon answers with the configured proposal narrowed to what matched */
	{
		struct ike_cfg_proposal s = {.protocol = 1};
		const struct ike_cfg_proposal *c = &resp->ike[sel];
		for (uint8_t type = 1; type <= 4; type++)
			for (unsigned k = 0; k < c->n; k++) {
				if (c->x[k].type != type)
					continue;
				bool common = false;
				for (unsigned j = 0; j < init->n_ike && !common; j++)
					for (unsigned m = 0; m < init->ike[j].n; m++)
						common |= init->ike[j].x[m].type == type && init->ike[j].x[m].id == c->x[k].id &&
							  init->ike[j].x[m].key_len == c->x[k].key_len;
				if (common && !cfg_xform_has_type(&s, type))
					cfg_xform_add(&s, type, c->x[k].id, c->x[k].key_len);
			}
		ike_cfg_proposal_text(&s, o->ike_selected, sizeof(o->ike_selected));
	}
	if (ke != first_ke(init->ike, init->n_ike)) {
		/* the KE payload carries the initiator's first group: INVALID_KE_PAYLOAD, then a retry */
		fail(o, "dh-group-mismatch", "IKE_SA_INIT", "at once, recovered by a second IKE_SA_INIT", init, resp);
		o->establishes = true;
	}

	/* IKE_AUTH */
	bool psk = init->auth != IKE_CFG_AUTH_PUBKEY && resp->auth != IKE_CFG_AUTH_PUBKEY;
	if ((init->auth && resp->auth && init->auth != resp->auth) ||
	    (psk && init->psk_known && resp->psk_known && memcmp(init->psk_hash, resp->psk_hash, 32) != 0)) {
		fail(o, "auth-failed", "IKE_AUTH", "at once", init, resp);
		o->establishes = false;
		return;
	}
	unsigned bad_esp;
	int esp = select_prop(resp->esp, resp->n_esp, init->esp, init->n_esp, true, &bad_esp, NULL);
	if (esp < 0) {
		fail(o, "child-proposal-mismatch", "IKE_AUTH", "at once (the IKE SA comes up without a CHILD SA)", init,
		     resp);
		o->establishes = false;
		return;
	}
	if (!ts_lists_overlap(init->local_ts, init->n_local_ts, resp->remote_ts, resp->n_remote_ts) ||
	    !ts_lists_overlap(init->remote_ts, init->n_remote_ts, resp->local_ts, resp->n_local_ts)) {
		fail(o, "ts-unacceptable", "IKE_AUTH", "at once (the IKE SA comes up without a CHILD SA)", init, resp);
		o->establishes = false;
		return;
	}
	o->establishes = true;
	{
		struct ike_cfg_proposal s = resp->esp[esp];
		cfg_xform_drop(&s, 4);
		ike_cfg_proposal_text(&s, o->esp_selected, sizeof(o->esp_selected));
	}

	/* CREATE_CHILD_SA rekeys carry the KE of each end's ESP proposals */
	unsigned b1, b2;
	bool ab = select_prop(resp->esp, resp->n_esp, init->esp, init->n_esp, false, &b1, NULL) >= 0;
	bool ba = select_prop(init->esp, init->n_esp, resp->esp, resp->n_esp, false, &b2, NULL) >= 0;
	o->survives_rekey = ab && ba;
	if (!o->survives_rekey) {
		const char *when = "at the first CHILD SA rekey (CREATE_CHILD_SA answered NO_PROPOSAL_CHOSEN)";
		fail(o, "pfs-mismatch", "CREATE_CHILD_SA", when, init, resp);
		uint32_t ri = init->child_rekey.set ? init->child_rekey.sec : 0;
		uint32_t rr = resp->child_rekey.set ? resp->child_rekey.sec : 0;
		uint32_t first = ri && (!rr || ri <= rr) ? ri : rr;
		if (first)
			note(o, "the first CHILD SA rekey is due after %u s, when the CHILD SA made in IKE_AUTH (without a KE) "
				"has to be replaced",
			     first);
	} else if (!o->exchange) {
		o->survives_rekey = true;
	}
}

const struct ike_cfg_tunnel *ike_cfg_facing(const struct ike_cfg_tunnel *t, const struct ike_cfg_file *b)
{
	for (unsigned i = 0; i < b->n_tunnels; i++) {
		const struct ike_cfg_tunnel *u = &b->tunnels[i];
		if ((t->local_addr[0] && strcmp(u->peer_addr, t->local_addr) == 0) ||
		    (t->peer_addr[0] && strcmp(u->local_addr, t->peer_addr) == 0))
			return u;
	}
	return b->n_tunnels == 1 ? &b->tunnels[0] : NULL;
}
