/*
 * correlate.h — charon log lines and captured IKE messages on one timeline,
 * linked to each other, and one verdict per tunnel.
 *
 * The correlator is fed log events (struct ike_log_event, from log.h) and
 * decoded capture messages (struct ike_msg); it copies what it keeps, so
 * both are borrowed for the call only. ike_corr_finish() then
 *   1. puts every log file on the capture clock (the year and zone from the
 *      options, else the offset estimated from packet lines, log.h),
 *   2. links log lines to frames: `sending/received packet` lines to the
 *      datagram with the same addresses, ports and IKE length; `generating`/
 *      `parsed` lines to the message with the same exchange, response flag
 *      and message ID; `retransmit N` lines to the N+1-th copy of a request,
 *   3. groups everything into tunnels (IKE SA name and peer address) and runs
 *      the diagnosis rules over the log events and the tracker's records,
 *      giving findings and one verdict per tunnel.
 *
 * Everything is read back through the accessors below (borrowed from the
 * correlator, valid until ike_corr_free()). Every growing list is capped;
 * what a cap drops is counted in struct ike_corr_stats. The correlator never
 * prints; printers are at the end of this header (src/output/out_correlate.c).
 */
#ifndef IKESCOPE_CORRELATE_H
#define IKESCOPE_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ikescope/ike.h"
#include "ikescope/log.h"
#include "ikescope/track.h"

#define IKE_CORR_MAX_LOGS 200000     /* typed log lines kept (untyped ones are counted only) */
#define IKE_CORR_MAX_MSGS 200000     /* capture messages kept */
#define IKE_CORR_MAX_CAPTURES 16     /* capture files (each has its own tracker) */
#define IKE_CORR_MAX_TUNNELS 256     /* tunnels (verdicts) */
#define IKE_CORR_MAX_FINDINGS 4096   /* findings over all tunnels */
#define IKE_CORR_MAX_EVIDENCE 16     /* references per verdict or finding */
#define IKE_CORR_EXPL_MAX 2048       /* explanation text of a verdict (appendable) */
#define IKE_CORR_TEXT_MAX 512        /* text of a finding */
#define IKE_CORR_PROP_MAX 512        /* one proposal list (as charon prints it) */
#define IKE_CORR_SUMMARY_MAX 256     /* a capture message's summary */

/* ---- vocabulary (DESIGN.md; stable, scripts match on the names) ------------- */

enum ike_corr_symptom {
	IKE_SYM_HEALTHY = 0,
	IKE_SYM_NOT_ESTABLISHED,
	IKE_SYM_FLAPPED,
	IKE_SYM_DOWN,
};
const char *ike_corr_symptom_name(enum ike_corr_symptom s); /* "healthy", "not-established", … */

enum ike_corr_cause {
	IKE_CAUSE_HEALTHY = 0,
	IKE_CAUSE_PEER_UNREACHABLE,
	IKE_CAUSE_IKE_PROPOSAL_MISMATCH,
	IKE_CAUSE_DH_GROUP_MISMATCH,
	IKE_CAUSE_AUTH_FAILED,
	IKE_CAUSE_TS_UNACCEPTABLE,
	IKE_CAUSE_CHILD_PROPOSAL_MISMATCH,
	IKE_CAUSE_PFS_MISMATCH,
	IKE_CAUSE_DPD_TIMEOUT,
	IKE_CAUSE_PEER_DELETED,
	IKE_CAUSE_LOCAL_DELETED,
	IKE_CAUSE_UNKNOWN,
};
const char *ike_corr_cause_name(enum ike_corr_cause c); /* "peer-unreachable", … */

enum ike_corr_loss {
	IKE_LOSS_NONE = 0, /* no message was lost (JSON null) */
	IKE_LOSS_TOWARD_PEER,
	IKE_LOSS_TOWARD_LOCAL,
	IKE_LOSS_UNKNOWN,  /* lost, but the vantage points given cannot say where */
};
const char *ike_corr_loss_name(enum ike_corr_loss l); /* NULL for NONE, "toward-peer", … */

/* Who sent the request of an exchange, seen from the local end. */
enum ike_corr_requester {
	IKE_REQ_UNKNOWN = 0,
	IKE_REQ_LOCAL,
	IKE_REQ_PEER,
};
const char *ike_corr_requester_name(enum ike_corr_requester r); /* "unknown", "local", "peer" */

/* ---- sources and references ------------------------------------------------- */

enum ike_corr_src {
	IKE_CORR_SRC_LOG = 0,  /* a log line: file index of the -l list, line number */
	IKE_CORR_SRC_CAPTURE,  /* a captured message: file index of the -r list, frame number */
};

/* Points at one kept log line or capture message. */
struct ike_corr_ref {
	enum ike_corr_src src;
	uint32_t file;
	uint64_t pos;   /* line (log) or frame (capture) */
	uint32_t index; /* into ike_corr_log() or ike_corr_msg() */
};

/* ---- what is kept ----------------------------------------------------------- */

/* Lines log.h leaves untyped that the rules still need. */
enum ike_corr_fact {
	IKE_FACT_NONE = 0,
	IKE_FACT_CHILD_UP,      /* "inbound CHILD_SA name{n} established …" (a rekeyed CHILD_SA) */
	IKE_FACT_CHILD_DOWN,    /* "closing expired CHILD_SA name{n} …" and other closing lines */
	IKE_FACT_REKEY_FAILED,  /* "CHILD_SA rekeying failed, trying again in …" */
	IKE_FACT_RESTART,       /* "restarting CHILD_SA name" (dpd_action/close_action restart) */
	IKE_FACT_PEER_ONLY,     /* peer-side lines the loss rule reads ("… is initiating an IKE_SA") */
	IKE_FACT_AUTH_REFUSED,  /* as responder: "tried N shared key … but MAC mismatched", a failed signature */
	IKE_FACT_TS_REFUSED,    /* as responder: "traffic selectors A === B unacceptable" */
};

/* A typed log line (any kind but IKE_LOG_OTHER and dump bytes), with the
 * facts the linker and the rules use. */
struct ike_corr_log {
	uint32_t file;
	uint64_t line;
	int64_t log_us;  /* the time as the line gives it (µs since the epoch, log clock) */
	int64_t us;      /* on the capture clock: log_us + the file's offset */
	struct ike_log_time t; /* as read, to re-base a line without a year */
	enum ike_log_kind kind;
	enum ike_corr_fact fact; /* what an untyped (IKE_LOG_OTHER) line kept for the rules says */
	int thread;      /* -1 when unknown */
	char sa_name[IKE_LOG_NAME_MAX]; /* from the line's prefix or its text ("" unknown) */
	uint32_t sa_uid;
	char *text;      /* message text after the prefixes (owned by the correlator) */
	/* MSG_GENERATED, MSG_PARSED */
	uint8_t exchange_id;
	bool response;
	uint32_t mid;
	/* PKT_SENT, PKT_RECEIVED; IKE_ESTABLISHED and friends (local, remote) */
	struct ike_log_host from, to;
	uint32_t bytes;
	bool has_bytes;
	/* RETRANSMIT (n of mid), GIVE_UP (n); CHILD_ESTABLISHED, CHILD_CLOSING and CHILD facts: the CHILD_SA id */
	uint32_t n;
	/* NOTIFY_ERROR, NO_CHILD_SA, NO_IKE_CONFIG */
	uint16_t notify;
	uint32_t side;   /* the end that wrote it: 0 local, 1 peer (another host name) */
	int32_t tunnel;  /* index of its tunnel/verdict, -1 when none */
	int64_t link;    /* index into ike_corr_msg(): the frame it speaks of; -1 unlinked */
	bool linkable;   /* a packet, generating/parsed or retransmit line: a link was looked for */
};

/* A capture message as kept. */
struct ike_corr_msg {
	uint32_t file;
	uint64_t frame;
	int64_t us;
	struct ike_addr src, dst;
	uint16_t sport, dport;
	enum ike_transport transport;
	uint64_t ispi, rspi;
	uint8_t exchange;
	uint32_t mid;
	bool response, initiator;
	uint32_t length;          /* IKE length */
	uint16_t frag_num, frag_total;
	char summary[IKE_CORR_SUMMARY_MAX]; /* charon's summary (truncated to fit) */
	uint16_t error;           /* first error notify (type < 16384) when decrypted or in clear, 0 */
	bool delete_ike;          /* carries a Delete payload for the IKE SA */
	uint32_t copy;            /* 1 for the first copy of a request, 2 for the first retransmission… */
	int32_t tunnel;
	int64_t link_packet;      /* index into ike_corr_log(): the sending/received packet line; -1 */
	int64_t link_message;     /* the generating/parsed line; -1 */
	int64_t link_retransmit;  /* the retransmit line, for a copy after the first; -1 */
};

/* One timeline entry: log lines and messages merged in time order. */
struct ike_corr_entry {
	/* the time it is placed at: a message's own; a log line linked to a frame takes the
	 * frame's (one-second log resolution), the others keep their file's order around them.
	 * Printers show the line's own time (ike_corr_log()->us). */
	int64_t us;
	enum ike_corr_src src;
	uint32_t index; /* into ike_corr_log() or ike_corr_msg() */
};

enum ike_corr_link_kind {
	IKE_CORR_LINK_PACKET = 0, /* sending/received packet line ⇄ frame */
	IKE_CORR_LINK_MESSAGE,    /* generating/parsed line ⇄ message */
	IKE_CORR_LINK_RETRANSMIT, /* retransmit line ⇄ the transmission it caused */
};
const char *ike_corr_link_kind_name(enum ike_corr_link_kind k); /* "packet", "message", "retransmit" */

struct ike_corr_link {
	enum ike_corr_link_kind kind;
	uint32_t log;   /* index into ike_corr_log() */
	uint32_t msg;   /* index into ike_corr_msg() */
	int64_t delta_us; /* frame time minus log time, both on the capture clock */
};

/* ---- findings and verdicts --------------------------------------------------- */

enum ike_corr_finding_kind {
	IKE_FIND_RETRANSMITTED = 0, /* a request sent more than once */
	IKE_FIND_GAVE_UP,           /* charon gave up on a request */
	IKE_FIND_INVALID_KE,        /* INVALID_KE_PAYLOAD answered, with the group asked for */
	IKE_FIND_PROPOSALS,         /* received vs configured proposals, differing transform named */
	IKE_FIND_NOTIFY_ERROR,      /* an error notify received or sent */
	IKE_FIND_DELETE,            /* an IKE_SA or CHILD_SA delete, who sent it */
	IKE_FIND_NO_REINITIATION,   /* the IKE SA went away and nothing re-initiated it */
	IKE_FIND_REKEY,             /* IKE or CHILD SA rekeyed */
	IKE_FIND_INTERFACE,         /* vEdge FTMD interface DOWN/UP */
	IKE_FIND_CLOCK,             /* the offset used to put a log on the capture clock */
	IKE_FIND_UNLINKED_LOG,      /* a packet/message line with no frame (capture missed it, or dropped before the tap) */
	IKE_FIND_UNLINKED_FRAME,    /* a frame with no log line (the daemon never saw it) */
	IKE_FIND_LOSS,              /* where a lost message died, and why we think so */
	IKE_FIND_LIMIT,             /* a cap was hit: what was not kept */
};
const char *ike_corr_finding_kind_name(enum ike_corr_finding_kind k); /* "retransmitted", … */

/* Proposals one end logged for one kind of SA (IKE or ESP/AH). */
struct ike_corr_propset {
	bool known;
	char received[IKE_CORR_PROP_MAX];   /* "received proposals: …" (last one logged) */
	char configured[IKE_CORR_PROP_MAX]; /* "configured proposals: …" */
	char selected[IKE_CORR_PROP_MAX];   /* "selected proposal: …", "" when none */
	char differing[128];                /* the transform type that differs ("KE", "ENCR", …), "" */
};

#define IKE_CORR_SIDE_LOCAL 0
#define IKE_CORR_SIDE_PEER 1
#define IKE_CORR_SIDES 2

/* Proposals per end: [side][0] IKE, [side][1] CHILD (ESP/AH). */
struct ike_corr_proposals {
	struct ike_corr_propset set[IKE_CORR_SIDES][2];
};

struct ike_corr_finding {
	enum ike_corr_finding_kind kind;
	int32_t tunnel;   /* -1 when it concerns no tunnel (clock) */
	int64_t us;
	char text[IKE_CORR_TEXT_MAX];
	uint32_t side;    /* the end it was seen at */
	uint32_t log_file; /* IKE_FIND_CLOCK: the log file */
	struct ike_log_clock_result clock; /* IKE_FIND_CLOCK */
	int64_t offset_us; /* IKE_FIND_CLOCK: offset used (capture = log + offset) */
	struct ike_corr_propset props; /* IKE_FIND_PROPOSALS */
	struct ike_corr_ref evidence[IKE_CORR_MAX_EVIDENCE];
	uint32_t n_evidence, evidence_dropped;
};

struct ike_corr_verdict {
	uint32_t tunnel;
	char name[IKE_LOG_NAME_MAX];   /* IKE SA (connection) name, "" when unknown */
	struct ike_addr local, peer;   /* family 0 when unknown */
	uint16_t local_port, peer_port;
	enum ike_corr_symptom symptom;
	enum ike_corr_cause cause;
	enum ike_corr_loss loss;
	bool loss_observed;           /* loss from both ends' evidence, not inferred from one */
	/* the failing (or deciding) exchange; has_exchange false when none */
	bool has_exchange;
	uint8_t exchange;             /* exchange type number */
	uint32_t mid;
	enum ike_corr_requester requester;
	int64_t ts_us;                /* when it failed (or the deciding moment), capture clock; -1 */
	int64_t down_us;              /* when the tunnel went down, -1 */
	/* plain text an engineer can act on; a config-aware caller may append with ike_corr_explain() */
	char explanation[IKE_CORR_EXPL_MAX];
	struct ike_corr_ref evidence[IKE_CORR_MAX_EVIDENCE];
	uint32_t n_evidence, evidence_dropped;
	struct ike_corr_proposals proposals;
	uint32_t first_finding, n_findings; /* its findings, contiguous in ike_corr_finding() order */
};

/* ---- the correlator ------------------------------------------------------------ */

struct ike_corr_opts {
	struct ike_log_opts log;  /* year and zone for log shapes without them */
	bool have_peer;           /* --peer: only the tunnel(s) with this peer address */
	struct ike_addr peer;
	bool have_around;         /* --around: only what happened within around_window_us of around_us */
	int64_t around_us;        /* capture clock (UTC) */
	int64_t around_window_us; /* 0 = 300 s */
	int64_t link_window_us;   /* 0 = 2 s: how far a log line may be from its frame, after the offset */
	int64_t clock_window_sec; /* 0 = 24 h: offsets the estimate considers */
};

struct ike_corr_stats {
	uint64_t log_events;     /* events given */
	uint64_t logs_untyped;   /* IKE_LOG_OTHER and dump bytes: counted, not kept */
	uint64_t logs_dropped;   /* beyond IKE_CORR_MAX_LOGS */
	uint64_t msgs;           /* messages given */
	uint64_t msgs_dropped;   /* beyond IKE_CORR_MAX_MSGS or IKE_CORR_MAX_CAPTURES */
	uint64_t tunnels_dropped;
	uint64_t findings_dropped;
	uint64_t links;
	uint64_t unlinked_logs;  /* linkable lines with no frame (only counted when a capture covers them) */
	uint64_t unlinked_msgs;  /* frames no line speaks of (only counted when a log of that end covers them) */
	uint64_t filtered;       /* entries left out by --peer / --around */
};

struct ike_corr; /* owned; free with ike_corr_free() */

struct ike_corr *ike_corr_new(const struct ike_corr_opts *opts); /* opts may be NULL; NULL on OOM */
void ike_corr_free(struct ike_corr *c);

/* Feeds one log event (from ike_log_next, in time order). Copied. IKE_OK or IKE_E_NOMEM. */
enum ike_err ike_corr_add_log(struct ike_corr *c, const struct ike_log_event *ev);
/* Feeds one decoded capture message: one capture after the other, each in capture order.
 * Copied; also fed to the file's tracker. */
enum ike_err ike_corr_add_msg(struct ike_corr *c, const struct ike_msg *m);
/* The end of one capture file (its last frame's time): closes its tracker. */
void ike_corr_end_capture(struct ike_corr *c, uint32_t file, int64_t end_us);
/* Clock, links, tunnels, rules. Call once after everything was fed. */
void ike_corr_finish(struct ike_corr *c);

size_t ike_corr_n_entries(const struct ike_corr *c);
const struct ike_corr_entry *ike_corr_entry(const struct ike_corr *c, size_t i);
size_t ike_corr_n_logs(const struct ike_corr *c);
const struct ike_corr_log *ike_corr_log(const struct ike_corr *c, size_t i);
size_t ike_corr_n_msgs(const struct ike_corr *c);
const struct ike_corr_msg *ike_corr_msg(const struct ike_corr *c, size_t i);
size_t ike_corr_n_links(const struct ike_corr *c);
const struct ike_corr_link *ike_corr_link(const struct ike_corr *c, size_t i);
size_t ike_corr_n_findings(const struct ike_corr *c);
const struct ike_corr_finding *ike_corr_finding(const struct ike_corr *c, size_t i);
size_t ike_corr_n_verdicts(const struct ike_corr *c);
const struct ike_corr_verdict *ike_corr_verdict(const struct ike_corr *c, size_t i);
/* The tracker of capture file `file` (NULL when none was fed). */
const struct ike_tracker *ike_corr_tracker(const struct ike_corr *c, uint32_t file);
/* The offset used for log file `file` (capture = log + offset); false when none was applied. */
bool ike_corr_log_offset(const struct ike_corr *c, uint32_t file, int64_t *offset_us,
			 struct ike_log_clock_result *est);
/* Which end log file `file` was written by (IKE_CORR_SIDE_LOCAL for the first host name seen). */
uint32_t ike_corr_log_side(const struct ike_corr *c, uint32_t file);
void ike_corr_stats(const struct ike_corr *c, struct ike_corr_stats *out);
/* False when some log lines have no year and none could be given them (no --log-year, no
 * capture to estimate from): their times then carry IKE_LOG_NOMINAL_YEAR, and printers show
 * the month, day and time only. */
bool ike_corr_dated(const struct ike_corr *c);

/* The log reader's counts (lines read, skipped and why), kept for the printers. */
void ike_corr_set_log_stats(struct ike_corr *c, const struct ike_log_stats *st);
const struct ike_log_stats *ike_corr_log_stats(const struct ike_corr *c); /* NULL when never set */

/* Appends text to verdict i's explanation (separated by a space; truncated to fit). */
void ike_corr_explain(struct ike_corr *c, size_t i, const char *text);

/* ---- printers (src/output/out_correlate.c) ------------------------------------ */

/* File labels for the printers: borrowed, indexed like the -l and -r lists. */
struct ike_corr_names {
	const char *const *logs;
	size_t n_logs;
	const char *const *captures;
	size_t n_captures;
};

/* The merged timeline (each line marked with its source, links shown), then the verdicts. */
void ike_out_text_correlate(FILE *f, const struct ike_corr *c, const struct ike_corr_names *names);
/* "log" objects (one per timeline log line), "link", "finding", then "verdict" objects, one per line. */
void ike_out_json_correlate(FILE *f, const struct ike_corr *c, const struct ike_corr_names *names);
/* Only the verdicts (text: one block each; JSON: "verdict" objects). */
void ike_out_text_verdicts(FILE *f, const struct ike_corr *c, const struct ike_corr_names *names);
void ike_out_json_verdict(FILE *f, const struct ike_corr *c, const struct ike_corr_verdict *v,
			  const struct ike_corr_names *names);

#endif
