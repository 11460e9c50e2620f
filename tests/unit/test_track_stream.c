/*
 * test_track_stream.c — a tracker with a sink: IKE SAs over long before the
 * end are handed out early and give the same records as a tracker that keeps
 * everything; past the budget the quietest SAs are cut short and counted; the
 * SAs held never outgrow the budget.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/track.h"
#include "track_msg.h"

static uint64_t frame;

/* Request and response of one exchange, the response rtt later. */
static void exchange(struct ike_tracker *t, int64_t us, uint64_t ispi, uint64_t rspi, uint8_t exch, uint32_t mid,
		     bool answered)
{
	struct ike_msg m;
	uint8_t raw[40];
	msg(&m, raw, us, true, ispi, exch == 34 ? 0 : rspi, exch, IKE_FLAG_I, mid, ++frame);
	cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
	if (!answered)
		return;
	msg(&m, raw, us + 3000, false, ispi, rspi, exch, IKE_FLAG_R, mid, ++frame);
	cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
}

/* SA k's life: IKE_SA_INIT, IKE_AUTH, DPDs every 10 s from its start; the last
 * of every seventh SA goes unanswered. */
static void sa_life(struct ike_tracker *t, unsigned k, int64_t start, unsigned dpds)
{
	uint64_t ispi = 0x1000 + k, rspi = 0x9000 + k;
	exchange(t, start, ispi, rspi, 34, 0, true);
	exchange(t, start + SEC / 10, ispi, rspi, 35, 1, true);
	for (unsigned d = 0; d < dpds; d++)
		exchange(t, start + (d + 1) * 10 * SEC, ispi, rspi, 37, 2 + d, !(k % 7 == 0 && d + 1 == dpds));
}

struct seen {
	FILE *f;
	struct ike_out_track_stream out;
	size_t calls, max_held;
	uint32_t last_index;
	bool in_order;
	unsigned char *handed; /* per index, how often */
	size_t n_handed;
};

static void sink(void *ctx, const struct ike_tracker *t, const struct ike_sa_rec *sa)
{
	struct seen *s = ctx;
	if (s->calls && sa->index <= s->last_index)
		s->in_order = false;
	s->last_index = sa->index;
	s->calls++;
	cr_assert_lt(sa->index, s->n_handed);
	s->handed[sa->index]++;
	if (ike_tracker_n_sas(t) > s->max_held)
		s->max_held = ike_tracker_n_sas(t);
	ike_out_track_sa(&s->out, t, sa);
}

static char *whole_json(unsigned n, int64_t gap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ike_tracker *t = ike_tracker_new(NULL);
	frame = 0;
	for (unsigned k = 0; k < n; k++)
		sa_life(t, k, (int64_t)k * gap, 3);
	ike_tracker_finish(t, t0 + (int64_t)n * gap);
	ike_out_json_track(f, t, "x.pcap");
	ike_tracker_free(t);
	fclose(f);
	return buf;
}

Test(track_stream, over_sas_are_handed_out_early_with_the_same_records)
{
	enum { N = 300 };
	const int64_t gap = 1000 * SEC; /* each SA is over long before the next one starts */
	char *want = whole_json(N, gap);

	char *buf = NULL;
	size_t len = 0;
	struct seen s = {.f = open_memstream(&buf, &len), .in_order = true, .handed = calloc(N + 1, 1), .n_handed = N + 1};
	s.out = (struct ike_out_track_stream){.f = s.f, .file_name = "x.pcap", .json = true};
	struct ike_tracker_opts o = {.sink = sink, .sink_ctx = &s, .budget = 40 * 1024};
	struct ike_tracker *t = ike_tracker_new(&o);
	frame = 0;
	for (unsigned k = 0; k < N; k++)
		sa_life(t, k, (int64_t)k * gap, 3);
	struct ike_track_stats st;
	ike_tracker_stats(t, &st);
	cr_assert_gt(st.sas_streamed, N / 2, "only %llu streamed before the end", (unsigned long long)st.sas_streamed);
	cr_assert_eq(st.sas_forced, 0);
	ike_tracker_finish(t, t0 + N * gap);
	ike_out_track_end(&s.out, t);
	fclose(s.f);

	cr_assert_eq(s.calls, N);
	cr_assert(s.in_order);
	for (unsigned k = 0; k < N; k++)
		cr_assert_eq(s.handed[k], 1, "SA %u handed out %u times", k, s.handed[k]);
	cr_assert_lt(s.max_held, N / 4, "held %zu SAs at once", s.max_held);
	/* The same records as the tracker that kept everything; only the closing line tells. */
	char *limit = strstr(buf, "{\"v\":1,\"type\":\"track_limit\"");
	cr_assert_not_null(limit);
	cr_assert_not_null(strstr(limit, "\"sas_streamed\":"));
	*limit = '\0';
	cr_assert_str_eq(buf, want);
	ike_tracker_free(t);
	free(s.handed);
	free(buf);
	free(want);
}

Test(track_stream, past_the_budget_the_quietest_sas_are_cut_short)
{
	enum { N = 200, ROUNDS = 60 };
	char *buf = NULL;
	size_t len = 0;
	struct seen s = {.f = open_memstream(&buf, &len), .in_order = true, .handed = calloc(N * (ROUNDS + 2), 1),
			 .n_handed = N * (ROUNDS + 2)};
	s.out = (struct ike_out_track_stream){.f = s.f, .file_name = "x.pcap", .json = false};
	struct ike_tracker_opts o = {.sink = sink, .sink_ctx = &s, .budget = 64 * 1024};
	struct ike_tracker *t = ike_tracker_new(&o);
	frame = 0;
	/* Every SA stays busy (a DPD each second, all SAs in turn): none is ever quiet. */
	for (unsigned k = 0; k < N; k++) {
		exchange(t, k * 1000, 0x1000 + k, 0x9000 + k, 34, 0, true);
		exchange(t, k * 1000 + 500, 0x1000 + k, 0x9000 + k, 35, 1, true);
	}
	for (unsigned r = 0; r < ROUNDS; r++)
		for (unsigned k = 0; k < N; k++)
			exchange(t, (r + 1) * SEC + k * 1000, 0x1000 + k, 0x9000 + k, 37, 2 + r, true);
	struct ike_track_stats st;
	ike_tracker_stats(t, &st);
	cr_assert_gt(st.sas_forced, 0);
	cr_assert_eq(st.sas_forced, st.sas_streamed);
	ike_tracker_finish(t, t0 + (ROUNDS + 2) * SEC);
	ike_out_track_end(&s.out, t);
	fclose(s.f);
	/* Cut short, an SA's later messages open a new record: more records than SAs,
	 * each handed out once, and never all of them held at once. */
	cr_assert_gt(s.calls, N);
	for (size_t i = 0; i < s.calls; i++)
		cr_assert_eq(s.handed[i], 1);
	cr_assert_lt(s.max_held, N);
	cr_assert_not_null(strstr(buf, "were finished early by the memory budget"), "%s", buf);
	cr_assert_not_null(strstr(buf, "were printed as soon as they were over"));
	ike_tracker_free(t);
	free(s.handed);
	free(buf);
}

Test(track_stream, a_small_capture_is_printed_whole_at_the_end)
{
	char *want = whole_json(5, 1000 * SEC);
	char *buf = NULL;
	size_t len = 0;
	struct seen s = {.f = open_memstream(&buf, &len), .in_order = true, .handed = calloc(8, 1), .n_handed = 8};
	s.out = (struct ike_out_track_stream){.f = s.f, .file_name = "x.pcap", .json = true};
	struct ike_tracker_opts o = {.sink = sink, .sink_ctx = &s};
	struct ike_tracker *t = ike_tracker_new(&o);
	frame = 0;
	for (unsigned k = 0; k < 5; k++)
		sa_life(t, k, (int64_t)k * 1000 * SEC, 3);
	cr_assert_eq(s.calls, 0, "nothing is handed out below half the budget");
	ike_tracker_finish(t, t0 + 5000 * SEC);
	ike_out_track_end(&s.out, t);
	fclose(s.f);
	cr_assert_eq(s.calls, 5);
	cr_assert_str_eq(buf, want);
	ike_tracker_free(t);
	free(s.handed);
	free(buf);
	free(want);
}
