/*
 * Keys harvested from charon's ike=4 log (a real one, recorded by the lab
 * with its healthy scenario's capture): bound from the log's own lines, or
 * by ICV against the capture when the log lacks them, and always equal to
 * what the lab's harvester wrote for Wireshark.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/capture.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"

#define DATA IKESCOPE_SOURCE_ROOT "/tests/unit/data/keydump/"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void expect_table(const struct ike_keyring *k)
{
	cr_assert_eq(ike_keyring_count(k), 1);
	char row[1024];
	cr_assert_gt(ike_sa_keys_format(ike_keyring_at(k, 0), IKE_KEYS_WIRESHARK, row, sizeof(row)), 0);
	cr_expect_str_eq(row, slurp(DATA "expected_table"));
}

static unsigned diag_count;
static void count_diag(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
	diag_count++;
}

Test(keydump, filelog_binds_itself)
{
	struct ike_keycands *c = ike_keycands_new();
	cr_assert_eq(ike_keycands_load_log(c, DATA "charon-ike4.log", NULL), 1);
	struct ike_keyring *k = ike_keyring_new();
	cr_expect_eq(ike_keycands_bind_from_log(c, k), 1);
	expect_table(k);
	ike_keyring_free(k);
	ike_keycands_free(c);
}

/* vEdge syslog shape, without the MGR and "selected proposal" lines: only
 * the capture can tell which SA the keys belong to. */
Test(keydump, syslog_without_spis_binds_by_icv)
{
	struct ike_keycands *c = ike_keycands_new();
	cr_assert_eq(ike_keycands_load_log(c, DATA "syslog-no-spis.log", NULL), 1);
	struct ike_keyring *k = ike_keyring_new();
	cr_expect_eq(ike_keycands_bind_from_log(c, k), 0);
	ike_keyring_free(k);

	struct ike_decoder *d = ike_decoder_new();
	ike_decoder_set_candidates(d, c);
	enum ike_err why;
	char err[256];
	struct ike_capture *cap = ike_capture_open(DATA "healthy-local.pcap", 0, NULL, &why, err, sizeof(err));
	cr_assert_not_null(cap, "%s", err);
	struct ike_cap_event ev;
	static struct ike_msg m;
	unsigned decrypted = 0;
	while (ike_capture_next(cap, &ev) != IKE_CAP_EOF) {
		if (ev.kind != IKE_CAP_MESSAGE)
			continue;
		cr_assert_eq(ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m), IKE_OK);
		if (m.decrypted == IKE_DEC_YES)
			decrypted++;
		cr_expect_neq(m.icv, IKE_ICV_BAD);
	}
	cr_expect_eq(decrypted, 6, "every encrypted message decrypts with the bound keys");
	expect_table(ike_decoder_learned_keys(d));
	ike_capture_close(cap);
	ike_decoder_free(d);
	ike_keycands_free(c);
}

/* charon-systemd: a dump is one multi-line journal message. In JSON the
 * thread is known and the log binds its keys itself; in -o short nothing
 * names the thread, and the keys are found all the same. */
Test(keydump, journal_json_binds_itself)
{
	struct ike_keycands *c = ike_keycands_new();
	cr_assert_eq(ike_keycands_load_log(c, DATA "journal.json", NULL), 1);
	struct ike_keyring *k = ike_keyring_new();
	cr_expect_eq(ike_keycands_bind_from_log(c, k), 1);
	expect_table(k);
	ike_keyring_free(k);
	ike_keycands_free(c);
}

Test(keydump, journal_short_continuation_lines)
{
	struct ike_keycands *c = ike_keycands_new();
	cr_assert_eq(ike_keycands_load_log(c, DATA "journal-short.log", NULL), 1);
	struct ike_keyring *k = ike_keyring_new();
	cr_expect_eq(ike_keycands_bind_from_log(c, k), 1);
	expect_table(k);
	ike_keyring_free(k);
	ike_keycands_free(c);
}

Test(keydump, junk_logs_give_nothing_and_no_crash)
{
	char path[] = "/tmp/ikescope-keydump-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	/* binary junk, invalid UTF-8, a 1 MB line, dumps cut short and too long */
	for (int i = 0; i < 4096; i++)
		fputc((i * 131) & 0xff, f);
	fputc('\n', f);
	for (int i = 0; i < 1 << 20; i++)
		fputc('A', f);
	fputs("\n15[IKE] Sk_d secret => 32 bytes @ 0x1\n15[IKE]    0: 4A BF\n", f);
	fputs("15[IKE] Sk_ei secret => 9999 bytes @ 0x2\n15[IKE]    0: 4A BF 5B\n", f);
	fputs("15[IKE] Sk_er secret => 16 bytes @ 0x3\n15[IKE]    0: ZZ\n", f);
	fputs("\xff\xfe 15[IKE] Sk_pr secret => 2 bytes @ 0x4\n", f);
	fputs("{\"MESSAGE\":\"Sk_ei secret => 4 bytes @ 0x5\\n   0: 4A\",\"THREAD\":\"x\"}\n{broken json\n", f);
	fputs("Nov 27 00:03:01 h charon-systemd[1]: Sk_er secret => 3 bytes @ 0x6\n      0: ZZ\n", f);
	fclose(f);
	struct ike_keycands *c = ike_keycands_new();
	struct ike_diag diag = {count_diag, NULL};
	diag_count = 0;
	cr_expect_eq(ike_keycands_load_log(c, path, &diag), 0);
	cr_expect_geq(diag_count, 1, "the long line is reported");
	cr_expect_eq(ike_keycands_count(c), 0);
	ike_keycands_free(c);
	remove(path);
}

Test(keydump, missing_log_is_an_error)
{
	struct ike_keycands *c = ike_keycands_new();
	cr_expect_eq(ike_keycands_load_log(c, DATA "no-such.log", NULL), -1);
	ike_keycands_free(c);
}
