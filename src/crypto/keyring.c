/*
 * keyring.c — the IKE SA key store. Each SA's four keys sit together in a
 * slab of libsodium secure memory shared by many SAs, read-only except while
 * a key is being copied in. (One sodium_malloc per SA cost three guard and
 * canary pages each: 35 MB of resident memory for a 4096-SA key table.)
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto_int.h"

#define KEY_SLAB_BYTES 16384 /* one SA takes at most 2 × 36 + 2 × 64 bytes */

struct key_slab {
	uint8_t *mem; /* sodium_malloc'd, KEY_SLAB_BYTES */
	size_t used;
};

struct sa_entry {
	struct ike_sa_keys pub; /* first: ike_keyring_find() hands out &pub */
	uint8_t *mem;           /* in slab[slab]: SK_ei | SK_er | SK_ai | SK_ar */
	size_t mem_len;
	size_t slab;
};

struct ike_keyring {
	struct sa_entry **sa; /* load order */
	size_t n, cap;
	struct key_slab *slab;
	size_t n_slab, cap_slab;
	uint32_t *slot;       /* open-addressed index by SPI pair: position + 1, 0 = empty */
	size_t nslots;        /* power of two, at least twice n */
};

struct ike_keyring *ike_keyring_new(void)
{
	if (!ike_crypto_init())
		return NULL;
	return calloc(1, sizeof(struct ike_keyring));
}

void ike_keyring_free(struct ike_keyring *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		free(k->sa[i]);
	for (size_t i = 0; i < k->n_slab; i++) {
		sodium_mprotect_readwrite(k->slab[i].mem);
		sodium_memzero(k->slab[i].mem, KEY_SLAB_BYTES);
		sodium_free(k->slab[i].mem);
	}
	free(k->slab);
	free(k->sa);
	free(k->slot);
	free(k);
}

size_t ike_keyring_count(const struct ike_keyring *k) { return k ? k->n : 0; }

const struct ike_sa_keys *ike_keyring_at(const struct ike_keyring *k, size_t i)
{
	return k && i < k->n ? &k->sa[i]->pub : NULL;
}

static size_t slot_of(uint64_t ispi, uint64_t rspi, size_t nslots)
{
	uint64_t h = (ispi ^ (rspi * 0x9e3779b97f4a7c15ull)) * 0xbf58476d1ce4e5b9ull;
	return (size_t)(h >> 32) & (nslots - 1);
}

static struct sa_entry *find(const struct ike_keyring *k, uint64_t ispi, uint64_t rspi)
{
	if (!k || !k->nslots)
		return NULL;
	for (size_t i = slot_of(ispi, rspi, k->nslots);; i = (i + 1) & (k->nslots - 1)) {
		if (!k->slot[i])
			return NULL;
		struct sa_entry *e = k->sa[k->slot[i] - 1];
		if (e->pub.ispi == ispi && e->pub.rspi == rspi)
			return e;
	}
}

/* Puts sa[pos] in the index (which has room). */
static void index_put(struct ike_keyring *k, size_t pos)
{
	const struct ike_sa_keys *p = &k->sa[pos]->pub;
	size_t i = slot_of(p->ispi, p->rspi, k->nslots);
	while (k->slot[i])
		i = (i + 1) & (k->nslots - 1);
	k->slot[i] = (uint32_t)(pos + 1);
}

/* Keeps the index at most half full, so probes stay short and always end. */
static bool index_grow(struct ike_keyring *k, size_t want)
{
	if (2 * want <= k->nslots)
		return true;
	size_t n = k->nslots ? 2 * k->nslots : 64;
	while (2 * want > n)
		n *= 2;
	uint32_t *slot = calloc(n, sizeof(*slot));
	if (!slot)
		return false;
	free(k->slot);
	k->slot = slot;
	k->nslots = n;
	for (size_t i = 0; i < k->n; i++)
		index_put(k, i);
	return true;
}

const struct ike_sa_keys *ike_keyring_find(const struct ike_keyring *k, uint64_t ispi, uint64_t rspi)
{
	struct sa_entry *e = find(k, ispi, rspi);
	return e ? &e->pub : NULL;
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

/* Checks one key's length against its algorithm. */
static bool key_len_ok(const char *role, size_t have, size_t need, unsigned salt, const char *alg, char *why,
		       size_t whylen)
{
	if (have == need)
		return true;
	if (salt)
		snprintf(why, whylen, "%s is %zu bytes, %s needs %zu (key and %u-byte salt)", role, have, alg, need, salt);
	else
		snprintf(why, whylen, "%s is %zu bytes, %s needs %zu", role, have, alg, need);
	return false;
}

/* Resolves and checks the spec's algorithms and key lengths. */
static int check_spec(const struct ike_sa_keyspec *s, const struct ike_encr_alg **pe,
		      const struct ike_integ_alg **pa, char *why, size_t whylen)
{
	const struct ike_encr_alg *e = ike_encr_find_negotiated(s->encr, s->encr_bits);
	if (!e)
		return WHY("unsupported encryption algorithm %u with a %d-bit key", s->encr,
			   s->encr_bits > 0 ? (int)s->encr_bits : 0);
	const struct ike_integ_alg *a = ike_integ_find(s->integ);
	if (!a)
		return WHY("unsupported integrity algorithm %u", s->integ);
	if (ike_encr_is_aead(e) && a->kind != IKE_MK_NONE)
		return WHY("%s is AEAD and takes integrity %s, not %s", e->wireshark, "NONE [RFC4306]", a->wireshark);
	if (!ike_encr_is_aead(e) && a->kind == IKE_MK_NONE)
		return WHY("%s needs an integrity algorithm, not %s", e->wireshark, a->wireshark);
	if (!(s->dirs & (IKE_KEYS_I | IKE_KEYS_R)))
		return WHY("no keys given");
	bool chk = a->kind != IKE_MK_UNCHECKED; /* "no checking" ignores SK_a */
	if (s->dirs & IKE_KEYS_I) {
		if (!key_len_ok("SK_ei", s->ei_len, e->key_len, e->salt_len, e->wireshark, why, whylen) ||
		    (chk && !key_len_ok("SK_ai", s->ai_len, a->key_len, 0, a->wireshark, why, whylen)))
			return -1;
	}
	if (s->dirs & IKE_KEYS_R) {
		if (!key_len_ok("SK_er", s->er_len, e->key_len, e->salt_len, e->wireshark, why, whylen) ||
		    (chk && !key_len_ok("SK_ar", s->ar_len, a->key_len, 0, a->wireshark, why, whylen)))
			return -1;
	}
	*pe = e;
	*pa = a;
	return 0;
}

/* len zeroed bytes of secure memory, left writable (with the rest of its
 * slab) until slab_seal(); NULL when out of memory. */
static uint8_t *key_alloc(struct ike_keyring *k, size_t len, size_t *slab)
{
	if (len == 0)
		len = 1;
	if (len > KEY_SLAB_BYTES)
		return NULL;
	struct key_slab *last = k->n_slab ? &k->slab[k->n_slab - 1] : NULL;
	if (last && KEY_SLAB_BYTES - last->used >= len) {
		sodium_mprotect_readwrite(last->mem);
	} else {
		if (k->n_slab == k->cap_slab) {
			size_t cap = k->cap_slab ? 2 * k->cap_slab : 8;
			struct key_slab *v = realloc(k->slab, cap * sizeof(*v));
			if (!v)
				return NULL;
			k->slab = v;
			k->cap_slab = cap;
		}
		uint8_t *mem = sodium_malloc(KEY_SLAB_BYTES);
		if (!mem)
			return NULL;
		sodium_memzero(mem, KEY_SLAB_BYTES);
		last = &k->slab[k->n_slab++];
		last->mem = mem;
		last->used = 0;
	}
	*slab = (size_t)(last - k->slab);
	uint8_t *p = last->mem + last->used;
	last->used += len;
	return p;
}

static struct sa_entry *entry_new(struct ike_keyring *k, const struct ike_sa_keyspec *s,
				  const struct ike_encr_alg *e, const struct ike_integ_alg *a)
{
	struct sa_entry *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	size_t integ_len = a->kind == IKE_MK_UNCHECKED ? 0 : a->key_len;
	n->mem_len = 2 * (size_t)e->key_len + 2 * integ_len;
	n->mem = key_alloc(k, n->mem_len, &n->slab);
	if (!n->mem) {
		free(n);
		return NULL;
	}
	struct ike_sa_keys *p = &n->pub;
	p->ispi = s->ispi;
	p->rspi = s->rspi;
	p->encr = e->id;
	p->encr_bits = e->bits;
	p->integ = a->id;
	p->icv_len = ike_encr_is_aead(e) ? e->icv_len : a->icv_len;
	p->enc_len = e->key_len;
	p->integ_len = (uint16_t)integ_len;
	p->ei = n->mem;
	p->er = n->mem + e->key_len;
	p->ai = n->mem + 2 * (size_t)e->key_len;
	p->ar = n->mem + 2 * (size_t)e->key_len + integ_len;
	snprintf(p->origin, sizeof(p->origin), "%s", s->origin ? s->origin : "");
	return n;
}

/* Copies one direction's keys in (the block is writable), or compares them with
 * what is there. Returns 1 added, 0 identical, -1 different. */
static int merge_dir(struct sa_entry *n, uint8_t dir, const uint8_t *enc, const uint8_t *integ)
{
	struct ike_sa_keys *p = &n->pub;
	uint8_t *ek = n->mem + (dir == IKE_KEYS_I ? 0 : p->enc_len);
	uint8_t *ak = n->mem + 2 * (size_t)p->enc_len + (dir == IKE_KEYS_I ? 0 : p->integ_len);
	if (p->have & dir) {
		bool same = (p->enc_len == 0 || sodium_memcmp(ek, enc, p->enc_len) == 0) &&
			    (p->integ_len == 0 || sodium_memcmp(ak, integ, p->integ_len) == 0);
		return same ? 0 : -1;
	}
	if (p->enc_len)
		memcpy(ek, enc, p->enc_len);
	if (p->integ_len)
		memcpy(ak, integ, p->integ_len);
	p->have |= dir;
	return 1;
}

int ike_keyring_add(struct ike_keyring *k, const struct ike_sa_keyspec *s, char *why, size_t whylen)
{
	const struct ike_encr_alg *e;
	const struct ike_integ_alg *a;
	if (check_spec(s, &e, &a, why, whylen) < 0)
		return -1;
	struct sa_entry *n = find(k, s->ispi, s->rspi);
	bool fresh = !n;
	if (n) {
		if (n->pub.encr != e->id || n->pub.encr_bits != e->bits || n->pub.integ != a->id)
			return WHY("SA 0x%016" PRIx64 "/0x%016" PRIx64 " conflicts with the one from %s "
				   "(different algorithms); the first is kept", s->ispi, s->rspi, n->pub.origin);
	} else {
		if (k->n >= IKE_KEYRING_MAX_SAS)
		{
			snprintf(why, whylen, "more than %d SAs; SA 0x%016" PRIx64 "/0x%016" PRIx64 " dropped",
				 IKE_KEYRING_MAX_SAS, s->ispi, s->rspi);
			return IKE_KEYRING_FULL;
		}
		if (!index_grow(k, k->n + 1))
			return WHY("out of memory");
		if (k->n == k->cap) {
			size_t cap = k->cap ? 2 * k->cap : 16;
			struct sa_entry **v = realloc(k->sa, cap * sizeof(*v));
			if (!v)
				return WHY("out of memory");
			k->sa = v;
			k->cap = cap;
		}
		n = entry_new(k, s, e, a); /* its slab is writable */
		if (!n)
			return WHY("out of memory");
	}
	uint8_t *slab = k->slab[n->slab].mem;
	if (!fresh)
		sodium_mprotect_readwrite(slab);
	int added = 0, conflict = 0;
	const struct { uint8_t dir; const uint8_t *enc, *integ; } dirs[2] = {
		{IKE_KEYS_I, s->ei, s->ai},
		{IKE_KEYS_R, s->er, s->ar},
	};
	for (size_t i = 0; i < 2; i++) {
		if (!(s->dirs & dirs[i].dir))
			continue;
		int r = merge_dir(n, dirs[i].dir, dirs[i].enc, dirs[i].integ);
		if (r > 0)
			added = 1;
		else if (r < 0)
			conflict = 1;
	}
	sodium_mprotect_readonly(slab);
	if (fresh) {
		k->sa[k->n] = n;
		index_put(k, k->n++);
	}
	if (conflict)
		return WHY("SA 0x%016" PRIx64 "/0x%016" PRIx64 " conflicts with the one from %s "
			   "(different keys); the first is kept", s->ispi, s->rspi, n->pub.origin);
	return added;
}
