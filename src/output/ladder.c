/*
 * ladder.c — the ladder drawing model: lifelines, arrows with their tooltip
 * lines, the caption, and the folding of repeated rows and quiet gaps.
 * Drawn by svg_ladder.c; filled by the builders (ladder_exch.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/ladder.h"

struct ike_ladder *ike_ladder_new(const struct ike_ladder_opts *opts)
{
	struct ike_ladder *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->max_arrows = opts && opts->max_arrows ? opts->max_arrows : IKE_LADDER_DEF_ARROWS;
	l->max_breaks = opts && opts->max_breaks ? opts->max_breaks : IKE_LADDER_DEF_BREAKS;
	return l;
}

void ike_ladder_free(struct ike_ladder *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_arrows; i++)
		free(l->arrows[i].tooltip);
	free(l->arrows);
	free(l->breaks);
	free(l);
}

/* Copies src into a fixed buffer, cutting with "..." when it does not fit. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n < cap) {
		memcpy(dst, src ? src : "", n + 1);
		return;
	}
	memcpy(dst, src, cap - 4);
	memcpy(dst + cap - 4, "...", 4);
}

void ike_ladder_set_title(struct ike_ladder *l, const char *title)
{
	copy_cut(l->title, sizeof(l->title), title);
}

int ike_ladder_add_lifeline(struct ike_ladder *l, const char *name, const char *sub)
{
	if (l->n_lifelines >= IKE_LADDER_MAX_LIFELINES) {
		l->stats.lifelines_dropped++;
		return -1;
	}
	struct ike_ladder_lifeline *ll = &l->lifelines[l->n_lifelines];
	copy_cut(ll->name, sizeof(ll->name), name);
	copy_cut(ll->sub, sizeof(ll->sub), sub);
	return (int)l->n_lifelines++;
}

struct ike_ladder_arrow *ike_ladder_add_arrow(struct ike_ladder *l, const struct ike_ladder_arrow *a,
					      enum ike_err *err)
{
	if (err)
		*err = IKE_OK;
	if (a->from >= l->n_lifelines || a->to >= l->n_lifelines || a->from == a->to ||
	    (a->lost_after >= 0 && (unsigned)a->lost_after >= l->n_lifelines))
		return NULL;
	if (l->n_arrows >= l->max_arrows) {
		l->stats.arrows_dropped++;
		return NULL;
	}
	if (l->n_arrows == l->cap_arrows) {
		size_t cap = l->cap_arrows ? l->cap_arrows * 2 : 64;
		if (cap > l->max_arrows)
			cap = l->max_arrows;
		struct ike_ladder_arrow *p = realloc(l->arrows, cap * sizeof(*p));
		if (!p) {
			if (err)
				*err = IKE_E_NOMEM;
			return NULL;
		}
		l->arrows = p;
		l->cap_arrows = cap;
	}
	struct ike_ladder_arrow *x = &l->arrows[l->n_arrows++];
	*x = *a;
	x->label[sizeof(x->label) - 1] = '\0';
	x->fold_label[sizeof(x->fold_label) - 1] = '\0';
	x->tooltip = NULL;
	x->tooltip_len = 0;
	x->tooltip_cap = 0;
	if (x->count == 0)
		x->count = 1;
	if (x->t_end_us < x->t_us)
		x->t_end_us = x->t_us;
	return x;
}

/* Appends a formatted line to a bounded buffer: "\n" between lines, cut at cap. */
__attribute__((format(printf, 5, 0))) static size_t append_line(char *buf, size_t len, size_t cap, bool *cut, const char *fmt, va_list ap)
{
	if (len + 1 >= cap) {
		*cut = true;
		return len;
	}
	if (len > 0)
		buf[len++] = '\n';
	int n = vsnprintf(buf + len, cap - len, fmt, ap);
	if (n < 0) {
		buf[len] = '\0';
		return len;
	}
	if ((size_t)n >= cap - len) {
		*cut = true;
		return cap - 1;
	}
	return len + (size_t)n;
}

enum ike_err ike_ladder_tip(struct ike_ladder *l, struct ike_ladder_arrow *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		return IKE_OK;
	/* grown to what the lines need, never past the cap: a big capture has many arrows */
	size_t want = a->tooltip_len + 1 + (size_t)need + 1;
	if (want > IKE_LADDER_TOOLTIP)
		want = IKE_LADDER_TOOLTIP;
	if (want > a->tooltip_cap) {
		size_t cap = a->tooltip_cap ? a->tooltip_cap * 2 : 256;
		if (cap < want)
			cap = want;
		if (cap > IKE_LADDER_TOOLTIP)
			cap = IKE_LADDER_TOOLTIP;
		char *p = realloc(a->tooltip, cap);
		if (!p)
			return IKE_E_NOMEM;
		if (!a->tooltip)
			p[0] = '\0';
		a->tooltip = p;
		a->tooltip_cap = cap;
	}
	bool cut = false;
	va_start(ap, fmt);
	a->tooltip_len = append_line(a->tooltip, a->tooltip_len, a->tooltip_cap, &cut, fmt, ap);
	va_end(ap);
	if (cut)
		l->stats.tooltip_cut++;
	return IKE_OK;
}

void ike_ladder_caption(struct ike_ladder *l, const char *fmt, ...)
{
	bool cut = false;
	va_list ap;
	va_start(ap, fmt);
	l->caption_len = append_line(l->caption, l->caption_len, sizeof(l->caption), &cut, fmt, ap);
	va_end(ap);
}

/* Stable merge sort by time: arrows added in capture order keep it on ties. */
static void sort_by_time(struct ike_ladder_arrow *a, struct ike_ladder_arrow *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_by_time(a, tmp, h);
	sort_by_time(a + h, tmp, n - h);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = a[j].t_us < a[i].t_us ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

/* Folds arrows [s, e) into arrows[s]: the first keeps its label and tooltip. */
static void fold_run(struct ike_ladder *l, size_t s, size_t e)
{
	struct ike_ladder_arrow *first = &l->arrows[s];
	uint32_t units = 0;
	for (size_t i = s; i < e; i++) {
		const struct ike_ladder_arrow *x = &l->arrows[i];
		units += x->fold_unit * x->count;
		if (x->from != first->from)
			first->both_ways = true;
		if (x->red)
			first->red = true;
		if (x->t_end_us > first->t_end_us)
			first->t_end_us = x->t_end_us;
	}
	first->count = units;
	if (first->fold_label[0] != '\0')
		copy_cut(first->label, sizeof(first->label), first->fold_label);
	first->dashed = false;
	first->lost_after = -1;
	/* one tooltip line per folded row after the first, while there is room */
	for (size_t i = s + 1; i < e; i++) {
		const struct ike_ladder_arrow *x = &l->arrows[i];
		const char *nl = x->tooltip ? strchr(x->tooltip, '\n') : NULL;
		int len = x->tooltip ? (int)(nl ? (size_t)(nl - x->tooltip) : x->tooltip_len) : 0;
		ike_ladder_tip(l, first, "%.*s", len, x->tooltip ? x->tooltip : "");
		free(l->arrows[i].tooltip);
		l->arrows[i].tooltip = NULL;
	}
	l->stats.folded += e - s - 1;
}

enum ike_err ike_ladder_fold(struct ike_ladder *l, const struct ike_ladder_fold_opts *opts)
{
	uint32_t min_run = opts && opts->min_run ? opts->min_run : 3;
	int64_t quiet = opts && opts->quiet_us ? opts->quiet_us : 30 * 1000000LL;
	if (l->n_arrows > 1) {
		struct ike_ladder_arrow *tmp = malloc(l->n_arrows * sizeof(*tmp));
		if (!tmp)
			return IKE_E_NOMEM;
		sort_by_time(l->arrows, tmp, l->n_arrows);
		free(tmp);
	}
	/* runs of one fold key, nothing else between */
	size_t w = 0;
	for (size_t i = 0; i < l->n_arrows;) {
		size_t e = i + 1;
		uint32_t units = l->arrows[i].fold_unit;
		if (l->arrows[i].fold_key != 0)
			while (e < l->n_arrows && l->arrows[e].fold_key == l->arrows[i].fold_key)
				units += l->arrows[e++].fold_unit;
		if (e - i > 1 && units >= min_run) {
			fold_run(l, i, e);
			l->arrows[w++] = l->arrows[i];
		} else {
			for (size_t k = i; k < e; k++)
				l->arrows[w++] = l->arrows[k];
		}
		i = e;
	}
	l->n_arrows = w;
	/* quiet gaps: from the end of one row to the start of the next */
	l->n_breaks = 0;
	if (quiet < 0)
		return IKE_OK;
	for (size_t i = 1; i < l->n_arrows; i++) {
		int64_t prev_end = l->arrows[i - 1].t_end_us;
		for (size_t k = 0; k + 1 < i && k < 4; k++) /* a folded row earlier may end later */
			if (l->arrows[i - 2 - k].t_end_us > prev_end)
				prev_end = l->arrows[i - 2 - k].t_end_us;
		if (l->arrows[i].t_us - prev_end <= quiet)
			continue;
		if (l->n_breaks >= l->max_breaks) {
			l->stats.breaks_dropped++;
			continue;
		}
		if (!l->breaks) {
			l->breaks = calloc(l->max_breaks < 1024 ? l->max_breaks : 1024, sizeof(*l->breaks));
			if (!l->breaks)
				return IKE_E_NOMEM;
			l->stats.breaks_dropped = 0;
		} else if (l->n_breaks >= 1024 && (l->n_breaks & (l->n_breaks - 1)) == 0) {
			struct ike_ladder_break *p = realloc(l->breaks, 2 * l->n_breaks * sizeof(*p));
			if (!p)
				return IKE_E_NOMEM;
			l->breaks = p;
		}
		l->breaks[l->n_breaks++] = (struct ike_ladder_break){prev_end, l->arrows[i].t_us, i};
	}
	return IKE_OK;
}
