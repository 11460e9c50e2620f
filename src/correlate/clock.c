/*
 * clock.c — every log file on the capture clock, --around, and the merged
 * timeline.
 *
 * A file whose lines all carry a year and a zone is already UTC. Otherwise,
 * when captures were given, the offset is estimated from the file's packet
 * lines (log.h: addresses, ports and IKE length), which also gives the year
 * for lines without one; the estimate is reported as a clock finding. With
 * no capture, or no estimate, the times stay as the options made them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "correlate/corr_int.h"

/* A time with `year` applied when the line had none (µs). */
static int64_t rebased_t(const struct ike_log_time *t, int year)
{
	int64_t sec = t->sec;
	if (year && !t->has_year)
		sec += ike_log_civil_sec(t, year) - ike_log_civil_sec(t, IKE_LOG_NOMINAL_YEAR);
	return sec * 1000000 + t->usec;
}

static int64_t rebased(const struct ike_corr_log *l, int year)
{
	return rebased_t(&l->t, year);
}

/* A file without packet lines of its own takes the clock of another: first
 * one of the same host (a rotated file), else any file that has one. */
static void borrow(struct ike_corr *c, uint32_t i)
{
	struct corr_file *f = &c->files[i];
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t k = 0; k < IKE_LOG_MAX_FILES; k++) {
			const struct corr_file *o = &c->files[k];
			if (k == i || !o->seen || !o->est.found || (pass == 0 && strcmp(o->host, f->host) != 0))
				continue;
			f->has_offset = true;
			f->offset_us = o->offset_us;
			f->year = o->year;
			struct ike_corr_finding *fd = ike_corr_add_finding(
				c, IKE_FIND_CLOCK, -1, 0,
				"log file %u has no packet line matching a captured message: it takes the offset of log "
				"file %u (%+.3f s)",
				i + 1, k + 1, (double)o->offset_us / 1e6);
			if (fd) {
				fd->log_file = i;
				fd->offset_us = f->offset_us;
			}
			return;
		}
}

#define CLOCK_SAMPLE 4096 /* packet lines given to the estimate, spread over the file */

/* The year of the first captured message (0 without one). */
static int capture_year(const struct ike_corr *c)
{
	if (!c->n_msgs)
		return 0;
	time_t tt = (time_t)(c->msgs[0].us / 1000000);
	struct tm tm;
	return gmtime_r(&tt, &tm) ? tm.tm_year + 1900 : 0;
}

/*
 * The estimate pairs every packet line with every captured datagram of the
 * same length and addresses, so its cost is lines × datagrams: a long log is
 * sampled (every step-th packet line) and the support counted in the sample.
 * Lines without a year are given the capture's year first (a capture across
 * New Year dates them by its first message), so that the estimate need not
 * try three years per pair.
 */
static void estimate(struct ike_corr *c, uint32_t file, struct corr_file *f)
{
	struct ike_log_clock *k = ike_log_clock_new();
	struct ike_msg *mp = calloc(1, sizeof(*mp));      /* large: on the heap */
	struct ike_log_event *ep = calloc(1, sizeof(*ep));
	if (!k || !mp || !ep) {
		ike_log_clock_free(k);
		free(mp);
		free(ep);
		return;
	}
	struct ike_msg *const m = mp;
	struct ike_log_event *const e = ep;
	for (size_t i = 0; i < c->n_msgs; i++) {
		const struct ike_corr_msg *x = &c->msgs[i];
		memset(&m->at, 0, sizeof(m->at));
		m->at.ts_sec = x->us / 1000000;
		m->at.ts_usec = (int32_t)(x->us % 1000000);
		m->at.src = x->src;
		m->at.dst = x->dst;
		m->at.sport = x->sport;
		m->at.dport = x->dport;
		m->length = x->length;
		ike_log_clock_add_msg(k, m);
	}
	size_t n = 0;
	for (size_t i = 0; i < c->n_logs; i++)
		n += c->logs[i].file == file && c->logs[i].has_bytes &&
		     (c->logs[i].kind == IKE_LOG_PKT_SENT || c->logs[i].kind == IKE_LOG_PKT_RECEIVED);
	size_t step = n > CLOCK_SAMPLE ? (n + CLOCK_SAMPLE - 1) / CLOCK_SAMPLE : 1;
	int year = capture_year(c);
	size_t seen = 0;
	for (size_t i = 0; i < c->n_logs; i++) {
		const struct ike_corr_log *l = &c->logs[i];
		if (l->file != file || (l->kind != IKE_LOG_PKT_SENT && l->kind != IKE_LOG_PKT_RECEIVED) ||
		    !l->has_bytes || seen++ % step)
			continue;
		e->kind = l->kind;
		e->t = l->t;
		if (!e->t.has_year && year) {
			e->t.sec = rebased_t(&l->t, year) / 1000000;
			e->t.has_year = true;
		}
		e->u.pkt.from = l->from;
		e->u.pkt.to = l->to;
		e->u.pkt.bytes = l->bytes;
		e->u.pkt.has_bytes = l->has_bytes;
		ike_log_clock_add_event(k, e);
	}
	ike_log_clock_estimate(k, c->o.clock_window_sec, &f->est);
	ike_log_clock_free(k);
	free(mp);
	free(ep);
	f->estimated = true;
	f->sampled = step > 1;
	if (f->est.found) {
		f->has_offset = true;
		f->offset_us = f->est.offset_usec;
		f->year = f->undated ? year : 0;
	}
}

/* Drops what lies outside --around (after the clocks are set). */
static void around(struct ike_corr *c)
{
	int64_t lo = c->o.around_us - c->o.around_window_us, hi = c->o.around_us + c->o.around_window_us;
	size_t n = 0;
	for (size_t i = 0; i < c->n_logs; i++) {
		if (c->logs[i].us < lo || c->logs[i].us > hi) {
			free(c->logs[i].text);
			c->st.filtered++;
			continue;
		}
		c->logs[n++] = c->logs[i];
	}
	c->n_logs = n;
	n = 0;
	for (size_t i = 0; i < c->n_msgs; i++) {
		if (c->msgs[i].us < lo || c->msgs[i].us > hi) {
			c->st.filtered++;
			continue;
		}
		c->msgs[n++] = c->msgs[i];
	}
	c->n_msgs = n;
}

void ike_corr_clock(struct ike_corr *c)
{
	for (uint32_t i = 0; i < IKE_LOG_MAX_FILES; i++) {
		struct corr_file *f = &c->files[i];
		if (!f->seen)
			continue;
		if (f->all_dated) {
			f->has_offset = true; /* UTC already: offset 0 */
		} else if (c->n_msgs) {
			estimate(c, i, f);
			struct ike_corr_finding *fd;
			if (f->est.found)
				fd = ike_corr_add_finding(c, IKE_FIND_CLOCK, -1, 0,
							  "log file %u put on the capture clock: offset %+.3f s, "
							  "%u of %u %spacket lines agree",
							  i + 1, (double)f->offset_us / 1e6, f->est.support,
							  f->est.log_packets, f->sampled ? "sampled " : "");
			else
				fd = ike_corr_add_finding(c, IKE_FIND_CLOCK, -1, 0,
							  "log file %u: no offset found (%u packet lines, none "
							  "matches a captured message); times taken as written",
							  i + 1, f->est.log_packets);
			if (fd) {
				fd->log_file = i;
				fd->clock = f->est;
				fd->offset_us = f->offset_us;
			}
		}
	}
	for (uint32_t i = 0; i < IKE_LOG_MAX_FILES; i++)
		if (c->files[i].seen && !c->files[i].has_offset && c->n_msgs)
			borrow(c, i);
	/* no capture to give the year: --around names one */
	if (c->o.have_around) {
		time_t tt = (time_t)(c->o.around_us / 1000000);
		struct tm tm;
		for (uint32_t i = 0; i < IKE_LOG_MAX_FILES; i++) {
			struct corr_file *f = &c->files[i];
			if (f->seen && f->undated && !f->year && gmtime_r(&tt, &tm))
				f->year = tm.tm_year + 1900;
		}
	}
	for (uint32_t i = 0; i < IKE_LOG_MAX_FILES; i++) {
		struct corr_file *f = &c->files[i];
		if (f->seen && f->has_span) {
			f->first_us = rebased_t(&f->t_first, f->year) + f->offset_us;
			f->last_us = rebased_t(&f->t_last, f->year) + f->offset_us;
		}
	}
	for (size_t i = 0; i < c->n_logs; i++) {
		struct ike_corr_log *l = &c->logs[i];
		const struct corr_file *f = &c->files[l->file];
		l->log_us = rebased(l, f->year);
		l->us = l->log_us + f->offset_us;
	}
	if (c->o.have_around)
		around(c);
}

static int by_time(const void *a, const void *b)
{
	const struct ike_corr_entry *x = a, *y = b;
	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	if (x->src != y->src)
		return x->src == IKE_CORR_SRC_LOG ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

static bool shown(const struct ike_corr *c, int32_t tunnel)
{
	if (!c->o.have_peer)
		return true;
	for (size_t i = 0; i < c->n_verdicts; i++)
		if ((int32_t)c->verdicts[i].tunnel == tunnel)
			return true;
	return false;
}

/*
 * Where a log line goes on the timeline. A log has one-second resolution, so
 * a line linked to a frame is placed at the frame (a received or parsed line
 * just after it); the lines between keep their file's order: each unlinked
 * line is pulled back before the next placed line, then no line goes before
 * the one above it in its file.
 */
static void placement(const struct ike_corr *c, int64_t *key)
{
	for (size_t i = 0; i < c->n_logs; i++) {
		const struct ike_corr_log *l = &c->logs[i];
		key[i] = l->us;
		if (l->link >= 0)
			key[i] = c->msgs[l->link].us +
				 (l->kind == IKE_LOG_PKT_RECEIVED || l->kind == IKE_LOG_MSG_PARSED ? 1 : 0);
	}
	for (uint32_t f = 0; f < IKE_LOG_MAX_FILES; f++) {
		if (!c->files[f].seen)
			continue;
		/* within the log's resolution of the line placed above, an unlinked line follows it */
		int64_t above = INT64_MIN;
		for (size_t i = 0; i < c->n_logs; i++) {
			if (c->logs[i].file != f)
				continue;
			if (c->logs[i].link >= 0)
				above = key[i];
			else if (above != INT64_MIN && key[i] - above <= 1000000 && above - key[i] <= 1000000)
				key[i] = above;
		}
		int64_t next = INT64_MAX;
		for (size_t i = c->n_logs; i-- > 0;) {
			if (c->logs[i].file != f)
				continue;
			if (c->logs[i].link < 0 && key[i] > next)
				key[i] = next;
			next = key[i];
		}
		int64_t prev = INT64_MIN;
		for (size_t i = 0; i < c->n_logs; i++) {
			if (c->logs[i].file != f)
				continue;
			if (key[i] < prev)
				key[i] = prev;
			prev = key[i];
		}
	}
}

void ike_corr_timeline(struct ike_corr *c)
{
	c->entries = calloc(c->n_logs + c->n_msgs + 1, sizeof(*c->entries));
	int64_t *key = malloc((c->n_logs + 1) * sizeof(*key));
	if (!c->entries || !key) {
		free(key);
		return;
	}
	placement(c, key);
	size_t n = 0;
	for (size_t i = 0; i < c->n_logs; i++) {
		if (!shown(c, c->logs[i].tunnel)) {
			c->st.filtered++;
			continue;
		}
		c->entries[n++] = (struct ike_corr_entry){key[i], IKE_CORR_SRC_LOG, (uint32_t)i};
	}
	free(key);
	for (size_t i = 0; i < c->n_msgs; i++) {
		if (!shown(c, c->msgs[i].tunnel)) {
			c->st.filtered++;
			continue;
		}
		c->entries[n++] = (struct ike_corr_entry){c->msgs[i].us, IKE_CORR_SRC_CAPTURE, (uint32_t)i};
	}
	qsort(c->entries, n, sizeof(*c->entries), by_time);
	c->n_entries = n;
}
