/*
 * emit_json.c — the emitter that writes compact JSON as it is walked. Only a
 * "something already written here" flag per depth is kept, so the output is
 * streamed and well-formed whatever a describe() function does: containers
 * nested past IKE_JSON_MAX_DEPTH are written as empty ones.
 */
#include <inttypes.h>
#include <string.h>

#include "output/out_int.h"

/* Writes the separator and the member name; false when the value must be
 * left out (inside a container past the cap). */
static bool member(struct ike_json_w *w, const char *key)
{
	if (w->dropped)
		return false;
	if (w->more[w->depth])
		fputc(',', w->f);
	w->more[w->depth] = true;
	/* Objects always get a name and lists never do, so a describe() that
	 * passes the wrong one still yields valid JSON. */
	if (w->depth > 0 && !w->list[w->depth]) {
		ike_json_str(w->f, key ? key : "", key ? strlen(key) : 0);
		fputc(':', w->f);
	}
	return true;
}

static void jopen(struct ike_json_w *w, const char *key, char brace)
{
	if (w->dropped || w->depth >= IKE_JSON_MAX_DEPTH) {
		if (!w->dropped && member(w, key)) {
			/* The first container past the cap: shown empty. */
			fputc(brace, w->f);
			fputc(brace == '{' ? '}' : ']', w->f);
		}
		w->dropped++;
		return;
	}
	member(w, key);
	fputc(brace, w->f);
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
	fputc(w->list[w->depth] ? ']' : '}', w->f); /* what was opened, whatever close was called */
	w->depth--;
}

static void j_obj_open(void *ctx, const char *key) { jopen(ctx, key, '{'); }
static void j_obj_close(void *ctx) { jclose(ctx); }
static void j_list_open(void *ctx, const char *key) { jopen(ctx, key, '['); }
static void j_list_close(void *ctx) { jclose(ctx); }

static void j_u64(void *ctx, const char *key, uint64_t v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key))
		ike_out_u64(w->f, v);
}

static void j_i64(void *ctx, const char *key, int64_t v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key))
		fprintf(w->f, "%" PRId64, v);
}

static void j_str(void *ctx, const char *key, const char *v)
{
	struct ike_json_w *w = ctx;
	if (!member(w, key))
		return;
	if (v)
		ike_json_str(w->f, v, strlen(v));
	else
		fputs("null", w->f);
}

static void j_hex(void *ctx, const char *key, const uint8_t *p, size_t n)
{
	struct ike_json_w *w = ctx;
	if (!member(w, key))
		return;
	fputc('"', w->f);
	ike_out_hex(w->f, p, n);
	fputc('"', w->f);
}

static void j_bool(void *ctx, const char *key, bool v)
{
	struct ike_json_w *w = ctx;
	if (member(w, key))
		fputs(v ? "true" : "false", w->f);
}

void ike_json_emitter(struct ike_json_w *w, FILE *f, struct ike_emit *e)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
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
