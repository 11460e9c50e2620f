/* fuzz_tracker — a sequence of IKE messages (FUZZ_SEP between them) into the
 * tracker. Each item starts with two bytes: the time since the previous message
 * in tenths of a second (a value of 255 steps back in time), and the direction
 * (bit 0: from the second address). Then both track printers. The same
 * messages go into a streaming tracker with a budget of a few records and a
 * settle time of a second, so that SAs are handed out, cut short and
 * compacted away all along. */
#include "fuzz.h"

#include "ikescope/ike.h"
#include "ikescope/track.h"

#define MAX_MESSAGES 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_tracker_opts opts = {.max_sas = 16, .max_exchanges = 64};
	struct ike_tracker *t = ike_tracker_new(&opts);
	struct ike_out_track_stream out = {.f = fuzz_null_file(), .file_name = "fuzz.pcap", .json = size & 1};
	struct ike_tracker_opts sopts = {.max_sas = 16, .max_exchanges = 64, .sink = ike_out_track_sa,
					 .sink_ctx = &out, .budget = 8192, .settle_us = 1000000};
	struct ike_tracker *st_t = ike_tracker_new(&sopts);
	struct ike_decoder *d = ike_decoder_new();
	if (!t || !st_t || !d)
		abort();
	static struct ike_msg m;
	int64_t now_us = 1700000000LL * 1000000;
	size_t pos = 0, n;
	const uint8_t *item;
	for (uint64_t frame = 1; frame <= MAX_MESSAGES && fuzz_next_item(data, size, &pos, &item, &n); frame++) {
		if (n < 2)
			continue;
		now_us += item[0] == 255 ? -3000000 : (int64_t)item[0] * 100000;
		struct ike_origin at = {.frame = frame, .ts_sec = now_us / 1000000, .ts_usec = (int32_t)(now_us % 1000000)};
		struct ike_addr a = {.family = 4, .a = {192, 0, 2, 1}}, b = {.family = 4, .a = {198, 51, 100, 2}};
		at.src = item[1] & 1 ? b : a;
		at.dst = item[1] & 1 ? a : b;
		at.sport = at.dport = item[1] & 2 ? 4500 : 500;
		uint8_t *bytes = fuzz_dup(item + 2, n - 2);
		if (ike_decoder_decode(d, &at, bytes, n - 2, &m) == IKE_OK) {
			ike_tracker_add(t, &m);
			ike_tracker_add(st_t, &m);
		}
		free(bytes);
	}
	ike_tracker_finish(t, now_us);
	ike_tracker_finish(st_t, now_us);
	ike_out_track_end(&out, st_t);
	ike_tracker_free(st_t);
	ike_out_text_track(fuzz_null_file(), t, "fuzz.pcap");
	ike_out_json_track(fuzz_null_file(), t, "fuzz.pcap");
	struct ike_track_stats st;
	ike_tracker_stats(t, &st);
	ike_decoder_free(d);
	ike_tracker_free(t);
	return 0;
}
