/*
 * test_compare.c — the comparator on the lab's real captures
 * (captures/<scenario>/{local,isp,peer}.pcap), read through the public API:
 * DPD losses in both directions with two and three vantage points, NAT,
 * healthy runs, a capture whose clock is shifted, captures that overlap only
 * in part, span-port duplicates and the caps.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/capture.h"
#include "ikescope/compare.h"
#include "ikescope/log.h"

static const char *root(void)
{
	static const char *const tries[] = {"captures", "../captures", "../../captures", "../../../captures"};
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s/healthy/local.pcap", tries[i]);
		if (access(p, R_OK) == 0)
			return tries[i];
	}
	cr_assert_fail("captures/ not found from the working directory");
	return NULL;
}

/* How a capture is fed: its clock moved by shift_us; only frames in
 * [from_us, to_us) (0 = no bound) are kept, as editcap -A/-B would. */
struct feed {
	const char *vantage;
	int64_t shift_us;
	int64_t from_us, to_us;
	unsigned copies; /* each message fed this many times (a span port); 0 = 1 */
};

static void feed_capture(struct ike_compare *cmp, int point, const char *scenario, const struct feed *fd)
{
	char path[512], err[256];
	enum ike_err why;
	snprintf(path, sizeof(path), "%s/%s/%s.pcap", root(), scenario, fd->vantage);
	struct ike_capture *c = ike_capture_open(path, (uint32_t)point, NULL, &why, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	struct ike_decoder *d = ike_decoder_new();
	cr_assert_not_null(d);
	static struct ike_msg m;
	struct ike_cap_event ev;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF && k != IKE_CAP_ERROR) {
		int64_t us = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
		if ((fd->from_us && us < fd->from_us) || (fd->to_us && us >= fd->to_us))
			continue;
		us += fd->shift_us;
		ev.at.ts_sec = us / 1000000;
		ev.at.ts_usec = (int32_t)(us % 1000000);
		ike_compare_cover(cmp, point, us);
		if (k != IKE_CAP_MESSAGE || ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) != IKE_OK)
			continue;
		for (unsigned i = 0; i < (fd->copies ? fd->copies : 1); i++) {
			m.at.ts_usec = (int32_t)(us % 1000000) + (int32_t)i * 40; /* a span copy 40 µs later */
			cr_assert_eq(ike_compare_add_msg(cmp, point, &m), IKE_OK);
		}
	}
	cr_assert_eq(k, IKE_CAP_EOF, "%s: %s", path, ev.error);
	ike_decoder_free(d);
	ike_capture_close(c);
}

static struct ike_compare *run_opts(const char *scenario, const struct feed *fds, unsigned n,
				    const struct ike_compare_opts *opts)
{
	struct ike_compare *cmp = ike_compare_new(opts);
	cr_assert_not_null(cmp);
	for (unsigned i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s.pcap", fds[i].vantage);
		cr_assert_eq(ike_compare_add_point(cmp, name, IKE_CMP_CAPTURE), (int)i);
	}
	for (unsigned i = 0; i < n; i++)
		feed_capture(cmp, (int)i, scenario, &fds[i]);
	ike_compare_finish(cmp);
	return cmp;
}

static struct ike_compare *run(const char *scenario, const struct feed *fds, unsigned n)
{
	return run_opts(scenario, fds, n, NULL);
}

static const struct feed three[] = {{"local"}, {"isp"}, {"peer"}};
static const struct feed two[] = {{"local"}, {"peer"}};

/* The messages with a lost transmission. */
static size_t lost_msgs(const struct ike_compare *c, const struct ike_cmp_msg **out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		if (m->lost && n < cap)
			out[n++] = m;
	}
	return n;
}

static void no_unknown(const struct ike_compare *c)
{
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++)
		cr_expect_neq(ike_compare_msg(c, i)->dir, IKE_CMP_DIR_UNKNOWN, "message %zu has no direction", i);
}

/* ---- DPD lost toward the peer: after the ISP tap --------------------------- */

Test(compare_lab, dpd_lost_toward_peer_three_points)
{
	struct ike_compare *c = run("dpd-lost-toward-peer", three, 3);
	no_unknown(c);
	cr_assert_eq(ike_compare_n_sas(c), 2);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	/* the four DPD requests: seen at local and the ISP, never at the peer */
	const struct ike_cmp_msg *dpd = lost[0];
	cr_assert_eq(dpd->exchange, 37);
	cr_assert_eq(dpd->mid, 2);
	cr_assert_not(dpd->response);
	cr_assert(dpd->kind_known);
	cr_assert_eq(dpd->kind, IKE_XK_DPD);
	cr_assert_eq(dpd->n_tx, 4);
	cr_assert_eq(dpd->lost, 4);
	cr_assert_eq(dpd->status, IKE_CMP_LOST);
	cr_assert_eq(dpd->dir, IKE_CMP_TOWARD_PEER);
	cr_assert_eq(dpd->loss, IKE_CMP_TOWARD_PEER);
	cr_assert_eq(dpd->lost_after, 1);
	cr_assert_eq(dpd->lost_before, 2);
	cr_assert_eq(dpd->seen[0].count, 4);
	cr_assert_eq(dpd->seen[1].count, 4);
	cr_assert_eq(dpd->seen[2].count, 0);
	for (uint32_t j = 0; j < dpd->n_tx; j++) {
		const struct ike_cmp_tx *t = ike_compare_tx(c, dpd->first_tx + j);
		cr_assert_eq(t->status, IKE_CMP_LOST);
		cr_assert_eq(t->number, j + 1);
		cr_assert_eq(t->at[0], IKE_CMP_AT_SEEN);
		cr_assert_eq(t->at[1], IKE_CMP_AT_SEEN);
		cr_assert_eq(t->at[2], IKE_CMP_AT_MISSING);
	}
	/* the new IKE_SA_INIT: its first copy dropped too, the second went through */
	const struct ike_cmp_msg *init = lost[1];
	cr_assert_eq(init->exchange, 34);
	cr_assert_eq(init->n_tx, 2);
	cr_assert_eq(init->lost, 1);
	cr_assert_eq(init->delivered, 1);
	cr_assert_eq(init->status, IKE_CMP_DELIVERED);
	cr_assert_eq(ike_compare_tx(c, init->first_tx)->status, IKE_CMP_LOST);
	cr_assert_eq(ike_compare_tx(c, init->first_tx + 1)->status, IKE_CMP_DELIVERED);

	struct ike_cmp_summary s;
	ike_compare_summary(c, &s);
	cr_assert_eq(s.toward_peer.lost, 5);
	cr_assert_eq(s.toward_peer.lost_hop[1][2], 5);
	cr_assert_eq(s.toward_peer.messages_lost, 1);
	cr_assert_eq(s.toward_local.lost, 0);
	cr_assert_eq(s.toward_local.delivered, 4);

	char b[512];
	ike_compare_conclusion(c, dpd, b, sizeof(b));
	cr_assert_str_eq(b, "INFORMATIONAL request 2 (DPD) from local: sent 4 times, reached isp.pcap 4/4, "
			    "reached peer.pcap 0/4 \u2192 lost between isp.pcap and peer.pcap");
	ike_compare_free(c);
}

Test(compare_lab, dpd_lost_toward_peer_two_points)
{
	struct ike_compare *c = run("dpd-lost-toward-peer", two, 2);
	no_unknown(c);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	cr_assert_eq(lost[0]->status, IKE_CMP_LOST);
	cr_assert_eq(lost[0]->loss, IKE_CMP_TOWARD_PEER);
	cr_assert_eq(lost[0]->lost_after, 0);
	cr_assert_eq(lost[0]->lost_before, 1);
	cr_assert_eq(lost[0]->lost, 4);
	struct ike_cmp_summary s;
	ike_compare_summary(c, &s);
	cr_assert_eq(s.toward_peer.lost, 5);
	cr_assert_eq(s.toward_local.lost, 0);
	ike_compare_free(c);
}

/* ---- DPD answers lost toward local: before the ISP tap --------------------- */

Test(compare_lab, dpd_lost_toward_local_three_points)
{
	struct ike_compare *c = run("dpd-lost-toward-local", three, 3);
	no_unknown(c);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	const struct ike_cmp_msg *dpd = lost[0];
	cr_assert_eq(dpd->exchange, 37);
	cr_assert(dpd->response);
	cr_assert_eq(dpd->dir, IKE_CMP_TOWARD_LOCAL);
	cr_assert_eq(dpd->status, IKE_CMP_LOST);
	cr_assert_eq(dpd->loss, IKE_CMP_TOWARD_LOCAL);
	cr_assert_eq(dpd->lost_after, 2);
	cr_assert_eq(dpd->lost_before, 1);
	cr_assert_eq(dpd->n_tx, 4);
	cr_assert_eq(dpd->seen[2].count, 4);
	cr_assert_eq(dpd->seen[1].count, 0);
	cr_assert_eq(dpd->seen[0].count, 0);
	for (uint32_t j = 0; j < dpd->n_tx; j++) {
		const struct ike_cmp_tx *t = ike_compare_tx(c, dpd->first_tx + j);
		cr_assert_eq(t->at[1], IKE_CMP_AT_MISSING);
		cr_assert_eq(t->at[0], IKE_CMP_AT_BEYOND);
	}
	/* the restart's IKE_SA_INIT answers: three lost, the last one after the ISP capture ended */
	const struct ike_cmp_msg *init = lost[1];
	cr_assert_eq(init->exchange, 34);
	cr_assert(init->response);
	cr_assert_eq(init->lost, 3);
	cr_assert_eq(init->not_covered, 1);
	cr_assert_eq(init->status, IKE_CMP_LOST);
	const struct ike_cmp_tx *last = ike_compare_tx(c, init->first_tx + 3);
	cr_assert_eq(last->status, IKE_CMP_NOT_COVERED);
	cr_assert_eq(last->uncovered, 1);
	cr_assert_eq(last->at[1], IKE_CMP_AT_NOT_COVERED);
	/* the DPD requests were all delivered */
	struct ike_cmp_summary s;
	ike_compare_summary(c, &s);
	cr_assert_eq(s.toward_peer.lost, 0);
	cr_assert_eq(s.toward_peer.delivered, 10);
	cr_assert_eq(s.toward_local.lost, 7);
	cr_assert_eq(s.toward_local.lost_hop[2][1], 7);
	char b[512];
	ike_compare_conclusion(c, dpd, b, sizeof(b));
	cr_assert_str_eq(b, "INFORMATIONAL response 2 (DPD) from peer: sent 4 times, reached isp.pcap 0/4 "
			    "\u2192 lost between peer.pcap and isp.pcap");
	ike_compare_free(c);
}

Test(compare_lab, dpd_lost_toward_local_two_points)
{
	struct ike_compare *c = run("dpd-lost-toward-local", two, 2);
	no_unknown(c);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	cr_assert_eq(lost[0]->loss, IKE_CMP_TOWARD_LOCAL);
	cr_assert_eq(lost[0]->lost_after, 1);
	cr_assert_eq(lost[0]->lost_before, 0);
	struct ike_cmp_summary s;
	ike_compare_summary(c, &s);
	cr_assert_eq(s.toward_peer.lost, 0);
	cr_assert_eq(s.toward_local.lost, 7);
	ike_compare_free(c);
}

/* ---- NAT and healthy runs: nothing lost ------------------------------------ */

static void all_delivered(const struct ike_compare *c, unsigned n_points)
{
	cr_assert_gt(ike_compare_n_msgs(c), 0);
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		cr_expect_eq(m->status, IKE_CMP_DELIVERED, "message %zu", i);
		cr_expect_eq(m->lost, 0, "message %zu", i);
		for (unsigned p = 0; p < n_points; p++)
			cr_expect_eq(m->seen[p].count, m->n_tx, "message %zu at point %u", i, p);
	}
	struct ike_cmp_summary s;
	ike_compare_summary(c, &s);
	cr_assert_eq(s.toward_peer.lost + s.toward_local.lost + s.unknown_dir.lost, 0);
	cr_assert_eq(s.unknown_dir.messages, 0);
	cr_assert_gt(s.toward_peer.messages, 0);
	cr_assert_gt(s.toward_local.messages, 0);
}

Test(compare_lab, nat_matched_despite_translation)
{
	struct ike_compare *c = run("nat", two, 2);
	all_delivered(c, 2);
	/* the peer sees the ISP's address: the same message, other addresses */
	const struct ike_cmp_msg *m = ike_compare_msg(c, 0);
	cr_assert_not(m->response);
	cr_assert_neq(memcmp(m->seen[0].src.a, m->seen[1].src.a, 4), 0);
	cr_assert_eq(ike_compare_n_sas(c), 1);
	ike_compare_free(c);
	c = run("nat", three, 3);
	all_delivered(c, 3);
	ike_compare_free(c);
}

Test(compare_lab, healthy_nothing_lost)
{
	static const char *const sc[] = {"healthy", "ike-rekey", "child-rekey", "cert-ikefrag", "ipv6"};
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		struct ike_compare *c = run(sc[i], three, 3);
		all_delivered(c, 3);
		ike_compare_free(c);
		c = run(sc[i], two, 2);
		all_delivered(c, 2);
		ike_compare_free(c);
	}
}

/* ---- clocks ---------------------------------------------------------------- */

static bool same_verdicts(const struct ike_compare *a, const struct ike_compare *b)
{
	if (ike_compare_n_msgs(a) != ike_compare_n_msgs(b) || ike_compare_n_tx(a) != ike_compare_n_tx(b))
		return false;
	for (size_t i = 0; i < ike_compare_n_msgs(a); i++) {
		const struct ike_cmp_msg *x = ike_compare_msg(a, i), *y = ike_compare_msg(b, i);
		if (x->hash != y->hash || x->status != y->status || x->dir != y->dir || x->lost != y->lost ||
		    x->lost_after != y->lost_after || x->lost_before != y->lost_before || x->n_tx != y->n_tx)
			return false;
	}
	for (size_t i = 0; i < ike_compare_n_tx(a); i++)
		if (ike_compare_tx(a, i)->status != ike_compare_tx(b, i)->status ||
		    memcmp(ike_compare_tx(a, i)->at, ike_compare_tx(b, i)->at, sizeof(ike_compare_tx(a, i)->at)) != 0)
			return false;
	return true;
}

Test(compare_lab, shifted_clock_recovered)
{
	struct ike_compare *ref = run("dpd-lost-toward-peer", three, 3);
	const struct feed shifted[] = {{"local"}, {"isp", -7500000}, {"peer", 3600250000}};
	struct ike_compare *c = run("dpd-lost-toward-peer", shifted, 3);
	const struct ike_cmp_point *isp = ike_compare_point(c, 1), *peer = ike_compare_point(c, 2);
	cr_assert(isp->offset_known && peer->offset_known);
	/* the lab has one clock: the estimate is the shift, give or take the path's few µs */
	cr_assert_lt(llabs(isp->offset_us - -7500000), 50, "isp offset %lld", (long long)isp->offset_us);
	cr_assert_lt(llabs(peer->offset_us - 3600250000), 50, "peer offset %lld", (long long)peer->offset_us);
	cr_assert_gt(isp->offset_samples, 0);
	cr_assert_geq(isp->delay_us, 0);
	cr_assert_lt(isp->delay_us, 1000);
	cr_assert(same_verdicts(ref, c));
	ike_compare_free(c);
	ike_compare_free(ref);

	ref = run("dpd-lost-toward-local", two, 2);
	const struct feed back[] = {{"local"}, {"peer", -90000000}};
	c = run("dpd-lost-toward-local", back, 2);
	cr_assert_lt(llabs(ike_compare_point(c, 1)->offset_us - -90000000), 50);
	cr_assert(same_verdicts(ref, c));
	ike_compare_free(c);
	ike_compare_free(ref);
}

Test(compare_lab, unshifted_offsets_near_zero)
{
	struct ike_compare *c = run("healthy", three, 3);
	for (unsigned p = 0; p < 3; p++) {
		const struct ike_cmp_point *pt = ike_compare_point(c, p);
		cr_assert(pt->offset_known);
		cr_assert_lt(llabs(pt->offset_us), 50, "point %u offset %lld", p, (long long)pt->offset_us);
	}
	cr_assert_eq(ike_compare_point(c, 0)->offset_us, 0);
	cr_assert_eq(ike_compare_point(c, 0)->delay_us, -1);
	ike_compare_free(c);
}

/* ---- partial overlap ------------------------------------------------------- */

/* 2026-11-26 23:28:25 UTC: between the second and third DPD copies of dpd-lost-toward-peer */
#define T_2328_25 1795735705000000ll
/* 2026-11-26 23:28:56 UTC: between the second and third DPD copies of dpd-lost-toward-local */
#define T_2328_56 1795735736000000ll

Test(compare_lab, partial_overlap_is_not_lost)
{
	/* local's capture starts late: the first DPD answers cannot be judged there */
	const struct feed late[] = {{"local", 0, T_2328_56, 0}, {"peer"}};
	struct ike_compare *c = run("dpd-lost-toward-local", late, 2);
	no_unknown(c);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	const struct ike_cmp_msg *dpd = lost[0];
	cr_assert_eq(dpd->kind, IKE_XK_DPD);
	cr_assert(dpd->response);
	cr_assert_eq(dpd->n_tx, 4);
	cr_assert_eq(dpd->not_covered, 2);
	cr_assert_eq(dpd->lost, 2);
	cr_assert_eq(dpd->status, IKE_CMP_LOST);
	cr_assert_eq(ike_compare_tx(c, dpd->first_tx)->status, IKE_CMP_NOT_COVERED);
	cr_assert_eq(ike_compare_tx(c, dpd->first_tx)->uncovered, 0);
	cr_assert_eq(ike_compare_tx(c, dpd->first_tx + 2)->status, IKE_CMP_LOST);
	/* the IKE SA's setup happened before local's capture: the requests reached
	 * the peer, the answers are not covered, never lost */
	const struct ike_cmp_msg *first = ike_compare_msg(c, 0);
	cr_assert_eq(first->exchange, 34);
	cr_assert_not(first->response);
	cr_assert_eq(first->dir, IKE_CMP_TOWARD_PEER);
	cr_assert_eq(first->status, IKE_CMP_DELIVERED);
	cr_assert_eq(ike_compare_msg(c, 1)->dir, IKE_CMP_TOWARD_LOCAL);
	cr_assert_eq(ike_compare_msg(c, 1)->status, IKE_CMP_NOT_COVERED);
	cr_assert_eq(ike_compare_msg(c, 1)->not_covered, 1);
	ike_compare_free(c);

	/* with the ISP tap in between, capturing all along, every answer is lost before it */
	const struct feed late3[] = {{"local", 0, T_2328_56, 0}, {"isp"}, {"peer"}};
	c = run("dpd-lost-toward-local", late3, 3);
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	cr_assert_eq(lost[0]->lost, 4);
	cr_assert_eq(lost[0]->lost_after, 2);
	cr_assert_eq(lost[0]->lost_before, 1);
	cr_assert_eq(ike_compare_tx(c, lost[0]->first_tx)->at[0], IKE_CMP_AT_BEYOND);
	ike_compare_free(c);

	/* the tap in the middle stops early: the far end still decides */
	const struct feed early[] = {{"local"}, {"isp", 0, 0, T_2328_25}, {"peer"}};
	c = run("dpd-lost-toward-peer", early, 3);
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	dpd = lost[0];
	cr_assert_eq(dpd->lost, 4);
	cr_assert_eq(dpd->seen[1].count, 2);
	const struct ike_cmp_tx *t = ike_compare_tx(c, dpd->first_tx + 3);
	cr_assert_eq(t->status, IKE_CMP_LOST);
	cr_assert_eq(t->lost_after, 0);
	cr_assert_eq(t->lost_before, 2);
	cr_assert_eq(t->at[1], IKE_CMP_AT_NOT_COVERED);
	t = ike_compare_tx(c, dpd->first_tx);
	cr_assert_eq(t->lost_after, 1);
	cr_assert_eq(t->lost_before, 2);
	ike_compare_free(c);
}

/* ---- span-port duplicates and caps ----------------------------------------- */

Test(compare_lab, span_duplicates_folded)
{
	struct ike_compare *ref = run("dpd-lost-toward-peer", three, 3);
	const struct feed dup[] = {{"local"}, {"isp", 0, 0, 0, 2}, {"peer"}};
	struct ike_compare *c = run("dpd-lost-toward-peer", dup, 3);
	cr_assert_eq(ike_compare_point(c, 1)->duplicates, ike_compare_point(c, 1)->messages / 2);
	cr_assert_gt(ike_compare_point(c, 1)->duplicates, 0);
	cr_assert(same_verdicts(ref, c));
	ike_compare_free(c);
	ike_compare_free(ref);
}

Test(compare_lab, caps_counted)
{
	struct ike_compare_opts o = {.max_messages = 6, .max_tx = 4};
	struct ike_compare *c = run_opts("dpd-lost-toward-peer", three, 3, &o);
	struct ike_cmp_stats st;
	ike_compare_stats(c, &st);
	cr_assert_eq(ike_compare_n_msgs(c), 6);
	cr_assert_gt(st.messages_dropped, 0);
	cr_assert_leq(ike_compare_n_tx(c), 4);
	cr_assert_gt(st.tx_dropped, 0);
	ike_compare_free(c);
}

Test(compare_api, points_and_names)
{
	struct ike_compare *c = ike_compare_new(NULL);
	for (int i = 0; i < IKE_CMP_MAX_POINTS; i++)
		cr_assert_eq(ike_compare_add_point(c, "x", IKE_CMP_CAPTURE), i);
	cr_assert_eq(ike_compare_add_point(c, "x", IKE_CMP_CAPTURE), -1);
	ike_compare_finish(c);
	cr_assert_eq(ike_compare_n_msgs(c), 0);
	cr_assert_str_eq(ike_cmp_status_name(IKE_CMP_NOT_COVERED), "not-covered");
	cr_assert_str_eq(ike_cmp_dir_name(IKE_CMP_TOWARD_LOCAL), "toward-local");
	cr_assert_str_eq(ike_cmp_at_name(IKE_CMP_AT_BEYOND), "beyond");
	ike_compare_free(c);
}

/* ---- charon logs standing in for a capture ---------------------------------- */

static void feed_log(struct ike_compare *cmp, int point, const char *scenario, const char *name)
{
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s/%s/%s", root(), scenario, name);
	const char *paths[1] = {path};
	struct ike_log *l = ike_log_open(paths, 1, NULL, err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	static struct ike_log_event ev;
	while (ike_log_next(l, &ev))
		cr_assert_eq(ike_compare_add_log(cmp, point, &ev), IKE_OK);
	ike_log_close(l);
}

/* local.log, the captures named, peer.log: in path order */
static struct ike_compare *run_logs(const char *scenario, const char *const *caps, unsigned n)
{
	struct ike_compare *cmp = ike_compare_new(NULL);
	cr_assert_eq(ike_compare_add_point(cmp, "local.log", IKE_CMP_LOG), 0);
	for (unsigned i = 0; i < n; i++)
		cr_assert_eq(ike_compare_add_point(cmp, caps[i], IKE_CMP_CAPTURE), (int)i + 1);
	cr_assert_eq(ike_compare_add_point(cmp, "peer.log", IKE_CMP_LOG), (int)n + 1);
	for (unsigned i = 0; i < n; i++) {
		struct feed fd = {caps[i]};
		char v[32];
		snprintf(v, sizeof(v), "%.*s", (int)(strchr(caps[i], '.') - caps[i]), caps[i]);
		fd.vantage = v;
		feed_capture(cmp, (int)i + 1, scenario, &fd);
	}
	feed_log(cmp, 0, scenario, "local.log");
	feed_log(cmp, (int)n + 1, scenario, "peer.log");
	ike_compare_finish(cmp);
	return cmp;
}

Test(compare_logs, answers_lost_toward_local_found_in_the_peer_log)
{
	static const char *const isp[] = {"isp.pcap"};
	struct ike_compare *c = run_logs("dpd-lost-toward-local", isp, 1);
	no_unknown(c);
	cr_assert(ike_compare_point(c, 0)->offset_known);
	cr_assert(ike_compare_point(c, 0)->offset_from_log);
	cr_assert(ike_compare_point(c, 2)->offset_known);
	/* the log's 1-second lines: the offset is below a second */
	cr_assert_lt(llabs(ike_compare_point(c, 2)->offset_us), 1000000);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	const struct ike_cmp_msg *dpd = lost[0];
	cr_assert(dpd->log_only);
	cr_assert_eq(dpd->exchange, 37);
	cr_assert(dpd->response);
	cr_assert_eq(dpd->ispi, ike_compare_msg(c, 0)->ispi, "a lost answer joins its exchange's IKE SA");
	cr_assert_eq(dpd->kind, IKE_XK_DPD);
	cr_assert_eq(dpd->n_tx, 4);
	cr_assert_eq(dpd->seen[2].count, 4);
	cr_assert_eq(dpd->status, IKE_CMP_LOST);
	cr_assert_eq(dpd->loss, IKE_CMP_TOWARD_LOCAL);
	cr_assert_eq(dpd->lost_after, 2);
	cr_assert_eq(dpd->lost_before, 1);
	/* the requests: sent by local (its log), through the ISP, received by the peer (its log) */
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		if (m->exchange != 37 || m->response)
			continue;
		cr_assert_eq(m->n_tx, 4);
		cr_assert_eq(m->seen[0].count, 4);
		cr_assert_eq(m->seen[1].count, 4);
		cr_assert_eq(m->seen[2].count, 4);
		cr_assert_eq(m->delivered, 4);
	}
	ike_compare_free(c);
}

Test(compare_logs, requests_lost_toward_peer_absent_from_the_peer_log)
{
	static const char *const isp[] = {"isp.pcap"};
	struct ike_compare *c = run_logs("dpd-lost-toward-peer", isp, 1);
	no_unknown(c);
	const struct ike_cmp_msg *lost[8];
	cr_assert_eq(lost_msgs(c, lost, 8), 2);
	cr_assert_eq(lost[0]->exchange, 37);
	cr_assert_not(lost[0]->log_only);
	cr_assert_eq(lost[0]->seen[0].count, 4, "local logged four sends");
	cr_assert_eq(lost[0]->lost, 4);
	cr_assert_eq(lost[0]->lost_after, 1);
	cr_assert_eq(lost[0]->lost_before, 2);
	cr_assert_eq(lost[0]->loss, IKE_CMP_TOWARD_PEER);
	ike_compare_free(c);
}

Test(compare_logs, healthy_with_every_point)
{
	static const char *const all[] = {"local.pcap", "isp.pcap", "peer.pcap"};
	static const char *const sc[] = {"healthy", "nat", "cert-ikefrag", "ike-rekey"};
	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		struct ike_compare *c = run_logs(sc[i], all, 3);
		all_delivered(c, 5);
		for (unsigned p = 0; p < 5; p++)
			cr_assert_eq(ike_compare_point(c, p)->unmatched, 0, "%s point %u", sc[i], p);
		ike_compare_free(c);
	}
}

/* ---- an empty capture ------------------------------------------------------- */

Test(compare_lab, empty_capture_ran_and_saw_nothing)
{
	/* the ISP dropped everything toward the peer from the start: peer.pcap has no frame */
	struct ike_compare *c = run("default-retransmit", three, 3);
	cr_assert(ike_compare_point(c, 2)->coverage_assumed);
	cr_assert_not(ike_compare_point(c, 1)->coverage_assumed);
	cr_assert_not(ike_compare_point(c, 2)->offset_known);
	cr_assert(ike_compare_point(c, 1)->offset_one_way);
	cr_assert_eq(ike_compare_n_msgs(c), 1);
	const struct ike_cmp_msg *m = ike_compare_msg(c, 0);
	cr_assert_eq(m->dir, IKE_CMP_TOWARD_PEER);
	cr_assert_eq(m->n_tx, 6);
	cr_assert_eq(m->status, IKE_CMP_LOST);
	cr_assert_eq(m->lost, 6);
	cr_assert_eq(m->lost_after, 1);
	cr_assert_eq(m->lost_before, 2);
	cr_assert_eq(m->loss, IKE_CMP_TOWARD_PEER);
	cr_assert_eq(ike_compare_sa(c, 0)->initiator_dir, IKE_CMP_TOWARD_PEER);
	ike_compare_free(c);
	/* a capture that holds frames is never stretched: cut the ISP's short */
	const struct feed early[] = {{"local"}, {"isp", 0, 0, 1795735760000000ll}, {"peer"}};
	c = run("default-retransmit", early, 3);
	cr_assert_not(ike_compare_point(c, 1)->coverage_assumed);
	m = ike_compare_msg(c, 0);
	cr_assert_eq(m->lost, 6);
	cr_assert_eq(ike_compare_tx(c, m->first_tx + 5)->at[1], IKE_CMP_AT_NOT_COVERED);
	cr_assert_eq(ike_compare_tx(c, m->first_tx + 5)->lost_after, 0);
	ike_compare_free(c);
}

Test(compare_lab, answered_request_delivered_outside_the_far_capture)
{
	/* the peer's capture starts after the first IKE SA was set up and its DPDs were dropped */
	const struct feed late[] = {{"local"}, {"isp"}, {"peer", 0, T_2328_25, 0}};
	struct ike_compare *c = run("dpd-lost-toward-peer", late, 3);
	const struct ike_cmp_msg *init = ike_compare_msg(c, 0), *auth = ike_compare_msg(c, 2);
	cr_assert_eq(init->exchange, 34);
	cr_assert_not(init->response);
	cr_assert_eq(init->status, IKE_CMP_DELIVERED);
	cr_assert(ike_compare_tx(c, init->first_tx)->by_answer);
	cr_assert_eq(ike_compare_tx(c, init->first_tx)->at[2], IKE_CMP_AT_NOT_COVERED);
	cr_assert_eq(auth->exchange, 35);
	cr_assert(ike_compare_tx(c, auth->first_tx)->by_answer);
	/* the unanswered DPDs stay not covered: nothing says where they went */
	const struct ike_cmp_msg *dpd = ike_compare_msg(c, 4);
	cr_assert_eq(dpd->exchange, 37);
	cr_assert_eq(dpd->status, IKE_CMP_NOT_COVERED);
	cr_assert_eq(dpd->not_covered, 4);
	for (uint32_t j = 0; j < dpd->n_tx; j++)
		cr_assert_not(ike_compare_tx(c, dpd->first_tx + j)->by_answer);
	ike_compare_free(c);
}

Test(compare_logs, far_log_behind_a_nat_clocked_by_content)
{
	/* the peer logs the ISP's address, the ISP's tap on local's side shows local's:
	 * the log's clock comes from what its lines and the capture have in common */
	static const char *const isp[] = {"isp.pcap"};
	struct ike_compare *c = run_logs("nat", isp, 1);
	cr_assert(ike_compare_point(c, 2)->offset_known);
	cr_assert_lt(llabs(ike_compare_point(c, 2)->offset_us), 1000000);
	all_delivered(c, 3);
	cr_assert_eq(ike_compare_point(c, 2)->unmatched, 0);
	ike_compare_free(c);
}
