/*
 * link.c — stripping the link layer down to the IP header.
 *
 * Ethernet (with any stack of 802.1Q / 802.1ad / 0x9100 tags), Linux cooked
 * SLL and SLL2, raw IP (DLT_RAW, LINKTYPE_RAW, DLT_IPV4, DLT_IPV6) and the BSD
 * loopback headers (DLT_NULL in the capturing host's byte order, DLT_LOOP in
 * network order).
 */
#include "capture/cap_int.h"

enum {
	LT_NULL = 0,
	LT_EN10MB = 1,
	LT_RAW = 12,
	LT_RAW_OPENBSD = 14,
	LT_LINKTYPE_RAW = 101,
	LT_LOOP = 108,
	LT_LINUX_SLL = 113,
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_LINUX_SLL2 = 276,
};

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define MAX_VLAN_TAGS 4

bool ike_cap_link_supported(int dlt)
{
	switch (dlt) {
	case LT_NULL: case LT_EN10MB: case LT_RAW: case LT_RAW_OPENBSD: case LT_LINKTYPE_RAW: case LT_LOOP:
	case LT_LINUX_SLL: case LT_IPV4: case LT_IPV6: case LT_LINUX_SLL2:
		return true;
	default:
		return false;
	}
}

static bool is_vlan(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/* EtherType (after any VLAN tags) to IP version; 0 for anything else. */
static int ethertype(struct ike_capture *c, struct ike_rd *r, uint16_t type)
{
	for (unsigned tags = 0; is_vlan(type); tags++) {
		if (tags == MAX_VLAN_TAGS)
			return 0;
		ike_rd_skip(r, 2); /* TCI */
		type = ike_rd_be16(r);
	}
	if (!ike_rd_ok(r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, (uint32_t)r->off, "frame ends inside its VLAN tags");
		return 0;
	}
	if (type == ETH_IPV4)
		return 4;
	if (type == ETH_IPV6)
		return 6;
	return 0;
}

/* First nibble of a raw IP packet. */
static int raw_version(struct ike_capture *c, const struct ike_rd *r)
{
	if (ike_rd_left(r) == 0) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, 0, "frame has no IP header");
		return 0;
	}
	uint8_t v = ike_rd_peek_u8(r, 0) >> 4;
	return v == 4 || v == 6 ? v : 0;
}

static int bsd_family(uint32_t af)
{
	if (af == 2)
		return 4;
	if (af == 24 || af == 28 || af == 30) /* NetBSD/OpenBSD, FreeBSD, Darwin */
		return 6;
	return 0;
}

int ike_cap_link(struct ike_capture *c, struct ike_rd *r)
{
	struct ike_rd h = *r;
	int v = 0;
	size_t need;

	switch (c->dlt) {
	case LT_EN10MB:
		need = 14;
		ike_rd_skip(&h, 12);
		v = ike_rd_ok(&h) && ike_rd_left(&h) >= 2 ? ethertype(c, &h, ike_rd_be16(&h)) : -1;
		break;
	case LT_LINUX_SLL:
		need = 16;
		ike_rd_skip(&h, 14);
		v = ike_rd_ok(&h) && ike_rd_left(&h) >= 2 ? ethertype(c, &h, ike_rd_be16(&h)) : -1;
		break;
	case LT_LINUX_SLL2: {
		need = 20;
		uint16_t proto = ike_rd_be16(&h);
		ike_rd_skip(&h, 18);
		v = ike_rd_ok(&h) ? ethertype(c, &h, proto) : -1;
		break;
	}
	case LT_NULL: {
		need = 4;
		uint32_t af = ike_rd_le32(&h);
		/* host byte order of the capturing machine: a big-endian value reads huge */
		if (af > 0xffff)
			af = (af >> 24) | ((af >> 8) & 0xff00) | ((af << 8) & 0xff0000) | (af << 24);
		v = ike_rd_ok(&h) ? bsd_family(af) : -1;
		break;
	}
	case LT_LOOP: {
		need = 4;
		uint32_t af = ike_rd_be32(&h);
		v = ike_rd_ok(&h) ? bsd_family(af) : -1;
		break;
	}
	case LT_IPV4:
	case LT_IPV6:
	case LT_RAW:
	case LT_RAW_OPENBSD:
	case LT_LINKTYPE_RAW:
		v = raw_version(c, &h);
		if (v == 4 && c->dlt == LT_IPV6)
			v = 0;
		if (v == 6 && c->dlt == LT_IPV4)
			v = 0;
		break;
	default:
		return 0;
	}
	if (v < 0) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, 0, "frame of %zu bytes is shorter than its %zu-byte link header",
				ike_rd_left(r), need);
		return 0;
	}
	if (v)
		*r = h;
	return v;
}
