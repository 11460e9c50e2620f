/*
 * cmd_correlate.c — `ikescope correlate`: charon logs (-l) and captures (-r)
 * on one timeline, each log line linked to its frame, and one verdict per
 * tunnel. Captures are decoded with the keys of -k and of the logs' ike=4
 * dumps, as in `exchanges`; logs are read as events (bounded) and fed to the
 * correlator, which puts them on the capture clock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "ikescope/capture.h"
#include "ikescope/correlate.h"
#include "ikescope/ike.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"
#include "ikescope/log.h"

#define CMD "correlate"

struct corr_cli {
	struct ike_cli_inputs in; /* -r captures, -k key files, -l charon logs */
	bool json;
	const char *svg; /* --svg FILE */
	const char *configs[2]; /* --config: the local end's tunnel config, then the peer's */
	unsigned n_configs;
	struct ike_corr_opts o;
};

static void help(void)
{
	fputs("Usage: ikescope correlate [-r CAP]... [-l LOG]... [-k KEYS]... [--peer ADDR]\n"
	      "                          [--around TIME] [--log-year YEAR] [--log-tz ZONE] [--json]\n"
	      "                          [--svg FILE] [--config FILE [--config FILE]]\n"
	      "\n"
	      "Puts charon log lines and captured IKE messages on one timeline, links\n"
	      "each 'sending/received packet', 'generating/parsed' and 'retransmit'\n"
	      "line to its frame, and gives one verdict per tunnel: symptom, cause,\n"
	      "the failing exchange (type, message ID, who asked), when, where a lost\n"
	      "message died, the evidence and an explanation. Works from logs alone,\n"
	      "captures alone, or both. The first log's host is the local end (the\n"
	      "vEdge); a log of another host is the peer's.\n"
	      "\n"
	      "  -r, --read CAP       capture (repeatable)\n"
	      "  -l, --log LOG        charon log: syslog, filelog, journalctl (short*, json),\n"
	      "                       plain or gzip, rotated files merged (repeatable);\n"
	      "                       its ike=4 key dumps decrypt the captures\n"
	      "  -k, --keys FILE      key file, as for dissect (repeatable)\n"
	      "      --peer ADDR      only the tunnel(s) with this peer address\n"
	      "      --around TIME    only 5 minutes either side of TIME (UTC,\n"
	      "                       YYYY-MM-DDTHH:MM:SS[Z])\n"
	      "      --log-year YEAR  year of log lines that carry none (syslog)\n"
	      "      --log-tz ZONE    zone of log lines that carry none (+02:00, UTC, ...);\n"
	      "                       without these the offset to the capture is estimated\n"
	      "      --json           \"log\", \"link\", \"finding\" and \"verdict\" objects\n"
	      "      --svg FILE       also draw the ladder diagram into FILE: the captured\n"
	      "                       messages, their log lines in each arrow's tooltip,\n"
	      "                       the verdicts as the caption\n"
	      "      --config FILE    the local end's tunnel config (vEdge, IOS XE, swanctl.conf,\n"
	      "                       ipsec.conf), then the peer's: a configuration cause is\n"
	      "                       explained with the lines to change on each end\n"
	      "  -h, --help           this help\n"
	      "\n"
	      "Exit status: 0 ran (whatever it found), 1 bad usage, 2 a file is missing,\n"
	      "unreadable or damaged. See ikescope(1).\n",
	      stdout);
}

static bool parse_time(const char *s, int64_t *us)
{
	int y, mo, d, h, mi, se, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6)
		return false;
	const char *rest = s + n;
	if (*rest == 'Z')
		rest++;
	if (*rest || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	struct tm tm = {0};
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*us = (int64_t)timegm(&tm) * 1000000;
	return true;
}

static bool parse_addr(const char *s, struct ike_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = 6;
		return true;
	}
	return false;
}

static int parse(int argc, char *argv[], struct corr_cli *o)
{
	static const struct option longs[] = {
		{"read", required_argument, NULL, 'r'},   {"log", required_argument, NULL, 'l'},
		{"keys", required_argument, NULL, 'k'},   {"peer", required_argument, NULL, 'p'},
		{"around", required_argument, NULL, 'a'}, {"log-year", required_argument, NULL, 'y'},
		{"log-tz", required_argument, NULL, 'z'}, {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},         {"svg", required_argument, NULL, 's'},
		{"config", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":r:l:k:h", longs, NULL)) != -1) {
		switch (c) {
		case 'r': o->in.caps[o->in.n_caps++] = optarg; break;
		case 'l': o->in.logs[o->in.n_logs++] = optarg; break;
		case 'k': o->in.keys[o->in.n_keys++] = optarg; break;
		case 'j': o->json = true; break;
		case 's': o->svg = optarg; break;
		case 'c':
			if (o->n_configs == 2)
				return ike_cli_usage_error(CMD, "--config at most twice: the local end's, then the peer's");
			o->configs[o->n_configs++] = optarg;
			break;
		case 'p':
			if (!parse_addr(optarg, &o->o.peer))
				return ike_cli_usage_error(CMD, "--peer: '%s' is not an IPv4 or IPv6 address", optarg);
			o->o.have_peer = true;
			break;
		case 'a':
			if (!parse_time(optarg, &o->o.around_us))
				return ike_cli_usage_error(CMD, "--around: '%s' is not YYYY-MM-DDTHH:MM:SS[Z]", optarg);
			o->o.have_around = true;
			break;
		case 'y': {
			char *end;
			long y = strtol(optarg, &end, 10);
			if (*end || y < 1970 || y > 9999)
				return ike_cli_usage_error(CMD, "--log-year: '%s' is not a year", optarg);
			o->o.log.year = (int)y;
			break;
		}
		case 'z':
			if (!ike_log_parse_tz(optarg, &o->o.log.tz_offset_sec))
				return ike_cli_usage_error(CMD, "--log-tz: '%s' is not a zone (+02:00, -0530, UTC)", optarg);
			o->o.log.tz_known = true;
			break;
		case 'h': help(); return IKE_EXIT_OK;
		default: return ike_cli_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return ike_cli_usage_error(CMD, "unexpected argument '%s' (files are given with -r and -l)", argv[optind]);
	if (o->in.n_caps == 0 && o->in.n_logs == 0)
		return ike_cli_usage_error(CMD, "nothing to correlate (-r CAP and/or -l LOG)");
	if (o->in.n_logs > IKE_LOG_MAX_FILES)
		return ike_cli_usage_error(CMD, "at most %d log files", IKE_LOG_MAX_FILES);
	if (o->in.n_caps > IKE_CORR_MAX_CAPTURES)
		return ike_cli_usage_error(CMD, "at most %d captures", IKE_CORR_MAX_CAPTURES);
	return -1;
}

static int read_capture(struct ike_corr *corr, const char *path, uint32_t idx, const struct ike_keyring *ring,
			struct ike_keycands *cands)
{
	struct ike_capture_opts copts = {0};
	int status;
	struct ike_capture *c = ike_cli_open_capture(path, idx, &copts, &status);
	if (!c)
		return status ? status : -1; /* -1: skipped (a link type we do not read) */
	struct ike_decoder *dec = ike_decoder_new();
	if (!dec) {
		ike_capture_close(c);
		fprintf(stderr, "ikescope: %s: out of memory\n", path);
		return IKE_EXIT_INPUT;
	}
	ike_decoder_set_keys(dec, ring);
	ike_decoder_set_candidates(dec, cands);
	static struct ike_msg m;
	struct ike_cap_event ev;
	enum ike_cap_kind k;
	int64_t end_us = 0;
	status = 0;
	while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF) {
		if (k == IKE_CAP_ERROR) {
			fprintf(stderr, "ikescope: %s\n", ev.error);
			status = IKE_EXIT_INPUT;
			break;
		}
		int64_t us = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
		if (us > end_us)
			end_us = us;
		if (k != IKE_CAP_MESSAGE || ike_decoder_decode(dec, &ev.at, ev.data, ev.len, &m) != IKE_OK)
			continue;
		if (ike_corr_add_msg(corr, &m) != IKE_OK) {
			fprintf(stderr, "ikescope: %s: out of memory while correlating\n", path);
			status = IKE_EXIT_INPUT;
			break;
		}
	}
	ike_corr_end_capture(corr, idx, end_us);
	ike_decoder_free(dec);
	ike_capture_close(c);
	return status;
}

static int read_logs(struct ike_corr *corr, const struct corr_cli *o)
{
	char err[512];
	struct ike_log *l = ike_log_open(o->in.logs, o->in.n_logs, &o->o.log, err, sizeof(err));
	if (!l) {
		fprintf(stderr, "ikescope: %s\n", err);
		return IKE_EXIT_INPUT;
	}
	const struct ike_log_event *ev;
	int status = 0;
	while ((ev = ike_log_next_ref(l)) != NULL)
		if (ike_corr_add_log(corr, ev) != IKE_OK) {
			fprintf(stderr, "ikescope: out of memory while reading the logs\n");
			status = IKE_EXIT_INPUT;
			break;
		}
	struct ike_log_stats st;
	ike_log_stats(l, &st);
	ike_corr_set_log_stats(corr, &st);
	if (st.read_errors)
		fprintf(stderr, "ikescope: warning: %llu read error(s) in the logs (a file ends early)\n",
			(unsigned long long)st.read_errors);
	ike_log_close(l);
	return status;
}

static int run(void *ctx)
{
	struct corr_cli *o = ctx;
	struct ike_corr *corr = ike_corr_new(&o->o);
	if (!corr) {
		fprintf(stderr, "ikescope: out of memory\n");
		return IKE_EXIT_INPUT;
	}
	int status = IKE_EXIT_OK;
	unsigned n_read = 0;
	for (unsigned i = 0; i < o->in.n_caps; i++) {
		int r = read_capture(corr, o->in.caps[i], i, o->in.ring, o->in.cands);
		if (r > 0)
			status = IKE_EXIT_INPUT;
		else if (r == 0)
			n_read++;
	}
	if (o->in.n_caps && !n_read && !o->in.n_logs)
		status = IKE_EXIT_INPUT; /* every capture was skipped or unreadable, and no log */
	if (o->in.n_logs && read_logs(corr, o) != 0)
		status = IKE_EXIT_INPUT;
	ike_corr_finish(corr);
	if (o->n_configs && ike_cli_config_explain(corr, o->configs, o->n_configs) != 0)
		status = IKE_EXIT_INPUT;
	const char **ln = calloc(o->in.n_logs + 1, sizeof(*ln)), **cn = calloc(o->in.n_caps + 1, sizeof(*cn));
	if (ln && cn) {
		for (unsigned i = 0; i < o->in.n_logs; i++)
			ln[i] = o->json ? o->in.logs[i] : ike_cli_base_name(o->in.logs[i]);
		for (unsigned i = 0; i < o->in.n_caps; i++)
			cn[i] = o->json ? o->in.caps[i] : ike_cli_base_name(o->in.caps[i]);
	}
	struct ike_corr_names names = {ln, ln ? o->in.n_logs : 0, cn, cn ? o->in.n_caps : 0};
	if (o->json)
		ike_out_json_correlate(stdout, corr, &names);
	else
		ike_out_text_correlate(stdout, corr, &names);
	if (o->svg && ike_cli_svg_correlate(o->svg, corr, &names) != 0)
		status = IKE_EXIT_INPUT;
	free(ln);
	free(cn);
	ike_corr_free(corr);
	return status;
}

int ike_cli_correlate(int argc, char *argv[])
{
	struct corr_cli o = {0};
	int status = ike_cli_inputs_init(&o.in, argc);
	if (status < 0)
		status = parse(argc, argv, &o);
	/* the logs' key dumps only serve to decrypt captures */
	if (status < 0)
		status = ike_cli_inputs_load_keys(&o.in, o.in.n_caps > 0);
	if (status < 0)
		status = ike_cli_buffered(run, &o);
	ike_cli_inputs_free(&o.in);
	return status;
}
