/* Files: pcap and pcapng, frame numbering, timestamps, damaged and foreign files. */
#include <criterion/criterion.h>

#include "test_cap_build.h"

static struct evlist L;

static void put_ike(struct capw *w, uint32_t sec, uint32_t usec, uint64_t tag)
{
	struct pk *p = pk_ike_udp4(500, 500, tag, 80);
	capw_rec(w, sec, usec, pk_data(p), (uint32_t)pk_len(p), (uint32_t)pk_len(p));
	free(p);
}
static void put_other(struct capw *w)
{
	struct pk *p = pk_ike_udp4(53, 53, 0, 30);
	capw_pk(w, 1, p);
	free(p);
}

/* Frames count every record, IKE or not, from 1. */
Test(cap_file, frame_numbers_and_timestamps)
{
	for (int ng = 0; ng < 2; ng++) {
		struct capw w;
		if (ng)
			capw_pcapng(&w, 1);
		else
			capw_pcap(&w, 1, 65535);
		put_other(&w);
		put_ike(&w, 1700000000, 123456, 1);
		put_other(&w);
		put_other(&w);
		put_ike(&w, 1700000001, 999999, 2);
		run_capw(&w, NULL, &L);
		cr_assert_eq(L.n, 2);
		cr_assert_eq(L.ev[0].at.frame, 2);
		cr_assert_eq(L.ev[0].at.ts_sec, 1700000000);
		cr_assert_eq(L.ev[0].at.ts_usec, 123456);
		cr_assert_eq(L.ev[1].at.frame, 5);
		cr_assert_eq(L.ev[1].at.ts_usec, 999999);
		cr_assert_eq(L.ev[1].data[7], 2);
		cr_assert_eq(L.st.frames, 5);
		cr_assert_eq(L.st.other, 3);
		cr_assert_eq(L.st.ike_messages, 2);
		evlist_free(&L);
	}
}

/* A nanosecond pcap is read at microsecond precision. */
Test(cap_file, nanosecond_file)
{
	struct capw w;
	capw_pcap(&w, 1, 65535);
	w.b[0] = 0x4d;
	w.b[1] = 0x3c;
	w.b[2] = 0xb2;
	w.b[3] = 0xa1;
	put_ike(&w, 5, 123456789, 1);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1);
	cr_assert_eq(L.ev[0].at.ts_usec, 123456);
	evlist_free(&L);
}

Test(cap_file, several_files)
{
	struct capw w;
	capw_pcap(&w, 1, 65535);
	put_other(&w);
	put_ike(&w, 1, 0, 1);
	char *p1 = capw_save(&w);
	capw_pcapng(&w, 113);
	struct pk *p = pk_new();
	pk_ike(p, 2, 50);
	pk_udp(p, 500, 500);
	pk_ip4(p, A4, B4, 17, 1, 0);
	pk_sll(p, 0x0800);
	capw_pk(&w, 1, p);
	free(p);
	char *p2 = capw_save(&w);

	enum ike_err why;
	char err[256];
	struct ike_capture *c1 = ike_capture_open(p1, 0, NULL, &why, err, sizeof(err));
	struct ike_capture *c2 = ike_capture_open(p2, 1, NULL, &why, err, sizeof(err));
	cr_assert_not_null(c1);
	cr_assert_not_null(c2);
	cr_assert_eq(ike_capture_linktype(c1), 1);
	cr_assert_eq(ike_capture_linktype(c2), 113);
	struct ike_cap_event ev;
	cr_assert_eq(ike_capture_next(c2, &ev), IKE_CAP_MESSAGE);
	cr_assert_eq(ev.at.file, 1);
	cr_assert_eq(ev.at.frame, 1);
	cr_assert_eq(ike_capture_next(c1, &ev), IKE_CAP_MESSAGE);
	cr_assert_eq(ev.at.file, 0);
	cr_assert_eq(ev.at.frame, 2);
	cr_assert_eq(ike_capture_next(c1, &ev), IKE_CAP_EOF);
	cr_assert_eq(ike_capture_next(c2, &ev), IKE_CAP_EOF);
	ike_capture_close(c1);
	ike_capture_close(c2);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
}

Test(cap_file, missing_and_foreign_files)
{
	enum ike_err why = IKE_OK;
	char err[256];
	cr_assert_null(ike_capture_open("/nonexistent/x.pcap", 0, NULL, &why, err, sizeof(err)));
	cr_assert_eq(why, IKE_E_IO);
	cr_assert(strncmp(err, "/nonexistent/x.pcap: ", 21) == 0, "%s", err);
	cr_assert(strchr(err, '\n') == NULL);

	struct capw w = {0};
	capw_put(&w, "Nov 26 23:00:01 charon: 09[IKE] hello\n", 38);
	char *path = capw_save(&w);
	why = IKE_OK;
	cr_assert_null(ike_capture_open(path, 0, NULL, &why, err, sizeof(err)));
	cr_assert_eq(why, IKE_E_IO);
	cr_assert(strncmp(err, path, strlen(path)) == 0 && err[strlen(path)] == ':', "%s", err);
	unlink(path);
	free(path);

	/* shorter than a file header */
	capw_pcap(&w, 1, 65535);
	w.len = 10;
	path = capw_save(&w);
	cr_assert_null(ike_capture_open(path, 0, NULL, &why, err, sizeof(err)));
	cr_assert_eq(why, IKE_E_IO);
	unlink(path);
	free(path);
}

/* Expects the last event to be the error, after every complete frame's events. */
static void expect_error_at(size_t messages, const char *path_or_null, const char *where)
{
	cr_assert(L.n >= 1);
	const struct evrec *e = &L.ev[L.n - 1];
	cr_assert_eq(e->kind, IKE_CAP_ERROR);
	cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), messages);
	cr_assert_eq(count_kind(&L, IKE_CAP_ERROR), 1);
	cr_assert(strstr(e->error, where) != NULL, "%s (want %s)", e->error, where);
	cr_assert(strchr(e->error, '\n') == NULL);
	(void)path_or_null;
}

Test(cap_file, truncated_pcap)
{
	struct pk *p = pk_ike_udp4(500, 500, 1, 80);
	uint32_t rec = 16 + (uint32_t)pk_len(p);
	for (int cut = 0; cut < 2; cut++) {
		struct capw w;
		capw_pcap(&w, 1, 65535);
		capw_pk(&w, 1, p);
		capw_pk(&w, 1, p);
		capw_pk(&w, 1, p);
		w.len -= cut ? 20 : rec - 7; /* mid-record, or mid-record-header */
		run_capw(&w, NULL, &L);
		char where[64];
		snprintf(where, sizeof(where), ": byte offset %u: ", 24 + 2 * rec);
		expect_error_at(2, NULL, where);
		cr_assert_eq(L.st.frames, 2);
		evlist_free(&L);
	}
	/* a fragment pending when the file breaks is reported before the error */
	struct capw w;
	capw_pcap(&w, 1, 65535);
	struct pk *f = pk_new();
	pk_ike(f, 1, 100);
	pk_udp(f, 500, 500);
	pk_ip4(f, A4, B4, 17, 77, 0x2000);
	pk_eth(f, 0x0800);
	capw_pk(&w, 1, f);
	free(f);
	capw_pk(&w, 1, p);
	w.len -= 5;
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 2);
	cr_assert_eq(L.ev[0].an.kind, IKE_AN_IP_FRAG_TIMEOUT);
	cr_assert_eq(L.ev[1].kind, IKE_CAP_ERROR);
	evlist_free(&L);
	free(p);
}

Test(cap_file, truncated_pcapng)
{
	struct pk *p = pk_ike_udp4(500, 500, 1, 80);
	for (size_t cut = 1; cut < 40; cut += 7) {
		struct capw w;
		capw_pcapng(&w, 1);
		capw_pk(&w, 1, p);
		size_t good = w.len;
		capw_pk(&w, 1, p);
		w.len -= cut;
		run_capw(&w, NULL, &L);
		char where[64];
		snprintf(where, sizeof(where), ": byte offset %zu: ", good);
		expect_error_at(1, NULL, where);
		evlist_free(&L);
	}
	free(p);
}

/* Every prefix of a whole file: messages for the complete frames, then EOF or one error. */
Test(cap_file, every_file_prefix)
{
	for (int ng = 0; ng < 2; ng++) {
		struct capw w;
		if (ng)
			capw_pcapng(&w, 1);
		else
			capw_pcap(&w, 1, 65535);
		put_ike(&w, 1, 0, 1);
		put_ike(&w, 2, 0, 2);
		size_t full = w.len;
		uint8_t *copy = malloc(full);
		memcpy(copy, w.b, full);
		free(w.b);
		for (size_t n = 0; n <= full; n++) {
			struct capw v = {0};
			capw_put(&v, copy, n);
			char *path = capw_save(&v);
			enum ike_err why;
			char err[256];
			struct ike_capture *c = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
			if (c) {
				struct ike_cap_event ev;
				int errors = 0, guard = 0;
				enum ike_cap_kind k;
				while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF && guard++ < 10)
					errors += k == IKE_CAP_ERROR;
				cr_assert_eq(k, IKE_CAP_EOF);
				cr_assert(errors <= 1);
				ike_capture_close(c);
			} else {
				cr_assert_eq(why, IKE_E_IO);
			}
			unlink(path);
			free(path);
		}
		free(copy);
	}
}

Test(cap_file, zero_length_and_oversized_frames)
{
	struct pk *p = pk_ike_udp4(500, 500, 1, 80);
	struct capw w;
	capw_pcap(&w, 1, 64); /* snaplen 64, but records bigger than that */
	capw_rec(&w, 1, 0, pk_data(p), 0, 0);  /* an empty frame */
	capw_rec(&w, 1, 0, pk_data(p), (uint32_t)pk_len(p), (uint32_t)pk_len(p));
	capw_rec(&w, 1, 0, pk_data(p), 0, 0);
	capw_rec(&w, 1, 0, pk_data(p), 40, (uint32_t)pk_len(p)); /* cut inside UDP */
	capw_rec(&w, 1, 0, pk_data(p), (uint32_t)pk_len(p), 50); /* caplen > len */
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.st.frames, 5);
	cr_assert_eq(count_kind(&L, IKE_CAP_ERROR), 0);
	const struct evrec *m = nth_kind(&L, IKE_CAP_MESSAGE, 0);
	cr_assert_not_null(m);
	cr_assert_eq(m->at.frame, 2);
	/* both empty frames and the cut one are frame-truncated anomalies, in frame order */
	cr_assert_eq(count_anomaly(&L, IKE_AN_FRAME_TRUNCATED), 3);
	cr_assert_eq(nth_kind(&L, IKE_CAP_ANOMALY, 0)->at.frame, 1);
	cr_assert_eq(nth_kind(&L, IKE_CAP_ANOMALY, 1)->at.frame, 3);
	cr_assert_eq(nth_kind(&L, IKE_CAP_ANOMALY, 2)->at.frame, 4);
	cr_assert_eq(L.st.other, 3);
	evlist_free(&L);
	free(p);
}

/* A record larger than libpcap accepts at all is a read error naming the offset. */
Test(cap_file, impossible_caplen)
{
	struct pk *p = pk_ike_udp4(500, 500, 1, 80);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	uint8_t hdr[16] = {0};
	hdr[8] = 0xff; /* caplen 0x7fffffff */
	hdr[9] = 0xff;
	hdr[10] = 0xff;
	hdr[11] = 0x7f;
	capw_put(&w, hdr, 16);
	run_capw(&w, NULL, &L);
	char where[64];
	snprintf(where, sizeof(where), ": byte offset %zu: ", 24 + 16 + pk_len(p));
	expect_error_at(1, NULL, where);
	evlist_free(&L);
	free(p);
}

/* tshark numbers the same frames: IKE over UDP 500, 4500, and a fragmented message. */
Test(cap_file, frame_numbers_agree_with_tshark)
{
	if (system("command -v tshark >/dev/null 2>&1") != 0)
		cr_skip_test("tshark not installed");
	struct capw w;
	capw_pcap(&w, 1, 65535);
	put_other(&w);
	put_ike(&w, 1, 0, 1);
	struct pk *p = pk_ike_udp4(4500, 4500, 2, 90);
	capw_pk(&w, 2, p);
	free(p);
	put_other(&w);
	struct pk *d = pk_new();
	pk_ike(d, 3, 2500);
	pk_udp(d, 500, 500);
	for (size_t off = 0; off < pk_len(d); off += 1480) {
		size_t n = pk_len(d) - off < 1480 ? pk_len(d) - off : 1480;
		p = pk_new();
		pk_put(p, pk_data(d) + off, n);
		pk_ip4(p, A4, B4, 17, 99, (uint16_t)((off + n < pk_len(d) ? 0x2000 : 0) | off / 8));
		pk_eth(p, 0x0800);
		capw_pk(&w, 3, p);
		free(p);
		put_other(&w);
	}
	free(d);
	char *path = capw_save(&w);
	run_file(path, NULL, &L);
	char cmd[512], line[64], ours[256] = "", theirs[256] = "";
	snprintf(cmd, sizeof(cmd), "tshark -r %s -T fields -e frame.number -Y isakmp 2>/dev/null", path);
	FILE *f = popen(cmd, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		strncat(theirs, line, sizeof(theirs) - strlen(theirs) - 1);
	pclose(f);
	for (size_t i = 0; i < L.n; i++)
		if (L.ev[i].kind == IKE_CAP_MESSAGE) {
			snprintf(line, sizeof(line), "%llu\n", (unsigned long long)L.ev[i].at.frame);
			strncat(ours, line, sizeof(ours) - strlen(ours) - 1);
		}
	cr_assert_str_eq(ours, "2\n3\n7\n");
	cr_assert_str_eq(ours, theirs);
	evlist_free(&L);
	unlink(path);
	free(path);
}

/* Captures a Linux kernel produced (data/cap/make.sh): its fragments, GRO-sized
 * TCP segments and cooked headers, rather than our own idea of them. */
static void expect_linux_capture(const char *name, int linktype)
{
	char path[512];
	const char *src = __FILE__;
	const char *slash = strrchr(src, '/');
	snprintf(path, sizeof(path), "%.*sdata/cap/%s", slash ? (int)(slash - src + 1) : 0, src, name);
	cr_assert(access(path, R_OK) == 0, "%s not found (run from the build directory)", path);
	run_file(path, NULL, &L);
	cr_assert_eq(L.linktype, linktype);
	static const struct {
		uint64_t frame;
		enum ike_cap_kind kind;
		enum ike_transport tr;
		size_t len;
		uint8_t tag;
	} want[] = {
		{3, IKE_CAP_MESSAGE, IKE_TR_UDP, 300, 1},
		{7, IKE_CAP_MESSAGE, IKE_TR_UDP, 3000, 2},        /* IPv4, two fragments */
		{14, IKE_CAP_MESSAGE, IKE_TR_UDP, 4000, 3},       /* IPv6, four fragments */
		{16, IKE_CAP_KEEPALIVE, IKE_TR_UDP_ENCAP, 1, 0},
		{19, IKE_CAP_MESSAGE, IKE_TR_UDP_ENCAP, 2500, 4}, /* marker, two fragments */
		{26, IKE_CAP_MESSAGE, IKE_TR_TCP, 200, 5},        /* after "IKETCP" */
		{28, IKE_CAP_MESSAGE, IKE_TR_TCP, 5000, 6},       /* two records in one 5112-byte segment */
		{28, IKE_CAP_MESSAGE, IKE_TR_TCP, 100, 7},
	};
	cr_assert_eq(L.n, sizeof(want) / sizeof(want[0]), "%zu events", L.n);
	for (size_t i = 0; i < L.n; i++) {
		const struct evrec *e = &L.ev[i];
		cr_assert_eq(e->kind, want[i].kind, "event %zu", i);
		cr_assert_eq(e->at.frame, want[i].frame, "event %zu", i);
		cr_assert_eq(e->len, want[i].len, "event %zu: %zu", i, e->len);
		if (e->kind == IKE_CAP_MESSAGE) {
			cr_assert_eq(e->at.transport, want[i].tr, "event %zu", i);
			cr_assert_eq(e->data[7], want[i].tag, "event %zu", i);
			cr_assert_eq(e->data[e->len - 1], want[i].tag, "event %zu: last byte", i);
		}
	}
	cr_assert_eq(L.st.frames, 29);
	cr_assert_eq(L.st.esp_packets, 1);
	cr_assert_eq(L.esp[0].spi, 0xc0ffee);
	cr_assert_eq(L.st.anomalies, 0);
	evlist_free(&L);
}

Test(cap_file, linux_ethernet_capture)
{
	expect_linux_capture("linux_veth.pcap", 1);
}

Test(cap_file, linux_any_capture)
{
	expect_linux_capture("linux_any_sll2.pcap", 276);
}
