/*
 * logline.c — one log line, whatever wrote it, to a struct ike_log_event.
 *
 *   daemon.info: Apr 27 05:12:56 vedge01 charon: 16[IKE] <ipsec2_1|3> text   syslog (facility, ike_name)
 *   Nov 26 23:25:26 vedge01 charon: 16[IKE1] text                           syslog, log_level
 *   Nov 26 23:25:26.123 16[IKE] text  /  16[IKE] text                       filelog, with or without time
 *   2026-11-26T23:25:26+0000 vedge01 charon-systemd[812]: text              journalctl -o short-iso
 *   Nov 26 23:25:26.123456 vedge01 charon-systemd[812]: text                journalctl -o short-precise
 *   {"MESSAGE":"text","THREAD":"16",…}  /  {"time":…,"msg":"text",…}        journald json, 6.x filelog json
 *
 * Lines are checked first: control bytes and invalid UTF-8 are skipped and
 * counted, so nothing downstream ever sees them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "ikescope/log.h"
#include "logs/logint.h"
#include "logs/logjson.h"

static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t ike_log_civil_sec(const struct ike_log_time *t, int y)
{
	return days_from_civil(y, t->mon, t->mday) * 86400 + t->hour * 3600 + t->min * 60 + t->secs;
}

/* 0 when invalid */
static int month_of(const char *p)
{
	/* compared by hand: strncmp twelve times was a tenth of reading a log */
	for (int i = 0; i < 12; i++)
		if (p[0] == months[i][0] && p[0] && p[1] == months[i][1] && p[1] && p[2] == months[i][2])
			return i + 1;
	return 0;
}

static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*out = v;
	*p += n;
	return true;
}

/* "HH:MM:SS" then an optional ".f…" (1–9 digits, kept to µs). */
static bool clock_part(const char **p, struct ike_log_time *t)
{
	int h, m, s;
	const char *q = *p;
	if (!digits(&q, 2, &h) || *q++ != ':' || !digits(&q, 2, &m) || *q++ != ':' || !digits(&q, 2, &s) ||
	    h > 23 || m > 59 || s > 60)
		return false;
	t->hour = (uint8_t)h;
	t->min = (uint8_t)m;
	t->secs = (uint8_t)(s == 60 ? 59 : s);
	t->usec = 0;
	if (*q == '.' && isdigit((unsigned char)q[1])) {
		q++;
		int n = 0;
		int32_t us = 0;
		while (isdigit((unsigned char)*q)) {
			if (n < 6)
				us = us * 10 + (*q - '0');
			n++;
			q++;
		}
		if (n > 9)
			return false;
		for (; n < 6; n++)
			us *= 10;
		t->usec = us;
	}
	*p = q;
	return true;
}

/* "Z", "+HH:MM", "+HHMM", "+HH" */
static bool zone_part(const char **p, int32_t *off)
{
	const char *q = *p;
	if (*q == 'Z') {
		*off = 0;
		*p = q + 1;
		return true;
	}
	if (*q != '+' && *q != '-')
		return false;
	int sign = *q++ == '-' ? -1 : 1, h, m = 0;
	if (!digits(&q, 2, &h))
		return false;
	if (*q == ':')
		q++;
	if (isdigit((unsigned char)*q) && !digits(&q, 2, &m))
		return false;
	if (h > 14 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	*p = q;
	return true;
}

bool ike_log_parse_tz(const char *s, int32_t *offset_sec)
{
	if (!s)
		return false;
	if (strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0 || strcmp(s, "Z") == 0) {
		*offset_sec = 0;
		return true;
	}
	if ((s[0] == '+' || s[0] == '-') && isdigit((unsigned char)s[1]) && !isdigit((unsigned char)s[2]) &&
	    s[2] == '\0') {
		*offset_sec = (s[0] == '-' ? -1 : 1) * (s[1] - '0') * 3600;
		return true;
	}
	const char *p = s;
	int32_t off;
	if (!zone_part(&p, &off) || *p != '\0')
		return false;
	*offset_sec = off;
	return true;
}

/* Sets t->sec from the civil fields, the year (or the nominal one) and a zone. */
static void settle(struct ike_log_time *t, int year, bool zone_known, int32_t off)
{
	t->has_year = year != 0;
	t->has_zone = zone_known;
	t->sec = ike_log_civil_sec(t, year ? year : IKE_LOG_NOMINAL_YEAR) - (zone_known ? off : 0);
}

/* A time at *p in any shape we know; advances past it and one space. */
static bool time_part(const char **p, const struct ike_log_opts *o, struct ike_log_time *t)
{
	const char *q = *p;
	int y, mo, d;
	int32_t off;
	int year = o && o->year ? o->year : 0;
	bool zk = o && o->tz_known;
	int32_t zoff = zk ? o->tz_offset_sec : 0;
	if ((mo = month_of(q)) != 0 && q[3] == ' ') {
		q += 4;
		if (*q == ' ')
			q++; /* "Nov  6" */
		d = 0;
		if (!isdigit((unsigned char)*q))
			return false;
		while (isdigit((unsigned char)*q) && d < 32)
			d = d * 10 + (*q++ - '0');
		if (d < 1 || d > 31 || *q++ != ' ' || !clock_part(&q, t))
			return false;
	} else if (digits(&q, 4, &y) && *q++ == '-' && digits(&q, 2, &mo) && *q++ == '-' && digits(&q, 2, &d) &&
		   (*q == 'T' || *q == ' ')) {
		q++;
		if (mo < 1 || mo > 12 || d < 1 || d > 31 || !clock_part(&q, t))
			return false;
		year = y;
		t->year_in_line = true;
		if (zone_part(&q, &off)) {
			zk = true;
			zoff = off;
		}
	} else {
		return false;
	}
	if (*q != ' ')
		return false;
	t->mon = (uint8_t)mo;
	t->mday = (uint8_t)d;
	t->has_time = true;
	settle(t, year, zk, zoff);
	*p = q + 1;
	return true;
}

/* isdigit and isupper of the C locale (the tool never sets another), inlined */
static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* time_part, remembering the last prefix read in ls: the lines of one
 * second share it, and its result depends on nothing else (the options are
 * the reader's own). Only a prefix that parsed is remembered. */
static bool time_part_cached(const char **p, const char *end, const struct ike_log_opts *o, struct ike_log_time *t,
			     struct log_line_state *ls)
{
	if (!ls)
		return time_part(p, o, t);
	const char *q = *p;
	if (ls->time_len && (size_t)(end - q) >= ls->time_len && memcmp(q, ls->time_text, ls->time_len) == 0) {
		*t = ls->time;
		*p = q + ls->time_len;
		return true;
	}
	if (!time_part(&q, o, t))
		return false;
	size_t n = (size_t)(q - *p);
	if (n <= sizeof(ls->time_text)) {
		memcpy(ls->time_text, *p, n);
		ls->time_len = n;
		ls->time = *t;
	} else {
		ls->time_len = 0;
	}
	*p = q;
	return true;
}

/* "NN[GRP] " or "NN[GRP1] " (thread at least two digits); advances past it. */
static bool thread_group(const char **p, struct ike_log_event *ev)
{
	const char *q = *p;
	int th = 0, n = 0;
	while (is_digit(*q) && n < 4) {
		th = th * 10 + (*q++ - '0');
		n++;
	}
	if (n < 2 || *q++ != '[')
		return false;
	if (!is_upper(q[0]) || !is_upper(q[1]) || !is_upper(q[2]))
		return false;
	char g[4] = {q[0], q[1], q[2], '\0'};
	q += 3;
	int level = -1;
	if (is_digit(*q))
		level = *q++ - '0';
	if (*q != ']' || (q[1] != ' ' && q[1] != '\0'))
		return false;
	q += q[1] ? 2 : 1;
	ev->thread = th;
	memcpy(ev->group, g, sizeof(g));
	ev->level = level;
	*p = q;
	return true;
}

/* "<name|uid> " or "<uid> " (ike_name = yes) */
static void sa_prefix(const char **p, struct ike_log_event *ev)
{
	const char *q = *p;
	if (*q != '<')
		return;
	const char *gt = strchr(q, '>');
	if (!gt || gt[1] != ' ')
		return;
	const char *bar = memchr(q, '|', (size_t)(gt - q));
	const char *num = bar ? bar + 1 : q + 1;
	char *end;
	unsigned long uid = strtoul(num, &end, 10);
	if (end != gt || num == gt || uid > UINT32_MAX)
		return;
	if (bar) {
		size_t n = (size_t)(bar - q - 1);
		if (n >= sizeof(ev->sa_name))
			return;
		memcpy(ev->sa_name, q + 1, n);
		ev->sa_name[n] = '\0';
	}
	ev->sa_uid = (uint32_t)uid;
	*p = gt + 2;
}

/* memcpy kept a library call: inlined with a known bound, gcc makes it a rep
 * movsq, whose start-up cost more than copying a whole log line */
__attribute__((noinline)) void log_copy_bytes(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
}

static void copy(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	if (n <= 16) {
		/* host and program names: a call costs more than the bytes */
		for (size_t i = 0; i < n; i++)
			out[i] = s[i];
	} else {
		log_copy_bytes(out, s, n);
	}
	out[n] = '\0';
}

/* vEdge "%Viptela-HOST-FTMD-6-INFO-1000001: VPN 1 Interface ipsec2 DOWN" */
static bool ftmd_line(const char *p, struct ike_log_event *ev)
{
	const char *c = strstr(p, ": VPN ");
	if (!c || strncmp(p, "%Viptela-", 9) != 0)
		return false;
	const char *q = c + 6;
	char *end;
	unsigned long vpn = strtoul(q, &end, 10);
	if (end == q || vpn > UINT32_MAX || strncmp(end, " Interface ", 11) != 0)
		return false;
	q = end + 11;
	size_t n = strcspn(q, " ");
	if (n == 0 || n >= sizeof(ev->u.ifstate.ifname))
		return false;
	const char *state = q + n;
	bool up;
	if (strcmp(state, " UP") == 0)
		up = true;
	else if (strcmp(state, " DOWN") == 0)
		up = false;
	else
		return false;
	memset(&ev->u, 0, sizeof(ev->u));
	ev->kind = IKE_LOG_IF_STATE;
	copy(ev->u.ifstate.ifname, sizeof(ev->u.ifstate.ifname), q, n);
	ev->u.ifstate.vpn = (uint32_t)vpn;
	ev->u.ifstate.up = up;
	copy(ev->text, sizeof(ev->text), p, strlen(p));
	return true;
}

static bool is_charon(const char *prog)
{
	return prog[0] == 'c' && prog[1] == 'h' && prog[2] == 'a' && prog[3] == 'r' && prog[4] == 'o' &&
	       prog[5] == 'n';
}

static bool json_line(const char *line, size_t len, const struct ike_log_opts *o, struct ike_log_event *ev,
		      struct ike_log_stats *st)
{
	char msg[IKE_LOG_MAX_LINE];
	char rt[32], th[16], grp[8], lvl[8], uid[16], name[IKE_LOG_NAME_MAX], prog[IKE_LOG_NAME_MAX],
		host[IKE_LOG_NAME_MAX], tm[64], th6[16], grp6[8], lvl6[8], uid6[16], name6[IKE_LOG_NAME_MAX];
	struct logjson_field f[] = {
		{.key = "MESSAGE", .out = msg, .cap = sizeof(msg)},
		{.key = "__REALTIME_TIMESTAMP", .out = rt, .cap = sizeof(rt)},
		{.key = "THREAD", .out = th, .cap = sizeof(th)},
		{.key = "GROUP", .out = grp, .cap = sizeof(grp)},
		{.key = "LEVEL", .out = lvl, .cap = sizeof(lvl)},
		{.key = "IKE_SA_UNIQUE_ID", .out = uid, .cap = sizeof(uid)},
		{.key = "IKE_SA_NAME", .out = name, .cap = sizeof(name)},
		{.key = "SYSLOG_IDENTIFIER", .out = prog, .cap = sizeof(prog)},
		{.key = "_HOSTNAME", .out = host, .cap = sizeof(host)},
		{.key = "time", .out = tm, .cap = sizeof(tm)},
		{.key = "thread", .out = th6, .cap = sizeof(th6)},
		{.key = "group", .out = grp6, .cap = sizeof(grp6)},
		{.key = "level", .out = lvl6, .cap = sizeof(lvl6)},
		{.key = "ikesa-uniqueid", .out = uid6, .cap = sizeof(uid6)},
		{.key = "ikesa-name", .out = name6, .cap = sizeof(name6)},
		{.key = "msg", .out = msg, .cap = sizeof(msg)},
	};
	enum { F_MSG, F_RT, F_TH, F_GRP, F_LVL, F_UID, F_NAME, F_PROG, F_HOST, F_TIME, F_TH6, F_GRP6, F_LVL6,
	       F_UID6, F_NAME6, F_MSG6, F_N };
	/* "msg" (6.x filelog) shares MESSAGE's buffer: a line holding both is refused */
	if (!logjson_read(line, len, f, F_N) || (f[F_MSG].found && f[F_MSG6].found)) {
		st->unparsed++;
		return false;
	}
	bool journald = f[F_MSG].found;
	if ((!journald && !f[F_MSG6].found) || !(journald ? f[F_MSG] : f[F_MSG6]).is_string) {
		st->unparsed++; /* journald writes binary MESSAGE fields as byte arrays */
		return false;
	}
	for (const char *c = msg; *c; c++) {
		if ((unsigned char)*c < 0x20 && *c != '\t') {
			st->binary++; /* an escaped control byte ("\n", "\u001b") */
			return false;
		}
	}
	int ti = journald ? F_TH : F_TH6, gi = journald ? F_GRP : F_GRP6, li = journald ? F_LVL : F_LVL6;
	int ui = journald ? F_UID : F_UID6, ni = journald ? F_NAME : F_NAME6;
	const char *pr = f[F_PROG].found ? prog : "charon";
	copy(ev->program, sizeof(ev->program), pr, strlen(pr));
	copy(ev->host, sizeof(ev->host), host, f[F_HOST].found ? strlen(host) : 0);
	if (f[F_PROG].found && !is_charon(prog)) {
		if (ftmd_line(msg, ev))
			goto timed;
		st->other_programs++;
		return false;
	}
	if (f[ti].found && strlen(f[ti].out) <= 4)
		ev->thread = atoi(f[ti].out);
	if (f[gi].found && strlen(f[gi].out) == 3)
		memcpy(ev->group, f[gi].out, 4);
	if (f[li].found && strlen(f[li].out) == 1 && isdigit((unsigned char)f[li].out[0]))
		ev->level = f[li].out[0] - '0';
	if (f[ui].found) {
		char *end;
		unsigned long u = strtoul(f[ui].out, &end, 10);
		if (*end == '\0' && end != f[ui].out && u <= UINT32_MAX)
			ev->sa_uid = (uint32_t)u;
	}
	if (f[ni].found)
		copy(ev->sa_name, sizeof(ev->sa_name), f[ni].out, strlen(f[ni].out));
	ike_log_classify(msg, ev);
timed:
	if (journald && f[F_RT].found) {
		char *end;
		unsigned long long us = strtoull(rt, &end, 10);
		if (*end != '\0' || end == rt)
			return true; /* kept without a time */
		ev->t.sec = (int64_t)(us / 1000000);
		ev->t.usec = (int32_t)(us % 1000000);
		ev->t.has_time = ev->t.has_year = ev->t.year_in_line = ev->t.has_zone = true;
	} else if (f[F_TIME].found) {
		char buf[72];
		snprintf(buf, sizeof(buf), "%s ", tm);
		const char *p = buf;
		struct ike_log_time t = {0};
		if (time_part(&p, o, &t))
			ev->t = t;
	}
	return true;
}

enum prefix { PREFIX_CHARON, PREFIX_FTMD, PREFIX_SKIP };

/*
 * The time, then "NN[GRP] " (filelog) or "host program[pid]: " (syslog,
 * journal): PREFIX_CHARON with *pp advanced to the message, PREFIX_FTMD when
 * the line was typed as a vEdge interface line, PREFIX_SKIP when it is not
 * kept (counted).
 */
static enum prefix syslog_prefix(const char **pp, const char *end, const struct ike_log_opts *o, struct ike_log_event *ev,
			  struct ike_log_stats *st, struct log_line_state *ls)
{
	const char *p = *pp, *pre = p;
	time_part_cached(&p, end, o, &ev->t, ls);
	if (thread_group(&p, ev)) {
		copy(ev->program, sizeof(ev->program), "charon", 6);
		*pp = p;
		return PREFIX_CHARON;
	}
	/* syslog or journal: "host program[pid]: " (strcspn by hand: the
	 * library call's set-up costs more than these few bytes) */
	size_t h = 0;
	while (p[h] && p[h] != ' ')
		h++;
	if (h == 0 || p[h] != ' ')
		goto unparsed;
	copy(ev->host, sizeof(ev->host), p, h);
	p += h + 1;
	size_t n = 0;
	while (p[n] && p[n] != '[' && p[n] != ':' && p[n] != ' ')
		n++;
	if (n == 0)
		goto unparsed;
	copy(ev->program, sizeof(ev->program), p, n);
	p += n;
	if (*p == '[') {
		const char *e = strchr(p, ']');
		if (!e)
			goto unparsed;
		p = e + 1;
	}
	if (p[0] != ':' || (p[1] != ' ' && p[1] != '\0'))
		goto unparsed;
	p += p[1] ? 2 : 1;
	if (!is_charon(ev->program)) {
		if (ftmd_line(p, ev))
			return PREFIX_FTMD;
		st->other_programs++;
		return PREFIX_SKIP;
	}
	/* Remembered when every byte read above lies inside it: a time was read,
	 * the host does not start with a digit (so the first thread_group
	 * stopped at its first byte), and ": " closed it. */
	if (ls && ev->t.has_time && !is_digit(ev->host[0]) && p[-1] == ' ' &&
	    (size_t)(p - pre) <= sizeof(ls->pre_text)) {
		memcpy(ls->pre_text, pre, (size_t)(p - pre));
		ls->pre_len = (size_t)(p - pre);
		ls->pre_time = ev->t;
		memcpy(ls->pre_host, ev->host, sizeof(ls->pre_host));
		memcpy(ls->pre_program, ev->program, sizeof(ls->pre_program));
	}
	thread_group(&p, ev); /* charon-systemd's MESSAGE carries none */
	*pp = p;
	return PREFIX_CHARON;
unparsed:
	st->unparsed++;
	return PREFIX_SKIP;
}

/* *text_at: where the message text starts in line (len for JSON, whose text is unescaped). */
static bool parse_line(const char *line, size_t len, const struct ike_log_opts *o, struct ike_log_event *ev,
		       struct ike_log_stats *st, size_t *text_at, struct log_line_state *ls)
{
	uint32_t file = ev->file;
	uint64_t lineno = ev->line;
	/* Every field as after memset(ev, 0, sizeof(*ev)), but strings only up
	 * to their terminator, and the union left to whoever types the line
	 * (log_classify or ftmd_line clear it): memset of the 4 KiB event was a
	 * fifth of the reading, and even of the 230 bytes before the text a
	 * twentieth (a rep stos, whose start-up costs more than the stores). */
	ev->t = (struct ike_log_time){0};
	ev->host[0] = '\0';
	ev->program[0] = '\0';
	memset(ev->group, 0, sizeof(ev->group));
	ev->sa_name[0] = '\0';
	ev->sa_uid = 0;
	ev->text[0] = '\0';
	ev->text_truncated = false;
	ev->raw[0] = '\0';
	ev->raw_truncated = false;
	ev->kind = IKE_LOG_OTHER;
	ev->file = file;
	ev->line = lineno;
	ev->thread = -1;
	ev->level = -1;
	*text_at = len;
	if (len && line[0] == '{')
		return json_line(line, len, o, ev, st);
	const char *p = line;
	/* "daemon.info: " */
	size_t fac = 0; /* strspn over [a-z0-9.], which glibc does bytewise */
	while ((p[fac] >= 'a' && p[fac] <= 'z') || (p[fac] >= '0' && p[fac] <= '9') || p[fac] == '.')
		fac++;
	if (fac && p[fac] == ':' && p[fac + 1] == ' ' && memchr(p, '.', fac))
		p += fac + 2;
	if (ls && ls->pre_len && (size_t)(line + len - p) >= ls->pre_len && memcmp(p, ls->pre_text, ls->pre_len) == 0) {
		/* the previous line's "time host charon[pid]: ", parsed as below */
		ev->t = ls->pre_time;
		/* whole buffers: a fixed size copies in a few moves, a byte loop did not */
		memcpy(ev->host, ls->pre_host, sizeof(ev->host));
		memcpy(ev->program, ls->pre_program, sizeof(ev->program));
		p += ls->pre_len;
		thread_group(&p, ev);
	} else {
		enum prefix r = syslog_prefix(&p, line + len, o, ev, st, ls);
		if (r != PREFIX_CHARON)
			return r == PREFIX_FTMD;
	}
	sa_prefix(&p, ev);
	*text_at = (size_t)(p - line);
	/* the reader's lines hold no NUL (check_line refuses them); a caller's may */
	log_classify(p, ls ? len - *text_at : strlen(p), ev, ls && ls->u_zero, ls && ls->no_arrow);
	return true;
}

bool log_parse_line(const char *line, size_t len, const struct ike_log_opts *o, struct ike_log_event *ev,
		    struct ike_log_stats *st, struct log_line_state *ls)
{
	size_t text_at;
	if (!parse_line(line, len, o, ev, st, &text_at, ls))
		return false; /* ev->u untouched: classify and ftmd_line run only on lines kept */
	bool dump_bytes = (ev->kind == IKE_LOG_HEX_DUMP || ev->kind == IKE_LOG_KEY_DUMP) && !ev->u.dump.label[0];
	if (!dump_bytes) {
		ev->raw_truncated = len >= sizeof(ev->raw);
		copy(ev->raw, sizeof(ev->raw), line, len);
	} else if (text_at < len) {
		/* the line's own prefix, then the blanked text: dump bytes may be key bytes */
		snprintf(ev->raw, sizeof(ev->raw), "%.*s%s", (int)(text_at < 512 ? text_at : 512), line, ev->text);
	} else {
		copy(ev->raw, sizeof(ev->raw), ev->text, strlen(ev->text));
	}
	return true;
}

bool ike_log_parse_line(const char *line, size_t len, const struct ike_log_opts *o, struct ike_log_event *ev,
			struct ike_log_stats *st)
{
	return log_parse_line(line, len, o, ev, st, NULL);
}
