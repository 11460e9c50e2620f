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

struct ike_decoder {
	struct ike_arena arena;
	const struct ike_keyring *keys; /* borrowed */
	struct ike_sa_slot sas[IKE_DEC_SA_SLOTS];
};

#endif
