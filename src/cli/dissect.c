/*
 * dissect.c — `ikescope dissect`: every IKE message of every -r capture, in
 * capture order, as text lines (-V: with the payload tree) or JSON lines.
 * Output is streamed through one large stdout buffer; what was read before a
 * damaged record is printed before the error that stops the file.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/relay.h"
#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"
#include "ikescope/output.h"

#define CMD "dissect"

struct dissect_opts {
	struct ike_cli_inputs in; /* -r captures, -k key files, -l charon logs (ike=4 key dumps) */
	bool verbose, json;
	struct ike_capture_opts cap;
};

/* What one file produced, for the -V footer. */
struct file_counts {
	uint64_t msg_anomalies;
	uint64_t undecodable; /* datagrams too short for an IKE header */
};

static void help(void)
{
	fputs("Usage: ikescope dissect -r CAP [-r CAP]... [-k KEYS]... [-l LOG]...\n"
	      "                        [-V] [--json] [--port N]...\n"
	      "\n"
	      "Prints every IKE message in the captures: one line each with the frame,\n"
	      "the time (UTC), addr[port] -> addr[port], the SPIs and charon's summary,\n"
	      "followed by one indented \"!kind: detail (offset N)\" line per anomaly.\n"
	      "NAT-keepalives and frame-level anomalies get a line of their own.\n"
	      "\n"
	      "  -r, --read CAP  capture to read (pcap or pcapng); repeat for several,\n"
	      "                  lines are then prefixed with the file name, as file:frame\n"
	      "  -k, --keys FILE key file: Wireshark ikev2_decryption_table rows (as\n"
	      "                  strongSwan's save-keys writes them) or tcpdump/libreswan\n"
	      "                  \"ikev2 I|R ...\" lines; repeat for several. Encrypted\n"
	      "                  payloads are then verified (ICV) and decrypted, and\n"
	      "                  the summary lists the inner payloads as charon logs them\n"
	      "  -l, --log LOG   charon log with ike=4 key dumps: its keys are matched to\n"
	      "                  the IKE SAs whose messages they verify, then used as -k\n"
	      "  -V, --verbose   the full header and payload tree below each message, and\n"
	      "                  after each file a summary (frames, IKE messages,\n"
	      "                  keepalives, ESP packets per SPI, anomalies)\n"
	      "      --json      one JSON object per line (\"msg\", \"keepalive\", \"anomaly\")\n"
	      "                  instead of text; -V adds nothing to it\n"
	      "      --port N    also read IKE on UDP and TCP port N, like port 500\n"
	      "                  (500 and 4500 always are); up to 8 times\n"
	      "  -h, --help      this help\n"
	      "\n"
	      "Exit status: 0 the captures were read (anomalies do not change it), 1 bad\n"
	      "usage, 2 a capture is missing, unreadable or damaged (what was read before\n"
	      "the damage is printed first). See ikescope(1).\n",
	      stdout);
}

static int parse_port(const char *s, uint16_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || s[0] == '+' || v == 0 || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/* Returns -1 when the command should go on, or the exit status. */
static int parse(int argc, char *argv[], struct dissect_opts *o)
{
	static const struct option longs[] = {
		{"read", required_argument, NULL, 'r'},
		{"keys", required_argument, NULL, 'k'},
		{"log", required_argument, NULL, 'l'},
		{"verbose", no_argument, NULL, 'V'},
		{"json", no_argument, NULL, 'j'},
		{"port", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":r:k:l:Vh", longs, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->in.caps[o->in.n_caps++] = optarg;
			break;
		case 'k':
			o->in.keys[o->in.n_keys++] = optarg;
			break;
		case 'l':
			o->in.logs[o->in.n_logs++] = optarg;
			break;
		case 'V':
			o->verbose = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'p':
			if (o->cap.n_extra_ports == IKE_CAP_MAX_PORTS)
				return ike_cli_usage_error(CMD, "at most %d --port options", IKE_CAP_MAX_PORTS);
			if (parse_port(optarg, &o->cap.extra_ports[o->cap.n_extra_ports]) != 0)
				return ike_cli_usage_error(CMD, "--port '%s' is not a port number (1-65535)", optarg);
			o->cap.n_extra_ports++;
			break;
		case 'h':
			help();
			return IKE_EXIT_OK;
		default:
			return ike_cli_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return ike_cli_usage_error(CMD, "unexpected argument '%s' (captures are given with -r)", argv[optind]);
	if (o->in.n_caps == 0)
		return ike_cli_usage_error(CMD, "no capture given (-r CAP)");
	return -1;
}

static void footer(const struct ike_capture *c, const char *path, const struct file_counts *fc)
{
	struct ike_capture_stats st;
	char src[64], dst[64];
	ike_capture_stats(c, &st);
	printf("== %s: %" PRIu64 " frames, %" PRIu64 " IKE messages, %" PRIu64 " NAT-keepalives, %" PRIu64
	       " ESP packets, %" PRIu64 " other frames; anomalies: %" PRIu64 " in frames, %" PRIu64
	       " in IKE messages\n",
	       path, st.frames, st.ike_messages, st.keepalives, st.esp_packets, st.other, st.anomalies,
	       fc->msg_anomalies);
	if (fc->undecodable)
		printf("   %" PRIu64 " datagrams too short for an IKE header\n", fc->undecodable);
	for (size_t i = 0; i < st.n_esp; i++) {
		const struct ike_esp_count *e = &st.esp[i];
		printf("   ESP %s -> %s SPI 0x%08" PRIx32 ": %" PRIu64 " packets\n",
		       ike_addr_str(&e->src, src, sizeof(src)), ike_addr_str(&e->dst, dst, sizeof(dst)), e->spi,
		       e->packets);
	}
	if (st.esp_truncated)
		printf("   (more ESP SPIs than are counted one by one)\n");
	putchar('\n');
}

/* A datagram the decoder could not take as a message is shown as a
 * frame-level anomaly, so it is not silently lost. */
static void undecodable(const struct dissect_opts *o, const struct ike_cap_event *ev, const struct ike_msg *m,
			enum ike_err rc, const char *label)
{
	static struct ike_cap_event a; /* large; one at a time */
	memset(&a, 0, sizeof(a));
	a.kind = IKE_CAP_ANOMALY;
	a.at = ev->at;
	if (m->n_anomalies) {
		a.anomaly = m->anomalies[0];
	} else {
		a.anomaly.kind = IKE_AN_LIMIT;
		snprintf(a.anomaly.detail, sizeof(a.anomaly.detail), "IKE message of %zu bytes not decoded: %s",
			 ev->len, ike_err_str(rc));
	}
	if (o->json)
		ike_out_json_event(stdout, &a, label);
	else
		ike_out_text_event(stdout, &a, label);
}

/* One thing to print, made by the decoding stage (relay.h). A message's
 * model borrows the decoder's arena, which keeps IKE_RELAY_DEPTH + 1 of them. */
enum item_kind {
	IT_MSG,
	IT_UNDECODABLE,
	IT_EVENT,
	IT_LATE, /* a message whose encrypted fragments never all came: its anomaly */
	IT_ERROR,
};

struct item {
	enum item_kind kind;
	enum ike_err rc;         /* IT_UNDECODABLE */
	struct ike_msg m;        /* IT_MSG, IT_UNDECODABLE */
	struct ike_cap_event ev; /* all but IT_MSG; its data is not kept */
};

struct dissect_run {
	const struct dissect_opts *o;
	const char *label;
	struct ike_capture *c;
	struct ike_decoder *dec;
	/* the printing stage's */
	struct file_counts fc;
	int status;
};

/* Decoding stage: the capture's events and messages, then the fragment
 * sets that never completed. */
static void produce(void *ctx, struct ike_relay *r)
{
	struct dissect_run *run = ctx;
	struct ike_cap_event ev;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(run->c, &ev)) != IKE_CAP_EOF) {
		struct item *it = ike_relay_slot(r);
		if (k == IKE_CAP_MESSAGE) {
			it->rc = ike_decoder_decode(run->dec, &ev.at, ev.data, ev.len, &it->m);
			it->kind = it->rc == IKE_OK ? IT_MSG : IT_UNDECODABLE;
			if (it->kind == IT_UNDECODABLE)
				it->ev = ev;
		} else {
			it->kind = k == IKE_CAP_ERROR ? IT_ERROR : IT_EVENT;
			it->ev = ev;
		}
		it->ev.data = NULL; /* the capture's, valid only until its next event */
		ike_relay_put(r);
		if (k == IKE_CAP_ERROR)
			return;
	}
	for (;;) {
		struct item *it = ike_relay_slot(r);
		memset(&it->ev, 0, sizeof(it->ev));
		it->ev.kind = IKE_CAP_ANOMALY;
		if (!ike_decoder_flush(run->dec, &it->ev.at, &it->ev.anomaly))
			break;
		it->kind = IT_LATE;
		ike_relay_put(r);
	}
}

/* Printing stage. */
static void consume(void *ctx, void *item)
{
	struct dissect_run *run = ctx;
	const struct dissect_opts *o = run->o;
	struct item *it = item;
	switch (it->kind) {
	case IT_MSG:
		run->fc.msg_anomalies += it->m.n_anomalies + it->m.n_anomalies_dropped;
		if (o->json)
			ike_out_json_msg(stdout, &it->m, run->label);
		else
			ike_out_text_msg(stdout, &it->m, run->label, o->verbose);
		break;
	case IT_UNDECODABLE:
		run->fc.undecodable++;
		undecodable(o, &it->ev, &it->m, it->rc, run->label);
		break;
	case IT_ERROR:
		fflush(stdout);
		fprintf(stderr, "ikescope: %s\n", it->ev.error);
		run->status = IKE_EXIT_INPUT;
		break;
	case IT_LATE:
		run->fc.msg_anomalies++;
		/* fall through */
	case IT_EVENT:
		if (o->json)
			ike_out_json_event(stdout, &it->ev, run->label);
		else
			ike_out_text_event(stdout, &it->ev, run->label);
		break;
	}
}

/* Reads one capture to its end. Returns 0, or IKE_EXIT_INPUT when the file
 * could not be opened or read to its end; *opened tells whether it was. */
static int dissect_file(const struct dissect_opts *o, uint32_t idx, bool *opened)
{
	const char *path = o->in.caps[idx];
	/* JSON names the file as given; text names it only when there are several. */
	struct dissect_run run = {
		.o = o,
		.label = o->json ? path : o->in.n_caps > 1 ? ike_cli_base_name(path) : NULL,
	};
	int open_status;
	*opened = false;

	run.c = ike_cli_open_capture(path, idx, &o->cap, &open_status);
	if (!run.c)
		return open_status;
	struct ike_relay_stages st = {
		.ctx = &run, .item_size = sizeof(struct item), .produce = produce, .consume = consume,
	};
	run.dec = ike_decoder_new();
	if (run.dec) {
		ike_decoder_set_keys(run.dec, o->in.ring);
		ike_decoder_set_candidates(run.dec, o->in.cands);
		/* Decoding and printing overlap on two cores; the decoder then
		 * keeps every message the printer has not reached (without the
		 * memory for that, one thread does both). */
		st.single = !ike_relay_threaded() || ike_decoder_keep(run.dec, IKE_RELAY_DEPTH + 1) != 0;
	}
	if (!run.dec || ike_relay_run(&st) != 0) {
		ike_decoder_free(run.dec);
		ike_capture_close(run.c);
		fflush(stdout);
		fprintf(stderr, "ikescope: %s: out of memory\n", path);
		return IKE_EXIT_INPUT;
	}
	*opened = true;
	if (o->verbose && !o->json)
		footer(run.c, path, &run.fc);
	ike_decoder_free(run.dec);
	ike_capture_close(run.c);
	return run.status;
}

static int dissect_all(void *ctx)
{
	struct dissect_opts *o = ctx;
	int status = IKE_EXIT_OK;
	unsigned n_read = 0;
	for (unsigned i = 0; i < o->in.n_caps; i++) {
		bool opened;
		if (dissect_file(o, i, &opened) != 0)
			status = IKE_EXIT_INPUT;
		if (opened)
			n_read++;
	}
	if (n_read == 0)
		status = IKE_EXIT_INPUT; /* every file was missing, unreadable or of a link type we skip */
	return status;
}

int ike_cli_dissect(int argc, char *argv[])
{
	struct dissect_opts o = {0};
	int status = ike_cli_inputs_init(&o.in, argc);
	if (status < 0)
		status = parse(argc, argv, &o);
	if (status < 0)
		status = ike_cli_inputs_load_keys(&o.in, true);
	if (status < 0)
		status = ike_cli_buffered(dissect_all, &o);
	ike_cli_inputs_free(&o.in);
	return status;
}
