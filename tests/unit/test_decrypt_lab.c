/*
 * Every lab capture, decrypted with the keys harvested from the daemons'
 * logs: each message must verify, and its summary must be a line charon
 * logged ("generating …" or "parsed …") on that same end.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/keys.h"

#define MAX_LINES 20000

struct logset {
	char *line[MAX_LINES];
	size_t n;
};

static void logset_load(struct logset *s, const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	char buf[4096];
	s->n = 0;
	while (fgets(buf, sizeof(buf), f)) {
		const char *at = strstr(buf, "] generating ");
		size_t skip = strlen("] generating ");
		if (!at) {
			at = strstr(buf, "] parsed ");
			skip = strlen("] parsed ");
		}
		if (!at || s->n == MAX_LINES)
			continue;
		char *text = strdup(at + skip);
		text[strcspn(text, "\r\n")] = '\0';
		s->line[s->n++] = text;
	}
	fclose(f);
}

static bool logset_has(const struct logset *s, const char *summary)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->line[i], summary) == 0)
			return true;
	return false;
}

static void logset_free(struct logset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->line[i]);
	s->n = 0;
}

struct tally {
	unsigned messages, decrypted, encrypted;
};

static void check_end(const char *dir, const char *end, struct tally *t)
{
	char pcap[512], log[512], keys[512], err[256];
	snprintf(pcap, sizeof(pcap), "%s/%s.pcap", dir, end);
	snprintf(log, sizeof(log), "%s/%s.log", dir, end);
	snprintf(keys, sizeof(keys), "%s/ikev2_decryption_table", dir);

	static struct logset logs;
	logset_load(&logs, log);
	struct ike_keyring *ring = ike_keyring_new();
	cr_assert_not_null(ring);
	cr_assert_geq(ike_keyring_load_file(ring, keys, NULL), 0, "%s unreadable", keys);
	struct ike_decoder *dec = ike_decoder_new();
	ike_decoder_set_keys(dec, ring);
	enum ike_err why;
	struct ike_capture *cap = ike_capture_open(pcap, 0, NULL, &why, err, sizeof(err));
	cr_assert_not_null(cap, "%s", err);

	struct ike_cap_event ev;
	struct ike_msg m;
	char summary[2048];
	while (ike_capture_next(cap, &ev) != IKE_CAP_EOF) {
		if (ev.kind == IKE_CAP_ERROR)
			cr_assert_fail("%s: %s", pcap, ev.error);
		if (ev.kind != IKE_CAP_MESSAGE)
			continue;
		if (ike_decoder_decode(dec, &ev.at, ev.data, ev.len, &m) != IKE_OK || m.ikev1)
			continue;
		t->messages++;
		cr_expect_neq(m.icv, IKE_ICV_BAD, "%s frame %llu: ICV bad: %s", pcap,
			      (unsigned long long)m.at.frame, m.n_anomalies ? m.anomalies[0].detail : "");
		if (m.decrypted == IKE_DEC_NA) {
			/* unencrypted: IKE_SA_INIT */
		} else {
			t->encrypted++;
			if (m.decrypted != IKE_DEC_YES) {
				cr_expect_fail("%s frame %llu: not decrypted (%s)", pcap, (unsigned long long)m.at.frame,
					       ike_decrypted_name(m.decrypted));
				continue;
			}
			t->decrypted++;
		}
		ike_msg_summary(&m, summary, sizeof(summary));
		cr_expect(logset_has(&logs, summary), "%s frame %llu: \"%s\" is not a line charon logged in %s", pcap,
			  (unsigned long long)m.at.frame, summary, log);
	}
	ike_capture_close(cap);
	ike_decoder_free(dec);
	ike_keyring_free(ring);
	logset_free(&logs);
}

Test(decrypt_lab, every_capture_summary_matches_charon)
{
	char root[512];
	snprintf(root, sizeof(root), "%s/captures", IKESCOPE_SOURCE_ROOT);
	DIR *d = opendir(root);
	cr_assert_not_null(d, "no %s", root);
	struct dirent *e;
	unsigned scenarios = 0;
	struct tally total = {0};
	while ((e = readdir(d))) {
		char dir[768], keys[1024];
		snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
		snprintf(keys, sizeof(keys), "%s/ikev2_decryption_table", dir);
		if (e->d_name[0] == '.' || access(keys, R_OK) != 0)
			continue;
		scenarios++;
		struct tally t = {0};
		check_end(dir, "local", &t);
		check_end(dir, "peer", &t);
		cr_expect_gt(t.messages, 0, "%s: no IKE message", e->d_name);
		total.messages += t.messages;
		total.decrypted += t.decrypted;
		total.encrypted += t.encrypted;
	}
	closedir(d);
	cr_expect_geq(scenarios, 10, "only %u lab scenarios found", scenarios);
	cr_expect_gt(total.decrypted, 100, "only %u messages decrypted", total.decrypted);
	cr_log_info("%u scenarios, %u messages, %u of %u encrypted ones decrypted", scenarios, total.messages,
		    total.decrypted, total.encrypted);
}
