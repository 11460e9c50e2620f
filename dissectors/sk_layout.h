/*
 * sk_layout.h — where IV, ciphertext and ICV sit inside an Encrypted (46) or
 * Encrypted Fragment (53) payload, for the algorithms an IKE SA negotiated.
 * Shared by sk.c and skf.c so the two cannot disagree.
 */
#ifndef IKESCOPE_SK_LAYOUT_H
#define IKESCOPE_SK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "dissector.h"

/*
 * IV length, ICV length and the block size the ciphertext must be a multiple
 * of (1 when there is none: counter modes, AEAD, NULL). False when the cipher,
 * or for a non-AEAD cipher the integrity algorithm, is not known.
 */
bool ike_sk_layout(const struct ike_sa_algs *a, size_t *iv, size_t *icv, size_t *block);

/*
 * Reads the rest of body into sk->encrypted and, when the decoder knows the
 * IKE SA of ctx->msg, splits it into sk->iv, sk->ciphertext and sk->icv
 * (sk->split). Too short for IV and ICV, or a CBC ciphertext that is not a
 * whole number of blocks, is an anomaly. who names the payload ("E", "EF").
 */
void ike_sk_split(struct ike_dctx *ctx, struct ike_rd *body, struct ike_pl_sk *sk, const char *who);

/* The members both describe() functions share. */
void ike_sk_describe(const struct ike_pl_sk *sk, const struct ike_emit *e);

#endif
