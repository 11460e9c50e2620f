/*
 * ladder_cmp.c — the ladder of `compare --svg`, straight from the compare
 * model (compare.h): one lifeline per vantage point in path order, one arrow
 * per transmission from the end that sent it, stopping in a red cross at the
 * hop compare found it vanished at. Times are on the reference point's clock
 * (compare's offsets applied); the caption is compare's conclusion for each
 * lost message.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/compare.h"
#include "ikescope/ladder.h"
#include "ikescope/names.h"
#include "output/out_int.h"

#define CAPTION_LOST 8 /* lost messages concluded one by one */

/* When the transmission was first seen along its way, on the reference clock;
 * false if nowhere. Captures first: a log's lines are to the second. */
static bool tx_time(const struct ike_compare *c, const struct ike_cmp_tx *t, unsigned n, int64_t *us)
{
	for (int pass = 0; pass < 2 && *us < 0; pass++)
		for (unsigned p = 0; p < n; p++) {
			const struct ike_cmp_point *pt = ike_compare_point(c, p);
			if (t->at[p] != IKE_CMP_AT_SEEN || t->at_us[p] < 0 ||
			    (pt->kind == IKE_CMP_CAPTURE) != (pass == 0))
				continue;
			int64_t v = t->at_us[p] - (pt->offset_known ? pt->offset_us : 0);
			if (*us < 0 || v < *us)
				*us = v;
		}
	return *us >= 0;
}

static void label_of(const struct ike_cmp_msg *m, const struct ike_cmp_tx *t, char *buf, size_t cap)
{
	const char *ex = ike_name_long(&ike_names_exchange, m->exchange);
	char exn[8], frag[24] = "", kind[40] = "", copy[32] = "";
	if (!ex) {
		snprintf(exn, sizeof(exn), "%u", m->exchange);
		ex = exn;
	}
	if (m->frag_total)
		snprintf(frag, sizeof(frag), " [ EF(%u/%u) ]", m->frag_num, m->frag_total);
	if (m->kind_known && m->kind != IKE_XK_IKE_SA_INIT && m->kind != IKE_XK_IKE_AUTH)
		snprintf(kind, sizeof(kind), "  (%s%s)", m->kind_inferred ? "~" : "", ike_xkind_name(m->kind));
	if (t->number > 1)
		snprintf(copy, sizeof(copy), "retransmit %" PRIu32 ": ", t->number - 1);
	snprintf(buf, cap, "%s%s %s %" PRIu32 "%s%s", copy, ex, m->response ? "response" : "request", m->mid, frag,
		 kind);
}

static void tooltip(struct ike_ladder *l, struct ike_ladder_arrow *a, const struct ike_compare *c,
		    const struct ike_cmp_msg *m, const struct ike_cmp_tx *t, unsigned n)
{
	char ts[48], src[64], dst[64];
	ike_ladder_tip(l, a, "%s", a->label);
	ike_ladder_tip(l, a, "SPIs %016" PRIx64 "_i %016" PRIx64 "_r, %" PRIu32 " bytes, transmission %" PRIu32 " of %" PRIu32,
		       m->ispi, m->rspi, m->length, t->number, m->n_tx);
	for (unsigned p = 0; p < n; p++) {
		const struct ike_cmp_point *pt = ike_compare_point(c, p);
		const struct ike_cmp_seen *s = &m->seen[p];
		if (t->at[p] == IKE_CMP_AT_SEEN && t->at_us[p] >= 0) {
			ike_out_time(t->at_us[p] / 1000000, (int32_t)(t->at_us[p] % 1000000), ' ', ts, sizeof(ts));
			ike_ladder_tip(l, a, "%s: seen at %s, %s -> %s (the message's first frame there: %" PRIu64 ")",
				       pt->name, ts, ike_out_endpoint(&s->src, s->sport, src, sizeof(src)),
				       ike_out_endpoint(&s->dst, s->dport, dst, sizeof(dst)), s->first_frame);
		} else {
			ike_ladder_tip(l, a, "%s: %s", pt->name, ike_cmp_at_name((enum ike_cmp_at)t->at[p]));
		}
	}
	if (t->status == IKE_CMP_LOST && t->lost_after >= 0 && t->lost_before >= 0)
		ike_ladder_tip(l, a, "lost between %s and %s", ike_compare_point(c, (size_t)t->lost_after)->name,
			       ike_compare_point(c, (size_t)t->lost_before)->name);
	else if (t->status == IKE_CMP_NOT_COVERED && t->uncovered >= 0)
		ike_ladder_tip(l, a, "%s was not capturing then", ike_compare_point(c, (size_t)t->uncovered)->name);
}

static void caption(struct ike_ladder *l, const struct ike_compare *c)
{
	struct ike_cmp_summary s;
	ike_compare_summary(c, &s);
	const struct {
		const char *name;
		const struct ike_cmp_dir_sum *d;
	} dirs[] = {{"toward the peer", &s.toward_peer}, {"toward local", &s.toward_local}, {"direction unknown", &s.unknown_dir}};
	uint32_t lost = 0;
	for (size_t i = 0; i < 3; i++)
		lost += dirs[i].d->messages_lost;
	ike_ladder_caption(l, "%s", lost ? "messages were lost on the path" : "no message was lost on the path");
	for (size_t i = 0; i < 3; i++) {
		const struct ike_cmp_dir_sum *d = dirs[i].d;
		if (d->transmissions)
			ike_ladder_caption(l, "%s: %" PRIu32 " messages, %" PRIu32 " transmissions: %" PRIu32
					      " delivered, %" PRIu32 " lost, %" PRIu32 " not covered",
					   dirs[i].name, d->messages, d->transmissions, d->delivered, d->lost, d->not_covered);
	}
	unsigned shown = 0;
	uint32_t more = 0;
	char b[512];
	for (size_t i = 0; i < ike_compare_n_msgs(c); i++) {
		const struct ike_cmp_msg *m = ike_compare_msg(c, i);
		if (m->status != IKE_CMP_LOST)
			continue;
		if (shown++ < CAPTION_LOST)
			ike_ladder_caption(l, "%s", ike_compare_conclusion(c, m, b, sizeof(b)));
		else
			more++;
	}
	if (more)
		ike_ladder_caption(l, "... and %" PRIu32 " more lost messages", more);
	struct ike_cmp_stats st;
	ike_compare_stats(c, &st);
	if (st.messages_dropped || st.tx_dropped || st.obs_dropped)
		ike_ladder_caption(l, "compare's caps left out %" PRIu64 " messages, %" PRIu64 " transmissions",
				   st.messages_dropped + st.obs_dropped, st.tx_dropped);
}

enum ike_err ike_ladder_from_compare(struct ike_ladder *l, const struct ike_compare *c)
{
	unsigned n = (unsigned)ike_compare_n_points(c);
	if (n > IKE_LADDER_MAX_LIFELINES)
		n = IKE_LADDER_MAX_LIFELINES;
	char title[IKE_LADDER_LABEL], sub[IKE_LADDER_NAME];
	size_t len = (size_t)snprintf(title, sizeof(title), "ikescope compare:");
	for (unsigned p = 0; p < n && len < sizeof(title); p++) {
		const struct ike_cmp_point *pt = ike_compare_point(c, p);
		len += (size_t)snprintf(title + len, sizeof(title) - len, "%s %s", p ? "," : "", pt->name);
		if (pt->offset_known && p > 0)
			snprintf(sub, sizeof(sub), "%s, clock %+.3f s", ike_cmp_point_kind_name(pt->kind),
				 (double)pt->offset_us / 1e6);
		else
			snprintf(sub, sizeof(sub), "%s", ike_cmp_point_kind_name(pt->kind));
		ike_ladder_add_lifeline(l, pt->name, sub);
	}
	ike_ladder_set_title(l, title);
	caption(l, c);
	for (size_t i = 0; n >= 2 && i < ike_compare_n_tx(c); i++) {
		const struct ike_cmp_tx *t = ike_compare_tx(c, i);
		const struct ike_cmp_msg *m = ike_compare_msg(c, t->msg);
		int64_t us = -1;
		if (!tx_time(c, t, n, &us))
			continue;
		int from = m->dir == IKE_CMP_TOWARD_LOCAL ? (int)n - 1 : m->dir == IKE_CMP_TOWARD_PEER ? 0 : m->origin;
		if (from != 0 && from != (int)n - 1)
			from = 0;
		struct ike_ladder_arrow a = {
			.t_us = us, .from = (uint8_t)from, .to = (uint8_t)(from == 0 ? n - 1 : 0), .lost_after = -1,
			.dashed = t->number > 1, .red = m->status == IKE_CMP_LOST, .fold_unit = m->response ? 0 : 1,
		};
		if (t->status == IKE_CMP_LOST && t->lost_after >= 0 && (unsigned)t->lost_after < n)
			a.lost_after = (int8_t)t->lost_after;
		if (m->kind_known && m->kind == IKE_XK_DPD && m->n_tx == 1 && m->status == IKE_CMP_DELIVERED) {
			a.fold_key = (m->ispi ^ 0x2545f4914f6cdd1dULL) | 1;
			snprintf(a.fold_label, sizeof(a.fold_label), "DPD exchanges, each delivered at once");
		}
		label_of(m, t, a.label, sizeof(a.label));
		enum ike_err err;
		struct ike_ladder_arrow *p = ike_ladder_add_arrow(l, &a, &err);
		if (!p) {
			if (err == IKE_E_NOMEM)
				return err;
			continue;
		}
		tooltip(l, p, c, m, t, n);
	}
	return ike_ladder_fold(l, NULL);
}
