/*
 * seeds — writes the seed corpora of the message, payload, decrypt, tracker and
 * transport targets from capture files, through the public API:
 *   seeds OUTDIR CAPTURE.pcap...
 * A capture's scenario keys (ikev2_decryption_table beside it) are used, so the
 * decrypted inner payloads become payload seeds and, re-sealed with the NULL
 * cipher under the fuzz_decrypt key row, decrypt seeds.
 */
#include "fuzz.h"

#include <errno.h>
#include <libgen.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ikescope/capture.h"
#include "ikescope/ike.h"
#include "ikescope/keys.h"

#define MAX_PER_CAPTURE 64 /* message seeds per capture: enough for every exchange kind */
#define MAX_TRACKER 65536   /* bytes of a tracker or transport seed */

static const char *out_dir;

static void put(const char *kind, const uint8_t *p, size_t n)
{
	/* named by content, so that identical seeds (certificates, retransmissions) are kept once */
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s/%016llx", out_dir, kind, (unsigned long long)h);
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
		fprintf(stderr, "seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void payload_seeds(const struct ike_payload *pl, uint16_t n)
{
	uint8_t buf[65536];
	for (uint16_t i = 0; i < n; i++) {
		if (pl[i].type < 33 || pl[i].type > 53 || pl[i].body.len + 1 > sizeof(buf))
			continue;
		buf[0] = (uint8_t)(pl[i].type - 33);
		memcpy(buf + 1, pl[i].body.p, pl[i].body.len);
		put("payload", buf, pl[i].body.len + 1);
	}
}

/* The inner chain of an opened SK payload, re-sealed as fuzz_decrypt's NULL row
 * expects: selector byte, header (SPIs replaced by the target), SK with the
 * plaintext, pad length 0 and a 16-byte ICV the fuzz build does not check. */
static void decrypt_seed(const struct ike_msg *m, const struct ike_payload *sk)
{
	static uint8_t buf[70000];
	size_t len = 1 + 28 + 4;
	for (uint16_t i = 0; i < sk->u.sk.n_inner; i++) {
		const struct ike_payload *p = &sk->u.sk.inner[i];
		if (len + 4 + p->body.len + 17 > sizeof(buf))
			return;
		buf[len] = p->next;
		buf[len + 1] = (uint8_t)((p->critical ? 0x80 : 0) | p->reserved);
		buf[len + 2] = (uint8_t)((p->body.len + 4) >> 8);
		buf[len + 3] = (uint8_t)(p->body.len + 4);
		memcpy(buf + len + 4, p->body.p, p->body.len);
		len += 4 + p->body.len;
	}
	buf[len++] = 0; /* pad length */
	memset(buf + len, 0, 16);
	len += 16;
	size_t ike_len = len - 1, sk_len = ike_len - 28;
	memset(buf, 0, 29);
	buf[1 + 16] = 46;
	buf[1 + 17] = 0x20;
	buf[1 + 18] = m->exchange;
	buf[1 + 19] = m->flags;
	for (int i = 0; i < 4; i++) {
		buf[1 + 20 + i] = (uint8_t)(m->mid >> (24 - 8 * i));
		buf[1 + 24 + i] = (uint8_t)(ike_len >> (24 - 8 * i));
	}
	buf[29] = sk->u.sk.n_inner ? sk->u.sk.inner[0].type : 0;
	buf[30] = 0;
	buf[31] = (uint8_t)(sk_len >> 8);
	buf[32] = (uint8_t)sk_len;
	put("decrypt", buf, len);
}

static void append(uint8_t *seq, size_t *len, const uint8_t *p, size_t n)
{
	if (*len + FUZZ_SEP_LEN + n > MAX_TRACKER)
		return;
	if (*len) { /* no separator before the first item */
		memcpy(seq + *len, FUZZ_SEP, FUZZ_SEP_LEN);
		*len += FUZZ_SEP_LEN;
	}
	memcpy(seq + *len, p, n);
	*len += n;
}

static void ike_seeds(const char *path)
{
	char dir[4096], keyfile[4200];
	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(keyfile, sizeof(keyfile), "%s/ikev2_decryption_table", dirname(dir));
	struct ike_keyring *k = ike_keyring_new();
	struct ike_decoder *d = ike_decoder_new();
	if (!k || !d)
		exit(1);
	struct stat st;
	if (stat(keyfile, &st) == 0 && ike_keyring_load_file(k, keyfile, NULL) < 0)
		fprintf(stderr, "seeds: %s: not loaded\n", keyfile);
	ike_decoder_set_keys(d, k);

	enum ike_err why;
	char err[256];
	struct ike_capture *c = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "seeds: %s\n", err);
		exit(1);
	}
	static uint8_t seq[MAX_TRACKER], item[65536 + 2];
	size_t seq_len = 0;
	int64_t last_us = -1;
	unsigned n_msg = 0;
	static struct ike_msg m;
	struct ike_cap_event ev;
	for (;;) {
		enum ike_cap_kind kind = ike_capture_next(c, &ev);
		if (kind == IKE_CAP_EOF || kind == IKE_CAP_ERROR)
			break;
		if (kind != IKE_CAP_MESSAGE || ev.len > 65536)
			continue;
		/* tracker item: tenths of a second since the previous message, direction */
		int64_t now = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
		int64_t tenths = last_us < 0 ? 0 : (now - last_us) / 100000;
		last_us = now;
		item[0] = (uint8_t)(tenths > 254 ? 254 : tenths);
		item[1] = (uint8_t)((ev.at.sport != 500 ? 2 : 0) | (memcmp(&ev.at.src, &ev.at.dst, sizeof(ev.at.src)) > 0));
		memcpy(item + 2, ev.data, ev.len);
		append(seq, &seq_len, item, ev.len + 2);
		if (n_msg++ >= MAX_PER_CAPTURE)
			continue;
		put("message", ev.data, ev.len);
		if (ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) != IKE_OK)
			continue;
		payload_seeds(m.payloads, m.n_payloads);
		for (uint16_t i = 0; i < m.n_payloads; i++) {
			const struct ike_payload *p = &m.payloads[i];
			if ((p->type == 46 || p->type == 53) && p->decoded && p->u.sk.opened) {
				payload_seeds(p->u.sk.inner, p->u.sk.n_inner);
				decrypt_seed(&m, p);
			}
		}
	}
	if (seq_len)
		put("tracker", seq, seq_len);
	ike_capture_close(c);
	ike_decoder_free(d);
	ike_keyring_free(k);
}

/* fuzz_transport's linktype byte for a capture's link type, -1 if it has none */
static int linktype_index(int dlt)
{
	static const int known[] = {1, 101, 113, 0, 276, 12};
	for (int i = 0; i < 6; i++)
		if (known[i] == dlt)
			return i;
	return -1;
}

static void transport_seed(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return;
	int idx = linktype_index(pcap_datalink(p));
	static uint8_t seq[MAX_TRACKER];
	size_t len = 1;
	seq[0] = (uint8_t)idx;
	struct pcap_pkthdr *h;
	const u_char *frame;
	unsigned n = 0;
	while (idx >= 0 && n < 200 && pcap_next_ex(p, &h, &frame) == 1) {
		if (len + FUZZ_SEP_LEN + h->caplen > sizeof(seq))
			break;
		if (n++) {
			memcpy(seq + len, FUZZ_SEP, FUZZ_SEP_LEN);
			len += FUZZ_SEP_LEN;
		}
		memcpy(seq + len, frame, h->caplen);
		len += h->caplen;
	}
	if (n)
		put("transport", seq, len);
	pcap_close(p);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: seeds OUTDIR CAPTURE...\n");
		return 2;
	}
	out_dir = argv[1];
	const char *kinds[] = {"message", "payload", "decrypt", "tracker", "transport"};
	if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "seeds: %s: %s\n", out_dir, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < 5; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", out_dir, kinds[i]);
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "seeds: %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	for (int i = 2; i < argc; i++) {
		ike_seeds(argv[i]);
		transport_seed(argv[i]);
	}
	return 0;
}
