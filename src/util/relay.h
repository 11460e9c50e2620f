/*
 * relay.h — one command's work split in two stages on two threads: a
 * producer thread fills fixed-size items in a ring and the calling thread
 * consumes them in the order they were made. dissect uses it to decode (and
 * decrypt) on one core while the other prints, which costs as much.
 *
 * Without a second core to run on (sched_getaffinity), or when the thread or
 * the ring cannot be had, the same two functions run on the calling thread,
 * item by item: the output is the same either way.
 */
#ifndef IKESCOPE_RELAY_H
#define IKESCOPE_RELAY_H

#include <stdbool.h>
#include <stddef.h>

/* Items in the ring when threaded. The producer may run this far ahead of
 * the consumer, so whatever an item borrows must stay valid for this many
 * more items (the decoder keeps IKE_RELAY_DEPTH + 1 messages). */
#define IKE_RELAY_DEPTH 32

struct ike_relay;

struct ike_relay_stages {
	void *ctx;
	size_t item_size;
	/* Producer: fills ike_relay_slot() and calls ike_relay_put() for each
	 * item, then returns. On the producer thread when threaded. */
	void (*produce)(void *ctx, struct ike_relay *r);
	/* Consumer: one item, in order, on the calling thread. */
	void (*consume)(void *ctx, void *item);
	/* Both on the calling thread, whatever the machine has. */
	bool single;
};

/* The item to fill next; waits while the ring is full. */
void *ike_relay_slot(struct ike_relay *r);
/* Hands the item from ike_relay_slot() to the consumer. */
void ike_relay_put(struct ike_relay *r);

/* True when a second core is there to run the producer on. */
bool ike_relay_threaded(void);
/* Runs both stages to the producer's end and the last item consumed.
 * Returns 0, or -1 when not even one item could be had (nothing ran). */
int ike_relay_run(const struct ike_relay_stages *s);

#endif
