/*
 * JSON lines: string escaping, the emitter's structure rules, and whole
 * "msg" / "keepalive" / "anomaly" objects checked by a strict validator
 * (RFC 8259 grammar, well-formed UTF-8, no raw control characters).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ikebuild.h"
#include "ikescope/output.h"
#include "output/out_int.h"

/* ---- capturing what a printer writes ----------------------------------- */

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

/* Closes the stream and returns what was written (free it). */
static char *cap_close(struct cap *c)
{
	fclose(c->f);
	return c->buf;
}

static char *json_string_of(const char *s, size_t n)
{
	struct cap c;
	cap_open(&c);
	ike_json_str(c.f, s, n);
	return cap_close(&c);
}

/* ---- a strict validator ------------------------------------------------ */

struct jv {
	const char *p, *end;
	int depth;
};

static bool jv_value(struct jv *v);

static void jv_ws(struct jv *v)
{
	while (v->p < v->end && (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r'))
		v->p++;
}

static bool jv_lit(struct jv *v, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(v->end - v->p) < n || memcmp(v->p, lit, n) != 0)
		return false;
	v->p += n;
	return true;
}

static bool jv_string(struct jv *v)
{
	if (v->p >= v->end || *v->p != '"')
		return false;
	v->p++;
	while (v->p < v->end) {
		unsigned char c = (unsigned char)*v->p;
		if (c == '"') {
			v->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			v->p++;
			if (v->p >= v->end)
				return false;
			char e = *v->p++;
			if (e == 'u') {
				for (int i = 0; i < 4; i++, v->p++)
					if (v->p >= v->end || !strchr("0123456789abcdefABCDEF", *v->p))
						return false;
			} else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
				return false;
			}
			continue;
		}
		size_t n = ike_utf8_seq((const uint8_t *)v->p, (size_t)(v->end - v->p));
		if (n == 0)
			return false;
		v->p += n;
	}
	return false;
}

static bool jv_number(struct jv *v)
{
	const char *s = v->p;
	if (v->p < v->end && *v->p == '-')
		v->p++;
	if (v->p >= v->end)
		return false;
	if (*v->p == '0') {
		v->p++;
	} else if (*v->p >= '1' && *v->p <= '9') {
		while (v->p < v->end && *v->p >= '0' && *v->p <= '9')
			v->p++;
	} else {
		return false;
	}
	return v->p > s;
}

static bool jv_container(struct jv *v, char close, bool object)
{
	if (++v->depth > 64)
		return false;
	v->p++;
	jv_ws(v);
	if (v->p < v->end && *v->p == close) {
		v->p++;
		v->depth--;
		return true;
	}
	for (;;) {
		jv_ws(v);
		if (object) {
			if (!jv_string(v))
				return false;
			jv_ws(v);
			if (v->p >= v->end || *v->p++ != ':')
				return false;
		}
		if (!jv_value(v))
			return false;
		jv_ws(v);
		if (v->p >= v->end)
			return false;
		char c = *v->p++;
		if (c == close) {
			v->depth--;
			return true;
		}
		if (c != ',')
			return false;
	}
}

static bool jv_value(struct jv *v)
{
	jv_ws(v);
	if (v->p >= v->end)
		return false;
	switch (*v->p) {
	case '{': return jv_container(v, '}', true);
	case '[': return jv_container(v, ']', false);
	case '"': return jv_string(v);
	case 't': return jv_lit(v, "true");
	case 'f': return jv_lit(v, "false");
	case 'n': return jv_lit(v, "null");
	default: return jv_number(v);
	}
}

/* One JSON value per line, every line, nothing else. */
static bool json_lines_valid(const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		if (!nl)
			return false; /* every object ends its line */
		struct jv v = {s, nl, 0};
		if (!jv_value(&v))
			return false;
		jv_ws(&v);
		if (v.p != nl)
			return false;
		s = nl + 1;
	}
	return true;
}

Test(json_validator, rejects_what_it_must)
{
	cr_expect(json_lines_valid("{\"a\":[1,true,null,\"x\"]}\n"));
	cr_expect_not(json_lines_valid("{\"a\":1,}\n"));
	cr_expect_not(json_lines_valid("{\"a\" 1}\n"));
	cr_expect_not(json_lines_valid("[1 2]\n"));
	cr_expect_not(json_lines_valid("\"a\tb\"\n"));
	cr_expect_not(json_lines_valid("\"\\x41\"\n"));
	cr_expect_not(json_lines_valid("\"\xc3\"\n"));
	cr_expect_not(json_lines_valid("{\"a\":1}"));
	cr_expect_not(json_lines_valid("{\"a\":1}}\n"));
	cr_expect_not(json_lines_valid("{\"a\":{}\n"));
}

/* ---- escaping ---------------------------------------------------------- */

static void expect_json_str(const char *in, size_t n, const char *want)
{
	char *got = json_string_of(in, n);
	cr_expect_str_eq(got, want, "escaping %zu bytes", n);
	char line[256];
	snprintf(line, sizeof(line), "%s\n", got);
	cr_expect(json_lines_valid(line), "%s", line);
	free(got);
}

#define S(lit) lit, sizeof(lit) - 1

Test(json_escape, quotes_and_backslash)
{
	expect_json_str(S("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
	expect_json_str(S(""), "\"\"");
}

Test(json_escape, control_characters)
{
	expect_json_str(S("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
	expect_json_str(S("\x01\x1f\x1b[31m\x7f"), "\"\\u0001\\u001f\\u001b[31m\\u007f\"");
	expect_json_str("a\0b", 3, "\"a\\u0000b\"");
	/* C1 controls (U+0080–U+009F) are escaped too: terminals act on them. */
	expect_json_str(S("\xc2\x9b"), "\"\\u009b\"");
}

Test(json_escape, valid_utf8_passes_through)
{
	expect_json_str(S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"),
			"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"");
}

Test(json_escape, invalid_utf8_becomes_replacement)
{
	expect_json_str(S("\x80"), "\"\\ufffd\"");                  /* lone continuation */
	expect_json_str(S("\xc0\xaf"), "\"\\ufffd\\ufffd\"");       /* overlong '/' */
	expect_json_str(S("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\""); /* overlong, 3 bytes */
	expect_json_str(S("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate D800 */
	expect_json_str(S("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	expect_json_str(S("\xf5\x80"), "\"\\ufffd\\ufffd\"");
	expect_json_str(S("ok\xe2\x82"), "\"ok\\ufffd\\ufffd\"");    /* cut short at the end */
	expect_json_str(S("\xe2\x28\xa1"), "\"\\ufffd(\\ufffd\"");   /* bad second byte */
	expect_json_str(S("\xff\xfe"), "\"\\ufffd\\ufffd\"");
}

Test(json_escape, utf8_sequence_lengths)
{
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"A", 1), 1);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xc2\x80", 2), 2);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xc2\x80", 1), 0);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xc1\xbf", 2), 0);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xe0\xa0\x80", 3), 3);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xed\x9f\xbf", 3), 3);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xed\xa0\x80", 3), 0);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xf0\x90\x80\x80", 4), 4);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xf0\x8f\xbf\xbf", 4), 0);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"\xf4\x8f\xbf\xbf", 4), 4);
	cr_expect_eq(ike_utf8_seq((const uint8_t *)"", 0), 0);
}

/* ---- the emitter ------------------------------------------------------- */

Test(json_emitter, structure_and_scalars)
{
	struct cap c;
	struct ike_json_w w;
	struct ike_emit e;
	cap_open(&c);
	ike_json_emitter(&w, c.f, &e);
	static const uint8_t bytes[] = {0x00, 0xab, 0xff};
	ike_emit_open(&e, NULL);
	ike_emit_u(&e, "u", UINT64_MAX);
	ike_emit_i(&e, "i", INT64_MIN);
	ike_emit_s(&e, "s", "x");
	ike_emit_s(&e, "n", NULL);
	ike_emit_hex(&e, "h", bytes, sizeof(bytes));
	ike_emit_hex(&e, "e", NULL, 0);
	ike_emit_b(&e, "t", true);
	ike_emit_list(&e, "l");
	ike_emit_u(&e, "ignored-key", 1);
	ike_emit_open(&e, NULL);
	ike_emit_close(&e);
	ike_emit_list(&e, NULL);
	ike_emit_list_end(&e);
	ike_emit_list_end(&e);
	ike_emit_s(&e, NULL, "keyless member");
	ike_emit_close(&e);
	fputc('\n', c.f);
	char *out = cap_close(&c);
	cr_expect_str_eq(out, "{\"u\":18446744073709551615,\"i\":-9223372036854775808,\"s\":\"x\",\"n\":null,"
			      "\"h\":\"00abff\",\"e\":\"\",\"t\":true,\"l\":[1,{},[]],\"\":\"keyless member\"}\n");
	cr_expect(json_lines_valid(out));
	free(out);
}

Test(json_emitter, depth_cap_keeps_json_valid)
{
	struct cap c;
	struct ike_json_w w;
	struct ike_emit e;
	cap_open(&c);
	ike_json_emitter(&w, c.f, &e);
	ike_emit_open(&e, NULL);
	for (int i = 0; i < 100; i++) {
		if (i % 2)
			ike_emit_list(&e, "l");
		else
			ike_emit_open(&e, "o");
		ike_emit_u(&e, "d", (uint64_t)i);
	}
	for (int i = 0; i < 100; i++)
		ike_emit_close(&e);
	ike_emit_s(&e, "after", "cap");
	ike_emit_close(&e);
	ike_emit_close(&e); /* one too many: ignored */
	fputc('\n', c.f);
	char *out = cap_close(&c);
	cr_expect(json_lines_valid(out), "%s", out);
	cr_expect(strstr(out, ",\"after\":\"cap\"}\n") != NULL);
	free(out);
}

/* ---- whole messages ---------------------------------------------------- */

static struct ike_decoder *dec;
static struct ike_msg msg;

static void setup(void) { dec = ike_decoder_new(); }
static void teardown(void) { ike_decoder_free(dec); }

static const struct ike_origin origin4 = {
	.file = 0, .frame = 3, .ts_sec = 1781742682, .ts_usec = 123456,
	.src = {4, {192, 0, 2, 1}}, .dst = {4, {203, 0, 113, 1}},
	.sport = 500, .dport = 500, .transport = IKE_TR_UDP,
};

static char *msg_json(const struct ike_msg *m, const char *file)
{
	struct cap c;
	cap_open(&c);
	ike_out_json_msg(c.f, m, file);
	return cap_close(&c);
}

static void expect_has(const char *out, const char *member)
{
	cr_expect(strstr(out, member) != NULL, "missing %s in %s", member, out);
}

TestSuite(json_msg, .init = setup, .fini = teardown);

Test(json_msg, ike_sa_init_request)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0x1a2b3c4d5e6f7081ull, 0, 0);
	cr_assert_eq(ike_decoder_decode(dec, &origin4, b.b, b.len, &msg), IKE_OK);
	char *out = msg_json(&msg, "captures/healthy/local.pcap");
	cr_expect(json_lines_valid(out), "%s", out);
	cr_expect(strncmp(out, "{\"v\":1,\"type\":\"msg\",\"file\":\"captures/healthy/local.pcap\",\"frame\":3,"
			       "\"ts\":\"2026-06-18T00:31:22.123456Z\",\"src\":\"192.0.2.1\",\"sport\":500,"
			       "\"dst\":\"203.0.113.1\",\"dport\":500,\"transport\":\"udp\","
			       "\"ispi\":\"1a2b3c4d5e6f7081\",\"rspi\":\"0000000000000000\","
			       "\"exchange\":\"IKE_SA_INIT\",\"exchange_id\":34,\"mid\":0,\"initiator\":true,"
			       "\"response\":false,\"flags\":8,\"length\":432,\"version\":\"2.0\",\"ikev1\":false,"
			       "\"payloads\":[{\"type\":\"SA\",\"type_id\":33,",
			 strlen("{\"v\":1,\"type\":\"msg\",\"file\":\"captures/healthy/local.pcap\",\"frame\":3,"
				"\"ts\":\"2026-06-18T00:31:22.123456Z\",\"src\":\"192.0.2.1\",\"sport\":500,"
				"\"dst\":\"203.0.113.1\",\"dport\":500,\"transport\":\"udp\","
				"\"ispi\":\"1a2b3c4d5e6f7081\",\"rspi\":\"0000000000000000\","
				"\"exchange\":\"IKE_SA_INIT\",\"exchange_id\":34,\"mid\":0,\"initiator\":true,"
				"\"response\":false,\"flags\":8,\"length\":432,\"version\":\"2.0\",\"ikev1\":false,"
				"\"payloads\":[{\"type\":\"SA\",\"type_id\":33,")) == 0,
		  "%s", out);
	expect_has(out, "\"text\":\"IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048\"");
	expect_has(out, "{\"type\":\"KE\",\"type_id\":34,");
	expect_has(out, "{\"type\":\"No\",\"type_id\":40,");
	cr_expect(strstr(out, "\"summary\":\"IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]\","
			      "\"decrypted\":\"n/a\",\"icv\":\"n/a\",\"fragment\":null,\"anomalies\":[]}\n") != NULL,
		  "%s", out);
	cr_expect_null(strstr(out, "anomalies_dropped"));
	free(out);
}

Test(json_msg, encrypted_and_fragment)
{
	struct ikeb b;
	ikeb_header(&b, 1, 2, 35, 0x20, 1);
	size_t p = ikeb_payload(&b, 53, 0);
	b.b[p] = 35;      /* first inner payload */
	ikeb_u16(&b, 2);  /* fragment 2 */
	ikeb_u16(&b, 3);  /* of 3 */
	ikeb_fill(&b, 0x5a, 64);
	ikeb_end(&b, p);
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, &origin4, b.b, b.len, &msg), IKE_OK);
	msg.frag_num = 2; /* as the walker records them for SKF */
	msg.frag_total = 3;
	char *out = msg_json(&msg, NULL);
	cr_expect(json_lines_valid(out), "%s", out);
	expect_has(out, "\"file\":null,");
	expect_has(out, "\"initiator\":false,\"response\":true,");
	expect_has(out, "\"decrypted\":\"no-key\",\"icv\":\"unchecked\",\"fragment\":{\"number\":2,\"total\":3},");
	free(out);
}

Test(json_msg, hand_built_model_with_hostile_strings)
{
	static const uint8_t body[] = {'a', 0x00, 0xff};
	static struct ike_payload pls[2];
	memset(&msg, 0, sizeof(msg));
	memset(pls, 0, sizeof(pls));
	msg.at = origin4;
	msg.at.src = (struct ike_addr){6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
	msg.at.dst = (struct ike_addr){6, {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
	msg.at.sport = 4500;
	msg.at.transport = IKE_TR_TCP;
	msg.ispi = UINT64_MAX;
	msg.exchange = 99; /* no name */
	msg.version = 0x20;
	msg.flags = IKE_FLAG_I;
	msg.mid = UINT32_MAX;
	pls[0] = (struct ike_payload){.type = 200, .critical = true, .length = 7, .body = {body, sizeof(body)}};
	pls[1] = (struct ike_payload){.type = 40, .length = 4}; /* known type, not decoded */
	msg.payloads = pls;
	msg.n_payloads = 2;
	ike_msg_anomaly(&msg, IKE_AN_UNKNOWN_CRITICAL, 28, "quote \" backslash \\ esc \x1b bad \xc3");
	for (int i = 0; i < IKE_MAX_ANOMALIES + 3; i++)
		ike_msg_anomaly(&msg, IKE_AN_MALFORMED, (uint32_t)i, "filler %d", i);

	char *out = msg_json(&msg, "dir/\"odd\"\n.pcap");
	cr_expect(json_lines_valid(out), "%s", out);
	expect_has(out, "\"file\":\"dir/\\\"odd\\\"\\n.pcap\",");
	expect_has(out, "\"src\":\"2001:db8::1\",\"sport\":4500,\"dst\":\"2001:db8::2\",");
	expect_has(out, "\"transport\":\"tcp\",\"ispi\":\"ffffffffffffffff\",");
	expect_has(out, "\"exchange\":\"99\",\"exchange_id\":99,\"mid\":4294967295,");
	expect_has(out, "{\"type\":\"UNKN(200)\",\"type_id\":200,\"critical\":true,\"length\":7,"
			"\"decoded\":false,\"data\":\"6100ff\"}");
	expect_has(out, "{\"type\":\"No\",\"type_id\":40,\"critical\":false,\"length\":4,\"decoded\":false,\"data\":\"\"}");
	expect_has(out, "{\"kind\":\"unknown-critical-payload\",\"offset\":28,"
			"\"detail\":\"quote \\\" backslash \\\\ esc \\u001b bad \\ufffd\"}");
	expect_has(out, "\"anomalies_dropped\":4}\n");
	free(out);
}

Test(json_msg, ikev1_header_only)
{
	struct ikeb b;
	ikeb_header(&b, 0x77, 0, 2, 0, 0);
	b.b[17] = 0x10;
	ikeb_done(&b);
	cr_assert_eq(ike_decoder_decode(dec, &origin4, b.b, b.len, &msg), IKE_OK);
	char *out = msg_json(&msg, "v1.pcap");
	cr_expect(json_lines_valid(out), "%s", out);
	expect_has(out, "\"exchange\":\"ID_PROT\",\"exchange_id\":2,");
	expect_has(out, "\"version\":\"1.0\",\"ikev1\":true,\"payloads\":[],");
	free(out);
}

/* Every prefix of a message, and every length byte broken, still prints as
 * valid JSON. */
Test(json_msg, every_prefix_and_corruption_is_valid_json)
{
	struct ikeb b;
	ikeb_sa_init(&b, 0x1a2b3c4d5e6f7081ull, 0, 0);
	uint8_t copy[sizeof(b.b)];
	for (size_t n = 28; n <= b.len; n++) {
		memcpy(copy, b.b, b.len);
		cr_assert_eq(ike_decoder_decode(dec, &origin4, copy, n, &msg), IKE_OK);
		char *out = msg_json(&msg, "p.pcap");
		cr_assert(json_lines_valid(out), "prefix %zu: %s", n, out);
		free(out);
	}
	for (size_t at = 0; at < b.len; at++) {
		memcpy(copy, b.b, b.len);
		copy[at] ^= 0xff;
		cr_assert_eq(ike_decoder_decode(dec, &origin4, copy, b.len, &msg), IKE_OK);
		char *out = msg_json(&msg, "p.pcap");
		cr_assert(json_lines_valid(out), "byte %zu flipped: %s", at, out);
		free(out);
	}
}

/* ---- events and times -------------------------------------------------- */

static char *event_json(const struct ike_cap_event *ev)
{
	struct cap c;
	cap_open(&c);
	ike_out_json_event(c.f, ev, "x.pcap");
	return cap_close(&c);
}

Test(json_event, keepalive_and_anomaly)
{
	static struct ike_cap_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = IKE_CAP_KEEPALIVE;
	ev.at = origin4;
	ev.at.sport = ev.at.dport = 4500;
	char *out = event_json(&ev);
	cr_expect_str_eq(out, "{\"v\":1,\"type\":\"keepalive\",\"file\":\"x.pcap\",\"frame\":3,"
			      "\"ts\":\"2026-06-18T00:31:22.123456Z\",\"src\":\"192.0.2.1\",\"sport\":4500,"
			      "\"dst\":\"203.0.113.1\",\"dport\":4500}\n");
	free(out);

	ev.kind = IKE_CAP_ANOMALY;
	ev.at.src.family = ev.at.dst.family = 0;
	ev.anomaly.kind = IKE_AN_FRAME_TRUNCATED;
	ev.anomaly.offset = 14;
	memset(ev.anomaly.detail, 'x', sizeof(ev.anomaly.detail)); /* not NUL-terminated */
	out = event_json(&ev);
	cr_expect(json_lines_valid(out), "%s", out);
	cr_expect(strncmp(out, "{\"v\":1,\"type\":\"anomaly\",\"file\":\"x.pcap\",\"frame\":3,"
			       "\"ts\":\"2026-06-18T00:31:22.123456Z\",\"src\":null,\"dst\":null,"
			       "\"kind\":\"frame-truncated\",\"offset\":14,\"detail\":\"xxx",
			 140) == 0, "%s", out);
	free(out);

	ev.kind = IKE_CAP_MESSAGE; /* not an event the printers show */
	out = event_json(&ev);
	cr_expect_str_eq(out, "");
	free(out);
}

Test(json_time, utc_with_microseconds)
{
	char b[48];
	cr_expect_str_eq(ike_out_time(0, 0, 'T', b, sizeof(b)), "1970-01-01T00:00:00.000000Z");
	cr_expect_str_eq(ike_out_time(1781742682, 999999, 'T', b, sizeof(b)), "2026-06-18T00:31:22.999999Z");
	cr_expect_str_eq(ike_out_time(1781742682, 1000001, 'T', b, sizeof(b)), "2026-06-18T00:31:23.000001Z");
	cr_expect_str_eq(ike_out_time(0, -1, 'T', b, sizeof(b)), "1969-12-31T23:59:59.999999Z");
	cr_expect_str_eq(ike_out_time(1781742682, 5, ' ', b, sizeof(b)), "2026-06-18 00:31:22.000005");
	/* Past year 9999: the raw count rather than a calendar date. */
	cr_expect_str_eq(ike_out_time(INT64_MAX / 2, 0, 'T', b, sizeof(b)), "4611686018427387903.000000Z");
}

/* The hand-written calendar against gmtime_r, across leap days, centuries and
 * both signs, at the edges of the years it formats (0 and 9999). */
Test(json_time, agrees_with_gmtime)
{
	char b[48], want[64];
	int64_t edges[] = {-62167219200, -62167219199, 253402300799, 951782400, 951868800, 4107542400, -2203891200};
	for (int64_t i = 0; i < 200000 + (int64_t)(sizeof(edges) / sizeof(edges[0])); i++) {
		int64_t s = i < 200000 ? -62167219200 + i * 1577836799 % 315569520000 : edges[i - 200000];
		time_t t = (time_t)s;
		struct tm tm;
		cr_assert_not_null(gmtime_r(&t, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.000042Z", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		ike_out_time(s, 42, 'T', b, sizeof(b));
		cr_assert_str_eq(b, want, "at %lld", (long long)s);
	}
}

/* Every character that needs an escape, at every offset of a long plain
 * string (the copier takes eight bytes at a time), and strings longer than
 * the writer's buffer. */
Test(json_escape, at_every_offset_and_past_the_buffer)
{
	static const struct { char c; const char *esc; } cases[] = {
		{'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\x01', "\\u0001"}, {'\x1f', "\\u001f"},
		{'\x7f', "\\u007f"}, {'\xff', "\\ufffd"}, {' ', " "}, {'~', "~"},
	};
	char in[40], want[80];
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		for (size_t at = 0; at < 24; at++) {
			memset(in, 'x', 24);
			in[at] = cases[k].c;
			snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int)at, "xxxxxxxxxxxxxxxxxxxxxxxx", cases[k].esc,
				 (int)(23 - at), "xxxxxxxxxxxxxxxxxxxxxxxx");
			char *out = json_string_of(in, 24);
			cr_expect_str_eq(out, want, "char 0x%02x at %zu", (unsigned char)cases[k].c, at);
			free(out);
		}
	size_t n = 3 * IKE_OBUF_SIZE + 5;
	char *big = malloc(n), *exp = malloc(2 * n + 3);
	cr_assert(big && exp);
	size_t e = 0;
	exp[e++] = '"';
	for (size_t i = 0; i < n; i++) {
		big[i] = i % 1000 == 999 ? '"' : (char)('a' + i % 26);
		if (big[i] == '"')
			exp[e++] = '\\';
		exp[e++] = big[i];
	}
	exp[e++] = '"';
	exp[e] = '\0';
	char *out = json_string_of(big, n);
	cr_expect_str_eq(out, exp);
	free(out);
	free(big);
	free(exp);
}
