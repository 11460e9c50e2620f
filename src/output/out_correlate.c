/*
 * out_correlate.c — printers for the correlator: the merged timeline (each
 * line with its source and its links) and the verdicts as text, or "log",
 * "link", "finding" and "verdict" JSON lines. Every JSON member is always
 * present (null where it does not apply).
 */
#include <inttypes.h>
#include <string.h>

#include "ikescope/correlate.h"
#include "ikescope/names.h"
#include "output/out_int.h"

static char *ts(int64_t us, char sep, char *b, size_t cap)
{
	int64_t sec = us / 1000000, usec = us % 1000000;
	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	return ike_out_time(sec, (int32_t)usec, sep, b, cap);
}

/* Without a year the month, day and time only ("Nov 26 23:25:43.000000"). */
static char *when(const struct ike_corr *c, int64_t us, char sep, char *b, size_t cap)
{
	if (ike_corr_dated(c))
		return ts(us, sep, b, cap);
	static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char full[40];
	ts(us, 'T', full, sizeof(full)); /* YYYY-MM-DDTHH:MM:SS.uuuuuuZ */
	int m = (full[5] - '0') * 10 + (full[6] - '0');
	if (m < 1 || m > 12)
		m = 1;
	snprintf(b, cap, "%s %c%c %.15s", mon[m - 1], full[8], full[9], full + 11);
	return b;
}

static const char *log_name(const struct ike_corr_names *n, uint32_t file, char *b, size_t cap)
{
	if (n && file < n->n_logs)
		return n->logs[file];
	snprintf(b, cap, "log%u", file + 1);
	return b;
}

static const char *cap_name(const struct ike_corr_names *n, uint32_t file, char *b, size_t cap)
{
	if (n && file < n->n_captures)
		return n->captures[file];
	snprintf(b, cap, "capture%u", file + 1);
	return b;
}

static void text_ref(FILE *f, const struct ike_corr_ref *r, const struct ike_corr_names *n)
{
	char b[32];
	if (r->src == IKE_CORR_SRC_LOG)
		fprintf(f, "%s:%" PRIu64, log_name(n, r->file, b, sizeof(b)), r->pos);
	else
		fprintf(f, "%s#%" PRIu64, cap_name(n, r->file, b, sizeof(b)), r->pos);
}

static const char *xname(uint8_t e, char *b, size_t cap)
{
	const char *s = ike_name_long(&ike_names_exchange, e);
	if (s)
		return s;
	snprintf(b, cap, "EXCHANGE(%u)", e);
	return b;
}

static void text_entry(FILE *f, const struct ike_corr *c, const struct ike_corr_entry *e,
		       const struct ike_corr_names *n)
{
	char t[40], b[32], b2[32];
	const struct ike_corr_log *l = e->src == IKE_CORR_SRC_LOG ? ike_corr_log(c, e->index) : NULL;
	fprintf(f, "%s  ", when(c, l ? l->us : e->us, ' ', t, sizeof(t)));
	if (l) {
		char src[96];
		snprintf(src, sizeof(src), "%s:%" PRIu64, log_name(n, l->file, b, sizeof(b)), l->line);
		fprintf(f, "%-22s ", src);
		ike_text_str(f, l->text, strlen(l->text));
		if (l->link >= 0) {
			const struct ike_corr_msg *x = ike_corr_msg(c, (size_t)l->link);
			fprintf(f, "  <=> %s#%" PRIu64, cap_name(n, x->file, b2, sizeof(b2)), x->frame);
		} else if (l->linkable && ike_corr_n_msgs(c)) {
			fputs("  (no frame)", f);
		}
	} else {
		const struct ike_corr_msg *x = ike_corr_msg(c, e->index);
		char src[96], a[64], d[64];
		snprintf(src, sizeof(src), "%s#%" PRIu64, cap_name(n, x->file, b, sizeof(b)), x->frame);
		fprintf(f, "%-22s %s > %s %s (%u bytes)", src, ike_out_endpoint(&x->src, x->sport, a, sizeof(a)),
			ike_out_endpoint(&x->dst, x->dport, d, sizeof(d)), x->summary, x->length);
		int64_t links[3] = {x->link_packet, x->link_message, x->link_retransmit};
		for (int k = 0; k < 3; k++)
			if (links[k] >= 0) {
				const struct ike_corr_log *ll = ike_corr_log(c, (size_t)links[k]);
				fprintf(f, "  <=> %s:%" PRIu64, log_name(n, ll->file, b2, sizeof(b2)), ll->line);
			}
	}
	fputc('\n', f);
}

static void text_props(FILE *f, const struct ike_corr_verdict *v)
{
	static const char *const sides[2] = {"local", "peer"}, *const kinds[2] = {"IKE", "CHILD"};
	for (int s = 0; s < IKE_CORR_SIDES; s++)
		for (int k = 0; k < 2; k++) {
			const struct ike_corr_propset *p = &v->proposals.set[s][k];
			if (!p->known || (!p->received[0] && !p->configured[0]))
				continue;
			fprintf(f, "  %s %s proposals:\n", sides[s], kinds[k]);
			fprintf(f, "    received:   %s\n", p->received[0] ? p->received : "-");
			fprintf(f, "    configured: %s\n", p->configured[0] ? p->configured : "-");
			if (p->selected[0])
				fprintf(f, "    selected:   %s\n", p->selected);
			if (p->differing[0])
				fprintf(f, "    differing:  %s\n", p->differing);
		}
}

void ike_out_text_verdicts(FILE *f, const struct ike_corr *c, const struct ike_corr_names *n)
{
	for (size_t i = 0; i < ike_corr_n_verdicts(c); i++) {
		const struct ike_corr_verdict *v = ike_corr_verdict(c, i);
		char a[64], p[64], t[40], b[32];
		fprintf(f, "\nVerdict for %s %s <=> %s\n", v->name[0] ? v->name : "tunnel",
			v->local.family ? ike_addr_str(&v->local, a, sizeof(a)) : "?",
			v->peer.family ? ike_addr_str(&v->peer, p, sizeof(p)) : "?");
		const char *loss = ike_corr_loss_name(v->loss);
		fprintf(f, "  symptom: %s  cause: %s  loss: %s\n", ike_corr_symptom_name(v->symptom),
			ike_corr_cause_name(v->cause), loss ? loss : "-");
		if (v->has_exchange)
			fprintf(f, "  exchange: %s message ID %u, requested by %s\n", xname(v->exchange, b, sizeof(b)),
				v->mid, ike_corr_requester_name(v->requester));
		if (v->ts_us >= 0)
			fprintf(f, "  at: %s\n", when(c, v->ts_us, ' ', t, sizeof(t)));
		if (v->down_us >= 0)
			fprintf(f, "  down at: %s\n", when(c, v->down_us, ' ', t, sizeof(t)));
		fprintf(f, "  explanation: %s\n", v->explanation);
		if (v->n_evidence) {
			fputs("  evidence:", f);
			for (uint32_t k = 0; k < v->n_evidence; k++) {
				fputc(' ', f);
				text_ref(f, &v->evidence[k], n);
			}
			fputc('\n', f);
		}
		text_props(f, v);
		for (uint32_t k = 0; k < v->n_findings; k++) {
			const struct ike_corr_finding *fd = ike_corr_finding(c, v->first_finding + k);
			fprintf(f, "  finding %s: ", ike_corr_finding_kind_name(fd->kind));
			ike_text_str(f, fd->text, strlen(fd->text));
			fputc('\n', f);
		}
	}
}

void ike_out_text_correlate(FILE *f, const struct ike_corr *c, const struct ike_corr_names *n)
{
	fprintf(f, "Timeline (%zu entries, %s)\n", ike_corr_n_entries(c),
		ike_corr_n_msgs(c) ? "times UTC on the capture clock"
		: ike_corr_dated(c) ? "times as the log gives them"
				    : "times as the log gives them, year unknown (--log-year)");
	for (size_t i = 0; i < ike_corr_n_entries(c); i++)
		text_entry(f, c, ike_corr_entry(c, i), n);
	for (size_t i = 0; i < ike_corr_n_findings(c); i++) {
		const struct ike_corr_finding *fd = ike_corr_finding(c, i);
		if (fd->kind == IKE_FIND_CLOCK)
			fprintf(f, "clock: %s\n", fd->text);
	}
	const struct ike_log_stats *ls = ike_corr_log_stats(c);
	if (ls)
		fprintf(f,
			"logs: %" PRIu64 " lines, %" PRIu64 " charon events (%zu kept on the timeline); skipped: %" PRIu64
			" of other programs, %" PRIu64 " unreadable, %" PRIu64 " empty, %" PRIu64 " too long, %" PRIu64
			" binary, %" PRIu64 " invalid UTF-8%s\n",
			ls->lines, ls->events, ike_corr_n_logs(c), ls->other_programs, ls->unparsed, ls->empty,
			ls->overlong, ls->binary, ls->invalid_utf8, ls->read_errors ? "; a file ended on a read error" : "");
	ike_out_text_verdicts(f, c, n);
	struct ike_corr_stats st;
	ike_corr_stats(c, &st);
	if (st.logs_dropped || st.msgs_dropped || st.tunnels_dropped || st.findings_dropped)
		fprintf(f, "\nlimits hit: %" PRIu64 " log lines, %" PRIu64 " messages, %" PRIu64 " tunnels, %" PRIu64
			   " findings not kept (the first ones are; --around narrows to one moment)\n",
			st.logs_dropped, st.msgs_dropped, st.tunnels_dropped, st.findings_dropped);
}

/* ---- JSON ---------------------------------------------------------------- */

static void jstr(FILE *f, const char *s)
{
	if (!s)
		fputs("null", f);
	else
		ike_json_str(f, s, strlen(s));
}

/* "ts": RFC 3339, or null when the year is unknown; then "log_ts": month, day and time as written */
static void jts_dated(FILE *f, const struct ike_corr *c, const char *member, int64_t us)
{
	char t[40];
	fprintf(f, "\"%s\":", member);
	if (us < 0 || !ike_corr_dated(c))
		fputs("null", f);
	else
		fprintf(f, "\"%s\"", ts(us, 'T', t, sizeof(t)));
	if (!ike_corr_dated(c)) {
		fprintf(f, ",\"log_%s\":", member);
		if (us < 0)
			fputs("null", f);
		else
			fprintf(f, "\"%s\"", when(c, us, ' ', t, sizeof(t)));
	}
}

static void jref(FILE *f, const struct ike_corr_ref *r, const struct ike_corr_names *n)
{
	char b[32];
	if (r->src == IKE_CORR_SRC_LOG) {
		fputs("{\"log\":", f);
		jstr(f, log_name(n, r->file, b, sizeof(b)));
		fprintf(f, ",\"line\":%" PRIu64 "}", r->pos);
	} else {
		fputs("{\"file\":", f);
		jstr(f, cap_name(n, r->file, b, sizeof(b)));
		fprintf(f, ",\"frame\":%" PRIu64 "}", r->pos);
	}
}

static void jevidence(FILE *f, const struct ike_corr_ref *r, uint32_t nr, const struct ike_corr_names *n)
{
	fputc('[', f);
	for (uint32_t k = 0; k < nr; k++) {
		if (k)
			fputc(',', f);
		jref(f, &r[k], n);
	}
	fputc(']', f);
}

static void jpropset(FILE *f, const struct ike_corr_propset *p)
{
	if (!p->known) {
		fputs("null", f);
		return;
	}
	fputs("{\"received\":", f);
	jstr(f, p->received[0] ? p->received : NULL);
	fputs(",\"configured\":", f);
	jstr(f, p->configured[0] ? p->configured : NULL);
	fputs(",\"selected\":", f);
	jstr(f, p->selected[0] ? p->selected : NULL);
	fputs(",\"differing\":", f);
	jstr(f, p->differing[0] ? p->differing : NULL);
	fputc('}', f);
}

void ike_out_json_verdict(FILE *f, const struct ike_corr *c, const struct ike_corr_verdict *v,
			  const struct ike_corr_names *n)
{
	char a[64], b[32];
	fprintf(f, "{\"v\":1,\"type\":\"verdict\",\"tunnel\":%u,\"name\":", v->tunnel);
	jstr(f, v->name[0] ? v->name : NULL);
	fputs(",\"local\":", f);
	jstr(f, v->local.family ? ike_addr_str(&v->local, a, sizeof(a)) : NULL);
	fputs(",\"peer\":", f);
	jstr(f, v->peer.family ? ike_addr_str(&v->peer, a, sizeof(a)) : NULL);
	fprintf(f, ",\"symptom\":\"%s\",\"cause\":\"%s\",\"exchange\":", ike_corr_symptom_name(v->symptom),
		ike_corr_cause_name(v->cause));
	jstr(f, v->has_exchange ? xname(v->exchange, b, sizeof(b)) : NULL);
	fputs(",\"mid\":", f);
	if (v->has_exchange)
		fprintf(f, "%u", v->mid);
	else
		fputs("null", f);
	fputs(",\"requester\":", f);
	jstr(f, v->has_exchange ? ike_corr_requester_name(v->requester) : NULL);
	fputc(',', f);
	jts_dated(f, c, "ts", v->ts_us);
	fputc(',', f);
	jts_dated(f, c, "down_ts", v->down_us);
	fputs(",\"loss\":", f);
	jstr(f, ike_corr_loss_name(v->loss));
	fprintf(f, ",\"loss_observed\":%s,\"explanation\":", v->loss_observed ? "true" : "false");
	jstr(f, v->explanation);
	fputs(",\"evidence\":", f);
	jevidence(f, v->evidence, v->n_evidence, n);
	fputs(",\"proposals\":{\"local\":{\"ike\":", f);
	jpropset(f, &v->proposals.set[0][0]);
	fputs(",\"child\":", f);
	jpropset(f, &v->proposals.set[0][1]);
	fputs("},\"peer\":{\"ike\":", f);
	jpropset(f, &v->proposals.set[1][0]);
	fputs(",\"child\":", f);
	jpropset(f, &v->proposals.set[1][1]);
	fputs("}}}\n", f);
}

void ike_out_json_correlate(FILE *f, const struct ike_corr *c, const struct ike_corr_names *n)
{
	char b[32];
	for (size_t i = 0; i < ike_corr_n_entries(c); i++) {
		const struct ike_corr_entry *e = ike_corr_entry(c, i);
		if (e->src != IKE_CORR_SRC_LOG)
			continue;
		const struct ike_corr_log *l = ike_corr_log(c, e->index);
		fputs("{\"v\":1,\"type\":\"log\",\"log\":", f);
		jstr(f, log_name(n, l->file, b, sizeof(b)));
		fprintf(f, ",\"line\":%" PRIu64 ",", l->line);
		jts_dated(f, c, "ts", l->us);
		fprintf(f, ",\"kind\":\"%s\",\"thread\":", ike_log_kind_name(l->kind));
		if (l->thread >= 0)
			fprintf(f, "%d", l->thread);
		else
			fputs("null", f);
		fprintf(f, ",\"side\":\"%s\",\"tunnel\":", l->side == IKE_CORR_SIDE_LOCAL ? "local" : "peer");
		if (l->tunnel >= 0)
			fprintf(f, "%d", l->tunnel);
		else
			fputs("null", f);
		fputs(",\"text\":", f);
		jstr(f, l->text);
		fputs(",\"frame\":", f);
		if (l->link >= 0) {
			const struct ike_corr_msg *x = ike_corr_msg(c, (size_t)l->link);
			fputs("{\"file\":", f);
			jstr(f, cap_name(n, x->file, b, sizeof(b)));
			fprintf(f, ",\"frame\":%" PRIu64 "}", x->frame);
		} else {
			fputs("null", f);
		}
		fputs("}\n", f);
	}
	for (size_t i = 0; i < ike_corr_n_links(c); i++) {
		const struct ike_corr_link *k = ike_corr_link(c, i);
		const struct ike_corr_log *l = ike_corr_log(c, k->log);
		const struct ike_corr_msg *x = ike_corr_msg(c, k->msg);
		fprintf(f, "{\"v\":1,\"type\":\"link\",\"kind\":\"%s\",\"log\":", ike_corr_link_kind_name(k->kind));
		jstr(f, log_name(n, l->file, b, sizeof(b)));
		fprintf(f, ",\"line\":%" PRIu64 ",\"file\":", l->line);
		jstr(f, cap_name(n, x->file, b, sizeof(b)));
		fprintf(f, ",\"frame\":%" PRIu64 ",\"delta_us\":%" PRId64 "}\n", x->frame, k->delta_us);
	}
	for (size_t i = 0; i < ike_corr_n_findings(c); i++) {
		const struct ike_corr_finding *fd = ike_corr_finding(c, i);
		fprintf(f, "{\"v\":1,\"type\":\"finding\",\"kind\":\"%s\",\"tunnel\":", ike_corr_finding_kind_name(fd->kind));
		if (fd->tunnel >= 0)
			fprintf(f, "%d", fd->tunnel);
		else
			fputs("null", f);
		fputc(',', f);
		jts_dated(f, c, "ts", fd->kind == IKE_FIND_CLOCK || fd->kind == IKE_FIND_LIMIT ? -1 : fd->us);
		fputs(",\"text\":", f);
		jstr(f, fd->text);
		if (fd->kind == IKE_FIND_CLOCK)
			fprintf(f, ",\"offset_us\":%" PRId64 ",\"support\":%u,\"log_packets\":%u", fd->offset_us,
				fd->clock.support, fd->clock.log_packets);
		if (fd->kind == IKE_FIND_PROPOSALS) {
			fputs(",\"proposals\":", f);
			jpropset(f, &fd->props);
		}
		fputs(",\"evidence\":", f);
		jevidence(f, fd->evidence, fd->n_evidence, n);
		fputs("}\n", f);
	}
	for (size_t i = 0; i < ike_corr_n_verdicts(c); i++)
		ike_out_json_verdict(f, c, ike_corr_verdict(c, i), n);
}
