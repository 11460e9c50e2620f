/*
 * arena.h — a bump allocator with a hard cap. The decoder owns one and resets
 * it for every message, so decoding does not call malloc per packet and the
 * memory in use never grows past the cap.
 */
#ifndef IKESCOPE_ARENA_H
#define IKESCOPE_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct ike_arena {
	uint8_t *buf;
	size_t cap, used;
};

/* Returns 0, or -1 when the memory cannot be had. */
int ike_arena_init(struct ike_arena *a, size_t cap);
void ike_arena_free(struct ike_arena *a);
static inline void ike_arena_reset(struct ike_arena *a) { a->used = 0; }
/* Zeroed, 16-byte aligned; NULL when the cap would be passed. */
void *ike_arena_alloc(struct ike_arena *a, size_t n);
/* Array of n elements of size sz, overflow-checked. */
void *ike_arena_array(struct ike_arena *a, size_t n, size_t sz);
/* The same, not zeroed: for a table sized for the worst case of which the
 * caller initialises only the elements it uses. */
void *ike_arena_array_raw(struct ike_arena *a, size_t n, size_t sz);
/* Copy of bytes; NULL when full. */
void *ike_arena_dup(struct ike_arena *a, const void *p, size_t n);
/* printf into the arena; NULL when full. */
char *ike_arena_printf(struct ike_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
