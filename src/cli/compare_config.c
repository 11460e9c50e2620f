/*
 * compare_config.c — `--config FILE` for compare: the local end's tunnel
 * config (and, with a second --config, the far end's) said next to what the
 * captures showed. Losses become a cause in DESIGN.md's vocabulary — lost
 * DPD exchanges `dpd-timeout`, IKE_SA_INIT requests never answered anywhere
 * `peer-unreachable` — and the config lines behind it are named. With both
 * ends' configs, the configs' own prediction is printed too when they cannot
 * agree, because a path that loses nothing still fails on a mismatch.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/compare.h"
#include "ikescope/config.h"

#define EXCH_IKE_SA_INIT 34 /* RFC 7296 exchange type */

/* The far end's address as the first point saw it: the destination of the
 * first message that travels toward the peer. */
static void far_addr(const struct ike_compare *c, char *peer, size_t cap, char *local, size_t lcap)
{
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		if (m->dir != IKE_CMP_TOWARD_PEER || m->origin != 0 || !m->seen[0].count)
			continue;
		ike_addr_str(&m->seen[0].dst, peer, cap);
		ike_addr_str(&m->seen[0].src, local, lcap);
		return;
	}
}

static const struct ike_cfg_tunnel *pick(const struct ike_cfg_file *f, const char *peer)
{
	for (unsigned i = 0; i < f->n_tunnels; i++)
		if (*peer && strcmp(f->tunnels[i].peer_addr, peer) == 0)
			return &f->tunnels[i];
	return f->n_tunnels == 1 ? &f->tunnels[0] : NULL;
}

/* The causes the losses stand for, in the order they are said. */
static void loss_causes(const struct ike_compare *c, bool *dpd, bool *unreachable)
{
	*dpd = *unreachable = false;
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		if (m->status != IKE_CMP_LOST)
			continue;
		if (m->kind_known && m->kind == IKE_XK_DPD)
			*dpd = true;
		else if (m->exchange == EXCH_IKE_SA_INIT && !m->response)
			*unreachable = true;
	}
}

int ike_cli_config_compare(const struct ike_compare *c, const char *const *files, unsigned n, bool json)
{
	struct ike_cfg_file *cf[2];
	int status = ike_cli_load_configs(files, n, cf);
	if (status)
		return status;
	char peer[64] = "", local[64] = "";
	far_addr(c, peer, sizeof(peer), local, sizeof(local));
	const struct ike_cfg_tunnel *l = pick(cf[0], peer);
	const struct ike_cfg_tunnel *p = cf[1] ? pick(cf[1], local) : NULL;
	if (l && cf[1] && !p)
		p = ike_cfg_facing(l, cf[1]);
	if (!l) {
		fflush(stdout);
		fprintf(stderr, "ikescope: %s: no tunnel toward %s in this config\n", cf[0]->name, *peer ? peer : "the far end");
		goto out;
	}
	if (!json)
		fputs("\nConfiguration\n", stdout);
	bool dpd, unreachable;
	loss_causes(c, &dpd, &unreachable);
	const char *causes[2] = {dpd ? "dpd-timeout" : NULL, unreachable ? "peer-unreachable" : NULL};
	bool said = false;
	for (int k = 0; k < 2; k++) {
		char text[1024];
		if (!causes[k] || ike_cfg_explain(causes[k], l, p, NULL, text, sizeof(text)) == 0)
			continue;
		if (json)
			ike_out_json_cfg_explain(stdout, causes[k], text);
		else
			ike_out_text_cfg_explain(stdout, causes[k], text);
		said = true;
	}
	if (p) {
		struct ike_cfg_prediction pr;
		ike_cfg_predict(l, p, &pr);
		if (strcmp(pr.cause, "healthy") != 0 || pr.n_notes) {
			if (json)
				ike_out_json_cfg_prediction(stdout, &pr, cf[0], l, cf[1], p);
			else
				ike_out_text_cfg_prediction(stdout, &pr, cf[0], l, cf[1], p);
			said = true;
		}
	}
	if (!json && !said)
		fputs("  the configs agree and no loss points at them\n", stdout);
out:
	ike_cfg_free(cf[0]);
	ike_cfg_free(cf[1]);
	return status;
}
