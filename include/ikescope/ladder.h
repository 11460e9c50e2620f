/*
 * ladder.h — the ladder diagram as a drawing model, and its SVG printer.
 *
 * A ladder is a row of lifelines (vantage points or endpoints, left to right)
 * and arrows between them, each at a time. Builders fill it (from the
 * exchange tracker: src/output/ladder_exch.c; later from correlate and
 * compare), ike_ladder_fold() folds runs of repeated arrows and long quiet
 * gaps, and ike_svg_ladder() draws it. The model knows nothing of IKE: an
 * arrow is a label, a time, two lifelines, a few flags and tooltip lines.
 *
 * Ownership: struct ike_ladder is owned by its creator (ike_ladder_new,
 * free with ike_ladder_free); every string handed to it is copied. Every
 * list is capped; what a cap keeps out is counted in struct ike_ladder_stats
 * and named in the drawing's caption, never a crash.
 */
#ifndef IKESCOPE_LADDER_H
#define IKESCOPE_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/ike.h"

#define IKE_LADDER_MAX_LIFELINES 8
#define IKE_LADDER_LABEL 160        /* bytes of an arrow label kept (more is cut with "...") */
#define IKE_LADDER_NAME 64          /* bytes of a lifeline name or subtitle */
#define IKE_LADDER_TOOLTIP 2048     /* bytes of tooltip text kept per arrow */
#define IKE_LADDER_CAPTION 8192     /* bytes of caption kept */
#define IKE_LADDER_DEF_ARROWS 200000 /* default cap on arrows */
#define IKE_LADDER_DEF_BREAKS 10000  /* default cap on time-axis breaks */

struct ike_ladder_lifeline {
	char name[IKE_LADDER_NAME]; /* "local.pcap", "192.0.2.1" */
	char sub[IKE_LADDER_NAME];  /* second header line, may be empty */
};

/*
 * One transmission, or after folding one row standing for several. The
 * arrow goes from lifeline `from` toward `to`; when lost_after >= 0 it
 * vanished after passing lifeline lost_after (which may be `from` itself):
 * the line stops half way to the next lifeline toward `to`, in a red cross.
 */
struct ike_ladder_arrow {
	int64_t t_us;       /* when it left (µs since the epoch) */
	int64_t t_end_us;   /* folded rows: the last one's time; else t_us */
	uint8_t from, to;   /* lifeline indices, from != to */
	int8_t lost_after;  /* -1: delivered */
	bool dashed;        /* a retransmission */
	bool red;           /* an error notify, or part of the exchange that failed */
	bool both_ways;     /* folded rows whose arrows went both ways: heads at both ends */
	uint64_t fold_key;  /* 0: never folded; equal keys in a row fold together */
	uint32_t fold_unit; /* what it counts for in a folded row (1 for a request, 0 for its response) */
	uint32_t count;     /* units this row stands for (1 unfolded) */
	char label[IKE_LADDER_LABEL];
	char fold_label[IKE_LADDER_NAME]; /* the label of the folded row it may start (empty: keep label) */
	char *tooltip;      /* owned; lines separated by '\n'; NULL when none */
	size_t tooltip_len, tooltip_cap; /* grown as lines are added, up to IKE_LADDER_TOOLTIP */
};

/* A quiet gap of the time axis drawn as a break instead of to scale. */
struct ike_ladder_break {
	int64_t from_us, to_us;
	size_t before; /* index of the arrow the break comes before */
};

struct ike_ladder_stats {
	uint64_t arrows_dropped;   /* beyond the arrow cap */
	uint64_t breaks_dropped;   /* gaps beyond the break cap, drawn to scale */
	uint64_t lifelines_dropped;
	uint64_t folded;           /* arrows merged into folded rows */
	uint64_t tooltip_cut;      /* tooltips cut at IKE_LADDER_TOOLTIP */
};

struct ike_ladder_opts {
	size_t max_arrows; /* 0 = IKE_LADDER_DEF_ARROWS */
	size_t max_breaks; /* 0 = IKE_LADDER_DEF_BREAKS */
};

struct ike_ladder {
	char title[IKE_LADDER_LABEL];
	struct ike_ladder_lifeline lifelines[IKE_LADDER_MAX_LIFELINES];
	unsigned n_lifelines;
	struct ike_ladder_arrow *arrows; /* in time order once ike_ladder_fold() ran */
	size_t n_arrows, cap_arrows, max_arrows;
	struct ike_ladder_break *breaks;
	size_t n_breaks, max_breaks;
	char caption[IKE_LADDER_CAPTION]; /* the verdict; lines separated by '\n' */
	size_t caption_len;
	struct ike_ladder_stats stats;
};

struct ike_ladder *ike_ladder_new(const struct ike_ladder_opts *opts); /* opts may be NULL; NULL on OOM */
void ike_ladder_free(struct ike_ladder *l);

void ike_ladder_set_title(struct ike_ladder *l, const char *title);
/* Returns the new lifeline's index, or -1 past IKE_LADDER_MAX_LIFELINES (counted). */
int ike_ladder_add_lifeline(struct ike_ladder *l, const char *name, const char *sub);

/*
 * Copies *a (label included; its tooltip pointer is ignored) and returns the
 * copy to add tooltip lines to, or NULL when the arrow cap is hit (counted)
 * or memory ran out (*err set to IKE_E_NOMEM; err may be NULL).
 * from, to and lost_after must name existing lifelines: NULL otherwise.
 */
struct ike_ladder_arrow *ike_ladder_add_arrow(struct ike_ladder *l, const struct ike_ladder_arrow *a,
					      enum ike_err *err);
/* Appends one tooltip line (printf-style); cut at IKE_LADDER_TOOLTIP. IKE_E_NOMEM or IKE_OK. */
enum ike_err ike_ladder_tip(struct ike_ladder *l, struct ike_ladder_arrow *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends one caption line (printf-style); cut at IKE_LADDER_CAPTION. */
void ike_ladder_caption(struct ike_ladder *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct ike_ladder_fold_opts {
	uint32_t min_run;   /* fold a run of arrows with one fold_key worth at least this many units (0 = 3) */
	int64_t quiet_us;   /* break the time axis over gaps longer than this (0 = 30 s, <0 = never) */
};

/*
 * Sorts the arrows by time (stable), folds runs of arrows with the same
 * non-zero fold_key and no other arrow between them into one row (count =
 * the run's units, tooltip = the first arrow's lines and a line per fold),
 * then records the quiet gaps as breaks. Call once, after the last arrow.
 * IKE_OK or IKE_E_NOMEM (the ladder is then unfolded but still drawable).
 */
enum ike_err ike_ladder_fold(struct ike_ladder *l, const struct ike_ladder_fold_opts *opts);

/*
 * Writes the ladder as one self-contained SVG document (no scripts, no
 * external fonts, images or links): lifelines with their headers, a time
 * column, one row per arrow with its label and a <title> tooltip, dashed
 * retransmissions, red errors, red crosses where a transmission vanished,
 * folded rows with their count, breaks of the time axis, the caption on top.
 * Returns 0, or -1 when writing failed (ferror(f)).
 */
int ike_svg_ladder(FILE *f, const struct ike_ladder *l);
/* The width and height ike_svg_ladder() gives the document, in pixels. */
void ike_svg_ladder_size(const struct ike_ladder *l, unsigned *width, unsigned *height);

/*
 * Builder from captures (src/output/ladder_exch.c): every decoded message of
 * each -r capture is fed, then each capture's finished tracker; the ladder
 * gets one lifeline per capture (the same message seen in several captures
 * is one arrow crossing them; a message missing downstream ends in a cross
 * where it vanished), or, with one capture, one lifeline per endpoint (a
 * request sent again, or answered again, marks the earlier copy lost).
 */
struct ike_ladder_feed; /* owned; free with ike_ladder_feed_free() */

#define IKE_LADDER_FEED_DEF_MSGS 500000 /* default cap on messages kept */

/* names: one label per capture (borrowed for the feed's life); n_files >= 1. */
struct ike_ladder_feed *ike_ladder_feed_new(unsigned n_files, const char *const *names, size_t max_msgs);
void ike_ladder_feed_free(struct ike_ladder_feed *fd);
/* Keeps what the ladder needs of m (m->at.file names the capture). IKE_OK, IKE_E_NOMEM, IKE_E_LIMIT (counted). */
enum ike_err ike_ladder_feed_add(struct ike_ladder_feed *fd, const struct ike_msg *m);

/* The same from a model that kept the fields but not the message (correlate). */
struct ike_ladder_feed_msg {
	uint32_t file;
	uint64_t frame;
	int64_t us;
	uint64_t ispi, rspi;
	uint32_t mid;
	uint8_t exchange, flags;  /* flags: the header's, IKE_FLAG_I and IKE_FLAG_R */
	uint16_t frag_total;      /* SKF fragments are not copies of each other */
	uint64_t hash;            /* equal for copies of the same bytes: ike_ladder_hash() of them */
	struct ike_addr src, dst;
	uint16_t sport, dport;
	const char *summary;      /* charon's summary; copied */
	const char *note;         /* more tooltip lines ('\n' between), e.g. its log lines; copied; may be NULL */
};
enum ike_err ike_ladder_feed_add_fields(struct ike_ladder_feed *fd, const struct ike_ladder_feed_msg *m);
/* 64-bit FNV-1a. */
uint64_t ike_ladder_hash(const void *bytes, size_t n);
struct ike_tracker;
/* Fills l (lifelines, arrows, caption lines after any already there; the title
 * when none was set) from the feed and trackers[i] for capture i (NULL when
 * a capture has none); then folds. */
enum ike_err ike_ladder_from_feed(struct ike_ladder *l, const struct ike_ladder_feed *fd,
				  const struct ike_tracker *const *trackers);

/*
 * Builders from the correlate and compare models (src/output/ladder_corr.c,
 * ladder_cmp.c); both fold when done. Correlate: the timeline's messages as
 * above, the linked log lines in each tooltip, the verdicts as the caption.
 * Compare: one lifeline per vantage point, arrows and losses as compare
 * matched them, its conclusions as the caption.
 */
struct ike_corr;
struct ike_corr_names;
enum ike_err ike_ladder_from_corr(struct ike_ladder *l, const struct ike_corr *c, const struct ike_corr_names *names);
struct ike_compare;
enum ike_err ike_ladder_from_compare(struct ike_ladder *l, const struct ike_compare *c);

#endif
