/* The bounds-checked reader and the capped arena. */
#include <criterion/criterion.h>
#include <string.h>

#include "util/arena.h"
#include "util/rd.h"

static const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};

Test(rd, reads_big_endian_fields_in_order)
{
	struct ike_rd r = ike_rd_init(bytes, sizeof(bytes), 0);
	cr_expect_eq(ike_rd_u8(&r), 0x01);
	cr_expect_eq(ike_rd_be16(&r), 0x0203);
	cr_expect_eq(ike_rd_be24(&r), 0x040506);
	cr_expect_eq(ike_rd_be32(&r), 0x0708090a);
	cr_expect_eq(r.off, 10);
	cr_expect_eq(ike_rd_end(&r), IKE_OK);
}

Test(rd, be64_and_little_endian)
{
	struct ike_rd r = ike_rd_init(bytes, sizeof(bytes), 0);
	cr_expect_eq(ike_rd_be64(&r), 0x0102030405060708ull);
	cr_expect_eq(ike_rd_le16(&r), 0x0a09);
	r = ike_rd_init(bytes, 4, 0);
	cr_expect_eq(ike_rd_le32(&r), 0x04030201u);
}

Test(rd, overrun_is_sticky_and_returns_zero)
{
	struct ike_rd r = ike_rd_init(bytes, 3, 0);
	cr_expect_eq(ike_rd_be32(&r), 0);
	cr_expect_eq(r.err, IKE_E_TRUNC);
	cr_expect_eq(r.left, 0);
	/* Every later read fails too, even one that would fit in the original. */
	cr_expect_eq(ike_rd_u8(&r), 0);
	struct ike_span s = ike_rd_bytes(&r, 0);
	cr_expect_null(s.p);
	cr_expect_eq(ike_rd_end(&r), IKE_E_TRUNC);
}

Test(rd, every_width_on_every_short_input)
{
	for (size_t len = 0; len < 8; len++) {
		struct ike_rd r = ike_rd_init(bytes, len, 0);
		(void)ike_rd_be64(&r);
		cr_expect_eq(r.err, IKE_E_TRUNC, "len %zu", len);
	}
}

Test(rd, sub_reader_must_be_consumed_exactly)
{
	struct ike_rd r = ike_rd_init(bytes, sizeof(bytes), 100);
	ike_rd_skip(&r, 2);
	struct ike_rd c = ike_rd_sub(&r, 4);
	cr_expect_eq(c.off, 102);
	cr_expect_eq(r.off, 106);
	cr_expect_eq(ike_rd_be16(&c), 0x0304);
	cr_expect_eq(ike_rd_end(&c), IKE_E_TRAILING);
	cr_expect_eq(ike_rd_be16(&c), 0x0506);
	cr_expect_eq(ike_rd_end(&c), IKE_OK);
	/* The child cannot read past its own end into the parent. */
	cr_expect_eq(ike_rd_u8(&c), 0);
	cr_expect_eq(c.err, IKE_E_TRUNC);
	cr_expect_eq(r.err, IKE_OK);
}

Test(rd, sub_reader_larger_than_parent)
{
	struct ike_rd r = ike_rd_init(bytes, 4, 0);
	struct ike_rd c = ike_rd_sub(&r, 5);
	cr_expect_eq(c.err, IKE_E_TRUNC);
	cr_expect_eq(c.left, 0);
	cr_expect_eq(r.err, IKE_E_TRUNC);
}

Test(rd, tail_takes_from_the_end)
{
	struct ike_rd r = ike_rd_init(bytes, sizeof(bytes), 0);
	struct ike_span icv = ike_rd_tail(&r, 3);
	cr_expect_eq(icv.len, 3);
	cr_expect_eq(icv.p[0], 0x08);
	cr_expect_eq(r.left, 7);
	struct ike_span rest = ike_rd_rest(&r);
	cr_expect_eq(rest.len, 7);
	cr_expect_eq(rest.p[6], 0x07);
	r = ike_rd_init(bytes, 2, 0);
	icv = ike_rd_tail(&r, 3);
	cr_expect_null(icv.p);
	cr_expect_eq(r.err, IKE_E_TRUNC);
}

Test(rd, copy_zeroes_on_overrun)
{
	uint8_t out[4] = {0xff, 0xff, 0xff, 0xff};
	struct ike_rd r = ike_rd_init(bytes, 3, 0);
	ike_rd_copy(&r, out, 4);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(out[i], 0);
	cr_expect_eq(ike_rd_peek_u8(&r, 0), 0);
}

Test(rd, huge_lengths_do_not_wrap)
{
	struct ike_rd r = ike_rd_init(bytes, sizeof(bytes), 0);
	struct ike_rd c = ike_rd_sub(&r, SIZE_MAX);
	cr_expect_eq(c.err, IKE_E_TRUNC);
	r = ike_rd_init(bytes, sizeof(bytes), 0);
	ike_rd_skip(&r, SIZE_MAX);
	cr_expect_eq(r.err, IKE_E_TRUNC);
}

Test(arena, allocations_are_capped_aligned_and_zeroed)
{
	struct ike_arena a;
	cr_assert_eq(ike_arena_init(&a, 256), 0);
	uint8_t *p = ike_arena_alloc(&a, 10);
	cr_assert_not_null(p);
	cr_expect_eq(p[9], 0);
	uint8_t *q = ike_arena_alloc(&a, 10);
	cr_expect_eq(((uintptr_t)q) % 16, 0);
	cr_expect_null(ike_arena_alloc(&a, 1000));
	cr_expect_null(ike_arena_array(&a, SIZE_MAX / 2, 4));
	char *s = ike_arena_printf(&a, "%s-%d", "x", 42);
	cr_expect_str_eq(s, "x-42");
	ike_arena_reset(&a);
	cr_expect_not_null(ike_arena_alloc(&a, 200));
	ike_arena_free(&a);
}
