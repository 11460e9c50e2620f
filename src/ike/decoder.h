/*
 * decoder.h — the decoder's private state, shared by the message walker and
 * the SK dissectors (SA algorithms, later keys).
 */
#ifndef IKESCOPE_DECODER_H
#define IKESCOPE_DECODER_H

#include "ikescope/ike.h"
#include "util/arena.h"

/* IKE SAs whose algorithms are remembered; direct-mapped, a collision replaces
 * the older entry (only the IV/ICV split of that SA is lost). */
#define IKE_DEC_SA_SLOTS 4096
/* Per message: the copy of the bytes, payload arrays, proposal texts. */
#define IKE_DEC_ARENA (1024u * 1024u)

struct ike_sa_slot {
	uint64_t ispi, rspi;
	struct ike_sa_algs algs;
	unsigned char used;
};

/* RFC 7383 reassembly: messages under reassembly at once, fragments per
 * message, plaintext bytes per message. Past these an anomaly, not memory. */
#define IKE_DEC_FRAG_SETS 16
#define IKE_DEC_FRAG_MAX 128
#define IKE_DEC_FRAG_BYTES 65536u

struct ike_frag_set {
	bool used, response;
	uint8_t dir;      /* the I flag of the fragments */
	uint8_t first_np; /* Next Payload of fragment 1: the first inner payload */
	uint64_t ispi, rspi;
	uint32_t mid;
	uint16_t total, n_have;
	uint32_t off[IKE_DEC_FRAG_MAX], len[IKE_DEC_FRAG_MAX];
	bool have_empty[IKE_DEC_FRAG_MAX];
	size_t bytes;
	uint8_t *buf; /* IKE_DEC_FRAG_BYTES, kept across sets */
	struct ike_origin last_at;
	uint64_t seq; /* age, for giving up the oldest */
};

struct ike_decoder {
	struct ike_arena *arena; /* the current message's: one of arenas[] */
	/* One arena per message kept valid (ike_decoder_keep), used in turn. */
	struct ike_arena arenas[IKE_DEC_KEEP_MAX];
	unsigned n_arenas, next_arena;
	const struct ike_keyring *keys; /* borrowed */
	struct ike_keycands *cands;     /* borrowed: keys from charon logs, not yet bound */
	struct ike_keyring *learned;    /* owned: candidates bound by their ICV */
	struct ike_sa_slot sas[IKE_DEC_SA_SLOTS];
	struct ike_frag_set frags[IKE_DEC_FRAG_SETS];
	uint64_t frag_seq;
};

/* Opens the SK/SKF payload of m when keys are known (decrypt.c). */
void ike_decrypt_message(struct ike_decoder *d, struct ike_msg *m);

#endif
