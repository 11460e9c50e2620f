/*
 * json.c — the JSON-lines output: one "msg", "keepalive" or "anomaly" object
 * per line, members as DESIGN.md's contract names them. Every member is
 * always present (null where it does not apply) so the schema is stable;
 * "anomalies_dropped" alone appears only when anomalies were not kept.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/output.h"
#include "output/out_int.h"

/* The 16 lowercase hex digits of an SPI (what "%016" PRIx64 gives). */
static const char *spi_hex(uint64_t v, char *b)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 15; i >= 0; i--, v >>= 4)
		b[i] = digits[v & 15];
	b[16] = '\0';
	return b;
}

static void origin(const struct ike_emit *e, const struct ike_origin *at, const char *file_name,
		   bool with_ports)
{
	char b[64];
	ike_emit_s(e, "file", file_name);
	ike_emit_u(e, "frame", at->frame);
	ike_emit_s(e, "ts", ike_out_time(at->ts_sec, at->ts_usec, 'T', b, sizeof(b)));
	ike_emit_s(e, "src", at->src.family ? ike_addr_str(&at->src, b, sizeof(b)) : NULL);
	if (with_ports)
		ike_emit_u(e, "sport", at->sport);
	ike_emit_s(e, "dst", at->dst.family ? ike_addr_str(&at->dst, b, sizeof(b)) : NULL);
	if (with_ports)
		ike_emit_u(e, "dport", at->dport);
}

static void anomaly(const struct ike_emit *e, const struct ike_anomaly *a)
{
	char detail[sizeof(a->detail) + 1];
	size_t n = strnlen(a->detail, sizeof(a->detail));
	memcpy(detail, a->detail, n);
	detail[n] = '\0';
	ike_emit_s(e, "kind", ike_anomaly_name((enum ike_anomaly_kind)a->kind));
	ike_emit_u(e, "offset", a->offset);
	ike_emit_s(e, "detail", detail);
}

static void payloads(const struct ike_emit *e, const struct ike_json_w *w, const struct ike_msg *m)
{
	ike_emit_list(e, "payloads");
	for (uint16_t i = 0; i < m->n_payloads; i++) {
		unsigned depth = w->depth + w->dropped;
		ike_emit_open(e, NULL);
		ike_describe_payload(&m->payloads[i], e);
		/* Closes whatever a describe() left open, and the element. */
		while (w->depth + w->dropped > depth)
			ike_emit_close(e);
	}
	ike_emit_list_end(e);
}

void ike_out_json_msg(FILE *f, const struct ike_msg *m, const char *file_name)
{
	struct ike_json_w w;
	struct ike_emit e;
	char b[64], *heap;
	ike_json_emitter(&w, f, &e);

	ike_emit_open(&e, NULL);
	ike_emit_u(&e, "v", 1);
	ike_emit_s(&e, "type", "msg");
	origin(&e, &m->at, file_name, true);
	ike_emit_s(&e, "transport", ike_transport_name(m->at.transport));
	ike_emit_s(&e, "ispi", spi_hex(m->ispi, b));
	ike_emit_s(&e, "rspi", spi_hex(m->rspi, b));
	ike_emit_s(&e, "exchange", ike_out_exchange(m, b, sizeof(b)));
	ike_emit_u(&e, "exchange_id", m->exchange);
	ike_emit_u(&e, "mid", m->mid);
	ike_emit_b(&e, "initiator", ike_msg_from_initiator(m));
	ike_emit_b(&e, "response", ike_msg_is_response(m));
	/* The header's flags byte as sent: I (0x08), V (0x10), R (0x20) and any reserved bit. */
	ike_emit_u(&e, "flags", m->flags);
	ike_emit_u(&e, "length", m->length);
	/* "major.minor", each one hex nibble written in decimal */
	char *q = b;
	if (m->version >> 4 >= 10)
		*q++ = '1';
	*q++ = (char)('0' + (m->version >> 4) % 10);
	*q++ = '.';
	if ((m->version & 15) >= 10)
		*q++ = '1';
	*q++ = (char)('0' + (m->version & 15) % 10);
	*q = '\0';
	ike_emit_s(&e, "version", b);
	ike_emit_b(&e, "ikev1", m->ikev1);
	payloads(&e, &w, m);

	char sbuf[2048];
	ike_emit_s(&e, "summary", ike_out_summary(m, sbuf, sizeof(sbuf), &heap));
	free(heap);
	ike_emit_s(&e, "decrypted", ike_decrypted_name(m->decrypted));
	ike_emit_s(&e, "icv", ike_icv_name(m->icv));
	if (m->frag_total) {
		ike_emit_open(&e, "fragment");
		ike_emit_u(&e, "number", m->frag_num);
		ike_emit_u(&e, "total", m->frag_total);
		ike_emit_close(&e);
	} else {
		ike_emit_s(&e, "fragment", NULL);
	}
	ike_emit_list(&e, "anomalies");
	for (uint16_t i = 0; i < m->n_anomalies && i < IKE_MAX_ANOMALIES; i++) {
		ike_emit_open(&e, NULL);
		anomaly(&e, &m->anomalies[i]);
		ike_emit_close(&e);
	}
	ike_emit_list_end(&e);
	if (m->n_anomalies_dropped)
		ike_emit_u(&e, "anomalies_dropped", m->n_anomalies_dropped);
	ike_emit_close(&e);
	fputc('\n', f);
}

void ike_out_json_event(FILE *f, const struct ike_cap_event *ev, const char *file_name)
{
	struct ike_json_w w;
	struct ike_emit e;
	if (ev->kind != IKE_CAP_KEEPALIVE && ev->kind != IKE_CAP_ANOMALY)
		return;
	ike_json_emitter(&w, f, &e);
	ike_emit_open(&e, NULL);
	ike_emit_u(&e, "v", 1);
	if (ev->kind == IKE_CAP_KEEPALIVE) {
		ike_emit_s(&e, "type", "keepalive");
		origin(&e, &ev->at, file_name, true);
	} else {
		ike_emit_s(&e, "type", "anomaly");
		origin(&e, &ev->at, file_name, false);
		anomaly(&e, &ev->anomaly);
	}
	ike_emit_close(&e);
	fputc('\n', f);
}
