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
};

struct trk_sa {
	struct ike_sa_rec r;
	size_t sk_min;        /* smallest SK body (IV + one block + ICV); 0 = unknown */
	size_t sk_block;      /* cipher block size (1 for counter modes and AEAD) */
	bool init_seen;       /* its IKE_SA_INIT request or response was seen */
	int64_t successor;    /* SA created by its rekey, -1 */
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
	struct ike_track_stats st;
};

int64_t trk_us(const struct ike_origin *at);
bool trk_addr_eq(const struct ike_addr *a, const struct ike_addr *b);
/* Whether two SAs run between the same two addresses (either way round). */
bool trk_same_peers(const struct ike_sa_rec *a, const struct ike_sa_rec *b);
/* The inference and end-of-SA pass of ike_tracker_finish(). */
void trk_infer(struct ike_tracker *t, int64_t end_us);

#endif
