/*
 * ladder_corr.c — the ladder of `correlate --svg`: the captured messages of
 * the timeline drawn as in `exchanges --svg` (ladder_exch.c does the
 * drawing logic), each arrow's tooltip carrying the charon log lines linked
 * to its frames, and the verdicts as the caption.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/correlate.h"
#include "ikescope/ladder.h"

#define CAPTION_VERDICTS 8 /* tunnels named one by one */
#define WRAP 120           /* caption characters per line */

/* The log lines linked to message m, one tooltip line each. */
static void note_of(const struct ike_corr *c, const struct ike_corr_msg *m, const struct ike_corr_names *names,
		    char *buf, size_t cap)
{
	const int64_t links[] = {m->link_message, m->link_packet, m->link_retransmit};
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (links[i] < 0 || (size_t)links[i] >= ike_corr_n_logs(c) || len + 1 >= cap)
			continue;
		const struct ike_corr_log *lg = ike_corr_log(c, (size_t)links[i]);
		const char *file = lg->file < names->n_logs ? names->logs[lg->file] : "log";
		int n = snprintf(buf + len, cap - len, "%s%s:%" PRIu64 ": %s", len ? "\n" : "", file, lg->line,
				 lg->text ? lg->text : "");
		if (n < 0)
			break;
		len += (size_t)n < cap - len ? (size_t)n : cap - len - 1;
	}
}

/* Appends text to the caption in lines of at most WRAP characters, cut at spaces. */
static void caption_wrapped(struct ike_ladder *l, const char *indent, const char *text)
{
	size_t n = strlen(text);
	while (n > 0) {
		size_t take = n;
		if (take > WRAP) {
			take = WRAP;
			while (take > WRAP / 2 && text[take] != ' ')
				take--;
		}
		ike_ladder_caption(l, "%s%.*s", indent, (int)take, text);
		text += take;
		n -= take;
		while (n > 0 && *text == ' ')
			text++, n--;
	}
}

static void verdict_caption(struct ike_ladder *l, const struct ike_corr *c)
{
	size_t nv = ike_corr_n_verdicts(c);
	if (nv == 0)
		ike_ladder_caption(l, "no tunnel found: no verdict");
	for (size_t i = 0; i < nv && i < CAPTION_VERDICTS; i++) {
		const struct ike_corr_verdict *v = ike_corr_verdict(c, i);
		char loc[64] = "?", peer[64] = "?";
		if (v->local.family)
			ike_addr_str(&v->local, loc, sizeof(loc));
		if (v->peer.family)
			ike_addr_str(&v->peer, peer, sizeof(peer));
		const char *loss = ike_corr_loss_name(v->loss);
		ike_ladder_caption(l, "%s %s - %s: %s, cause %s%s%s", v->name[0] ? v->name : "tunnel", loc, peer,
				   ike_corr_symptom_name(v->symptom), ike_corr_cause_name(v->cause),
				   loss ? ", loss " : "", loss ? loss : "");
		caption_wrapped(l, "  ", v->explanation);
	}
	if (nv > CAPTION_VERDICTS)
		ike_ladder_caption(l, "... and %zu more tunnels", nv - CAPTION_VERDICTS);
}

enum ike_err ike_ladder_from_corr(struct ike_ladder *l, const struct ike_corr *c, const struct ike_corr_names *names)
{
	char title[IKE_LADDER_LABEL];
	size_t len = (size_t)snprintf(title, sizeof(title), "ikescope correlate:");
	for (size_t i = 0; i < names->n_captures && len < sizeof(title); i++)
		len += (size_t)snprintf(title + len, sizeof(title) - len, " %s", names->captures[i]);
	for (size_t i = 0; i < names->n_logs && len < sizeof(title); i++)
		len += (size_t)snprintf(title + len, sizeof(title) - len, " %s", names->logs[i]);
	ike_ladder_set_title(l, title);
	verdict_caption(l, c);
	if (names->n_captures == 0)
		return ike_ladder_fold(l, NULL); /* logs alone: the verdict, no arrows */

	unsigned n = names->n_captures < IKE_CORR_MAX_CAPTURES ? (unsigned)names->n_captures : IKE_CORR_MAX_CAPTURES;
	struct ike_ladder_feed *fd = ike_ladder_feed_new(n, names->captures, 0);
	const struct ike_tracker **trk = calloc(n, sizeof(*trk));
	char *note = malloc(IKE_LADDER_TOOLTIP);
	enum ike_err err = IKE_E_NOMEM;
	if (!fd || !trk || !note)
		goto out;
	for (unsigned i = 0; i < n; i++)
		trk[i] = ike_corr_tracker(c, i);
	/* the timeline's messages: what --peer and --around kept */
	for (size_t i = 0; i < ike_corr_n_entries(c); i++) {
		const struct ike_corr_entry *e = ike_corr_entry(c, i);
		if (e->src != IKE_CORR_SRC_CAPTURE || e->index >= ike_corr_n_msgs(c))
			continue;
		const struct ike_corr_msg *m = ike_corr_msg(c, e->index);
		/* no bytes kept: the header and length tell copies apart from other messages */
		struct {
			uint64_t ispi, rspi;
			uint32_t mid, length;
			uint16_t frag_num, frag_total;
			uint8_t exchange, response, initiator, pad;
		} key = {m->ispi, m->rspi, m->mid, m->length, m->frag_num, m->frag_total, m->exchange, m->response,
			 m->initiator, 0};
		note_of(c, m, names, note, IKE_LADDER_TOOLTIP);
		struct ike_ladder_feed_msg f = {
			.file = m->file, .frame = m->frame, .us = m->us, .ispi = m->ispi, .rspi = m->rspi,
			.mid = m->mid, .exchange = m->exchange,
			.flags = (uint8_t)((m->initiator ? IKE_FLAG_I : 0) | (m->response ? IKE_FLAG_R : 0)),
			.frag_total = m->frag_total, .hash = ike_ladder_hash(&key, sizeof(key)), .src = m->src,
			.dst = m->dst, .sport = m->sport, .dport = m->dport, .summary = m->summary, .note = note,
		};
		err = ike_ladder_feed_add_fields(fd, &f);
		if (err == IKE_E_NOMEM)
			goto out;
	}
	err = ike_ladder_from_feed(l, fd, trk);
out:
	free(note);
	free(trk);
	ike_ladder_feed_free(fd);
	return err;
}
