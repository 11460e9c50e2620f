/* model.c — names and helpers for the values of the message model (ike.h). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/ike.h"

const char *ike_err_str(enum ike_err e)
{
	switch (e) {
	case IKE_OK: return "ok";
	case IKE_E_TRUNC: return "truncated";
	case IKE_E_MALFORMED: return "malformed";
	case IKE_E_TRAILING: return "trailing bytes";
	case IKE_E_UNSUPPORTED: return "unsupported";
	case IKE_E_NOKEY: return "no key";
	case IKE_E_AUTHFAIL: return "ICV mismatch";
	case IKE_E_LIMIT: return "limit reached";
	case IKE_E_NOMEM: return "out of memory";
	case IKE_E_IO: return "I/O error";
	}
	return "unknown error";
}

/* Stable names: scripts match on them (they appear in JSON "anomalies"). */
static const char *const anomaly_names[IKE_AN_KIND_MAX] = {
	[IKE_AN_TRUNCATED] = "truncated",
	[IKE_AN_LENGTH_TOO_SMALL] = "length-too-small",
	[IKE_AN_LENGTH_TOO_LARGE] = "length-too-large",
	[IKE_AN_LENGTH_MISMATCH] = "length-mismatch",
	[IKE_AN_TRAILING_BYTES] = "trailing-bytes",
	[IKE_AN_LIMIT] = "limit",
	[IKE_AN_MALFORMED] = "malformed",
	[IKE_AN_UNKNOWN_CRITICAL] = "unknown-critical-payload",
	[IKE_AN_BAD_VERSION] = "bad-version",
	[IKE_AN_RESERVED_NONZERO] = "reserved-nonzero",
	[IKE_AN_SK_NOT_LAST] = "sk-not-last",
	[IKE_AN_ICV_BAD] = "icv-bad",
	[IKE_AN_DECRYPT_FAILED] = "decrypt-failed",
	[IKE_AN_FRAME_TRUNCATED] = "frame-truncated",
	[IKE_AN_IP_BAD_HEADER] = "ip-bad-header",
	[IKE_AN_IP_FRAG_OVERLAP] = "ip-fragment-overlap",
	[IKE_AN_IP_FRAG_TIMEOUT] = "ip-fragment-timeout",
	[IKE_AN_IP_FRAG_LIMIT] = "ip-fragment-limit",
	[IKE_AN_UDP_BAD_LENGTH] = "udp-bad-length",
	[IKE_AN_TCP_STREAM] = "tcp-stream",
	[IKE_AN_FRAGMENT_MISSING] = "ike-fragment-missing",
};

const char *ike_anomaly_name(enum ike_anomaly_kind k)
{
	if ((unsigned)k < IKE_AN_KIND_MAX && anomaly_names[k])
		return anomaly_names[k];
	return "unknown";
}

void ike_msg_anomaly(struct ike_msg *m, enum ike_anomaly_kind kind, uint32_t offset, const char *fmt, ...)
{
	if (m->n_anomalies >= IKE_MAX_ANOMALIES) {
		m->n_anomalies_dropped++;
		return;
	}
	struct ike_anomaly *a = &m->anomalies[m->n_anomalies++];
	a->kind = (uint16_t)kind;
	a->offset = offset;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
}

char *ike_addr_str(const struct ike_addr *a, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (a->family == 4 && cap >= 16) {
		/* dotted quad by hand: every printed message has two of them */
		char *q = buf;
		for (int i = 0; i < 4; i++) {
			unsigned v = a->a[i];
			if (v >= 100)
				*q++ = (char)('0' + v / 100);
			if (v >= 10)
				*q++ = (char)('0' + v / 10 % 10);
			*q++ = (char)('0' + v % 10);
			*q++ = i < 3 ? '.' : '\0';
		}
	} else if (a->family == 4)
		inet_ntop(AF_INET, a->a, buf, (socklen_t)cap);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->a, buf, (socklen_t)cap);
	else
		snprintf(buf, cap, "-");
	return buf;
}

const char *ike_transport_name(enum ike_transport t)
{
	switch (t) {
	case IKE_TR_UDP: return "udp";
	case IKE_TR_UDP_ENCAP: return "udp-encap";
	case IKE_TR_TCP: return "tcp";
	}
	return "udp";
}

const char *ike_decrypted_name(enum ike_decrypted d)
{
	switch (d) {
	case IKE_DEC_NA: return "n/a";
	case IKE_DEC_NO_KEY: return "no-key";
	case IKE_DEC_YES: return "yes";
	case IKE_DEC_FAILED: return "failed";
	}
	return "n/a";
}

const char *ike_icv_name(enum ike_icv i)
{
	switch (i) {
	case IKE_ICV_NA: return "n/a";
	case IKE_ICV_UNCHECKED: return "unchecked";
	case IKE_ICV_OK: return "ok";
	case IKE_ICV_BAD: return "bad";
	}
	return "n/a";
}
