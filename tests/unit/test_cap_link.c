/* Link layers: every one we read, VLAN stacks, and the ones we refuse. */
#include <criterion/criterion.h>

#include "test_cap_build.h"

static struct evlist L;

/* An IKE message on UDP 500 between A4 and B4 (or A6 and B6), without a link header. */
static struct pk *ike_ip(int version)
{
	struct pk *p = pk_new();
	pk_ike(p, 0x1122334455667788ull, 100);
	pk_udp(p, 500, 500);
	if (version == 4)
		pk_ip4(p, A4, B4, 17, 7, 0);
	else
		pk_ip6(p, A6, B6, 17);
	return p;
}

/* Writes p under linktype, reads it back, expects exactly one IKE message. */
static void expect_one(uint32_t linktype, struct pk *p, int version)
{
	struct capw w;
	capw_pcap(&w, linktype, 65535);
	capw_pk(&w, 1700000000, p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 1, "linktype %u: %zu events", linktype, L.n);
	const struct evrec *e = &L.ev[0];
	cr_assert_eq(e->kind, IKE_CAP_MESSAGE);
	cr_assert_eq(e->len, 100);
	cr_assert_eq(e->data[0], 0x11);
	cr_assert_eq(e->at.file, 3);
	cr_assert_eq(e->at.frame, 1);
	cr_assert_eq(e->at.ts_sec, 1700000000);
	cr_assert_eq(e->at.sport, 500);
	cr_assert_eq(e->at.dport, 500);
	cr_assert_eq(e->at.transport, IKE_TR_UDP);
	cr_assert_eq(e->at.src.family, version);
	cr_assert_eq(memcmp(e->at.src.a, version == 4 ? A4 : A6, version == 4 ? 4 : 16), 0);
	cr_assert_eq(memcmp(e->at.dst.a, version == 4 ? B4 : B6, version == 4 ? 4 : 16), 0);
	cr_assert_eq(L.st.frames, 1);
	cr_assert_eq(L.st.ike_messages, 1);
	cr_assert_eq(L.st.other, 0);
	evlist_free(&L);
	free(p);
}

Test(cap_link, ethernet)
{
	struct pk *p = ike_ip(4);
	pk_eth(p, 0x0800);
	expect_one(1, p, 4);
	p = ike_ip(6);
	pk_eth(p, 0x86dd);
	expect_one(1, p, 6);
}

Test(cap_link, vlan_and_qinq)
{
	struct pk *p = ike_ip(4);
	pk_vlan(p, 0x0800, 100);
	pk_eth(p, 0x8100);
	expect_one(1, p, 4);

	p = ike_ip(6); /* 802.1ad outer, 802.1Q inner */
	pk_vlan(p, 0x86dd, 10);
	pk_vlan(p, 0x8100, 20);
	pk_eth(p, 0x88a8);
	expect_one(1, p, 6);

	p = ike_ip(4); /* the old 0x9100 outer tag */
	pk_vlan(p, 0x0800, 10);
	pk_vlan(p, 0x8100, 20);
	pk_eth(p, 0x9100);
	expect_one(1, p, 4);
}

Test(cap_link, too_many_vlan_tags_is_not_ip)
{
	struct pk *p = ike_ip(4);
	pk_vlan(p, 0x0800, 1);
	for (int i = 0; i < 4; i++)
		pk_vlan(p, 0x8100, 1);
	pk_eth(p, 0x8100);
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 1);
	evlist_free(&L);
	free(p);
}

Test(cap_link, linux_cooked)
{
	struct pk *p = ike_ip(4);
	pk_sll(p, 0x0800);
	expect_one(113, p, 4);
	p = ike_ip(6);
	pk_sll2(p, 0x86dd);
	expect_one(276, p, 6);
	p = ike_ip(4); /* SLL with an untagged-by-the-driver VLAN header */
	pk_vlan(p, 0x0800, 5);
	pk_sll(p, 0x8100);
	expect_one(113, p, 4);
}

Test(cap_link, raw_ip)
{
	expect_one(101, ike_ip(4), 4); /* LINKTYPE_RAW */
	expect_one(101, ike_ip(6), 6);
	expect_one(228, ike_ip(4), 4); /* LINKTYPE_IPV4 */
	expect_one(229, ike_ip(6), 6); /* LINKTYPE_IPV6 */
}

Test(cap_link, raw_ip_wrong_version_is_not_ip)
{
	struct pk *p = ike_ip(6);
	struct capw w;
	capw_pcap(&w, 228, 65535);
	capw_pk(&w, 1, p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 1);
	evlist_free(&L);
	free(p);
}

Test(cap_link, bsd_loopback)
{
	struct pk *p = ike_ip(4);
	pk_af(p, 2, false); /* DLT_NULL, little-endian host */
	expect_one(0, p, 4);
	p = ike_ip(4);
	pk_af(p, 2, true); /* DLT_NULL written by a big-endian host */
	expect_one(0, p, 4);
	uint32_t af6[] = {24, 28, 30};
	for (int i = 0; i < 3; i++) {
		p = ike_ip(6);
		pk_af(p, af6[i], false);
		expect_one(0, p, 6);
		p = ike_ip(6);
		pk_af(p, af6[i], true); /* DLT_LOOP: network order */
		expect_one(108, p, 6);
	}
}

Test(cap_link, unknown_family_is_not_ip)
{
	struct pk *p = ike_ip(4);
	pk_af(p, 7, false);
	struct capw w;
	capw_pcap(&w, 0, 65535);
	capw_pk(&w, 1, p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 1);
	evlist_free(&L);
	free(p);
}

Test(cap_link, unsupported_link_type)
{
	struct capw w;
	capw_pcap(&w, 105, 65535);
	char *path = capw_save(&w);
	enum ike_err why = IKE_OK;
	char err[256];
	struct ike_capture *c = ike_capture_open(path, 0, NULL, &why, err, sizeof(err));
	cr_assert_null(c);
	cr_assert_eq(why, IKE_E_UNSUPPORTED);
	char want[400];
	snprintf(want, sizeof(want), "%s: link type 105 (IEEE802_11) is not supported; file skipped", path);
	cr_assert_str_eq(err, want);
	unlink(path);
	free(path);
}

Test(cap_link, non_ip_ethertype_is_other)
{
	struct pk *p = pk_new();
	pk_fill(p, 0, 28);
	pk_eth(p, 0x0806); /* ARP */
	struct capw w;
	capw_pcap(&w, 1, 65535);
	capw_pk(&w, 1, p);
	run_capw(&w, NULL, &L);
	cr_assert_eq(L.n, 0);
	cr_assert_eq(L.st.other, 1);
	evlist_free(&L);
	free(p);
}

/* Every prefix of every link header: a clean truncation anomaly, never a crash. */
Test(cap_link, every_truncation)
{
	struct {
		uint32_t lt;
		size_t hdr;
	} cases[] = {{1, 14}, {1, 22}, {113, 16}, {276, 20}, {0, 4}, {108, 4}, {101, 0}};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct pk *p = ike_ip(4);
		switch (k) {
		case 0: pk_eth(p, 0x0800); break;
		case 1: pk_vlan(p, 0x0800, 1); pk_vlan(p, 0x8100, 2); pk_eth(p, 0x88a8); break;
		case 2: pk_sll(p, 0x0800); break;
		case 3: pk_sll2(p, 0x0800); break;
		case 4: pk_af(p, 2, false); break;
		case 5: pk_af(p, 2, true); break;
		default: break;
		}
		struct capw w;
		capw_pcap(&w, cases[k].lt, 65535);
		for (size_t n = 0; n <= cases[k].hdr + 20 + 8; n++)
			capw_rec(&w, 1, 0, pk_data(p), (uint32_t)n, (uint32_t)pk_len(p));
		run_capw(&w, NULL, &L);
		size_t frames = cases[k].hdr + 20 + 8 + 1;
		cr_assert_eq(L.st.frames, frames);
		/* every frame shorter than the UDP header is a truncation anomaly; the last one is a message */
		cr_assert_eq(count_anomaly(&L, IKE_AN_FRAME_TRUNCATED), frames - 1, "linktype %u: %zu", cases[k].lt,
			     count_anomaly(&L, IKE_AN_FRAME_TRUNCATED));
		cr_assert_eq(count_kind(&L, IKE_CAP_MESSAGE), 1);
		cr_assert_eq(nth_kind(&L, IKE_CAP_MESSAGE, 0)->len, 0);
		for (size_t i = 0; i < L.n; i++)
			cr_assert_eq(L.ev[i].at.frame, i + 1);
		evlist_free(&L);
		free(p);
	}
}
