/*
 * cmd_config.c — `ikescope config FILE…`: what each tunnel configuration
 * (vEdge, IOS XE, swanctl.conf, ipsec.conf) makes charon propose, its timers
 * and peer, each with its config line; with two files, the prediction of
 * whether the ends agree and which exchange fails (the first file's tunnel
 * initiates, as the vEdge does in the lab).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/config.h"

#define CMD "config"

static void help(void)
{
	fputs("Usage: ikescope config [--dialect D] [--json] FILE [FILE]...\n"
	      "\n"
	      "Reads tunnel configurations and prints, per tunnel, the IKE and ESP\n"
	      "proposals they make charon send (its \"configured proposals:\" format),\n"
	      "the DPD and rekey timers, the peer and local addresses, authentication\n"
	      "and traffic selectors, each with the config line it came from (or the\n"
	      "default it falls back to). Unknown keywords are reported as FILE:LINE\n"
	      "and skipped.\n"
	      "\n"
	      "With two files, the tunnel of the first file initiates to the tunnel of\n"
	      "the second that faces it (same addresses, or the only one), and charon's\n"
	      "proposal selection is run on both: the verdict (symptom / cause in\n"
	      "ikescope's vocabulary), the exchange that fails (IKE_SA_INIT, IKE_AUTH,\n"
	      "or CREATE_CHILD_SA at the first rekey, as with a PFS mismatch), and the\n"
	      "config line to change on each end.\n"
	      "\n"
	      "Dialects (guessed from the content unless --dialect is given):\n"
	      "  vedge       vEdge CLI: interface ipsecN with ike and ipsec sub-modes\n"
	      "  iosxe       IOS XE: crypto ikev2 proposal/policy/keyring/profile,\n"
	      "              crypto ipsec transform-set/profile, interface TunnelN\n"
	      "  swanctl     strongSwan swanctl.conf\n"
	      "  ipsec.conf  strongSwan ipsec.conf (ipsec.secrets is not read)\n"
	      "\n"
	      "  -d, --dialect D  read every FILE as dialect D (vedge, iosxe, swanctl,\n"
	      "                   ipsec.conf, auto)\n"
	      "      --json       one \"config\" object per tunnel, \"config_note\" per\n"
	      "                   note, \"config_prediction\" for a pair\n"
	      "  -h, --help       this help\n"
	      "\n"
	      "Pre-shared keys are never printed; two clear-text keys are compared by\n"
	      "hash. Exit status: 0 ran fine (whatever it predicts), 1 bad usage, 2 a\n"
	      "file is unreadable or holds no tunnel configuration. See ikescope(1).\n",
	      stdout);
}

int ike_cli_config(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"dialect", required_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false;
	enum ike_cfg_dialect dialect = IKE_CFG_DETECT;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:h", longs, NULL)) != -1) {
		switch (c) {
		case 'd': {
			int d = ike_cfg_dialect_parse(optarg);
			if (d < 0)
				return ike_cli_usage_error(CMD, "unknown dialect '%s' (vedge, iosxe, swanctl, ipsec.conf, auto)",
							   optarg);
			dialect = (enum ike_cfg_dialect)d;
			break;
		}
		case 'j': json = true; break;
		case 'h': help(); return IKE_EXIT_OK;
		default: return ike_cli_bad_option(CMD, c, argv);
		}
	}
	int n = argc - optind;
	if (n < 1)
		return ike_cli_usage_error(CMD, "no configuration file given");
	struct ike_cfg_file **files = calloc((size_t)n, sizeof(*files));
	if (!files) {
		fprintf(stderr, "ikescope config: out of memory\n");
		return IKE_EXIT_INPUT;
	}
	int status = IKE_EXIT_OK;
	for (int i = 0; i < n && status == IKE_EXIT_OK; i++) {
		char err[512];
		if (ike_cfg_load(argv[optind + i], dialect, &files[i], err, sizeof(err)) != 0) {
			fflush(stdout);
			fprintf(stderr, "ikescope config: %s\n", err);
			status = IKE_EXIT_INPUT;
			break;
		}
		if (json)
			ike_out_json_cfg_file(stdout, files[i]);
		else
			ike_out_text_cfg_file(stdout, files[i]);
	}
	if (status == IKE_EXIT_OK && n == 2) {
		unsigned paired = 0;
		for (unsigned k = 0; k < files[0]->n_tunnels; k++) {
			const struct ike_cfg_tunnel *a = &files[0]->tunnels[k];
			const struct ike_cfg_tunnel *b = ike_cfg_facing(a, files[1]);
			if (!b)
				continue;
			struct ike_cfg_prediction p;
			ike_cfg_predict(a, b, &p);
			if (json)
				ike_out_json_cfg_prediction(stdout, &p, files[0], a, files[1], b);
			else {
				fputc('\n', stdout);
				ike_out_text_cfg_prediction(stdout, &p, files[0], a, files[1], b);
			}
			paired++;
		}
		if (!paired && !json)
			printf("\nno tunnel of %s faces a tunnel of %s (addresses differ and neither file has one tunnel)\n",
			       files[0]->name, files[1]->name);
	}
	for (int i = 0; i < n; i++)
		ike_cfg_free(files[i]);
	free(files);
	return status;
}
