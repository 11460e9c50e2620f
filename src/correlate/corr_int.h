/*
 * corr_int.h — the correlator's state, shared by the files of src/correlate/
 * (correlate.c: storage and accessors; clock.c: log clocks and the merged
 * timeline; link.c: log line ⇄ frame links; tunnel.c: tunnels; rules.c and
 * caprules.c: diagnosis from logs and from captures; names.c: vocabulary).
 */
#ifndef IKESCOPE_CORR_INT_H
#define IKESCOPE_CORR_INT_H

#include "ikescope/correlate.h"

struct corr_file { /* one log file */
	bool seen;
	char host[IKE_LOG_NAME_MAX];
	uint32_t side;
	bool all_dated;      /* every line had a year and a zone: already UTC */
	bool undated;        /* some line had no year */
	bool has_offset;
	int64_t offset_us;   /* capture = log (year applied) + offset */
	int year;            /* the year applied to lines without one, 0 = none */
	struct ike_log_clock_result est;
	bool estimated;
	bool sampled;        /* the estimate saw a sample of the packet lines */
	bool has_span;
	struct ike_log_time t_first, t_last; /* of every line, kept or not */
	int64_t first_us, last_us;          /* the same on the capture clock */
};

struct ike_corr {
	struct ike_corr_opts o;
	struct ike_corr_log *logs;
	size_t n_logs, cap_logs;
	struct ike_corr_msg *msgs;
	size_t n_msgs, cap_msgs;
	struct ike_corr_entry *entries;
	size_t n_entries;
	struct ike_corr_link *links;
	size_t n_links, cap_links;
	struct ike_corr_finding *findings;
	size_t n_findings, cap_findings;
	struct ike_corr_verdict *verdicts;
	size_t n_verdicts;
	struct ike_tracker *trk[IKE_CORR_MAX_CAPTURES];
	bool trk_ended[IKE_CORR_MAX_CAPTURES];
	bool cap_read[IKE_CORR_MAX_CAPTURES]; /* ike_corr_end_capture() was called: the file was read */
	int64_t cap_first_us[IKE_CORR_MAX_CAPTURES], cap_last_us[IKE_CORR_MAX_CAPTURES];
	struct corr_file files[IKE_LOG_MAX_FILES];
	char local_host[IKE_LOG_NAME_MAX];
	bool have_local_host;
	int32_t home_capture[IKE_CORR_SIDES]; /* the capture at each end's log's host, -1 none */
	struct ike_corr_stats st;
	struct ike_log_stats log_st;
	bool has_log_st;
	bool finished;
};

/* clock.c */
void ike_corr_clock(struct ike_corr *c);
void ike_corr_timeline(struct ike_corr *c);
/* link.c */
void ike_corr_link_all(struct ike_corr *c);
/* tunnel.c */
void ike_corr_tunnels(struct ike_corr *c);
bool ike_corr_same_addr(const struct ike_addr *a, const struct ike_addr *b);
/* rules.c, caprules.c */
void ike_corr_rules(struct ike_corr *c);
void ike_corr_rules_capture(struct ike_corr *c, struct ike_corr_verdict *v);
/* correlate.c: a new finding of tunnel t (NULL when the cap is hit, counted) */
struct ike_corr_finding *ike_corr_add_finding(struct ike_corr *c, enum ike_corr_finding_kind k, int32_t tunnel,
					      int64_t us, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ike_corr_finding_ref(struct ike_corr_finding *f, enum ike_corr_src src, const struct ike_corr *c,
			  uint32_t index);
void ike_corr_verdict_ref(struct ike_corr_verdict *v, enum ike_corr_src src, const struct ike_corr *c,
			  uint32_t index);

#endif
