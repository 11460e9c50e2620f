/* fuzz_transport — the capture pipeline below IKE: the first byte picks a link
 * type, the rest is a sequence of frames (FUZZ_SEP between them), written as a
 * classic pcap into a memory file and read back through ike_capture_open. The
 * frames carry whatever the fuzzer makes of them: IPv4/IPv6, fragments, UDP
 * 500/4500, TCP segments of RFC 8229 streams. Frame i is at i/4 seconds. */
#include "fuzz.h"

#include "ikescope/capture.h"

static const uint32_t linktypes[] = {1 /* Ethernet */, 101 /* raw IP */, 113 /* Linux SLL */,
				     0 /* BSD loopback */, 276 /* Linux SLL2 */, 12 /* raw IP (OpenBSD) */};
#define N_LINKTYPES (sizeof(linktypes) / sizeof(linktypes[0]))
#define MAX_FRAMES 256

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); } /* host order, as pcap writers do */
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* the pcap: a 24-byte header, then per frame 16 bytes and the frame */
	uint8_t *pcap = malloc(24 + (size - 1) + 16 * (MAX_FRAMES + 1));
	if (!pcap)
		abort();
	put32(pcap, 0xa1b2c3d4);
	put16(pcap + 4, 2);
	put16(pcap + 6, 4);
	put32(pcap + 8, 0);
	put32(pcap + 12, 0);
	put32(pcap + 16, 65535);
	put32(pcap + 20, linktypes[data[0] % N_LINKTYPES]);
	size_t len = 24, pos = 0;
	const uint8_t *item;
	size_t n;
	for (uint32_t i = 0; i < MAX_FRAMES && fuzz_next_item(data + 1, size - 1, &pos, &item, &n); i++) {
		if (n > 65535)
			n = 65535;
		put32(pcap + len, 1700000000 + i / 4);
		put32(pcap + len + 4, (i % 4) * 250000);
		put32(pcap + len + 8, (uint32_t)n);
		put32(pcap + len + 12, (uint32_t)n);
		if (n)
			memcpy(pcap + len + 16, item, n);
		len += 16 + n;
	}

	const char *path = fuzz_mem_path(pcap, len);
	free(pcap);
	enum ike_err why;
	char err[256];
	struct ike_capture_opts opts = {.extra_ports = {4501}, .n_extra_ports = 1, .tcp_max_streams = 8,
					.frag_max_datagrams = 16};
	struct ike_capture *c = ike_capture_open(path, 0, &opts, &why, err, sizeof(err));
	if (!c)
		return 0;
	struct ike_cap_event ev;
	for (;;) {
		enum ike_cap_kind k = ike_capture_next(c, &ev);
		if (k == IKE_CAP_EOF || k == IKE_CAP_ERROR)
			break;
		for (size_t j = 0; j < ev.len; j++)
			fuzz_sink_acc += ev.data[j];
	}
	struct ike_capture_stats st;
	ike_capture_stats(c, &st);
	for (size_t j = 0; j < st.n_esp; j++)
		fuzz_sink_acc += (size_t)st.esp[j].packets;
	ike_capture_close(c);
	return 0;
}
