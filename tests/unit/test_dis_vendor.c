/* Vendor ID payload (RFC 7296 §3.12): well-known VIDs by exact and by
 * prefix match, unknown and empty ones. */
#include <criterion/criterion.h>

#include "dis_harness.h"

static struct dis_env env;
static void setup(void) { dis_env_init(&env); }
static void teardown(void) { dis_env_free(&env); }
TestSuite(vendor, .init = setup, .fini = teardown);

static const char *name_of(const void *vid, size_t n)
{
	cr_assert_eq(dis_decode(&env, &ike_dis_vendor, vid, n), IKE_OK);
	cr_expect_eq(env.left, 0);
	cr_expect_eq(env.msg.n_anomalies, 0);
	dis_describe(&env);
	return rec_get(&env.rec, "name");
}

#define NAME(lit) name_of(lit, sizeof(lit) - 1)

Test(vendor, strongswan)
{
	static const uint8_t ss[] = {0x88, 0x2f, 0xe5, 0x6d, 0x6f, 0xd2, 0x0d, 0xbc,
				     0x22, 0x51, 0x61, 0x3b, 0x2e, 0xbe, 0x5b, 0xeb};
	cr_expect_str_eq(name_of(ss, sizeof(ss)), "strongSwan");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "882fe56d6fd20dbc2251613b2ebe5beb");
	cr_expect_str_eq(name_of(ss, 15), "null", "exact entries need every byte");
	uint8_t longer[17];
	memcpy(longer, ss, 16);
	longer[16] = 0;
	cr_expect_str_eq(name_of(longer, 17), "null", "and no more");
}

Test(vendor, exact_entries)
{
	cr_expect_str_eq(NAME("FLEXVPN-SUPPORTED"), "Cisco FlexVPN Supported");
	cr_expect_str_eq(NAME("CISCO-DELETE-REASON"), "Cisco Delete Reason");
	cr_expect_str_eq(NAME("CISCO-GRE-MODE"), "Cisco GRE Mode");
	cr_expect_str_eq(NAME("\x4a\x13\x1c\x81\x07\x03\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f"), "RFC 3947 NAT-T");
	cr_expect_str_eq(NAME("\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00"),
			 "Dead Peer Detection");
	cr_expect_str_eq(NAME("\x09\x00\x26\x89\xdf\xd6\xb7\x12"), "XAUTH");
	cr_expect_str_eq(NAME("\x12\xf5\xf2\x8c\x45\x71\x68\xa9\x70\x2d\x9f\xe2\x74\xcc\x01\x00"), "Cisco Unity");
	cr_expect_str_eq(NAME("\xb4\xf0\x1c\xa9\x51\xe9\xda\x8d\x0b\xaf\xbb\xd3\x4a\xd3\x04\x4e"),
			 "Fortinet Endpoint Control");
}

Test(vendor, prefix_entries)
{
	cr_expect_str_eq(NAME("CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc."), "Cisco Copyright");
	cr_expect_str_eq(NAME("OE-Libreswan-4.12"), "Libreswan");
	cr_expect_str_eq(NAME("\x40\x48\xb7\xd5\x6e\xbc\xe8\x85\x25\xe7\xde\x7f\x00\xd6\xc2\xd3\x80\x00\x00\x00"),
			 "IKE Fragmentation");
	cr_expect_str_eq(NAME("\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x09"),
			 "MS NT5 ISAKMPOAKLEY (Windows 8 and later)");
	cr_expect_str_eq(NAME("\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x0a"),
			 "MS NT5 ISAKMPOAKLEY", "a newer version falls back to the prefix");
	cr_expect_str_eq(NAME("\xf4\xed\x19\xe0\xc1\x14\xeb\x51\x6f\xaa\xac\x0e\xe3\x7d\xaf\x28\x07\xb4\x38\x1f"
			      "\x00\x00\x00\x01"),
			 "Check Point");
	cr_expect_str_eq(NAME("OE-Libreswan"), "null", "shorter than the prefix");
}

Test(vendor, unknown_and_empty)
{
	cr_expect_str_eq(NAME("some vendor"), "null");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "736f6d652076656e646f72");
	cr_expect_str_eq(name_of("", 0), "null");
	cr_expect_str_eq(rec_get(&env.rec, "data"), "");
}

Test(vendor, every_prefix_of_a_known_vid)
{
	static const char vid[] = "CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.";
	for (size_t len = 0; len < sizeof(vid) - 1; len++) {
		const char *n = name_of(vid, len);
		cr_expect_str_eq(n, len >= 16 ? "Cisco Copyright" : "null", "len %zu", len);
	}
}
