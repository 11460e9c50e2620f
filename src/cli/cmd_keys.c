/*
 * cmd_keys.c — `ikescope keys`: the IKE SA keys found in charon ike=4 logs,
 * matched to their SPIs, written in a format Wireshark, tcpdump or scripts
 * read. The only command that prints key bytes: that is its purpose.
 *
 * A derivation the log binds itself (the "selected proposal:" before it and
 * the "checkin IKEv2 SA … with SPIs" after it) is printed from the log alone;
 * with -r, the remaining ones are tried on each capture's encrypted messages
 * and bound to the SPI pair whose ICV verifies.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"

#define CMD "keys"

struct keys_opts {
	const char **logs, **files;
	unsigned n_logs, n_files;
	enum ike_key_format fmt;
};

static void help(void)
{
	fputs("Usage: ikescope keys -l LOG [-l LOG]... [-r CAP]... [--format wireshark|tcpdump|json]\n"
	      "\n"
	      "Prints the IKE SA keys charon dumped in its log at ike=4 (Sk_ei, Sk_er,\n"
	      "Sk_ai, Sk_ar), matched to their SPIs: from the log's own \"selected\n"
	      "proposal:\" and \"checkin IKEv2 SA ... with SPIs\" lines where it has them,\n"
	      "otherwise by trying them on the encrypted messages of the -r captures\n"
	      "(the SPI pair whose ICV verifies). Open the capture in Wireshark with the\n"
	      "output as its ikev2_decryption_table, or give it to ikescope with -k.\n"
	      "\n"
	      "  -l, --log LOG     charon log (any shape: syslog, filelog, journalctl)\n"
	      "  -r, --read CAP    capture whose messages bind the remaining keys\n"
	      "      --format F    wireshark (default): ikev2_decryption_table rows;\n"
	      "                    tcpdump: \"ikev2 I|R\" lines; json: one object per SA\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Key bytes are secrets: this command prints them, no other does.\n"
	      "Exit status: 0 ran fine (even with no keys found), 1 bad usage, 2 a log\n"
	      "or capture is missing or unreadable. See ikescope(1).\n",
	      stdout);
}

static int parse(int argc, char *argv[], struct keys_opts *o)
{
	static const struct option longs[] = {
		{"log", required_argument, NULL, 'l'},   {"read", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":l:r:h", longs, NULL)) != -1) {
		switch (c) {
		case 'l': o->logs[o->n_logs++] = optarg; break;
		case 'r': o->files[o->n_files++] = optarg; break;
		case 'f':
			if (strcmp(optarg, "wireshark") == 0)
				o->fmt = IKE_KEYS_WIRESHARK;
			else if (strcmp(optarg, "tcpdump") == 0)
				o->fmt = IKE_KEYS_TCPDUMP;
			else if (strcmp(optarg, "json") == 0)
				o->fmt = IKE_KEYS_JSON;
			else
				return ike_cli_usage_error(CMD, "--format '%s': wireshark, tcpdump or json", optarg);
			break;
		case 'h': help(); return IKE_EXIT_OK;
		default: return ike_cli_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return ike_cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
	if (o->n_logs == 0)
		return ike_cli_usage_error(CMD, "no charon log given (-l LOG)");
	return -1;
}

/* Copies the SAs a decoder bound by ICV into ring (identical ones are kept once). */
static void merge(struct ike_keyring *ring, const struct ike_keyring *learned)
{
	for (size_t i = 0; learned && i < ike_keyring_count(learned); i++) {
		const struct ike_sa_keys *k = ike_keyring_at(learned, i);
		struct ike_sa_keyspec s = {
			.ispi = k->ispi, .rspi = k->rspi, .encr = k->encr, .encr_bits = k->encr_bits,
			.integ = k->integ, .dirs = k->have, .ei = k->ei, .er = k->er, .ai = k->ai, .ar = k->ar,
			.ei_len = k->enc_len, .er_len = k->enc_len, .ai_len = k->integ_len, .ar_len = k->integ_len,
			.origin = k->origin,
		};
		char why[160];
		if (ike_keyring_add(ring, &s, why, sizeof(why)) < 0)
			fprintf(stderr, "ikescope: %s\n", why);
	}
}

/* Runs one capture through a decoder that binds candidates by ICV. */
static int bind_with_capture(const char *path, uint32_t idx, struct ike_keyring *ring, struct ike_keycands *c)
{
	int status;
	struct ike_capture *cap = ike_cli_open_capture(path, idx, NULL, &status);
	if (!cap)
		return status;
	struct ike_decoder *dec = ike_decoder_new();
	if (!dec) {
		ike_capture_close(cap);
		return IKE_EXIT_INPUT;
	}
	ike_decoder_set_keys(dec, ring);
	ike_decoder_set_candidates(dec, c);
	static struct ike_msg m;
	struct ike_cap_event ev;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(cap, &ev)) != IKE_CAP_EOF) {
		if (k == IKE_CAP_ERROR) {
			fprintf(stderr, "ikescope: %s\n", ev.error);
			status = IKE_EXIT_INPUT;
			break;
		}
		if (k == IKE_CAP_MESSAGE)
			ike_decoder_decode(dec, &ev.at, ev.data, ev.len, &m);
	}
	merge(ring, ike_decoder_learned_keys(dec));
	ike_decoder_free(dec);
	ike_capture_close(cap);
	return status;
}

int ike_cli_keys(int argc, char *argv[])
{
	struct keys_opts o = {0};
	o.logs = calloc((size_t)argc, sizeof(*o.logs));
	o.files = calloc((size_t)argc, sizeof(*o.files));
	if (!o.logs || !o.files) {
		free(o.logs);
		free(o.files);
		fprintf(stderr, "ikescope: out of memory\n");
		return IKE_EXIT_INPUT;
	}
	struct ike_keyring *ring = NULL;
	struct ike_keycands *cands = NULL;
	int status = parse(argc, argv, &o);
	if (status < 0)
		status = ike_cli_load_key_logs(o.logs, o.n_logs, &ring, &cands);
	if (status < 0) {
		status = IKE_EXIT_OK;
		for (unsigned i = 0; i < o.n_files; i++)
			if (bind_with_capture(o.files[i], i, ring, cands) != 0)
				status = IKE_EXIT_INPUT;
		size_t found = ike_keycands_count(cands), bound = ike_keyring_count(ring);
		if (bound < found)
			fprintf(stderr, "ikescope: %zu of %zu key derivations in the logs could not be matched to an "
					"IKE SA%s\n",
				found - bound, found, o.n_files ? "" : " (give the capture with -r to match them by ICV)");
		if (ike_keyring_write(ring, o.fmt, stdout) < 0 || fflush(stdout) != 0) {
			fprintf(stderr, "ikescope: writing the keys failed\n");
			status = IKE_EXIT_INPUT;
		}
	}
	ike_keycands_free(cands);
	ike_keyring_free(ring);
	free(o.logs);
	free(o.files);
	return status;
}
