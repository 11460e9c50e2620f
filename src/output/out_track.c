/*
 * out_track.c — printers for the tracker's records: per IKE SA a header and
 * a table of its exchanges (text), or "ike_sa" and "exchange" JSON lines.
 * Every JSON member is always present (null where it does not apply).
 */
#include <inttypes.h>
#include <string.h>

#include "ikescope/names.h"
#include "ikescope/track.h"
#include "output/out_int.h"

static char *ts_str(int64_t us, char sep, char *b, size_t cap)
{
	int64_t sec = us / 1000000, usec = us % 1000000;
	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	return ike_out_time(sec, (int32_t)usec, sep, b, cap);
}

static const char *error_name(uint16_t type)
{
	const char *n = ike_name_long(&ike_names_notify, type);
	return n ? n : NULL;
}

/* "12.345ms", "4.250s", "1m23.456s", "2h03m" */
static char *duration(int64_t us, char *b, size_t cap)
{
	double s = (double)us / 1e6;
	if (s < 1)
		snprintf(b, cap, "%.3fms", s * 1e3);
	else if (s < 60)
		snprintf(b, cap, "%.3fs", s);
	else if (s < 3600)
		snprintf(b, cap, "%dm%06.3fs", (int)(s / 60), s - 60 * (int)(s / 60));
	else
		snprintf(b, cap, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
	return b;
}

/* ---- text ---------------------------------------------------------------- */

static void text_outcome(FILE *f, const struct ike_exchange_rec *x)
{
	char b[64];
	switch (x->outcome) {
	case IKE_XO_ANSWERED: fputs("answered", f); break;
	case IKE_XO_UNANSWERED: fputs("unanswered", f); break;
	case IKE_XO_ERROR:
		if (x->error_inferred)
			fputs("error (by size)", f);
		else if (error_name(x->error))
			fprintf(f, "error %s", error_name(x->error));
		else
			fprintf(f, "error (%u)", x->error);
		break;
	}
	if (x->rtt_us >= 0)
		fprintf(f, " %s", duration(x->rtt_us, b, sizeof(b)));
	if (x->responses > 1)
		fprintf(f, ", %" PRIu32 " responses", x->responses);
	if (x->request_changed)
		fputs(", request bytes changed", f);
}

static void text_exchange(FILE *f, const struct ike_exchange_rec *x)
{
	char b[64], kind[32];
	int64_t at = x->first_us >= 0 ? x->first_us : x->response_us;
	snprintf(kind, sizeof(kind), "%s%s", x->inferred ? "~" : "", ike_xkind_name(x->kind));
	fprintf(f, "   %-26s  %-9s  %-14s %5" PRIu32 " %3" PRIu32 "  ", ts_str(at, ' ', b, sizeof(b)),
		x->by_initiator ? "initiator" : "responder", kind, x->mid, x->transmissions);
	text_outcome(f, x);
	fputc('\n', f);
	const struct ike_retx_fit *r = &x->retx;
	if (r->n_gaps == 0)
		return;
	fprintf(f, "%33s retransmitted at", "");
	for (uint32_t i = 1; i < x->n_tx; i++)
		fprintf(f, " +%.2fs", (double)(x->tx_us[i] - x->tx_us[0]) / 1e6);
	if (r->n_gaps >= 2)
		fprintf(f, ": %.2fs x %.2f^n (%s), gives up %.1fs after the first send", r->timeout_s, r->base,
			ike_retx_verdict_name(r->verdict), r->give_up_s);
	fputc('\n', f);
}

static void text_sa(FILE *f, const struct ike_tracker *t, const struct ike_sa_rec *s, const char *file_name)
{
	char i[64], r[64], b[64], d[32];
	fprintf(f, "IKE SA %" PRIu32 "%s%s: %s <=> %s  %016" PRIx64 "_i %016" PRIx64 "_r\n", s->index,
		file_name ? " in " : "", file_name ? file_name : "",
		ike_out_endpoint(&s->init_addr, s->init_port, i, sizeof(i)),
		ike_out_endpoint(&s->resp_addr, s->resp_port, r, sizeof(r)), s->ispi, s->rspi);
	if (s->proposal[0])
		fprintf(f, "   proposal %s\n", s->proposal);
	if (s->predecessor >= 0)
		fprintf(f, "   follows IKE SA %" PRId64 " (%s%s)\n", s->predecessor, ike_sa_link_name(s->link),
			s->link_inferred ? ", inferred" : "");
	fprintf(f, "   first seen %s", ts_str(s->first_us, ' ', b, sizeof(b)));
	if (s->established && s->established_us >= 0)
		fprintf(f, ", established %s%s", ts_str(s->established_us, ' ', b, sizeof(b)),
			s->established_inferred ? " (inferred)" : "");
	else if (s->established)
		fputs(", established before the capture", f);
	else
		fputs(", never established", f);
	fputc('\n', f);
	int64_t from = s->established_us >= 0 ? s->established_us : s->first_us;
	fprintf(f, "   end %s%s", ike_sa_end_name(s->end), s->end_inferred ? " (inferred)" : "");
	if (s->end_us >= 0)
		fprintf(f, " at %s, lifetime %s", ts_str(s->end_us, ' ', b, sizeof(b)),
			duration(s->end_us - from, d, sizeof(d)));
	else
		fprintf(f, ", up for %s at its last message", duration(s->last_us - from, d, sizeof(d)));
	fputc('\n', f);
	if (s->exchanges_dropped)
		fprintf(f, "   %" PRIu32 " messages beyond the exchange cap not tracked\n", s->exchanges_dropped);
	fprintf(f, "   %-26s  %-9s  %-14s %5s %3s  %s\n", "TIME", "REQUESTER", "KIND", "MID", "TX", "OUTCOME, RTT");
	for (uint32_t k = 0; k < s->n_exchanges; k++)
		text_exchange(f, ike_tracker_sa_exchange(t, s, k));
	fputc('\n', f);
}

static void text_end(FILE *f, const struct ike_tracker *t, bool inferred)
{
	if (inferred)
		fputs("~ kind inferred from sizes and timing (no keys for that exchange)\n", f);
	struct ike_track_stats st;
	ike_tracker_stats(t, &st);
	if (st.sas_streamed)
		fprintf(f,
			"! %" PRIu64 " IKE SAs were printed as soon as they were over, to keep memory bounded: "
			"the order is by when each was over\n",
			st.sas_streamed);
	if (st.sas_forced)
		fprintf(f,
			"! %" PRIu64 " of them were finished early by the memory budget, before they were over: "
			"a later message of one opens a new IKE SA record\n",
			st.sas_forced);
	if (st.sas_dropped || st.exchanges_dropped)
		fprintf(f,
			"! caps hit: %" PRIu64 " messages of IKE SAs beyond %zu, %" PRIu64
			" messages of exchanges beyond %zu were not tracked\n",
			st.sas_dropped, st.max_sas, st.exchanges_dropped, st.max_exchanges);
}

/* ---- JSON ---------------------------------------------------------------- */

static void j_key(FILE *f, const char *k) { fprintf(f, ",\"%s\":", k); }

static void j_str(FILE *f, const char *k, const char *v)
{
	j_key(f, k);
	if (v)
		ike_json_str(f, v, strlen(v));
	else
		fputs("null", f);
}

static void j_ts(FILE *f, const char *k, int64_t us)
{
	char b[64];
	j_str(f, k, us >= 0 ? ts_str(us, 'T', b, sizeof(b)) : NULL);
}

static void j_spi(FILE *f, const char *k, uint64_t spi)
{
	char b[24];
	snprintf(b, sizeof(b), "%016" PRIx64, spi);
	j_str(f, k, b);
}

static void j_bool(FILE *f, const char *k, bool v)
{
	j_key(f, k);
	fputs(v ? "true" : "false", f);
}

static void j_head(FILE *f, const char *type, const char *file_name)
{
	fprintf(f, "{\"v\":1,\"type\":\"%s\"", type);
	j_str(f, "file", file_name);
}

void ike_out_json_sa(FILE *f, const struct ike_tracker *t, const struct ike_sa_rec *s, const char *file_name)
{
	char b[64];
	(void)t; /* the record carries all it prints, its predecessor's SPIs included */
	j_head(f, "ike_sa", file_name);
	j_key(f, "index");
	fprintf(f, "%" PRIu32, s->index);
	j_spi(f, "ispi", s->ispi);
	j_spi(f, "rspi", s->rspi);
	j_str(f, "initiator", ike_out_endpoint(&s->init_addr, s->init_port, b, sizeof(b)));
	j_str(f, "responder", ike_out_endpoint(&s->resp_addr, s->resp_port, b, sizeof(b)));
	j_ts(f, "first_ts", s->first_us);
	j_ts(f, "last_ts", s->last_us);
	j_bool(f, "established", s->established);
	j_ts(f, "established_ts", s->established_us);
	j_bool(f, "established_inferred", s->established_inferred);
	j_str(f, "proposal", s->proposal[0] ? s->proposal : NULL);
	j_str(f, "ke_group", s->ke_group ? ike_name_long(&ike_names_ke, s->ke_group) : NULL);
	j_key(f, "predecessor");
	if (s->predecessor >= 0) {
		fprintf(f, "{\"index\":%" PRId64, s->predecessor);
		j_spi(f, "ispi", s->pred_ispi);
		j_spi(f, "rspi", s->pred_rspi);
		j_str(f, "link", ike_sa_link_name(s->link));
		j_bool(f, "inferred", s->link_inferred);
		fputc('}', f);
	} else {
		fputs("null", f);
	}
	j_str(f, "end", ike_sa_end_name(s->end));
	j_bool(f, "end_inferred", s->end_inferred);
	j_ts(f, "end_ts", s->end_us);
	j_key(f, "lifetime_s");
	int64_t from = s->established_us >= 0 ? s->established_us : s->first_us;
	if (s->end_us >= 0)
		fprintf(f, "%.6f", (double)(s->end_us - from) / 1e6);
	else
		fputs("null", f);
	j_key(f, "exchanges");
	fprintf(f, "%" PRIu32, s->n_exchanges);
	j_key(f, "exchanges_dropped");
	fprintf(f, "%" PRIu32 "}\n", s->exchanges_dropped);
}

static void j_retx(FILE *f, const struct ike_retx_fit *r)
{
	j_key(f, "retransmit");
	if (r->n_gaps == 0) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"gaps\":%u,\"timeout_s\":%.6f", r->n_gaps, r->timeout_s);
	if (r->n_gaps >= 2)
		fprintf(f, ",\"base\":%.6f,\"max_rel_err\":%.6f,\"give_up_s\":%.6f", r->base, r->max_rel_err,
			r->give_up_s);
	else
		fputs(",\"base\":null,\"max_rel_err\":null,\"give_up_s\":null", f);
	j_str(f, "verdict", ike_retx_verdict_name(r->verdict));
	fputc('}', f);
}

void ike_out_json_exchange(FILE *f, const struct ike_tracker *t, const struct ike_exchange_rec *x,
			   const char *file_name)
{
	char b[64];
	(void)t;
	j_head(f, "exchange", file_name);
	j_key(f, "sa");
	fprintf(f, "%" PRIu32, x->sa);
	j_spi(f, "ispi", x->ispi);
	j_spi(f, "rspi", x->rspi);
	const char *ex = ike_name_long(&ike_names_exchange, x->exchange);
	if (!ex)
		snprintf(b, sizeof(b), "%u", x->exchange);
	j_str(f, "exchange", ex ? ex : b);
	j_key(f, "mid");
	fprintf(f, "%" PRIu32, x->mid);
	j_str(f, "requester", x->by_initiator ? "initiator" : "responder");
	j_str(f, "from", ike_out_endpoint(&x->from, x->sport, b, sizeof(b)));
	j_str(f, "to", ike_out_endpoint(&x->to, x->dport, b, sizeof(b)));
	j_str(f, "kind", ike_xkind_name(x->kind));
	j_bool(f, "inferred", x->inferred);
	j_str(f, "outcome", ike_xoutcome_name(x->outcome));
	j_str(f, "error", x->outcome == IKE_XO_ERROR && !x->error_inferred ? error_name(x->error) : NULL);
	j_bool(f, "error_inferred", x->error_inferred);
	j_key(f, "transmissions");
	fprintf(f, "%" PRIu32, x->transmissions);
	j_key(f, "responses");
	fprintf(f, "%" PRIu32, x->responses);
	j_ts(f, "first_ts", x->first_us);
	j_ts(f, "last_ts", x->last_us);
	j_ts(f, "response_ts", x->response_us);
	j_key(f, "rtt_ms");
	if (x->rtt_us >= 0)
		fprintf(f, "%.3f", (double)x->rtt_us / 1e3);
	else
		fputs("null", f);
	j_key(f, "tx_ts");
	fputc('[', f);
	for (uint32_t i = 0; i < x->n_tx; i++) {
		if (i)
			fputc(',', f);
		fprintf(f, "\"%s\"", ts_str(x->tx_us[i], 'T', b, sizeof(b)));
	}
	fputc(']', f);
	j_key(f, "frames");
	fputc('[', f);
	for (uint32_t i = 0; i < x->n_frames; i++)
		fprintf(f, "%s%" PRIu64, i ? "," : "", x->frames[i]);
	fputc(']', f);
	j_key(f, "frames_dropped");
	fprintf(f, "%" PRIu32, x->frames_dropped);
	j_bool(f, "request_changed", x->request_changed);
	j_retx(f, &x->retx);
	fputs("}\n", f);
}

static void json_end(FILE *f, const struct ike_tracker *t, const char *file_name)
{
	struct ike_track_stats st;
	ike_tracker_stats(t, &st);
	if (!st.sas_dropped && !st.exchanges_dropped && !st.sas_streamed)
		return;
	j_head(f, "track_limit", file_name);
	fprintf(f, ",\"sas_dropped\":%" PRIu64 ",\"max_sas\":%zu,\"exchanges_dropped\":%" PRIu64
		   ",\"max_exchanges\":%zu,\"sas_streamed\":%" PRIu64 ",\"sas_forced\":%" PRIu64 "}\n",
		st.sas_dropped, st.max_sas, st.exchanges_dropped, st.max_exchanges, st.sas_streamed, st.sas_forced);
}

/* ---- SA by SA -------------------------------------------------------------- */

void ike_out_track_sa(void *stream, const struct ike_tracker *t, const struct ike_sa_rec *s)
{
	struct ike_out_track_stream *st = stream;
	for (uint32_t k = 0; k < s->n_exchanges && !st->inferred; k++)
		st->inferred = ike_tracker_sa_exchange(t, s, k)->inferred;
	if (!st->json) {
		text_sa(st->f, t, s, st->file_name);
		return;
	}
	ike_out_json_sa(st->f, t, s, st->file_name);
	for (uint32_t k = 0; k < s->n_exchanges; k++)
		ike_out_json_exchange(st->f, t, ike_tracker_sa_exchange(t, s, k), st->file_name);
}

void ike_out_track_end(struct ike_out_track_stream *st, const struct ike_tracker *t)
{
	if (st->json)
		json_end(st->f, t, st->file_name);
	else
		text_end(st->f, t, st->inferred);
}

static void whole(FILE *f, const struct ike_tracker *t, const char *file_name, bool json)
{
	struct ike_out_track_stream st = {.f = f, .file_name = file_name, .json = json};
	for (size_t i = 0; i < ike_tracker_n_sas(t); i++)
		ike_out_track_sa(&st, t, ike_tracker_sa(t, i));
	ike_out_track_end(&st, t);
}

void ike_out_text_track(FILE *f, const struct ike_tracker *t, const char *file_name) { whole(f, t, file_name, false); }

void ike_out_json_track(FILE *f, const struct ike_tracker *t, const char *file_name) { whole(f, t, file_name, true); }
