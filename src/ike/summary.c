/*
 * summary.c — the string charon logs after "generating" and "parsed":
 *   IKE_AUTH request 1 [ IDi AUTH SA TSi TSr N(MOBIKE_SUP) ]
 * Same rules as charon's message.c: short payload names; N(short notify
 * name); EAP/code/type; CP with RQ(…)/RP(…)/S(…)/A(…) listing attribute short
 * names; EF(n/N) for fragments. Decrypted messages list the inner payloads in
 * place of E, as charon's "parsed" line does; undecrypted ones show E or EF.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/ike.h"

#define PT_NOTIFY 41
#define PT_SK 46
#define PT_CP 47
#define PT_EAP 48
#define PT_SKF 53
#define N_MS_STATUS 12345

struct sbuf {
	char *p;
	size_t cap, len; /* len counts what would have been written */
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->len < b->cap ? b->cap - b->len : 0;
	int n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n;
}

/* put(b, "%s", s) without vsnprintf, which was most of the summary's cost:
 * the same truncation and terminator. */
static void put_str(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len < b->cap) {
		size_t room = b->cap - b->len - 1, k = n < room ? n : room;
		memcpy(b->p + b->len, s, k);
		b->p[b->len + k] = '\0';
	}
	b->len += n;
}

/* put(b, "%u", v) */
static void put_uint(struct sbuf *b, unsigned v)
{
	char d[16];
	size_t i = sizeof(d) - 1;
	d[i] = '\0';
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_str(b, d + i);
}

static void put_notify(struct sbuf *b, const struct ike_payload *pl)
{
	const struct ike_pl_notify *n = &pl->u.n;
	const char *s = ike_notify_charon_knows(n->type) ? ike_name_short(&ike_names_notify, n->type) : NULL;
	if (n->type == N_MS_STATUS && n->data.len == 4) {
		uint32_t v = (uint32_t)n->data.p[0] << 24 | (uint32_t)n->data.p[1] << 16 |
			     (uint32_t)n->data.p[2] << 8 | n->data.p[3];
		put(b, "(%s(%u))", s ? s : "MS_STATUS", v);
	} else if (s) {
		put_str(b, "(");
		put_str(b, s);
		put_str(b, ")");
	} else {
		put(b, "((%u))", n->type);
	}
}

static void put_eap(struct sbuf *b, const struct ike_payload *pl)
{
	const struct ike_pl_eap *e = &pl->u.eap;
	const char *code = ike_name_short(&ike_names_eap_code, e->code);
	if (code)
		put(b, "/%s", code);
	else
		put(b, "/(%u)", e->code);
	if (!e->type)
		return;
	if (e->type == 254 && e->vendor_id) {
		put(b, "/%u-%u", e->vendor_type, e->vendor_id);
		return;
	}
	const char *t = ike_name_short(&ike_names_eap_type, e->type);
	if (t)
		put(b, "/%s", t);
	else
		put(b, "/(%u)", e->type);
}

static void put_cp(struct sbuf *b, const struct ike_payload *pl)
{
	const struct ike_pl_cp *cp = &pl->u.cp;
	const char *pfx;
	switch (cp->cfg_type) {
	case 1: pfx = "RQ("; break;
	case 2: pfx = "RP("; break;
	case 3: pfx = "S("; break;
	case 4: pfx = "A("; break;
	default: pfx = "("; break;
	}
	for (uint16_t i = 0; i < cp->n; i++) {
		const char *a = ike_name_short(&ike_names_cp_attr, cp->attrs[i].type);
		if (a)
			put(b, "%s%s", i ? " " : pfx, a);
		else
			put(b, "%s(%u)", i ? " " : pfx, cp->attrs[i].type);
	}
	if (cp->n)
		put(b, ")");
}

static void put_chain(struct sbuf *b, const struct ike_payload *pls, uint16_t n);

static void put_payload(struct sbuf *b, const struct ike_payload *pl)
{
	bool sk = pl->type == PT_SK || pl->type == PT_SKF;
	if (sk && pl->decoded && pl->u.sk.opened) {
		put_chain(b, pl->u.sk.inner, pl->u.sk.n_inner);
		return;
	}
	const char *s = ike_name_short(&ike_names_payload, pl->type);
	if (s) {
		put_str(b, " ");
		put_str(b, s);
	} else {
		put(b, " UNKN(%u)", pl->type);
	}
	if (!pl->decoded)
		return;
	switch (pl->type) {
	case PT_NOTIFY: put_notify(b, pl); break;
	case PT_EAP: put_eap(b, pl); break;
	case PT_CP: put_cp(b, pl); break;
	case PT_SKF: put(b, "(%u/%u)", pl->u.sk.frag_num, pl->u.sk.frag_total); break;
	default: break;
	}
}

static void put_chain(struct sbuf *b, const struct ike_payload *pls, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		put_payload(b, &pls[i]);
}

size_t ike_msg_summary(const struct ike_msg *m, char *buf, size_t cap)
{
	struct sbuf b = {buf, cap, 0};
	if (cap)
		buf[0] = '\0';
	const char *ex = ike_name_long(&ike_names_exchange, m->exchange);
	if (m->ikev1) {
		if (ex)
			put(&b, "IKEv1 %s %u", ex, m->mid);
		else
			put(&b, "IKEv1 (%u) %u", m->exchange, m->mid);
		return b.len;
	}
	if (ex)
		put_str(&b, ex);
	else
		put(&b, "(%u)", m->exchange);
	put_str(&b, ike_msg_is_response(m) ? " response " : " request ");
	put_uint(&b, m->mid);
	put_str(&b, " [");
	put_chain(&b, m->payloads, m->n_payloads);
	put_str(&b, " ]");
	return b.len;
}
