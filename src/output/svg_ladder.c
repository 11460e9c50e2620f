/*
 * svg_ladder.c — draws the ladder model (ladder.h) as one self-contained SVG
 * document: a <style> sheet and generic font families, no script, no link,
 * no image, so the file can be mailed or attached to a ticket and opened
 * anywhere. Every string in it came from packets or logs, so all text goes
 * through xml_text(): markup characters escaped, anything that is not
 * well-formed UTF-8 or is a control character replaced.
 *
 * Layout, top to bottom: title, caption (the verdict), legend, lifeline
 * headers, then one row per arrow. Rows are at least ROW_H apart, plus a
 * little for the time that passed, so a thousand exchanges stay legible (one
 * per row, headers repeated every HEADER_EVERY rows) and the rhythm of
 * retransmissions stays visible; a quiet gap recorded as a break is drawn as
 * a cut across the lifelines with its duration.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ikescope/ladder.h"
#include "output/out_int.h"

#define CHAR_W 6.7        /* advance of an 11 px monospace character */
#define LABEL_CHARS 110   /* label characters drawn; the tooltip has them all */
#define TIME_COL 190      /* width of the time column */
#define MARGIN_R 40
#define MIN_SPACING 220
#define TITLE_H 30
#define LINE_H 16
#define HEAD_H 44
#define ROW_H 28
#define PX_PER_S 8        /* extra height per second between rows */
#define MAX_EXTRA 60
#define BREAK_H 40
#define SLANT 6           /* an arrow across all lifelines drops this much (reads as travel) */
#define HEADER_EVERY 40
#define FOOT_H 30
#define LEGEND_W 760      /* the legend's two lines */
#define HEAD_W 240        /* lifeline header boxes, at most */

static const char *const style_sheet =
	"text{font-family:'DejaVu Sans Mono',monospace;font-size:11px;fill:#222}"
	".title{font-size:15px;font-weight:bold}"
	".cap{font-size:12px}.cap0{font-size:13px;font-weight:bold}"
	".legend{font-size:10px;fill:#555}"
	".time{font-size:10px;fill:#555}"
	".head{fill:#eef2f7;stroke:#4a6785;stroke-width:1}"
	".hname{font-weight:bold;text-anchor:middle}.hsub{font-size:10px;fill:#555;text-anchor:middle}"
	".rep{font-size:10px;fill:#8a9bb0;text-anchor:middle}"
	".life{stroke:#4a6785;stroke-width:1.5}"
	".a{stroke:#1f4e79;stroke-width:1.5;fill:none;marker-end:url(#h)}"
	".a.r{stroke:#c62828;marker-end:url(#hr)}"
	".a.d{stroke-dasharray:6 4}"
	".a.b{marker-start:url(#h)}.a.r.b{marker-start:url(#hr)}"
	".a.l{marker-end:none}"
	".lbl{fill:#1f4e79}.lbl.r{fill:#c62828}"
	".x{stroke:#c62828;stroke-width:2.5}"
	".fold{fill:#fff3c4;stroke:#b08900}.nfold{font-size:10px;font-weight:bold;text-anchor:middle;fill:#6b5200}"
	".brk{fill:#fff;stroke:none}.zig{stroke:#888;fill:none;stroke-width:1}"
	".btxt{font-size:10px;fill:#666;text-anchor:middle;font-style:italic}";

/* Text content or attribute value: markup escaped, only well-formed UTF-8
 * outside the control ranges kept (U+FFFE and U+FFFF are not XML either);
 * '\n' kept only where keep_nl (tooltips). At most max_chars characters,
 * then "...". */
static void xml_text(FILE *f, const char *s, size_t n, bool keep_nl, size_t max_chars)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t chars = 0;
	for (size_t i = 0; i < n && p[i] != '\0';) {
		if (chars++ >= max_chars) {
			fputs("...", f);
			return;
		}
		uint8_t c = p[i];
		size_t len = ike_utf8_seq(p + i, n - i);
		if (len == 0 || (len == 2 && c == 0xc2 && p[i + 1] < 0xa0) ||
		    (len == 3 && c == 0xef && p[i + 1] == 0xbf && p[i + 2] >= 0xbe)) {
			fputc('?', f);
			i += len ? len : 1;
			continue;
		}
		i += len;
		if (len > 1) {
			fwrite(p + i - len, 1, len, f);
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': fputc(keep_nl ? '\n' : ' ', f); break;
		default: fputc(c >= 0x20 && c != 0x7f ? c : '?', f); break;
		}
	}
}

static void xml_str(FILE *f, const char *s, size_t max_chars)
{
	xml_text(f, s, strlen(s), false, max_chars);
}

struct geo {
	double spacing;    /* between lifelines */
	unsigned gaps;     /* spaces between lifelines */
	unsigned width, height;
	double top;        /* y of the lifeline headers */
	double first_row;  /* y of the first row */
	unsigned cap_lines;
};

static unsigned caption_lines(const struct ike_ladder *l)
{
	unsigned n = l->caption_len ? 1 : 0;
	for (size_t i = 0; i < l->caption_len; i++)
		n += l->caption[i] == '\n';
	return n;
}

static bool has_break(const struct ike_ladder *l, size_t i, size_t *bi)
{
	/* breaks are in arrow order: callers walk them with *bi */
	if (*bi < l->n_breaks && l->breaks[*bi].before == i) {
		++*bi;
		return true;
	}
	return false;
}

/* Vertical advance before arrow i (i > 0). */
static double advance(const struct ike_ladder *l, size_t i, bool brk)
{
	if (brk)
		return BREAK_H + ROW_H;
	double dt = (double)(l->arrows[i].t_us - l->arrows[i - 1].t_end_us) / 1e6;
	double extra = dt > 0 ? dt * PX_PER_S : 0;
	return ROW_H + (extra > MAX_EXTRA ? MAX_EXTRA : extra);
}

static void layout(const struct ike_ladder *l, struct geo *g)
{
	size_t longest = 20;
	for (size_t i = 0; i < l->n_arrows; i++) {
		size_t n = strlen(l->arrows[i].label) + (l->arrows[i].count > 1 ? 8 : 0);
		if (n > longest)
			longest = n;
	}
	if (longest > LABEL_CHARS)
		longest = LABEL_CHARS;
	unsigned gaps = l->n_lifelines > 1 ? l->n_lifelines - 1 : 1;
	g->gaps = gaps;
	g->spacing = (longest * CHAR_W + 40) / gaps;
	if (g->spacing < MIN_SPACING)
		g->spacing = MIN_SPACING;
	for (unsigned i = 0; i < l->n_lifelines; i++) {
		double w = (double)strlen(l->lifelines[i].name) * CHAR_W + 24;
		if (w > g->spacing)
			g->spacing = w;
	}
	g->cap_lines = caption_lines(l);
	g->top = TITLE_H + (g->cap_lines + 2) * LINE_H + 14;
	g->first_row = g->top + HEAD_H + 30;
	double y = g->first_row;
	size_t bi = 0;
	for (size_t i = 1; i < l->n_arrows; i++) {
		bool brk = has_break(l, i, &bi);
		y += advance(l, i, brk);
		if (i % HEADER_EVERY == 0)
			y += LINE_H;
	}
	double w = TIME_COL + 40 + g->spacing * (l->n_lifelines > 1 ? gaps : 0) + HEAD_W / 2 + MARGIN_R;
	double title_w = (double)strlen(l->title) * 9 + 40;
	if (title_w > w)
		w = title_w;
	/* the caption and legend lines are not cut */
	for (size_t i = 0, start = 0; i <= l->caption_len; i++) {
		if (i < l->caption_len && l->caption[i] != '\n')
			continue;
		double cw = (double)(i - start) * 7.4 + 24;
		if (cw > w)
			w = cw;
		start = i + 1;
	}
	if (w < LEGEND_W)
		w = LEGEND_W;
	g->width = (unsigned)w;
	g->height = (unsigned)(y + SLANT + FOOT_H + 10);
}

void ike_svg_ladder_size(const struct ike_ladder *l, unsigned *width, unsigned *height)
{
	struct geo g;
	layout(l, &g);
	*width = g.width;
	*height = g.height;
}

static double life_x(const struct geo *g, unsigned i)
{
	return TIME_COL + 40 + g->spacing * i;
}

/* "23:28:53.880" (UTC) */
static void clock_str(int64_t us, char *buf, size_t cap)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(buf, cap, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(us % 1000000 / 1000));
}

/* "3.2 s", "4 min 12 s", "2 h 5 min" */
static void span_str(int64_t us, char *buf, size_t cap)
{
	double s = (double)us / 1e6;
	if (s < 120)
		snprintf(buf, cap, "%.1f s", s);
	else if (s < 7200)
		snprintf(buf, cap, "%d min %d s", (int)(s / 60), (int)s % 60);
	else
		snprintf(buf, cap, "%d h %d min", (int)(s / 3600), (int)s / 60 % 60);
}

static void header_boxes(FILE *f, const struct ike_ladder *l, const struct geo *g)
{
	for (unsigned i = 0; i < l->n_lifelines; i++) {
		double x = life_x(g, i), w = g->spacing - 24 < HEAD_W ? g->spacing - 24 : HEAD_W;
		fprintf(f, "<rect class=\"head\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"4\"/>\n",
			x - w / 2, g->top, w, HEAD_H - 6);
		fprintf(f, "<text class=\"hname\" x=\"%.1f\" y=\"%.1f\">", x, g->top + 16);
		xml_str(f, l->lifelines[i].name, IKE_LADDER_NAME);
		fprintf(f, "</text>\n<text class=\"hsub\" x=\"%.1f\" y=\"%.1f\">", x, g->top + 31);
		xml_str(f, l->lifelines[i].sub, IKE_LADDER_NAME);
		fputs("</text>\n", f);
	}
}

static void repeat_names(FILE *f, const struct ike_ladder *l, const struct geo *g, double y)
{
	for (unsigned i = 0; i < l->n_lifelines; i++) {
		fprintf(f, "<text class=\"rep\" x=\"%.1f\" y=\"%.1f\">", life_x(g, i), y);
		xml_str(f, l->lifelines[i].name, IKE_LADDER_NAME);
		fputs("</text>\n", f);
	}
}

static void draw_break(FILE *f, const struct ike_ladder *l, const struct geo *g, const struct ike_ladder_break *b,
		       double y)
{
	double x0 = TIME_COL, x1 = g->width - 10;
	fprintf(f, "<rect class=\"brk\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>\n", x0, y - 14, x1 - x0,
		28);
	for (int k = 0; k < 2; k++) {
		double yy = y - 10 + k * 20;
		fprintf(f, "<path class=\"zig\" d=\"M%.1f %.1f", x0, yy);
		for (double x = x0 + 8; x < x1; x += 8)
			fprintf(f, " L%.1f %.1f", x, yy + ((int)((x - x0) / 8) % 2 ? -3 : 3));
		fputs("\"/>\n", f);
	}
	char span[32];
	span_str(b->to_us - b->from_us, span, sizeof(span));
	double mid = l->n_lifelines > 1 ? (life_x(g, 0) + life_x(g, l->n_lifelines - 1)) / 2 : life_x(g, 0);
	fprintf(f, "<text class=\"btxt\" x=\"%.1f\" y=\"%.1f\">%s without IKE traffic</text>\n", mid, y + 4, span);
}

static void draw_arrow(FILE *f, const struct geo *g, const struct ike_ladder_arrow *a,
		       double y, int64_t t0)
{
	int dir = a->to > a->from ? 1 : -1;
	double x0 = life_x(g, a->from);
	double x1 = a->lost_after >= 0 ? life_x(g, (unsigned)a->lost_after) + dir * g->spacing / 2 : life_x(g, a->to);
	double cols = (x1 - x0) / g->spacing * dir;
	double y1 = y + SLANT * cols / (g->gaps ? g->gaps : 1);
	char cls[16];
	snprintf(cls, sizeof(cls), "a%s%s%s%s", a->red ? " r" : "", a->dashed ? " d" : "", a->both_ways ? " b" : "",
		 a->lost_after >= 0 ? " l" : "");
	fputs("<g>", f);
	if (a->tooltip_len) {
		fputs("<title>", f);
		xml_text(f, a->tooltip, a->tooltip_len, true, IKE_LADDER_TOOLTIP);
		fputs("</title>", f);
	}
	/* time column: when it left, relative to the first row */
	char clk[24], clk2[24];
	clock_str(a->t_us, clk, sizeof(clk));
	double rel = (double)(a->t_us - t0) / 1e6;
	if (a->count > 1 && a->t_end_us > a->t_us) {
		clock_str(a->t_end_us, clk2, sizeof(clk2));
		fprintf(f, "<text class=\"time\" x=\"8\" y=\"%.1f\">%s-%s</text>", y + 3, clk, clk2 + 3);
	} else {
		fprintf(f, "<text class=\"time\" x=\"8\" y=\"%.1f\">%s %+9.3f</text>", y + 3, clk, rel);
	}
	fprintf(f, "<path class=\"%s\" d=\"M%.1f %.1f L%.1f %.1f\"/>", cls, x0, y, x1, y1);
	if (a->lost_after >= 0)
		fprintf(f, "<path class=\"x\" d=\"M%.1f %.1f l10 10 M%.1f %.1f l-10 10\"/>", x1 - 5, y1 - 5, x1 + 5,
			y1 - 5);
	/* label above the line, starting at the sender's end */
	double lx = x0 + dir * 8;
	if (a->count > 1) {
		double bx = lx + dir * 20;
		fprintf(f, "<rect class=\"fold\" x=\"%.1f\" y=\"%.1f\" width=\"40\" height=\"14\" rx=\"7\"/>"
			   "<text class=\"nfold\" x=\"%.1f\" y=\"%.1f\">&#215;%" PRIu32 "</text>",
			bx - 20, y - 17, bx, y - 6, a->count);
		lx += dir * 46;
	}
	fprintf(f, "<text class=\"lbl%s\" x=\"%.1f\" y=\"%.1f\"%s>", a->red ? " r" : "", lx, y - 5,
		dir < 0 ? " text-anchor=\"end\"" : "");
	xml_str(f, a->label, LABEL_CHARS);
	fputs("</text></g>\n", f);
}

int ike_svg_ladder(FILE *f, const struct ike_ladder *l)
{
	struct geo g;
	layout(l, &g);
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\">\n",
		g.width, g.height, g.width, g.height);
	fprintf(f, "<style>%s</style>\n", style_sheet);
	fputs("<defs><marker id=\"h\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#1f4e79\"/></marker>"
	      "<marker id=\"hr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
	      "orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#c62828\"/></marker></defs>\n",
	      f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#fff\"/>\n", g.width, g.height);
	fputs("<text class=\"title\" x=\"8\" y=\"20\">", f);
	xml_str(f, l->title, IKE_LADDER_LABEL);
	fputs("</text>\n", f);

	/* the caption: one <text> per line, the first one bold */
	double y = TITLE_H + 8;
	const char *c = l->caption;
	for (unsigned i = 0; i < g.cap_lines; i++) {
		const char *nl = memchr(c, '\n', l->caption_len - (size_t)(c - l->caption));
		size_t n = nl ? (size_t)(nl - c) : l->caption_len - (size_t)(c - l->caption);
		fprintf(f, "<text class=\"%s\" x=\"8\" y=\"%.1f\">", i == 0 ? "cap0" : "cap", y);
		xml_text(f, c, n, false, 400);
		fputs("</text>\n", f);
		y += LINE_H;
		c = nl ? nl + 1 : c + n;
	}
	fprintf(f, "<text class=\"legend\" x=\"8\" y=\"%.1f\">arrow: one transmission (hover over it for its "
		   "frames and log lines)   dashed: retransmission</text>\n",
		y);
	fprintf(f, "<text class=\"legend\" x=\"8\" y=\"%.1f\">red: error notify or failed exchange   red cross: "
		   "lost after that lifeline   &#215;N: N repeated exchanges folded</text>\n",
		y + LINE_H - 3);

	double bottom = g.height - FOOT_H;
	for (unsigned i = 0; i < l->n_lifelines; i++)
		fprintf(f, "<path class=\"life\" d=\"M%.1f %.1f V%.1f\"/>\n", life_x(&g, i), g.top + HEAD_H - 6, bottom);
	header_boxes(f, l, &g);

	int64_t t0 = l->n_arrows ? l->arrows[0].t_us : 0;
	y = g.first_row;
	size_t bi = 0;
	for (size_t i = 0; i < l->n_arrows; i++) {
		if (i > 0) {
			size_t before = bi;
			bool brk = has_break(l, i, &bi);
			double adv = advance(l, i, brk);
			if (brk)
				draw_break(f, l, &g, &l->breaks[before], y + adv / 2);
			y += adv;
			if (i % HEADER_EVERY == 0) {
				repeat_names(f, l, &g, y - 6);
				y += LINE_H;
			}
		}
		draw_arrow(f, &g, &l->arrows[i], y, t0);
	}
	if (l->n_arrows == 0)
		fprintf(f, "<text class=\"cap\" x=\"%.1f\" y=\"%.1f\">no IKE message</text>\n", TIME_COL + 40.0,
			g.first_row);

	/* what the caps kept out is said, not hidden */
	const struct ike_ladder_stats *st = &l->stats;
	fprintf(f, "<text class=\"legend\" x=\"8\" y=\"%u\">", g.height - 10);
	fprintf(f, "%zu rows, %" PRIu64 " folded", l->n_arrows, st->folded);
	if (st->arrows_dropped)
		fprintf(f, "; %" PRIu64 " transmissions beyond the cap of %zu not drawn", st->arrows_dropped,
			l->max_arrows);
	if (st->breaks_dropped)
		fprintf(f, "; %" PRIu64 " quiet gaps drawn to scale (break cap)", st->breaks_dropped);
	if (st->lifelines_dropped)
		fprintf(f, "; %" PRIu64 " lifelines beyond %d not drawn", st->lifelines_dropped,
			IKE_LADDER_MAX_LIFELINES);
	if (st->tooltip_cut)
		fprintf(f, "; %" PRIu64 " tooltips cut", st->tooltip_cut);
	fputs("</text>\n</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
