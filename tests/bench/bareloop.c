/* bareloop: the floor of any pcap reader — libpcap hands every frame over and nothing more.
 * Prints "frames=N bytes=N" so the benchmark can check the run. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	unsigned long long frames = 0, bytes = 0;
	unsigned sum = 0;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fputs("usage: bareloop FILE.pcap\n", stderr);
		return 1;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "bareloop: %s\n", err);
		return 2;
	}
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		frames++;
		bytes += h->caplen;
		if (h->caplen)
			sum += d[0]; /* touch the frame as a reader would */
	}
	if (rc == PCAP_ERROR)
		fprintf(stderr, "bareloop: %s\n", pcap_geterr(p));
	pcap_close(p);
	printf("frames=%llu bytes=%llu sum=%u\n", frames, bytes, sum);
	return rc == PCAP_ERROR ? 2 : 0;
}
