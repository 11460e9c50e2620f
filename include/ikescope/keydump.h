/*
 * keydump.h — IKE SA keys harvested from charon's own log at ike=4.
 *
 * charon dumps Sk_d, Sk_ai, Sk_ar, Sk_ei, Sk_er, Sk_pi and Sk_pr right after
 * each IKE SA key derivation (keymat_v2.c), as "%B" hex dumps, without the
 * SPIs or the algorithms. A derivation found in the log is a candidate; it is
 * bound to an IKE SA either from the log itself (the "selected proposal:"
 * before it and the "checkin IKEv2 SA … with SPIs" after it, on the same
 * thread), or by trying it on the SA's encrypted messages in a capture: the
 * SPI pair whose ICV verifies with it is the right one.
 */
#ifndef IKESCOPE_KEYDUMP_H
#define IKESCOPE_KEYDUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "ikescope/ike.h"
#include "ikescope/keys.h"

#define IKE_KEYDUMP_MAX 1024 /* derivations kept per set of logs; more are reported */

struct ike_keycands; /* owned; free with ike_keycands_free() (wipes the keys) */

struct ike_keycands *ike_keycands_new(void);
void ike_keycands_free(struct ike_keycands *c);

/*
 * Reads a charon log (syslog, filelog, journalctl -o short*: any line with a
 * "NN[IKE]" thread and group) for key dumps. Problems are reported through
 * diag as "FILE:LINE: reason". Returns the number of derivations found, or -1
 * when the file cannot be read.
 */
int ike_keycands_load_log(struct ike_keycands *c, const char *path, const struct ike_diag *diag);
size_t ike_keycands_count(const struct ike_keycands *c);

/* Adds to k every candidate whose SPIs and algorithms the log named. Returns how many. */
size_t ike_keycands_bind_from_log(struct ike_keycands *c, struct ike_keyring *k);

/*
 * m has an SK or SKF payload at sk_off (sk_hdr 4 or 8) and no keys in k:
 * tries the unbound candidates with algs (the SA's algorithms, from its
 * IKE_SA_INIT response; NULL to use only the candidates' own "selected
 * proposal"). The one whose ICV verifies is added to k for m's SPIs. Returns
 * true when one was bound.
 */
bool ike_keycands_try(struct ike_keycands *c, struct ike_keyring *k, const struct ike_sa_algs *algs,
		      const struct ike_msg *m, size_t sk_off, size_t sk_hdr);

/*
 * Lets the decoder bind candidates by ICV as it meets encrypted messages of
 * SAs it has no keys for (c is borrowed and must outlive d). The keys bound
 * this way are kept in the decoder, and listed by ike_decoder_learned_keys().
 */
struct ike_decoder;
void ike_decoder_set_candidates(struct ike_decoder *d, struct ike_keycands *c);
const struct ike_keyring *ike_decoder_learned_keys(const struct ike_decoder *d);

#endif
