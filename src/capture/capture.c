/*
 * capture.c — opening a capture file, the frame loop and the event queue.
 *
 * Frames are pulled with pcap_next_ex() only when every event of the previous
 * frame has been handed out, so a message's bytes can point into libpcap's
 * buffer (or a reassembly buffer) without being copied.
 */
#include "capture/cap_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ike_cap_is_encap_port(const struct ike_capture *c, uint16_t port)
{
	(void)c;
	return port == 4500;
}

bool ike_cap_is_ike_port(const struct ike_capture *c, uint16_t port)
{
	if (port == 500 || port == 4500)
		return true;
	for (unsigned i = 0; i < c->opts.n_extra_ports; i++)
		if (c->opts.extra_ports[i] == port)
			return true;
	return false;
}

static struct ike_cap_event *push(struct ike_capture *c, enum ike_cap_kind kind)
{
	if (c->q_n == CAP_QUEUE) {
		c->q_dropped++;
		return NULL;
	}
	struct ike_cap_event *ev = &c->q[(c->q_head + c->q_n++) % CAP_QUEUE];
	ev->kind = kind;
	ev->data = NULL;
	ev->len = 0;
	ev->error[0] = '\0';
	memset(&ev->anomaly, 0, sizeof(ev->anomaly));
	return ev;
}

static void vanomaly(struct ike_capture *c, const struct ike_origin *at, enum ike_anomaly_kind kind, uint32_t off,
		     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static void vanomaly(struct ike_capture *c, const struct ike_origin *at, enum ike_anomaly_kind kind, uint32_t off,
		     const char *fmt, va_list ap)
{
	c->st.anomalies++;
	struct ike_cap_event *ev = push(c, IKE_CAP_ANOMALY);
	if (!ev)
		return;
	ev->at = *at;
	ev->anomaly.kind = (uint16_t)kind;
	ev->anomaly.offset = off;
	vsnprintf(ev->anomaly.detail, sizeof(ev->anomaly.detail), fmt, ap);
}

void ike_cap_anomaly(struct ike_capture *c, enum ike_anomaly_kind kind, uint32_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vanomaly(c, &c->cur, kind, off, fmt, ap);
	va_end(ap);
}

void ike_cap_anomaly_at(struct ike_capture *c, const struct ike_origin *at, enum ike_anomaly_kind kind,
			uint32_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vanomaly(c, at, kind, off, fmt, ap);
	va_end(ap);
}

void ike_cap_emit(struct ike_capture *c, enum ike_cap_kind kind, const struct ike_origin *at, const uint8_t *p,
		  size_t len)
{
	if (kind == IKE_CAP_MESSAGE)
		c->st.ike_messages++;
	else if (kind == IKE_CAP_KEEPALIVE)
		c->st.keepalives++;
	struct ike_cap_event *ev = push(c, kind);
	if (!ev)
		return;
	ev->at = *at;
	ev->data = p;
	ev->len = len;
}

static void set_fatal(struct ike_capture *c, const char *reason)
{
	if (c->last_good_off >= 0)
		snprintf(c->fatal, sizeof(c->fatal), "%s: byte offset %ld: %s", c->path, c->last_good_off, reason);
	else
		snprintf(c->fatal, sizeof(c->fatal), "%s: after frame %llu: %s", c->path,
			 (unsigned long long)c->st.frames, reason);
}

static void process_frame(struct ike_capture *c, const struct pcap_pkthdr *h, const uint8_t *d)
{
	struct ike_rd r = ike_rd_init(d, h->caplen, 0);
	size_t wire = h->len > h->caplen ? h->len : h->caplen;
	/* libpcap reads an empty record as a frame; no link sends one, so it is said, then skipped */
	if (wire == 0)
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, 0, "empty record: the frame holds no bytes");
	int v = wire ? ike_cap_link(c, &r) : 0;
	if (v != 0)
		ike_cap_ip(c, v, &r, wire - r.off);
	if (!c->cur_counted)
		c->st.other++;
}

static void read_frame(struct ike_capture *c)
{
	struct pcap_pkthdr *h;
	const u_char *d;

	free(c->done_buf);
	c->done_buf = NULL;
	int rc = pcap_next_ex(c->pcap, &h, &d);
	if (rc == 1) {
		c->st.frames++;
		memset(&c->cur, 0, sizeof(c->cur));
		c->cur.file = c->file_index;
		c->cur.frame = c->st.frames;
		c->cur.ts_sec = (int64_t)h->ts.tv_sec;
		c->cur.ts_usec = (int32_t)h->ts.tv_usec;
		c->cur_counted = false;
		c->have_pend = true;
		c->pend_h = *h;
		c->pend_d = d;
		FILE *f = pcap_file(c->pcap);
		c->last_good_off = f ? ftell(f) : -1;
		return;
	}
	if (rc == -1)
		set_fatal(c, pcap_geterr(c->pcap));
	c->state = CAP_FLUSH;
}

enum ike_cap_kind ike_capture_next(struct ike_capture *c, struct ike_cap_event *ev)
{
	for (;;) {
		if (c->q_n) {
			*ev = c->q[c->q_head];
			c->q_head = (c->q_head + 1) % CAP_QUEUE;
			c->q_n--;
			return ev->kind;
		}
		if (c->drain && ike_cap_tcp_drain_one(c))
			continue;
		if (c->state == CAP_READING) {
			if (!c->have_pend) {
				read_frame(c);
			} else if (!ike_cap_frag_expire_one(c, false)) {
				c->have_pend = false;
				process_frame(c, &c->pend_h, c->pend_d);
			}
			continue;
		}
		if (c->state == CAP_FLUSH) {
			if (ike_cap_frag_expire_one(c, true) || ike_cap_tcp_flush_one(c))
				continue;
			c->state = CAP_DONE;
			if (c->fatal[0]) {
				struct ike_cap_event *e = push(c, IKE_CAP_ERROR);
				if (!e)
					continue;
				e->at = c->cur;
				snprintf(e->error, sizeof(e->error), "%s", c->fatal);
				continue;
			}
		}
		memset(ev, 0, sizeof(*ev));
		ev->kind = IKE_CAP_EOF;
		ev->at.file = c->file_index;
		return IKE_CAP_EOF;
	}
}

static void fill_defaults(struct ike_capture_opts *o)
{
	if (o->n_extra_ports > IKE_CAP_MAX_PORTS)
		o->n_extra_ports = IKE_CAP_MAX_PORTS;
	if (!o->frag_timeout_sec)
		o->frag_timeout_sec = CAP_DEF_FRAG_TIMEOUT;
	if (!o->frag_max_bytes)
		o->frag_max_bytes = CAP_DEF_FRAG_BYTES;
	if (!o->frag_max_datagrams)
		o->frag_max_datagrams = CAP_DEF_FRAG_DGRAMS;
	if (!o->tcp_max_streams)
		o->tcp_max_streams = CAP_DEF_TCP_STREAMS;
	if (!o->tcp_max_stream_bytes)
		o->tcp_max_stream_bytes = CAP_DEF_TCP_BYTES;
}

struct ike_capture *ike_capture_open(const char *path, uint32_t file_index, const struct ike_capture_opts *opts,
				     enum ike_err *why, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	FILE *fp = ike_cap_fopen(path);
	if (!fp) {
		*why = IKE_E_IO;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!p) {
		fclose(fp);
		*why = IKE_E_IO;
		/* libpcap failed on the file header (magic, version, section header), which starts at 0 */
		snprintf(err, errlen, "%s: byte offset 0: %s", path, ebuf);
		return NULL;
	}
	int dlt = pcap_datalink(p);
	if (!ike_cap_link_supported(dlt)) {
		const char *name = pcap_datalink_val_to_name(dlt);
		*why = IKE_E_UNSUPPORTED;
		snprintf(err, errlen, "%s: link type %d (%s) is not supported; file skipped", path, dlt,
			 name ? name : "unknown");
		pcap_close(p);
		return NULL;
	}
	struct ike_capture *c = calloc(1, sizeof(*c));
	char *pcopy = strdup(path);
	if (!c || !pcopy) {
		free(c);
		free(pcopy);
		pcap_close(p);
		*why = IKE_E_NOMEM;
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	c->pcap = p;
	c->path = pcopy;
	c->file_index = file_index;
	c->dlt = dlt;
	if (opts)
		c->opts = *opts;
	fill_defaults(&c->opts);
	FILE *f = pcap_file(p);
	c->last_good_off = f ? ftell(f) : -1;
	c->state = CAP_READING;
	*why = IKE_OK;
	return c;
}

void ike_capture_stats(const struct ike_capture *c, struct ike_capture_stats *out)
{
	*out = c->st;
	out->esp = c->esp;
	out->n_esp = c->n_esp;
	out->esp_truncated = c->esp_truncated;
}

int ike_capture_linktype(const struct ike_capture *c)
{
	return c->dlt;
}

void ike_capture_close(struct ike_capture *c)
{
	if (!c)
		return;
	ike_cap_frag_free_all(c);
	ike_cap_tcp_free_all(c);
	free(c->done_buf);
	pcap_close(c->pcap);
	free(c->path);
	free(c);
}
