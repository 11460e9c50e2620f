/*
 * pairmap.h — open addressing keyed by two 64-bit words, values 32-bit
 * record indexes. The tracker (SPI pairs, exchanges) and the comparator
 * (message hashes, exchange keys) index their records with it. Owned by the
 * caller's struct; a zeroed map is empty; free with ike_pairmap_free().
 */
#ifndef IKESCOPE_PAIRMAP_H
#define IKESCOPE_PAIRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ike_pairmap_slot {
	uint64_t a, b;
	uint32_t v;
	bool used;
};

struct ike_pairmap {
	struct ike_pairmap_slot *s;
	size_t cap, n; /* cap is a power of two, at most half full */
};

/* Sets (a, b) to v, replacing an earlier value. 0, or -1 when out of memory (the map is unchanged). */
int ike_pairmap_put(struct ike_pairmap *m, uint64_t a, uint64_t b, uint32_t v);
bool ike_pairmap_get(const struct ike_pairmap *m, uint64_t a, uint64_t b, uint32_t *v);
/* Forgets every key and keeps the table: putting back at most as many keys never allocates. */
void ike_pairmap_clear(struct ike_pairmap *m);
void ike_pairmap_free(struct ike_pairmap *m);

#endif
