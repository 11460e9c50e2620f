/*
 * ip.c — IPv4 and IPv6 down to the transport layer.
 *
 * The IPv4 header checksum is not verified: captures taken on the sending
 * host routinely carry checksum offload garbage. A total or payload length of
 * zero (segmentation offload, jumbograms) means "what was on the wire".
 * Fragments go to frag.c; whole packets straight to the transport.
 */
#include "capture/cap_int.h"

#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff
#define IP6_MAX_EXT 8

enum { P_HOPOPTS = 0, P_TCP = 6, P_UDP = 17, P_ROUTING = 43, P_FRAGMENT = 44, P_ESP = 50, P_AH = 51,
       P_NONE = 59, P_DSTOPTS = 60, P_MOBILITY = 135, P_HIP = 139, P_SHIM6 = 140 };

bool ike_cap_l4_is_ike(const struct ike_capture *c, uint8_t proto, struct ike_rd r)
{
	if (proto != P_UDP && proto != P_TCP)
		return false;
	uint16_t sport = ike_rd_be16(&r);
	uint16_t dport = ike_rd_be16(&r);
	return ike_rd_ok(&r) && (ike_cap_is_ike_port(c, sport) || ike_cap_is_ike_port(c, dport));
}

void ike_cap_l4(struct ike_capture *c, const struct cap_l4 *l4)
{
	switch (l4->proto) {
	case P_UDP:
		ike_cap_udp(c, l4);
		break;
	case P_TCP:
		ike_cap_tcp(c, l4);
		break;
	case P_ESP: {
		struct ike_rd r = ike_rd_span(l4->data, 0);
		uint32_t spi = ike_rd_be32(&r);
		if (ike_rd_ok(&r))
			ike_cap_esp_count(c, spi);
		break;
	}
	default:
		break;
	}
}

bool ike_cap_ip6_ext(struct ike_rd *r, uint8_t *nh, struct cap_ip6_frag *f)
{
	for (unsigned n = 0; n < IP6_MAX_EXT; n++) {
		switch (*nh) {
		case P_HOPOPTS: case P_ROUTING: case P_DSTOPTS: case P_MOBILITY: case P_HIP: case P_SHIM6: {
			uint8_t next = ike_rd_u8(r);
			size_t len = ((size_t)ike_rd_u8(r) + 1) * 8;
			ike_rd_skip(r, len - 2);
			*nh = next;
			break;
		}
		case P_AH: {
			uint8_t next = ike_rd_u8(r);
			size_t len = ((size_t)ike_rd_u8(r) + 2) * 4;
			ike_rd_skip(r, len - 2);
			*nh = next;
			break;
		}
		case P_FRAGMENT: {
			if (!f)
				return ike_rd_ok(r); /* a second fragment header: stop here */
			f->present = true;
			f->nh = ike_rd_u8(r);
			ike_rd_skip(r, 1);
			uint16_t om = ike_rd_be16(r);
			f->id = ike_rd_be32(r);
			f->off = (uint16_t)(om & 0xfff8);
			f->more = (om & 1) != 0;
			return ike_rd_ok(r);
		}
		default:
			return ike_rd_ok(r);
		}
		if (!ike_rd_ok(r))
			return false;
	}
	return ike_rd_ok(r);
}

/* Transport bytes present (clipped to the declared length) and declared. */
static void deliver(struct ike_capture *c, uint8_t proto, struct ike_rd *r, size_t declared)
{
	struct cap_l4 l4;
	l4.proto = proto;
	l4.frame_off = (uint32_t)r->off;
	size_t have = ike_rd_left(r);
	l4.data = ike_rd_bytes(r, have < declared ? have : declared);
	l4.wire_len = declared;
	ike_cap_l4(c, &l4);
}

static void fragment(struct ike_capture *c, const struct cap_frag_key *k, uint32_t off, bool more,
		     struct ike_rd *r, size_t declared, uint8_t l4proto, struct ike_rd upper)
{
	bool first_ike = false;
	if (off == 0) {
		if (l4proto == P_ESP) {
			uint32_t spi = ike_rd_be32(&upper);
			if (ike_rd_ok(&upper))
				ike_cap_esp_count(c, spi);
		}
		first_ike = ike_cap_l4_is_ike(c, l4proto, upper);
	}
	if (ike_rd_left(r) < declared) {
		if (off != 0 || first_ike)
			ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, (uint32_t)r->off,
					"IP fragment cut to %zu of %zu bytes by the capture", ike_rd_left(r), declared);
		return;
	}
	ike_cap_frag(c, k, off, more, ike_rd_bytes(r, declared), first_ike);
}

static void ipv4(struct ike_capture *c, struct ike_rd *r, size_t wire)
{
	uint32_t start = (uint32_t)r->off;
	uint8_t vihl = ike_rd_u8(r);
	ike_rd_skip(r, 1);
	size_t total = ike_rd_be16(r);
	uint16_t id = ike_rd_be16(r);
	uint16_t fo = ike_rd_be16(r);
	ike_rd_skip(r, 1);
	uint8_t proto = ike_rd_u8(r);
	ike_rd_skip(r, 2);
	struct cap_frag_key k = {.version = 4, .proto = proto, .id = id};
	k.src.family = k.dst.family = 4;
	ike_rd_copy(r, k.src.a, 4);
	ike_rd_copy(r, k.dst.a, 4);
	if (!ike_rd_ok(r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, start, "frame ends inside the IPv4 header");
		return;
	}
	size_t hl = (size_t)(vihl & 0x0f) * 4;
	if (hl < 20 || (total != 0 && total < hl)) {
		ike_cap_anomaly(c, IKE_AN_IP_BAD_HEADER, start, "IPv4 header length %zu, total length %zu", hl, total);
		return;
	}
	c->cur.src = k.src;
	c->cur.dst = k.dst;
	ike_rd_skip(r, hl - 20);
	if (!ike_rd_ok(r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, start, "frame ends inside the IPv4 options");
		return;
	}
	if (total == 0 || total > wire)
		total = wire; /* offload or a lying header: the UDP/TCP checks will tell */
	size_t declared = total - hl;
	uint32_t off = (uint32_t)(fo & IP_OFFMASK) * 8;
	bool more = (fo & IP_MF) != 0;
	if (off || more)
		fragment(c, &k, off, more, r, declared, proto, *r);
	else
		deliver(c, proto, r, declared);
}

static void ipv6(struct ike_capture *c, struct ike_rd *r, size_t wire)
{
	uint32_t start = (uint32_t)r->off;
	ike_rd_skip(r, 4);
	size_t plen = ike_rd_be16(r);
	uint8_t nh = ike_rd_u8(r);
	ike_rd_skip(r, 1);
	struct ike_addr src = {.family = 6}, dst = {.family = 6};
	ike_rd_copy(r, src.a, 16);
	ike_rd_copy(r, dst.a, 16);
	if (!ike_rd_ok(r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, start, "frame ends inside the IPv6 header");
		return;
	}
	c->cur.src = src;
	c->cur.dst = dst;
	if (plen == 0 || plen > wire - 40)
		plen = wire - 40;
	size_t ext_start = r->off;
	struct cap_ip6_frag f = {0};
	if (!ike_cap_ip6_ext(r, &nh, &f)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, start, "frame ends inside the IPv6 extension headers");
		return;
	}
	size_t ext = r->off - ext_start;
	if (ext > plen) {
		ike_cap_anomaly(c, IKE_AN_IP_BAD_HEADER, start, "IPv6 extension headers (%zu bytes) exceed the payload length %zu",
				ext, plen);
		return;
	}
	if (!f.present) {
		deliver(c, nh, r, plen - ext);
		return;
	}
	struct cap_frag_key k = {.version = 6, .proto = f.nh, .id = f.id, .src = src, .dst = dst};
	struct ike_rd upper = *r;
	uint8_t unh = f.nh;
	if (f.off == 0)
		ike_cap_ip6_ext(&upper, &unh, NULL);
	fragment(c, &k, f.off, f.more, r, plen - ext, unh, upper);
}

void ike_cap_ip(struct ike_capture *c, int version, struct ike_rd *r, size_t wire)
{
	if (version == 4)
		ipv4(c, r, wire);
	else
		ipv6(c, r, wire);
}
