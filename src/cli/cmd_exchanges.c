/*
 * cmd_exchanges.c — `ikescope exchanges`: every capture through the decoder
 * (with the -k keys) into its own tracker (one file is one vantage point),
 * then per IKE SA a header and its exchanges, as text or JSON lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"
#include "ikescope/ladder.h"
#include "ikescope/track.h"

#define CMD "exchanges"

struct exch_opts {
	struct ike_cli_inputs in; /* -r captures, -k key files, -l charon logs (ike=4 key dumps) */
	bool json;
	const char *svg; /* --svg FILE: the ladder diagram */
	struct ike_ladder_feed *feed;  /* with --svg: every message, for the drawing */
	struct ike_tracker **kept;     /* with --svg: every capture's finished tracker */
	const char **names;            /* with --svg: the lifelines' labels, lent to the feed */
};

static void help(void)
{
	fputs("Usage: ikescope exchanges -r CAP [-r CAP]... [-k KEYS]... [-l LOG]... [--json] [--svg FILE]\n"
	      "\n"
	      "Pairs every IKE request with its response and follows each IKE SA from\n"
	      "its IKE_SA_INIT to its end. Per IKE SA: the peers, SPIs, proposal, when\n"
	      "it was established, how and when it ended, the SA it follows (rekey,\n"
	      "COOKIE or INVALID_KE_PAYLOAD restart), then one line per exchange: time,\n"
	      "who asked (initiator or responder of the IKE SA), kind, message ID,\n"
	      "transmissions, outcome and round-trip time. A retransmitted request gets\n"
	      "a line with the schedule fitted to its gaps (timeout x base^n) compared\n"
	      "with strongSwan's. Without keys the kind of an encrypted exchange is\n"
	      "inferred from sizes and timing and marked with '~'. Memory stays within\n"
	      "24 MB per capture: in a long capture, IKE SAs over for 10 minutes are\n"
	      "printed then, in the order they ended (not with --svg).\n"
	      "\n"
	      "  -r, --read CAP  capture to read; each file is tracked on its own\n"
	      "  -k, --keys FILE Wireshark ikev2_decryption_table or tcpdump/libreswan\n"
	      "                  key lines; repeat for several\n"
	      "  -l, --log LOG   charon log with ike=4 key dumps: its keys are matched to\n"
	      "                  the IKE SAs whose messages they verify, then used as -k\n"
	      "      --json      one \"ike_sa\" object per IKE SA, each followed by its\n"
	      "                  \"exchange\" objects, one per line\n"
	      "      --svg FILE  also draw the ladder diagram into FILE: one lifeline per\n"
	      "                  capture (local, ISP tap, peer: give them in that order),\n"
	      "                  or per endpoint with one capture; one arrow per\n"
	      "                  transmission, retransmissions dashed, errors red, a lost\n"
	      "                  one ending in a cross where it vanished\n"
	      "  -h, --help      this help\n"
	      "\n"
	      "Exit status: 0 the captures were read, 1 bad usage, 2 a capture or key\n"
	      "file is missing, unreadable or damaged. See ikescope(1).\n",
	      stdout);
}

static int parse(int argc, char *argv[], struct exch_opts *o)
{
	static const struct option longs[] = {
		{"read", required_argument, NULL, 'r'},
		{"keys", required_argument, NULL, 'k'},
		{"log", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{"svg", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":r:k:l:h", longs, NULL)) != -1) {
		switch (c) {
		case 'r': o->in.caps[o->in.n_caps++] = optarg; break;
		case 'k': o->in.keys[o->in.n_keys++] = optarg; break;
		case 'l': o->in.logs[o->in.n_logs++] = optarg; break;
		case 'j': o->json = true; break;
		case 's': o->svg = optarg; break;
		case 'h': help(); return IKE_EXIT_OK;
		default: return ike_cli_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return ike_cli_usage_error(CMD, "unexpected argument '%s' (captures are given with -r)", argv[optind]);
	if (o->in.n_caps == 0)
		return ike_cli_usage_error(CMD, "no capture given (-r CAP)");
	return -1;
}

/* Tracks one capture and prints it. Returns 0 or IKE_EXIT_INPUT. Without
 * --svg the tracker streams: each IKE SA is printed once it is over, so
 * memory stays within the tracker's budget however long the capture. With a
 * feed (--svg) the drawing needs every record: the messages go into the feed
 * too, and the finished tracker is kept in o->kept[idx] instead of freed. */
static int track_file(const struct exch_opts *o, uint32_t idx, bool *opened)
{
	struct ike_ladder_feed *feed = o->feed;
	const char *path = o->in.caps[idx];
	const char *label = o->json ? path : o->in.n_caps > 1 ? ike_cli_base_name(path) : NULL;
	struct ike_capture_opts copts = {0};
	int open_status;
	*opened = false;
	struct ike_capture *c = ike_cli_open_capture(path, idx, &copts, &open_status);
	if (!c)
		return open_status;
	struct ike_decoder *dec = ike_decoder_new();
	struct ike_out_track_stream out = {.f = stdout, .file_name = label, .json = o->json};
	struct ike_tracker_opts topts = {.sink = ike_out_track_sa, .sink_ctx = &out};
	struct ike_tracker *t = ike_tracker_new(feed ? NULL : &topts);
	if (!dec || !t) {
		ike_decoder_free(dec);
		ike_tracker_free(t);
		ike_capture_close(c);
		fflush(stdout);
		fprintf(stderr, "ikescope: %s: out of memory\n", path);
		return IKE_EXIT_INPUT;
	}
	*opened = true;
	ike_decoder_set_keys(dec, o->in.ring);
	ike_decoder_set_candidates(dec, o->in.cands);

	static struct ike_msg m; /* large; reused for every message */
	struct ike_cap_event ev;
	int status = 0;
	int64_t end_us = 0;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF) {
		if (k == IKE_CAP_ERROR) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s\n", ev.error);
			status = IKE_EXIT_INPUT;
			break;
		}
		int64_t us = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
		if (us > end_us)
			end_us = us;
		if (k != IKE_CAP_MESSAGE || ike_decoder_decode(dec, &ev.at, ev.data, ev.len, &m) != IKE_OK)
			continue;
		if (ike_tracker_add(t, &m) != IKE_OK) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s: out of memory while tracking\n", path);
			status = IKE_EXIT_INPUT;
			break;
		}
		if (feed && ike_ladder_feed_add(feed, &m) == IKE_E_NOMEM) {
			fflush(stdout);
			fprintf(stderr, "ikescope: %s: out of memory while keeping messages for --svg\n", path);
			status = IKE_EXIT_INPUT;
			break;
		}
	}
	ike_tracker_finish(t, end_us);
	if (feed)
		(o->json ? ike_out_json_track : ike_out_text_track)(stdout, t, label);
	else
		ike_out_track_end(&out, t);
	if (o->kept)
		o->kept[idx] = t;
	else
		ike_tracker_free(t);
	ike_decoder_free(dec);
	ike_capture_close(c);
	return status;
}

/* Draws the ladder of every capture into o->svg. Returns 0 or IKE_EXIT_INPUT. */
static int write_svg(const struct exch_opts *o)
{
	const struct ike_tracker *const *trackers = (const struct ike_tracker *const *)o->kept;
	struct ike_ladder *l = ike_ladder_new(NULL);
	if (!l || ike_ladder_from_feed(l, o->feed, trackers) != IKE_OK) {
		ike_ladder_free(l);
		fprintf(stderr, "ikescope: %s: out of memory while drawing\n", o->svg);
		return IKE_EXIT_INPUT;
	}
	int status = ike_cli_write_ladder(o->svg, l);
	ike_ladder_free(l);
	return status;
}

static int track_all(void *ctx)
{
	struct exch_opts *o = ctx;
	int status = IKE_EXIT_OK;
	unsigned n_read = 0;
	for (unsigned i = 0; i < o->in.n_caps; i++) {
		bool opened;
		if (track_file(o, i, &opened) != 0)
			status = IKE_EXIT_INPUT;
		n_read += opened;
	}
	if (o->feed && n_read > 0 && write_svg(o) != 0)
		status = IKE_EXIT_INPUT;
	if (n_read == 0)
		status = IKE_EXIT_INPUT; /* every file was missing, unreadable or of a link type we skip */
	return status;
}

/* --svg: a feed for every message and room for each capture's tracker. */
static int svg_setup(struct exch_opts *o)
{
	o->names = calloc(o->in.n_caps, sizeof(*o->names));
	o->kept = calloc(o->in.n_caps, sizeof(*o->kept));
	for (unsigned i = 0; o->names && i < o->in.n_caps; i++)
		o->names[i] = ike_cli_base_name(o->in.caps[i]);
	o->feed = o->kept && o->names ? ike_ladder_feed_new(o->in.n_caps, o->names, 0) : NULL;
	if (o->feed)
		return -1;
	fprintf(stderr, "ikescope: out of memory\n");
	return IKE_EXIT_INPUT;
}

int ike_cli_exchanges(int argc, char *argv[])
{
	struct exch_opts o = {0};
	int status = ike_cli_inputs_init(&o.in, argc);
	if (status < 0)
		status = parse(argc, argv, &o);
	if (status < 0)
		status = ike_cli_inputs_load_keys(&o.in, true);
	if (status < 0 && o.svg)
		status = svg_setup(&o);
	if (status < 0)
		status = ike_cli_buffered(track_all, &o);
	for (unsigned i = 0; o.kept && i < o.in.n_caps; i++)
		ike_tracker_free(o.kept[i]);
	free(o.kept);
	ike_ladder_feed_free(o.feed);
	free(o.names);
	ike_cli_inputs_free(&o.in);
	return status;
}
