/*
 * dissector.h — what each payload file under dissectors/ exports.
 *
 * One descriptor per payload type; dissectors/table.c is the only place that
 * lists them. The generic walker (src/ike/message.c) reads the generic payload
 * header, enforces min_len/max_len on the body and the caps, then calls decode
 * with a reader over exactly the body. A decoder fills pl->u, records
 * anomalies through the context, and returns IKE_OK or the reader's error; the
 * walker turns a non-OK return into an anomaly and moves on to the next
 * payload. describe() walks the decoded model for the printers.
 */
#ifndef IKESCOPE_DISSECTOR_H
#define IKESCOPE_DISSECTOR_H

#include "ikescope/emit.h"
#include "ikescope/ike.h"
#include "util/arena.h"
#include "util/rd.h"

struct ike_decoder;

/* Decoding context handed to every dissector. */
struct ike_dctx {
	struct ike_msg *msg;
	struct ike_arena *arena;   /* everything a decoder allocates comes from here */
	struct ike_decoder *dec;   /* for SK: SA algorithms and keys */
	unsigned depth;            /* 0 for the outer chain, 1 inside SK */
};

struct ike_dissector {
	uint8_t type;         /* payload type number */
	const char *name;     /* IANA name: "Nonce" */
	const char *abbrev;   /* charon's short name: "No" */
	uint16_t min_len;     /* minimum body length (generic header excluded) */
	uint16_t max_len;     /* maximum body length, 0 = up to the message */
	enum ike_err (*decode)(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl);
	/* Emits the payload's own members (the common ones are done by the caller). */
	void (*describe)(const struct ike_payload *pl, const struct ike_emit *e);
};

/* The table: index by payload type; NULL for types nobody dissects. */
const struct ike_dissector *ike_dissector_for(uint8_t type);

/* Records an anomaly on the message being decoded. */
#define ike_dctx_anomaly(ctx, kind, off, ...) ike_msg_anomaly((ctx)->msg, (kind), (uint32_t)(off), __VA_ARGS__)

/* Walks a payload chain (used by the message walker and by SK after decryption).
 * first = type of the first payload; base_off = offset of r in the message. */
enum ike_err ike_decode_chain(struct ike_dctx *ctx, struct ike_rd *r, uint8_t first, struct ike_payload **out,
			      uint16_t *n_out);

/* Dissector descriptors, one per file. */
extern const struct ike_dissector ike_dis_sa;      /* 33 sa.c */
extern const struct ike_dissector ike_dis_ke;      /* 34 ke.c */
extern const struct ike_dissector ike_dis_idi;     /* 35 id.c */
extern const struct ike_dissector ike_dis_idr;     /* 36 id.c */
extern const struct ike_dissector ike_dis_cert;    /* 37 cert.c */
extern const struct ike_dissector ike_dis_certreq; /* 38 certreq.c */
extern const struct ike_dissector ike_dis_auth;    /* 39 auth.c */
extern const struct ike_dissector ike_dis_nonce;   /* 40 nonce.c */
extern const struct ike_dissector ike_dis_notify;  /* 41 notify.c */
extern const struct ike_dissector ike_dis_delete;  /* 42 delete.c */
extern const struct ike_dissector ike_dis_vendor;  /* 43 vendor.c */
extern const struct ike_dissector ike_dis_tsi;     /* 44 ts.c */
extern const struct ike_dissector ike_dis_tsr;     /* 45 ts.c */
extern const struct ike_dissector ike_dis_sk;      /* 46 sk.c */
extern const struct ike_dissector ike_dis_cp;      /* 47 cp.c */
extern const struct ike_dissector ike_dis_eap;     /* 48 eap.c */
extern const struct ike_dissector ike_dis_gspm;    /* 49 gspm.c */
extern const struct ike_dissector ike_dis_idg;     /* 50 idg.c */
extern const struct ike_dissector ike_dis_gsa;     /* 51 gsa.c */
extern const struct ike_dissector ike_dis_kd;      /* 52 kd.c */
extern const struct ike_dissector ike_dis_skf;     /* 53 skf.c */

#endif
