/*
 * emit_json.c — the emitter that writes compact JSON as it is walked. Only a
 * "something already written here" flag per depth is kept, so the output is
 * streamed and well-formed whatever a describe() function does: containers
 * nested past IKE_JSON_MAX_DEPTH are written as empty ones. The text is
 * formatted into the writer's buffer and reaches the stream once the
 * outermost value is complete.
 */
#include <string.h>

#include "output/out_int.h"

/* Writes the separator and the member name; false when the value must be
 * left out (inside a container past the cap). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline bool member(struct ike_json_w *w, const char *key, size_t klen)
{
	if (w->dropped)
		return false;
	struct ike_obuf *o = &w->o;
	bool comma = w->more[w->depth];
	w->more[w->depth] = true;
	/* Objects always get a name and lists never do, so a describe() that
	 * passes the wrong one still yields valid JSON. */
	if (w->depth == 0 || w->list[w->depth]) {
		if (comma)
			ike_obuf_putc(o, ',');
		return true;
	}
	if (!key)
		klen = 0;
	/* Member names are the printers' own ASCII literals, their length known
	 * at compile time: written as they are when nothing in them needs an
	 * escape. */
	if (klen + 4 <= sizeof(o->b) - o->n) {
		char *d = o->b + o->n;
		d[0] = ',';
		d += comma;
		if (!key || ike_json_copy_plain(d + 1, (const uint8_t *)key, klen)) {
			d[0] = '"';
			d[1 + klen] = '"';
			d[2 + klen] = ':';
			o->n += comma + klen + 3;
			return true;
		}
	}
	if (comma)
		ike_obuf_putc(o, ',');
	ike_obuf_json_str(o, key ? key : "", klen);
	ike_obuf_putc(o, ':');
	return true;
}

static void jopen(struct ike_json_w *w, const char *key, size_t klen, char brace)
{
	if (w->dropped || w->depth >= IKE_JSON_MAX_DEPTH) {
		if (!w->dropped && member(w, key, klen)) {
			/* The first container past the cap: shown empty. */
			ike_obuf_putc(&w->o, brace);
			ike_obuf_putc(&w->o, brace == '{' ? '}' : ']');
		}
		w->dropped++;
		return;
	}
	member(w, key, klen);
	ike_obuf_putc(&w->o, brace);
	w->depth++;
	w->more[w->depth] = false;
	w->list[w->depth] = brace == '[';
}

static void jclose(struct ike_json_w *w)
{
	if (w->dropped) {
		w->dropped--;
		return;
	}
	if (w->depth == 0)
		return; /* unbalanced close: ignored rather than written */
	ike_obuf_putc(&w->o, w->list[w->depth] ? ']' : '}'); /* what was opened, whatever close was called */
	w->depth--;
	if (w->depth == 0)
		ike_obuf_flush(&w->o);
}

/* A scalar written at the outermost level is complete at once. */
static void done(struct ike_json_w *w)
{
	if (w->depth == 0)
		ike_obuf_flush(&w->o);
}

static void j_obj_open(void *ctx, const char *key, size_t klen) { jopen(ctx, key, klen, '{'); }
static void j_obj_close(void *ctx) { jclose(ctx); }
static void j_list_open(void *ctx, const char *key, size_t klen) { jopen(ctx, key, klen, '['); }
static void j_list_close(void *ctx) { jclose(ctx); }

static void j_u64(void *ctx, const char *key, size_t klen, uint64_t v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key, klen))
		ike_obuf_u64(&w->o, v);
	done(w);
}

static void j_i64(void *ctx, const char *key, size_t klen, int64_t v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key, klen))
		ike_obuf_i64(&w->o, v);
	done(w);
}

static void j_str(void *ctx, const char *key, size_t klen, const char *v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key, klen)) {
		struct ike_obuf *o = &w->o;
		if (!v) {
			ike_obuf_write(o, "null", 4);
		} else {
			ike_obuf_json_str(o, v, strlen(v)); /* checked and copied in one pass when plain */
		}
	}
	done(w);
}

static void j_hex(void *ctx, const char *key, size_t klen, const uint8_t *p, size_t n)
{
	struct ike_json_w *w = ctx;
	if (member(w, key, klen)) {
		ike_obuf_putc(&w->o, '"');
		ike_obuf_hex(&w->o, p, n);
		ike_obuf_putc(&w->o, '"');
	}
	done(w);
}

static void j_bool(void *ctx, const char *key, size_t klen, bool v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key, klen))
		ike_obuf_write(&w->o, v ? "true" : "false", v ? 4 : 5);
	done(w);
}

void ike_json_emitter(struct ike_json_w *w, FILE *f, struct ike_emit *e)
{
	w->o.f = f;
	w->o.n = 0;
	w->depth = w->dropped = 0;
	memset(w->more, 0, sizeof(w->more));
	memset(w->list, 0, sizeof(w->list));
	*e = (struct ike_emit){
		.ctx = w,
		.obj_open = j_obj_open,
		.obj_close = j_obj_close,
		.list_open = j_list_open,
		.list_close = j_list_close,
		.u64 = j_u64,
		.i64 = j_i64,
		.str = j_str,
		.hex = j_hex,
		.boolean = j_bool,
	};
}

void ike_json_flush(struct ike_json_w *w) { ike_obuf_flush(&w->o); }
