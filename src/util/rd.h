/*
 * rd.h — the one bounds-checked reader for untrusted bytes.
 *
 * Getters return 0 (or an empty span) and set a sticky error on overrun, so a
 * decoder reads straight through and checks once at the end. Lengths are
 * compared, never pointer sums. Nothing outside this reader indexes packet
 * memory.
 */
#ifndef IKESCOPE_RD_H
#define IKESCOPE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/ike.h"

struct ike_rd {
	const uint8_t *p;
	size_t left;
	size_t off;       /* bytes consumed since the root reader began (for anomaly offsets) */
	enum ike_err err; /* sticky: the first error wins */
};

static inline struct ike_rd ike_rd_init(const uint8_t *p, size_t len, size_t base_off)
{
	struct ike_rd r = {p, len, base_off, IKE_OK};
	return r;
}
static inline struct ike_rd ike_rd_span(struct ike_span s, size_t base_off)
{
	return ike_rd_init(s.p, s.len, base_off);
}

static inline bool ike_rd_ok(const struct ike_rd *r) { return r->err == IKE_OK; }
static inline size_t ike_rd_left(const struct ike_rd *r) { return r->left; }
static inline void ike_rd_fail(struct ike_rd *r, enum ike_err e)
{
	if (r->err == IKE_OK)
		r->err = e;
}

uint8_t ike_rd_u8(struct ike_rd *r);
uint16_t ike_rd_be16(struct ike_rd *r);
uint32_t ike_rd_be24(struct ike_rd *r);
uint32_t ike_rd_be32(struct ike_rd *r);
uint64_t ike_rd_be64(struct ike_rd *r);
uint16_t ike_rd_le16(struct ike_rd *r);
uint32_t ike_rd_le32(struct ike_rd *r);
/* Copies n bytes into out (zeroes it on overrun). */
void ike_rd_copy(struct ike_rd *r, void *out, size_t n);
/* Borrowed span of the next n bytes. */
struct ike_span ike_rd_bytes(struct ike_rd *r, size_t n);
/* Everything that is left (borrowed). */
struct ike_span ike_rd_rest(struct ike_rd *r);
void ike_rd_skip(struct ike_rd *r, size_t n);
/* Child reader over the next n bytes; the parent skips them. On overrun the
 * child is empty and carries the error. */
struct ike_rd ike_rd_sub(struct ike_rd *r, size_t n);
/* The last n bytes (ICV, padding), removed from the reader. */
struct ike_span ike_rd_tail(struct ike_rd *r, size_t n);
/* Peeks without consuming; 0 on overrun (no error set). */
uint8_t ike_rd_peek_u8(const struct ike_rd *r, size_t at);
/* r->err, or IKE_E_TRAILING when bytes are left. */
enum ike_err ike_rd_end(const struct ike_rd *r);

#endif
