/* fuzz_pcap — a whole capture file (pcap or pcapng, compressed or not) through
 * the capture pipeline, each IKE message decoded and printed. */
#include "fuzz.h"

#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_mem_path(data, size);
	enum ike_err why;
	char err[256];
	struct ike_capture *c = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
	if (!c)
		return 0;
	struct ike_decoder *d = ike_decoder_new();
	if (!d)
		abort();
	static struct ike_msg m;
	struct ike_cap_event ev;
	for (unsigned i = 0; i < 4096; i++) {
		enum ike_cap_kind k = ike_capture_next(c, &ev);
		if (k == IKE_CAP_EOF || k == IKE_CAP_ERROR)
			break;
		if (k == IKE_CAP_MESSAGE) {
			if (ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) == IKE_OK)
				ike_out_json_msg(fuzz_null_file(), &m, "fuzz.pcap");
		} else {
			ike_out_text_event(fuzz_null_file(), &ev, "fuzz.pcap");
			ike_out_json_event(fuzz_null_file(), &ev, "fuzz.pcap");
		}
	}
	ike_decoder_free(d);
	ike_capture_close(c);
	return 0;
}
