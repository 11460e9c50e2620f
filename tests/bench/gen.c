/* gen: builds the large inputs of the benchmark from the lab captures.
 *
 *   gen ike OUT.pcap OUT.table NMSG MAXKEYS SCENARIO_DIR...
 *	NMSG IKE messages replayed from each SCENARIO_DIR/local.pcap, round after round; every
 *	round is a new copy of every IKE SA: the first three bytes of both SPIs are XORed with
 *	the copy number, the ICV is computed again with the scenario's keys, and OUT.table gets
 *	the matching ikev2_decryption_table rows. With MAXKEYS > 0 the copies wrap so
 *	that the table holds at most MAXKEYS rows (a later copy reuses the SPIs of an earlier one).
 *	Only scenarios whose integrity is an HMAC
 *	are used (AEAD and XCBC/CMAC would need the whole message sealed again).
 *   gen isp OUT.pcap BYTES IKE.pcap
 *	About BYTES of ISP-style traffic: 1 frame in 100 is an IKE frame taken in order from
 *	IKE.pcap, the rest ESP in UDP 4500 (74 %), ESP in TCP 4500 (RFC 8229, 10 %) and TCP 443.
 *   gen log OUT.log BYTES LOG...
 *	About BYTES of charon syslog lines, the LOG files replayed with their times shifted.
 *
 * Prints one summary line "frames=N ike=N bytes=N" (or "lines=N bytes=N") on stdout. */
#include <errno.h>
#include <gcrypt.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FRAME 65536
#define MAX_SRC_FRAMES 4096
#define MAX_ROWS 64

struct row {
	uint8_t spi_i[8], spi_r[8];
	char line[2048];
	char *spi_i_hex, *spi_r_hex; /* into line */
	int md_algo;
	size_t icv_len;
	uint8_t sk_ai[64], sk_ar[64];
	size_t sk_a_len;
};

struct frame {
	struct pcap_pkthdr h;
	uint8_t *data;
	size_t ike_off; /* offset of the IKE header in data */
};

struct source {
	struct frame *frames;
	size_t n_frames;
	struct row rows[MAX_ROWS];
	size_t n_rows;
};

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "gen: %s%s\n", what, arg);
	exit(1);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t unhex(const char *s, size_t n, uint8_t *out, size_t cap)
{
	size_t i;

	if (n % 2 || n / 2 > cap)
		return 0;
	for (i = 0; i < n / 2; i++) {
		int a = hexval(s[2 * i]), b = hexval(s[2 * i + 1]);
		if (a < 0 || b < 0)
			return 0;
		out[i] = (uint8_t)(a << 4 | b);
	}
	return n / 2;
}

/* Integrity name to gcrypt HMAC and ICV length; 0 when not an HMAC. */
static int integ_of(const char *name, size_t *icv)
{
	static const struct { const char *prefix; int algo; size_t icv; } t[] = {
		{ "\"HMAC_SHA2_256_128", GCRY_MAC_HMAC_SHA256, 16 },
		{ "\"HMAC_SHA2_384_192", GCRY_MAC_HMAC_SHA384, 24 },
		{ "\"HMAC_SHA2_512_256", GCRY_MAC_HMAC_SHA512, 32 },
		{ "\"HMAC_SHA1_96", GCRY_MAC_HMAC_SHA1, 12 },
		{ "\"HMAC_MD5_96", GCRY_MAC_HMAC_MD5, 12 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strncmp(name, t[i].prefix, strlen(t[i].prefix)) == 0) {
			*icv = t[i].icv;
			return t[i].algo;
		}
	return 0;
}

/* Reads the scenario's table; returns 0 when a row is not usable (the scenario is skipped). */
static int load_table(const char *path, struct source *s)
{
	char buf[2048];
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(buf, sizeof buf, f)) {
		char *col[8], *p = buf;
		struct row *r;
		size_t i, la, lb;

		buf[strcspn(buf, "\r\n")] = '\0';
		if (!*buf)
			continue;
		if (s->n_rows == MAX_ROWS) {
			fclose(f);
			return 0;
		}
		r = &s->rows[s->n_rows];
		memcpy(r->line, buf, sizeof buf);
		for (i = 0; i < 8; i++) {
			col[i] = p;
			p = strchr(p, ',');
			if (!p && i < 7) {
				fclose(f);
				return 0;
			}
			if (p)
				*p++ = '\0';
		}
		r->md_algo = integ_of(col[7], &r->icv_len);
		la = strlen(col[5]);
		lb = strlen(col[6]);
		if (!r->md_algo || unhex(col[0], 16, r->spi_i, 8) != 8 || unhex(col[1], 16, r->spi_r, 8) != 8 ||
		    la != lb || unhex(col[5], la, r->sk_ai, 64) == 0 || unhex(col[6], lb, r->sk_ar, 64) == 0) {
			fclose(f);
			return 0;
		}
		r->sk_a_len = la / 2;
		r->spi_i_hex = r->line;
		r->spi_r_hex = r->line + 17;
		s->n_rows++;
	}
	fclose(f);
	return 1; /* no rows: only its unencrypted messages are used */
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Offset of the IKE header in an Ethernet frame carrying IKE over UDP 500/4500, else 0.
 * IP fragments are left out: a copy could not keep their reassembly consistent. */
static size_t ike_offset(const uint8_t *d, size_t n)
{
	size_t ip = 14, udp;
	uint16_t et, sport, dport;
	size_t off;

	if (n < 14)
		return 0;
	et = be16(d + 12);
	if (et == 0x0800) {
		if (n < ip + 20 || d[ip + 9] != 17 || (be16(d + ip + 6) & 0x3fff))
			return 0;
		udp = ip + (size_t)(d[ip] & 15) * 4;
	} else if (et == 0x86dd) {
		if (n < ip + 40 || d[ip + 6] != 17)
			return 0;
		udp = ip + 40;
	} else {
		return 0;
	}
	if (n < udp + 8)
		return 0;
	sport = be16(d + udp);
	dport = be16(d + udp + 2);
	off = udp + 8;
	if (sport == 4500 || dport == 4500) {
		if (n < off + 4 || be32(d + off) != 0)
			return 0; /* ESP, or a keepalive */
		off += 4;
	} else if (sport != 500 && dport != 500) {
		return 0;
	}
	if (n < off + 28 || be32(d + off + 24) > n - off)
		return 0;
	return off;
}

static void load_source(const char *dir, struct source *s)
{
	char path[4096], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;

	snprintf(path, sizeof path, "%s/ikev2_decryption_table", dir);
	if (!load_table(path, s)) {
		fprintf(stderr, "gen: %s: no key table, or keys whose integrity is not an HMAC: scenario left out\n", dir);
		return;
	}
	snprintf(path, sizeof path, "%s/local.pcap", dir);
	p = pcap_open_offline(path, err);
	if (!p)
		die(err, "");
	if (pcap_datalink(p) != DLT_EN10MB) {
		pcap_close(p);
		fprintf(stderr, "gen: %s: not Ethernet, left out\n", path);
		return;
	}
	s->frames = calloc(MAX_SRC_FRAMES, sizeof *s->frames);
	if (!s->frames)
		die("out of memory", "");
	while (pcap_next_ex(p, &h, &d) == 1 && s->n_frames < MAX_SRC_FRAMES) {
		size_t off = ike_offset(d, h->caplen);
		struct frame *f;

		if (!off || h->caplen != h->len)
			continue;
		f = &s->frames[s->n_frames++];
		f->h = *h;
		f->ike_off = off;
		f->data = malloc(h->caplen);
		if (!f->data)
			die("out of memory", "");
		memcpy(f->data, d, h->caplen);
	}
	pcap_close(p);
}

static void free_source(struct source *s)
{
	size_t i;

	for (i = 0; i < s->n_frames; i++)
		free(s->frames[i].data);
	free(s->frames);
}

static void xor_spi(uint8_t *spi, unsigned long copy)
{
	static const uint8_t zero[8];

	if (memcmp(spi, zero, 8) == 0)
		return; /* the responder SPI of an IKE_SA_INIT request stays zero */
	spi[0] ^= (uint8_t)copy;
	spi[1] ^= (uint8_t)(copy >> 8);
	spi[2] ^= (uint8_t)(copy >> 16);
}

static const struct row *find_row(const struct source *s, const uint8_t *spi_i, const uint8_t *spi_r)
{
	size_t i;

	for (i = 0; i < s->n_rows; i++)
		if (!memcmp(s->rows[i].spi_i, spi_i, 8) && !memcmp(s->rows[i].spi_r, spi_r, 8))
			return &s->rows[i];
	return NULL;
}

/* Copies frame f as copy number `copy` into buf; 0 when it cannot be copied. */
static size_t copy_frame(const struct source *s, const struct frame *f, unsigned long copy, uint8_t *buf)
{
	uint8_t *ike = buf + f->ike_off;
	size_t len, n = f->h.caplen;
	uint8_t np;

	memcpy(buf, f->data, n);
	len = be32(ike + 24);
	np = ike[16];
	if (np == 46 || np == 53) {
		const struct row *r = find_row(s, ike, ike + 8);
		gcry_mac_hd_t mac;
		uint8_t out[64];
		size_t outlen = sizeof out;

		if (!r || len < 28 + r->icv_len)
			return 0;
		xor_spi(ike, copy);
		xor_spi(ike + 8, copy);
		if (gcry_mac_open(&mac, r->md_algo, 0, NULL) ||
		    gcry_mac_setkey(mac, (ike[19] & 0x08) ? r->sk_ai : r->sk_ar, r->sk_a_len))
			die("gcry_mac_open failed", "");
		gcry_mac_write(mac, ike, len - r->icv_len);
		gcry_mac_read(mac, out, &outlen);
		gcry_mac_close(mac);
		memcpy(ike + len - r->icv_len, out, r->icv_len);
	} else {
		xor_spi(ike, copy);
		xor_spi(ike + 8, copy);
	}
	/* no UDP checksum over the rewritten bytes (zero means none on IPv4) */
	if (be16(buf + 12) == 0x0800) {
		size_t udp = 14 + (size_t)(buf[14] & 15) * 4;
		buf[udp + 6] = buf[udp + 7] = 0;
	}
	return n;
}

static void write_row(FILE *t, const struct row *r, unsigned long copy)
{
	uint8_t spi_i[8], spi_r[8];
	int i;

	memcpy(spi_i, r->spi_i, 8);
	memcpy(spi_r, r->spi_r, 8);
	xor_spi(spi_i, copy);
	xor_spi(spi_r, copy);
	for (i = 0; i < 8; i++)
		fprintf(t, "%02x", spi_i[i]);
	fputc(',', t);
	for (i = 0; i < 8; i++)
		fprintf(t, "%02x", spi_r[i]);
	fprintf(t, "%s\n", r->line + 33);
}

static int gen_ike(int argc, char **argv)
{
	unsigned long nmsg = strtoul(argv[4], NULL, 10), maxkeys = strtoul(argv[5], NULL, 10);
	unsigned long n = 0, copy, wrap = 1UL << 24, rows = 0;
	struct source *src = calloc((size_t)argc, sizeof *src);
	uint8_t *buf = malloc(MAX_FRAME);
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, MAX_FRAME);
	pcap_dumper_t *out;
	FILE *table;
	double cursor = 1700000000.0;
	unsigned long long bytes = 0;
	size_t total = 0;
	int i;

	if (!src || !buf || !dead)
		die("out of memory", "");
	for (i = 6; i < argc; i++) {
		load_source(argv[i], &src[i]);
		total += src[i].n_frames;
		rows += src[i].n_frames ? src[i].n_rows : 0;
	}
	if (maxkeys && rows)
		wrap = maxkeys / rows ? maxkeys / rows : 1;
	if (!total)
		die("no usable IKE frame in the scenarios given", "");
	out = pcap_dump_open(dead, argv[2]);
	if (!out)
		die(pcap_geterr(dead), "");
	table = fopen(argv[3], "w");
	if (!table)
		die(strerror(errno), "");
	for (copy = 0; n < nmsg; copy++) {
		for (i = 6; i < argc && n < nmsg; i++) {
			struct source *s = &src[i];
			double t0, last = cursor;
			size_t j, r;

			if (!s->n_frames)
				continue;
			t0 = (double)s->frames[0].h.ts.tv_sec + s->frames[0].h.ts.tv_usec / 1e6;
			for (r = 0; copy < wrap && r < s->n_rows; r++)
				write_row(table, &s->rows[r], copy);
			for (j = 0; j < s->n_frames && n < nmsg; j++) {
				const struct frame *f = &s->frames[j];
				struct pcap_pkthdr h = f->h;
				double t = cursor + ((double)h.ts.tv_sec + h.ts.tv_usec / 1e6 - t0);

				if (!copy_frame(s, f, copy % wrap, buf))
					continue;
				h.ts.tv_sec = (time_t)t;
				h.ts.tv_usec = (suseconds_t)((t - (double)h.ts.tv_sec) * 1e6);
				pcap_dump((u_char *)out, &h, buf);
				bytes += h.caplen;
				last = t;
				n++;
			}
			cursor = last + 0.001;
		}
	}
	pcap_dump_close(out);
	pcap_close(dead);
	if (fclose(table))
		die(strerror(errno), "");
	printf("frames=%lu ike=%lu bytes=%llu copies=%lu distinct=%lu\n", n, n, bytes, copy,
	       copy < wrap ? copy : wrap);
	for (i = 6; i < argc; i++)
		free_source(&src[i]);
	free(src);
	free(buf);
	return 0;
}

static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* Ethernet + IPv4 header for a flow; returns the offset after the IP header. */
static size_t eth_ip(uint8_t *b, uint32_t flow, int proto, size_t ip_len)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	uint32_t sum = 0;
	int i;

	memcpy(b, mac, 12);
	put16(b + 12, 0x0800);
	memset(b + 14, 0, 20);
	b[14] = 0x45;
	put16(b + 16, (uint32_t)ip_len);
	b[22] = 64;
	b[23] = (uint8_t)proto;
	put32(b + 26, 0xc6336400u | (flow & 0xff)); /* 198.51.100.x */
	put32(b + 30, 0xcb007100u | ((flow >> 8) & 0xff)); /* 203.0.113.x */
	for (i = 0; i < 20; i += 2)
		sum += be16(b + 14 + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(b + 24, ~sum & 0xffff);
	return 34;
}

#define N_FLOWS 256

static int gen_isp(char **argv)
{
	unsigned long long target = strtoull(argv[3], NULL, 10), bytes = 24, frames = 0, ike = 0;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *in = pcap_open_offline(argv[4], err), *dead = pcap_open_dead(DLT_EN10MB, MAX_FRAME);
	pcap_dumper_t *out;
	uint32_t esp_seq[N_FLOWS] = { 0 }, tcp_seq[N_FLOWS] = { 0 };
	uint8_t *buf = malloc(MAX_FRAME);
	double t = 1700000000.0;

	if (!in)
		die(err, "");
	if (!dead || !buf)
		die("out of memory", "");
	out = pcap_dump_open(dead, argv[2]);
	if (!out)
		die(pcap_geterr(dead), "");
	while (bytes < target) {
		struct pcap_pkthdr h;
		uint32_t r = rnd(), flow = r % N_FLOWS, kind = (r >> 8) % 99;
		size_t pay = 64 + (rnd() % 1300) / 16 * 16, off, n;

		t += 0.00001;
		if (frames % 100 == 99) {
			struct pcap_pkthdr *ih;
			const u_char *d;
			int rc = pcap_next_ex(in, &ih, &d);

			if (rc != 1) {
				pcap_close(in);
				in = pcap_open_offline(argv[4], err);
				if (!in || pcap_next_ex(in, &ih, &d) != 1)
					die("IKE capture empty", "");
			}
			n = ih->caplen;
			memcpy(buf, d, n);
			ike++;
		} else if (kind < 74) { /* ESP in UDP 4500 */
			off = eth_ip(buf, flow, 17, 20 + 8 + 8 + pay + 16);
			put16(buf + off, 4500);
			put16(buf + off + 2, 4500);
			put16(buf + off + 4, (uint32_t)(8 + 8 + pay + 16));
			put16(buf + off + 6, 0);
			put32(buf + off + 8, 0xc0000000u | flow);
			put32(buf + off + 12, ++esp_seq[flow]);
			memset(buf + off + 16, (int)(flow & 0xff), pay + 16);
			n = off + 16 + pay + 16;
		} else { /* TCP: 4500 carries RFC 8229 framed ESP, 443 anything */
			int esp = kind < 84;
			size_t seg = esp ? 2 + 8 + pay + 16 : pay;

			off = eth_ip(buf, flow, 6, 20 + 20 + seg);
			put16(buf + off, 40000 + flow);
			put16(buf + off + 2, esp ? 4500 : 443);
			put32(buf + off + 4, tcp_seq[flow]);
			put32(buf + off + 8, 1);
			buf[off + 12] = 5 << 4;
			buf[off + 13] = 0x18; /* PSH ACK */
			put16(buf + off + 14, 65535);
			put32(buf + off + 16, 0);
			if (esp) {
				put16(buf + off + 20, (uint32_t)seg);
				put32(buf + off + 22, 0xd0000000u | flow);
				put32(buf + off + 26, ++esp_seq[flow]);
				memset(buf + off + 30, 0x5a, pay + 16);
			} else {
				memset(buf + off + 20, 0xa5, pay);
			}
			tcp_seq[flow] += (uint32_t)seg;
			n = off + 20 + seg;
		}
		h.ts.tv_sec = (time_t)t;
		h.ts.tv_usec = (suseconds_t)((t - (double)h.ts.tv_sec) * 1e6);
		h.caplen = h.len = (bpf_u_int32)n;
		pcap_dump((u_char *)out, &h, buf);
		bytes += 16 + n;
		frames++;
	}
	pcap_dump_close(out);
	pcap_close(in);
	pcap_close(dead);
	free(buf);
	printf("frames=%llu ike=%llu bytes=%llu\n", frames, ike, bytes);
	return 0;
}

static int gen_log(int argc, char **argv)
{
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	unsigned long long target = strtoull(argv[3], NULL, 10), bytes = 0, lines = 0;
	time_t base = 1700000000;
	FILE *out = fopen(argv[2], "w");
	char line[8192];
	int i, any = 0;

	if (!out)
		die(strerror(errno), "");
	while (bytes < target) {
		for (i = 4; i < argc && bytes < target; i++) {
			FILE *in = fopen(argv[i], "r");
			time_t last = base;
			long first = -1;

			if (!in)
				die("cannot open ", argv[i]);
			while (fgets(line, sizeof line, in) && bytes < target) {
				struct tm tm;
				int hh, mm, ss;
				time_t tt;
				size_t n = strlen(line);

				/* "Nov 26 23:25:25 " — the file's own pace, after the previous file */
				if (n < 16 || sscanf(line + 7, "%2d:%2d:%2d", &hh, &mm, &ss) != 3)
					continue;
				if (first < 0)
					first = hh * 3600L + mm * 60 + ss;
				tt = base + (hh * 3600L + mm * 60 + ss - first);
				gmtime_r(&tt, &tm);
				fprintf(out, "%s %2d %02d:%02d:%02d%s", mon[tm.tm_mon], tm.tm_mday, tm.tm_hour,
					tm.tm_min, tm.tm_sec, line + 15);
				bytes += n;
				lines++;
				last = tt;
				any = 1;
			}
			fclose(in);
			base = last + 1;
		}
		if (!any)
			die("no syslog line in the logs given", "");
	}
	if (fclose(out))
		die(strerror(errno), "");
	printf("lines=%llu bytes=%llu\n", lines, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (!gcry_check_version(NULL))
		die("libgcrypt version mismatch", "");
	gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
	if (argc >= 7 && !strcmp(argv[1], "ike"))
		return gen_ike(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "isp"))
		return gen_isp(argv);
	if (argc >= 5 && !strcmp(argv[1], "log"))
		return gen_log(argc, argv);
	fputs("usage: gen ike OUT.pcap OUT.table NMSG MAXKEYS SCENARIO_DIR...\n"
	      "       gen isp OUT.pcap BYTES IKE.pcap\n"
	      "       gen log OUT.log BYTES LOG...\n", stderr);
	return 1;
}
