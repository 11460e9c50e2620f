/*
 * rules_int.h — what the diagnosis files of src/correlate/ share: a failure
 * as the rules saw it, the outcome of a tunnel's replay, and the helpers
 * that turn it into the verdict (judge.c), its findings (findings.c) and the
 * proposal comparison (props.c).
 */
#ifndef IKESCOPE_RULES_INT_H
#define IKESCOPE_RULES_INT_H

#include "correlate/corr_int.h"

struct corr_fail {
	bool set;
	enum ike_corr_cause cause;
	uint32_t index;  /* the log line (or message, for capture rules) that showed it */
	bool from_capture;
	int64_t us;
	bool has_exchange;
	uint8_t exchange;
	uint32_t mid;
	enum ike_corr_requester requester;
	uint32_t retx_mid;          /* the retransmitted request before a give-up */
	int64_t req_index;          /* its `generating` line, -1 */
	uint32_t sends;             /* copies of the unanswered request sent (0 unknown) */
	int64_t first_send_us;      /* the first of them, -1 */
	int64_t send_us[8];         /* the times of the first copies (at most 8) */
	size_t n_send_us;
	uint32_t retx_lines[8];
	size_t n_retx_lines;
	uint32_t frames[8];         /* capture rules: the exchange's messages */
	size_t n_frames;
};

struct corr_outcome {
	bool up, ever_up, outage;
	struct corr_fail first, last, outage_fail, nonfatal;
	int64_t last_answered_dpd; /* the parsed response of the last answered DPD, -1 */
};

/* judge.c: symptom, cause, exchange, loss, explanation and evidence from the outcome */
void ike_corr_judge(struct ike_corr *c, struct ike_corr_verdict *v, const struct corr_outcome *o);
/* props.c */
void ike_corr_collect_proposals(struct ike_corr *c, struct ike_corr_verdict *v);
bool ike_corr_pfs_lacking(const struct ike_corr_proposals *p);    /* one end's ESP proposals have a KE, the other's none */
bool ike_corr_child_wants_pfs(const struct ike_corr_proposals *p); /* local's ESP proposals carry a KE */
/* The KE group named in a proposal list ("MODP_4096"), "" when none. */
void ike_corr_ke_of(const char *props, char *out, size_t cap);
/* The transform types that differ between two proposal lists ("KE", "ENCR/INTEG"), "" when none. */
void ike_corr_differing(const char *a, const char *b, char *out, size_t cap);
/* findings.c */
void ike_corr_findings(struct ike_corr *c, struct ike_corr_verdict *v);

#endif
