/*
 * ladder_int.h — what the feed's matching (ladder_feed.c) hands the
 * exchanges builder (ladder_exch.c): the messages kept, grouped into
 * transmissions with their direction, copy number, exchange record and loss.
 */
#ifndef IKESCOPE_LADDER_INT_H
#define IKESCOPE_LADDER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "ikescope/ladder.h"
#include "ikescope/track.h"

#define IKE_LADDER_SUMMARY_MAX 400 /* bytes of summary kept per message */

struct fmsg {
	uint32_t file;
	uint64_t frame;
	int64_t us;        /* capture time */
	uint64_t ispi, rspi;
	uint32_t mid;
	uint8_t exchange, flags;
	uint16_t frag_total; /* SKF: the fragments of one message are not copies of each other */
	uint64_t hash;     /* FNV-1a of the IKE bytes: equal for copies and across taps */
	struct ike_addr src, dst;
	uint16_t sport, dport;
	char *summary;     /* owned */
	char *note;        /* owned; extra tooltip lines, NULL */
};

struct ike_ladder_feed {
	unsigned n_files;
	const char *const *names;
	struct fmsg *m;
	size_t n, cap, max;
	uint64_t dropped;
};

static inline bool fmsg_resp(const struct fmsg *m)
{
	return (m->flags & IKE_FLAG_R) != 0;
}
static inline bool fmsg_from_init(const struct fmsg *m)
{
	return (m->flags & IKE_FLAG_I) != 0;
}
/* the exchange's requester is the IKE SA's original initiator */
static inline bool fmsg_requester_init(const struct fmsg *m)
{
	return fmsg_resp(m) ? !fmsg_from_init(m) : fmsg_from_init(m);
}

/* One transmission: the copies of one message the taps saw. */
struct tx {
	uint32_t rec[IKE_LADDER_MAX_LIFELINES]; /* feed index per capture; valid where seen */
	uint8_t seen;       /* bit per capture */
	uint32_t first;     /* feed index of the earliest copy */
	int64_t t;          /* time of the earliest copy, on the first capture's clock */
	uint64_t ispi, hash; /* of the message (sort keys) */
	uint32_t mid;
	bool resp, req_init;
	int from, to, lost_after;
	bool dashed;
	uint32_t copy;      /* 0 for the first copy of this request (or response) */
	const struct ike_exchange_rec *x;
	bool proven_lost;   /* one capture: the next copy shows this one went unanswered */
	bool red;           /* its exchange failed, in one capture's view at least */
};

struct build {
	const struct ike_ladder_feed *fd;
	const struct ike_tracker *const *trk;
	unsigned n_files; /* captures drawn (at most IKE_LADDER_MAX_LIFELINES) */
	struct tx *tx;
	size_t n_tx;
	int64_t *adj;     /* per feed message: its time on the first capture's clock */
	struct ike_addr ep[IKE_LADDER_MAX_LIFELINES]; /* one capture: the endpoints */
	unsigned n_ep;
	uint64_t ep_dropped;
	uint64_t lost_between[IKE_LADDER_MAX_LIFELINES]; /* lost after lifeline i */
	const struct ike_exchange_rec **xi[IKE_LADDER_MAX_LIFELINES]; /* see index_exchanges() */
	size_t n_xi[IKE_LADDER_MAX_LIFELINES];
};

/*
 * Fills b (fd, trk and n_files set by the caller): clock offsets, the
 * transmissions, their direction (lifelines per capture) or endpoints (one
 * capture), exchange records, copies, losses. IKE_OK or IKE_E_NOMEM.
 * Free what it allocated with ike_ladder_match_free().
 */
enum ike_err ike_ladder_match(struct build *b);
void ike_ladder_match_free(struct build *b);

#endif
