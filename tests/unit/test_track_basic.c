/*
 * test_track_basic.c — the tracker on hand-built message sequences: pairing,
 * retransmissions, the IKE_SA_INIT join, restarts, rekey lineage, kinds with
 * and without keys, outcomes and how IKE SAs end.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ikescope/track.h"

/* One synthetic message with room for its payloads. */
struct tm {
	struct ike_msg m;
	struct ike_payload outer[4], inner[6];
	struct ike_proposal prop;
	struct ike_transform tr[4];
	uint8_t raw[128], spi[8], data[4], sk[256];
};

#define A 1 /* 192.0.2.1, the IKE SA's initiator */
#define B 2 /* 198.51.100.2 */
#define I IKE_FLAG_I
#define R IKE_FLAG_R
#define SEC 1000000LL

static const int64_t t0 = 1750000000LL * SEC;
static uint64_t frame_no;

static void addr(struct ike_addr *a, int who)
{
	*a = (struct ike_addr){.family = 4};
	const uint8_t a4[4] = {192, 0, 2, 1}, b4[4] = {198, 51, 100, 2};
	memcpy(a->a, who == A ? a4 : b4, 4);
}

/* A message from `from` at t0 + us; salt makes otherwise equal headers differ. */
static void tm_init(struct tm *t, int64_t us, int from, uint64_t ispi, uint64_t rspi, uint8_t exch, uint8_t flags,
		    uint32_t mid, uint8_t salt)
{
	memset(t, 0, sizeof(*t));
	struct ike_msg *m = &t->m;
	m->at.frame = ++frame_no;
	m->at.ts_sec = (t0 + us) / SEC;
	m->at.ts_usec = (int32_t)((t0 + us) % SEC);
	addr(&m->at.src, from);
	addr(&m->at.dst, from == A ? B : A);
	m->at.sport = m->at.dport = 500;
	m->ispi = ispi;
	m->rspi = rspi;
	m->exchange = exch;
	m->flags = flags;
	m->mid = mid;
	m->version = 0x20;
	for (size_t i = 0; i < sizeof(t->raw); i++)
		t->raw[i] = (uint8_t)(ispi >> (8 * (i % 8)) ^ rspi ^ exch ^ flags ^ mid ^ salt ^ i);
	m->raw = (struct ike_span){t->raw, sizeof(t->raw)};
	m->length = sizeof(t->raw);
	m->payloads = t->outer;
}

static struct ike_payload *outer(struct tm *t, uint8_t type)
{
	struct ike_payload *p = &t->outer[t->m.n_payloads++];
	p->type = type;
	p->decoded = true;
	return p;
}

/* SK with sk_len bytes (IV + ciphertext + ICV); decrypted: an inner chain follows. */
static void sk(struct tm *t, size_t sk_len, bool decrypted)
{
	struct ike_payload *p = outer(t, 46);
	p->length = (uint16_t)(sk_len + 4);
	p->u.sk.encrypted = (struct ike_span){t->sk, sk_len};
	t->m.decrypted = decrypted ? IKE_DEC_YES : IKE_DEC_NO_KEY;
	if (decrypted)
		p->u.sk.inner = t->inner;
}

static struct ike_payload *inner(struct tm *t, uint8_t type)
{
	struct ike_payload *sk_pl = &t->outer[t->m.n_payloads - 1];
	struct ike_payload *p = &t->inner[sk_pl->u.sk.n_inner++];
	p->type = type;
	p->decoded = true;
	return p;
}

static void notify(struct ike_payload *p, uint16_t type)
{
	p->u.n.type = type;
}

/* SA payload, AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048; an IKE rekey
 * proposal carries an 8-byte SPI. */
static void sa(struct tm *t, struct ike_payload *p, uint64_t spi)
{
	t->tr[0] = (struct ike_transform){.type = 1, .id = 12, .key_len = 256};
	t->tr[1] = (struct ike_transform){.type = 3, .id = 2, .key_len = -1};
	t->tr[2] = (struct ike_transform){.type = 2, .id = 2, .key_len = -1};
	t->tr[3] = (struct ike_transform){.type = 4, .id = 14, .key_len = -1};
	t->prop = (struct ike_proposal){.number = 1, .protocol = 1, .transforms = t->tr, .n_transforms = 4};
	t->prop.text = "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048";
	if (spi) {
		for (int i = 0; i < 8; i++)
			t->spi[i] = (uint8_t)(spi >> (56 - 8 * i));
		t->prop.spi = (struct ike_span){t->spi, 8};
	}
	p->u.sa = (struct ike_pl_sa){.proposals = &t->prop, .n = 1};
}

static struct ike_tracker *tr;

static void feed(struct tm *t) { cr_assert_eq(ike_tracker_add(tr, &t->m), IKE_OK); }

static void setup(void)
{
	tr = ike_tracker_new(NULL);
	cr_assert_not_null(tr);
	frame_no = 0;
}
static void teardown(void) { ike_tracker_free(tr); }

/* IKE_SA_INIT and IKE_AUTH between A (initiator) and B, starting at us. */
static void establish(int64_t us, uint64_t ispi, uint64_t rspi, bool keys)
{
	struct tm t;
	tm_init(&t, us, A, ispi, 0, 34, I, 0, 0);
	sa(&t, outer(&t, 33), 0);
	outer(&t, 34)->u.ke.group = 14;
	feed(&t);
	tm_init(&t, us + 20000, B, ispi, rspi, 34, R, 0, 0);
	sa(&t, outer(&t, 33), 0);
	outer(&t, 34)->u.ke.group = 14;
	feed(&t);
	tm_init(&t, us + 40000, A, ispi, rspi, 35, I, 1, 0);
	sk(&t, 300, keys);
	if (keys)
		inner(&t, 39);
	feed(&t);
	tm_init(&t, us + 60000, B, ispi, rspi, 35, R, 1, 0);
	sk(&t, 252, keys); /* plaintext 208..223 bytes */
	if (keys)
		inner(&t, 39);
	feed(&t);
}

/* An empty INFORMATIONAL (44 = 16 IV + 16 one block + 12 ICV). */
static void empty_info(struct tm *t, int64_t us, int from, uint64_t ispi, uint64_t rspi, uint8_t flags, uint32_t mid,
		       bool keys)
{
	tm_init(t, us, from, ispi, rspi, 37, flags, mid, 0);
	sk(t, 44, keys);
}

static const struct ike_exchange_rec *xrec(size_t i)
{
	const struct ike_exchange_rec *x = ike_tracker_exchange(tr, i);
	cr_assert_not_null(x);
	return x;
}

TestSuite(track, .init = setup, .fini = teardown);

Test(track, healthy_establishment_every_exchange_answered)
{
	establish(0, 0x1111, 0x2222, true);
	struct tm t;
	empty_info(&t, 30 * SEC, A, 0x1111, 0x2222, I, 2, true);
	feed(&t);
	empty_info(&t, 30 * SEC + 15000, B, 0x1111, 0x2222, R, 2, true);
	feed(&t);
	ike_tracker_finish(tr, t0 + 40 * SEC);

	cr_assert_eq(ike_tracker_n_sas(tr), 1);
	const struct ike_sa_rec *s = ike_tracker_sa(tr, 0);
	cr_assert_eq(s->ispi, 0x1111);
	cr_assert_eq(s->rspi, 0x2222);
	cr_assert(s->established);
	cr_assert_not(s->established_inferred);
	cr_assert_eq(s->established_us, t0 + 60000);
	cr_assert_str_eq(s->proposal, "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048");
	cr_assert_eq(s->ke_group, 14);
	cr_assert_eq(s->end, IKE_END_UP);
	cr_assert_eq(s->predecessor, -1);
	cr_assert_eq(s->init_port, 500);

	cr_assert_eq(ike_tracker_n_exchanges(tr), 3);
	const enum ike_xkind kinds[] = {IKE_XK_IKE_SA_INIT, IKE_XK_IKE_AUTH, IKE_XK_DPD};
	for (size_t i = 0; i < 3; i++) {
		const struct ike_exchange_rec *x = xrec(i);
		cr_assert_eq(x->kind, kinds[i], "exchange %zu is %s", i, ike_xkind_name(x->kind));
		cr_assert_not(x->inferred);
		cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
		cr_assert_eq(x->transmissions, 1);
		cr_assert_eq(x->responses, 1);
		cr_assert(x->by_initiator);
		cr_assert_eq(x->rspi, 0x2222, "the IKE_SA_INIT exchange carries the joined SPI too");
	}
	cr_assert_eq(xrec(0)->rtt_us, 20000);
	cr_assert_eq(xrec(2)->rtt_us, 15000);
	cr_assert_eq(xrec(2)->n_frames, 2);
}

Test(track, retransmitted_request_counts_and_rtt_from_last_copy)
{
	struct tm t;
	for (int k = 0; k < 3; k++) {
		tm_init(&t, k * 4 * SEC, A, 0x10, 0, 34, I, 0, 0);
		feed(&t);
	}
	tm_init(&t, 8 * SEC + 30000, B, 0x10, 0x20, 34, R, 0, 0);
	feed(&t);
	ike_tracker_finish(tr, t0 + 9 * SEC);
	cr_assert_eq(ike_tracker_n_sas(tr), 1);
	const struct ike_exchange_rec *x = xrec(0);
	cr_assert_eq(x->transmissions, 3);
	cr_assert_eq(x->n_tx, 3);
	cr_assert_eq(x->rtt_us, 30000);
	cr_assert_eq(x->first_us, t0);
	cr_assert_eq(x->last_us, t0 + 8 * SEC);
	cr_assert_eq(x->retx.n_gaps, 2);
	cr_assert_float_eq(x->retx.timeout_s, 4.0, 1e-6);
	cr_assert_float_eq(x->retx.base, 1.0, 1e-6);
	cr_assert_eq(x->retx.verdict, IKE_RETX_FIXED_INTERVAL);
	/* Never got to IKE_AUTH. */
	cr_assert_eq(ike_tracker_sa(tr, 0)->end, IKE_END_FAILED);
}

Test(track, response_sent_again_means_an_earlier_one_was_lost)
{
	establish(0, 0x1, 0x2, true);
	struct tm t;
	empty_info(&t, 10 * SEC, A, 1, 2, I, 2, true);
	feed(&t);
	empty_info(&t, 10 * SEC + 10000, B, 1, 2, R, 2, true);
	feed(&t);
	empty_info(&t, 14 * SEC, A, 1, 2, I, 2, true);
	feed(&t);
	empty_info(&t, 14 * SEC + 10000, B, 1, 2, R, 2, true);
	feed(&t);
	ike_tracker_finish(tr, t0 + 20 * SEC);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_eq(x->transmissions, 2);
	cr_assert_eq(x->responses, 2);
	cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
	cr_assert_eq(x->response_us, t0 + 10 * SEC + 10000);
	cr_assert_eq(x->n_frames, 4);
}

Test(track, each_side_has_its_own_message_id_space)
{
	establish(0, 0x1, 0x2, true);
	struct tm t;
	/* The responder's first request is its message ID 0. */
	empty_info(&t, 5 * SEC, B, 1, 2, 0, 0, true);
	feed(&t);
	empty_info(&t, 5 * SEC + 5000, A, 1, 2, I | R, 0, true);
	feed(&t);
	ike_tracker_finish(tr, t0 + 6 * SEC);
	cr_assert_eq(ike_tracker_n_exchanges(tr), 3);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_not(x->by_initiator);
	cr_assert_eq(x->mid, 0);
	cr_assert_eq(x->kind, IKE_XK_DPD);
	cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
	cr_assert_eq(x->from.a[0], 198);
	cr_assert_eq(xrec(0)->mid, 0, "the initiator's IKE_SA_INIT keeps its own exchange");
	cr_assert_eq(xrec(0)->kind, IKE_XK_IKE_SA_INIT);
}

/* The DPD and its 3 retransmissions on strongSwan's default schedule. */
static void lost_dpd(bool keys)
{
	establish(0, 0x5, 0x6, keys);
	int64_t at = 60 * SEC, wait = 4 * SEC;
	struct tm t;
	for (int k = 0; k < 4; k++) {
		empty_info(&t, at, A, 5, 6, I, 2, keys);
		feed(&t);
		at += wait;
		wait = wait * 18 / 10;
	}
}

Test(track, lost_dpd_with_keys_ends_by_dpd_timeout)
{
	lost_dpd(true);
	ike_tracker_finish(tr, t0 + 200 * SEC);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_eq(x->kind, IKE_XK_DPD);
	cr_assert_not(x->inferred);
	cr_assert_eq(x->outcome, IKE_XO_UNANSWERED);
	cr_assert_eq(x->transmissions, 4);
	cr_assert_eq(x->rtt_us, -1);
	cr_assert_float_eq(x->retx.timeout_s, 4.0, 1e-3);
	cr_assert_float_eq(x->retx.base, 1.8, 1e-3);
	cr_assert_eq(x->retx.verdict, IKE_RETX_STRONGSWAN_DEFAULT);
	/* 4 + 7.2 + 12.96 and then 23.328 more before giving up. */
	cr_assert_float_eq(x->retx.give_up_s, 47.488, 1e-3);
	const struct ike_sa_rec *s = ike_tracker_sa(tr, 0);
	cr_assert_eq(s->end, IKE_END_DPD_TIMEOUT, "%s", ike_sa_end_name(s->end));
	cr_assert_eq(s->end_us, t0 + 60 * SEC + 47488000);
}

Test(track, lost_dpd_without_keys_is_inferred_and_ends_the_same)
{
	lost_dpd(false);
	ike_tracker_finish(tr, t0 + 200 * SEC);
	const struct ike_sa_rec *s = ike_tracker_sa(tr, 0);
	cr_assert(s->established);
	cr_assert(s->established_inferred);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_eq(x->kind, IKE_XK_DPD);
	cr_assert(x->inferred);
	cr_assert_eq(x->transmissions, 4);
	cr_assert_eq(s->end, IKE_END_DPD_TIMEOUT);
	cr_assert(s->end_inferred);
}

Test(track, capture_ending_while_retransmitting_leaves_the_sa_up)
{
	lost_dpd(true);
	ike_tracker_finish(tr, t0 + 90 * SEC);
	cr_assert_eq(ike_tracker_sa(tr, 0)->end, IKE_END_UP);
	cr_assert_eq(xrec(2)->outcome, IKE_XO_UNANSWERED);
}

Test(track, new_ike_sa_init_after_an_unanswered_request_is_a_dpd_timeout)
{
	establish(0, 0x5, 0x6, false);
	struct tm t;
	empty_info(&t, 60 * SEC, A, 5, 6, I, 2, false);
	feed(&t);
	establish(70 * SEC, 0x7, 0x8, false);
	ike_tracker_finish(tr, t0 + 71 * SEC);
	cr_assert_eq(ike_tracker_n_sas(tr), 2);
	const struct ike_sa_rec *s = ike_tracker_sa(tr, 0);
	cr_assert_eq(s->end, IKE_END_DPD_TIMEOUT, "%s", ike_sa_end_name(s->end));
	cr_assert_eq(s->end_us, t0 + 64 * SEC, "the default 4 s wait ends before the new IKE_SA_INIT");
	cr_assert_eq(ike_tracker_sa(tr, 1)->predecessor, -1);
}

Test(track, pfs_mismatch_rekey_child_fails_with_no_proposal_chosen)
{
	establish(0, 0x1, 0x2, true);
	struct tm t;
	tm_init(&t, 100 * SEC, A, 1, 2, 36, I, 2, 0);
	sk(&t, 300, true);
	notify(inner(&t, 41), 16393);
	inner(&t, 33);
	feed(&t);
	tm_init(&t, 100 * SEC + 9000, B, 1, 2, 36, R, 2, 0);
	sk(&t, 44, true);
	notify(inner(&t, 41), 14);
	feed(&t);
	ike_tracker_finish(tr, t0 + 101 * SEC);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_eq(x->kind, IKE_XK_REKEY_CHILD);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert_eq(x->error, 14);
	cr_assert_eq(x->rtt_us, 9000);
}

Test(track, child_error_without_keys_is_seen_by_size)
{
	establish(0, 0x1, 0x2, false);
	struct tm t;
	tm_init(&t, 100 * SEC, A, 1, 2, 36, I, 2, 0);
	sk(&t, 300, false);
	feed(&t);
	tm_init(&t, 100 * SEC + 9000, B, 1, 2, 36, R, 2, 0);
	sk(&t, 44, false);
	feed(&t);
	ike_tracker_finish(tr, t0 + 101 * SEC);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_eq(x->kind, IKE_XK_REKEY_CHILD);
	cr_assert(x->inferred);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert(x->error_inferred);
	cr_assert_eq(x->error, 0);
}

Test(track, delete_requested_by_the_peer)
{
	establish(0, 0x1, 0x2, true);
	struct tm t;
	tm_init(&t, 50 * SEC, B, 1, 2, 37, 0, 0, 0);
	sk(&t, 44, true);
	inner(&t, 42)->u.d.protocol = 1;
	feed(&t);
	empty_info(&t, 50 * SEC + 3000, A, 1, 2, I | R, 0, true);
	feed(&t);
	ike_tracker_finish(tr, t0 + 55 * SEC);
	const struct ike_exchange_rec *x = xrec(2);
	cr_assert_eq(x->kind, IKE_XK_DELETE_IKE);
	cr_assert_not(x->by_initiator);
	const struct ike_sa_rec *s = ike_tracker_sa(tr, 0);
	cr_assert_eq(s->end, IKE_END_DELETED_BY_RESPONDER);
	cr_assert_eq(s->end_us, t0 + 50 * SEC + 3000);
}

Test(track, delete_without_keys_is_the_last_word_before_silence)
{
	establish(0, 0x1, 0x2, false);
	struct tm t;
	empty_info(&t, 30 * SEC, A, 1, 2, I, 2, false);
	feed(&t);
	empty_info(&t, 30 * SEC + 3000, B, 1, 2, R, 2, false);
	feed(&t);
	empty_info(&t, 50 * SEC, B, 1, 2, 0, 0, false);
	feed(&t);
	empty_info(&t, 50 * SEC + 3000, A, 1, 2, I | R, 0, false);
	feed(&t);
	ike_tracker_finish(tr, t0 + 200 * SEC);
	cr_assert_eq(xrec(2)->kind, IKE_XK_DPD, "not the last exchange");
	cr_assert_eq(xrec(3)->kind, IKE_XK_DELETE_IKE);
	cr_assert(xrec(3)->inferred);
	cr_assert_eq(ike_tracker_sa(tr, 0)->end, IKE_END_DELETED_BY_RESPONDER);
}

Test(track, ike_rekey_with_keys_links_the_new_sa)
{
	establish(0, 0x1, 0x2, true);
	struct tm t;
	tm_init(&t, 100 * SEC, B, 1, 2, 36, 0, 0, 0);
	sk(&t, 400, true);
	sa(&t, inner(&t, 33), 0xaaaa);
	inner(&t, 34)->u.ke.group = 14;
	feed(&t);
	tm_init(&t, 100 * SEC + 8000, A, 1, 2, 36, I | R, 0, 0);
	sk(&t, 400, true);
	sa(&t, inner(&t, 33), 0xbbbb);
	inner(&t, 34)->u.ke.group = 14;
	feed(&t);
	/* The rekey's requester deletes the old SA ... */
	tm_init(&t, 100 * SEC + 20000, B, 1, 2, 37, 0, 1, 0);
	sk(&t, 44, true);
	inner(&t, 42)->u.d.protocol = 1;
	feed(&t);
	empty_info(&t, 100 * SEC + 23000, A, 1, 2, I | R, 1, true);
	feed(&t);
	/* ... and the new one, B its initiator, carries on from message ID 0. */
	empty_info(&t, 130 * SEC, B, 0xaaaa, 0xbbbb, I, 0, true);
	feed(&t);
	empty_info(&t, 130 * SEC + 4000, A, 0xaaaa, 0xbbbb, R, 0, true);
	feed(&t);
	ike_tracker_finish(tr, t0 + 140 * SEC);

	cr_assert_eq(ike_tracker_n_sas(tr), 2);
	const struct ike_sa_rec *old = ike_tracker_sa(tr, 0), *nw = ike_tracker_sa(tr, 1);
	cr_assert_eq(xrec(2)->kind, IKE_XK_REKEY_IKE);
	cr_assert_eq(xrec(3)->kind, IKE_XK_DELETE_IKE);
	cr_assert_eq(old->end, IKE_END_REKEYED);
	cr_assert_eq(nw->ispi, 0xaaaa);
	cr_assert_eq(nw->rspi, 0xbbbb);
	cr_assert_eq(nw->predecessor, 0);
	cr_assert_eq(nw->link, IKE_LINK_REKEY);
	cr_assert_not(nw->link_inferred);
	cr_assert(nw->established);
	cr_assert_eq(nw->init_addr.a[0], 198, "the rekey's requester initiates the new SA");
	cr_assert_eq(nw->n_exchanges, 1);
	cr_assert_eq(ike_tracker_exchange(tr, nw->first_exchange)->kind, IKE_XK_DPD);
	cr_assert_eq(nw->end, IKE_END_UP);
}

Test(track, ike_rekey_without_keys_is_inferred_from_the_new_spis)
{
	establish(0, 0x1, 0x2, false);
	struct tm t;
	tm_init(&t, 100 * SEC, B, 1, 2, 36, 0, 0, 0);
	sk(&t, 300, false);
	feed(&t);
	tm_init(&t, 100 * SEC + 8000, A, 1, 2, 36, I | R, 0, 0);
	sk(&t, 300, false);
	feed(&t);
	empty_info(&t, 100 * SEC + 20000, B, 1, 2, 0, 1, false);
	feed(&t);
	empty_info(&t, 100 * SEC + 23000, A, 1, 2, I | R, 1, false);
	feed(&t);
	empty_info(&t, 130 * SEC, B, 0xaaaa, 0xbbbb, I, 0, false);
	feed(&t);
	empty_info(&t, 130 * SEC + 4000, A, 0xaaaa, 0xbbbb, R, 0, false);
	feed(&t);
	ike_tracker_finish(tr, t0 + 140 * SEC);
	const struct ike_sa_rec *old = ike_tracker_sa(tr, 0), *nw = ike_tracker_sa(tr, 1);
	cr_assert_eq(xrec(2)->kind, IKE_XK_REKEY_IKE);
	cr_assert(xrec(2)->inferred);
	cr_assert_eq(xrec(3)->kind, IKE_XK_DELETE_IKE);
	cr_assert_eq(old->end, IKE_END_REKEYED);
	cr_assert(old->end_inferred);
	cr_assert_eq(nw->predecessor, 0);
	cr_assert(nw->link_inferred);
}

Test(track, cookie_restart_with_the_same_spi_is_a_new_linked_attempt)
{
	struct tm t;
	tm_init(&t, 0, A, 0x77, 0, 34, I, 0, 0);
	outer(&t, 34)->u.ke.group = 14;
	feed(&t);
	tm_init(&t, 5000, B, 0x77, 0, 34, R, 0, 0);
	notify(outer(&t, 41), 16390);
	feed(&t);
	tm_init(&t, 10000, A, 0x77, 0, 34, I, 0, 1);
	notify(outer(&t, 41), 16390);
	outer(&t, 34)->u.ke.group = 14;
	feed(&t);
	tm_init(&t, 30000, B, 0x77, 0x88, 34, R, 0, 0);
	sa(&t, outer(&t, 33), 0);
	feed(&t);
	ike_tracker_finish(tr, t0 + SEC);
	cr_assert_eq(ike_tracker_n_sas(tr), 2);
	const struct ike_sa_rec *first = ike_tracker_sa(tr, 0), *second = ike_tracker_sa(tr, 1);
	cr_assert_eq(first->end, IKE_END_FAILED);
	cr_assert_eq(first->rspi, 0);
	cr_assert_eq(second->predecessor, 0);
	cr_assert_eq(second->link, IKE_LINK_COOKIE);
	cr_assert_eq(second->rspi, 0x88);
	const struct ike_exchange_rec *x = ike_tracker_exchange(tr, first->first_exchange);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert_eq(x->error, 16390);
	cr_assert_eq(ike_tracker_exchange(tr, second->first_exchange)->outcome, IKE_XO_ANSWERED);
}

Test(track, invalid_ke_restart_with_a_new_spi_follows_the_suggested_group)
{
	struct tm t;
	tm_init(&t, 0, A, 0x31, 0, 34, I, 0, 0);
	outer(&t, 34)->u.ke.group = 14;
	feed(&t);
	tm_init(&t, 5000, B, 0x31, 0, 34, R, 0, 0);
	struct ike_payload *n = outer(&t, 41);
	notify(n, 17);
	t.data[0] = 0;
	t.data[1] = 19;
	n->u.n.data = (struct ike_span){t.data, 2};
	feed(&t);
	tm_init(&t, 10000, A, 0x32, 0, 34, I, 0, 0);
	outer(&t, 34)->u.ke.group = 19;
	feed(&t);
	ike_tracker_finish(tr, t0 + SEC);
	cr_assert_eq(ike_tracker_n_sas(tr), 2);
	cr_assert_eq(ike_tracker_sa(tr, 1)->predecessor, 0);
	cr_assert_eq(ike_tracker_sa(tr, 1)->link, IKE_LINK_INVALID_KE);
	cr_assert_eq(ike_tracker_sa(tr, 1)->ke_group, 19);
	cr_assert_eq(ike_tracker_exchange(tr, 0)->error, 17);
}

Test(track, child_delete_after_a_child_rekey_without_keys)
{
	establish(0, 0x1, 0x2, false);
	struct tm t;
	tm_init(&t, 100 * SEC, A, 1, 2, 36, I, 2, 0);
	sk(&t, 300, false);
	feed(&t);
	tm_init(&t, 100 * SEC + 8000, B, 1, 2, 36, R, 2, 0);
	sk(&t, 300, false);
	feed(&t);
	empty_info(&t, 100 * SEC + 20000, A, 1, 2, I, 3, false);
	feed(&t);
	empty_info(&t, 100 * SEC + 23000, B, 1, 2, R, 3, false);
	feed(&t);
	empty_info(&t, 130 * SEC, A, 1, 2, I, 4, false);
	feed(&t);
	empty_info(&t, 130 * SEC + 3000, B, 1, 2, R, 4, false);
	feed(&t);
	ike_tracker_finish(tr, t0 + 140 * SEC);
	cr_assert_eq(xrec(2)->kind, IKE_XK_REKEY_CHILD);
	cr_assert_eq(xrec(3)->kind, IKE_XK_DELETE_CHILD);
	cr_assert_eq(xrec(4)->kind, IKE_XK_DPD);
	cr_assert_eq(ike_tracker_sa(tr, 0)->end, IKE_END_UP);
}

Test(track, caps_drop_and_count_never_crash)
{
	ike_tracker_free(tr);
	struct ike_tracker_opts o = {.max_sas = 2, .max_exchanges = 2};
	tr = ike_tracker_new(&o);
	struct tm t;
	for (uint64_t k = 1; k <= 5; k++) {
		tm_init(&t, (int64_t)k * SEC, A, k, 0, 34, I, 0, 0);
		feed(&t);
	}
	establish(10 * SEC, 1, 9, false); /* SA 0 again: its IKE_AUTH is beyond the cap */
	ike_tracker_finish(tr, t0 + 20 * SEC);
	struct ike_track_stats st;
	ike_tracker_stats(tr, &st);
	cr_assert_eq(ike_tracker_n_sas(tr), 2);
	cr_assert_eq(st.sas_dropped, 3);
	cr_assert_eq(ike_tracker_n_exchanges(tr), 2);
	cr_assert_eq(st.exchanges_dropped, 2, "IKE_AUTH request and response");
	cr_assert_eq(st.max_sas, 2);
	cr_assert_null(ike_tracker_sa(tr, 2));
	cr_assert_null(ike_tracker_exchange(tr, 2));
}

Test(track, ikev1_and_orphan_responses)
{
	struct tm t;
	tm_init(&t, 0, A, 1, 0, 2, 0, 0, 0);
	t.m.ikev1 = true;
	feed(&t);
	tm_init(&t, SEC, B, 4, 5, 37, R, 7, 0);
	sk(&t, 44, false);
	feed(&t);
	ike_tracker_finish(tr, t0 + 2 * SEC);
	struct ike_track_stats st;
	ike_tracker_stats(tr, &st);
	cr_assert_eq(st.ignored, 1);
	cr_assert_eq(st.orphan_responses, 1);
	const struct ike_exchange_rec *x = xrec(0);
	cr_assert_eq(x->transmissions, 0);
	cr_assert_eq(x->first_us, -1);
	cr_assert_eq(x->rtt_us, -1);
	cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
	cr_assert(x->by_initiator);
	cr_assert_eq(x->from.a[0], 192, "the requester is the receiver of the response");
}

/* A hostile stream: random SPIs, flags, message IDs, exchange types, times
 * going backwards, SK sizes from 0 up, under small caps. The records must
 * stay consistent and within the caps. */
Test(track, random_streams_stay_within_the_caps)
{
	ike_tracker_free(tr);
	struct ike_tracker_opts o = {.max_sas = 64, .max_exchanges = 512};
	tr = ike_tracker_new(&o);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	struct tm t;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint8_t flags = (uint8_t)(x & (I | R));
		tm_init(&t, (int64_t)(x % 600) * SEC / 3, (x >> 8) & 1 ? A : B, (x >> 12) % 40, (x >> 20) % 3,
			(uint8_t)(33 + (x >> 24) % 6), flags, (uint32_t)((x >> 28) % 5), (uint8_t)(x >> 40));
		if ((x >> 33) & 1)
			sk(&t, (size_t)((x >> 34) % 120), (x >> 41) & 1);
		if ((x >> 42) & 1)
			notify(outer(&t, 41), (uint16_t)((x >> 43) & 1 ? 16390 : 17));
		if ((x >> 44) & 1)
			sa(&t, outer(&t, 33), (x >> 45) & 1 ? x : 0);
		t.m.frag_num = (uint16_t)((x >> 50) % 3);
		feed(&t);
	}
	ike_tracker_finish(tr, t0 + 1000 * SEC);
	struct ike_track_stats st;
	ike_tracker_stats(tr, &st);
	cr_assert_leq(ike_tracker_n_sas(tr), 64);
	cr_assert_leq(ike_tracker_n_exchanges(tr), 512);
	cr_assert_gt(st.sas_dropped + st.exchanges_dropped, 0);
	size_t total = 0;
	for (size_t i = 0; i < ike_tracker_n_sas(tr); i++) {
		const struct ike_sa_rec *s = ike_tracker_sa(tr, i);
		cr_assert_eq(s->first_exchange, total);
		cr_assert(s->predecessor < (int64_t)i);
		total += s->n_exchanges;
		for (uint32_t k = 0; k < s->n_exchanges; k++) {
			const struct ike_exchange_rec *e = ike_tracker_exchange(tr, s->first_exchange + k);
			cr_assert_eq(e->sa, i);
			cr_assert_leq(e->n_tx, IKE_TRACK_MAX_TX);
			cr_assert_leq(e->n_frames, IKE_TRACK_MAX_FRAMES);
			cr_assert(e->transmissions > 0 || e->responses > 0);
		}
	}
	cr_assert_eq(total, ike_tracker_n_exchanges(tr));
}

/* One request/response pair on SA (1, 2) with the given inner payloads. */
static void pair(int64_t us, uint8_t exch, uint32_t mid, const uint8_t *req_types, const uint16_t *req_notify,
		 size_t n_req, const uint8_t *resp_types, size_t n_resp)
{
	struct tm t;
	tm_init(&t, us, A, 1, 2, exch, I, mid, 0);
	sk(&t, 200, true);
	for (size_t i = 0; i < n_req; i++) {
		struct ike_payload *p = inner(&t, req_types[i]);
		if (req_types[i] == 41)
			notify(p, req_notify[i]);
	}
	feed(&t);
	tm_init(&t, us + 1000, B, 1, 2, exch, R, mid, 0);
	sk(&t, 200, true);
	for (size_t i = 0; i < n_resp; i++)
		inner(&t, resp_types[i]);
	feed(&t);
}

Test(track, exact_kinds_from_decrypted_payloads)
{
	establish(0, 1, 2, true);
	const uint8_t child[] = {33, 40, 44, 45}, child_resp[] = {33, 40, 44, 45};
	const uint16_t no_n[4] = {0};
	pair(10 * SEC, 36, 2, child, no_n, 4, child_resp, 4);
	const uint8_t mob[] = {41, 41, 41};
	const uint16_t mob_n[] = {16400, 16388, 16389}; /* UPDATE_SA_ADDRESSES, NATD */
	pair(20 * SEC, 37, 3, mob, mob_n, 3, NULL, 0);
	const uint8_t info[] = {41};
	const uint16_t info_n[] = {16384}; /* INITIAL_CONTACT */
	pair(30 * SEC, 37, 4, info, info_n, 1, NULL, 0);
	const uint8_t del[] = {42};
	pair(40 * SEC, 37, 5, del, no_n, 1, del, 1); /* protocol 0 here: a child SA's */
	pair(50 * SEC, 43, 6, NULL, NULL, 0, NULL, 0); /* IKE_INTERMEDIATE */
	ike_tracker_finish(tr, t0 + 60 * SEC);
	const enum ike_xkind want[] = {IKE_XK_CREATE_CHILD, IKE_XK_MOBIKE, IKE_XK_INFORMATIONAL,
				       IKE_XK_DELETE_CHILD, IKE_XK_OTHER};
	for (size_t i = 0; i < 5; i++) {
		const struct ike_exchange_rec *x = xrec(i + 2);
		cr_assert_eq(x->kind, want[i], "exchange %zu: %s", i + 2, ike_xkind_name(x->kind));
		cr_assert_not(x->inferred);
		cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
	}
	cr_assert_str_eq(ike_xkind_name(IKE_XK_OTHER), "other");
	cr_assert_eq(ike_tracker_sa(tr, 0)->end, IKE_END_UP);
}

Test(track, eap_rounds_establish_at_the_last_one)
{
	struct tm t;
	tm_init(&t, 0, A, 1, 0, 34, I, 0, 0);
	feed(&t);
	tm_init(&t, 10000, B, 1, 2, 34, R, 0, 0);
	sa(&t, outer(&t, 33), 0);
	feed(&t);
	const uint8_t r1[] = {36, 39, 48}, r2[] = {48}, r3[] = {39, 33, 44, 45};
	const uint8_t q[] = {35};
	pair(20000, 35, 1, q, NULL, 1, r1, 3);
	pair(40000, 35, 2, r2, NULL, 1, r2, 1);
	pair(60000, 35, 3, q, NULL, 1, r3, 4);
	ike_tracker_finish(tr, t0 + SEC);
	const struct ike_sa_rec *s = ike_tracker_sa(tr, 0);
	cr_assert_eq(ike_tracker_n_exchanges(tr), 4);
	for (size_t i = 1; i < 4; i++)
		cr_assert_eq(xrec(i)->kind, IKE_XK_IKE_AUTH);
	cr_assert(s->established);
	cr_assert_eq(s->established_us, t0 + 61000);
}
