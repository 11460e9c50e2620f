/*
 * fuzz.h — what the libFuzzer targets share: an emitter that reads every
 * key, string and byte it is given (so the sanitizers check them) and prints
 * nothing, a sink FILE for the printers, a memory file with a path for the
 * APIs that open by name, and a splitter for inputs that hold a sequence.
 */
#ifndef IKESCOPE_FUZZ_H
#define IKESCOPE_FUZZ_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ikescope/emit.h"
#include "ikescope/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- an emitter that touches everything -------------------------------- */

static volatile size_t fuzz_sink_acc;

static void fz_key(const char *k, size_t kn)
{
	if (k)
		fuzz_sink_acc += strlen(k) + kn;
}
static void fz_open(void *c, const char *k, size_t kn) { (void)c; fz_key(k, kn); }
static void fz_close(void *c) { (void)c; }
static void fz_u64(void *c, const char *k, size_t kn, uint64_t v) { (void)c; fz_key(k, kn); fuzz_sink_acc += (size_t)v; }
static void fz_i64(void *c, const char *k, size_t kn, int64_t v) { (void)c; fz_key(k, kn); fuzz_sink_acc += (size_t)v; }
static void fz_str(void *c, const char *k, size_t kn, const char *v)
{
	(void)c;
	fz_key(k, kn);
	if (v)
		fuzz_sink_acc += strlen(v);
}
static void fz_hex(void *c, const char *k, size_t kn, const uint8_t *p, size_t n)
{
	(void)c;
	fz_key(k, kn);
	for (size_t i = 0; i < n; i++)
		fuzz_sink_acc += p[i];
}
static void fz_bool(void *c, const char *k, size_t kn, bool v) { (void)c; fz_key(k, kn); fuzz_sink_acc += v; }

static inline struct ike_emit fuzz_emitter(void)
{
	struct ike_emit e = {NULL, fz_open, fz_close, fz_open, fz_close, fz_u64, fz_i64, fz_str, fz_hex, fz_bool};
	return e;
}

/* Diagnostics are read, not printed. */
static void fz_diag_fn(void *ctx, const char *line)
{
	(void)ctx;
	fuzz_sink_acc += strlen(line);
}
static const struct ike_diag fuzz_diag = {fz_diag_fn, NULL};

/* ---- files ------------------------------------------------------------- */

/* The printers write here: /dev/null, opened once. */
static inline FILE *fuzz_null_file(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

/* A memory file holding data, reachable by a path (the capture and log
 * readers open by name); path is "/proc/self/fd/N", valid until the next call. */
static inline const char *fuzz_mem_path(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("ikescope-fuzz", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}

/* ---- sequences --------------------------------------------------------- */

/* Inputs that hold several items separate them with these four bytes. */
#define FUZZ_SEP "\xf0\x0d\xfe\xed"
#define FUZZ_SEP_LEN 4

/* The next item of data[*pos..size): sets *item and *len, advances *pos
 * (start at 0); false when the input is used up. */
static inline bool fuzz_next_item(const uint8_t *data, size_t size, size_t *pos, const uint8_t **item, size_t *len)
{
	if (*pos == SIZE_MAX || *pos > size)
		return false;
	const uint8_t *start = data + *pos;
	size_t left = size - *pos;
	const uint8_t *sep = left >= FUZZ_SEP_LEN ? memmem(start, left, FUZZ_SEP, FUZZ_SEP_LEN) : NULL;
	size_t n = sep ? (size_t)(sep - start) : left;
	*item = start;
	*len = n;
	*pos = sep ? *pos + n + FUZZ_SEP_LEN : SIZE_MAX;
	return true;
}

/* A heap copy of exactly n bytes, so that AddressSanitizer sees reads past the end. */
static inline uint8_t *fuzz_dup(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

#endif
