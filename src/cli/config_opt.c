/*
 * config_opt.c — `--config FILE` for correlate: the local end's tunnel
 * config (and, with a second --config, the peer's) turns each verdict whose
 * cause is a configuration matter into the config lines to change on each
 * side, appended to the verdict's explanation. Also the loader that compare's
 * --config shares.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/config.h"
#include "ikescope/correlate.h"

/* The tunnel of f for a verdict's addresses: same peer (or, for the peer's
 * file, same local address), else the only one. */
static const struct ike_cfg_tunnel *pick(const struct ike_cfg_file *f, const char *peer, const char *local)
{
	for (unsigned i = 0; i < f->n_tunnels; i++) {
		const struct ike_cfg_tunnel *t = &f->tunnels[i];
		if ((*peer && strcmp(t->peer_addr, peer) == 0) || (*local && strcmp(t->local_addr, local) == 0))
			return t;
	}
	return f->n_tunnels == 1 ? &f->tunnels[0] : NULL;
}

int ike_cli_load_configs(const char *const *files, unsigned n, struct ike_cfg_file *cf[2])
{
	cf[0] = cf[1] = NULL;
	for (unsigned i = 0; i < n && i < 2; i++) {
		char err[512];
		if (ike_cfg_load(files[i], IKE_CFG_DETECT, &cf[i], err, sizeof(err)) != 0) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s\n", err);
			ike_cfg_free(cf[0]);
			cf[0] = cf[1] = NULL;
			return IKE_EXIT_INPUT;
		}
		fflush(stdout);
		for (unsigned k = 0; k < cf[i]->n_notes; k++)
			fprintf(stderr, "ikescope: %s:%u: %s\n", cf[i]->name, cf[i]->notes[k].line, cf[i]->notes[k].msg);
	}
	return 0;
}

int ike_cli_config_explain(struct ike_corr *c, const char *const *files, unsigned n)
{
	struct ike_cfg_file *cf[2];
	int status = ike_cli_load_configs(files, n, cf);
	if (status)
		return status;
	for (size_t v = 0; v < ike_corr_n_verdicts(c); v++) {
		const struct ike_corr_verdict *vd = ike_corr_verdict(c, v);
		char peer[64] = "", local[64] = "";
		if (vd->peer.family)
			ike_addr_str(&vd->peer, peer, sizeof(peer));
		if (vd->local.family)
			ike_addr_str(&vd->local, local, sizeof(local));
		const struct ike_cfg_tunnel *l = pick(cf[0], peer, "");
		const struct ike_cfg_tunnel *p = cf[1] ? pick(cf[1], local, peer) : NULL;
		if (l && cf[1] && !p)
			p = ike_cfg_facing(l, cf[1]);
		if (!l)
			continue;
		/* what the end that refused logged as received */
		bool child = vd->cause == IKE_CAUSE_CHILD_PROPOSAL_MISMATCH || vd->cause == IKE_CAUSE_PFS_MISMATCH;
		const char *seen = NULL;
		for (int side = 0; side < IKE_CORR_SIDES && !seen; side++) {
			const struct ike_corr_propset *ps = &vd->proposals.set[side][child ? 1 : 0];
			if (ps->known && ps->received[0])
				seen = ps->received;
		}
		char text[IKE_CORR_EXPL_MAX];
		if (ike_cfg_explain(ike_corr_cause_name(vd->cause), l, p, seen, text, sizeof(text)) > 0)
			ike_corr_explain(c, v, text);
	}
	ike_cfg_free(cf[0]);
	ike_cfg_free(cf[1]);
	return status;
}
