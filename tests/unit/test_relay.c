/* The two-stage relay: every item reaches the consumer once, in order, on
 * one thread or two, whether the producer or the consumer is the slower; the
 * producer never runs further ahead than IKE_RELAY_DEPTH items, which is what
 * lets items borrow memory that is reused IKE_RELAY_DEPTH + 1 items later. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "util/relay.h"

#define N_ITEMS 20000u
#define PAD 200

/* Memory an item borrows, reused in turn like the decoder's kept arenas. */
#define N_BORROWED (IKE_RELAY_DEPTH + 1)

struct item {
	unsigned seq;
	unsigned char pad[PAD];     /* in the ring itself */
	const unsigned char *borrowed; /* in one of run.borrowed[] */
};

struct run {
	unsigned slow_producer, slow_consumer; /* every that many items, a pause */
	unsigned char borrowed[N_BORROWED][PAD];
	atomic_uint produced;
	unsigned consumed, bad_order, bad_pad, bad_borrowed, too_far_ahead;
};

static void pause_a_little(void)
{
	struct timespec ts = {0, 200000};
	nanosleep(&ts, NULL);
}

static void fill(unsigned char *p, unsigned seq)
{
	for (unsigned i = 0; i < PAD; i++)
		p[i] = (unsigned char)(seq * 31u + i);
}

static bool filled(const unsigned char *p, unsigned seq)
{
	for (unsigned i = 0; i < PAD; i++)
		if (p[i] != (unsigned char)(seq * 31u + i))
			return false;
	return true;
}

static void produce(void *ctx, struct ike_relay *r)
{
	struct run *run = ctx;
	for (unsigned seq = 0; seq < N_ITEMS; seq++) {
		struct item *it = ike_relay_slot(r);
		unsigned char *mem = run->borrowed[seq % N_BORROWED];
		fill(mem, seq);
		it->seq = seq;
		fill(it->pad, seq);
		it->borrowed = mem;
		atomic_fetch_add(&run->produced, 1);
		ike_relay_put(r);
		if (run->slow_producer && seq % run->slow_producer == 0)
			pause_a_little();
	}
}

static void consume(void *ctx, void *item)
{
	struct run *run = ctx;
	const struct item *it = item;
	/* Items made but not consumed, this one included: the ring holds no more. */
	if (atomic_load(&run->produced) - run->consumed > IKE_RELAY_DEPTH)
		run->too_far_ahead++;
	if (it->seq != run->consumed)
		run->bad_order++;
	if (!filled(it->pad, it->seq))
		run->bad_pad++;
	if (!filled(it->borrowed, it->seq))
		run->bad_borrowed++;
	run->consumed++;
	if (run->slow_consumer && run->consumed % run->slow_consumer == 0)
		pause_a_little();
}

static void check(bool single, unsigned slow_producer, unsigned slow_consumer)
{
	static struct run run;
	memset(&run, 0, sizeof(run));
	run.slow_producer = slow_producer;
	run.slow_consumer = slow_consumer;
	struct ike_relay_stages st = {
		.ctx = &run, .item_size = sizeof(struct item), .produce = produce, .consume = consume, .single = single,
	};
	cr_assert_eq(ike_relay_run(&st), 0);
	cr_expect_eq(run.consumed, N_ITEMS);
	cr_expect_eq(run.bad_order, 0, "%u items out of order", run.bad_order);
	cr_expect_eq(run.bad_pad, 0, "%u items overwritten in the ring before they were consumed", run.bad_pad);
	cr_expect_eq(run.bad_borrowed, 0, "%u items whose borrowed memory was reused too early", run.bad_borrowed);
	cr_expect_eq(run.too_far_ahead, 0, "the producer ran more than %d items ahead %u times", IKE_RELAY_DEPTH,
		     run.too_far_ahead);
}

Test(relay, single_thread_in_order) { check(true, 0, 0); }
Test(relay, two_threads_in_order) { check(false, 0, 0); }
Test(relay, two_threads_slow_consumer) { check(false, 0, 97); }
Test(relay, two_threads_slow_producer) { check(false, 89, 0); }

static void produce_nothing(void *ctx, struct ike_relay *r)
{
	(void)ctx;
	(void)r;
}

static void consume_count(void *ctx, void *item)
{
	(void)item;
	++*(unsigned *)ctx;
}

Test(relay, a_producer_with_nothing_ends_the_run)
{
	unsigned calls = 0;
	struct ike_relay_stages st = {.ctx = &calls, .item_size = 8, .produce = produce_nothing, .consume = consume_count};
	cr_assert_eq(ike_relay_run(&st), 0);
	st.single = true;
	cr_assert_eq(ike_relay_run(&st), 0);
	cr_expect_eq(calls, 0);
}
