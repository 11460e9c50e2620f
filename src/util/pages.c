/* pages.c — see pages.h. */
#include "util/pages.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define PAGES_FROM_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PAGES_FROM_MALLOC 1
#endif
#endif

void *ike_pages_alloc(size_t n)
{
#ifdef PAGES_FROM_MALLOC
	return calloc(1, n ? n : 1);
#else
	void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
#endif
}

void ike_pages_free(void *p, size_t n)
{
	if (!p)
		return;
#ifdef PAGES_FROM_MALLOC
	(void)n;
	free(p);
#else
	munmap(p, n ? n : 1);
#endif
}

/* Buffers grow by doubling, a few times in their life: a new mapping and a
 * copy is cheap enough, and needs nothing beyond POSIX. */
void *ike_pages_resize(void *p, size_t old, size_t n)
{
	void *q = ike_pages_alloc(n);
	if (!q)
		return NULL;
	if (p)
		memcpy(q, p, old < n ? old : n);
	ike_pages_free(p, old);
	return q;
}
