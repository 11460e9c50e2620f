/*
 * props.c — proposals received and configured per end, as charon logged
 * them, and which transform differs between them.
 *
 * charon prints a proposal as PROTO:ENCR/INTEG/PRF/KE/ESN, proposals joined
 * with ", ". A token's transform type is told by its name: KE groups start
 * MODP_, ECP_, CURVE_ (or are NONE-like), PRF_ names are PRFs, HMAC_/XCBC/
 * CMAC names are integrity, EXT_SEQ ones ESN, the rest encryption.
 */
#include <string.h>

#include "correlate/rules_int.h"

enum ttype { T_ENCR, T_INTEG, T_PRF, T_KE, T_ESN, T_N };
static const char *const tnames[T_N] = {"ENCR", "INTEG", "PRF", "KE", "ESN"};

static enum ttype type_of(const char *tok, size_t n)
{
#define P(s) (n >= sizeof(s) - 1 && strncmp(tok, s, sizeof(s) - 1) == 0)
	if (P("MODP_") || P("ECP_") || P("CURVE_") || P("X25519") || P("X448") || P("ML_KEM"))
		return T_KE;
	if (P("PRF_"))
		return T_PRF;
	if (P("HMAC_") || P("AES_XCBC") || P("AES_CMAC") || P("AES_GMAC") || P("NO_INTEG"))
		return T_INTEG;
	if (P("NO_EXT_SEQ") || P("EXT_SEQ"))
		return T_ESN;
#undef P
	return T_ENCR;
}

/* The tokens of type t in the first proposal of list s, joined with '/'. */
static void tokens(const char *s, enum ttype t, char *out, size_t cap)
{
	out[0] = '\0';
	const char *colon = strchr(s, ':');
	const char *p = colon ? colon + 1 : s;
	const char *end = strstr(p, ", ");
	if (!end)
		end = p + strlen(p);
	size_t used = 0;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (n && type_of(p, n) == t && used + n + 2 < cap) {
			if (used)
				out[used++] = '/';
			memcpy(out + used, p, n);
			used += n;
			out[used] = '\0';
		}
		p += n + (slash ? 1 : 0);
	}
}

void ike_corr_ke_of(const char *props, char *out, size_t cap)
{
	tokens(props, T_KE, out, cap);
}

/* The differing types of one proposal of a against the first of b; returns how many. */
static int differ_one(const char *a, const char *b, char *out, size_t cap)
{
	out[0] = '\0';
	size_t used = 0;
	int n = 0;
	for (int t = 0; t < T_N; t++) {
		char x[256], y[256];
		tokens(a, (enum ttype)t, x, sizeof(x));
		tokens(b, (enum ttype)t, y, sizeof(y));
		if (strcmp(x, y) != 0) {
			n++;
			int k = snprintf(out + used, cap - used, "%s%s", used ? "/" : "", tnames[t]);
			if (k > 0 && (size_t)k < cap - used)
				used += (size_t)k;
		}
	}
	return n;
}

/* Against the received proposal closest to the configured one (fewest differing types). */
void ike_corr_differing(const char *a, const char *b, char *out, size_t cap)
{
	out[0] = '\0';
	if (!a[0] || !b[0])
		return;
	int best = T_N + 1;
	for (const char *p = a; p && *p;) {
		char tmp[128];
		int n = differ_one(p, b, tmp, sizeof(tmp));
		if (n < best) {
			best = n;
			snprintf(out, cap, "%s", tmp);
		}
		p = strstr(p, ", ");
		if (p)
			p += 2;
	}
}

static const char *after(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(text, prefix, n) == 0 ? text + n : text;
}

void ike_corr_collect_proposals(struct ike_corr *c, struct ike_corr_verdict *v)
{
	for (size_t i = 0; i < c->n_logs; i++) {
		const struct ike_corr_log *l = &c->logs[i];
		if (l->tunnel != (int32_t)v->tunnel || l->side >= IKE_CORR_SIDES)
			continue;
		const char *body;
		char *dst;
		struct ike_corr_propset *ps;
		switch (l->kind) {
		case IKE_LOG_PROPOSALS_RECEIVED: body = after(l->text, "received proposals: "); break;
		case IKE_LOG_PROPOSALS_CONFIGURED: body = after(l->text, "configured proposals: "); break;
		case IKE_LOG_PROPOSAL_SELECTED: body = after(l->text, "selected proposal: "); break;
		default: continue;
		}
		ps = &v->proposals.set[l->side][strncmp(body, "IKE:", 4) == 0 ? 0 : 1];
		dst = l->kind == IKE_LOG_PROPOSALS_RECEIVED     ? ps->received
		      : l->kind == IKE_LOG_PROPOSALS_CONFIGURED ? ps->configured
								: ps->selected;
		snprintf(dst, IKE_CORR_PROP_MAX, "%s", body);
		ps->known = true;
	}
	for (int s = 0; s < IKE_CORR_SIDES; s++)
		for (int k = 0; k < 2; k++) {
			struct ike_corr_propset *ps = &v->proposals.set[s][k];
			ike_corr_differing(ps->received, ps->configured, ps->differing, sizeof(ps->differing));
		}
}

bool ike_corr_child_wants_pfs(const struct ike_corr_proposals *p)
{
	char ke[128];
	ike_corr_ke_of(p->set[IKE_CORR_SIDE_LOCAL][1].configured, ke, sizeof(ke));
	return ke[0] != '\0';
}

/* Any KE group in any proposal of the list. */
static bool any_ke(const char *s)
{
	return strstr(s, "MODP_") || strstr(s, "ECP_") || strstr(s, "CURVE_") || strstr(s, "/X25519") ||
	       strstr(s, "/X448");
}

bool ike_corr_pfs_lacking(const struct ike_corr_proposals *p)
{
	/* one side's ESP proposals carry a DH group and the other's none, either way round */
	const struct ike_corr_propset *l = &p->set[IKE_CORR_SIDE_LOCAL][1];
	return l->configured[0] && l->received[0] && !any_ke(l->configured) != !any_ke(l->received);
}
