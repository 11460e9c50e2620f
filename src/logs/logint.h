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

struct log_line_state {
	/* The last time prefix read and what it gave: syslog lines of the same
	 * second share it, and parsing it again was a tenth of the reading. The
	 * result depends only on these bytes and the reader's options. */
	char time_text[LOG_TIME_TEXT_MAX];
	size_t time_len; /* 0: nothing remembered */
	struct ike_log_time time;
	/* ev->u is all zero on entry (the event buffer is reused: an untyped
	 * line leaves it zero), so the 1.7 KiB union needs no clearing. */
	bool u_zero;
};

/* memcpy, never inlined (see logline.c) */
void log_copy_bytes(char *out, const char *s, size_t n);
/* ike_log_parse_line with the reader's state (ls may be NULL: no state). */
bool log_parse_line(const char *line, size_t len, const struct ike_log_opts *o, struct ike_log_event *ev,
		    struct ike_log_stats *st, struct log_line_state *ls);
/* ike_log_classify of text[0..len) (NUL at len); u_zero: ev->u is known to be all zero on entry. */
void log_classify(const char *text, size_t len, struct ike_log_event *ev, bool u_zero);

#endif
