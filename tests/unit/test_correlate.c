/*
 * test_correlate.c — the correlator's rules on log lines alone: the seed
 * guide's cases (a DPD retransmitted and given up, the PFS-mismatch
 * proposals of a peer's rekey, the IKE_SA DELETE nobody follows up), several
 * tunnels in one log, the lab's healthy start, and the explanation a
 * config-aware caller appends to.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ikescope/correlate.h"
#include "ikescope/log.h"

static struct ike_corr *feed(const char *const *lines, size_t n)
{
	struct ike_corr *c = ike_corr_new(NULL);
	cr_assert_not_null(c);
	static struct ike_log_event ev;
	struct ike_log_stats st = {0};
	for (size_t i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		if (!ike_log_parse_line(lines[i], strlen(lines[i]), NULL, &ev, &st))
			continue;
		ev.file = 0;
		ev.line = i + 1;
		cr_assert_eq(ike_corr_add_log(c, &ev), IKE_OK);
	}
	ike_corr_finish(c);
	return c;
}

static size_t count_findings(const struct ike_corr *c, const struct ike_corr_verdict *v,
			     enum ike_corr_finding_kind k)
{
	size_t n = 0;
	for (uint32_t i = 0; i < v->n_findings; i++)
		n += ike_corr_finding(c, v->first_finding + i)->kind == k;
	return n;
}

/* The guide's DPD case: request 543 sent, retransmitted three times, given up. */
static const char *const seed_dpd[] = {
	"Jun 18 00:24:08 vedge01 charon: 11[ENC] generating INFORMATIONAL request 542 [ ]",
	"Jun 18 00:24:08 vedge01 charon: 11[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)",
	"Jun 18 00:24:08 vedge01 charon: 07[NET] received packet: from 10.10.10.1[4500] to 10.132.3.92[4500] (76 bytes)",
	"Jun 18 00:24:08 vedge01 charon: 07[ENC] parsed INFORMATIONAL response 542 [ ]",
	"Jun 18 00:25:21 vedge01 charon: 08[IKE] sending DPD request",
	"Jun 18 00:25:21 vedge01 charon: 08[ENC] generating INFORMATIONAL request 543 [ ]",
	"Jun 18 00:25:21 vedge01 charon: 08[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)",
	"Jun 18 00:25:51 vedge01 charon: 05[IKE] retransmit 1 of request with message ID 543 (tries=3, timeout=30)",
	"Jun 18 00:25:51 vedge01 charon: 05[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)",
	"Jun 18 00:26:45 vedge01 charon: 06[IKE] retransmit 2 of request with message ID 543 (tries=3, timeout=30)",
	"Jun 18 00:26:45 vedge01 charon: 06[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)",
	"Jun 18 00:28:22 vedge01 charon: 08[IKE] retransmit 3 of request with message ID 543 (tries=3, timeout=30)",
	"Jun 18 00:28:22 vedge01 charon: 08[NET] sending packet: from 10.132.3.92[4500] to 10.10.10.1[4500] (76 bytes)",
	"Jun 18 00:31:17 vedge01 charon: 11[IKE] giving up after 3 retransmits",
};

Test(correlate, seed_dpd_given_up)
{
	struct ike_corr *c = feed(seed_dpd, sizeof(seed_dpd) / sizeof(seed_dpd[0]));
	cr_assert_eq(ike_corr_n_verdicts(c), 1);
	const struct ike_corr_verdict *v = ike_corr_verdict(c, 0);
	cr_expect_eq(v->cause, IKE_CAUSE_DPD_TIMEOUT, "cause %s", ike_corr_cause_name(v->cause));
	cr_expect_eq(v->symptom, IKE_SYM_DOWN, "symptom %s", ike_corr_symptom_name(v->symptom));
	cr_expect(v->has_exchange);
	cr_expect_eq(v->exchange, 37);
	cr_expect_eq(v->mid, 543);
	cr_expect_eq(v->requester, IKE_REQ_LOCAL);
	cr_expect_eq(v->loss, IKE_LOSS_UNKNOWN, "one end's view cannot place the loss");
	cr_expect_eq(count_findings(c, v, IKE_FIND_RETRANSMITTED), 3);
	cr_expect_eq(count_findings(c, v, IKE_FIND_GAVE_UP), 1);
	cr_expect_not_null(strstr(v->explanation, "request 543"), "%s", v->explanation);
	cr_expect_not_null(strstr(v->explanation, "retransmitted 3 times"), "%s", v->explanation);
	cr_expect_not_null(strstr(v->explanation, "last answered DPD"), "%s", v->explanation);
	/* the evidence names the give-up line and the retransmissions */
	bool give_up = false;
	for (uint32_t i = 0; i < v->n_evidence; i++)
		give_up |= v->evidence[i].src == IKE_CORR_SRC_LOG && v->evidence[i].pos == 14;
	cr_expect(give_up);
	char addr[64];
	cr_expect_str_eq(ike_addr_str(&v->peer, addr, sizeof(addr)), "10.10.10.1");
	ike_corr_free(c);
}

/* The guide's PFS case: the peer's rekey offers ESP without a DH group, the vEdge requires MODP_4096. */
static const char *const seed_pfs[] = {
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[NET] received packet: from 10.10.10.1[4500] to 172.28.0.36[4500] (400 bytes)",
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[ENC] parsed CREATE_CHILD_SA request 557 [ SA No TSi TSr ]",
	("daemon.info: Apr 27 05:12:56 vedge01 charon: 16[CFG] received proposals: ESP:AES_GCM_16_256/NO_EXT_SEQ, "
	 "ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ"), /* one line, cut here */
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[CFG] configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ",
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[IKE] no acceptable proposal found",
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[IKE] failed to establish CHILD_SA, keeping IKE_SA",
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[ENC] generating CREATE_CHILD_SA response 557 [ N(NO_PROP) ]",
	"daemon.info: Apr 27 05:12:56 vedge01 charon: 16[NET] sending packet: from 172.28.0.36[4500] to 10.10.10.1[4500] (80 bytes)",
};

Test(correlate, seed_pfs_mismatch)
{
	struct ike_corr *c = feed(seed_pfs, sizeof(seed_pfs) / sizeof(seed_pfs[0]));
	cr_assert_eq(ike_corr_n_verdicts(c), 1);
	const struct ike_corr_verdict *v = ike_corr_verdict(c, 0);
	cr_expect_eq(v->cause, IKE_CAUSE_PFS_MISMATCH, "cause %s", ike_corr_cause_name(v->cause));
	cr_expect_eq(v->exchange, 36);
	cr_expect_eq(v->mid, 557);
	cr_expect_eq(v->requester, IKE_REQ_PEER);
	const struct ike_corr_propset *p = &v->proposals.set[IKE_CORR_SIDE_LOCAL][1];
	cr_expect(p->known);
	cr_expect_str_eq(p->configured, "ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ");
	/* against the closest received proposal (AES_CBC_256/HMAC_SHA1_96) only the DH group differs */
	cr_expect_str_eq(p->differing, "KE");
	cr_expect_not_null(strstr(v->explanation, "MODP_4096"), "%s", v->explanation);
	cr_expect_not_null(strstr(v->explanation, "perfect-forward-secrecy group-16"), "%s", v->explanation);
	cr_expect_not_null(strstr(v->explanation, "align PFS"), "%s", v->explanation);
	cr_expect_eq(count_findings(c, v, IKE_FIND_PROPOSALS), 1);
	ike_corr_free(c);
}

/* The guide's DELETE case: the peer deletes the IKE SA, nothing re-initiates it. */
static const char *const seed_delete[] = {
	"Apr 13 22:05:21 vedge01 charon: 12[IKE] received DELETE for IKE_SA ipsec1_1[217]",
	"Apr 13 22:05:21 vedge01 charon: 12[IKE] deleting IKE_SA ipsec1_1[217] between 10.16.0.5[10.16.0.5]...10.10.10.1[10.10.10.1]",
	"Apr 13 22:05:21 vedge01 charon: 12[IKE] IKE_SA deleted",
	"Apr 13 22:05:21 vedge01 charon: 12[ENC] generating INFORMATIONAL response 4586 [ ]",
	"Apr 13 22:05:21 vedge01 charon: 12[NET] sending packet: from 10.16.0.5[4500] to 10.10.10.1[4500] (80 bytes)",
	"Apr 13 22:05:21 vedge01 charon: 12[KNL] Deleting SAD entry with SPI 00000e77",
};

Test(correlate, seed_peer_delete)
{
	struct ike_corr *c = feed(seed_delete, sizeof(seed_delete) / sizeof(seed_delete[0]));
	cr_assert_eq(ike_corr_n_verdicts(c), 1);
	const struct ike_corr_verdict *v = ike_corr_verdict(c, 0);
	cr_expect_eq(v->cause, IKE_CAUSE_PEER_DELETED, "cause %s", ike_corr_cause_name(v->cause));
	cr_expect_eq(v->symptom, IKE_SYM_DOWN, "symptom %s", ike_corr_symptom_name(v->symptom));
	cr_expect_str_eq(v->name, "ipsec1_1");
	cr_expect_eq(v->requester, IKE_REQ_PEER);
	cr_expect_eq(v->exchange, 37);
	cr_expect_eq(v->mid, 4586);
	cr_expect_not_null(strstr(v->explanation, "CSCvx86427"), "%s", v->explanation);
	cr_expect_eq(count_findings(c, v, IKE_FIND_NO_REINITIATION), 1);
	ike_corr_free(c);
}

/* Two tunnels in one log (threads interleaved): each its own verdict. */
static const char *const two_tunnels[] = {
	"Jun 18 00:24:08 vedge01 charon: 11[ENC] generating INFORMATIONAL request 7 [ ]",
	"Jun 18 00:24:08 vedge01 charon: 11[NET] sending packet: from 10.0.0.1[4500] to 10.0.0.2[4500] (76 bytes)",
	"Jun 18 00:24:08 vedge01 charon: 09[IKE] received DELETE for IKE_SA ipsec3_1[5]",
	"Jun 18 00:24:08 vedge01 charon: 09[IKE] deleting IKE_SA ipsec3_1[5] between 10.0.0.1[10.0.0.1]...10.0.0.3[10.0.0.3]",
	"Jun 18 00:24:08 vedge01 charon: 07[NET] received packet: from 10.0.0.2[4500] to 10.0.0.1[4500] (76 bytes)",
	"Jun 18 00:24:08 vedge01 charon: 07[ENC] parsed INFORMATIONAL response 7 [ ]",
};

Test(correlate, two_tunnels_two_verdicts)
{
	struct ike_corr *c = feed(two_tunnels, sizeof(two_tunnels) / sizeof(two_tunnels[0]));
	cr_assert_eq(ike_corr_n_verdicts(c), 2);
	size_t healthy = 0, deleted = 0;
	for (size_t i = 0; i < 2; i++) {
		const struct ike_corr_verdict *v = ike_corr_verdict(c, i);
		char a[64];
		ike_addr_str(&v->peer, a, sizeof(a));
		if (strcmp(a, "10.0.0.2") == 0 && v->cause == IKE_CAUSE_HEALTHY)
			healthy++;
		if (strcmp(a, "10.0.0.3") == 0 && v->cause == IKE_CAUSE_PEER_DELETED)
			deleted++;
	}
	cr_expect_eq(healthy, 1);
	cr_expect_eq(deleted, 1);
	ike_corr_free(c);
}

/* --peer keeps one tunnel; the explanation takes appended text. */
Test(correlate, peer_filter_and_explain)
{
	struct ike_corr_opts o = {0};
	o.have_peer = true;
	o.peer.family = 4;
	uint8_t a3[4] = {10, 0, 0, 3};
	memcpy(o.peer.a, a3, 4);
	struct ike_corr *c = ike_corr_new(&o);
	static struct ike_log_event ev;
	struct ike_log_stats st = {0};
	for (size_t i = 0; i < sizeof(two_tunnels) / sizeof(two_tunnels[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		cr_assert(ike_log_parse_line(two_tunnels[i], strlen(two_tunnels[i]), NULL, &ev, &st));
		ev.line = i + 1;
		ike_corr_add_log(c, &ev);
	}
	ike_corr_finish(c);
	cr_assert_eq(ike_corr_n_verdicts(c), 1);
	cr_expect_eq(ike_corr_verdict(c, 0)->cause, IKE_CAUSE_PEER_DELETED);
	for (size_t i = 0; i < ike_corr_n_entries(c); i++) {
		const struct ike_corr_entry *e = ike_corr_entry(c, i);
		cr_expect_eq(ike_corr_log(c, e->index)->tunnel, (int32_t)ike_corr_verdict(c, 0)->tunnel);
	}
	size_t before = strlen(ike_corr_verdict(c, 0)->explanation);
	ike_corr_explain(c, 0, "config: close_action = none.");
	const char *e = ike_corr_verdict(c, 0)->explanation;
	cr_expect_gt(strlen(e), before);
	cr_expect_not_null(strstr(e, "config: close_action = none."));
	ike_corr_free(c);
}

/* Nothing fed: no verdict, no crash; vocabulary names are DESIGN.md's. */
Test(correlate, empty_and_names)
{
	struct ike_corr *c = ike_corr_new(NULL);
	ike_corr_finish(c);
	cr_expect_eq(ike_corr_n_verdicts(c), 0);
	cr_expect_eq(ike_corr_n_entries(c), 0);
	ike_corr_free(c);
	cr_expect_str_eq(ike_corr_cause_name(IKE_CAUSE_CHILD_PROPOSAL_MISMATCH), "child-proposal-mismatch");
	cr_expect_str_eq(ike_corr_symptom_name(IKE_SYM_NOT_ESTABLISHED), "not-established");
	cr_expect_str_eq(ike_corr_loss_name(IKE_LOSS_TOWARD_LOCAL), "toward-local");
	cr_expect_null(ike_corr_loss_name(IKE_LOSS_NONE));
}

/* A vEdge FTMD interface line joins the tunnel of its IKE SA (ipsec2 is ipsec2_1). */
static const char *const ftmd[] = {
	"Jun 18 00:20:00 vedge01 charon: 10[IKE] IKE_SA ipsec2_1[3] established between "
	"10.132.3.92[10.132.3.92]...10.10.10.1[10.10.10.1]",
	"Jun 18 00:20:00 vedge01 charon: 10[IKE] CHILD_SA child_ipsec2_1{7} established with SPIs c26223c3_i "
	"e7cedefc_o and TS 10.1.0.0/16 === 10.2.0.0/16",
	"Jun 18 00:21:00 vedge01 charon: 11[IKE] IKE_SA ipsec5_1[4] established between "
	"10.132.3.92[10.132.3.92]...10.10.10.5[10.10.10.5]",
	"Jun 18 00:31:17 vedge01 FTMD[1472]: %Viptela-vedge01-FTMD-6-INFO-1000001: VPN 1 Interface ipsec2 DOWN",
};

Test(correlate, ftmd_interface_line)
{
	struct ike_corr *c = feed(ftmd, sizeof(ftmd) / sizeof(ftmd[0]));
	cr_assert_eq(ike_corr_n_verdicts(c), 2);
	size_t found = 0;
	for (size_t i = 0; i < 2; i++) {
		const struct ike_corr_verdict *v = ike_corr_verdict(c, i);
		size_t n = count_findings(c, v, IKE_FIND_INTERFACE);
		if (strcmp(v->name, "ipsec2_1") == 0)
			cr_expect_eq(v->symptom, IKE_SYM_HEALTHY);
		cr_expect_eq(n, strcmp(v->name, "ipsec2_1") == 0 ? 1u : 0u, "%s", v->name);
		found += n;
	}
	cr_expect_eq(found, 1);
	ike_corr_free(c);
}

/* ---- the lab: a real log and its capture ----------------------------------------- */

#include "ikescope/capture.h"
#include "ikescope/keys.h"

static struct ike_corr *lab(const char *scenario, bool with_log, bool with_cap)
{
	char path[512], err[256];
	struct ike_corr *c = ike_corr_new(NULL);
	cr_assert_not_null(c);
	if (with_cap) {
		struct ike_keyring *ring = ike_keyring_new();
		cr_assert_not_null(ring);
		snprintf(path, sizeof(path), "%s/captures/%s/ikev2_decryption_table", IKESCOPE_SOURCE_ROOT, scenario);
		cr_assert_geq(ike_keyring_load_file(ring, path, NULL), 0);
		snprintf(path, sizeof(path), "%s/captures/%s/local.pcap", IKESCOPE_SOURCE_ROOT, scenario);
		enum ike_err why;
		struct ike_capture *cap = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
		cr_assert_not_null(cap, "%s", err);
		struct ike_decoder *d = ike_decoder_new();
		ike_decoder_set_keys(d, ring);
		static struct ike_msg m;
		struct ike_cap_event ev;
		enum ike_cap_kind k;
		while ((k = ike_capture_next(cap, &ev)) != IKE_CAP_EOF)
			if (k == IKE_CAP_MESSAGE && ike_decoder_decode(d, &ev.at, ev.data, ev.len, &m) == IKE_OK)
				cr_assert_eq(ike_corr_add_msg(c, &m), IKE_OK);
		ike_decoder_free(d);
		ike_capture_close(cap);
		ike_keyring_free(ring);
	}
	if (with_log) {
		snprintf(path, sizeof(path), "%s/captures/%s/local.log", IKESCOPE_SOURCE_ROOT, scenario);
		const char *paths[1] = {path};
		struct ike_log *l = ike_log_open(paths, 1, NULL, err, sizeof(err));
		cr_assert_not_null(l, "%s", err);
		static struct ike_log_event ev;
		while (ike_log_next(l, &ev))
			cr_assert_eq(ike_corr_add_log(c, &ev), IKE_OK);
		ike_log_close(l);
	}
	ike_corr_finish(c);
	return c;
}

/* Every packet, message and retransmit line of the local log finds its frame, within the
 * log's one-second resolution, and each retransmit line the copy it sent. */
Test(correlate, lab_links)
{
	struct ike_corr *c = lab("dpd-lost-toward-peer", true, true);
	size_t linkable = 0, linked = 0, retx = 0;
	for (size_t i = 0; i < ike_corr_n_logs(c); i++) {
		const struct ike_corr_log *l = ike_corr_log(c, i);
		if (!l->linkable)
			continue;
		linkable++;
		if (l->link < 0)
			continue;
		linked++;
		const struct ike_corr_msg *x = ike_corr_msg(c, (size_t)l->link);
		int64_t d = x->us - l->us;
		cr_expect(d > -1100000 && d < 1100000, "line %llu: %lld us from frame %llu", (unsigned long long)l->line,
			  (long long)d, (unsigned long long)x->frame);
		if (l->kind == IKE_LOG_RETRANSMIT) {
			retx++;
			cr_expect_eq(x->copy, l->n + 1, "retransmit %u linked to copy %u", l->n, x->copy);
			cr_expect_eq(x->mid, l->mid);
			cr_expect_eq(x->link_retransmit, (int64_t)i);
		}
		if (l->kind == IKE_LOG_PKT_SENT)
			cr_expect_eq(x->length, l->bytes);
	}
	cr_expect_gt(linkable, 20);
	cr_expect_eq(linked, linkable, "%zu of %zu lines linked", linked, linkable);
	cr_expect_eq(retx, 4, "three DPD retransmits and one IKE_SA_INIT retransmit");
	/* the clock offset was found from the packet lines */
	int64_t off;
	struct ike_log_clock_result est;
	cr_expect(ike_corr_log_offset(c, 0, &off, &est));
	cr_expect(est.found && est.support >= 10);
	cr_expect(off >= 0 && off < 1000000, "offset %lld", (long long)off);
	ike_corr_free(c);
}

/* The same verdict from the log alone and from the capture alone (with the keys: the delete is encrypted). */
Test(correlate, lab_log_or_capture)
{
	struct ike_corr *a = lab("peer-delete", true, false), *b = lab("peer-delete", false, true);
	cr_assert_eq(ike_corr_n_verdicts(a), 1);
	cr_assert_eq(ike_corr_n_verdicts(b), 1);
	cr_expect_eq(ike_corr_verdict(a, 0)->cause, IKE_CAUSE_PEER_DELETED);
	cr_expect_eq(ike_corr_verdict(b, 0)->cause, IKE_CAUSE_PEER_DELETED);
	cr_expect_eq(ike_corr_verdict(a, 0)->symptom, IKE_SYM_DOWN);
	cr_expect_eq(ike_corr_verdict(b, 0)->symptom, IKE_SYM_DOWN);
	cr_expect_eq(ike_corr_verdict(b, 0)->requester, IKE_REQ_PEER);
	ike_corr_free(a);
	ike_corr_free(b);
}

/* ---- hostile: random events and messages, every printer ----------------------------- */

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static void rnd_host(struct ike_log_host *h)
{
	h->addr.family = rnd(5) ? 4 : (rnd(2) ? 6 : 0);
	memset(h->addr.a, 0, sizeof(h->addr.a));
	h->addr.a[0] = 10;
	h->addr.a[3] = (uint8_t)rnd(4);
	h->port = rnd(3) ? 4500 : (uint16_t)rnd(65536);
}

Test(correlate, random_events_and_messages)
{
	static const char *const texts[] = {
		"inbound CHILD_SA x{", "closing CHILD_SA y{3} with", "CHILD_SA rekeying failed", "restarting CHILD_SA z",
		"received proposals: IKE:AES_CBC_256/MODP_2048", "configured proposals: ESP:AES_CBC_256/MODP_4096/NO_EXT_SEQ",
		"received proposals: ESP:", "", "generating INFORMATIONAL request 1 [ ]", "{}{}{", "Interface ipsec2 DOWN",
	};
	for (int round = 0; round < 20; round++) {
		struct ike_corr_opts o = {0};
		o.have_around = round % 5 == 1;
		o.around_us = 1000000000LL * 1000000;
		o.have_peer = round % 7 == 2;
		o.peer.family = 4;
		o.peer.a[0] = 10;
		struct ike_corr *c = ike_corr_new(&o);
		cr_assert_not_null(c);
		static struct ike_msg m;
		for (int i = 0; i < 300; i++) {
			memset(&m, 0, sizeof(m));
			m.at.file = rnd(3);
			m.at.frame = (uint64_t)i + 1;
			m.at.ts_sec = 1000000000 + i / 10;
			m.at.ts_usec = (int32_t)rnd(1000000);
			struct ike_log_host a, b;
			rnd_host(&a);
			rnd_host(&b);
			m.at.src = a.addr;
			m.at.dst = b.addr;
			m.at.sport = a.port;
			m.at.dport = b.port;
			m.ispi = rnd(4);
			m.rspi = rnd(3);
			m.exchange = (uint8_t)(34 + rnd(5));
			m.flags = (uint8_t)(rnd(2) ? 0x20 : 0) | (uint8_t)(rnd(2) ? 0x08 : 0);
			m.mid = rnd(5);
			m.length = 28 + rnd(4) * 52;
			cr_assert_eq(ike_corr_add_msg(c, &m), IKE_OK);
		}
		static struct ike_log_event ev;
		for (int i = 0; i < 600; i++) {
			memset(&ev, 0, sizeof(ev));
			ev.file = rnd(3);
			ev.line = (uint64_t)i + 1;
			ev.t.sec = 1000000000 + i / 20 + (int64_t)rnd(3);
			ev.t.has_time = true;
			ev.t.has_year = rnd(2);
			ev.t.has_zone = rnd(2);
			ev.t.mon = (uint8_t)(1 + rnd(12));
			ev.t.mday = (uint8_t)(1 + rnd(28));
			snprintf(ev.host, sizeof(ev.host), "%s", rnd(4) ? "vedge01" : "peer01");
			ev.thread = (int)rnd(20) - 1;
			ev.kind = (enum ike_log_kind)rnd(IKE_LOG_KIND_MAX);
			snprintf(ev.text, sizeof(ev.text), "%s%u}", texts[rnd(sizeof(texts) / sizeof(texts[0]))], rnd(9));
			if (rnd(3) == 0)
				snprintf(ev.sa_name, sizeof(ev.sa_name), "ipsec%u_1", rnd(3));
			ev.sa_uid = rnd(4);
			switch (rnd(4)) {
			case 0:
				ev.u.msg.exchange_id = (uint8_t)(34 + rnd(5));
				ev.u.msg.response = rnd(2);
				ev.u.msg.mid = rnd(5);
				break;
			case 1:
				rnd_host(&ev.u.pkt.from);
				rnd_host(&ev.u.pkt.to);
				ev.u.pkt.bytes = 28 + rnd(4) * 52;
				ev.u.pkt.has_bytes = rnd(4) != 0;
				break;
			case 2:
				ev.u.retx.n = rnd(6);
				ev.u.retx.mid = rnd(5);
				break;
			default:
				ev.u.sa.uid = rnd(4);
				rnd_host(&ev.u.sa.local);
				rnd_host(&ev.u.sa.remote);
				break;
			}
			cr_assert_eq(ike_corr_add_log(c, &ev), IKE_OK);
		}
		ike_corr_finish(c);
		FILE *null = fopen("/dev/null", "w");
		cr_assert_not_null(null);
		ike_out_text_correlate(null, c, NULL);
		ike_out_json_correlate(null, c, NULL);
		fclose(null);
		for (size_t i = 0; i < ike_corr_n_verdicts(c); i++) {
			const struct ike_corr_verdict *v = ike_corr_verdict(c, i);
			cr_expect_lt(strlen(v->explanation), sizeof(v->explanation));
			cr_expect_leq(v->n_evidence, IKE_CORR_MAX_EVIDENCE);
		}
		for (size_t i = 0; i < ike_corr_n_links(c); i++) {
			const struct ike_corr_link *k = ike_corr_link(c, i);
			cr_expect_lt(k->log, ike_corr_n_logs(c));
			cr_expect_lt(k->msg, ike_corr_n_msgs(c));
		}
		ike_corr_free(c);
	}
}

/* More tunnels than the cap: the rest are counted and reported as a limit finding. */
Test(correlate, tunnel_cap_reported)
{
	struct ike_corr *c = ike_corr_new(NULL);
	static struct ike_log_event ev;
	struct ike_log_stats lst = {0};
	for (unsigned i = 0; i < IKE_CORR_MAX_TUNNELS + 44; i++) {
		char line[256];
		snprintf(line, sizeof(line),
			 "Jun 18 00:24:08 vedge01 charon: 11[NET] sending packet: from 10.0.0.1[4500] to 10.%u.%u.2[4500] "
			 "(76 bytes)",
			 1 + i / 200, i % 200);
		memset(&ev, 0, sizeof(ev));
		cr_assert(ike_log_parse_line(line, strlen(line), NULL, &ev, &lst));
		ev.line = i + 1;
		cr_assert_eq(ike_corr_add_log(c, &ev), IKE_OK);
	}
	ike_corr_finish(c);
	cr_expect_eq(ike_corr_n_verdicts(c), IKE_CORR_MAX_TUNNELS);
	struct ike_corr_stats st;
	ike_corr_stats(c, &st);
	cr_expect_eq(st.tunnels_dropped, 44);
	size_t limits = 0;
	for (size_t i = 0; i < ike_corr_n_findings(c); i++)
		limits += ike_corr_finding(c, i)->kind == IKE_FIND_LIMIT;
	cr_expect_eq(limits, 1);
	ike_corr_free(c);
}

/* The peer's log read as the local end's: the responder's view of each failure. */
static struct ike_corr *peer_view(const char *scenario)
{
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s/captures/%s/peer.log", IKESCOPE_SOURCE_ROOT, scenario);
	const char *paths[1] = {path};
	struct ike_log *l = ike_log_open(paths, 1, NULL, err, sizeof(err));
	cr_assert_not_null(l, "%s", err);
	struct ike_corr *c = ike_corr_new(NULL);
	static struct ike_log_event ev;
	while (ike_log_next(l, &ev))
		cr_assert_eq(ike_corr_add_log(c, &ev), IKE_OK);
	ike_log_close(l);
	ike_corr_finish(c);
	cr_assert_eq(ike_corr_n_verdicts(c), 1, "%s", scenario);
	return c;
}

Test(correlate, responder_view)
{
	static const struct {
		const char *scenario;
		enum ike_corr_cause cause;
		enum ike_corr_requester who;
	} cases[] = {
		{"psk-mismatch", IKE_CAUSE_AUTH_FAILED, IKE_REQ_PEER},
		{"ts-unacceptable", IKE_CAUSE_TS_UNACCEPTABLE, IKE_REQ_PEER},
		{"pfs-mismatch", IKE_CAUSE_PFS_MISMATCH, IKE_REQ_PEER},
		{"child-proposal-mismatch", IKE_CAUSE_CHILD_PROPOSAL_MISMATCH, IKE_REQ_PEER},
		{"ike-proposal-mismatch", IKE_CAUSE_IKE_PROPOSAL_MISMATCH, IKE_REQ_PEER},
		{"peer-delete", IKE_CAUSE_LOCAL_DELETED, IKE_REQ_LOCAL},
		{"local-deleted", IKE_CAUSE_PEER_DELETED, IKE_REQ_PEER},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ike_corr *c = peer_view(cases[i].scenario);
		const struct ike_corr_verdict *v = ike_corr_verdict(c, 0);
		cr_expect_eq(v->cause, cases[i].cause, "%s: %s", cases[i].scenario, ike_corr_cause_name(v->cause));
		cr_expect_eq(v->requester, cases[i].who, "%s: requester %s", cases[i].scenario,
			     ike_corr_requester_name(v->requester));
		ike_corr_free(c);
	}
}
