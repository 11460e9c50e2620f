/*
 * pages.h — large buffers taken from the kernel and given back to it whole:
 * the decoder's arenas and the TCP streams' reassembly buffers. Their pages
 * cost nothing until written, and freeing one returns exactly its memory,
 * whatever malloc would do with blocks that large (its threshold for mapping
 * them moves up after the first is freed; from then on they come from the
 * heap, and streams evicted and replaced made the peak grow with their
 * number). Under AddressSanitizer they come from malloc, so that an access
 * past their end is still reported.
 */
#ifndef IKESCOPE_PAGES_H
#define IKESCOPE_PAGES_H

#include <stddef.h>

/* n bytes, zero-filled; NULL when they cannot be had. */
void *ike_pages_alloc(size_t n);
/* p (of old bytes, or NULL with old 0) as n bytes, its first min(old, n)
 * kept, the rest zero; NULL when they cannot be had (p is then untouched). */
void *ike_pages_resize(void *p, size_t old, size_t n);
/* Gives back p, of n bytes (NULL is ignored). */
void ike_pages_free(void *p, size_t n);

#endif
