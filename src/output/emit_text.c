/*
 * emit_text.c — the emitter behind -V: indented "key: value" lines, nested
 * objects two spaces further, list elements as YAML-style "- " items:
 *
 *     payloads:
 *       - type: SA
 *         proposals:
 *           - number: 1
 *
 * A container's "key:" line is written when its first member is, so an
 * empty one reads "key: []" or "key: {}" on one line.
 */
#include <inttypes.h>
#include <string.h>

#include "output/out_int.h"

static void indent(FILE *f, unsigned n)
{
	static const char spaces[] = "                                        ";
	while (n) {
		unsigned k = n < sizeof(spaces) - 1 ? n : (unsigned)sizeof(spaces) - 1;
		fwrite(spaces, 1, k, f);
		n -= k;
	}
}

static void show(struct ike_text_w *w, unsigned level);

/* Writes the start of a line at level i up to and including "key:" (or the
 * list element's "-"); the caller ends it with " value\n" or "\n". */
static void line_start(struct ike_text_w *w, unsigned i, const char *key)
{
	show(w, i);
	struct ike_text_level *l = &w->lv[i];
	if (l->list) {
		indent(w->f, l->indent);
		fputc('-', w->f);
		return;
	}
	if (l->dash) {
		indent(w->f, l->indent - 2);
		fputs("- ", w->f);
		l->dash = false;
	} else {
		indent(w->f, l->indent);
	}
	if (key)
		ike_text_str(w->f, key, strlen(key));
	fputc(':', w->f);
}

/* Writes the "key:" lines of the containers down to level that are not yet shown. */
static void show(struct ike_text_w *w, unsigned level)
{
	for (unsigned j = 1; j <= level; j++) {
		struct ike_text_level *l = &w->lv[j];
		if (l->shown)
			continue;
		l->shown = true;
		line_start(w, j - 1, l->key[0] ? l->key : NULL);
		fputc('\n', w->f);
	}
}

static void t_open(struct ike_text_w *w, const char *key, bool list)
{
	if (w->dropped || w->depth + 1 >= IKE_TEXT_MAX_DEPTH) {
		w->dropped++;
		return;
	}
	struct ike_text_level *parent = &w->lv[w->depth];
	struct ike_text_level *l = &w->lv[++w->depth];
	memset(l, 0, sizeof(*l));
	l->list = list;
	l->indent = parent->indent + 2;
	if (key && !parent->list)
		snprintf(l->key, sizeof(l->key), "%s", key);
	if (parent->list && !list) {
		/* An object in a list: its first member line carries the dash. */
		l->dash = true;
		l->shown = true;
	}
}

static void t_close(struct ike_text_w *w)
{
	if (w->dropped) {
		w->dropped--;
		return;
	}
	if (w->depth == 0)
		return;
	struct ike_text_level *l = &w->lv[w->depth];
	if (l->dash) {
		show(w, w->depth - 1);
		indent(w->f, l->indent - 2);
		fputs("- {}\n", w->f);
	} else if (!l->shown) {
		line_start(w, w->depth - 1, l->key[0] ? l->key : NULL);
		fputs(l->list ? " []\n" : " {}\n", w->f);
	}
	w->depth--;
}

static void t_obj_open(void *ctx, const char *key, size_t klen)
{
	(void)klen;
	t_open(ctx, key, false);
}
static void t_list_open(void *ctx, const char *key, size_t klen)
{
	(void)klen;
	t_open(ctx, key, true);
}
static void t_close_any(void *ctx) { t_close(ctx); }

/* Starts a scalar's line; false when it is inside a container past the cap. */
static bool scalar(struct ike_text_w *w, const char *key)
{
	if (w->dropped)
		return false;
	line_start(w, w->depth, key);
	fputc(' ', w->f);
	return true;
}

static void t_u64(void *ctx, const char *key, size_t klen, uint64_t v)
{
	(void)klen;
	struct ike_text_w *w = ctx;
	if (scalar(w, key)) {
		ike_out_u64(w->f, v);
		fputc('\n', w->f);
	}
}

static void t_i64(void *ctx, const char *key, size_t klen, int64_t v)
{
	(void)klen;
	struct ike_text_w *w = ctx;
	if (scalar(w, key))
		fprintf(w->f, "%" PRId64 "\n", v);
}

static void t_str(void *ctx, const char *key, size_t klen, const char *v)
{
	(void)klen;
	struct ike_text_w *w = ctx;
	if (!scalar(w, key))
		return;
	if (v)
		ike_text_str(w->f, v, strlen(v));
	else
		fputs("-", w->f);
	fputc('\n', w->f);
}

static void t_hex(void *ctx, const char *key, size_t klen, const uint8_t *p, size_t n)
{
	(void)klen;
	struct ike_text_w *w = ctx;
	if (!scalar(w, key))
		return;
	ike_out_hex(w->f, p, n);
	if (n == 0)
		fputs("(empty)", w->f);
	fputc('\n', w->f);
}

static void t_bool(void *ctx, const char *key, size_t klen, bool v)
{
	(void)klen;
	struct ike_text_w *w = ctx;
	if (scalar(w, key))
		fputs(v ? "true\n" : "false\n", w->f);
}

void ike_text_emitter(struct ike_text_w *w, FILE *f, unsigned indent_0, struct ike_emit *e)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->lv[0].indent = indent_0;
	w->lv[0].shown = true;
	*e = (struct ike_emit){
		.ctx = w,
		.obj_open = t_obj_open,
		.obj_close = t_close_any,
		.list_open = t_list_open,
		.list_close = t_close_any,
		.u64 = t_u64,
		.i64 = t_i64,
		.str = t_str,
		.hex = t_hex,
		.boolean = t_bool,
	};
}
