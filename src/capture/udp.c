/*
 * udp.c — UDP 500 and 4500 (and --port extras), and ESP counting.
 *
 * Port 500 style: the payload is the IKE message. Port 4500 (RFC 3948):
 * a single 0xFF byte is a NAT keepalive, four zero bytes are the non-ESP
 * marker before an IKE message, anything else is ESP, counted per SPI and
 * direction in a fixed table and never decoded.
 *
 * A payload the capture cut short (snaplen) is still handed on with the bytes
 * that exist: the IKE decoder then records its own truncation anomaly against
 * the message, which says more than a bare frame-level one would.
 */
#include "capture/cap_int.h"

#include <string.h>

static uint32_t mix(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u; /* FNV-1a */
	return h;
}

void ike_cap_esp_count(struct ike_capture *c, uint32_t spi)
{
	const struct ike_addr *s = &c->cur.src, *d = &c->cur.dst;
	c->st.esp_packets++;
	c->cur_counted = true;
	uint32_t h = mix(2166136261u, s->a, sizeof(s->a));
	h = mix(h, d->a, sizeof(d->a));
	uint8_t sb[4] = {(uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8), (uint8_t)spi};
	h = mix(h, sb, 4);
	for (uint32_t i = 0; i < CAP_ESP_SLOTS; i++) {
		uint16_t *slot = &c->esp_slot[(h + i) & (CAP_ESP_SLOTS - 1)];
		if (*slot == 0) {
			if (c->n_esp == CAP_ESP_MAX) {
				c->esp_truncated = true;
				return;
			}
			struct ike_esp_count *e = &c->esp[c->n_esp++];
			e->src = *s;
			e->dst = *d;
			e->spi = spi;
			e->packets = 1;
			*slot = (uint16_t)c->n_esp;
			return;
		}
		struct ike_esp_count *e = &c->esp[*slot - 1];
		if (e->spi == spi && memcmp(&e->src, s, sizeof(*s)) == 0 && memcmp(&e->dst, d, sizeof(*d)) == 0) {
			e->packets++;
			return;
		}
	}
}

static void encap(struct ike_capture *c, struct ike_rd *r, size_t plen)
{
	size_t have = ike_rd_left(r);
	if (plen == 1 && have == 1 && ike_rd_peek_u8(r, 0) == 0xff) {
		struct ike_span k = ike_rd_bytes(r, 1);
		ike_cap_emit(c, IKE_CAP_KEEPALIVE, &c->cur, k.p, k.len);
		return;
	}
	if (plen >= 4 && have < 4) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, (uint32_t)r->off,
				"UDP %u payload cut to %zu bytes by the capture", c->cur.dport, have);
		return;
	}
	uint32_t lead = ike_rd_be32(r);
	if (!ike_rd_ok(r)) {
		ike_cap_anomaly(c, IKE_AN_MALFORMED, (uint32_t)r->off,
				"%zu-byte UDP payload on port 4500 is neither a keepalive, IKE nor ESP", plen);
		return;
	}
	if (lead == 0) {
		struct ike_span m = ike_rd_rest(r);
		c->cur.transport = IKE_TR_UDP_ENCAP;
		ike_cap_emit(c, IKE_CAP_MESSAGE, &c->cur, m.p, m.len);
		return;
	}
	if (plen < 8) {
		ike_cap_anomaly(c, IKE_AN_MALFORMED, (uint32_t)r->off,
				"%zu-byte UDP payload on port 4500 is too short for ESP", plen);
		return;
	}
	ike_cap_esp_count(c, lead);
}

void ike_cap_udp(struct ike_capture *c, const struct cap_l4 *l4)
{
	struct ike_rd r = ike_rd_span(l4->data, l4->frame_off);
	uint16_t sport = ike_rd_be16(&r);
	uint16_t dport = ike_rd_be16(&r);
	if (ike_rd_ok(&r) && !ike_cap_is_ike_port(c, sport) && !ike_cap_is_ike_port(c, dport))
		return;
	size_t ulen = ike_rd_be16(&r);
	ike_rd_skip(&r, 2);
	if (!ike_rd_ok(&r)) {
		ike_cap_anomaly(c, IKE_AN_FRAME_TRUNCATED, l4->frame_off, "frame ends inside the UDP header");
		return;
	}
	c->cur_counted = true;
	c->cur.sport = sport;
	c->cur.dport = dport;
	c->cur.transport = IKE_TR_UDP;
	if (l4->wire_len < 8) {
		ike_cap_anomaly(c, IKE_AN_UDP_BAD_LENGTH, l4->frame_off, "IP carries %zu bytes, less than a UDP header",
				l4->wire_len);
		return;
	}
	size_t plen = l4->wire_len - 8;
	if (ulen != l4->wire_len) {
		ike_cap_anomaly(c, IKE_AN_UDP_BAD_LENGTH, l4->frame_off + 4, "UDP length %zu, IP carries %zu", ulen,
				l4->wire_len);
		if (ulen >= 8 && ulen < l4->wire_len)
			plen = ulen - 8;
	}
	size_t have = ike_rd_left(&r);
	struct ike_rd p = ike_rd_sub(&r, have < plen ? have : plen);
	if (ike_cap_is_encap_port(c, sport) || ike_cap_is_encap_port(c, dport)) {
		encap(c, &p, plen);
		return;
	}
	struct ike_span m = ike_rd_rest(&p);
	ike_cap_emit(c, IKE_CAP_MESSAGE, &c->cur, m.p, m.len);
}
