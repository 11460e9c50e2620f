/*
 * track.h — exchanges and IKE SAs from the message stream.
 *
 * The tracker is fed every decoded message of one capture (one vantage point)
 * in capture order. It pairs each request with its response (keyed by SPI
 * pair, message ID and which side asked: each side has its own message-ID
 * space), counts retransmissions (the same request bytes sent again), joins
 * the IKE_SA_INIT request (responder SPI zero) to its response, links COOKIE
 * and INVALID_KE_PAYLOAD restarts and IKE SA rekeys (lineage), and tells how
 * each IKE SA ended. With decrypted messages the kind of an exchange is exact;
 * without keys it is inferred from what the wire still shows (exchange type,
 * SK payload sizes against the cipher the IKE_SA_INIT response named, timing)
 * and marked so.
 *
 * Results are read after ike_tracker_finish() as records; printers live in
 * src/output/out_track.c. The tracker never prints. Everything it keeps is
 * capped; a cap hit is counted in struct ike_track_stats, never a crash.
 *
 * With a sink (struct ike_tracker_opts) the tracker streams instead: once its
 * records pass half a memory budget, IKE SAs that have been quiet long enough
 * to be over are finished early, handed to the sink and forgotten, so memory
 * stays within the budget whatever the length of the capture; finish hands
 * over the rest. Without a sink nothing is handed out before the end.
 */
#ifndef IKESCOPE_TRACK_H
#define IKESCOPE_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/ike.h"

#define IKE_TRACK_MAX_TX 8       /* transmission times kept per exchange (more are counted) */
#define IKE_TRACK_MAX_FRAMES 12  /* frame numbers kept per exchange (more are counted) */
/*
 * Without a sink every record is kept until the tracker is freed: about 600
 * bytes per exchange and 400 per IKE SA (with their index slots), so memory
 * follows the number of exchanges in the capture, not its size, and is bounded
 * by the caps: about 700 MB at the default ones. With a sink, by the budget.
 */
#define IKE_TRACK_DEF_SAS 100000         /* default cap on IKE SAs per tracker */
#define IKE_TRACK_DEF_EXCHANGES 1000000  /* default cap on exchanges per tracker */

enum ike_xkind {
	IKE_XK_IKE_SA_INIT = 0,
	IKE_XK_IKE_AUTH,       /* every round, EAP included */
	IKE_XK_CREATE_CHILD,
	IKE_XK_REKEY_CHILD,    /* CREATE_CHILD_SA with REKEY_SA */
	IKE_XK_REKEY_IKE,      /* CREATE_CHILD_SA with an IKE proposal */
	IKE_XK_DPD,            /* an empty INFORMATIONAL */
	IKE_XK_DELETE_CHILD,
	IKE_XK_DELETE_IKE,
	IKE_XK_MOBIKE,         /* INFORMATIONAL with UPDATE_SA_ADDRESSES and friends */
	IKE_XK_INFORMATIONAL,  /* any other INFORMATIONAL */
	IKE_XK_OTHER,          /* exchange types beyond RFC 7296 (IKE_INTERMEDIATE, …) */
};
const char *ike_xkind_name(enum ike_xkind k); /* "ike-sa-init", "rekey-child", … */

enum ike_xoutcome {
	IKE_XO_ANSWERED = 0,
	IKE_XO_UNANSWERED,
	IKE_XO_ERROR, /* the response carries an error notify (or COOKIE / INVALID_KE restart) */
};
const char *ike_xoutcome_name(enum ike_xoutcome o); /* "answered", "unanswered", "error" */

enum ike_sa_end {
	IKE_END_UP = 0,            /* still up when the capture ends */
	IKE_END_DELETED_BY_INITIATOR,
	IKE_END_DELETED_BY_RESPONDER,
	IKE_END_DPD_TIMEOUT,       /* an unanswered request, then silence or a new IKE_SA_INIT */
	IKE_END_REKEYED,
	IKE_END_FAILED,            /* never established */
};
const char *ike_sa_end_name(enum ike_sa_end e); /* "up", "deleted-by-initiator", … */

/* How an IKE SA follows its predecessor. */
enum ike_sa_link {
	IKE_LINK_NONE = 0,
	IKE_LINK_REKEY,       /* created by an IKE SA rekey of the predecessor */
	IKE_LINK_COOKIE,      /* restarts an IKE_SA_INIT answered with COOKIE */
	IKE_LINK_INVALID_KE,  /* restarts an IKE_SA_INIT answered with INVALID_KE_PAYLOAD */
};
const char *ike_sa_link_name(enum ike_sa_link l); /* "none", "rekey", "cookie", "invalid-ke" */

/*
 * Retransmission schedule fitted to the gaps between transmissions, against
 * strongSwan's: the wait before retransmission n+1 is timeout × base^n
 * (defaults 4 s and 1.8, 5 retransmissions, giving up 165 s after the first send).
 */
enum ike_retx_verdict {
	IKE_RETX_NONE = 0,          /* fewer than two gaps: nothing to fit (timeout alone if one) */
	IKE_RETX_STRONGSWAN_DEFAULT, /* timeout ≈ 4 s and base ≈ 1.8 */
	IKE_RETX_STRONGSWAN,        /* exponential, with other settings */
	IKE_RETX_FIXED_INTERVAL,    /* base ≈ 1: not strongSwan's backoff */
	IKE_RETX_IRREGULAR,         /* gaps do not follow timeout × base^n */
};
const char *ike_retx_verdict_name(enum ike_retx_verdict v); /* "none", "strongswan-default", … */

struct ike_retx_fit {
	unsigned n_gaps;
	double timeout_s;   /* fitted first wait (0 without a gap) */
	double base;        /* fitted growth factor (0 with fewer than two gaps) */
	double max_rel_err; /* largest |observed - fitted| / fitted over the gaps */
	double give_up_s;   /* when a sender with this schedule gives up, from the first send:
			     * strongSwan waits timeout × base^n after its n-th retransmission */
	enum ike_retx_verdict verdict;
};

struct ike_exchange_rec {
	uint32_t sa;        /* index of its IKE SA record */
	uint32_t file;
	uint64_t ispi, rspi;
	uint8_t exchange;   /* exchange type number */
	uint32_t mid;
	bool by_initiator;  /* the request came from the IKE SA's original initiator */
	struct ike_addr from, to; /* requester, responder (as the first message showed them) */
	uint16_t sport, dport;
	enum ike_xkind kind;
	bool inferred;      /* kind (or error) from sizes and timing, not from decrypted payloads */
	enum ike_xoutcome outcome;
	uint16_t error;     /* the error notify type, 0 when none */
	bool error_inferred; /* an error response recognised by its size only (error stays 0) */
	uint32_t transmissions; /* request copies seen (a fragmented request counts once per round) */
	uint32_t responses;     /* response copies seen: more than one means an earlier one was lost */
	bool request_changed;   /* a copy with the same message ID but different bytes */
	int64_t first_us, last_us; /* first and last request copy, µs since the epoch; -1 when no request seen */
	int64_t response_us;       /* first response, -1 when none */
	int64_t rtt_us;            /* first response minus the last request copy before it; -1 */
	int64_t tx_us[IKE_TRACK_MAX_TX]; /* transmission times */
	uint32_t n_tx;
	uint64_t frames[IKE_TRACK_MAX_FRAMES]; /* request and response frames, in capture order */
	uint32_t n_frames, frames_dropped;
	uint32_t req_len, resp_len; /* IKE length of the first request / response */
	struct ike_retx_fit retx;   /* from tx_us, when there are two transmissions or more */
};

struct ike_sa_rec {
	uint32_t index;
	uint32_t file;
	uint64_t ispi, rspi;
	struct ike_addr init_addr, resp_addr;
	uint16_t init_port, resp_port;
	int64_t first_us, last_us; /* first and last message */
	bool established;
	bool established_inferred; /* judged from sizes and later exchanges, without keys */
	int64_t established_us;    /* the IKE_AUTH response that completed it, -1 */
	char proposal[160];        /* charon's format, from the IKE_SA_INIT response (or the rekey) */
	uint16_t ke_group;         /* KE group of the IKE_SA_INIT, 0 if none */
	int64_t predecessor;       /* index of the IKE SA it follows, -1 */
	uint64_t pred_ispi, pred_rspi; /* that SA's SPIs (it may have been handed out already) */
	enum ike_sa_link link;
	bool link_inferred;
	enum ike_sa_end end;
	bool end_inferred;
	int64_t end_us;            /* when it ended (last message, or the give-up time); -1 for up */
	uint32_t n_exchanges;      /* exchanges recorded */
	uint32_t first_exchange;   /* index of its first exchange in ike_tracker_exchange() order
				    * (after finish; ike_tracker_sa_exchange() works at any time) */
	uint32_t exchanges_dropped; /* beyond the caps */
};

struct ike_track_stats {
	uint64_t messages;         /* fed */
	uint64_t ignored;          /* IKEv1, or no usable header */
	uint64_t sas_dropped;      /* messages of IKE SAs beyond the SA cap */
	uint64_t exchanges_dropped; /* messages of exchanges beyond the exchange cap */
	uint64_t orphan_responses; /* responses whose request was never seen */
	uint64_t sas_streamed;     /* IKE SAs handed to the sink before finish */
	uint64_t sas_forced;       /* of those, finished early by the budget before they were quiet */
	size_t max_sas, max_exchanges; /* the caps in force */
};

struct ike_tracker;

/* Receives one finished IKE SA; its exchanges are read with
 * ike_tracker_sa_exchange() during the call only. */
typedef void (*ike_tracker_sink)(void *ctx, const struct ike_tracker *t, const struct ike_sa_rec *sa);

#define IKE_TRACK_DEF_BUDGET (24u << 20) /* bytes of records a streaming tracker keeps */
#define IKE_TRACK_DEF_SETTLE_US (600 * 1000000LL) /* quiet time after which an IKE SA is over:
	* well beyond strongSwan's 165 s of retransmissions and a DPD interval */

struct ike_tracker_opts {
	size_t max_sas;        /* 0 = IKE_TRACK_DEF_SAS */
	size_t max_exchanges;  /* 0 = IKE_TRACK_DEF_EXCHANGES */
	ike_tracker_sink sink; /* NULL: keep everything until the end */
	void *sink_ctx;
	size_t budget;         /* with a sink: bytes of records; 0 = IKE_TRACK_DEF_BUDGET */
	int64_t settle_us;     /* with a sink: 0 = IKE_TRACK_DEF_SETTLE_US */
};

/* owned; free with ike_tracker_free() */

struct ike_tracker *ike_tracker_new(const struct ike_tracker_opts *opts); /* opts may be NULL; NULL on OOM */
void ike_tracker_free(struct ike_tracker *t);

/*
 * Feeds one message, in capture order. m is borrowed for the call only: what
 * the tracker keeps is copied. Returns IKE_OK, or IKE_E_NOMEM (the message is
 * then dropped and counted).
 */
enum ike_err ike_tracker_add(struct ike_tracker *t, const struct ike_msg *m);

/*
 * Closes the capture at end_us (µs since the epoch; the last frame's time):
 * infers kinds without keys, outcomes, retransmission fits, lineage and how
 * every IKE SA ended. Call once, after the last ike_tracker_add().
 */
void ike_tracker_finish(struct ike_tracker *t, int64_t end_us);

/* After finish: IKE SAs in order of their first message, exchanges grouped
 * by IKE SA and in order of their first message within it. Borrowed from t.
 * With a sink, only the SAs that were not streamed out are still here (i is
 * then a position, no longer the SA's index). */
size_t ike_tracker_n_sas(const struct ike_tracker *t);
const struct ike_sa_rec *ike_tracker_sa(const struct ike_tracker *t, size_t i);
size_t ike_tracker_n_exchanges(const struct ike_tracker *t);
const struct ike_exchange_rec *ike_tracker_exchange(const struct ike_tracker *t, size_t i);
void ike_tracker_stats(const struct ike_tracker *t, struct ike_track_stats *out);
/* The k-th exchange (k < sa->n_exchanges) of an SA record the tracker handed
 * out: from ike_tracker_sa() after finish, or the sink's argument. */
const struct ike_exchange_rec *ike_tracker_sa_exchange(const struct ike_tracker *t, const struct ike_sa_rec *sa,
						       size_t k);

/* Fits the schedule to n transmission times (µs, ascending). */
void ike_retx_fit(const int64_t *tx_us, size_t n, struct ike_retx_fit *out);

/*
 * Printers over the records (src/output/out_track.c). file_name labels the
 * capture (JSON always names it; text only when not NULL).
 */
/* Per IKE SA a header (peers, SPIs, proposal, lifetime, end) and its exchanges. */
void ike_out_text_track(FILE *f, const struct ike_tracker *t, const char *file_name);
/* One "ike_sa" object per IKE SA, each followed by its "exchange" objects. */
void ike_out_json_track(FILE *f, const struct ike_tracker *t, const char *file_name);
void ike_out_json_sa(FILE *f, const struct ike_tracker *t, const struct ike_sa_rec *s, const char *file_name);
void ike_out_json_exchange(FILE *f, const struct ike_tracker *t, const struct ike_exchange_rec *x,
			   const char *file_name);

/* The same printers, fed SA by SA: ike_out_track_sa() is an ike_tracker_sink
 * (ctx: the struct below), ike_out_track_end() adds the closing notes. */
struct ike_out_track_stream {
	FILE *f;
	const char *file_name;
	bool json;
	bool inferred; /* an exchange with an inferred kind was printed */
};
void ike_out_track_sa(void *stream, const struct ike_tracker *t, const struct ike_sa_rec *sa);
void ike_out_track_end(struct ike_out_track_stream *st, const struct ike_tracker *t);

#endif
