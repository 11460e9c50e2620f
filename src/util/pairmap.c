/*
 * pairmap.c — open addressing with linear probing; the table doubles when
 * half full, so a lookup stays short whatever the number of records.
 */
#include <stdlib.h>
#include <string.h>

#include "util/pairmap.h"

static size_t slot_of(uint64_t a, uint64_t b, size_t cap)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull) * 0xbf58476d1ce4e5b9ull;
	h ^= h >> 31;
	return (size_t)(h & (cap - 1));
}

static int map_grow(struct ike_pairmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct ike_pairmap_slot *s = calloc(cap, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->s[i].used)
			continue;
		size_t j = slot_of(m->s[i].a, m->s[i].b, cap);
		while (s[j].used)
			j = (j + 1) & (cap - 1);
		s[j] = m->s[i];
	}
	free(m->s);
	m->s = s;
	m->cap = cap;
	return 0;
}

int ike_pairmap_put(struct ike_pairmap *m, uint64_t a, uint64_t b, uint32_t v)
{
	if ((m->n + 1) * 2 > m->cap && map_grow(m) != 0)
		return -1;
	size_t j = slot_of(a, b, m->cap);
	while (m->s[j].used && (m->s[j].a != a || m->s[j].b != b))
		j = (j + 1) & (m->cap - 1);
	if (!m->s[j].used)
		m->n++;
	m->s[j] = (struct ike_pairmap_slot){.a = a, .b = b, .v = v, .used = true};
	return 0;
}

bool ike_pairmap_get(const struct ike_pairmap *m, uint64_t a, uint64_t b, uint32_t *v)
{
	if (!m->cap)
		return false;
	size_t j = slot_of(a, b, m->cap);
	while (m->s[j].used) {
		if (m->s[j].a == a && m->s[j].b == b) {
			*v = m->s[j].v;
			return true;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return false;
}

void ike_pairmap_clear(struct ike_pairmap *m)
{
	if (m->cap)
		memset(m->s, 0, m->cap * sizeof(*m->s));
	m->n = 0;
}

void ike_pairmap_free(struct ike_pairmap *m)
{
	free(m->s);
	*m = (struct ike_pairmap){0};
}
