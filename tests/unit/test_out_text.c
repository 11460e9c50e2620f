/*
 * Text output: the one-line format (frame, UTC time, charon's addr[port],
 * SPIs, summary), anomaly lines, keepalive and frame-anomaly lines, the -V
 * tree's layout, and escaping of text taken from packets.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ikebuild.h"
#include "ikescope/output.h"
#include "output/out_int.h"

struct cap {
	FILE *f;
	char *buf;
	size_t len;
};

static void cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	cr_assert_not_null(c->f);
}

static char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

static struct ike_decoder *dec;
static struct ike_msg msg;

static void setup(void) { dec = ike_decoder_new(); }
static void teardown(void) { ike_decoder_free(dec); }
TestSuite(text, .init = setup, .fini = teardown);

static const struct ike_origin origin4 = {
	.frame = 3, .ts_sec = 1781742682, .ts_usec = 123456,
	.src = {4, {192, 0, 2, 1}}, .dst = {4, {203, 0, 113, 1}},
	.sport = 500, .dport = 500, .transport = IKE_TR_UDP,
};

static char *msg_text(const struct ike_msg *m, const char *file, bool verbose)
{
	struct cap c;
	cap_open(&c);
	ike_out_text_msg(c.f, m, file, verbose);
	return cap_close(&c);
}

static void decode(const struct ikeb *b, const struct ike_origin *at)
{
	cr_assert_eq(ike_decoder_decode(dec, at, b->b, b->len, &msg), IKE_OK);
}

Test(text, one_line_per_message)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0x1a2b3c4d5e6f7081ull, 0, 0);
	decode(&b, &origin4);
	char *out = msg_text(&msg, NULL, false);
	cr_expect_str_eq(out, "    3 2026-06-18 00:31:22.123456 192.0.2.1[500] -> 203.0.113.1[500] "
			      "0x1a2b3c4d5e6f7081/0x0000000000000000 "
			      "IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]\n");
	free(out);
}

Test(text, file_prefix_when_several_captures)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 2, 1);
	decode(&b, &origin4);
	char *out = msg_text(&msg, "local.pcap", false);
	cr_expect(strncmp(out, "local.pcap:3 2026-06-18 00:31:22.123456 ", 40) == 0, "%s", out);
	cr_expect(strstr(out, " 0x0000000000000001/0x0000000000000002 IKE_SA_INIT response 0 [") != NULL, "%s", out);
	free(out);
}

Test(text, ipv6_endpoints_in_charon_form)
{
	struct ikeb b;
	struct ike_origin at = origin4;
	at.src = (struct ike_addr){6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
	at.dst = (struct ike_addr){6, {0xfe, 0x80, [15] = 0x22}};
	at.sport = 4500;
	at.dport = 4500;
	at.frame = 123456;
	ikeb_sa_init(&b, 1, 0, 0);
	decode(&b, &at);
	char *out = msg_text(&msg, NULL, false);
	cr_expect(strncmp(out, "123456 2026-06-18 00:31:22.123456 2001:db8::1[4500] -> fe80::22[4500] 0x", 72) == 0,
		  "%s", out);
	free(out);

	char buf[64];
	struct ike_addr none = {0};
	cr_expect_str_eq(ike_out_endpoint(&none, 500, buf, sizeof(buf)), "-");
}

Test(text, anomalies_on_indented_lines)
{
	struct ikeb b;
	ikeb_sa_init(&b, 1, 0, 0);
	b.b[27] -= 10; /* IKE length shorter than the datagram */
	decode(&b, &origin4);
	cr_assert_gt(msg.n_anomalies, 0);
	char *out = msg_text(&msg, NULL, false);
	char *second = strchr(out, '\n') + 1;
	cr_expect(strncmp(second, "      !length-mismatch: IKE length 422 but the datagram carries 432 bytes (offset 24)\n",
			  86) == 0, "%s", out);
	/* One line per anomaly after the message line. */
	size_t lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	cr_expect_eq(lines, 1 + msg.n_anomalies);
	free(out);
}

Test(text, dropped_anomalies_are_counted)
{
	memset(&msg, 0, sizeof(msg));
	msg.at = origin4;
	msg.version = 0x20;
	msg.exchange = 37;
	for (int i = 0; i < IKE_MAX_ANOMALIES + 2; i++)
		ike_msg_anomaly(&msg, IKE_AN_MALFORMED, 0, "n%d", i);
	char *out = msg_text(&msg, NULL, false);
	cr_expect(strstr(out, "      !malformed: n15 (offset 0)\n      (2 more anomalies not kept)\n") != NULL, "%s",
		  out);
	free(out);
}

Test(text, packet_text_is_escaped)
{
	memset(&msg, 0, sizeof(msg));
	msg.at = origin4;
	msg.version = 0x20;
	msg.exchange = 37;
	ike_msg_anomaly(&msg, IKE_AN_MALFORMED, 7, "id \x1b[2J\\ \xc3\xa9 \xc3");
	char *out = msg_text(&msg, "a\nb.pcap", false);
	cr_expect(strncmp(out, "a\\x0ab.pcap:3 ", 14) == 0, "%s", out);
	cr_expect(strstr(out, "!malformed: id \\x1b[2J\\\\ \xc3\xa9 \\xc3 (offset 7)\n") != NULL, "%s", out);
	free(out);
}

static char *event_text(const struct ike_cap_event *ev, const char *file)
{
	struct cap c;
	cap_open(&c);
	ike_out_text_event(c.f, ev, file);
	return cap_close(&c);
}

Test(text, keepalive_and_frame_anomaly_lines)
{
	static struct ike_cap_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = IKE_CAP_KEEPALIVE;
	ev.at = origin4;
	ev.at.frame = 4;
	ev.at.sport = ev.at.dport = 4500;
	char *out = event_text(&ev, NULL);
	cr_expect_str_eq(out, "    4 2026-06-18 00:31:22.123456 192.0.2.1[4500] -> 203.0.113.1[4500] NAT-keepalive\n");
	free(out);

	ev.kind = IKE_CAP_ANOMALY;
	ev.at.sport = ev.at.dport = 0; /* IP fragments: no ports */
	ev.anomaly.kind = IKE_AN_IP_FRAG_TIMEOUT;
	ev.anomaly.offset = 14;
	snprintf(ev.anomaly.detail, sizeof(ev.anomaly.detail), "2 fragments never completed");
	out = event_text(&ev, "peer.pcap");
	cr_expect_str_eq(out, "peer.pcap:4 2026-06-18 00:31:22.123456 192.0.2.1 -> 203.0.113.1 "
			      "!ip-fragment-timeout: 2 fragments never completed (offset 14)\n");
	free(out);

	ev.at.src.family = ev.at.dst.family = 0; /* nothing known below the link layer */
	ev.anomaly.kind = IKE_AN_FRAME_TRUNCATED;
	snprintf(ev.anomaly.detail, sizeof(ev.anomaly.detail), "caplen 10");
	out = event_text(&ev, NULL);
	cr_expect_str_eq(out, "    4 2026-06-18 00:31:22.123456 !frame-truncated: caplen 10 (offset 14)\n");
	free(out);

	ev.kind = IKE_CAP_EOF;
	out = event_text(&ev, NULL);
	cr_expect_str_eq(out, "");
	free(out);
}

Test(text, verbose_tree_layout)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0x1a2b3c4d5e6f7081ull, 0, 0);
	decode(&b, &origin4);
	char *out = msg_text(&msg, NULL, true);
	cr_expect(strstr(out, "]\n"
			      "      ispi: 1a2b3c4d5e6f7081\n"
			      "      rspi: 0000000000000000\n"
			      "      next_payload: SA (33)\n"
			      "      version: 2.0\n"
			      "      exchange: IKE_SA_INIT (34)\n"
			      "      flags: 0x08 (I)\n"
			      "      mid: 0\n"
			      "      length: 432\n"
			      "      transport: udp\n"
			      "      payloads:\n"
			      "        - type: SA\n"
			      "          type_id: 33\n"
			      "          critical: false\n") != NULL,
		  "%s", out);
	cr_expect(strstr(out, "          proposals:\n            - number: 1\n") != NULL, "%s", out);
	cr_expect(strstr(out, "        - type: No\n") != NULL, "%s", out);
	cr_expect(strstr(out, "      !") == NULL, "%s", out);
	/* A blank line ends the tree. */
	size_t n = strlen(out);
	cr_expect(n > 2 && out[n - 1] == '\n' && out[n - 2] == '\n');
	free(out);
}

Test(text, tree_emitter_empty_and_nested_containers)
{
	struct cap c;
	struct ike_text_w w;
	struct ike_emit e;
	cap_open(&c);
	ike_text_emitter(&w, c.f, 2, &e);
	ike_emit_list(&e, "empty_list");
	ike_emit_list_end(&e);
	ike_emit_open(&e, "empty_obj");
	ike_emit_close(&e);
	ike_emit_list(&e, "items");
	ike_emit_u(&e, NULL, 7);
	ike_emit_open(&e, NULL);
	ike_emit_close(&e);
	ike_emit_open(&e, NULL);
	ike_emit_list(&e, "inner");
	ike_emit_s(&e, NULL, NULL);
	ike_emit_b(&e, NULL, true);
	ike_emit_list_end(&e);
	ike_emit_i(&e, "neg", -5);
	ike_emit_close(&e);
	ike_emit_list(&e, NULL);
	ike_emit_hex(&e, NULL, (const uint8_t *)"\x01\xfe", 2);
	ike_emit_list_end(&e);
	ike_emit_list_end(&e);
	ike_emit_open(&e, "obj");
	ike_emit_hex(&e, "none", NULL, 0);
	ike_emit_close(&e);
	ike_emit_close(&e); /* one too many: ignored */
	char *out = cap_close(&c);
	cr_expect_str_eq(out, "  empty_list: []\n"
			      "  empty_obj: {}\n"
			      "  items:\n"
			      "    - 7\n"
			      "    - {}\n"
			      "    - inner:\n"
			      "        - -\n"
			      "        - true\n"
			      "      neg: -5\n"
			      "    -\n"
			      "      - 01fe\n"
			      "  obj:\n"
			      "    none: (empty)\n");
	free(out);
}

Test(text, tree_emitter_depth_cap)
{
	struct cap c;
	struct ike_text_w w;
	struct ike_emit e;
	cap_open(&c);
	ike_text_emitter(&w, c.f, 0, &e);
	for (int i = 0; i < 40; i++) {
		ike_emit_open(&e, "o");
		ike_emit_u(&e, "d", (uint64_t)i);
	}
	for (int i = 0; i < 40; i++)
		ike_emit_close(&e);
	ike_emit_s(&e, "after", "cap");
	char *out = cap_close(&c);
	size_t lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	/* The levels under the cap are shown (key line + member each), the rest left out. */
	cr_expect_eq(lines, 2 * (IKE_TEXT_MAX_DEPTH - 1) + 1, "%s", out);
	cr_expect(strstr(out, "\nafter: cap\n") != NULL);
	free(out);
}

/* Every prefix and every flipped byte of a message prints without a crash,
 * with the message line first. */
Test(text, every_prefix_and_corruption_prints)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0x1a2b3c4d5e6f7081ull, 0, 0);
	uint8_t copy[sizeof(b.b)];
	for (size_t n = 28; n <= b.len; n++) {
		memcpy(copy, b.b, b.len);
		cr_assert_eq(ike_decoder_decode(dec, &origin4, copy, n, &msg), IKE_OK);
		char *out = msg_text(&msg, NULL, true);
		cr_assert(strncmp(out, "    3 2026-06-18 ", 17) == 0, "prefix %zu: %s", n, out);
		free(out);
	}
	for (size_t at = 0; at < b.len; at++) {
		memcpy(copy, b.b, b.len);
		copy[at] ^= 0xff;
		cr_assert_eq(ike_decoder_decode(dec, &origin4, copy, b.len, &msg), IKE_OK);
		char *out = msg_text(&msg, NULL, true);
		cr_assert(strncmp(out, "    3 2026-06-18 ", 17) == 0, "byte %zu: %s", at, out);
		free(out);
	}
}
