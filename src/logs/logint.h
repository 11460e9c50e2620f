/*
 * logint.h — what the reader (logread.c) keeps from one line to the next
 * for the line parser (logline.c) and the classifier (logkind.c). Internal
 * to src/logs; the public entry points pass no state and behave the same.
 */
#ifndef IKESCOPE_LOGINT_H
#define IKESCOPE_LOGINT_H

#include <stdbool.h>
#include <stddef.h>

#include "ikescope/log.h"

#define LOG_TIME_TEXT_MAX 40 /* longest time prefix remembered ("2026-11-26T23:25:26.123456789+05:30 ") */
#define LOG_PREFIX_MAX 96    /* longest syslog prefix remembered ("Nov 26 23:25:26 vedge01 charon[812]: ") */

struct log_line_state {
	/* The last time prefix read and what it gave: syslog lines of the same
	 * second share it, and parsing it again was a tenth of the reading. The
	 * result depends only on these bytes and the reader's options. */
	char time_text[LOG_TIME_TEXT_MAX];
	size_t time_len; /* 0: nothing remembered */
	struct ike_log_time time;
	/* The same for a whole charon syslog prefix, time, host and program:
	 * most lines repeat the previous one's. */
	char pre_text[LOG_PREFIX_MAX];
	size_t pre_len; /* 0: nothing remembered */
	struct ike_log_time pre_time;
	char pre_host[IKE_LOG_NAME_MAX], pre_program[IKE_LOG_NAME_MAX];
	/* ev->u is all zero on entry (the event buffer is reused: an untyped
	 * line leaves it zero), so the 1.7 KiB union needs no clearing. */
	bool u_zero;
	/* the line holds no '>' (check_line saw every byte): no "label => …" dump header */
	bool no_arrow;
};

/* memcpy, never inlined (see logline.c) */
void log_copy_bytes(char *out, const char *s, size_t n);
/* ike_log_parse_line with the reader's state (ls may be NULL: no state). */
bool log_parse_line(const char *line, size_t len, const struct ike_log_opts *o, struct ike_log_event *ev,
		    struct ike_log_stats *st, struct log_line_state *ls);
/* ike_log_classify of text[0..len) (NUL at len); u_zero: ev->u is known to be all zero on entry;
 * no_arrow: the text holds no '>'. */
void log_classify(const char *text, size_t len, struct ike_log_event *ev, bool u_zero, bool no_arrow);

#endif
