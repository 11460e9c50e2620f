/*
 * test_ladder.c — the ladder model (caps, folding, breaks), its SVG printer
 * (escaping of hostile text, rows that never overlap at a thousand
 * exchanges) and the exchanges builder on the lab's real captures.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/capture.h"
#include "ikescope/compare.h"
#include "ikescope/correlate.h"
#include "ikescope/keys.h"
#include "ikescope/ladder.h"
#include "ikescope/track.h"

static struct ike_ladder *two_lines(void)
{
	struct ike_ladder *l = ike_ladder_new(NULL);
	cr_assert_not_null(l);
	cr_assert_eq(ike_ladder_add_lifeline(l, "local", "192.0.2.1"), 0);
	cr_assert_eq(ike_ladder_add_lifeline(l, "peer", "203.0.113.1"), 1);
	return l;
}

static struct ike_ladder_arrow *add(struct ike_ladder *l, int64_t t, int from, int to, const char *label,
				    uint64_t key, uint32_t unit)
{
	struct ike_ladder_arrow a = {.t_us = t, .from = (uint8_t)from, .to = (uint8_t)to, .lost_after = -1,
				     .fold_key = key, .fold_unit = unit};
	snprintf(a.label, sizeof(a.label), "%s", label);
	struct ike_ladder_arrow *p = ike_ladder_add_arrow(l, &a, NULL);
	cr_assert_not_null(p);
	cr_assert_eq(ike_ladder_tip(l, p, "%s at %lld", label, (long long)t), IKE_OK);
	return p;
}

/* The whole SVG in a string (free it). */
static char *render(const struct ike_ladder *l, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	cr_assert_not_null(f);
	cr_assert_eq(ike_svg_ladder(f, l), 0);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

Test(ladder, caps_are_counted)
{
	struct ike_ladder_opts o = {.max_arrows = 3};
	struct ike_ladder *l = ike_ladder_new(&o);
	for (int i = 0; i < IKE_LADDER_MAX_LIFELINES; i++)
		cr_assert_eq(ike_ladder_add_lifeline(l, "x", ""), i);
	cr_assert_eq(ike_ladder_add_lifeline(l, "one too many", ""), -1);
	cr_assert_eq(l->stats.lifelines_dropped, 1);
	struct ike_ladder_arrow a = {.from = 0, .to = 0, .lost_after = -1};
	cr_assert_null(ike_ladder_add_arrow(l, &a, NULL), "from == to is refused");
	a.to = 1;
	a.lost_after = IKE_LADDER_MAX_LIFELINES;
	cr_assert_null(ike_ladder_add_arrow(l, &a, NULL), "a cross on no lifeline is refused");
	a.lost_after = -1;
	for (int i = 0; i < 3; i++)
		cr_assert_not_null(ike_ladder_add_arrow(l, &a, NULL));
	enum ike_err err;
	cr_assert_null(ike_ladder_add_arrow(l, &a, &err));
	cr_assert_eq(err, IKE_OK);
	cr_assert_eq(l->stats.arrows_dropped, 1);
	/* a tooltip stops growing at its cap */
	for (int i = 0; i < 200; i++)
		ike_ladder_tip(l, &l->arrows[0], "line %d of a long tooltip ....................", i);
	cr_assert_lt(l->arrows[0].tooltip_len, IKE_LADDER_TOOLTIP);
	cr_assert_gt(l->stats.tooltip_cut, 0);
	char *svg = render(l, NULL);
	cr_assert_not_null(strstr(svg, "1 transmissions beyond the cap of 3 not drawn"), "the cap is said");
	free(svg);
	ike_ladder_free(l);
}

Test(ladder, runs_fold_and_quiet_gaps_break)
{
	struct ike_ladder *l = two_lines();
	int64_t t = 1000000000000000LL;
	add(l, t, 0, 1, "IKE_AUTH request 1", 0, 1);
	/* five DPD exchanges, request and answer each: one row of five */
	for (int i = 0; i < 5; i++) {
		add(l, t + (i + 1) * 10000000LL, 0, 1, "INFORMATIONAL request", 42, 1);
		struct ike_ladder_arrow *r = add(l, t + (i + 1) * 10000000LL + 500, 1, 0, "INFORMATIONAL response", 42, 0);
		snprintf(r->fold_label, sizeof(r->fold_label), "not the first: unused");
	}
	l->arrows[1].fold_label[0] = '\0';
	snprintf(l->arrows[1].fold_label, sizeof(l->arrows[1].fold_label), "DPD exchanges");
	/* two more after something else: too few to fold */
	add(l, t + 60000000LL, 0, 1, "CREATE_CHILD_SA request", 0, 1);
	add(l, t + 70000000LL, 0, 1, "INFORMATIONAL request", 42, 1);
	add(l, t + 70000500LL, 1, 0, "INFORMATIONAL response", 42, 0);
	/* then ten minutes of nothing, added out of order */
	add(l, t + 670000000LL, 1, 0, "INFORMATIONAL request 0 [ D ]", 0, 1);
	add(l, t + 65000000LL, 0, 1, "added late, sorted in", 0, 1);
	cr_assert_eq(ike_ladder_fold(l, NULL), IKE_OK);

	cr_assert_eq(l->n_arrows, 7);
	const struct ike_ladder_arrow *f = &l->arrows[1];
	cr_assert_eq(f->count, 5);
	cr_assert(f->both_ways);
	cr_assert_str_eq(f->label, "DPD exchanges");
	cr_assert_eq(f->t_end_us, t + 50000000LL + 500);
	cr_assert_not_null(strstr(f->tooltip, "INFORMATIONAL response at"), "the folded rows are listed");
	cr_assert_eq(l->stats.folded, 9);
	cr_assert_str_eq(l->arrows[3].label, "added late, sorted in");
	cr_assert_eq(l->arrows[4].count, 1, "a run worth two exchanges stays unfolded");
	cr_assert_eq(l->n_breaks, 1);
	cr_assert_eq(l->breaks[0].before, 6);
	cr_assert_eq(l->breaks[0].to_us - l->breaks[0].from_us, 600000000LL - 500);

	char *svg = render(l, NULL);
	cr_assert_not_null(strstr(svg, "&#215;5"), "the count is drawn");
	cr_assert_not_null(strstr(svg, "9 min 59 s without IKE traffic"), "the break says how long");
	cr_assert_not_null(strstr(svg, "class=\"a b\""), "a folded row both ways has two heads");
	free(svg);
	ike_ladder_free(l);
}

Test(ladder, hostile_text_is_escaped)
{
	struct ike_ladder *l = ike_ladder_new(NULL);
	ike_ladder_set_title(l, "t <script>alert(1)</script>");
	ike_ladder_add_lifeline(l, "a&b", "\"q'\x01");
	ike_ladder_add_lifeline(l, "\xff\xfe bad utf-8", "\xef\xbf\xbe not XML");
	struct ike_ladder_arrow a = {.t_us = 5, .from = 1, .to = 0, .lost_after = 1, .dashed = true, .red = true};
	snprintf(a.label, sizeof(a.label), "N(<x>) ]]> \x1b[31m \xc2\x85 caf\xc3\xa9");
	struct ike_ladder_arrow *p = ike_ladder_add_arrow(l, &a, NULL);
	cr_assert_not_null(p);
	ike_ladder_tip(l, p, "log: %s", "Nov 26 charon: 10[IKE] <id> & \"x\"\x7f");
	ike_ladder_caption(l, "verdict: %s", "down </text><script>");
	ike_ladder_fold(l, NULL);
	size_t n;
	char *svg = render(l, &n);
	cr_assert_null(strstr(svg, "<script"));
	cr_assert_null(strstr(svg, "]]>"));
	cr_assert_not_null(strstr(svg, "&lt;script&gt;"));
	cr_assert_not_null(strstr(svg, "a&amp;b"));
	cr_assert_not_null(strstr(svg, "&quot;q&apos;?"));
	cr_assert_not_null(strstr(svg, "caf\xc3\xa9"), "well-formed UTF-8 is kept");
	cr_assert_not_null(strstr(svg, "&lt;id&gt; &amp; &quot;x&quot;?"));
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)svg[i];
		cr_assert(c >= 0x20 || c == '\n', "control byte 0x%02x at %zu", c, i);
		cr_assert(c != 0xff && c != 0xfe && c != 0x7f, "byte 0x%02x at %zu", c, i);
	}
	cr_assert_null(strstr(svg, "\xef\xbf\xbe"), "U+FFFE is not XML");
	cr_assert_null(strstr(svg, "\xc2\x85"), "C1 controls are replaced");
	cr_assert_not_null(strstr(svg, "class=\"a r d l\""), "red, dashed, lost");
	cr_assert_not_null(strstr(svg, "<path class=\"x\""), "the cross");
	free(svg);
	ike_ladder_free(l);
}

/* y of every arrow's line, in document order */
static size_t arrow_ys(const char *svg, double *ys, size_t cap)
{
	size_t n = 0;
	for (const char *p = svg; (p = strstr(p, "<path class=\"a")) != NULL && n < cap; p++) {
		const char *d = strstr(p, " d=\"M");
		cr_assert_not_null(d);
		double x, y;
		cr_assert_eq(sscanf(d + 5, "%lf %lf", &x, &y), 2);
		ys[n++] = y;
	}
	return n;
}

Test(ladder, a_thousand_exchanges_stay_one_row_each)
{
	struct ike_ladder *l = two_lines();
	int64_t t = 1700000000000000LL;
	for (int i = 0; i < 1000; i++) {
		/* bursts: request and answer 300 µs apart, exchanges 0.2 to 2 s apart */
		t += (i % 10 + 1) * 200000LL;
		add(l, t, 0, 1, "CREATE_CHILD_SA request 7 [ N(REKEY_SA) SA No TSi TSr ]", 0, 1);
		add(l, t + 300, 1, 0, "CREATE_CHILD_SA response 7 [ SA No TSi TSr ]", 0, 0);
	}
	cr_assert_eq(ike_ladder_fold(l, NULL), IKE_OK);
	size_t n;
	char *svg = render(l, &n);
	static double ys[2100];
	cr_assert_eq(arrow_ys(svg, ys, 2100), 2000);
	for (size_t i = 1; i < 2000; i++)
		cr_assert_geq(ys[i] - ys[i - 1], 28.0, "rows %zu and %zu are %.1f px apart", i - 1, i, ys[i] - ys[i - 1]);
	unsigned w, h;
	ike_svg_ladder_size(l, &w, &h);
	cr_assert_gt(h, (unsigned)ys[1999], "the last row is inside the picture");
	cr_assert_lt(h, 100000u, "at most about 50 px a row");
	char head[64];
	snprintf(head, sizeof(head), "width=\"%u\" height=\"%u\"", w, h);
	cr_assert_not_null(strstr(svg, head));
	/* the lifeline names come back every 40 rows */
	size_t reps = 0;
	for (const char *p = svg; (p = strstr(p, "class=\"rep\"")) != NULL; p++)
		reps++;
	cr_assert_eq(reps, 2 * (1999 / 40));
	free(svg);
	ike_ladder_free(l);
}

/* ---- the exchanges builder on the lab's captures ------------------------ */

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

/* The ladder of the named vantage points of one scenario, with its keys. */
static struct ike_ladder *ladder_of(const char *scenario, const char *const *vantages, unsigned n)
{
	char path[512], err[256];
	enum ike_err why;
	struct ike_keyring *kr = ike_keyring_new();
	snprintf(path, sizeof(path), "%s/%s/ikev2_decryption_table", root(), scenario);
	ike_keyring_load_file(kr, path, NULL);
	const char *names[4];
	struct ike_tracker *trk[4];
	for (unsigned i = 0; i < n; i++)
		names[i] = vantages[i];
	struct ike_ladder_feed *fd = ike_ladder_feed_new(n, names, 0);
	cr_assert_not_null(fd);
	static struct ike_msg m;
	for (unsigned i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.pcap", root(), scenario, vantages[i]);
		struct ike_capture *c = ike_capture_open(path, i, NULL, &why, err, sizeof(err));
		cr_assert_not_null(c, "%s", err);
		struct ike_decoder *d = ike_decoder_new();
		trk[i] = ike_tracker_new(NULL);
		ike_decoder_set_keys(d, kr);
		struct ike_cap_event ev;
		int64_t end = 0;
		enum ike_cap_kind k;
		while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF && k != IKE_CAP_ERROR) {
			int64_t us = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
			end = us > end ? us : end;
			if (k == IKE_CAP_MESSAGE && ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) == IKE_OK) {
				cr_assert_eq(ike_tracker_add(trk[i], &m), IKE_OK);
				cr_assert_eq(ike_ladder_feed_add(fd, &m), IKE_OK);
			}
		}
		ike_tracker_finish(trk[i], end);
		ike_decoder_free(d);
		ike_capture_close(c);
	}
	struct ike_ladder *l = ike_ladder_new(NULL);
	cr_assert_eq(ike_ladder_from_feed(l, fd, (const struct ike_tracker *const *)trk), IKE_OK);
	for (unsigned i = 0; i < n; i++)
		ike_tracker_free(trk[i]);
	ike_ladder_feed_free(fd);
	ike_keyring_free(kr);
	return l;
}

static unsigned count(const struct ike_ladder *l, bool (*pred)(const struct ike_ladder_arrow *))
{
	unsigned n = 0;
	for (size_t i = 0; i < l->n_arrows; i++)
		n += pred(&l->arrows[i]);
	return n;
}
static bool lost_after_isp(const struct ike_ladder_arrow *a) { return a->lost_after == 1 && a->from == 0; }
static bool lost_after_peer(const struct ike_ladder_arrow *a) { return a->lost_after == 2 && a->from == 2; }
static bool lost(const struct ike_ladder_arrow *a) { return a->lost_after >= 0; }
static bool dashed(const struct ike_ladder_arrow *a) { return a->dashed; }
static bool red(const struct ike_ladder_arrow *a) { return a->red; }

static const char *const three[] = {"local", "isp", "peer"};

Test(ladder_lab, dpd_lost_toward_peer_dies_after_the_isp_tap)
{
	struct ike_ladder *l = ladder_of("dpd-lost-toward-peer", three, 3);
	cr_assert_eq(l->n_lifelines, 3);
	cr_assert_str_eq(l->lifelines[1].name, "isp");
	cr_assert_eq(l->n_arrows, 13);
	/* the DPD and its three retransmissions, and the first copy of the new IKE_SA_INIT */
	cr_assert_eq(count(l, lost_after_isp), 5);
	cr_assert_eq(count(l, lost), 5);
	cr_assert_eq(count(l, dashed), 4);
	cr_assert_eq(count(l, red), 4, "the failed DPD exchange");
	cr_assert_not_null(strstr(l->caption, "dpd-timeout"));
	cr_assert_not_null(strstr(l->caption, "5 transmissions seen in isp went no further"));
	ike_ladder_free(l);
}

Test(ladder_lab, dpd_lost_toward_local_dies_before_the_isp_tap)
{
	struct ike_ladder *l = ladder_of("dpd-lost-toward-local", three, 3);
	cr_assert_eq(l->n_arrows, 20);
	cr_assert_eq(count(l, lost_after_peer), 8, "every answer from the peer");
	cr_assert_eq(count(l, lost), 8);
	ike_ladder_free(l);
	/* from the peer alone: answers followed by the request again were lost */
	static const char *const peer[] = {"peer"};
	l = ladder_of("dpd-lost-toward-local", peer, 1);
	cr_assert_eq(l->n_lifelines, 2, "one lifeline per endpoint");
	cr_assert_str_eq(l->lifelines[0].name, "192.0.2.1");
	cr_assert_eq(count(l, lost), 6);
	ike_ladder_free(l);
}

Test(ladder_lab, healthy_is_all_blue_and_delivered)
{
	struct ike_ladder *l = ladder_of("healthy", three, 3);
	cr_assert_eq(count(l, lost), 0);
	cr_assert_eq(count(l, red), 0);
	cr_assert_eq(count(l, dashed), 0);
	cr_assert_eq(l->n_arrows, 8, "two exchanges to set up, two DPDs: below the run that folds");
	/* the DPD arrows carry one fold key: folded from two exchanges on, they are one row */
	struct ike_ladder_fold_opts fo = {.min_run = 2};
	cr_assert_eq(ike_ladder_fold(l, &fo), IKE_OK);
	cr_assert_eq(l->n_arrows, 5);
	cr_assert_eq(l->arrows[4].count, 2);
	cr_assert(l->arrows[4].both_ways);
	cr_assert_str_eq(l->arrows[4].label, "DPD exchanges, each answered at once");
	ike_ladder_free(l);
}

Test(ladder_lab, fragments_are_not_retransmissions)
{
	struct ike_ladder *l = ladder_of("cert-ikefrag", three, 3);
	cr_assert_eq(count(l, dashed), 0);
	cr_assert_eq(count(l, lost), 0);
	ike_ladder_free(l);
}

Test(ladder_lab, psk_mismatch_is_red)
{
	struct ike_ladder *l = ladder_of("psk-mismatch", three, 3);
	cr_assert_eq(l->n_arrows, 4);
	cr_assert(!l->arrows[0].red && !l->arrows[1].red);
	cr_assert(l->arrows[2].red && l->arrows[3].red, "IKE_AUTH answered AUTHENTICATION_FAILED");
	cr_assert_not_null(strstr(l->arrows[3].label, "N(AUTH_FAILED)"));
	cr_assert_not_null(strstr(l->arrows[3].tooltip, "notify AUTHENTICATION_FAILED"));
	cr_assert_not_null(strstr(l->arrows[3].tooltip, "peer frame"));
	ike_ladder_free(l);
}

/* ---- the compare and correlate builders ---------------------------------- */

/* Every message of the three captures of a scenario to one of the two models. */
static void read_three(const char *scenario, struct ike_compare *cmp, struct ike_corr *corr)
{
	char path[512], err[256];
	enum ike_err why;
	struct ike_keyring *kr = ike_keyring_new();
	snprintf(path, sizeof(path), "%s/%s/ikev2_decryption_table", root(), scenario);
	ike_keyring_load_file(kr, path, NULL);
	static struct ike_msg m;
	for (unsigned i = 0; cmp && i < 3; i++)
		cr_assert_eq(ike_compare_add_point(cmp, three[i], IKE_CMP_CAPTURE), (int)i);
	for (unsigned i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s.pcap", root(), scenario, three[i]);
		struct ike_capture *c = ike_capture_open(path, i, NULL, &why, err, sizeof(err));
		cr_assert_not_null(c, "%s", err);
		struct ike_decoder *d = ike_decoder_new();
		ike_decoder_set_keys(d, kr);
		struct ike_cap_event ev;
		int64_t end = 0;
		enum ike_cap_kind k;
		while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF && k != IKE_CAP_ERROR) {
			int64_t us = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
			end = us > end ? us : end;
			if (cmp)
				ike_compare_cover(cmp, (int)i, us);
			if (k != IKE_CAP_MESSAGE || ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) != IKE_OK)
				continue;
			if (cmp)
				cr_assert_eq(ike_compare_add_msg(cmp, (int)i, &m), IKE_OK);
			if (corr)
				cr_assert_eq(ike_corr_add_msg(corr, &m), IKE_OK);
		}
		if (corr)
			ike_corr_end_capture(corr, i, end);
		ike_decoder_free(d);
		ike_capture_close(c);
	}
	ike_keyring_free(kr);
}

Test(ladder_lab, compare_builder_crosses_where_compare_found_the_loss)
{
	struct ike_compare *cmp = ike_compare_new(NULL);
	read_three("dpd-lost-toward-peer", cmp, NULL);
	ike_compare_finish(cmp);
	struct ike_ladder *l = ike_ladder_new(NULL);
	cr_assert_eq(ike_ladder_from_compare(l, cmp), IKE_OK);
	cr_assert_eq(l->n_lifelines, 3);
	cr_assert_eq(l->n_arrows, 13);
	cr_assert_eq(count(l, lost_after_isp), 5);
	cr_assert_eq(count(l, lost), 5);
	cr_assert_eq(count(l, red), 4, "the DPD request that never got through");
	cr_assert_not_null(strstr(l->caption, "lost between isp and peer"), "%s", l->caption);
	ike_ladder_free(l);
	ike_compare_free(cmp);
}

Test(ladder_lab, correlate_builder_shows_log_lines_and_the_verdict)
{
	struct ike_corr *corr = ike_corr_new(NULL);
	read_three("dpd-lost-toward-peer", NULL, corr);
	char p0[512], p1[512], err[256];
	snprintf(p0, sizeof(p0), "%s/dpd-lost-toward-peer/local.log", root());
	snprintf(p1, sizeof(p1), "%s/dpd-lost-toward-peer/peer.log", root());
	const char *const paths[] = {p0, p1};
	struct ike_log *lg = ike_log_open(paths, 2, NULL, err, sizeof(err));
	cr_assert_not_null(lg, "%s", err);
	static struct ike_log_event ev;
	while (ike_log_next(lg, &ev))
		cr_assert_eq(ike_corr_add_log(corr, &ev), IKE_OK);
	ike_log_close(lg);
	ike_corr_finish(corr);

	static const char *const logs[] = {"local.log", "peer.log"};
	struct ike_corr_names names = {logs, 2, three, 3};
	struct ike_ladder *l = ike_ladder_new(NULL);
	cr_assert_eq(ike_ladder_from_corr(l, corr, &names), IKE_OK);
	cr_assert_eq(l->n_arrows, 13);
	cr_assert_eq(count(l, lost_after_isp), 5);
	cr_assert(strncmp(l->caption, "ipsec2_1 192.0.2.1 - 203.0.113.1: flapped, cause dpd-timeout, loss toward-peer",
			  strlen("ipsec2_1 192.0.2.1 - 203.0.113.1: flapped, cause dpd-timeout, loss toward-peer")) == 0,
		  "%s", l->caption);
	cr_assert_not_null(strstr(l->title, "correlate"));
	/* the DPD: charon's generating and sending packet lines in its tooltip */
	const struct ike_ladder_arrow *dpd = NULL;
	for (size_t i = 0; i < l->n_arrows && !dpd; i++)
		if (strstr(l->arrows[i].label, "INFORMATIONAL request 2") == l->arrows[i].label)
			dpd = &l->arrows[i];
	cr_assert_not_null(dpd);
	cr_assert_not_null(strstr(dpd->tooltip, "local.log:"), "%s", dpd->tooltip);
	cr_assert_not_null(strstr(dpd->tooltip, "generating INFORMATIONAL request 2 [ ]"), "%s", dpd->tooltip);
	cr_assert_not_null(strstr(dpd->tooltip, "sending packet"), "%s", dpd->tooltip);
	ike_ladder_free(l);
	ike_corr_free(corr);
}
