/*
 * logread.c — streaming reader over several log files, merged in time order.
 *
 * Each file is read through zlib's gzread, which passes plain files through
 * unchanged, so rotated "messages.2.gz" and "messages" read alike. Every
 * file holds one decoded event of look-ahead; ike_log_next returns the
 * earliest (equal times: lower file index first, and a file's own lines stay
 * in order), so memory is bounded by the number of files, not their size.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ikescope/log.h"
#include "logs/logint.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CHUNK 65536
#define THREAD_SLOTS 256

struct src {
	gzFile gz;
	uint32_t index;
	uint64_t lineno;
	bool eof;
	char chunk[CHUNK];
	size_t pos, end;
	char line[IKE_LOG_MAX_LINE + 1]; /* a line cut by the chunk's end, put together */
	/* look-ahead */
	struct ike_log_event ev;
	bool has_ev;
	struct log_line_state ls;
	/* time carried to lines without one, and the check for time going backwards */
	struct ike_log_time last;
	bool has_last;
	int year_add; /* a December-to-January step in a file without years */
	/* per thread: the kind of the dump header whose bytes lines may follow */
	uint8_t dump_kind[THREAD_SLOTS];
};

struct ike_log {
	struct ike_log_opts opts;
	struct ike_log_stats st;
	struct src *s[IKE_LOG_MAX_FILES];
	size_t n;
	struct src *lent; /* its event was lent by ike_log_next_ref: read its next one first */
};

/* RFC 3629 UTF-8, no overlongs, no surrogates; control bytes other than tab refused.
 * *no_gt: the line holds no '>' (false when unsure), so no "label => dump" header. */
enum line_check { LINE_OK, LINE_BINARY, LINE_UTF8 };
static enum line_check check_line(const unsigned char *p, size_t n, bool *no_gt)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	*no_gt = false;
	bool first = true; /* no slower path has run: the SSE2 loads saw every byte so far */
	for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
		/* Sixteen printable ASCII bytes at a time (signed: 0x20..0x7e is
		 * above 0x1f and below 0x7f, bytes from 0x80 are negative), and
		 * whether one is '>', while the bytes are at hand */
		__m128i gt = _mm_setzero_si128();
		while (n - i >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f)),
						   _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f)));
			if (_mm_movemask_epi8(ok) != 0xffff)
				break;
			gt = _mm_or_si128(gt, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
			i += 16;
		}
		if (n - i < 16 && n >= 16) {
			/* the tail, as the last sixteen bytes: all before i passed */
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16));
			__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f)),
						   _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f)));
			if (_mm_movemask_epi8(ok) == 0xffff) {
				gt = _mm_or_si128(gt, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
				*no_gt = first && _mm_movemask_epi8(gt) == 0;
				return LINE_OK;
			}
		}
#endif
		first = false;
		/* Eight printable ASCII bytes at a time (no byte at or above 0x7f,
		 * none below 0x20): almost every log byte. */
		while (n - i >= 8) {
			uint64_t x;
			memcpy(&x, p + i, 8);
			uint64_t d = x ^ 0x7f7f7f7f7f7f7f7full;
			if ((x & high) || ((x - 0x20 * ones) & ~x & high) || ((d - ones) & ~d & high))
				break;
			i += 8;
		}
		if (i == n)
			break;
		unsigned c = p[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return LINE_BINARY;
			i++;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			min = 0x10000;
		} else {
			return LINE_UTF8;
		}
		if (n - i < len)
			return LINE_UTF8;
		unsigned v = c & (0x7f >> len);
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return LINE_UTF8;
			v = v << 6 | (p[i + k] & 0x3f);
		}
		if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return LINE_UTF8;
		i += len;
	}
	return LINE_OK;
}

#if defined(__SSE2__)
/*
 * The common line found and checked in one pass (memchr and then check_line
 * each loaded it once more): printable ASCII up to a '\n' inside p[0..avail).
 * Its length, SIZE_MAX when it is another kind (a tab, CR, UTF-8, control
 * byte, or no '\n' in reach: memchr and check_line then). *no_gt as
 * check_line's.
 */
static size_t ascii_line(const char *p, size_t avail, bool *no_gt)
{
	unsigned gt = 0;
	for (size_t i = 0; avail - i >= 16 && i <= IKE_LOG_MAX_LINE; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f)),
					   _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f)));
		unsigned bad = ~(unsigned)_mm_movemask_epi8(ok) & 0xffff;
		unsigned g = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
		if (bad) {
			unsigned k = (unsigned)__builtin_ctz(bad);
			if (p[i + k] != '\n')
				return SIZE_MAX;
			*no_gt = !gt && !(g & ((1u << k) - 1));
			return i + k;
		}
		gt |= g;
	}
	return SIZE_MAX;
}
#endif

/*
 * The next line of s, NUL-terminated, without its newline (and '\r'); overlong
 * ones are skipped here. A line whole inside the chunk is terminated in place
 * (its newline overwritten), so only lines cut by a chunk's end are copied
 * into s->line: copying every line was a twentieth of the reading. *checked:
 * the line is known printable ASCII, and s->ls.no_arrow set (no check_line).
 */
static char *next_line(struct ike_log *l, struct src *s, size_t *len, bool *checked)
{
	size_t n = 0;
	bool overlong = false;
	char *out;
	*checked = false;
	for (;;) {
		if (s->pos == s->end) {
			if (s->eof)
				break;
			int r = gzread(s->gz, s->chunk, CHUNK);
			if (r <= 0) {
				if (r < 0) {
					l->st.read_errors++;
				} else {
					int zerr;
					gzerror(s->gz, &zerr);
					if (zerr != Z_OK && zerr != Z_STREAM_END)
						l->st.read_errors++; /* a gzip file cut short */
				}
				s->eof = true;
				break;
			}
			s->pos = 0;
			s->end = (size_t)r;
		}
		char *start = s->chunk + s->pos;
#if defined(__SSE2__)
		if (n == 0 && !overlong) {
			size_t k = ascii_line(start, s->end - s->pos, &s->ls.no_arrow);
			if (k != SIZE_MAX) {
				s->pos += k + 1;
				s->lineno++;
				l->st.lines++;
				if (k > IKE_LOG_MAX_LINE) {
					l->st.overlong++;
					continue;
				}
				start[k] = '\0';
				*len = k;
				*checked = true;
				return start;
			}
		}
#endif
		char *nl = memchr(start, '\n', s->end - s->pos);
		size_t take = nl ? (size_t)(nl - start) : s->end - s->pos;
		s->pos += take + (nl ? 1 : 0);
		if (nl && n == 0 && !overlong) {
			s->lineno++;
			l->st.lines++;
			if (take > IKE_LOG_MAX_LINE) {
				l->st.overlong++;
				continue;
			}
			out = start;
			n = take;
			goto done;
		}
		if (!overlong && n + take <= IKE_LOG_MAX_LINE) {
			memcpy(s->line + n, start, take);
			n += take;
		} else {
			overlong = true;
		}
		if (!nl)
			continue;
		s->lineno++;
		l->st.lines++;
		if (overlong) {
			l->st.overlong++;
			n = 0;
			overlong = false;
			continue;
		}
		out = s->line;
		goto done;
	}
	if (n == 0 && !overlong)
		return NULL;
	s->lineno++; /* last line without a newline */
	l->st.lines++;
	if (overlong) {
		l->st.overlong++;
		return NULL;
	}
	out = s->line;
done:
	if (n && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	*len = n;
	return out;
}

/* "  16: …" — the offset column of a %B dump line */
static bool dump_like(const char *t)
{
	while (*t == ' ')
		t++;
	const char *d = t;
	while (*t >= '0' && *t <= '9')
		t++;
	return t > d && *t == ':';
}

static bool time_before(const struct ike_log_time *a, const struct ike_log_time *b)
{
	return a->sec < b->sec || (a->sec == b->sec && a->usec < b->usec);
}

/* Reads lines until one becomes an event (kept in s->ev) or the file ends. */
static void fill(struct ike_log *l, struct src *s)
{
	s->has_ev = false;
	size_t len;
	char *line;
	bool checked;
	while ((line = next_line(l, s, &len, &checked)) != NULL) {
		if (len == 0) {
			l->st.empty++;
			continue;
		}
		enum line_check c = checked ? LINE_OK : check_line((const unsigned char *)line, len, &s->ls.no_arrow);
		if (c != LINE_OK) {
			if (c == LINE_BINARY)
				l->st.binary++;
			else
				l->st.invalid_utf8++;
			continue;
		}
		struct ike_log_event *ev = &s->ev;
		ev->file = s->index;
		ev->line = s->lineno;
		if (!log_parse_line(line, len, &l->opts, ev, &l->st, &s->ls))
			continue; /* ev->u as it was */
		s->ls.u_zero = ev->kind == IKE_LOG_OTHER; /* log_classify cleared it */
		struct ike_log_time *t = &ev->t;
		if (t->has_time && !t->year_in_line && s->has_last && s->last.mon == 12 && t->mon == 1)
			s->year_add++;
		if (t->has_time && !t->year_in_line && s->year_add) {
			int y = (l->opts.year ? l->opts.year : IKE_LOG_NOMINAL_YEAR) + s->year_add;
			t->sec = ike_log_civil_sec(t, y) - (t->has_zone ? l->opts.tz_offset_sec : 0);
		}
		if (!t->has_time && s->has_last) {
			*t = s->last;
			t->has_time = false;
		} else if (t->has_time) {
			if (s->has_last && time_before(t, &s->last))
				l->st.backwards++;
			s->last = *t;
			s->has_last = true;
		}
		/* dump bytes after a key header on the same thread are key bytes */
		if (ev->thread >= 0) {
			uint8_t *dk = &s->dump_kind[ev->thread % THREAD_SLOTS];
			if ((ev->kind == IKE_LOG_KEY_DUMP || ev->kind == IKE_LOG_HEX_DUMP) && ev->u.dump.label[0])
				*dk = (uint8_t)ev->kind;
			else if (ev->kind == IKE_LOG_HEX_DUMP && *dk == IKE_LOG_KEY_DUMP)
				ev->kind = IKE_LOG_KEY_DUMP;
			else if (ev->kind == IKE_LOG_OTHER && *dk == IKE_LOG_KEY_DUMP && dump_like(ev->text)) {
				/* a damaged line inside a key dump: typed and blanked all the same */
				ev->kind = IKE_LOG_KEY_DUMP;
				snprintf(ev->text, sizeof(ev->text), "(damaged key dump line)");
				snprintf(ev->raw, sizeof(ev->raw), "(damaged key dump line)");
			}
			else if (ev->kind != IKE_LOG_HEX_DUMP)
				*dk = 0;
		}
		s->has_ev = true;
		return;
	}
}

struct ike_log *ike_log_open(const char *const *paths, size_t n, const struct ike_log_opts *opts, char *err,
			     size_t errlen)
{
	if (n == 0 || n > IKE_LOG_MAX_FILES) {
		snprintf(err, errlen, "%zu log files: between 1 and %d can be read together", n, IKE_LOG_MAX_FILES);
		return NULL;
	}
	struct ike_log *l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (opts)
		l->opts = *opts;
	for (size_t i = 0; i < n; i++) {
		struct src *s = calloc(1, sizeof(*s));
		if (!s) {
			snprintf(err, errlen, "%s: out of memory", paths[i]);
			ike_log_close(l);
			return NULL;
		}
		l->s[l->n++] = s;
		s->index = (uint32_t)i;
		s->ls.u_zero = true; /* calloc */
		errno = 0;
		s->gz = gzopen(paths[i], "rb");
		if (!s->gz) {
			snprintf(err, errlen, "%s: %s", paths[i], errno ? strerror(errno) : "cannot open");
			ike_log_close(l);
			return NULL;
		}
	}
	for (size_t i = 0; i < l->n; i++)
		fill(l, l->s[i]);
	return l;
}

/* *d = *s, without the unused tails of the two 1 KiB text buffers: the
 * event is about 4 KiB and copying it whole was a tenth of the reading. */
static void copy_event(struct ike_log_event *d, const struct ike_log_event *s)
{
	memcpy(d, s, offsetof(struct ike_log_event, text));
	memcpy(d->text, s->text, strnlen(s->text, sizeof(s->text) - 1) + 1);
	d->text_truncated = s->text_truncated;
	memcpy(d->raw, s->raw, strnlen(s->raw, sizeof(s->raw) - 1) + 1);
	d->raw_truncated = s->raw_truncated;
	d->kind = s->kind;
	d->u = s->u;
}

/* The file whose look-ahead comes first, NULL at the end of all. */
static struct src *earliest(struct ike_log *l)
{
	if (l->lent) {
		fill(l, l->lent);
		l->lent = NULL;
	}
	struct src *best = NULL;
	for (size_t i = 0; i < l->n; i++) {
		struct src *s = l->s[i];
		if (s->has_ev && (!best || time_before(&s->ev.t, &best->ev.t)))
			best = s;
	}
	return best;
}

bool ike_log_next(struct ike_log *l, struct ike_log_event *ev)
{
	struct src *best = earliest(l);
	if (!best)
		return false;
	copy_event(ev, &best->ev);
	l->st.events++;
	fill(l, best);
	return true;
}

const struct ike_log_event *ike_log_next_ref(struct ike_log *l)
{
	struct src *best = earliest(l);
	if (!best)
		return NULL;
	l->st.events++;
	l->lent = best; /* read on at the next call, when the caller is done with it */
	return &best->ev;
}

void ike_log_stats(const struct ike_log *l, struct ike_log_stats *out)
{
	*out = l->st;
}

void ike_log_close(struct ike_log *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		if (l->s[i]->gz)
			gzclose(l->s[i]->gz);
		free(l->s[i]);
	}
	free(l);
}
