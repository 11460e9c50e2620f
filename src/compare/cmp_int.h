/*
 * cmp_int.h — the comparator's private state, shared by its files: what is
 * kept while the points are fed (messages, observations, log lines), and the
 * ordered records ike_compare_finish() builds from them.
 */
#ifndef IKESCOPE_CMP_INT_H
#define IKESCOPE_CMP_INT_H

#include "ikescope/compare.h"
#include "util/pairmap.h"

/* One message seen once at one point. */
struct cmp_obs {
	uint32_t msg;
	uint8_t point;
	int64_t us;     /* the point's own clock */
	uint64_t frame; /* frame, or log line */
};

/* A log packet line with the message line that names it. */
struct cmp_logline {
	uint8_t point;
	bool sent;       /* sending packet (else received packet) */
	uint8_t exchange;
	bool response;
	uint32_t mid;
	uint32_t length;
	int64_t us;
	uint64_t line;
	struct ike_log_host from, to;
};

/* Per log point: the packet line waiting for its `parsed` line, per thread,
 * and the last `generating` line, per thread, waiting for its packet line. */
#define CMP_LOG_THREADS 64
struct cmp_logstate {
	struct {
		bool pending;
		struct {
			struct ike_log_host from, to;
			uint32_t bytes;
			int64_t us;
			uint64_t line;
		} pkt;
		bool have_gen;
		uint8_t gen_exchange;
		bool gen_response;
		uint32_t gen_mid;
	} th[CMP_LOG_THREADS];
	/* the exchange of each recent request message ID (for retransmit lines) */
	struct {
		uint32_t mid;
		uint8_t exchange;
		bool response;
		bool used;
	} recent[16];
	unsigned n_recent;
	struct ike_log_clock *clock; /* against the capture at the same end */
	int capture;                 /* that capture's point, -1 */
	bool local_end;              /* the log of the first point's end (else the last's) */
	bool have_first;
	struct ike_log_time first_t; /* its first timed line (to move it out of the nominal year) */
};

struct ike_compare {
	size_t max_messages, max_tx, max_obs;
	struct ike_cmp_point points[IKE_CMP_MAX_POINTS];
	unsigned n_points;
	struct ike_tracker *trackers[IKE_CMP_MAX_POINTS]; /* capture points: the kind of each exchange */
	int64_t track_end[IKE_CMP_MAX_POINTS];
	struct cmp_logstate *logs[IKE_CMP_MAX_POINTS];

	struct ike_cmp_msg *msgs;
	size_t n_msgs, cap_msgs;
	struct ike_pairmap by_bytes;
	struct ike_pairmap by_exchange; /* exchange key and direction -> first message (cmp_sort_obs) */

	struct cmp_obs *obs;
	size_t n_obs, cap_obs;
	uint32_t *obs_first; /* after cmp_sort_obs: message i's observations are [obs_first[i], obs_first[i + 1]) */
	bool log_found[IKE_CMP_MAX_POINTS]; /* log points: the clock against their capture */
	int64_t log_offset[IKE_CMP_MAX_POINTS]; /* capture time minus log time */

	struct cmp_logline *lines;
	size_t n_lines, cap_lines;
	int32_t *log_vote; /* per message: log lines saying toward the peer (+1) or toward local (-1) */

	struct ike_cmp_tx *tx;
	size_t n_tx, cap_tx;

	struct ike_cmp_sa *sas;
	size_t n_sas;

	struct ike_cmp_summary sum;
	struct ike_cmp_stats st;
	bool finished;
	bool sealed; /* points fixed: each log knows the capture at its end */
};

/* clock.c: offsets and delays of the capture points (log points: cmp_log_offsets). */
void cmp_clock(struct ike_compare *c);
/* cmp_log.c: the log points' offsets, then their lines turned into observations. */
void cmp_log_offsets(struct ike_compare *c);
void cmp_log_match(struct ike_compare *c);
void cmp_log_free(struct cmp_logstate *s);
/* Fixes the points: called by the first add, before which every point must be added. */
void cmp_seal(struct ike_compare *c);
/* match.c: transmissions, directions, statuses, SA grouping; then order.c. */
int cmp_match(struct ike_compare *c);
/* order.c: exchange kinds from the trackers (before matching), the records
 * reordered for reading (sa_of: each message's SA index), the summary. */
void cmp_kinds(struct ike_compare *c);
int cmp_reorder(struct ike_compare *c, const uint32_t *sa_of);
void cmp_summarise(struct ike_compare *c);

/* Shared helpers (compare.c). */
int cmp_add_obs(struct ike_compare *c, uint32_t msg, unsigned point, int64_t us, uint64_t frame);
bool cmp_is_capture(const struct ike_compare *c, unsigned p);
/* The observations sorted by message, point, time (after cmp_sort_obs). */
void cmp_sort_obs(struct ike_compare *c);
/* Message msg's observations at point p (sorted by time); *n is their number. */
const struct cmp_obs *cmp_obs_at(const struct ike_compare *c, uint32_t msg, unsigned p, size_t *n);
/* The request a response answers, or the response of a request: same SA, exchange, message ID. */
bool cmp_partner(const struct ike_compare *c, uint32_t msg, uint32_t *out);
/* A new message record, zeroed, its hops and sightings unset; NULL when out of memory. */
struct ike_cmp_msg *cmp_msg_push(struct ike_compare *c, uint32_t *index);

/* Key of an exchange (initiator SPI, exchange, message ID, which side asked) for an ike_pairmap. */
void cmp_exchange_key(const struct ike_cmp_msg *m, bool response, uint64_t *a, uint64_t *b);

#endif
