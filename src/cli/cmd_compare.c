/*
 * cmd_compare.c — `ikescope compare`: two or three captures of one path
 * (local end first, far end last, taps between), and the charon logs of
 * either end standing in for or beside them; every IKE message is matched
 * across them, and each transmission is reported as delivered, lost between
 * two vantage points, or not covered.
 */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/capture.h"
#include "ikescope/compare.h"
#include "ikescope/ike.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"
#include "ikescope/log.h"

#define CMD "compare"

struct cmp_opts {
	struct ike_cli_inputs in; /* -r captures, -k key files, -l/-L charon logs */
	const char *local_log; /* the first -l */
	const char *far_log;   /* -L, or the second -l */
	bool json;
	const char *svg; /* --svg FILE */
	const char *configs[2]; /* --config: the local end's tunnel config, then the far end's */
	unsigned n_configs;
};

static void help(void)
{
	fputs("Usage: ikescope compare -r CAP [-r CAP]... [-l LOG] [-L LOG] [-k KEYS]... [--json]\n"
	      "                        [--svg FILE] [--config FILE [--config FILE]]\n"
	      "\n"
	      "Matches every IKE message across captures taken at several points of one\n"
	      "path and tells, for each transmission, where it was seen and where it\n"
	      "vanished. Give the captures in path order: the first is the local end\n"
	      "(the vEdge), the last the far end, the ones between are taps (an ISP\n"
	      "router). Messages are recognised by content (SPIs, message ID, flags,\n"
	      "exchange, length, a hash of the bytes), so NAT does not matter; clock\n"
	      "offsets between the capture hosts are estimated from requests and\n"
	      "responses seen at two points, and reported with the one-way delays.\n"
	      "A transmission is delivered, lost between two points, or not covered\n"
	      "(the next point was not capturing at that time).\n"
	      "\n"
	      "  -r, --read CAP  a capture, in path order; repeat (two or more points)\n"
	      "  -l, --log LOG   charon log of the local end (a second -l: of the far end);\n"
	      "                  its packet lines are a vantage point just outside the\n"
	      "                  captures at that end, standing in for a capture there;\n"
	      "                  its ike=4 key dumps are used as -k\n"
	      "  -L, --far-log LOG  charon log of the far end, the same way\n"
	      "  -k, --keys FILE Wireshark ikev2_decryption_table or tcpdump/libreswan\n"
	      "                  key lines (names the exchanges, e.g. DPD); repeat\n"
	      "      --json      one \"compare\" object per message, then one\n"
	      "                  \"compare_summary\" object\n"
	      "      --svg FILE  also draw the ladder diagram into FILE: one lifeline per\n"
	      "                  point, one arrow per transmission, a lost one ending in\n"
	      "                  a red cross between the two points where it vanished\n"
	      "      --config FILE  the local end's tunnel config (vEdge, IOS XE, swanctl.conf,\n"
	      "                  ipsec.conf), then the far end's: lost DPDs and unanswered\n"
	      "                  IKE_SA_INIT requests are said with the config lines behind\n"
	      "                  them, and two configs that cannot agree with their prediction\n"
	      "  -h, --help      this help\n"
	      "\n"
	      "Exit status: 0 the inputs were read, 1 bad usage, 2 a capture, log or\n"
	      "key file is missing, unreadable or damaged. See ikescope(1).\n",
	      stdout);
}

static int parse(int argc, char *argv[], struct cmp_opts *o)
{
	static const struct option longs[] = {
		{"read", required_argument, NULL, 'r'},
		{"keys", required_argument, NULL, 'k'},
		{"log", required_argument, NULL, 'l'},
		{"far-log", required_argument, NULL, 'L'},
		{"json", no_argument, NULL, 'j'},
		{"svg", required_argument, NULL, 's'},
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	optind = 1;
	int c;
	unsigned n_local = 0, n_far = 0;
	while ((c = getopt_long(argc, argv, ":r:k:l:L:h", longs, NULL)) != -1) {
		switch (c) {
		case 'r': o->in.caps[o->in.n_caps++] = optarg; break;
		case 'k': o->in.keys[o->in.n_keys++] = optarg; break;
		case 'l':
			o->in.logs[o->in.n_logs++] = optarg;
			if (n_local++ == 0) {
				o->local_log = optarg;
			} else {
				o->far_log = optarg;
				n_far++;
			}
			break;
		case 'L':
			o->in.logs[o->in.n_logs++] = optarg;
			o->far_log = optarg;
			n_far++;
			break;
		case 'j': o->json = true; break;
		case 's': o->svg = optarg; break;
		case 'c':
			if (o->n_configs == 2)
				return ike_cli_usage_error(CMD, "--config at most twice: the local end's, then the far end's");
			o->configs[o->n_configs++] = optarg;
			break;
		case 'h': help(); return IKE_EXIT_OK;
		default: return ike_cli_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return ike_cli_usage_error(CMD, "unexpected argument '%s' (captures are given with -r)", argv[optind]);
	if (n_local > 2 || n_far > 1)
		return ike_cli_usage_error(CMD, "one log per end: -l LOG for the local end, -L LOG (or a second -l) for the far end");
	if (o->in.n_caps == 0)
		return ike_cli_usage_error(CMD, "no capture given (-r CAP)");
	if (o->in.n_caps + o->in.n_logs < 2)
		return ike_cli_usage_error(CMD, "two vantage points are needed (-r CAP -r CAP, or a capture and a log)");
	if (o->in.n_caps + o->in.n_logs > IKE_CMP_MAX_POINTS)
		return ike_cli_usage_error(CMD, "at most %d vantage points (captures and logs together)",
					   IKE_CMP_MAX_POINTS);
	return -1;
}

static int add_point(struct ike_compare *cmp, const char *path, enum ike_cmp_point_kind kind)
{
	int p = ike_compare_add_point(cmp, ike_cli_base_name(path), kind);
	if (p < 0) {
		fflush(stdout);
		fprintf(stderr, "ikescope: %s: out of memory\n", path);
	}
	return p;
}

/* Feeds one capture to its point. Returns 0 or IKE_EXIT_INPUT; *fatal when
 * nothing can be compared (the file cannot be opened: the path would be
 * wrong; out of memory). Damage part way is not fatal: what came before it
 * is compared. */
static int read_capture(struct ike_compare *cmp, int point, const char *path, uint32_t idx,
			const struct ike_keyring *ring, struct ike_keycands *cands, bool *fatal)
{
	struct ike_capture_opts copts = {0};
	int status;
	*fatal = true;
	struct ike_capture *c = ike_cli_open_capture(path, idx, &copts, &status);
	if (!c)
		return IKE_EXIT_INPUT;
	struct ike_decoder *dec = ike_decoder_new();
	if (!dec) {
		ike_capture_close(c);
		fflush(stdout);
		fprintf(stderr, "ikescope: %s: out of memory\n", path);
		return IKE_EXIT_INPUT;
	}
	*fatal = false;
	ike_decoder_set_keys(dec, ring);
	ike_decoder_set_candidates(dec, cands);
	static struct ike_msg m; /* large; reused for every message */
	struct ike_cap_event ev;
	enum ike_cap_kind k;
	status = 0;
	while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF) {
		if (k == IKE_CAP_ERROR) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s\n", ev.error);
			status = IKE_EXIT_INPUT;
			break;
		}
		ike_compare_cover(cmp, point, ev.at.ts_sec * 1000000 + ev.at.ts_usec);
		if (k != IKE_CAP_MESSAGE || ike_decoder_decode(dec, &ev.at, ev.data, ev.len, &m) != IKE_OK)
			continue;
		if (ike_compare_add_msg(cmp, point, &m) != IKE_OK) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s: out of memory while comparing\n", path);
			status = IKE_EXIT_INPUT;
			*fatal = true;
			break;
		}
	}
	ike_decoder_free(dec);
	ike_capture_close(c);
	return status;
}

/* Feeds one log to its point; the same conventions as read_capture. */
static int read_log(struct ike_compare *cmp, int point, const char *path, bool *fatal)
{
	char err[512];
	const char *paths[1] = {path};
	*fatal = true;
	struct ike_log *l = ike_log_open(paths, 1, NULL, err, sizeof(err));
	if (!l) {
		fflush(stdout);
		fprintf(stderr, "ikescope: %s\n", err);
		return IKE_EXIT_INPUT;
	}
	*fatal = false;
	static struct ike_log_event ev; /* large */
	int status = 0;
	while (ike_log_next(l, &ev))
		if (ike_compare_add_log(cmp, point, &ev) != IKE_OK) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s: out of memory while comparing\n", path);
			status = IKE_EXIT_INPUT;
			*fatal = true;
			break;
		}
	struct ike_log_stats st;
	ike_log_stats(l, &st);
	if (st.read_errors) {
		fflush(stdout);
		fprintf(stderr, "ikescope: %s: read error after line %" PRIu64 "\n", path, st.lines);
		status = IKE_EXIT_INPUT;
	}
	ike_log_close(l);
	return status;
}

static int run(void *ctx)
{
	const struct cmp_opts *o = ctx;
	struct ike_compare *cmp = ike_compare_new(NULL);
	if (!cmp) {
		fprintf(stderr, "ikescope: out of memory\n");
		return IKE_EXIT_INPUT;
	}
	/* path order: the local end's log, the captures, the far end's log */
	int cap_point[IKE_CMP_MAX_POINTS], log_point[2] = {-1, -1};
	int status = 0;
	if (o->local_log && (log_point[0] = add_point(cmp, o->local_log, IKE_CMP_LOG)) < 0)
		status = IKE_EXIT_INPUT;
	for (unsigned i = 0; i < o->in.n_caps && !status; i++)
		if ((cap_point[i] = add_point(cmp, o->in.caps[i], IKE_CMP_CAPTURE)) < 0)
			status = IKE_EXIT_INPUT;
	if (!status && o->far_log && (log_point[1] = add_point(cmp, o->far_log, IKE_CMP_LOG)) < 0)
		status = IKE_EXIT_INPUT;
	bool fatal = status != 0;
	for (unsigned i = 0; i < o->in.n_caps && !fatal; i++)
		if (read_capture(cmp, cap_point[i], o->in.caps[i], i, o->in.ring, o->in.cands, &fatal) != 0)
			status = IKE_EXIT_INPUT;
	if (!fatal && o->local_log && read_log(cmp, log_point[0], o->local_log, &fatal) != 0)
		status = IKE_EXIT_INPUT;
	if (!fatal && o->far_log && read_log(cmp, log_point[1], o->far_log, &fatal) != 0)
		status = IKE_EXIT_INPUT;
	if (!fatal) { /* damage part way (exit 2) still compares what was read before it */
		ike_compare_finish(cmp);
		if (o->json)
			ike_out_json_compare(stdout, cmp);
		else
			ike_out_text_compare(stdout, cmp);
		if (o->n_configs && ike_cli_config_compare(cmp, o->configs, o->n_configs, o->json) != 0)
			status = IKE_EXIT_INPUT;
		if (o->svg && ike_cli_svg_compare(o->svg, cmp) != 0)
			status = IKE_EXIT_INPUT;
	}
	ike_compare_free(cmp);
	return status;
}

int ike_cli_compare(int argc, char *argv[])
{
	struct cmp_opts o = {0};
	int status = ike_cli_inputs_init(&o.in, argc);
	if (status < 0)
		status = parse(argc, argv, &o);
	if (status < 0)
		status = ike_cli_inputs_load_keys(&o.in, true);
	if (status < 0)
		status = ike_cli_buffered(run, &o);
	ike_cli_inputs_free(&o.in);
	return status;
}
