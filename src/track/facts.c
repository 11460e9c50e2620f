/*
 * facts.c — the few decoded facts the tracker copies out of a borrowed
 * message (notify types, SA proposal, KE group, delete protocol, SK sizes),
 * and the raw-bytes hash that identifies a retransmission.
 */
#include <stdlib.h>
#include <string.h>

#include "track/track_int.h"
#include "util/rd.h"

uint64_t trk_hash(struct ike_span bytes)
{
	uint64_t h = 0xcbf29ce484222325ull;
	struct ike_rd r = ike_rd_span(bytes, 0);
	while (ike_rd_left(&r) > 0) {
		h ^= ike_rd_u8(&r);
		h *= 0x100000001b3ull;
	}
	return h;
}

/* ---- facts --------------------------------------------------------------- */

static bool mobike_notify(uint16_t type)
{
	/* ADDITIONAL_IP4/IP6_ADDRESS, NO_ADDITIONAL_ADDRESSES, UPDATE_SA_ADDRESSES,
	 * COOKIE2, NO_NATS_ALLOWED (RFC 4555) */
	return type >= 16397 && type <= 16402;
}

static void read_notify(const struct ike_pl_notify *n, bool first, struct trk_facts *f)
{
	if (n->type <= TRK_N_ERROR_MAX && n->type != 0 && f->error == 0)
		f->error = n->type;
	if (n->type == TRK_N_COOKIE) {
		f->cookie = true;
		f->cookie_first = f->cookie_first || first;
	} else if (n->type == TRK_N_REKEY_SA) {
		f->rekey_sa = true;
	} else if (n->type == TRK_N_INVALID_KE_PAYLOAD) {
		f->invalid_ke = true;
		struct ike_rd r = ike_rd_span(n->data, 0);
		uint16_t g = ike_rd_be16(&r);
		if (ike_rd_ok(&r))
			f->ke_suggested = g;
	} else if (mobike_notify(n->type)) {
		f->mobike = true;
	}
}

static void read_sa(const struct ike_pl_sa *sa, struct trk_facts *f, char *proposal, size_t cap)
{
	for (uint16_t i = 0; i < sa->n; i++) {
		const struct ike_proposal *p = &sa->proposals[i];
		if (i == 0 && proposal && cap && p->text) {
			strncpy(proposal, p->text, cap - 1);
			proposal[cap - 1] = '\0';
		}
		if (p->protocol != 1)
			continue;
		struct ike_rd r = ike_rd_span(p->spi, 0);
		uint64_t spi = ike_rd_be64(&r);
		if (!f->has_ike_prop && ike_rd_ok(&r) && ike_rd_left(&r) == 0)
			f->prop_spi = spi;
		f->has_ike_prop = true;
	}
}

static void read_chain(const struct ike_payload *pl, uint16_t n, unsigned depth, struct trk_facts *f,
		       char *proposal, size_t cap)
{
	for (uint16_t i = 0; i < n; i++) {
		const struct ike_payload *p = &pl[i];
		switch (p->type) {
		case TRK_PT_SA:
			if (p->decoded)
				read_sa(&p->u.sa, f, proposal, cap);
			break;
		case TRK_PT_KE:
			if (p->decoded)
				f->ke_group = p->u.ke.group;
			break;
		case TRK_PT_AUTH: f->has_auth = true; break;
		case TRK_PT_EAP: f->has_eap = true; break;
		case TRK_PT_N:
			if (p->decoded)
				read_notify(&p->u.n, i == 0, f);
			break;
		case TRK_PT_D:
			if (p->decoded && p->u.d.protocol == 1)
				f->del_ike = true;
			else if (p->decoded)
				f->del_child = true;
			break;
		case TRK_PT_SK:
		case TRK_PT_SKF:
			if (depth > 0)
				break;
			f->encrypted = true;
			if (p->decoded) {
				f->sk_len = (uint32_t)p->u.sk.encrypted.len;
				f->split = p->u.sk.split;
				f->sk_ct = (uint32_t)p->u.sk.ciphertext.len;
			} else {
				uint32_t hdr = p->type == TRK_PT_SKF ? 8 : 4;
				f->sk_len = p->length > hdr ? p->length - hdr : 0;
			}
			if (p->decoded && p->u.sk.inner) {
				f->n_inner = p->u.sk.n_inner;
				read_chain(p->u.sk.inner, p->u.sk.n_inner, depth + 1, f, proposal, cap);
			}
			break;
		default: break;
		}
	}
}

void trk_facts_read(const struct ike_msg *m, struct trk_facts *f, char *proposal, size_t cap)
{
	*f = (struct trk_facts){.seen = true};
	read_chain(m->payloads, m->n_payloads, 0, f, proposal, cap);
	f->decrypted = !f->encrypted || m->decrypted == IKE_DEC_YES;
}

void trk_facts_merge(struct trk_facts *f, const struct trk_facts *g)
{
	if (!f->seen) {
		*f = *g;
		return;
	}
	f->decrypted = f->decrypted || g->decrypted;
	f->encrypted = f->encrypted || g->encrypted;
	f->n_inner = (uint16_t)(f->n_inner + g->n_inner);
	f->sk_len += g->sk_len; /* fragments add up */
	f->sk_ct += g->sk_ct;
	f->split = f->split && g->split;
	if (g->has_ike_prop && !f->has_ike_prop) {
		f->has_ike_prop = true;
		f->prop_spi = g->prop_spi;
	}
	f->rekey_sa |= g->rekey_sa;
	f->del_ike |= g->del_ike;
	f->del_child |= g->del_child;
	f->mobike |= g->mobike;
	f->has_auth |= g->has_auth;
	f->has_eap |= g->has_eap;
	f->cookie |= g->cookie;
	f->cookie_first |= g->cookie_first;
	if (g->invalid_ke && !f->invalid_ke) {
		f->invalid_ke = true;
		f->ke_suggested = g->ke_suggested;
	}
	if (!f->ke_group)
		f->ke_group = g->ke_group;
	if (!f->error)
		f->error = g->error;
}

bool trk_sa_algs(const struct ike_msg *m, struct ike_sa_algs *out)
{
	for (uint16_t i = 0; i < m->n_payloads; i++) {
		const struct ike_payload *pl = &m->payloads[i];
		if (pl->type != TRK_PT_SA || !pl->decoded || pl->u.sa.n < 1)
			continue;
		const struct ike_proposal *p = &pl->u.sa.proposals[0];
		*out = (struct ike_sa_algs){.encr_keylen = -1};
		for (uint16_t t = 0; t < p->n_transforms; t++) {
			const struct ike_transform *tr = &p->transforms[t];
			switch (tr->type) {
			case 1: out->encr = tr->id; out->encr_keylen = tr->key_len; break;
			case 2: out->prf = tr->id; break;
			case 3: out->integ = tr->id; break;
			case 4: out->ke = tr->id; break;
			default: break;
			}
		}
		return true;
	}
	return false;
}
