/* fuzz_message — one whole IKE message (as after UDP or TCP framing): decode,
 * charon's summary, and both printers (verbose text and JSON). */
#include "fuzz.h"

#include "ikescope/ike.h"
#include "ikescope/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_decoder *d = ike_decoder_new();
	if (!d)
		return 0;
	uint8_t *bytes = fuzz_dup(data, size);
	struct ike_origin at = {.file = 0, .frame = 1, .ts_sec = 1700000000, .ts_usec = 0};
	at.src.family = at.dst.family = 4;
	at.src.a[0] = 192, at.dst.a[0] = 198;
	at.sport = at.dport = 500;
	static struct ike_msg m;
	if (ike_decoder_decode(d, &at, bytes, size, &m) == IKE_OK) {
		char sum[512];
		ike_msg_summary(&m, sum, sizeof(sum));
		ike_msg_summary(&m, sum, 8); /* a short buffer truncates cleanly */
		ike_out_text_msg(fuzz_null_file(), &m, "fuzz.pcap", true);
		ike_out_text_msg(fuzz_null_file(), &m, "fuzz.pcap", false);
		ike_out_json_msg(fuzz_null_file(), &m, "fuzz.pcap");
	}
	struct ike_anomaly a;
	while (ike_decoder_flush(d, &at, &a))
		;
	ike_decoder_free(d);
	free(bytes);
	return 0;
}
