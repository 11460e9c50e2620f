/* rd.c — the bounds-checked reader (see rd.h). */
#include "util/rd.h"

#include <string.h>

static bool take(struct ike_rd *r, size_t n)
{
	if (r->err != IKE_OK)
		return false;
	if (n > r->left) {
		r->err = IKE_E_TRUNC;
		r->p += r->left;
		r->off += r->left;
		r->left = 0;
		return false;
	}
	return true;
}

static void advance(struct ike_rd *r, size_t n)
{
	r->p += n;
	r->left -= n;
	r->off += n;
}

uint8_t ike_rd_u8(struct ike_rd *r)
{
	if (!take(r, 1))
		return 0;
	uint8_t v = r->p[0];
	advance(r, 1);
	return v;
}

uint16_t ike_rd_be16(struct ike_rd *r)
{
	if (!take(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	advance(r, 2);
	return v;
}

uint32_t ike_rd_be24(struct ike_rd *r)
{
	if (!take(r, 3))
		return 0;
	uint32_t v = (uint32_t)r->p[0] << 16 | (uint32_t)r->p[1] << 8 | r->p[2];
	advance(r, 3);
	return v;
}

uint32_t ike_rd_be32(struct ike_rd *r)
{
	if (!take(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	advance(r, 4);
	return v;
}

uint64_t ike_rd_be64(struct ike_rd *r)
{
	uint64_t hi = ike_rd_be32(r);
	uint64_t lo = ike_rd_be32(r);
	return r->err == IKE_OK ? hi << 32 | lo : 0;
}

uint16_t ike_rd_le16(struct ike_rd *r)
{
	if (!take(r, 2))
		return 0;
	uint16_t v = (uint16_t)(r->p[1] << 8 | r->p[0]);
	advance(r, 2);
	return v;
}

uint32_t ike_rd_le32(struct ike_rd *r)
{
	if (!take(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[3] << 24 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[1] << 8 | r->p[0];
	advance(r, 4);
	return v;
}

void ike_rd_copy(struct ike_rd *r, void *out, size_t n)
{
	if (!take(r, n)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	advance(r, n);
}

struct ike_span ike_rd_bytes(struct ike_rd *r, size_t n)
{
	struct ike_span s = {NULL, 0};
	if (!take(r, n))
		return s;
	s.p = r->p;
	s.len = n;
	advance(r, n);
	return s;
}

struct ike_span ike_rd_rest(struct ike_rd *r)
{
	return ike_rd_bytes(r, r->left);
}

void ike_rd_skip(struct ike_rd *r, size_t n)
{
	if (take(r, n))
		advance(r, n);
}

struct ike_rd ike_rd_sub(struct ike_rd *r, size_t n)
{
	struct ike_rd c = {NULL, 0, r->off, IKE_OK};
	if (!take(r, n)) {
		c.err = r->err;
		return c;
	}
	c.p = r->p;
	c.left = n;
	advance(r, n);
	return c;
}

struct ike_span ike_rd_tail(struct ike_rd *r, size_t n)
{
	struct ike_span s = {NULL, 0};
	if (!take(r, n))
		return s;
	r->left -= n;
	s.p = r->p + r->left;
	s.len = n;
	return s;
}

uint8_t ike_rd_peek_u8(const struct ike_rd *r, size_t at)
{
	if (r->err != IKE_OK || at >= r->left)
		return 0;
	return r->p[at];
}

enum ike_err ike_rd_end(const struct ike_rd *r)
{
	if (r->err != IKE_OK)
		return r->err;
	return r->left ? IKE_E_TRAILING : IKE_OK;
}
