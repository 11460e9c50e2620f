/*
 * test_track_lab.c — the tracker on the lab's real strongSwan captures
 * (captures/<scenario>/), read through the public API, with and without the
 * exported keys.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ikescope/capture.h"
#include "ikescope/keys.h"
#include "ikescope/track.h"

/* The source tree's captures/, from the build directory the tests run in. */
static const char *root(void)
{
	static const char *const tries[] = {"captures", "../captures", "../../captures", "../../../captures"};
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s/healthy/local.pcap", tries[i]);
		if (access(p, R_OK) == 0)
			return tries[i];
	}
	cr_assert_fail("captures/ not found from the working directory");
	return NULL;
}

static struct ike_tracker *track(const char *scenario, const char *vantage, bool keys)
{
	char path[512], err[256];
	enum ike_err why;
	struct ike_keyring *kr = NULL;
	if (keys) {
		kr = ike_keyring_new();
		cr_assert_not_null(kr);
		snprintf(path, sizeof(path), "%s/%s/ikev2_decryption_table", root(), scenario);
		cr_assert_gt(ike_keyring_load_file(kr, path, NULL), 0, "%s", path);
	}
	snprintf(path, sizeof(path), "%s/%s/%s.pcap", root(), scenario, vantage);
	struct ike_capture *c = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	struct ike_decoder *d = ike_decoder_new();
	struct ike_tracker *t = ike_tracker_new(NULL);
	cr_assert(d && t);
	ike_decoder_set_keys(d, kr);
	static struct ike_msg m;
	struct ike_cap_event ev;
	int64_t end = 0;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF && k != IKE_CAP_ERROR) {
		int64_t us = ev.at.ts_sec * 1000000 + ev.at.ts_usec;
		end = us > end ? us : end;
		if (k == IKE_CAP_MESSAGE && ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) == IKE_OK)
			cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
	}
	cr_assert_eq(k, IKE_CAP_EOF, "%s: %s", path, ev.error);
	ike_tracker_finish(t, end);
	ike_decoder_free(d);
	ike_capture_close(c);
	ike_keyring_free(kr);
	return t;
}

/* The first exchange of this kind, or NULL. */
static const struct ike_exchange_rec *find_kind(const struct ike_tracker *t, enum ike_xkind k)
{
	for (size_t i = 0; i < ike_tracker_n_exchanges(t); i++)
		if (ike_tracker_exchange(t, i)->kind == k)
			return ike_tracker_exchange(t, i);
	return NULL;
}

static void healthy(const char *vantage, bool keys)
{
	struct ike_tracker *t = track("healthy", vantage, keys);
	cr_assert_eq(ike_tracker_n_sas(t), 1);
	const struct ike_sa_rec *s = ike_tracker_sa(t, 0);
	cr_assert(s->established);
	cr_assert_eq(s->established_inferred, !keys);
	cr_assert_eq(s->end, IKE_END_UP);
	cr_assert_neq(s->rspi, 0);
	cr_assert_str_eq(s->proposal, "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	cr_assert_geq(ike_tracker_n_exchanges(t), 3);
	for (size_t i = 0; i < ike_tracker_n_exchanges(t); i++) {
		const struct ike_exchange_rec *x = ike_tracker_exchange(t, i);
		cr_assert_eq(x->outcome, IKE_XO_ANSWERED, "%s exchange %zu", vantage, i);
		cr_assert_eq(x->transmissions, 1);
		cr_assert_geq(x->rtt_us, 0);
		if (i >= 2)
			cr_assert_eq(x->kind, IKE_XK_DPD);
	}
	cr_assert_eq(ike_tracker_exchange(t, 0)->kind, IKE_XK_IKE_SA_INIT);
	cr_assert_eq(ike_tracker_exchange(t, 1)->kind, IKE_XK_IKE_AUTH);
	ike_tracker_free(t);
}

Test(lab, healthy_every_exchange_answered)
{
	healthy("local", true);
	healthy("local", false);
	healthy("peer", true);
	healthy("isp", false);
}

/* The DPD and its 3 retransmissions go unanswered, the SA ends by dpd-timeout,
 * and the local side starts over with a new IKE_SA_INIT. */
static void dpd_lost(const char *scenario, bool keys)
{
	struct ike_tracker *t = track(scenario, "local", keys);
	cr_assert_geq(ike_tracker_n_sas(t), 2);
	const struct ike_exchange_rec *x = find_kind(t, IKE_XK_DPD);
	cr_assert_not_null(x);
	cr_assert_eq(x->inferred, !keys);
	cr_assert_eq(x->outcome, IKE_XO_UNANSWERED);
	cr_assert_eq(x->transmissions, 4);
	cr_assert_eq(x->retx.n_gaps, 3);
	cr_assert_eq(x->sa, 0);
	const struct ike_sa_rec *s = ike_tracker_sa(t, 0);
	cr_assert_eq(s->end, IKE_END_DPD_TIMEOUT, "%s: %s", scenario, ike_sa_end_name(s->end));
	cr_assert_gt(s->end_us, x->last_us);
	cr_assert_eq(ike_tracker_sa(t, 1)->predecessor, -1);
	ike_tracker_free(t);
}

Test(lab, dpd_lost_toward_peer_with_and_without_keys)
{
	dpd_lost("dpd-lost-toward-peer", true);
	dpd_lost("dpd-lost-toward-peer", false);
}

Test(lab, dpd_lost_toward_local_with_and_without_keys)
{
	dpd_lost("dpd-lost-toward-local", true);
	dpd_lost("dpd-lost-toward-local", false);
}

Test(lab, pfs_mismatch_rekey_child_fails_with_no_proposal_chosen)
{
	struct ike_tracker *t = track("pfs-mismatch", "local", true);
	const struct ike_exchange_rec *x = find_kind(t, IKE_XK_REKEY_CHILD);
	cr_assert_not_null(x);
	cr_assert_not(x->inferred);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert_eq(x->error, 14, "NO_PROPOSAL_CHOSEN, got %u", x->error);
	ike_tracker_free(t);
	/* Without keys the failure still shows, by the size of the answer. */
	t = track("pfs-mismatch", "local", false);
	x = find_kind(t, IKE_XK_REKEY_CHILD);
	cr_assert_not_null(x);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert(x->error_inferred);
	ike_tracker_free(t);
}

Test(lab, peer_delete_is_a_delete_ike_requested_by_the_peer)
{
	struct ike_tracker *t = track("peer-delete", "local", true);
	const struct ike_exchange_rec *x = find_kind(t, IKE_XK_DELETE_IKE);
	cr_assert_not_null(x);
	cr_assert_not(x->by_initiator, "the local side initiated; the peer responded and deletes");
	cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
	cr_assert_eq(ike_tracker_sa(t, x->sa)->end, IKE_END_DELETED_BY_RESPONDER);
	ike_tracker_free(t);
}

static void ike_rekey(bool keys)
{
	struct ike_tracker *t = track("ike-rekey", "local", keys);
	cr_assert_eq(ike_tracker_n_sas(t), 2);
	const struct ike_sa_rec *old = ike_tracker_sa(t, 0), *nw = ike_tracker_sa(t, 1);
	cr_assert_eq(old->end, IKE_END_REKEYED);
	cr_assert_eq(nw->predecessor, 0);
	cr_assert_eq(nw->link, IKE_LINK_REKEY);
	cr_assert_eq(nw->link_inferred, !keys);
	cr_assert(nw->established);
	const struct ike_exchange_rec *x = find_kind(t, IKE_XK_REKEY_IKE);
	cr_assert_not_null(x);
	cr_assert_eq(x->sa, 0);
	cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
	cr_assert_not_null(find_kind(t, IKE_XK_DELETE_IKE), "the old SA is deleted after the rekey");
	ike_tracker_free(t);
}

Test(lab, ike_rekey_shows_lineage)
{
	ike_rekey(true);
	ike_rekey(false);
}

Test(lab, child_rekey_then_child_delete)
{
	for (int keys = 1; keys >= 0; keys--) {
		struct ike_tracker *t = track("child-rekey", "local", keys);
		cr_assert_eq(ike_tracker_n_sas(t), 1);
		const struct ike_exchange_rec *r = find_kind(t, IKE_XK_REKEY_CHILD);
		cr_assert_not_null(r);
		cr_assert_eq(r->outcome, IKE_XO_ANSWERED);
		cr_assert_not_null(find_kind(t, IKE_XK_DELETE_CHILD));
		cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_UP);
		ike_tracker_free(t);
	}
}

Test(lab, default_retransmit_schedule_from_the_capture_alone)
{
	struct ike_tracker *t = track("default-retransmit", "local", false);
	const struct ike_exchange_rec *x = find_kind(t, IKE_XK_IKE_SA_INIT);
	cr_assert_not_null(x);
	cr_assert_eq(x->outcome, IKE_XO_UNANSWERED);
	cr_assert_geq(x->transmissions, 4);
	cr_assert_float_eq(x->retx.timeout_s, 4.0, 0.1);
	cr_assert_float_eq(x->retx.base, 1.8, 0.05);
	cr_assert_eq(x->retx.verdict, IKE_RETX_STRONGSWAN_DEFAULT);
	cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_FAILED);
	ike_tracker_free(t);
}

Test(lab, failed_establishments_and_restarts)
{
	struct ike_tracker *t = track("psk-mismatch", "local", true);
	const struct ike_exchange_rec *x = find_kind(t, IKE_XK_IKE_AUTH);
	cr_assert_not_null(x);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert_eq(x->error, 24, "AUTHENTICATION_FAILED, got %u", x->error);
	cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_FAILED);
	ike_tracker_free(t);
	t = track("psk-mismatch", "local", false);
	x = find_kind(t, IKE_XK_IKE_AUTH);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert(x->error_inferred);
	cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_FAILED);
	ike_tracker_free(t);

	t = track("ike-proposal-mismatch", "local", false);
	x = find_kind(t, IKE_XK_IKE_SA_INIT);
	cr_assert_eq(x->outcome, IKE_XO_ERROR);
	cr_assert_eq(x->error, 14);
	cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_FAILED);
	ike_tracker_free(t);

	/* INVALID_KE_PAYLOAD: the retry with the group the responder asked for
	 * is a new IKE SA linked to the attempt it restarts. */
	t = track("dh-group-mismatch", "local", false);
	cr_assert_eq(ike_tracker_n_sas(t), 2);
	cr_assert_eq(ike_tracker_exchange(t, 0)->error, 17);
	cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_FAILED);
	cr_assert_eq(ike_tracker_sa(t, 1)->predecessor, 0);
	cr_assert_eq(ike_tracker_sa(t, 1)->link, IKE_LINK_INVALID_KE);
	cr_assert(ike_tracker_sa(t, 1)->established);
	ike_tracker_free(t);
}

/* Every prefix of every message of a capture, decoded and tracked: damaged
 * messages make odd records, never a crash, and the records stay consistent. */
Test(lab, every_prefix_of_every_message)
{
	char path[512], err[256];
	enum ike_err why;
	snprintf(path, sizeof(path), "%s/healthy/local.pcap", root());
	struct ike_capture *c = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
	cr_assert_not_null(c, "%s", err);
	struct ike_decoder *d = ike_decoder_new();
	struct ike_tracker *t = ike_tracker_new(NULL);
	static struct ike_msg m;
	static uint8_t copy[IKE_MAX_MSG];
	struct ike_cap_event ev;
	size_t fed = 0;
	enum ike_cap_kind k;
	while ((k = ike_capture_next(c, &ev)) != IKE_CAP_EOF && k != IKE_CAP_ERROR) {
		if (k != IKE_CAP_MESSAGE || ev.len > sizeof(copy))
			continue;
		memcpy(copy, ev.data, ev.len);
		for (size_t n = 0; n <= ev.len; n++) {
			if (ike_decoder_decode(d, &ev.at, copy, n, &m) != IKE_OK)
				continue;
			cr_assert_eq(ike_tracker_add(t, &m), IKE_OK);
			fed++;
		}
	}
	cr_assert_gt(fed, 100);
	ike_tracker_finish(t, INT64_MAX / 2);
	size_t total = 0;
	for (size_t i = 0; i < ike_tracker_n_sas(t); i++) {
		const struct ike_sa_rec *s = ike_tracker_sa(t, i);
		cr_assert_eq(s->first_exchange, total);
		total += s->n_exchanges;
		for (uint32_t j = 0; j < s->n_exchanges; j++)
			cr_assert_eq(ike_tracker_exchange(t, s->first_exchange + j)->sa, i);
	}
	cr_assert_eq(total, ike_tracker_n_exchanges(t));
	ike_tracker_free(t);
	ike_decoder_free(d);
	ike_capture_close(c);
}

/* Near the responder a DPD whose answers are lost shows as four requests and
 * four responses, followed by the requester's new IKE_SA_INIT. */
Test(lab, dpd_answers_lost_seen_from_the_peer)
{
	for (int keys = 1; keys >= 0; keys--) {
		struct ike_tracker *t = track("dpd-lost-toward-local", "peer", keys);
		const struct ike_exchange_rec *x = find_kind(t, IKE_XK_DPD);
		cr_assert_not_null(x);
		cr_assert_eq(x->transmissions, 4);
		cr_assert_eq(x->responses, 4);
		cr_assert_eq(x->outcome, IKE_XO_ANSWERED);
		cr_assert_eq(ike_tracker_sa(t, 0)->end, IKE_END_DPD_TIMEOUT);
		ike_tracker_free(t);
	}
}
