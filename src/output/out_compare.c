/*
 * out_compare.c — printers for the comparator's records: per IKE SA a row
 * per transmission with a column per vantage point, a summary per direction
 * and one conclusion sentence per lost message (text); or one "compare"
 * object per message and one "compare_summary" (JSON lines). Every JSON
 * member is always present (null where it does not apply).
 */
#include <inttypes.h>
#include <string.h>

#include "ikescope/compare.h"
#include "ikescope/names.h"
#include "output/out_int.h"

#define COL_W 17 /* a point's column: "23:28:16.148509" and two spaces */

static char *ts_str(int64_t us, char sep, char *b, size_t cap)
{
	int64_t sec = us / 1000000, usec = us % 1000000;
	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	return ike_out_time(sec, (int32_t)usec, sep, b, cap);
}

/* "23:28:16.148509": the time of day of ts_str */
static char *clock_str(int64_t us, char *b, size_t cap)
{
	char full[48];
	ts_str(us, ' ', full, sizeof(full));
	const char *sp = strchr(full, ' ');
	snprintf(b, cap, "%s", sp ? sp + 1 : full);
	return b;
}

static const char *exchange_name(uint8_t x, char *b, size_t cap)
{
	const char *s = ike_name_long(&ike_names_exchange, x);
	if (s)
		return s;
	snprintf(b, cap, "%u", x);
	return b;
}

/* What a person calls the exchange kind, for the kinds that say more than the exchange type. */
static const char *kind_label(const struct ike_cmp_msg *m)
{
	if (!m->kind_known)
		return NULL;
	switch (m->kind) {
	case IKE_XK_DPD: return "DPD";
	case IKE_XK_DELETE_IKE: return "IKE SA delete";
	case IKE_XK_DELETE_CHILD: return "CHILD SA delete";
	case IKE_XK_REKEY_CHILD: return "CHILD SA rekey";
	case IKE_XK_REKEY_IKE: return "IKE SA rekey";
	case IKE_XK_MOBIKE: return "MOBIKE";
	default: return NULL;
	}
}

/* "INFORMATIONAL request 2 (DPD)", "IKE_AUTH request 1 (fragment 1/3)" */
static char *msg_name(const struct ike_cmp_msg *m, char *b, size_t cap)
{
	char xb[8];
	int n = snprintf(b, cap, "%s %s %" PRIu32, exchange_name(m->exchange, xb, sizeof(xb)),
			 m->response ? "response" : "request", m->mid);
	const char *k = kind_label(m);
	if (k && n > 0 && (size_t)n < cap)
		n += snprintf(b + n, cap - (size_t)n, " (%s)", k);
	if (m->frag_total && n > 0 && (size_t)n < cap)
		snprintf(b + n, cap - (size_t)n, " (fragment %u/%u)", m->frag_num, m->frag_total);
	return b;
}

static const char *end_name(enum ike_cmp_dir d)
{
	return d == IKE_CMP_TOWARD_PEER ? "local" : d == IKE_CMP_TOWARD_LOCAL ? "peer" : "an unknown end";
}

static void order(const struct ike_compare *c, enum ike_cmp_dir d, unsigned *ord)
{
	unsigned n = (unsigned)ike_compare_n_points(c);
	for (unsigned k = 0; k < n; k++)
		ord[k] = d == IKE_CMP_TOWARD_LOCAL ? n - 1 - k : k;
}

char *ike_compare_conclusion(const struct ike_compare *c, const struct ike_cmp_msg *m, char *buf, size_t cap)
{
	char name[96];
	size_t n = 0;
	int w = snprintf(buf, cap, "%s from %s: sent %" PRIu32 " time%s", msg_name(m, name, sizeof(name)),
			 end_name(m->dir), m->n_tx, m->n_tx == 1 ? "" : "s");
	n = w > 0 ? (size_t)w : 0;
	unsigned ord[IKE_CMP_MAX_POINTS];
	unsigned np = (unsigned)ike_compare_n_points(c);
	order(c, m->dir, ord);
	for (unsigned k = 1; k < np && n < cap; k++) {
		unsigned p = ord[k];
		uint32_t got = 0, judged = 0;
		for (uint32_t j = 0; j < m->n_tx; j++) {
			const struct ike_cmp_tx *t = ike_compare_tx(c, m->first_tx + j);
			if (t->at[p] == IKE_CMP_AT_SEEN)
				got++;
			if (t->at[p] != IKE_CMP_AT_NOT_COVERED)
				judged++;
		}
		w = snprintf(buf + n, cap - n, ", reached %s %" PRIu32 "/%" PRIu32, ike_compare_point(c, p)->name, got,
			     m->n_tx);
		n += w > 0 ? (size_t)w : 0;
		if (judged < m->n_tx && n < cap) {
			w = snprintf(buf + n, cap - n, " (%" PRIu32 " while it was not capturing)", m->n_tx - judged);
			n += w > 0 ? (size_t)w : 0;
		}
		if (got == 0 && judged > 0)
			break;
	}
	if (n >= cap)
		return buf;
	if (m->status == IKE_CMP_LOST)
		snprintf(buf + n, cap - n, " \u2192 lost between %s and %s", ike_compare_point(c, m->lost_after)->name,
			 ike_compare_point(c, m->lost_before)->name);
	else if (m->status == IKE_CMP_NOT_COVERED)
		snprintf(buf + n, cap - n, " \u2192 not covered: no capture ran where it would be seen next");
	else if (m->lost)
		snprintf(buf + n, cap - n, " \u2192 delivered %" PRIu32 "/%" PRIu32 ", the others lost between %s and %s",
			 m->delivered, m->n_tx, ike_compare_point(c, m->lost_after)->name,
			 ike_compare_point(c, m->lost_before)->name);
	else
		snprintf(buf + n, cap - n, " \u2192 delivered");
	return buf;
}

/* ---- text ---------------------------------------------------------------- */

static char *signed_dur(int64_t us, char *b, size_t cap)
{
	int64_t a = us < 0 ? -us : us;
	const char *sg = us < 0 ? "-" : "+";
	if (a < 1000)
		snprintf(b, cap, "%s%" PRId64 "us", sg, a);
	else if (a < 1000000)
		snprintf(b, cap, "%s%.3fms", sg, (double)a / 1e3);
	else
		snprintf(b, cap, "%s%.6fs", sg, (double)a / 1e6);
	return b;
}

static void text_points(FILE *f, const struct ike_compare *c)
{
	size_t np = ike_compare_n_points(c);
	struct ike_cmp_summary sum;
	ike_compare_summary(c, &sum);
	fputs("Vantage points, in path order (first = local end, last = far end):\n", f);
	for (size_t p = 0; p < np; p++) {
		const struct ike_cmp_point *pt = ike_compare_point(c, p);
		char a[48], b[48], o[32], d[32];
		fprintf(f, "  %zu %-16s %-7s ", p + 1, pt->name, ike_cmp_point_kind_name(pt->kind));
		if (pt->kind == IKE_CMP_LOG && !pt->offset_known)
			fputs("its clock could not be set from its lines: not used", f);
		else if (pt->coverage_assumed)
			fputs("no frame at all: taken to have run while the others did", f);
		else if (pt->covered)
			fprintf(f, "%s - %s", ts_str(pt->first_us, ' ', a, sizeof(a)), clock_str(pt->last_us, b, sizeof(b)));
		else
			fputs("nothing read", f);
		if ((int)p == sum.reference)
			fputs("  clock: reference", f);
		else if (pt->offset_known && pt->offset_from_log)
			fprintf(f, "  clock: %s (from its packet lines)", signed_dur(pt->offset_us, o, sizeof(o)));
		else if (pt->offset_known && pt->offset_one_way)
			fprintf(f, "  clock: %s (from %" PRIu32 " one-way message%s, delay included)",
				signed_dur(pt->offset_us, o, sizeof(o)), pt->offset_samples, pt->offset_samples == 1 ? "" : "s");
		else if (pt->offset_known)
			fprintf(f, "  clock: %s (from %" PRIu32 " exchange%s)", signed_dur(pt->offset_us, o, sizeof(o)),
				pt->offset_samples, pt->offset_samples == 1 ? "" : "s");
		else
			fputs("  clock: unknown, taken as the reference's", f);
		if (pt->delay_us >= 0)
			fprintf(f, ", one-way delay from %s %s", ike_compare_point(c, p - 1)->name,
				signed_dur(pt->delay_us, d, sizeof(d)) + 1);
		if (pt->duplicates)
			fprintf(f, ", %" PRIu64 " duplicate%s folded", pt->duplicates, pt->duplicates == 1 ? "" : "s");
		if (pt->unmatched)
			fprintf(f, ", %" PRIu64 " line%s no capture had", pt->unmatched, pt->unmatched == 1 ? "" : "s");
		fputc('\n', f);
	}
}

static void text_cell(FILE *f, const struct ike_compare *c, const struct ike_cmp_tx *t, unsigned p)
{
	char b[48];
	switch ((enum ike_cmp_at)t->at[p]) {
	case IKE_CMP_AT_SEEN: fprintf(f, "%-*s", COL_W, clock_str(t->at_us[p], b, sizeof(b))); break;
	case IKE_CMP_AT_MISSING:
		fprintf(f, "%-*s", COL_W, (int)p == t->lost_before ? "LOST" : "missing");
		break;
	case IKE_CMP_AT_NOT_COVERED: fprintf(f, "%-*s", COL_W, "not capturing"); break;
	case IKE_CMP_AT_BEYOND: fprintf(f, "%-*s", COL_W, "-"); break;
	}
	(void)c;
}

static void text_sa(FILE *f, const struct ike_compare *c, const struct ike_cmp_sa *s)
{
	size_t np = ike_compare_n_points(c);
	if (s->ispi == 0) /* an initiator SPI is never zero: these come from log lines alone */
		fputs("\nMessages known from the logs alone (no SPIs)", f);
	else
		fprintf(f, "\nIKE SA %016" PRIx64 "_i %016" PRIx64 "_r", s->ispi, s->rspi);
	if (s->initiator_dir != IKE_CMP_DIR_UNKNOWN)
		fprintf(f, ", initiated by %s", end_name(s->initiator_dir));
	fputs("\n  message                              dir tx  ", f);
	for (size_t p = 0; p < np; p++)
		fprintf(f, "%-*.*s", COL_W, COL_W - 2, ike_compare_point(c, p)->name);
	fputs("status\n", f);
	for (uint32_t i = 0; i < s->n_msgs; i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, s->first_msg + i);
		char name[96];
		msg_name(m, name, sizeof(name));
		for (uint32_t j = 0; j < m->n_tx; j++) {
			const struct ike_cmp_tx *t = ike_compare_tx(c, m->first_tx + j);
			fprintf(f, "  %-36.36s %-3s %2" PRIu32 "  ", j == 0 ? name : "",
				m->dir == IKE_CMP_TOWARD_PEER	 ? "->"
				: m->dir == IKE_CMP_TOWARD_LOCAL ? "<-"
								 : "?",
				t->number);
			for (size_t p = 0; p < np; p++)
				text_cell(f, c, t, (unsigned)p);
			fputs(ike_cmp_status_name(t->status), f);
			if (t->by_answer)
				fputs(" (answered)", f);
			if (t->status == IKE_CMP_LOST)
				fprintf(f, " between %s and %s", ike_compare_point(c, t->lost_after)->name,
					ike_compare_point(c, t->lost_before)->name);
			else if (t->status == IKE_CMP_NOT_COVERED)
				fprintf(f, " (%s was not capturing)", ike_compare_point(c, t->uncovered)->name);
			fputc('\n', f);
		}
		if (m->tx_dropped)
			fprintf(f, "  %-36s     (%" PRIu32 " more transmissions beyond the cap)\n", "", m->tx_dropped);
	}
}

static void text_dir(FILE *f, const struct ike_compare *c, const char *label, const struct ike_cmp_dir_sum *d)
{
	fprintf(f, "  %s: %" PRIu32 " message%s, %" PRIu32 " transmission%s: %" PRIu32 " delivered, %" PRIu32
		   " lost, %" PRIu32 " not covered",
		label, d->messages, d->messages == 1 ? "" : "s", d->transmissions, d->transmissions == 1 ? "" : "s",
		d->delivered, d->lost, d->not_covered);
	if (d->messages_lost)
		fprintf(f, "; %" PRIu32 " message%s never delivered", d->messages_lost, d->messages_lost == 1 ? "" : "s");
	fputc('\n', f);
	size_t np = ike_compare_n_points(c);
	for (size_t a = 0; a < np; a++)
		for (size_t b = 0; b < np; b++)
			if (d->lost_hop[a][b])
				fprintf(f, "    %" PRIu32 " lost between %s and %s\n", d->lost_hop[a][b],
					ike_compare_point(c, a)->name, ike_compare_point(c, b)->name);
}

void ike_out_text_compare(FILE *f, const struct ike_compare *c)
{
	text_points(f, c);
	size_t ns = ike_compare_n_sas(c);
	for (size_t s = 0; s < ns; s++)
		text_sa(f, c, ike_compare_sa(c, s));
	struct ike_cmp_summary sum;
	ike_compare_summary(c, &sum);
	fputs("\nSummary:\n", f);
	text_dir(f, c, "toward the peer", &sum.toward_peer);
	text_dir(f, c, "toward local", &sum.toward_local);
	if (sum.unknown_dir.messages)
		text_dir(f, c, "direction unknown", &sum.unknown_dir);
	size_t nm = ike_compare_n_msgs(c);
	unsigned shown = 0;
	for (size_t i = 0; i < nm; i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		if (!m->lost)
			continue; /* not-covered ones are counted in the summary */
		if (!shown++)
			fputs("\nConclusions:\n", f);
		char b[1024];
		fprintf(f, "  %s\n", ike_compare_conclusion(c, m, b, sizeof(b)));
	}
	if (!shown && !sum.toward_peer.not_covered && !sum.toward_local.not_covered && !sum.unknown_dir.not_covered)
		fputs("\nConclusion: every transmission seen was delivered to its end.\n", f);
	else if (!shown)
		fputs("\nConclusion: nothing was lost where the captures overlap; transmissions outside them are not covered.\n",
		      f);
	struct ike_cmp_stats st;
	ike_compare_stats(c, &st);
	if (st.incomplete)
		fputs("\nOut of memory while matching: some messages are missing above.\n", f);
	if (st.messages_dropped || st.tx_dropped || st.obs_dropped)
		fprintf(f, "\nLimits hit: %" PRIu64 " observations of messages beyond %zu messages, %" PRIu64
			   " transmissions beyond %zu, %" PRIu64 " observations beyond %zu\n",
			st.messages_dropped, st.max_messages, st.tx_dropped, st.max_tx, st.obs_dropped, st.max_obs);
}

/* ---- JSON ---------------------------------------------------------------- */

static void j_key(FILE *f, const char *k)
{
	fprintf(f, ",\"%s\":", k);
}

static void j_str(FILE *f, const char *s)
{
	ike_json_str(f, s, strlen(s));
}

static void j_time(FILE *f, int64_t us)
{
	char b[48];
	if (us < 0) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	fputs(ts_str(us, 'T', b, sizeof(b)), f);
	fputc('"', f);
}

static void j_spi(FILE *f, uint64_t v)
{
	fprintf(f, "\"%016" PRIx64 "\"", v);
}

static void j_point(FILE *f, const struct ike_compare *c, int p)
{
	if (p < 0)
		fputs("null", f);
	else
		j_str(f, ike_compare_point(c, (size_t)p)->name);
}

static void j_pair(FILE *f, const struct ike_compare *c, int a, int b)
{
	if (a < 0 || b < 0) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	j_point(f, c, a);
	fputc(',', f);
	j_point(f, c, b);
	fputc(']', f);
}

static void j_msg(FILE *f, const struct ike_compare *c, const struct ike_cmp_msg *m)
{
	char xb[8], ab[64];
	size_t np = ike_compare_n_points(c);
	fputs("{\"v\":1,\"type\":\"compare\"", f);
	/* a message known from logs alone has the SPIs of its exchange's other half, if any */
	j_key(f, "ispi");
	if (m->log_only && !m->ispi)
		fputs("null", f);
	else
		j_spi(f, m->ispi);
	j_key(f, "rspi");
	if (m->log_only && !m->ispi)
		fputs("null", f);
	else
		j_spi(f, m->rspi);
	j_key(f, "exchange");
	j_str(f, exchange_name(m->exchange, xb, sizeof(xb)));
	fprintf(f, ",\"exchange_id\":%u,\"mid\":%" PRIu32 ",\"response\":%s", m->exchange, m->mid,
		m->response ? "true" : "false");
	j_key(f, "initiator");
	fputs(m->log_only && !m->ispi ? "null" : m->initiator ? "true" : "false", f);
	fprintf(f, ",\"length\":%" PRIu32, m->length);
	j_key(f, "hash");
	if (m->log_only)
		fputs("null", f);
	else
		fprintf(f, "\"%016" PRIx64 "\"", m->hash);
	j_key(f, "fragment");
	if (m->frag_total)
		fprintf(f, "{\"number\":%u,\"total\":%u}", m->frag_num, m->frag_total);
	else
		fputs("null", f);
	j_key(f, "kind");
	if (m->kind_known)
		j_str(f, ike_xkind_name(m->kind));
	else
		fputs("null", f);
	fprintf(f, ",\"kind_inferred\":%s", m->kind_known && m->kind_inferred ? "true" : "false");
	j_key(f, "direction");
	j_str(f, ike_cmp_dir_name(m->dir));
	fprintf(f, ",\"direction_inferred\":%s,\"log_only\":%s", m->dir_inferred ? "true" : "false",
		m->log_only ? "true" : "false");
	fprintf(f, ",\"transmissions\":%" PRIu32 ",\"transmissions_dropped\":%" PRIu32, m->n_tx, m->tx_dropped);
	fputs(",\"seen\":[", f);
	for (size_t p = 0; p < np; p++) {
		const struct ike_cmp_seen *s = &m->seen[p];
		fputs(p ? ",{" : "{", f);
		fputs("\"point\":", f);
		j_point(f, c, (int)p);
		fprintf(f, ",\"index\":%zu", p);
		fprintf(f, ",\"count\":%" PRIu32, s->count);
		j_key(f, "first");
		j_time(f, s->count ? s->first_us : -1);
		j_key(f, "last");
		j_time(f, s->count ? s->last_us : -1);
		j_key(f, "first_frame");
		if (s->count && ike_compare_point(c, p)->kind == IKE_CMP_CAPTURE)
			ike_out_u64(f, s->first_frame);
		else
			fputs("null", f);
		j_key(f, "first_line");
		if (s->count && ike_compare_point(c, p)->kind == IKE_CMP_LOG)
			ike_out_u64(f, s->first_frame);
		else
			fputs("null", f);
		j_key(f, "src");
		if (s->count && s->src.family)
			j_str(f, ike_addr_str(&s->src, ab, sizeof(ab)));
		else
			fputs("null", f);
		j_key(f, "sport");
		if (s->count && s->src.family)
			fprintf(f, "%u", s->sport);
		else
			fputs("null", f);
		j_key(f, "dst");
		if (s->count && s->dst.family)
			j_str(f, ike_addr_str(&s->dst, ab, sizeof(ab)));
		else
			fputs("null", f);
		j_key(f, "dport");
		if (s->count && s->dst.family)
			fprintf(f, "%u", s->dport);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputc(']', f);
	j_key(f, "status");
	j_str(f, ike_cmp_status_name(m->status));
	j_key(f, "lost_between");
	j_pair(f, c, m->lost_after, m->lost_before);
	j_key(f, "loss");
	if (m->status == IKE_CMP_LOST)
		j_str(f, ike_cmp_dir_name(m->loss));
	else
		fputs("null", f);
	fprintf(f, ",\"delivered\":%" PRIu32 ",\"lost\":%" PRIu32 ",\"not_covered\":%" PRIu32, m->delivered, m->lost,
		m->not_covered);
	fputs(",\"tx\":[", f);
	for (uint32_t j = 0; j < m->n_tx; j++) {
		const struct ike_cmp_tx *t = ike_compare_tx(c, m->first_tx + j);
		fprintf(f, "%s{\"n\":%" PRIu32, j ? "," : "", t->number);
		j_key(f, "status");
		j_str(f, ike_cmp_status_name(t->status));
		j_key(f, "lost_between");
		j_pair(f, c, t->lost_after, t->lost_before);
		j_key(f, "not_covered_at");
		j_point(f, c, t->uncovered);
		fprintf(f, ",\"by_answer\":%s", t->by_answer ? "true" : "false");
		fputs(",\"at\":[", f);
		for (size_t p = 0; p < np; p++) {
			fputs(p ? "," : "", f);
			j_time(f, t->at[p] == IKE_CMP_AT_SEEN ? t->at_us[p] : -1);
		}
		fputs("],\"state\":[", f);
		for (size_t p = 0; p < np; p++) {
			fputs(p ? "," : "", f);
			j_str(f, ike_cmp_at_name((enum ike_cmp_at)t->at[p]));
		}
		fputs("]}", f);
	}
	fputs("]}\n", f);
}

static void j_dir(FILE *f, const struct ike_compare *c, const struct ike_cmp_dir_sum *d)
{
	fprintf(f,
		"{\"messages\":%" PRIu32 ",\"transmissions\":%" PRIu32 ",\"delivered\":%" PRIu32 ",\"lost\":%" PRIu32
		",\"not_covered\":%" PRIu32 ",\"messages_lost\":%" PRIu32 ",\"lost_between\":[",
		d->messages, d->transmissions, d->delivered, d->lost, d->not_covered, d->messages_lost);
	size_t np = ike_compare_n_points(c);
	bool more = false;
	for (size_t a = 0; a < np; a++)
		for (size_t b = 0; b < np; b++) {
			if (!d->lost_hop[a][b])
				continue;
			fputs(more ? ",{\"after\":" : "{\"after\":", f);
			more = true;
			j_point(f, c, (int)a);
			fputs(",\"before\":", f);
			j_point(f, c, (int)b);
			fprintf(f, ",\"transmissions\":%" PRIu32 "}", d->lost_hop[a][b]);
		}
	fputs("]}", f);
}

void ike_out_json_compare(FILE *f, const struct ike_compare *c)
{
	size_t nm = ike_compare_n_msgs(c);
	for (size_t i = 0; i < nm; i++)
		j_msg(f, c, ike_compare_msg(c, i));
	size_t np = ike_compare_n_points(c);
	fputs("{\"v\":1,\"type\":\"compare_summary\",\"points\":[", f);
	for (size_t p = 0; p < np; p++) {
		const struct ike_cmp_point *pt = ike_compare_point(c, p);
		fputs(p ? ",{\"name\":" : "{\"name\":", f);
		j_str(f, pt->name);
		j_key(f, "kind");
		j_str(f, ike_cmp_point_kind_name(pt->kind));
		j_key(f, "first");
		j_time(f, pt->covered ? pt->first_us : -1);
		j_key(f, "last");
		j_time(f, pt->covered ? pt->last_us : -1);
		fprintf(f, ",\"coverage_assumed\":%s", pt->coverage_assumed ? "true" : "false");
		fprintf(f, ",\"offset_known\":%s,\"offset_us\":", pt->offset_known ? "true" : "false");
		if (pt->offset_known)
			fprintf(f, "%" PRId64, pt->offset_us);
		else
			fputs("null", f);
		fprintf(f, ",\"offset_samples\":%" PRIu32 ",\"offset_from_log\":%s,\"offset_one_way\":%s,\"delay_us\":",
			pt->offset_samples, pt->offset_from_log ? "true" : "false", pt->offset_one_way ? "true" : "false");
		if (pt->delay_us >= 0)
			fprintf(f, "%" PRId64, pt->delay_us);
		else
			fputs("null", f);
		fprintf(f, ",\"delay_samples\":%" PRIu32 ",\"messages\":%" PRIu64 ",\"duplicates\":%" PRIu64
			   ",\"unmatched\":%" PRIu64 "}",
			pt->delay_samples, pt->messages, pt->duplicates, pt->unmatched);
	}
	struct ike_cmp_summary sum;
	ike_compare_summary(c, &sum);
	fputs("],\"reference\":", f);
	j_point(f, c, sum.reference);
	fputs(",\"toward_peer\":", f);
	j_dir(f, c, &sum.toward_peer);
	fputs(",\"toward_local\":", f);
	j_dir(f, c, &sum.toward_local);
	fputs(",\"unknown_direction\":", f);
	j_dir(f, c, &sum.unknown_dir);
	struct ike_cmp_stats st;
	ike_compare_stats(c, &st);
	fprintf(f,
		",\"limits\":{\"messages_dropped\":%" PRIu64 ",\"tx_dropped\":%" PRIu64 ",\"obs_dropped\":%" PRIu64
		",\"max_messages\":%zu,\"max_tx\":%zu,\"max_obs\":%zu,\"incomplete\":%s}}\n",
		st.messages_dropped, st.tx_dropped, st.obs_dropped, st.max_messages, st.max_tx, st.max_obs,
		st.incomplete ? "true" : "false");
}
