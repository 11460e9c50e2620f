/* arena.c — capped bump allocator (see arena.h). */
#include "util/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/pages.h"

/* The memory is mapped, not malloc'ed (pages.h): its pages cost nothing until
 * a message reaches them, whatever the allocator does with fresh blocks
 * (MALLOC_PERTURB_ fills them, which made every reserved megabyte resident). */
int ike_arena_init(struct ike_arena *a, size_t cap)
{
	a->buf = ike_pages_alloc(cap);
	a->cap = a->buf ? cap : 0;
	a->used = 0;
	return a->buf ? 0 : -1;
}

void ike_arena_free(struct ike_arena *a)
{
	ike_pages_free(a->buf, a->cap);
	a->buf = NULL;
	a->cap = a->used = 0;
}

static void *take(struct ike_arena *a, size_t n)
{
	size_t start = (a->used + 15u) & ~(size_t)15u;
	if (start < a->used || start > a->cap || n > a->cap - start)
		return NULL;
	a->used = start + n;
	return a->buf + start;
}

void *ike_arena_alloc(struct ike_arena *a, size_t n)
{
	void *p = take(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *ike_arena_array(struct ike_arena *a, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		return NULL;
	return ike_arena_alloc(a, n * sz);
}

void *ike_arena_array_raw(struct ike_arena *a, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		return NULL;
	return take(a, n * sz);
}

void *ike_arena_dup(struct ike_arena *a, const void *p, size_t n)
{
	void *d = ike_arena_alloc(a, n ? n : 1);
	if (d && n)
		memcpy(d, p, n);
	return d;
}

char *ike_arena_printf(struct ike_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = ike_arena_alloc(a, (size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}
