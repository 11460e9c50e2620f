/*
 * The ikescope binary as scripts see it: exit status 0 / 1 / 2, usage
 * messages, help, what is printed before damage stops a file, link types
 * that are skipped. Captures are written here byte by byte (pcap format,
 * Ethernet, IPv4, UDP), so each case says exactly what the file holds.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ikebuild.h"

static char bin[PATH_MAX];
static char dir[] = "/tmp/ikescope-cli-XXXXXX";
static char out[65536], err[8192];

/* The binary sits at src/cli/ikescope in the build tree, two levels above this test. */
static void setup(void)
{
	char self[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	cr_assert_gt(n, 0);
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	cr_assert_not_null(slash);
	*slash = '\0';
	snprintf(bin, sizeof(bin), "%s/../../src/cli/ikescope", self);
	cr_assert_eq(access(bin, X_OK), 0, "no binary at %s", bin);
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(cli, .init = setup, .fini = teardown);

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, cap - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Runs "ikescope ARGS" (ARGS is shell text, paths relative to the temp dir);
 * returns the exit status and fills out/err. */
static int run(const char *args)
{
	static char cmd[2 * PATH_MAX + 4096];
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s >stdout.txt 2>stderr.txt", dir, bin, args);
	int st = system(cmd);
	cr_assert(WIFEXITED(st), "%s did not exit", cmd);
	char p[sizeof(dir) + 16];
	snprintf(p, sizeof(p), "%s/stdout.txt", dir);
	slurp(p, out, sizeof(out));
	snprintf(p, sizeof(p), "%s/stderr.txt", dir);
	slurp(p, err, sizeof(err));
	return WEXITSTATUS(st);
}

/* ---- writing captures -------------------------------------------------- */

struct pcapw {
	FILE *f;
	uint32_t sec;
};

static void le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	fwrite(b, 1, 4, f);
}

static void le16(FILE *f, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	fwrite(b, 1, 2, f);
}

static void pcap_open(struct pcapw *w, const char *name, uint32_t linktype)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	w->f = fopen(p, "wb");
	cr_assert_not_null(w->f);
	w->sec = 1781742682; /* 2026-06-18 00:31:22 UTC */
	le32(w->f, 0xa1b2c3d4);
	le16(w->f, 2);
	le16(w->f, 4);
	le32(w->f, 0);
	le32(w->f, 0);
	le32(w->f, 65535);
	le32(w->f, linktype);
}

static void pcap_record(struct pcapw *w, const uint8_t *p, size_t n)
{
	le32(w->f, w->sec++);
	le32(w->f, 123456);
	le32(w->f, (uint32_t)n);
	le32(w->f, (uint32_t)n);
	fwrite(p, 1, n, w->f);
}

/* Ethernet / IPv4 / UDP from 192.0.2.1 to 203.0.113.1. */
static void pcap_udp(struct pcapw *w, uint16_t sport, uint16_t dport, const uint8_t *pl, size_t n)
{
	static uint8_t b[9000];
	size_t o = 0;
	memset(b, 0x02, 12);
	b[12] = 0x08;
	b[13] = 0x00;
	o = 14;
	size_t ip_len = 20 + 8 + n;
	uint8_t ip[20] = {0x45, 0, (uint8_t)(ip_len >> 8), (uint8_t)ip_len, 0, 1, 0x40, 0, 64, 17, 0, 0,
			  192, 0, 2, 1, 203, 0, 113, 1};
	uint32_t sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8);
	ip[11] = (uint8_t)~sum;
	memcpy(b + o, ip, 20);
	o += 20;
	uint8_t udp[8] = {(uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8), (uint8_t)dport,
			  (uint8_t)((8 + n) >> 8), (uint8_t)(8 + n), 0, 0};
	memcpy(b + o, udp, 8);
	o += 8;
	memcpy(b + o, pl, n);
	pcap_record(w, b, o + n);
}

/* IKE_SA_INIT request and response on 500, a keepalive on 4500. */
static void write_healthy(const char *name)
{
	struct pcapw w;
	struct ikeb m;
	pcap_open(&w, name, 1);
	ikeb_sa_init(&m, 0x1a2b3c4d5e6f7081ull, 0, 0);
	pcap_udp(&w, 500, 500, m.b, m.len);
	ikeb_sa_init(&m, 0x1a2b3c4d5e6f7081ull, 0x99, 1);
	pcap_udp(&w, 500, 500, m.b, m.len);
	const uint8_t ka = 0xff;
	pcap_udp(&w, 4500, 4500, &ka, 1);
	fclose(w.f);
}

#define LINE1 "    1 2026-06-18 00:31:22.123456 192.0.2.1[500] -> 203.0.113.1[500] " \
	      "0x1a2b3c4d5e6f7081/0x0000000000000000 IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]\n"

/* ---- help and usage ---------------------------------------------------- */

Test(cli, help_and_version)
{
	cr_expect_eq(run("--help"), 0);
	cr_expect(strstr(out, "Usage: ikescope COMMAND") != NULL, "%s", out);
	cr_expect(strstr(out, "  dissect ") != NULL, "%s", out);
	cr_expect_eq(run("--version"), 0);
	cr_expect_str_eq(out, "ikescope " IKESCOPE_VERSION "\n");
	cr_expect_eq(run("dissect --help"), 0);
	cr_expect(strncmp(out, "Usage: ikescope dissect -r CAP", 30) == 0, "%s", out);
	cr_expect(strstr(out, "UTC") != NULL);
	cr_expect_eq(run("help dissect"), 0);
	cr_expect(strncmp(out, "Usage: ikescope dissect", 23) == 0, "%s", out);
	cr_expect_str_eq(err, "");
}

static void expect_usage(const char *args, const char *msg)
{
	write_healthy("ok.pcap");
	cr_expect_eq(run(args), 1, "ikescope %s", args);
	cr_expect(strstr(err, msg) != NULL, "ikescope %s: %s", args, err);
	cr_expect(strstr(err, "Try 'ikescope") != NULL, "ikescope %s: %s", args, err);
	cr_expect_str_eq(out, "", "ikescope %s printed %s", args, out);
}

Test(cli, bad_usage_exits_1)
{
	cr_expect_eq(run(""), 1);
	expect_usage("frobnicate", "'frobnicate' is not an ikescope command");
	expect_usage("--frob", "unknown option '--frob'");
	expect_usage("dissect", "no capture given");
	expect_usage("dissect -r", "needs an argument");
	expect_usage("dissect -x -r ok.pcap", "unknown option '-x'");
	expect_usage("dissect --frob=x -r ok.pcap", "unknown option '--frob=x'");
	expect_usage("dissect -r ok.pcap --read", "option '--read' needs an argument");
	expect_usage("dissect --port 0 -r ok.pcap", "not a port number");
	expect_usage("dissect --port 65536 -r ok.pcap", "not a port number");
	expect_usage("dissect --port 5x -r ok.pcap", "not a port number");
	expect_usage("dissect -r ok.pcap ok.pcap", "unexpected argument 'ok.pcap'");
	expect_usage("dissect -r ok.pcap --port 1 --port 2 --port 3 --port 4 --port 5 --port 6 --port 7 --port 8 "
		     "--port 9",
		     "at most 8 --port");
	cr_expect(strstr(err, "Try 'ikescope dissect --help'.") != NULL, "%s", err);
}

/* ---- reading ----------------------------------------------------------- */

Test(cli, text_lines_and_keepalive)
{
	write_healthy("ok.pcap");
	cr_expect_eq(run("dissect -r ok.pcap"), 0);
	cr_expect(strncmp(out, LINE1, strlen(LINE1)) == 0, "%s", out);
	cr_expect(strstr(out, "    3 2026-06-18 00:31:24.123456 192.0.2.1[4500] -> 203.0.113.1[4500] NAT-keepalive\n"),
		  "%s", out);
	cr_expect_str_eq(err, "");
	cr_expect_eq(run("dissect --read=ok.pcap --port 7500 --port=600"), 0);
	cr_expect(strncmp(out, LINE1, strlen(LINE1)) == 0, "%s", out);
}

Test(cli, several_files_are_prefixed)
{
	write_healthy("a.pcap");
	write_healthy("b.pcap");
	cr_expect_eq(run("dissect -r a.pcap -r ./b.pcap"), 0);
	cr_expect(strncmp(out, "a.pcap:1 2026-06-18 00:31:22.123456 192.0.2.1[500]", 50) == 0, "%s", out);
	cr_expect(strstr(out, "\nb.pcap:1 2026-06-18 ") != NULL, "%s", out);
	cr_expect(strstr(out, "\nb.pcap:3 ") != NULL, "%s", out);
}

Test(cli, verbose_tree_and_footer)
{
	write_healthy("ok.pcap");
	cr_expect_eq(run("dissect -V -r ok.pcap"), 0);
	cr_expect(strstr(out, "\n      payloads:\n        - type: SA\n") != NULL, "%s", out);
	cr_expect(strstr(out, "== ok.pcap: 3 frames, 2 IKE messages, 1 NAT-keepalives, 0 ESP packets, 0 other frames; "
			      "anomalies: 0 in frames, 0 in IKE messages\n") != NULL,
		  "%s", out);
}

Test(cli, json_lines)
{
	write_healthy("ok.pcap");
	cr_expect_eq(run("dissect --json -V -r ok.pcap"), 0);
	const char *l2 = strchr(out, '\n');
	cr_assert_not_null(l2);
	const char *l3 = strchr(l2 + 1, '\n');
	cr_assert_not_null(l3);
	cr_expect(strncmp(out, "{\"v\":1,\"type\":\"msg\",\"file\":\"ok.pcap\",\"frame\":1,", 47) == 0, "%s", out);
	cr_expect(strncmp(l2 + 1, "{\"v\":1,\"type\":\"msg\",\"file\":\"ok.pcap\",\"frame\":2,", 47) == 0, "%s", out);
	cr_expect_str_eq(l3 + 1, "{\"v\":1,\"type\":\"keepalive\",\"file\":\"ok.pcap\",\"frame\":3,"
				 "\"ts\":\"2026-06-18T00:31:24.123456Z\",\"src\":\"192.0.2.1\",\"sport\":4500,"
				 "\"dst\":\"203.0.113.1\",\"dport\":4500}\n");
	cr_expect_null(strstr(out, "== "), "no text footer in JSON");
}

Test(cli, short_datagram_is_a_frame_anomaly)
{
	struct pcapw w;
	pcap_open(&w, "short.pcap", 1);
	const uint8_t junk[12] = {1, 2, 3};
	pcap_udp(&w, 500, 500, junk, sizeof(junk));
	fclose(w.f);
	cr_expect_eq(run("dissect -r short.pcap"), 0);
	cr_expect_str_eq(out, "    1 2026-06-18 00:31:22.123456 192.0.2.1[500] -> 203.0.113.1[500] "
			      "!truncated: 12 bytes, shorter than the 28-byte IKE header (offset 0)\n");
	cr_expect_eq(run("dissect --json -r short.pcap"), 0);
	cr_expect(strstr(out, "\"type\":\"anomaly\"") != NULL && strstr(out, "\"kind\":\"truncated\""), "%s", out);
}

/* ---- damaged and unreadable input -------------------------------------- */

Test(cli, missing_file_exits_2)
{
	write_healthy("ok.pcap");
	cr_expect_eq(run("dissect -r nothere.pcap"), 2);
	cr_expect(strncmp(err, "ikescope: nothere.pcap: ", 24) == 0, "%s", err);
	cr_expect_str_eq(out, "");
	/* The other files are still read. */
	cr_expect_eq(run("dissect -r nothere.pcap -r ok.pcap"), 2);
	cr_expect(strstr(out, "ok.pcap:1 ") != NULL, "%s", out);
}

Test(cli, missing_key_file_exits_2)
{
	write_healthy("ok.pcap");
	cr_expect_eq(run("dissect -k nokeys.txt -r ok.pcap"), 2);
	cr_expect(strncmp(err, "ikescope: nokeys.txt", 20) == 0, "%s", err);
	cr_expect_str_eq(out, "");
}

Test(cli, truncated_record_prints_what_came_before)
{
	write_healthy("ok.pcap");
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/ok.pcap", dir);
	FILE *f = fopen(p, "rb");
	cr_assert_not_null(f);
	static uint8_t b[8192];
	size_t n = fread(b, 1, sizeof(b), f);
	fclose(f);
	/* Cut into the second record's data. */
	size_t first = 24 + 16 + 14 + 28 + 432;
	snprintf(p, sizeof(p), "%s/cut.pcap", dir);
	f = fopen(p, "wb");
	cr_assert_not_null(f);
	cr_assert_gt(n, first + 100);
	fwrite(b, 1, first + 100, f);
	fclose(f);

	cr_expect_eq(run("dissect -r cut.pcap"), 2);
	cr_expect_str_eq(out, LINE1);
	cr_expect(strncmp(err, "ikescope: cut.pcap: ", 20) == 0, "%s", err);
	cr_expect(strstr(err, "byte offset") != NULL, "%s", err);
	cr_expect_eq(strchr(err, '\n'), err + strlen(err) - 1, "one line: %s", err);
}

Test(cli, not_a_capture_exits_2)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/text.pcap", dir);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs("this is not a capture file\n", f);
	fclose(f);
	cr_expect_eq(run("dissect -r text.pcap"), 2);
	cr_expect(strncmp(err, "ikescope: text.pcap: ", 21) == 0, "%s", err);
}

Test(cli, unsupported_link_type_is_skipped)
{
	struct pcapw w;
	pcap_open(&w, "usb.pcap", 189); /* USB Linux */
	const uint8_t frame[16] = {0};
	pcap_record(&w, frame, sizeof(frame));
	fclose(w.f);
	write_healthy("ok.pcap");

	cr_expect_eq(run("dissect -r usb.pcap"), 2); /* nothing at all could be read */
	cr_expect(strstr(err, "warning") != NULL && strstr(err, "usb.pcap") != NULL && strstr(err, "189"), "%s", err);
	cr_expect_eq(run("dissect -r usb.pcap -r ok.pcap"), 0);
	cr_expect(strstr(err, "usb.pcap") != NULL, "%s", err);
	cr_expect(strstr(out, "ok.pcap:1 ") != NULL, "%s", out);
}
