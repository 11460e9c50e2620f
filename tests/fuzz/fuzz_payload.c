/* fuzz_payload — one payload body: the first byte picks the dissector (types
 * 33..53), the rest is the body; decode and describe as the chain walker does. */
#include "fuzz.h"

#include "dissector.h"
#include "util/arena.h"

#define FIRST_TYPE 33
#define N_TYPES 21 /* 33 SA .. 53 SKF */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > 0xffff - 4)
		return 0;
	const struct ike_dissector *d = ike_dissector_for((uint8_t)(FIRST_TYPE + data[0] % N_TYPES));
	if (!d)
		return 0;
	size_t len = size - 1;
	uint8_t *body = fuzz_dup(data + 1, len);

	static struct ike_msg msg;
	struct ike_arena arena;
	struct ike_payload pl;
	memset(&msg, 0, sizeof(msg));
	memset(&pl, 0, sizeof(pl));
	ike_arena_init(&arena, 1u << 20);
	struct ike_dctx ctx = {.msg = &msg, .arena = &arena, .dec = NULL, .depth = data[0] >= 128};
	pl.type = d->type;
	pl.length = (uint16_t)(len + 4);
	pl.offset = 28;
	pl.dis = d;
	pl.body.p = body;
	pl.body.len = len;
	if (len >= d->min_len) {
		struct ike_rd r = ike_rd_init(body, len, 32);
		if (d->decode(&ctx, &r, &pl) == IKE_OK)
			pl.decoded = true;
		struct ike_emit e = fuzz_emitter();
		ike_describe_payload(&pl, &e); /* the dissector's describe() when decoded */
	}
	ike_arena_free(&arena);
	free(body);
	return 0;
}
