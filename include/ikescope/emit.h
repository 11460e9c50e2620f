/*
 * emit.h — how the model is walked for printing. Each dissector describes its
 * decoded payload through an emitter; the text tree (-V) and the JSON printer
 * are two emitters, so a field is named once and printed the same everywhere.
 * Keys are the JSON member names of DESIGN.md's contract.
 */
#ifndef IKESCOPE_EMIT_H
#define IKESCOPE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Every key comes with its length: the wrappers below take strlen() of a
 * string literal, which the compiler folds into a constant, so the JSON
 * emitter copies member names without scanning them. */
struct ike_emit {
	void *ctx;
	/* key is NULL (klen 0) for elements of a list */
	void (*obj_open)(void *ctx, const char *key, size_t klen);
	void (*obj_close)(void *ctx);
	void (*list_open)(void *ctx, const char *key, size_t klen);
	void (*list_close)(void *ctx);
	void (*u64)(void *ctx, const char *key, size_t klen, uint64_t v);
	void (*i64)(void *ctx, const char *key, size_t klen, int64_t v);
	void (*str)(void *ctx, const char *key, size_t klen, const char *v); /* v may be NULL: null */
	void (*hex)(void *ctx, const char *key, size_t klen, const uint8_t *p, size_t n); /* lowercase hex string */
	void (*boolean)(void *ctx, const char *key, size_t klen, bool v);
};

static inline size_t ike_emit_klen(const char *k) { return k ? strlen(k) : 0; }

static inline void ike_emit_open(const struct ike_emit *e, const char *k) { e->obj_open(e->ctx, k, ike_emit_klen(k)); }
static inline void ike_emit_close(const struct ike_emit *e) { e->obj_close(e->ctx); }
static inline void ike_emit_list(const struct ike_emit *e, const char *k) { e->list_open(e->ctx, k, ike_emit_klen(k)); }
static inline void ike_emit_list_end(const struct ike_emit *e) { e->list_close(e->ctx); }
static inline void ike_emit_u(const struct ike_emit *e, const char *k, uint64_t v)
{
	e->u64(e->ctx, k, ike_emit_klen(k), v);
}
static inline void ike_emit_i(const struct ike_emit *e, const char *k, int64_t v)
{
	e->i64(e->ctx, k, ike_emit_klen(k), v);
}
static inline void ike_emit_s(const struct ike_emit *e, const char *k, const char *v)
{
	e->str(e->ctx, k, ike_emit_klen(k), v);
}
static inline void ike_emit_hex(const struct ike_emit *e, const char *k, const uint8_t *p, size_t n)
{
	e->hex(e->ctx, k, ike_emit_klen(k), p, n);
}
static inline void ike_emit_b(const struct ike_emit *e, const char *k, bool v)
{
	e->boolean(e->ctx, k, ike_emit_klen(k), v);
}

struct ike_payload;
struct ike_msg;

/*
 * Describes one payload: the common members (type, type_id, critical, length),
 * then the dissector's own, then for SK/SKF the inner "payloads" list.
 * Called inside an open object.
 */
void ike_describe_payload(const struct ike_payload *pl, const struct ike_emit *e);

#endif
