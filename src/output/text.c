/*
 * text.c — the human output of `dissect`: one line per message,
 *
 *     3 2026-06-18 00:31:22.123456 192.0.2.1[500] -> 203.0.113.1[500] 0x…/0x… IKE_SA_INIT request 0 [ SA KE No ]
 *
 * then one indented "!kind: detail (offset N)" line per anomaly and, with -V,
 * the header and payload tree through the text emitter.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/output.h"
#include "output/out_int.h"

#define DETAIL_INDENT 6 /* anomaly lines and the -V tree, under the time column */

static void frame_col(FILE *f, const char *file_name, uint64_t frame)
{
	if (file_name) {
		ike_text_str(f, file_name, strlen(file_name));
		fprintf(f, ":%" PRIu64, frame);
	} else {
		fprintf(f, "%5" PRIu64, frame);
	}
}

static void anomaly_line(FILE *f, const struct ike_anomaly *a)
{
	fprintf(f, "%*s!%s: ", DETAIL_INDENT, "", ike_anomaly_name((enum ike_anomaly_kind)a->kind));
	ike_text_str(f, a->detail, strnlen(a->detail, sizeof(a->detail)));
	fprintf(f, " (offset %" PRIu32 ")\n", a->offset);
}

static void header_tree(const struct ike_emit *e, const struct ike_msg *m)
{
	char b[96];
	snprintf(b, sizeof(b), "%016" PRIx64, m->ispi);
	ike_emit_s(e, "ispi", b);
	snprintf(b, sizeof(b), "%016" PRIx64, m->rspi);
	ike_emit_s(e, "rspi", b);
	const char *np = m->ikev1 ? NULL : ike_name_short(&ike_names_payload, m->first_payload);
	snprintf(b, sizeof(b), "%s (%u)", np ? np : (m->first_payload ? "UNKN" : "NONE"), m->first_payload);
	ike_emit_s(e, "next_payload", b);
	snprintf(b, sizeof(b), "%u.%u", m->version >> 4, m->version & 15);
	ike_emit_s(e, "version", b);
	char num[16];
	const char *ex = ike_out_exchange(m, num, sizeof(num));
	if (ex == num)
		ike_emit_s(e, "exchange", ex);
	else {
		snprintf(b, sizeof(b), "%s (%u)", ex, m->exchange);
		ike_emit_s(e, "exchange", b);
	}
	snprintf(b, sizeof(b), "0x%02x (%s%s%s%s)", m->flags, m->flags & IKE_FLAG_I ? "I" : "",
		 m->flags & IKE_FLAG_V ? "V" : "", m->flags & IKE_FLAG_R ? "R" : "",
		 m->flags & (IKE_FLAG_I | IKE_FLAG_V | IKE_FLAG_R) ? "" : "-");
	ike_emit_s(e, "flags", b);
	ike_emit_u(e, "mid", m->mid);
	ike_emit_u(e, "length", m->length);
	ike_emit_s(e, "transport", ike_transport_name(m->at.transport));
	if (m->decrypted != IKE_DEC_NA)
		ike_emit_s(e, "decrypted", ike_decrypted_name(m->decrypted));
	if (m->icv != IKE_ICV_NA)
		ike_emit_s(e, "icv", ike_icv_name(m->icv));
	if (m->frag_total) {
		snprintf(b, sizeof(b), "%u/%u", m->frag_num, m->frag_total);
		ike_emit_s(e, "fragment", b);
	}
}

static void tree(FILE *f, const struct ike_msg *m)
{
	struct ike_text_w w;
	struct ike_emit e;
	ike_text_emitter(&w, f, DETAIL_INDENT, &e);
	header_tree(&e, m);
	if (m->n_payloads) {
		ike_emit_list(&e, "payloads");
		for (uint16_t i = 0; i < m->n_payloads; i++) {
			unsigned depth = w.depth + w.dropped;
			ike_emit_open(&e, NULL);
			ike_describe_payload(&m->payloads[i], &e);
			/* Closes whatever a describe() left open, and the element. */
			while (w.depth + w.dropped > depth)
				ike_emit_close(&e);
		}
		ike_emit_list_end(&e);
	}
	fputc('\n', f);
}

void ike_out_text_msg(FILE *f, const struct ike_msg *m, const char *file_name, bool verbose)
{
	char ts[48], src[64], dst[64], sbuf[2048], *heap;
	frame_col(f, file_name, m->at.frame);
	fprintf(f, " %s %s -> %s 0x%016" PRIx64 "/0x%016" PRIx64 " ",
		ike_out_time(m->at.ts_sec, m->at.ts_usec, ' ', ts, sizeof(ts)),
		ike_out_endpoint(&m->at.src, m->at.sport, src, sizeof(src)),
		ike_out_endpoint(&m->at.dst, m->at.dport, dst, sizeof(dst)), m->ispi, m->rspi);
	const char *sum = ike_out_summary(m, sbuf, sizeof(sbuf), &heap);
	ike_text_str(f, sum, strlen(sum));
	free(heap);
	fputc('\n', f);
	for (uint16_t i = 0; i < m->n_anomalies && i < IKE_MAX_ANOMALIES; i++)
		anomaly_line(f, &m->anomalies[i]);
	if (m->n_anomalies_dropped)
		fprintf(f, "%*s(%" PRIu32 " more anomalies not kept)\n", DETAIL_INDENT, "", m->n_anomalies_dropped);
	if (verbose)
		tree(f, m);
}

void ike_out_text_event(FILE *f, const struct ike_cap_event *ev, const char *file_name)
{
	char ts[48], src[64], dst[64];
	const struct ike_origin *at = &ev->at;
	if (ev->kind != IKE_CAP_KEEPALIVE && ev->kind != IKE_CAP_ANOMALY)
		return;
	frame_col(f, file_name, at->frame);
	fprintf(f, " %s", ike_out_time(at->ts_sec, at->ts_usec, ' ', ts, sizeof(ts)));
	if (at->src.family || at->dst.family) {
		if (at->sport || at->dport) {
			ike_out_endpoint(&at->src, at->sport, src, sizeof(src));
			ike_out_endpoint(&at->dst, at->dport, dst, sizeof(dst));
		} else { /* below UDP (IP fragments): addresses only */
			ike_addr_str(&at->src, src, sizeof(src));
			ike_addr_str(&at->dst, dst, sizeof(dst));
		}
		fprintf(f, " %s -> %s", src, dst);
	}
	if (ev->kind == IKE_CAP_KEEPALIVE) {
		fputs(" NAT-keepalive\n", f);
		return;
	}
	const struct ike_anomaly *a = &ev->anomaly;
	fprintf(f, " !%s: ", ike_anomaly_name((enum ike_anomaly_kind)a->kind));
	ike_text_str(f, a->detail, strnlen(a->detail, sizeof(a->detail)));
	fprintf(f, " (offset %" PRIu32 ")\n", a->offset);
}
