/*
 * dis_harness.h — drives one dissector directly through its descriptor, the
 * way the chain walker does (minimum length, decode, bytes left over), and
 * records what describe() emits as "path=value" lines so tests can check
 * members by name: "ts/0/text", "spis/1", "hash_algorithms/0".
 */
#ifndef IKESCOPE_TEST_DIS_HARNESS_H
#define IKESCOPE_TEST_DIS_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dissector.h"

/* ---- recording emitter -------------------------------------------------- */

#define REC_LINES 512
#define REC_DEPTH 8

struct rec {
	char line[REC_LINES][160];
	size_t n;
	char path[REC_DEPTH][40]; /* open containers */
	unsigned next_index[REC_DEPTH]; /* element counter of each open list */
	bool is_list[REC_DEPTH];
	unsigned depth;
};

static inline void rec_key(struct rec *r, const char *key, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < r->depth; i++)
		len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s/", r->path[i]);
	if (key) {
		snprintf(out + len, len < cap ? cap - len : 0, "%s", key);
	} else if (r->depth && r->is_list[r->depth - 1]) {
		snprintf(out + len, len < cap ? cap - len : 0, "%u", r->next_index[r->depth - 1]++);
	}
}

static inline void rec_put(struct rec *r, const char *key, const char *val)
{
	char k[120];
	rec_key(r, key, k, sizeof(k));
	if (r->n < REC_LINES)
		snprintf(r->line[r->n++], sizeof(r->line[0]), "%s=%s", k, val);
}

static inline void rec_push(struct rec *r, const char *key, bool list)
{
	char k[120];
	/* the element's own name is its index (or key) relative to its parent */
	size_t saved = r->depth;
	rec_key(r, key, k, sizeof(k));
	const char *leaf = strrchr(k, '/');
	leaf = leaf ? leaf + 1 : k;
	if (saved < REC_DEPTH) {
		snprintf(r->path[saved], sizeof(r->path[0]), "%.39s", leaf);
		r->is_list[saved] = list;
		r->next_index[saved] = 0;
		r->depth++;
	}
}

static void rec_obj_open(void *c, const char *k, size_t kn) { (void)kn; rec_push(c, k, false); }
static void rec_list_open(void *c, const char *k, size_t kn) { (void)kn; rec_push(c, k, true); }
static void rec_close(void *c)
{
	struct rec *r = c;
	if (r->depth)
		r->depth--;
}
static void rec_u64(void *c, const char *k, size_t kn, uint64_t v)
{
	(void)kn;
	char b[32];
	snprintf(b, sizeof(b), "%" PRIu64, v);
	rec_put(c, k, b);
}
static void rec_i64(void *c, const char *k, size_t kn, int64_t v)
{
	(void)kn;
	char b[32];
	snprintf(b, sizeof(b), "%" PRId64, v);
	rec_put(c, k, b);
}
static void rec_str(void *c, const char *k, size_t kn, const char *v) { (void)kn; rec_put(c, k, v ? v : "null"); }
static void rec_hex(void *c, const char *k, size_t kn, const uint8_t *p, size_t n)
{
	(void)kn;
	char b[130];
	size_t i;
	for (i = 0; i < n && i < 64; i++)
		snprintf(b + 2 * i, 3, "%02x", p[i]);
	b[2 * i] = '\0';
	rec_put(c, k, b);
}
static void rec_bool(void *c, const char *k, size_t kn, bool v) { (void)kn; rec_put(c, k, v ? "true" : "false"); }

static inline struct ike_emit rec_emitter(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	struct ike_emit e = {r, rec_obj_open, rec_close, rec_list_open, rec_close, rec_u64,
			     rec_i64, rec_str, rec_hex, rec_bool};
	return e;
}

/* Value recorded for path, or NULL. */
static inline const char *rec_get(const struct rec *r, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < r->n; i++)
		if (strncmp(r->line[i], path, n) == 0 && r->line[i][n] == '=')
			return r->line[i] + n + 1;
	return NULL;
}

/* ---- decoding environment ----------------------------------------------- */

#define DIS_BASE_OFF 32 /* body offset as if the payload followed the IKE header */

struct dis_env {
	struct ike_msg msg;
	struct ike_arena arena;
	struct ike_dctx ctx;
	struct ike_payload pl;
	struct rec rec;
	size_t left; /* bytes the decoder left unread */
};

static inline void dis_env_init(struct dis_env *v)
{
	memset(v, 0, sizeof(*v));
	ike_arena_init(&v->arena, 1u << 20);
}

static inline void dis_env_free(struct dis_env *v) { ike_arena_free(&v->arena); }

/* Decodes body as the walker would; IKE_E_TRUNC when below min_len. */
static inline enum ike_err dis_decode(struct dis_env *v, const struct ike_dissector *d, const uint8_t *body,
				      size_t len)
{
	memset(&v->msg, 0, sizeof(v->msg));
	memset(&v->pl, 0, sizeof(v->pl));
	ike_arena_reset(&v->arena);
	v->ctx = (struct ike_dctx){.msg = &v->msg, .arena = &v->arena, .dec = NULL, .depth = 0};
	v->pl.type = d->type;
	v->pl.length = (uint16_t)(len + 4);
	v->pl.offset = DIS_BASE_OFF - 4;
	v->pl.dis = d;
	v->pl.body.p = body;
	v->pl.body.len = len;
	if (len < d->min_len)
		return IKE_E_TRUNC;
	struct ike_rd r = ike_rd_init(body, len, DIS_BASE_OFF);
	enum ike_err e = d->decode(&v->ctx, &r, &v->pl);
	v->left = r.left;
	if (e == IKE_OK)
		v->pl.decoded = true;
	return e;
}

/* Runs describe() into the recorder. */
static inline void dis_describe(struct dis_env *v)
{
	struct ike_emit e = rec_emitter(&v->rec);
	v->pl.dis->describe(&v->pl, &e);
}

static inline bool dis_has(const struct dis_env *v, enum ike_anomaly_kind k)
{
	for (uint16_t i = 0; i < v->msg.n_anomalies; i++)
		if (v->msg.anomalies[i].kind == k)
			return true;
	return false;
}

/* Offset of the first anomaly of kind k, or UINT32_MAX. */
static inline uint32_t dis_offset(const struct dis_env *v, enum ike_anomaly_kind k)
{
	for (uint16_t i = 0; i < v->msg.n_anomalies; i++)
		if (v->msg.anomalies[i].kind == k)
			return v->msg.anomalies[i].offset;
	return UINT32_MAX;
}

/* A short dump of the anomalies, for assertion messages. */
static inline const char *dis_anomalies(const struct dis_env *v)
{
	static char buf[512];
	size_t len = 0;
	buf[0] = '\0';
	for (uint16_t i = 0; i < v->msg.n_anomalies && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "[%s@%u %s] ",
					ike_anomaly_name(v->msg.anomalies[i].kind), v->msg.anomalies[i].offset,
					v->msg.anomalies[i].detail);
	return buf;
}

/* Something noticed the damage: an error, an anomaly, or bytes left unread. */
static inline bool dis_flagged(const struct dis_env *v, enum ike_err e)
{
	return e != IKE_OK || v->msg.n_anomalies > 0 || v->left > 0;
}

#endif
