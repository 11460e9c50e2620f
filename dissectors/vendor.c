/*
 * vendor.c — Vendor ID payload (43), RFC 7296 §3.12.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                        Vendor ID (VID)                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Well-known vendor IDs are named. EXACT entries match the whole VID;
 * PREFIX entries match VIDs that start with the bytes and carry a version
 * or capability suffix (Microsoft's version number, Check Point's build,
 * libreswan's version string, Cisco's fragmentation flags). The first match
 * in table order wins, so specific entries come before their prefixes.
 * Values are the published ones: MD5 of the string in the comment where
 * there is one, the ASCII string itself for Cisco's IKEv2 VIDs.
 */
#include <string.h>

#include "dissector.h"

enum vid_match { EXACT, PREFIX };

struct vid {
	const char *name;
	enum vid_match match;
	size_t len;
	const char *bytes;
};

#define V(name, match, lit) {name, match, sizeof(lit) - 1, lit}

static const struct vid vids[] = {
	/* MD5("strongSwan") */
	V("strongSwan", EXACT, "\x88\x2f\xe5\x6d\x6f\xd2\x0d\xbc\x22\x51\x61\x3b\x2e\xbe\x5b\xeb"),
	/* MD5("RFC 3947") */
	V("RFC 3947 NAT-T", EXACT, "\x4a\x13\x1c\x81\x07\x03\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f"),
	/* MD5("draft-ietf-ipsec-nat-t-ike-02\n") */
	V("draft-ietf-ipsec-nat-t-ike-02", EXACT, "\x90\xcb\x80\x91\x3e\xbb\x69\x6e\x08\x63\x81\xb5\xec\x42\x7b\x1f"),
	/* MD5("draft-ietf-ipsec-nat-t-ike-03") */
	V("draft-ietf-ipsec-nat-t-ike-03", EXACT, "\x7d\x94\x19\xa6\x53\x10\xca\x6f\x2c\x17\x9d\x92\x15\x52\x9d\x56"),
	/* RFC 3706 Dead Peer Detection */
	V("Dead Peer Detection", EXACT, "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00"),
	/* MD5("draft-ietf-ipsra-isakmp-xauth-06.txt"), truncated to 8 bytes */
	V("XAUTH", EXACT, "\x09\x00\x26\x89\xdf\xd6\xb7\x12"),
	/* IKEv1 fragmentation; Cisco and strongSwan append capability flags */
	V("IKE Fragmentation", PREFIX, "\x40\x48\xb7\xd5\x6e\xbc\xe8\x85\x25\xe7\xde\x7f\x00\xd6\xc2\xd3"),
	/* MD5("Vid-Initial-Contact") */
	V("Initial-Contact", EXACT, "\x26\x24\x4d\x38\xed\xdb\x61\xb3\x17\x2a\x36\xe3\xd0\xcf\xb8\x19"),
	/* MD5("CISCO-UNITY") with the last two bytes replaced by 01 00 */
	V("Cisco Unity", EXACT, "\x12\xf5\xf2\x8c\x45\x71\x68\xa9\x70\x2d\x9f\xe2\x74\xcc\x01\x00"),
	V("Cisco FlexVPN Supported", EXACT, "FLEXVPN-SUPPORTED"),
	V("Cisco Delete Reason", EXACT, "CISCO-DELETE-REASON"),
	V("Cisco Dynamic Route", EXACT, "CISCO-DYNAMIC-ROUTE"),
	V("Cisco GRE Mode", EXACT, "CISCO-GRE-MODE"),
	V("Cisco VPN Rev 02", EXACT, "CISCOVPN-REV-02"),
	/* "CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc." */
	V("Cisco Copyright", PREFIX, "CISCO(COPYRIGHT)"),
	V("Cisco IOS", PREFIX, "\x3e\x98\x40\x48"),
	/* truncated MD5("ALTIGA GATEWAY"); the last two bytes are the version */
	V("Cisco VPN 3000", PREFIX, "\x1f\x07\xf7\x0e\xaa\x65\x14\xd3\xb0\xfa\x96\x54\x2a\x50"),
	/* MD5("MS NT5 ISAKMPOAKLEY") followed by a 4-byte version */
	V("MS NT5 ISAKMPOAKLEY (Windows 2000)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x02"),
	V("MS NT5 ISAKMPOAKLEY (Windows XP)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x03"),
	V("MS NT5 ISAKMPOAKLEY (Windows Server 2003)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x04"),
	V("MS NT5 ISAKMPOAKLEY (Windows Vista)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x05"),
	V("MS NT5 ISAKMPOAKLEY (Windows Server 2008)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x06"),
	V("MS NT5 ISAKMPOAKLEY (Windows 7)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x07"),
	V("MS NT5 ISAKMPOAKLEY (Windows Server 2008 R2)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x08"),
	V("MS NT5 ISAKMPOAKLEY (Windows 8 and later)", EXACT,
	  "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x09"),
	V("MS NT5 ISAKMPOAKLEY", PREFIX, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61"),
	V("Windows KEY_MODS (IKEv2)", EXACT,
	  "\x01\x52\x8b\xbb\xc0\x06\x96\x12\x18\x49\xab\x9a\x1c\x5b\x2a\x51\x00\x00\x00\x02"),
	V("MS Negotiation Discovery Supported", EXACT,
	  "\xfb\x1d\xe3\xcd\xf3\x41\xb7\xea\x16\xb7\xe5\xbe\x08\x55\xf1\x20"),
	V("MSFT IPsec Security Realm Id", EXACT, "\x68\x6a\x8c\xbd\xfe\x63\x4b\x40\x51\x46\xfb\x2b\xaf\x33\xe9\xe8"),
	V("Check Point", PREFIX, "\xf4\xed\x19\xe0\xc1\x14\xeb\x51\x6f\xaa\xac\x0e\xe3\x7d\xaf\x28\x07\xb4\x38\x1f"),
	V("Libreswan", PREFIX, "OE-Libreswan-"),
	V("Opportunistic IPsec", EXACT, "Opportunistic IPsec"),
	V("OpenIKED", PREFIX, "OpenIKED"),
	/* MD5("KAME/racoon") */
	V("KAME/racoon", EXACT, "\x70\x03\xcb\xc1\x09\x7d\xbe\x9c\x26\x00\xba\x69\x83\xbc\x8b\x35"),
	/* MD5("Fortinet Endpoint Control") */
	V("Fortinet Endpoint Control", EXACT, "\xb4\xf0\x1c\xa9\x51\xe9\xda\x8d\x0b\xaf\xbb\xd3\x4a\xd3\x04\x4e"),
	/* MD5("forticlient connect license") */
	V("FortiClient Connect License", EXACT, "\x4c\x53\x42\x7b\x6d\x46\x5d\x1b\x33\x7b\xb7\x55\xa3\x7a\x7f\xef"),
	/* MD5("Forticlient EAP Extension") */
	V("FortiClient EAP Extension", EXACT, "\xc1\xdc\x43\x50\x47\x6b\x98\xa4\x29\xb9\x17\x81\x91\x4c\xa4\x3e"),
	/* Juniper/NetScreen SRX and ScreenOS: a fixed hash and a version */
	V("Juniper/NetScreen", PREFIX, "\x69\x93\x69\x22\x87\x41\xc6\xd4\xca\x09\x4c\x93\xe2\x42\xc9\xde\x19\xe7\xb7\xc6"),
	V("SonicWall", EXACT, "\x40\x4b\xf4\x39\x52\x2c\xa3\xf6"),
	V("TIMESTEP", PREFIX, "TIMESTEP"),
};

/* The name of a well-known vendor ID, or NULL. */
static const char *vid_name(struct ike_span v)
{
	for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
		const struct vid *k = &vids[i];
		if (v.len < k->len || (k->match == EXACT && v.len != k->len))
			continue;
		if (memcmp(v.p, k->bytes, k->len) == 0)
			return k->name;
	}
	return NULL;
}

static enum ike_err vendor_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	(void)ctx;
	pl->u.v.data = ike_rd_rest(body);
	pl->u.v.name = vid_name(pl->u.v.data);
	return body->err;
}

static void vendor_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	ike_emit_hex(e, "data", pl->u.v.data.p, pl->u.v.data.len);
	ike_emit_s(e, "name", pl->u.v.name);
}

const struct ike_dissector ike_dis_vendor = {
	.type = 43,
	.name = "Vendor ID",
	.abbrev = "V",
	.min_len = 0,
	.max_len = 0,
	.decode = vendor_decode,
	.describe = vendor_describe,
};
