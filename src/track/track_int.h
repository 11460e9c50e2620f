/*
 * track_int.h — the tracker's private state, shared by its files: the facts
 * copied out of each message, and the per-exchange and per-SA working records
 * behind the public ones.
 */
#ifndef IKESCOPE_TRACK_INT_H
#define IKESCOPE_TRACK_INT_H

#include "ikescope/track.h"
#include "util/pairmap.h"

/* Exchange types, payload types and notify types the tracker reads. */
#define TRK_EXCH_IKE_SA_INIT 34
#define TRK_EXCH_IKE_AUTH 35
#define TRK_EXCH_CREATE_CHILD_SA 36
#define TRK_EXCH_INFORMATIONAL 37

#define TRK_PT_SA 33
#define TRK_PT_KE 34
#define TRK_PT_AUTH 39
#define TRK_PT_N 41
#define TRK_PT_D 42
#define TRK_PT_EAP 48
#define TRK_PT_SK 46
#define TRK_PT_SKF 53

#define TRK_N_INVALID_KE_PAYLOAD 17
#define TRK_N_AUTHENTICATION_FAILED 24
#define TRK_N_ERROR_MAX 16383 /* notify types below 16384 are errors */
#define TRK_N_COOKIE 16390
#define TRK_N_REKEY_SA 16393

/* Request (or response) copies told apart per fragment number. */
#define TRK_FRAG_SLOTS 4
/* Recent COOKIE / INVALID_KE answers a new IKE_SA_INIT may restart. */
#define TRK_RESTARTS 64

/* What the tracker keeps of one message (or of one direction of an exchange). */
struct trk_facts {
	bool seen;
	bool encrypted;      /* has SK or SKF */
	bool decrypted;      /* inner payloads were read (or nothing was encrypted) */
	bool split;          /* sk_ct holds the ciphertext length alone */
	uint32_t sk_len;     /* SK: bytes after the generic header (IV, ciphertext, ICV) */
	uint32_t sk_ct;      /* ciphertext length when split */
	uint16_t n_inner;    /* decrypted inner payloads */
	bool has_ike_prop;   /* SA payload with an IKE proposal */
	uint64_t prop_spi;   /* its 8-byte SPI */
	bool rekey_sa, del_ike, del_child, mobike, has_auth, has_eap;
	bool cookie, cookie_first; /* N(COOKIE) anywhere / as the first payload */
	bool invalid_ke;
	uint16_t ke_suggested; /* INVALID_KE_PAYLOAD data */
	uint16_t ke_group;
	uint16_t error;        /* first error notify */
};

/* Fills f from m; proposal (may be NULL) receives the first SA proposal's text. */
void trk_facts_read(const struct ike_msg *m, struct trk_facts *f, char *proposal, size_t cap);
/* Merges the facts of another fragment or copy into f. */
void trk_facts_merge(struct trk_facts *f, const struct trk_facts *g);
/* The algorithms an SA payload's first proposal names (IKE_SA_INIT response). */
bool trk_sa_algs(const struct ike_msg *m, struct ike_sa_algs *out);
uint64_t trk_hash(struct ike_span bytes); /* 64-bit FNV-1a */

struct trk_copies { /* copies of one direction, per fragment number */
	uint16_t frag[TRK_FRAG_SLOTS];
	uint64_t hash[TRK_FRAG_SLOTS];
	uint32_t count[TRK_FRAG_SLOTS];
	uint8_t n;
};

struct trk_x {
	struct ike_exchange_rec r;
	struct trk_copies req_c, resp_c;
	struct trk_facts req, resp;
	bool rekey_inferred; /* lineage showed it rekeyed the IKE SA (outcome() keeps the kind) */
	uint32_t moved_to;   /* streaming: its position after the arrays are compacted */
};

/* r comes first: a handed-out struct ike_sa_rec leads back to its trk_sa. */
struct trk_sa {
	struct ike_sa_rec r;
	size_t sk_min;        /* smallest SK body (IV + one block + ICV); 0 = unknown */
	size_t sk_block;      /* cipher block size (1 for counter modes and AEAD) */
	bool init_seen;       /* its IKE_SA_INIT request or response was seen */
	bool has_successor;   /* a later SA follows it (rekey or restart): how, below */
	enum ike_sa_link succ_link;
	bool succ_link_inferred;
	bool half_open_key;   /* opened by an IKE_SA_INIT: (ispi, 0) maps to it too */
	bool going;           /* streaming: handed out, to be dropped by the compaction */
	uint32_t moved_to;    /* streaming: its position after the compaction */
	int64_t last_i_us, last_r_us; /* last message sent by its initiator / responder */
	uint32_t *xs;         /* its exchanges, in order of creation */
	uint32_t n_xs, cap_xs;
};

struct trk_restart {
	struct ike_addr i, r; /* initiator and responder of the answered attempt */
	uint32_t sa;
	uint16_t group;       /* INVALID_KE_PAYLOAD: the group the responder wants */
	enum ike_sa_link link;
	int64_t ts;
};

struct ike_tracker {
	struct ike_tracker_opts opts;
	struct trk_sa *sas;
	size_t n_sas, cap_sas;
	struct trk_x *xs;
	size_t n_xs, cap_xs;
	struct ike_pairmap sa_map; /* (ispi, rspi) → SA; (ispi, 0) for a half-open one */
	struct ike_pairmap x_map;  /* (sa << 1 | by_initiator, mid) → exchange */
	struct trk_restart restarts[TRK_RESTARTS];
	unsigned n_restarts, next_restart;
	uint32_t *order;       /* exchanges grouped by SA, after finish */
	bool finished;
	uint32_t next_index;   /* r.index of the next SA (positions shift when a sink takes SAs) */
	int64_t now_us;        /* latest message time */
	size_t next_check;     /* streaming: bytes held at which to look for finished SAs again */
	int64_t next_check_us; /* … or capture time */
	uint64_t msgs_at_check; /* messages fed when it last looked */
	struct ike_track_stats st;
};

int64_t trk_us(const struct ike_origin *at);
bool trk_addr_eq(const struct ike_addr *a, const struct ike_addr *b);
/* Whether two SAs run between the same two addresses (either way round). */
bool trk_same_peers(const struct ike_sa_rec *a, const struct ike_sa_rec *b);
/* Records that SA si (a position) follows SA pred: how, and whether inferred. */
void trk_link(struct ike_tracker *t, size_t pred, size_t si, enum ike_sa_link how, bool inferred);

/* The inference passes: outcomes of every exchange held (again safe: what a
 * later pass decided is kept), lineage of one SA, then what only the whole SA
 * shows (informational kinds, established, end). trk_infer() runs them all. */
void trk_infer_outcomes(struct ike_tracker *t);
void trk_infer_lineage(struct ike_tracker *t, size_t si);
void trk_infer_sa(struct ike_tracker *t, size_t si, int64_t end_us);
void trk_infer(struct ike_tracker *t, int64_t end_us);
/* Whether SA si could still become the predecessor of an SA not seen yet (an
 * answered CREATE_CHILD_SA that may be an IKE rekey, and no successor). */
bool trk_may_have_successor(const struct ike_tracker *t, size_t si);

/* Streaming (stream.c): hands finished SAs to the sink when the budget says so. */
enum ike_err trk_stream_check(struct ike_tracker *t);
/* Hands every SA still held to the sink, in order. */
void trk_stream_rest(struct ike_tracker *t);

#endif
