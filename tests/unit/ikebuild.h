/*
 * ikebuild.h — builds IKE messages byte by byte for the unit tests, so each
 * vector is written the way RFC 7296 draws it rather than as opaque hex.
 */
#ifndef IKESCOPE_TEST_IKEBUILD_H
#define IKESCOPE_TEST_IKEBUILD_H

#include <stdint.h>
#include <string.h>

struct ikeb {
	uint8_t b[8192];
	size_t len;
	size_t last_np; /* where the previous "next payload" byte sits */
};

static inline void ikeb_u8(struct ikeb *m, uint8_t v) { m->b[m->len++] = v; }
static inline void ikeb_u16(struct ikeb *m, uint16_t v)
{
	ikeb_u8(m, (uint8_t)(v >> 8));
	ikeb_u8(m, (uint8_t)v);
}
static inline void ikeb_u32(struct ikeb *m, uint32_t v)
{
	ikeb_u16(m, (uint16_t)(v >> 16));
	ikeb_u16(m, (uint16_t)v);
}
static inline void ikeb_u64(struct ikeb *m, uint64_t v)
{
	ikeb_u32(m, (uint32_t)(v >> 32));
	ikeb_u32(m, (uint32_t)v);
}
static inline void ikeb_fill(struct ikeb *m, uint8_t v, size_t n)
{
	memset(m->b + m->len, v, n);
	m->len += n;
}
static inline void ikeb_put16(struct ikeb *m, size_t at, uint16_t v)
{
	m->b[at] = (uint8_t)(v >> 8);
	m->b[at + 1] = (uint8_t)v;
}

/* IKE header; the length is fixed up by ikeb_done(). */
static inline void ikeb_header(struct ikeb *m, uint64_t ispi, uint64_t rspi, uint8_t exch, uint8_t flags,
			       uint32_t mid)
{
	m->len = 0;
	ikeb_u64(m, ispi);
	ikeb_u64(m, rspi);
	m->last_np = m->len;
	ikeb_u8(m, 0);
	ikeb_u8(m, 0x20);
	ikeb_u8(m, exch);
	ikeb_u8(m, flags);
	ikeb_u32(m, mid);
	ikeb_u32(m, 0);
}

/* Opens a payload of the given type: links it from the previous one, writes
 * a generic header and returns where the length goes (close with ikeb_end). */
static inline size_t ikeb_payload(struct ikeb *m, uint8_t type, uint8_t crit)
{
	m->b[m->last_np] = type;
	size_t start = m->len;
	m->last_np = m->len;
	ikeb_u8(m, 0);
	ikeb_u8(m, crit);
	ikeb_u16(m, 0);
	return start;
}
static inline void ikeb_end(struct ikeb *m, size_t start) { ikeb_put16(m, start + 2, (uint16_t)(m->len - start)); }

static inline void ikeb_done(struct ikeb *m)
{
	m->b[24] = (uint8_t)(m->len >> 24);
	m->b[25] = (uint8_t)(m->len >> 16);
	m->b[26] = (uint8_t)(m->len >> 8);
	m->b[27] = (uint8_t)m->len;
}

/* SA payload with one IKE proposal: AES_CBC_256 / HMAC_SHA1_96 / PRF_HMAC_SHA1 / MODP_2048. */
static inline void ikeb_sa_ike(struct ikeb *m)
{
	size_t sa = ikeb_payload(m, 33, 0);
	size_t prop = m->len;
	ikeb_u8(m, 0);      /* last proposal */
	ikeb_u8(m, 0);
	ikeb_u16(m, 0);     /* length, below */
	ikeb_u8(m, 1);      /* proposal 1 */
	ikeb_u8(m, 1);      /* IKE */
	ikeb_u8(m, 0);      /* SPI size */
	ikeb_u8(m, 4);      /* transforms */
	/* ENCR AES_CBC, key length 256 */
	ikeb_u8(m, 3); ikeb_u8(m, 0); ikeb_u16(m, 12); ikeb_u8(m, 1); ikeb_u8(m, 0); ikeb_u16(m, 12);
	ikeb_u16(m, 0x800e); ikeb_u16(m, 256);
	/* INTEG HMAC_SHA1_96 */
	ikeb_u8(m, 3); ikeb_u8(m, 0); ikeb_u16(m, 8); ikeb_u8(m, 3); ikeb_u8(m, 0); ikeb_u16(m, 2);
	/* PRF HMAC_SHA1 */
	ikeb_u8(m, 3); ikeb_u8(m, 0); ikeb_u16(m, 8); ikeb_u8(m, 2); ikeb_u8(m, 0); ikeb_u16(m, 2);
	/* KE MODP_2048 (last transform) */
	ikeb_u8(m, 0); ikeb_u8(m, 0); ikeb_u16(m, 8); ikeb_u8(m, 4); ikeb_u8(m, 0); ikeb_u16(m, 14);
	ikeb_put16(m, prop + 2, (uint16_t)(m->len - prop));
	ikeb_end(m, sa);
}

static inline void ikeb_ke(struct ikeb *m, uint16_t group, size_t n)
{
	size_t p = ikeb_payload(m, 34, 0);
	ikeb_u16(m, group);
	ikeb_u16(m, 0);
	ikeb_fill(m, 0xab, n);
	ikeb_end(m, p);
}

static inline void ikeb_nonce(struct ikeb *m, size_t n)
{
	size_t p = ikeb_payload(m, 40, 0);
	ikeb_fill(m, 0x4e, n);
	ikeb_end(m, p);
}

static inline void ikeb_notify(struct ikeb *m, uint16_t type, const uint8_t *data, size_t n)
{
	size_t p = ikeb_payload(m, 41, 0);
	ikeb_u8(m, 0); /* protocol */
	ikeb_u8(m, 0); /* SPI size */
	ikeb_u16(m, type);
	if (n)
		memcpy(m->b + m->len, data, n);
	m->len += n;
	ikeb_end(m, p);
}

/* IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ] */
static inline void ikeb_sa_init(struct ikeb *m, uint64_t ispi, uint64_t rspi, int response)
{
	static const uint8_t hash[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
	ikeb_header(m, ispi, rspi, 34, response ? 0x20 : 0x08, 0);
	ikeb_sa_ike(m);
	ikeb_ke(m, 14, 256);
	ikeb_nonce(m, 32);
	ikeb_notify(m, 16388, hash, sizeof(hash));
	ikeb_notify(m, 16389, hash, sizeof(hash));
	ikeb_done(m);
}

#endif
