/*
 * ladder_exch.c — the ladder of `exchanges --svg` (and of correlate's
 * messages): one arrow per transmission ike_ladder_match() found
 * (ladder_feed.c), labelled with charon's summary and the exchange's kind,
 * dashed when a copy, red when its exchange failed, ending in a cross when
 * lost; tooltips with every capture and frame that saw it; the caption says
 * how each IKE SA ended. Healthy DPD exchanges (one request, one answer)
 * carry a fold key so that ike_ladder_fold() folds a run of them into a row.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/names.h"
#include "output/ladder_int.h"
#include "output/out_int.h"

#define CAPTION_SAS 8 /* IKE SAs named one by one in the caption */

/* ---- the ladder ---------------------------------------------------------- */

static void fmt_time(int64_t us, char *buf, size_t cap)
{
	ike_out_time(us / 1000000, (int32_t)(us % 1000000), ' ', buf, cap);
}

static bool kind_named(enum ike_xkind k)
{
	return k != IKE_XK_IKE_SA_INIT && k != IKE_XK_IKE_AUTH;
}

static enum ike_err add_tx(struct build *b, struct ike_ladder *l, struct tx *t)
{
	const struct ike_ladder_feed *fd = b->fd;
	const struct fmsg *m = &fd->m[t->first];
	const struct ike_exchange_rec *x = t->x;
	struct ike_ladder_arrow a = {
		.t_us = t->t, .from = (uint8_t)t->from, .to = (uint8_t)t->to, .lost_after = (int8_t)t->lost_after,
		.dashed = t->dashed, .fold_unit = fmsg_resp(m) ? 0 : 1,
	};
	char kind[40] = "";
	if (x && kind_named(x->kind))
		snprintf(kind, sizeof(kind), "  (%s%s)", x->inferred ? "~" : "", ike_xkind_name(x->kind));
	char copy[32] = "";
	if (t->copy > 0)
		snprintf(copy, sizeof(copy), "retransmit %" PRIu32 ": ", t->copy);
	snprintf(a.label, sizeof(a.label), "%s%.110s%s", copy, m->summary, kind);
	a.red = t->red;
	if (x && x->kind == IKE_XK_DPD && x->outcome == IKE_XO_ANSWERED && x->transmissions == 1 &&
	    x->responses == 1 && t->lost_after < 0) {
		a.fold_key = (m->ispi ^ 0x9e3779b97f4a7c15ULL) | 1;
		snprintf(a.fold_label, sizeof(a.fold_label), "DPD exchanges, each answered at once");
	}
	enum ike_err err;
	struct ike_ladder_arrow *p = ike_ladder_add_arrow(l, &a, &err);
	if (!p)
		return err;

	/* tooltip: the summary, the endpoints, every capture that saw it, the exchange */
	char src[64], dst[64], ts[48];
	ike_ladder_tip(l, p, "%s", m->summary);
	ike_ladder_tip(l, p, "%s -> %s", ike_out_endpoint(&m->src, m->sport, src, sizeof(src)),
		       ike_out_endpoint(&m->dst, m->dport, dst, sizeof(dst)));
	for (unsigned f = 0; f < b->n_files; f++) {
		if (!(t->seen & (1u << f)))
			continue;
		const struct fmsg *c = &fd->m[t->rec[f]];
		fmt_time(c->us, ts, sizeof(ts));
		ike_ladder_tip(l, p, "%s frame %" PRIu64 " at %s", fd->names[f], c->frame, ts);
	}
	if (x) {
		char err_s[48] = "";
		const char *nn = x->error ? ike_name_long(&ike_names_notify, x->error) : NULL;
		if (x->error)
			snprintf(err_s, sizeof(err_s), ", notify %s", nn ? nn : "(unknown type)");
		else if (x->error_inferred)
			snprintf(err_s, sizeof(err_s), ", error notify (by size)");
		ike_ladder_tip(l, p, "exchange: %s%s, %s%s, %" PRIu32 " request(s), %" PRIu32 " response(s)",
			       x->inferred ? "~" : "", ike_xkind_name(x->kind), ike_xoutcome_name(x->outcome), err_s,
			       x->transmissions, x->responses);
	}
	for (unsigned f = 0; f < b->n_files; f++)
		if ((t->seen & (1u << f)) && fd->m[t->rec[f]].note)
			ike_ladder_tip(l, p, "%s", fd->m[t->rec[f]].note);
	if (t->lost_after >= 0 && b->n_files > 1) {
		int next = t->lost_after + (t->to > t->from ? 1 : -1);
		ike_ladder_tip(l, p, "lost: seen in %s, not in %s", fd->names[t->lost_after], fd->names[next]);
	} else if (t->lost_after >= 0) {
		ike_ladder_tip(l, p, fmsg_resp(m) ? "lost: the request came again after this answer"
						: "lost: sent again with no answer between (this copy or its answer)");
	}
	return IKE_OK;
}

/* The caption: how each IKE SA ended, as the first capture saw it, and where copies were lost. */
static void caption(struct build *b, struct ike_ladder *l)
{
	const struct ike_tracker *t = b->trk[0];
	size_t n = t ? ike_tracker_n_sas(t) : 0;
	unsigned ends[IKE_END_FAILED + 1] = {0};
	for (size_t i = 0; i < n; i++)
		ends[ike_tracker_sa(t, i)->end]++;
	char line[IKE_LADDER_CAPTION];
	size_t len = (size_t)snprintf(line, sizeof(line), "%s: %zu IKE SA%s", b->fd->names[0], n, n == 1 ? "" : "s");
	for (int e = 0; e <= IKE_END_FAILED; e++)
		if (ends[e] && len < sizeof(line))
			len += (size_t)snprintf(line + len, sizeof(line) - len, ", %u %s", ends[e],
						ike_sa_end_name((enum ike_sa_end)e));
	ike_ladder_caption(l, "%s", line);
	for (size_t i = 0; i < n && i < CAPTION_SAS; i++) {
		const struct ike_sa_rec *s = ike_tracker_sa(t, i);
		char est[48] = "never established", end[64] = "";
		if (s->established && s->established_us >= 0) {
			fmt_time(s->established_us, est, sizeof(est));
			memmove(est + 15, est + 11, strlen(est + 11) + 1);
			memcpy(est, "established at ", 15);
		}
		if (s->end != IKE_END_UP && s->end_us >= 0) {
			char ts[48];
			fmt_time(s->end_us, ts, sizeof(ts));
			snprintf(end, sizeof(end), " at %s", ts + 11);
		}
		ike_ladder_caption(l, "IKE SA %" PRIu32 " %016" PRIx64 "_i %016" PRIx64 "_r: %s%s, %s%s%s", s->index,
				   s->ispi, s->rspi, est, s->established_inferred ? " (~)" : "", ike_sa_end_name(s->end),
				   s->end_inferred ? " (~)" : "", end);
	}
	if (n > CAPTION_SAS)
		ike_ladder_caption(l, "... and %zu more IKE SAs", n - CAPTION_SAS);
	for (unsigned i = 0; b->n_files > 1 && i < b->n_files; i++) {
		if (!b->lost_between[i])
			continue;
		ike_ladder_caption(l, "%" PRIu64 " transmission%s seen in %s went no further", b->lost_between[i],
				   b->lost_between[i] == 1 ? "" : "s", b->fd->names[i]);
	}
	if (b->fd->dropped)
		ike_ladder_caption(l, "%" PRIu64 " messages beyond the cap of %zu not drawn", b->fd->dropped, b->fd->max);
	if (b->ep_dropped)
		ike_ladder_caption(l, "%" PRIu64 " messages not drawn: beyond %d endpoints, or sent to their own address",
				   b->ep_dropped, IKE_LADDER_MAX_LIFELINES);
}

static void lifelines(struct build *b, struct ike_ladder *l)
{
	char title[IKE_LADDER_LABEL], a[64], c[64];
	if (l->title[0] == '\0') {
		size_t len = (size_t)snprintf(title, sizeof(title), "ikescope exchanges:");
		for (unsigned f = 0; f < b->n_files && len < sizeof(title); f++)
			len += (size_t)snprintf(title + len, sizeof(title) - len, "%s %s", f ? "," : "",
						b->fd->names[f]);
		ike_ladder_set_title(l, title);
	}
	if (b->n_files == 1) {
		for (unsigned i = 0; i < b->n_ep; i++) {
			ike_addr_str(&b->ep[i], a, sizeof(a));
			ike_ladder_add_lifeline(l, a, i == 0 ? "sent the first message" : "");
		}
		return;
	}
	for (unsigned f = 0; f < b->n_files; f++) {
		/* the endpoints as this capture shows them (NAT may rewrite one) */
		c[0] = '\0';
		for (size_t i = 0; i < b->fd->n; i++) {
			const struct fmsg *m = &b->fd->m[i];
			if (m->file == f) {
				snprintf(c, sizeof(c), "%s - %s", ike_addr_str(&m->src, a, sizeof(a)),
					 ike_addr_str(&m->dst, a + 32, 32));
				break;
			}
		}
		ike_ladder_add_lifeline(l, b->fd->names[f], c);
	}
}

enum ike_err ike_ladder_from_feed(struct ike_ladder *l, const struct ike_ladder_feed *fd,
				  const struct ike_tracker *const *trackers)
{
	struct build b = {.fd = fd, .trk = trackers};
	b.n_files = fd->n_files < IKE_LADDER_MAX_LIFELINES ? fd->n_files : IKE_LADDER_MAX_LIFELINES;
	if (fd->n_files > b.n_files)
		l->stats.lifelines_dropped += fd->n_files - b.n_files;
	enum ike_err err = ike_ladder_match(&b);
	if (err != IKE_OK)
		goto out;
	lifelines(&b, l);
	for (size_t i = 0; i < b.n_tx; i++) {
		struct tx *t = &b.tx[i];
		if (t->from < 0 || t->to < 0 || t->from == t->to) {
			b.ep_dropped++;
			continue;
		}
		err = add_tx(&b, l, t);
		if (err != IKE_OK && err != IKE_E_LIMIT)
			goto out;
	}
	caption(&b, l);
	err = ike_ladder_fold(l, NULL);
out:
	ike_ladder_match_free(&b);
	return err;
}
