/*
 * relay.c — the two-stage ring of relay.h. The producer publishes its items
 * in batches and the consumer takes all that is published at once, so the
 * lock is taken once per batch on each side, not once per item. A side that
 * has to wait is woken only when half the ring is there for it (items to
 * print, or room to fill), not at every batch: each sleep and wake-up is a
 * context switch, and one per batch cost more than the work it let overlap.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "util/relay.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

/* Items published together. */
#define BATCH (IKE_RELAY_DEPTH / 4)
/* What a waiting side is woken for: this many items, or this much room. */
#define WAKE (IKE_RELAY_DEPTH / 2)

struct ike_relay {
	const struct ike_relay_stages *s;
	unsigned char *items; /* IKE_RELAY_DEPTH items when threaded, one when not */
	bool threaded;
	/* Counts of items since the start; slots are count % IKE_RELAY_DEPTH. */
	uint64_t head;      /* producer: items filled */
	uint64_t tail_seen; /* producer: its last look at tail */
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	uint64_t published; /* items the consumer may take (under mu) */
	uint64_t tail;      /* items consumed and given back (under mu) */
	bool done;          /* the producer returned (under mu) */
	bool put_waits, take_waits; /* a side is asleep (under mu) */
};

bool ike_relay_threaded(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	return sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) >= 2;
}

void *ike_relay_slot(struct ike_relay *r)
{
	if (!r->threaded)
		return r->items;
	if (r->head - r->tail_seen == IKE_RELAY_DEPTH) {
		pthread_mutex_lock(&r->mu);
		/* Whatever is filled is published first, or the consumer could be
		 * waiting for it while this side waits for room. */
		r->published = r->head;
		if (r->take_waits)
			pthread_cond_signal(&r->can_take);
		while (r->head - r->tail > IKE_RELAY_DEPTH - WAKE) {
			r->put_waits = true;
			pthread_cond_wait(&r->can_put, &r->mu);
		}
		r->put_waits = false;
		r->tail_seen = r->tail;
		pthread_mutex_unlock(&r->mu);
	}
	return r->items + (size_t)(r->head % IKE_RELAY_DEPTH) * r->s->item_size;
}

static void publish(struct ike_relay *r, bool done)
{
	pthread_mutex_lock(&r->mu);
	r->published = r->head;
	r->done = done;
	if (r->take_waits && (done || r->published - r->tail >= WAKE))
		pthread_cond_signal(&r->can_take);
	r->tail_seen = r->tail;
	pthread_mutex_unlock(&r->mu);
}

void ike_relay_put(struct ike_relay *r)
{
	if (!r->threaded) {
		r->s->consume(r->s->ctx, r->items);
		return;
	}
	r->head++;
	if (r->head % BATCH == 0)
		publish(r, false);
}

static void *producer(void *arg)
{
	struct ike_relay *r = arg;
	r->s->produce(r->s->ctx, r);
	publish(r, true);
	return NULL;
}

static void consume_all(struct ike_relay *r)
{
	pthread_mutex_lock(&r->mu);
	for (;;) {
		if (r->tail == r->published) {
			/* Nothing to print: sleep until there is a good part of a ring. */
			while (r->published - r->tail < WAKE && !r->done) {
				r->take_waits = true;
				pthread_cond_wait(&r->can_take, &r->mu);
			}
			r->take_waits = false;
		}
		uint64_t from = r->tail, to = r->published;
		if (from == to)
			break; /* done, and everything taken */
		pthread_mutex_unlock(&r->mu);
		for (uint64_t i = from; i < to; i++)
			r->s->consume(r->s->ctx, r->items + (size_t)(i % IKE_RELAY_DEPTH) * r->s->item_size);
		pthread_mutex_lock(&r->mu);
		r->tail = to;
		if (r->put_waits && r->published - r->tail <= IKE_RELAY_DEPTH - WAKE)
			pthread_cond_signal(&r->can_put);
	}
	pthread_mutex_unlock(&r->mu);
}

/* Both stages on this thread, item by item. */
static int run_serial(struct ike_relay *r)
{
	r->threaded = false;
	r->items = malloc(r->s->item_size);
	if (!r->items)
		return -1;
	r->s->produce(r->s->ctx, r);
	free(r->items);
	return 0;
}

/* Both stages on two threads; false when the thread or its ring cannot be
 * had (nothing was run then). */
static bool run_threaded(struct ike_relay *r)
{
	if (r->s->item_size > SIZE_MAX / IKE_RELAY_DEPTH)
		return false;
	r->items = malloc(r->s->item_size * IKE_RELAY_DEPTH);
	if (!r->items)
		return false;
	r->threaded = true;
	bool ran = false;
	if (pthread_mutex_init(&r->mu, NULL) == 0) {
		if (pthread_cond_init(&r->can_put, NULL) == 0) {
			if (pthread_cond_init(&r->can_take, NULL) == 0) {
				pthread_t t;
				if (pthread_create(&t, NULL, producer, r) == 0) {
					consume_all(r);
					pthread_join(t, NULL);
					ran = true;
				}
				pthread_cond_destroy(&r->can_take);
			}
			pthread_cond_destroy(&r->can_put);
		}
		pthread_mutex_destroy(&r->mu);
	}
	free(r->items);
	r->items = NULL;
	return ran;
}

int ike_relay_run(const struct ike_relay_stages *s)
{
	struct ike_relay r = {.s = s};
	if (!s->single && run_threaded(&r))
		return 0;
	r = (struct ike_relay){.s = s};
	return run_serial(&r);
}
