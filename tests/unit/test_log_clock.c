/*
 * test_log_clock.c — the log-to-capture clock offset, from the lab's captures
 * (local.log and local.pcap share one clock; the log has 1-second resolution)
 * and from the same log written two hours ahead.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/log.h"

static const char *root(void)
{
	return IKESCOPE_SOURCE_ROOT;
}

static void add_capture(struct ike_log_clock *c, const char *scenario)
{
	char path[512], err[256];
	enum ike_err why;
	snprintf(path, sizeof(path), "%s/captures/%s/local.pcap", root(), scenario);
	struct ike_capture *cap = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
	cr_assert_not_null(cap, "%s", err);
	struct ike_decoder *d = ike_decoder_new();
	cr_assert_not_null(d);
	static struct ike_msg m;
	struct ike_cap_event ev;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(cap, &ev)) != IKE_CAP_EOF && k != IKE_CAP_ERROR)
		if (k == IKE_CAP_MESSAGE && ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) == IKE_OK)
			ike_log_clock_add_msg(c, &m);
	cr_assert_eq(k, IKE_CAP_EOF, "%s", ev.error);
	ike_decoder_free(d);
	ike_capture_close(cap);
}

static void add_log(struct ike_log_clock *c, const char *path, const struct ike_log_opts *o)
{
	char err[256];
	struct ike_log *l = ike_log_open(&path, 1, o, err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	static struct ike_log_event ev;
	while (ike_log_next(l, &ev))
		ike_log_clock_add_event(c, &ev);
	ike_log_close(l);
}

static struct ike_log_clock_result estimate(const char *scenario, const char *log, const struct ike_log_opts *o)
{
	char path[512];
	if (log)
		snprintf(path, sizeof(path), "%s/tests/unit/data/logs/%s", root(), log);
	else
		snprintf(path, sizeof(path), "%s/captures/%s/local.log", root(), scenario);
	struct ike_log_clock *c = ike_log_clock_new();
	cr_assert_not_null(c);
	add_capture(c, scenario);
	add_log(c, path, o);
	struct ike_log_clock_result r;
	ike_log_clock_estimate(c, 15 * 3600, &r);
	ike_log_clock_free(c);
	return r;
}

/*
 * Lab scenarios: offset within 1 s of zero. ("tcp" is left out: udp2tcp rewrote
 * healthy's capture into RFC 8229 framing, its log still names the UDP ports.)
 */
Test(log_clock, lab_same_clock)
{
	static const char *const scenarios[] = {
		"healthy", "dpd-lost-toward-peer", "dpd-lost-toward-local", "pfs-mismatch", "dh-group-mismatch",
		"nat", "ipv6", "cipher-aes-gcm-16", "cert-ikefrag", "child-rekey", "ike-rekey", "peer-delete",
	};
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct ike_log_clock_result r = estimate(scenarios[i], NULL, NULL);
		cr_assert(r.found, "%s", scenarios[i]);
		cr_assert_lt(llabs(r.offset_usec), 1000000, "%s: offset %lld us", scenarios[i], (long long)r.offset_usec);
		cr_assert_geq(r.offset_usec, 0, "%s: the log truncates to the second, so the capture is later",
			      scenarios[i]);
		cr_assert_geq(r.support, 4, "%s: %u lines", scenarios[i], r.support);
		cr_assert_leq(r.support, r.matched);
		cr_assert_leq(r.matched, r.log_packets);
		cr_assert_eq(r.year, 2026, "%s: the year comes from the capture", scenarios[i]);
		cr_assert(!r.capped);
	}
}

Test(log_clock, log_two_hours_ahead)
{
	struct ike_log_clock_result same = estimate("healthy", NULL, NULL);
	struct ike_log_clock_result r = estimate("healthy", "healthy-plus2h.log", NULL);
	cr_assert(r.found);
	cr_assert_lt(llabs(r.offset_usec + 7200 * 1000000ll), 1000000, "offset %lld us", (long long)r.offset_usec);
	cr_assert_eq(r.support, same.support);
	cr_assert_eq(r.year, 2026);
	/* with the zone given, the offset is back to zero */
	struct ike_log_opts o = {.tz_known = true, .tz_offset_sec = 7200};
	r = estimate("healthy", "healthy-plus2h.log", &o);
	cr_assert_lt(llabs(r.offset_usec), 1000000);
	/* and with the year given too */
	o.year = 2026;
	r = estimate("healthy", "healthy-plus2h.log", &o);
	cr_assert_lt(llabs(r.offset_usec), 1000000);
	cr_assert_eq(r.year, 0, "no year needed from the capture");
}

Test(log_clock, shapes_with_a_year_and_zone)
{
	struct ike_log_clock_result r = estimate("healthy", "journal.json", NULL);
	cr_assert(r.found);
	cr_assert_lt(llabs(r.offset_usec), 1000000);
	r = estimate("healthy", "journal-short-iso.log", NULL);
	cr_assert_lt(llabs(r.offset_usec), 1000000);
}

Test(log_clock, wrong_capture_or_no_window)
{
	/* a capture from another run: no pair agrees in time within a narrow window */
	char path[512];
	snprintf(path, sizeof(path), "%s/captures/healthy/local.log", root());
	struct ike_log_clock *c = ike_log_clock_new();
	add_capture(c, "healthy");
	add_log(c, path, NULL);
	struct ike_log_clock_result r;
	ike_log_clock_estimate(c, 0, &r);
	cr_assert(!r.found || llabs(r.offset_usec) == 0);
	ike_log_clock_free(c);
	c = ike_log_clock_new();
	add_log(c, path, NULL);
	ike_log_clock_estimate(c, 3600, &r);
	cr_assert(!r.found);
	cr_assert_gt(r.log_packets, 0);
	cr_assert_eq(r.matched, 0);
	ike_log_clock_free(c);
}

/* Stray same-size matches far away must not move the median. */
Test(log_clock, outliers_and_ties)
{
	struct ike_log_clock *c = ike_log_clock_new();
	static struct ike_msg m;
	static struct ike_log_event ev;
	memset(&m, 0, sizeof(m));
	m.at.src.family = m.at.dst.family = 4;
	m.at.src.a[0] = 10;
	m.at.dst.a[0] = 11;
	m.at.sport = m.at.dport = 4500;
	m.length = 80;
	memset(&ev, 0, sizeof(ev));
	ev.kind = IKE_LOG_PKT_SENT;
	ev.u.pkt.from.addr = m.at.src;
	ev.u.pkt.to.addr = m.at.dst;
	ev.u.pkt.from.port = ev.u.pkt.to.port = 4500;
	ev.u.pkt.bytes = 80;
	ev.u.pkt.has_bytes = true;
	ev.t.has_time = ev.t.has_year = ev.t.year_in_line = true;
	/* six DPDs one minute apart, each captured 300 ms after its log second */
	for (int i = 0; i < 6; i++) {
		m.at.ts_sec = 1000000 + 60 * i;
		m.at.ts_usec = 300000;
		ike_log_clock_add_msg(c, &m);
		ev.t.sec = 1000000 + 60 * i;
		ike_log_clock_add_event(c, &ev);
	}
	struct ike_log_clock_result r;
	ike_log_clock_estimate(c, 600, &r);
	cr_assert(r.found);
	cr_assert_eq(r.offset_usec, 300000);
	cr_assert_eq(r.support, 6);
	cr_assert_eq(r.matched, 6);
	/* a line with no byte count or of another kind is not used */
	ev.u.pkt.has_bytes = false;
	ike_log_clock_add_event(c, &ev);
	ev.kind = IKE_LOG_DPD;
	ike_log_clock_add_event(c, &ev);
	ike_log_clock_estimate(c, 600, &r);
	cr_assert_eq(r.log_packets, 6);
	ike_log_clock_free(c);
}

/* One line, two equally supported candidates: the one nearer zero wins. */
Test(log_clock, tie_goes_to_the_smaller_offset)
{
	struct ike_log_clock *c = ike_log_clock_new();
	static struct ike_msg m;
	static struct ike_log_event ev;
	memset(&m, 0, sizeof(m));
	m.at.src.family = m.at.dst.family = 6;
	m.at.sport = m.at.dport = 500;
	m.length = 464;
	m.at.ts_sec = 2000000 - 30;
	ike_log_clock_add_msg(c, &m);
	m.at.ts_sec = 2000000 + 20;
	ike_log_clock_add_msg(c, &m);
	memset(&ev, 0, sizeof(ev));
	ev.kind = IKE_LOG_PKT_RECEIVED;
	ev.u.pkt.from.addr.family = ev.u.pkt.to.addr.family = 6;
	ev.u.pkt.from.port = ev.u.pkt.to.port = 500;
	ev.u.pkt.bytes = 464;
	ev.u.pkt.has_bytes = true;
	ev.t.has_time = ev.t.has_year = ev.t.year_in_line = true;
	ev.t.sec = 2000000;
	ike_log_clock_add_event(c, &ev);
	struct ike_log_clock_result r;
	ike_log_clock_estimate(c, 60, &r);
	cr_assert(r.found);
	cr_assert_eq(r.offset_usec, 20000000);
	cr_assert_eq(r.support, 1);
	/* a window too narrow for either */
	ike_log_clock_estimate(c, 10, &r);
	cr_assert(!r.found);
	cr_assert_eq(r.matched, 0);
	ike_log_clock_free(c);
}
