/*
 * test_log_read.c — the streaming reader over the fixtures of
 * tests/unit/data/logs (every shape made from one real charon log by make.sh),
 * gzip and rotation, merging, and hostile files.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/log.h"

#define MAX_EV 512

static const char *root(void)
{
	return IKESCOPE_SOURCE_ROOT "/tests/unit/data/logs";
}

struct run {
	struct ike_log_event ev[MAX_EV];
	size_t n;
	struct ike_log_stats st;
};

static void read_paths(const char *const *names, size_t n, const struct ike_log_opts *o, struct run *r)
{
	char paths[8][512];
	const char *p[8];
	for (size_t i = 0; i < n; i++) {
		if (names[i][0] == '/')
			snprintf(paths[i], sizeof(paths[i]), "%s", names[i]);
		else
			snprintf(paths[i], sizeof(paths[i]), "%s/%s", root(), names[i]);
		p[i] = paths[i];
	}
	char err[256];
	struct ike_log *l = ike_log_open(p, n, o, err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	r->n = 0;
	static struct ike_log_event e;
	while (ike_log_next(l, &e)) {
		if (r->n < MAX_EV)
			r->ev[r->n] = e;
		r->n++;
	}
	ike_log_stats(l, &r->st);
	ike_log_close(l);
}

static void read_one(const char *name, struct run *r)
{
	read_paths(&name, 1, NULL, r);
}

static struct run base, shape;

/* The charon events of syslog.log (its kernel and FTMD lines left out). */
static void read_base(void)
{
	read_one("syslog.log", &base);
	cr_assert_eq(base.st.other_programs, 1, "the kernel line");
	cr_assert_eq(base.ev[base.n - 1].kind, IKE_LOG_IF_STATE);
	base.n--;
	cr_assert_eq(base.n, 138);
	cr_assert_eq(base.st.unparsed + base.st.binary + base.st.invalid_utf8 + base.st.overlong, 0);
}

/* Same events, same typed fields, in the same order. */
static void same_events(const struct run *r, const char *what)
{
	cr_assert_eq(r->n, base.n, "%s: %zu events, want %zu", what, r->n, base.n);
	for (size_t i = 0; i < base.n; i++) {
		const struct ike_log_event *a = &base.ev[i], *b = &r->ev[i];
		cr_assert_eq(a->kind, b->kind, "%s #%zu: %s vs %s", what, i, ike_log_kind_name(a->kind),
			     ike_log_kind_name(b->kind));
		cr_assert_str_eq(a->text, b->text, "%s #%zu", what, i);
		cr_assert_eq(memcmp(&a->u, &b->u, sizeof(a->u)), 0, "%s #%zu: typed fields differ", what, i);
	}
}

Test(log_read, vedge_syslog_from_the_lab)
{
	read_base();
	size_t kinds[IKE_LOG_KIND_MAX] = {0};
	for (size_t i = 0; i < base.n; i++) {
		kinds[base.ev[i].kind]++;
		cr_assert_eq(base.ev[i].line, i + 1);
		cr_assert_str_eq(base.ev[i].host, "vedge01");
	}
	cr_assert_eq(kinds[IKE_LOG_MSG_GENERATED], 4);
	cr_assert_eq(kinds[IKE_LOG_MSG_PARSED], 4);
	cr_assert_eq(kinds[IKE_LOG_PKT_SENT], 11);
	cr_assert_eq(kinds[IKE_LOG_PKT_RECEIVED], 11);
	cr_assert_eq(kinds[IKE_LOG_DPD], 2);
	cr_assert_eq(kinds[IKE_LOG_IKE_ESTABLISHED], 1);
	cr_assert_eq(kinds[IKE_LOG_CHILD_ESTABLISHED], 1);
	cr_assert_eq(kinds[IKE_LOG_STATE_CHANGE], 2);
	cr_assert_eq(kinds[IKE_LOG_PROPOSALS_CONFIGURED], 4);
	/* line 10: "15[NET] sending packet: from 192.0.2.1[500] to 203.0.113.1[500] (464 bytes)" */
	const struct ike_log_event *e = &base.ev[9];
	cr_assert_eq(e->kind, IKE_LOG_PKT_SENT);
	cr_assert_eq(e->u.pkt.bytes, 464);
	cr_assert_eq(e->thread, 15);
	cr_assert_str_eq(e->group, "NET");
}

Test(log_read, syslog_variants)
{
	read_base();
	read_one("syslog-facility.log", &shape);
	shape.n--; /* its FTMD line */
	same_events(&shape, "facility");
	for (size_t i = 0; i < base.n; i++)
		cr_assert_eq(shape.ev[i].t.sec, base.ev[i].t.sec);
	read_one("syslog-ikename.log", &shape);
	same_events(&shape, "ike_name");
	size_t named = 0;
	for (size_t i = 0; i < shape.n; i++)
		if (shape.ev[i].sa_uid == 1 && strcmp(shape.ev[i].sa_name, "ipsec2_1") == 0)
			named++;
		else
			cr_assert_lt(shape.ev[i].thread, 10);
	cr_assert_eq(named, 97, "the lines make.sh gave a <name|id>");
	read_one("syslog-level.log", &shape);
	same_events(&shape, "log_level");
	for (size_t i = 0; i < shape.n; i++) {
		cr_assert_eq(shape.ev[i].level, 1);
		cr_assert_eq(shape.ev[i].thread, base.ev[i].thread);
		cr_assert_str_eq(shape.ev[i].group, base.ev[i].group);
	}
}

Test(log_read, filelog_variants)
{
	read_base();
	read_one("filelog.log", &shape);
	same_events(&shape, "filelog");
	for (size_t i = 0; i < base.n; i++) {
		cr_assert_eq(shape.ev[i].t.sec, base.ev[i].t.sec);
		cr_assert_str_eq(shape.ev[i].host, "");
	}
	read_one("filelog-ms.log", &shape);
	same_events(&shape, "filelog ms");
	bool some_ms = false;
	for (size_t i = 0; i < base.n; i++) {
		cr_assert_eq(shape.ev[i].t.sec, base.ev[i].t.sec);
		cr_assert_eq(shape.ev[i].t.usec % 1000, 0);
		some_ms |= shape.ev[i].t.usec != 0;
	}
	cr_assert(some_ms);
	cr_assert_eq(shape.st.backwards, 0);
	read_one("filelog-notime.log", &shape);
	same_events(&shape, "filelog without time");
	for (size_t i = 0; i < shape.n; i++) {
		cr_assert(!shape.ev[i].t.has_time);
		cr_assert_eq(shape.ev[i].line, i + 1, "file order kept");
	}
	read_one("filelog-json.log", &shape);
	same_events(&shape, "charon 6 json");
	for (size_t i = 0; i < base.n; i++) {
		cr_assert_eq(shape.ev[i].t.sec, ike_log_civil_sec(&base.ev[i].t, 2026));
		cr_assert_eq(shape.ev[i].thread, base.ev[i].thread);
	}
}

Test(log_read, journald_variants)
{
	read_base();
	static const char *const text[] = {"journal-short.log", "journal-short-iso.log", "journal-short-precise.log"};
	for (size_t k = 0; k < 3; k++) {
		read_one(text[k], &shape);
		same_events(&shape, text[k]);
		for (size_t i = 0; i < base.n; i++) {
			cr_assert_str_eq(shape.ev[i].program, "charon-systemd");
			cr_assert_eq(shape.ev[i].thread, -1);
			int64_t want = k == 1 ? ike_log_civil_sec(&base.ev[i].t, 2026) : base.ev[i].t.sec;
			cr_assert_eq(shape.ev[i].t.sec, want, "%s line %zu", text[k], i + 1);
			cr_assert_eq(shape.ev[i].t.has_year, k == 1);
			cr_assert_eq(shape.ev[i].t.has_zone, k == 1);
		}
		cr_assert_eq(shape.st.backwards, 0);
	}
	read_one("journal.json", &shape);
	same_events(&shape, "journal json");
	for (size_t i = 0; i < base.n; i++) {
		const struct ike_log_event *e = &shape.ev[i];
		cr_assert(e->t.has_year && e->t.has_zone);
		cr_assert_eq(e->t.sec, ike_log_civil_sec(&base.ev[i].t, 2026));
		cr_assert_eq(e->t.usec, (int32_t)(i + 1));
		cr_assert_eq(e->thread, base.ev[i].thread);
		cr_assert_str_eq(e->group, base.ev[i].group);
		cr_assert_eq(e->level, 1);
		if (e->thread >= 10) {
			cr_assert_eq(e->sa_uid, 1);
			cr_assert_str_eq(e->sa_name, "ipsec2_1");
		}
	}
}

Test(log_read, rotated_and_gzip)
{
	read_base();
	static const char *const rot[] = {"messages.1.gz", "messages"};
	read_paths(rot, 2, NULL, &shape);
	same_events(&shape, "messages.1.gz + messages");
	for (size_t i = 0; i < shape.n; i++)
		cr_assert_eq(shape.ev[i].file, i < 69 ? 0u : 1u);
	/* given newest first, the merge still yields time order */
	static const char *const rev[] = {"messages", "messages.1.gz"};
	read_paths(rev, 2, NULL, &shape);
	cr_assert_eq(shape.n, base.n);
	for (size_t i = 1; i < shape.n; i++)
		cr_assert_geq(shape.ev[i].t.sec, shape.ev[i - 1].t.sec);
	cr_assert_eq(shape.st.read_errors, 0);
}

Test(log_read, merge_keeps_time_then_file_order)
{
	static const char *const two[] = {"syslog.log", "journal-short-precise.log"};
	read_paths(two, 2, NULL, &shape);
	cr_assert_eq(shape.n, 139 + 138);
	uint64_t last_line[2] = {0, 0};
	for (size_t i = 0; i < shape.n; i++) {
		const struct ike_log_event *e = &shape.ev[i];
		cr_assert_gt(e->line, last_line[e->file], "a file's own lines stay in order");
		last_line[e->file] = e->line;
		if (i == 0)
			continue;
		const struct ike_log_event *p = &shape.ev[i - 1];
		cr_assert(p->t.sec < e->t.sec || (p->t.sec == e->t.sec && p->t.usec <= e->t.usec), "time order at %zu", i);
		if (p->t.sec == e->t.sec && p->t.usec == e->t.usec)
			cr_assert_leq(p->file, e->file, "equal times: file order at %zu", i);
	}
}

/* ike_log_next_ref lends the same events in the same order as ike_log_next copies them. */
Test(log_read, lent_merge_equals_copied_merge)
{
	static const char *const names[] = {"syslog.log", "journal-short-precise.log", "filelog-ms.log"};
	char paths[3][512];
	const char *p[3];
	for (size_t i = 0; i < 3; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", root(), names[i]);
		p[i] = paths[i];
	}
	read_paths(names, 3, NULL, &shape);
	cr_assert_leq(shape.n, MAX_EV);
	char err[256];
	struct ike_log *l = ike_log_open(p, 3, NULL, err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	const struct ike_log_event *e;
	size_t n = 0;
	while ((e = ike_log_next_ref(l)) != NULL) {
		cr_assert_lt(n, shape.n);
		const struct ike_log_event *c = &shape.ev[n++];
		cr_assert(c->file == e->file && c->line == e->line, "#%zu", n);
		cr_assert_eq(c->kind, e->kind);
		cr_assert_str_eq(c->text, e->text);
		cr_assert_str_eq(c->raw, e->raw);
		cr_assert_eq(memcmp(&c->u, &e->u, sizeof(c->u)), 0, "#%zu: typed fields differ", n);
	}
	cr_assert_eq(n, shape.n);
	struct ike_log_stats st;
	ike_log_stats(l, &st);
	ike_log_close(l);
	cr_assert_eq(st.lines, shape.st.lines);
	cr_assert_eq(st.events, shape.st.events);
}

static char tmp_path[64];

static void write_tmp(const void *data, size_t len)
{
	strcpy(tmp_path, "/tmp/ikescope-log-XXXXXX");
	int fd = mkstemp(tmp_path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "wb");
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

Test(log_read, hostile_lines)
{
	const char *good = "Nov 26 23:25:30 vedge01 charon: 15[IKE] sending DPD request\n";
	size_t big = 1 << 20;
	char *buf = malloc(big + 4096);
	size_t n = 0;
	n += (size_t)sprintf(buf + n, "%s", good);
	memset(buf + n, 'A', big); /* a 1 MB line */
	n += big;
	buf[n++] = '\n';
	n += (size_t)sprintf(buf + n, "%s", good);
	memcpy(buf + n, "Nov 26 23:25:31 vedge01 charon: 15[IKE] \x00\x01\x02\xff junk\n", 50);
	n += 50;
	n += (size_t)sprintf(buf + n, "Nov 26 23:25:31 vedge01 charon: 15[IKE] caf\xc3\xa9 ok\n");
	n += (size_t)sprintf(buf + n, "Nov 26 23:25:31 vedge01 charon: 15[IKE] bad \xc3\x28 utf8\n");
	n += (size_t)sprintf(buf + n, "Nov 26 23:25:31 vedge01 charon: 15[IKE] overlong \xc0\xaf slash\n");
	n += (size_t)sprintf(buf + n, "Nov 26 23:25:31 vedge01 charon: 15[IKE] surrogate \xed\xa0\x80\n");
	n += (size_t)sprintf(buf + n, "Nov 26 23:25:20 vedge01 charon: 15[IKE] back in time\r\n");
	n += (size_t)sprintf(buf + n, "Nov 26 23:25:32 vedge01 charon: 15[IKE] last line, no newline");
	write_tmp(buf, n);
	free(buf);
	const char *p = tmp_path;
	read_paths(&p, 1, NULL, &shape);
	unlink(tmp_path);
	cr_assert_eq(shape.st.lines, 10);
	cr_assert_eq(shape.st.overlong, 1);
	cr_assert_eq(shape.st.binary, 1);
	cr_assert_eq(shape.st.invalid_utf8, 3);
	cr_assert_eq(shape.st.backwards, 1);
	cr_assert_eq(shape.n, 5);
	/* one file keeps its own order: the backwards line is counted and kept in place */
	static const uint64_t lines[] = {1, 3, 5, 9, 10};
	for (size_t i = 0; i < 5; i++)
		cr_assert_eq(shape.ev[i].line, lines[i]);
	cr_assert_eq(shape.ev[0].kind, IKE_LOG_DPD);
	cr_assert_str_eq(shape.ev[2].text, "caf\xc3\xa9 ok");
	cr_assert_str_eq(shape.ev[3].text, "back in time", "CR stripped");
	cr_assert_eq(shape.ev[3].t.secs, 20);
	cr_assert_str_eq(shape.ev[4].text, "last line, no newline");
}

Test(log_read, random_bytes_never_crash)
{
	static uint8_t junk[200000];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245 + 12345;
		junk[i] = (uint8_t)(x >> 16);
	}
	write_tmp(junk, sizeof(junk));
	const char *p = tmp_path;
	read_paths(&p, 1, NULL, &shape);
	unlink(tmp_path);
	cr_assert_gt(shape.st.lines, 0);
	cr_assert_eq(shape.st.lines, shape.st.binary + shape.st.invalid_utf8 + shape.st.overlong + shape.st.unparsed + shape.st.empty +
					     shape.st.other_programs + shape.n);
}

Test(log_read, truncated_gzip_is_a_read_error)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/messages.1.gz", root());
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	static uint8_t gz[8192];
	size_t n = fread(gz, 1, sizeof(gz), f);
	fclose(f);
	cr_assert_gt(n, 100);
	write_tmp(gz, n / 2);
	const char *p = tmp_path;
	read_paths(&p, 1, NULL, &shape);
	unlink(tmp_path);
	cr_assert_eq(shape.st.read_errors, 1);
	cr_assert_lt(shape.n, 69);
}

Test(log_read, key_dump_bytes_follow_their_header_per_thread)
{
	const char *log = "Nov 26 19:23:39 14[IKE] Sk_ei secret => 32 bytes @ 0x7fa7ac01361c\n"
			  "Nov 26 19:23:39 09[NET] received packet => 20 bytes @ 0x1\n"
			  "Nov 26 19:23:39 14[IKE]    0: 38 9A 1A EB B6 DF 50 81 73 E3 07 69 CA 42 86 60  8.....P.s..i.B.`\n"
			  "Nov 26 19:23:39 09[NET]    0: 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10  ................\n"
			  "Nov 26 19:23:39 14[IKE]   16: 84 2C B9 EA E4 8A 39 82 CE 15 87 E8 B2 10 19 D1  .,....9.........\n"
			  "Nov 26 19:23:39 14[IKE] sending DPD request\n"
			  "Nov 26 19:23:39 14[IKE]   32: 84 2C B9 EA\n"
			  "Nov 26 19:23:39 15[IKE] Sk_er secret => 32 bytes @ 0x7fa7ac01361c\n"
			  "Nov 26 19:23:39 15[IKE]    0: 38 9A 1A EB B6 DF 50 81 73 E3 07 69 CA 42 86 60 AA  8.....P.s..i.B.`\n";
	write_tmp(log, strlen(log));
	const char *p = tmp_path;
	read_paths(&p, 1, NULL, &shape);
	unlink(tmp_path);
	cr_assert_eq(shape.n, 9);
	static const enum ike_log_kind want[] = {IKE_LOG_KEY_DUMP, IKE_LOG_HEX_DUMP, IKE_LOG_KEY_DUMP,
						 IKE_LOG_HEX_DUMP, IKE_LOG_KEY_DUMP, IKE_LOG_DPD,
						 IKE_LOG_HEX_DUMP, IKE_LOG_KEY_DUMP, IKE_LOG_KEY_DUMP};
	for (size_t i = 0; i < 9; i++) {
		cr_assert_eq(shape.ev[i].kind, want[i], "line %zu: %s", i + 1, ike_log_kind_name(shape.ev[i].kind));
		cr_assert_null(strstr(shape.ev[i].text, "9A"));
		cr_assert_null(strstr(shape.ev[i].text, "2C B9"));
		cr_assert_null(strstr(shape.ev[i].raw, "9A"), "raw: %s", shape.ev[i].raw);
		cr_assert_null(strstr(shape.ev[i].raw, "2C B9"), "raw: %s", shape.ev[i].raw);
	}
	cr_assert_str_eq(shape.ev[2].raw, "Nov 26 19:23:39 14[IKE] 0: (16 bytes)");
	cr_assert_str_eq(shape.ev[0].raw, "Nov 26 19:23:39 14[IKE] Sk_ei secret => 32 bytes @ 0x7fa7ac01361c");
	cr_assert_eq(shape.ev[4].u.dump.offset, 16);
}

Test(log_read, year_rolls_over_at_new_year)
{
	const char *log = "Dec 31 23:59:59 vedge01 charon: 15[IKE] sending DPD request\n"
			  "Jan  1 00:00:01 vedge01 charon: 15[IKE] sending DPD request\n";
	write_tmp(log, strlen(log));
	const char *p = tmp_path;
	struct ike_log_opts o = {.year = 2025};
	read_paths(&p, 1, &o, &shape);
	unlink(tmp_path);
	cr_assert_eq(shape.n, 2);
	cr_assert_eq(shape.ev[1].t.sec - shape.ev[0].t.sec, 2);
	cr_assert_eq(shape.st.backwards, 0);
}

Test(log_read, open_errors)
{
	char err[256];
	const char *p[] = {"/nonexistent/ikescope/messages"};
	cr_assert_null(ike_log_open(p, 1, NULL, err, sizeof(err)));
	cr_assert_not_null(strstr(err, "/nonexistent/ikescope/messages"), "%s", err);
	cr_assert_null(ike_log_open(p, 0, NULL, err, sizeof(err)));
}

/*
 * The reader keeps state from line to line (the last time prefix, whether the
 * event's union is still clear, lines cut by its chunks): every event it lends
 * must equal the same line decoded alone into a buffer full of junk.
 */
Test(log_read, lent_events_equal_lines_decoded_alone)
{
	static const char *const texts[] = {
		"generating rule 3 RESERVED_BIT",
		"parsing rule 7 U_INT_8",
		"generating IKE_AUTH request 1 [ IDi AUTH SA TSi TSr N(MOBIKE_SUP) ]",
		"parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]",
		"generating INFORMATIONAL request 7 [ ]",
		"sending packet: from 192.0.2.1[4500] to 203.0.113.1[4500] (80 bytes)",
		"received packet: from 203.0.113.1[4500] to 192.0.2.1[4500] (80 bytes)",
		"received AUTHENTICATION_FAILED notify error",
		"received packet from nowhere",
		"added payload of type NOTIFY to message",
		"203.0.113.1 is initiating IKE_SA ipsec2_1[3]",
		"203.0.113.1 is initiating nothing",
		"CHILD_SA child_ipsec2_1{4} established with SPIs c1a2b3c4_i d1a2b3c4_o and TS 10.0.0.0/24 === 10.1.0.0/24",
		"IKE_SA ipsec2_1[3] state change: CONNECTING => ESTABLISHED",
		"IKE_SA ipsec2_1[3] is not a state change",
		"nonce => 32 bytes @ 0x7fa7ac01361c",
		"   0: 38 9A 1A EB B6 DF 50 81 73 E3 07 69 CA 42 86 60  8.....P.s..i.B.`",
		"checkout IKEv2 SA with SPIs 0123456789abcdef_i 0000000000000000_r",
		"sending DPD request",
	};
	const size_t nt = sizeof(texts) / sizeof(texts[0]);
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	cr_assert_not_null(buf);
	uint32_t x = 99;
	unsigned sec = 0, usec = 0;
	for (int i = 0; i < 6000; i++) {
		x = x * 1103515245 + 12345;
		if ((x >> 16) % 5 == 0)
			sec++; /* a few lines per second, as charon writes them */
		if (i % 2000 < 1000) /* syslog (facility, host and program varying), then filelog with µs */
			n += (size_t)snprintf(buf + n, cap - n, "%sNov 26 23:%02u:%02u %s %s: %02u[ENC] %s%s\n",
					      i % 7 == 3 ? "daemon.info: " : "", sec / 60 % 60, sec % 60,
					      i / 3 % 11 == 5 ? "vedge02" : i % 17 == 4 ? "10.0.0.1" : "vedge01",
					      i % 13 == 2 ? "charon-systemd[812]" : "charon", (x >> 8) % 16 + 1,
					      texts[(x >> 20) % nt], (x >> 12) % 7 == 0 ? "\r" : "");
		else
			n += (size_t)snprintf(buf + n, cap - n, "Nov 26 23:%02u:%02u.%06u %02u[IKE] %s\n", sec / 60 % 60,
					      sec % 60, usec++, (x >> 8) % 16 + 1, texts[(x >> 20) % nt]);
		cr_assert_lt(n, cap - 512);
	}
	write_tmp(buf, n);
	free(buf);
	char err[256];
	const char *p = tmp_path;
	struct ike_log *l = ike_log_open(&p, 1, NULL, err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	static struct ike_log_event alone;
	const struct ike_log_event *e;
	size_t events = 0;
	while ((e = ike_log_next_ref(l)) != NULL) {
		events++;
		cr_assert(!e->raw_truncated);
		if (e->kind == IKE_LOG_HEX_DUMP && !e->u.dump.label[0])
			continue; /* raw is blanked: not the line */
		struct ike_log_stats st = {0};
		memset(&alone, 0xa5, sizeof(alone));
		alone.file = e->file;
		alone.line = e->line;
		cr_assert(ike_log_parse_line(e->raw, strlen(e->raw), NULL, &alone, &st), "line %llu",
			  (unsigned long long)e->line);
		cr_assert_eq(alone.kind, e->kind, "line %llu: %s vs %s", (unsigned long long)e->line,
			     ike_log_kind_name(alone.kind), ike_log_kind_name(e->kind));
		cr_assert_str_eq(alone.text, e->text);
		cr_assert_str_eq(alone.host, e->host);
		cr_assert_str_eq(alone.program, e->program);
		cr_assert_str_eq(alone.group, e->group);
		cr_assert_str_eq(alone.sa_name, e->sa_name);
		cr_assert_eq(alone.sa_uid, e->sa_uid);
		cr_assert_eq(alone.level, e->level);
		const struct ike_log_time *ta = &alone.t, *te = &e->t;
		cr_assert(ta->has_year == te->has_year && ta->year_in_line == te->year_in_line &&
				  ta->has_zone == te->has_zone && ta->mon == te->mon && ta->mday == te->mday &&
				  ta->hour == te->hour && ta->min == te->min && ta->secs == te->secs,
			  "line %llu: times differ", (unsigned long long)e->line);
		cr_assert_eq(alone.thread, e->thread);
		cr_assert_eq(alone.t.sec, e->t.sec, "line %llu", (unsigned long long)e->line);
		cr_assert_eq(alone.t.usec, e->t.usec);
		cr_assert_eq(alone.t.has_time, e->t.has_time);
		cr_assert_eq(memcmp(&alone.u, &e->u, sizeof(alone.u)), 0, "line %llu: typed fields differ",
			     (unsigned long long)e->line);
	}
	struct ike_log_stats st;
	ike_log_stats(l, &st);
	ike_log_close(l);
	unlink(tmp_path);
	cr_assert_eq(st.lines, 6000);
	cr_assert_eq(st.events, events);
	cr_assert_eq(events, 6000);
}
