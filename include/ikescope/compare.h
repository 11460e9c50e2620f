/*
 * compare.h — the same IKE messages seen at several vantage points along one
 * path: where each transmission was seen, and where a lost one died.
 *
 * Vantage points are added in path order: the first is the local end (a
 * capture on the vEdge, or its charon log), the last the far end, the ones
 * between are taps along the way (an ISP router). Each point is fed its
 * messages; a message is recognised at every point by its content (SPIs,
 * message ID, flags, exchange type, length and a hash of its bytes), never by
 * addresses or ports, which NAT rewrites. Retransmissions are byte-identical,
 * so each transmission is matched to its copies at the other points by time,
 * once the clock offsets between the points are known; those are estimated
 * from requests and their responses seen at two points (they cross the path
 * in opposite directions, so the offset is the mean of the two differences
 * and the one-way delay half their gap — the NTP assumption of a symmetric
 * path). Copies of one transmission a span port shows twice are folded.
 *
 * A log point (a charon log standing in for a capture of that end) gives
 * `sending packet` / `received packet` lines with the IKE length and the
 * `generating` / `parsed` lines with exchange, message ID and response flag;
 * it has no SPIs and no bytes, so its lines are matched to the messages the
 * captures saw by exchange, message ID, response flag, length and time.
 *
 * A transmission is `delivered` when it reached the end it was sent to (or,
 * for a request, when its answer came back before it was sent again),
 * `lost` when one point saw it and the next point along its way that was
 * capturing at that time did not (lost_after / lost_before name those two
 * points), and `not-covered` when no point after the last that saw it was
 * capturing then. A capture covers the time from its first to its last frame;
 * one without a single frame is taken to have run while the others did.
 *
 * All records are read after ike_compare_finish(); printers are in
 * src/output/out_compare.c. The library never prints. Everything kept is
 * capped; a cap hit is counted in struct ike_cmp_stats, never a crash.
 */
#ifndef IKESCOPE_COMPARE_H
#define IKESCOPE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/ike.h"
#include "ikescope/log.h"
#include "ikescope/track.h"

#define IKE_CMP_MAX_POINTS 8           /* vantage points along the path (captures and logs) */
#define IKE_CMP_NAME_MAX 64            /* a point's label (the file's base name) */
#define IKE_CMP_DEF_MESSAGES 200000    /* default cap on distinct messages */
#define IKE_CMP_DEF_TX 1000000         /* default cap on transmissions */
#define IKE_CMP_DEF_OBS 2000000        /* default cap on observations (one message seen once at one point) */
#define IKE_CMP_MAX_TX_PER_MSG 256     /* transmissions kept per message (strongSwan sends a few) */
#define IKE_CMP_DUP_WINDOW_US 20000    /* the same bytes twice at one point this close: one transmission */
#define IKE_CMP_MATCH_WINDOW_US 500000 /* a copy at another point is this close to its transmission
					* (after the clock offset); log points get their 1 s resolution more */

enum ike_cmp_point_kind {
	IKE_CMP_CAPTURE = 0,
	IKE_CMP_LOG,
};
const char *ike_cmp_point_kind_name(enum ike_cmp_point_kind k); /* "capture", "log" */

/* Which way a message travels along the path, relative to the first point. */
enum ike_cmp_dir {
	IKE_CMP_DIR_UNKNOWN = 0,
	IKE_CMP_TOWARD_PEER,  /* from the first point's end toward the last's */
	IKE_CMP_TOWARD_LOCAL, /* from the last point's end toward the first's */
};
const char *ike_cmp_dir_name(enum ike_cmp_dir d); /* "unknown", "toward-peer", "toward-local" */

enum ike_cmp_status {
	IKE_CMP_DELIVERED = 0, /* reached the end it was sent to */
	IKE_CMP_LOST,          /* vanished between lost_after and lost_before */
	IKE_CMP_NOT_COVERED,   /* the point where it would next be seen was not capturing then */
};
const char *ike_cmp_status_name(enum ike_cmp_status s); /* "delivered", "lost", "not-covered" */

/* What one point says about one transmission. */
enum ike_cmp_at {
	IKE_CMP_AT_SEEN = 0,
	IKE_CMP_AT_MISSING,     /* the point covered that time and did not see it */
	IKE_CMP_AT_NOT_COVERED, /* outside the time the point covers */
	IKE_CMP_AT_BEYOND,      /* after the hop where it was lost: not expected there */
};
const char *ike_cmp_at_name(enum ike_cmp_at a); /* "seen", "missing", "not-covered", "beyond" */

/* One vantage point. Times are in the point's own clock, µs since the epoch. */
struct ike_cmp_point {
	char name[IKE_CMP_NAME_MAX];
	enum ike_cmp_point_kind kind;
	bool covered;                /* first_us/last_us are known */
	bool coverage_assumed;       /* a capture without a single frame: a tap that ran and saw
				      * nothing, taken to have covered the others' time */
	int64_t first_us, last_us;   /* the time the point covers (first and last frame or line) */
	bool offset_known;
	int64_t offset_us;           /* this point's clock minus the reference's, the first capture
				      * (0 for it; see struct ike_cmp_summary) */
	uint32_t offset_samples;     /* request/response pairs the offset was estimated from */
	bool offset_from_log;        /* a log point: estimated by log.h's packet-line matcher */
	bool offset_one_way;         /* no exchange crossed both ways (all answers lost): the offset is
				      * the median difference of one-way messages, delay included */
	int64_t delay_us;            /* one-way delay from the previous point, median; -1 unknown */
	uint32_t delay_samples;
	uint64_t messages;           /* IKE messages (or typed log packet lines) fed */
	uint64_t duplicates;         /* copies folded into a transmission already seen here */
	uint64_t unmatched;          /* log lines that matched no message of the captures */
};

/* One message at one point: all its transmissions there. */
struct ike_cmp_seen {
	uint32_t count;              /* transmissions seen (duplicates folded) */
	int64_t first_us, last_us;   /* the point's own clock; -1 when count is 0 */
	uint64_t first_frame;        /* frame (or log line) of the first; 0 when none */
	struct ike_addr src, dst;    /* as this point saw them (they differ behind a NAT) */
	uint16_t sport, dport;
};

/* One transmission of a message, across all points. */
struct ike_cmp_tx {
	uint32_t msg;                /* index of its message */
	uint32_t number;             /* 1 for the first transmission of the message, 2 for the next… */
	int64_t at_us[IKE_CMP_MAX_POINTS];    /* own clock of each point; -1 when not seen there */
	uint8_t at[IKE_CMP_MAX_POINTS];       /* enum ike_cmp_at per point */
	enum ike_cmp_status status;
	int lost_after, lost_before; /* point indexes of the hop where it vanished; -1 unless lost */
	int uncovered;               /* not-covered: the point that was not capturing; -1 otherwise */
	bool by_answer;              /* delivered, known from its response: a request whose far end
				      * was not capturing, answered before it was sent again */
};

/* One message: one set of bytes, however often it was sent. */
struct ike_cmp_msg {
	uint32_t sa;                 /* index of its IKE SA record */
	uint64_t ispi, rspi;         /* as in the header (rspi 0 in an IKE_SA_INIT request) */
	uint8_t exchange;            /* exchange type number */
	uint32_t mid;
	bool response;
	bool initiator;              /* the I flag: sent by the IKE SA's original initiator */
	uint32_t length;             /* IKE length */
	uint64_t hash;               /* of the message bytes (64-bit FNV-1a) */
	uint16_t frag_num, frag_total; /* SKF, 0 otherwise: each fragment is a message of its own */
	bool log_only;               /* known from log lines alone (no capture saw it) */

	enum ike_xkind kind;         /* from the exchange tracker of the first capture that saw it */
	bool kind_known, kind_inferred;

	enum ike_cmp_dir dir;
	bool dir_inferred;           /* from where it was seen, not from its times at two points */
	int origin;                  /* the point at the sending end of the path (first or last) */
	int64_t first_us;            /* first transmission, in the reference point's clock */

	struct ike_cmp_seen seen[IKE_CMP_MAX_POINTS];

	uint32_t first_tx, n_tx;     /* its transmissions in ike_compare_tx() order */
	uint32_t tx_dropped;         /* beyond the transmission cap */
	uint32_t delivered, lost, not_covered; /* transmissions by status */
	enum ike_cmp_status status;  /* delivered if one transmission was; else lost if one was; else not-covered */
	int lost_after, lost_before; /* the hop most of its lost transmissions vanished at; -1 */
	enum ike_cmp_dir loss;       /* dir when lost, IKE_CMP_DIR_UNKNOWN otherwise */
};

/* Messages grouped by IKE SA (initiator SPI, then responder SPI once known). */
struct ike_cmp_sa {
	uint64_t ispi, rspi;
	uint32_t first_msg, n_msgs;  /* its messages in ike_compare_msg() order (by first transmission) */
	enum ike_cmp_dir initiator_dir; /* the way its initiator's requests travel; unknown if undecided */
	int64_t first_us;
};

/* Per direction totals over all messages. */
struct ike_cmp_dir_sum {
	uint32_t messages, transmissions;
	uint32_t delivered, lost, not_covered;          /* transmissions */
	uint32_t messages_lost;                         /* messages with no transmission delivered */
	uint32_t lost_at[IKE_CMP_MAX_POINTS];           /* lost transmissions by lost_after point */
	uint32_t lost_hop[IKE_CMP_MAX_POINTS][IKE_CMP_MAX_POINTS]; /* by [lost_after][lost_before] */
};

struct ike_cmp_summary {
	unsigned n_points;
	int reference;               /* the point whose clock the offsets are given against: the
				      * first capture (log times are to the second); -1 if none */
	struct ike_cmp_dir_sum toward_peer, toward_local, unknown_dir;
};

struct ike_cmp_stats {
	uint64_t messages_dropped;   /* observations of messages beyond the message cap */
	uint64_t tx_dropped;         /* transmissions beyond the transmission cap */
	uint64_t obs_dropped;        /* observations beyond the observation cap */
	uint64_t ikev1_ignored;      /* IKEv1 or headerless messages */
	uint64_t log_lines_unmatched; /* log packet lines with no message to match */
	bool incomplete;             /* memory ran out while matching: some records are missing */
	size_t max_messages, max_tx, max_obs; /* the caps in force */
};

struct ike_compare_opts {
	size_t max_messages; /* 0 = IKE_CMP_DEF_MESSAGES */
	size_t max_tx;       /* 0 = IKE_CMP_DEF_TX */
	size_t max_obs;      /* 0 = IKE_CMP_DEF_OBS */
};

struct ike_compare; /* owned; free with ike_compare_free() */

struct ike_compare *ike_compare_new(const struct ike_compare_opts *opts); /* opts may be NULL; NULL on OOM */
void ike_compare_free(struct ike_compare *c);

/*
 * Adds the next vantage point along the path (name is copied, truncated to
 * IKE_CMP_NAME_MAX). Every point is added before the first message or log
 * event is fed (a log is paired then with the capture at its end: the first
 * capture for a log before all captures, the last one otherwise). Returns
 * its index, or -1 past IKE_CMP_MAX_POINTS, after feeding began, or on OOM.
 */
int ike_compare_add_point(struct ike_compare *c, const char *name, enum ike_cmp_point_kind kind);

/* A capture point's frame at us (µs since the epoch), IKE or not: widens the time the point covers. */
void ike_compare_cover(struct ike_compare *c, int point, int64_t us);

/*
 * Feeds one message seen at a capture point, in capture order. m is
 * borrowed for the call only. Returns IKE_OK, or IKE_E_NOMEM (the message
 * is dropped and counted); a cap hit is counted and returns IKE_OK.
 */
enum ike_err ike_compare_add_msg(struct ike_compare *c, int point, const struct ike_msg *m);

/*
 * Feeds one event of a log point, in time order. Only `generating` /
 * `parsed` and the `sending packet` / `received packet` line that follows
 * are kept; others are ignored. ev is borrowed for the call only.
 */
enum ike_err ike_compare_add_log(struct ike_compare *c, int point, const struct ike_log_event *ev);

/*
 * Matches everything: clock offsets and delays, transmissions, directions,
 * statuses, the summary. Call once, after the last add.
 */
void ike_compare_finish(struct ike_compare *c);

/* After finish. Records are borrowed from c. */
size_t ike_compare_n_points(const struct ike_compare *c);
const struct ike_cmp_point *ike_compare_point(const struct ike_compare *c, size_t i);
size_t ike_compare_n_sas(const struct ike_compare *c);
const struct ike_cmp_sa *ike_compare_sa(const struct ike_compare *c, size_t i);
size_t ike_compare_n_msgs(const struct ike_compare *c);
const struct ike_cmp_msg *ike_compare_msg(const struct ike_compare *c, size_t i);
size_t ike_compare_n_tx(const struct ike_compare *c);
const struct ike_cmp_tx *ike_compare_tx(const struct ike_compare *c, size_t i);
void ike_compare_summary(const struct ike_compare *c, struct ike_cmp_summary *out);
void ike_compare_stats(const struct ike_compare *c, struct ike_cmp_stats *out);

/*
 * Printers (src/output/out_compare.c).
 * Text: per IKE SA a row per transmission with a column per point (time
 * seen, or where it vanished), then per direction a summary and one
 * conclusion sentence per lost message.
 */
void ike_out_text_compare(FILE *f, const struct ike_compare *c);
/* One "compare" object per message, then one "compare_summary" object. */
void ike_out_json_compare(FILE *f, const struct ike_compare *c);
/* The conclusion for one lost message ("INFORMATIONAL request 2 (DPD) from local: sent 4 times,
 * reached isp 4/4, reached peer 0/4 → lost between isp and peer"); cap >= 256. */
char *ike_compare_conclusion(const struct ike_compare *c, const struct ike_cmp_msg *m, char *buf, size_t cap);

#endif
