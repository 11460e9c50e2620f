/*
 * describe.c — the members every payload object has (type, type_id,
 * critical, length), then the dissector's own; SK and SKF carry the decrypted
 * inner chain as "payloads". A payload whose body could not be decoded is
 * shown as its raw bytes, so nothing readable is lost.
 */
#include <stdio.h>

#include "dissector.h"
#include "ikescope/emit.h"

#define PT_SK 46
#define PT_SKF 53

void ike_describe_payload(const struct ike_payload *pl, const struct ike_emit *e)
{
	char unkn[16];
	const char *s = ike_name_short(&ike_names_payload, pl->type);
	if (!s) {
		snprintf(unkn, sizeof(unkn), "UNKN(%u)", pl->type);
		s = unkn;
	}
	ike_emit_s(e, "type", s);
	ike_emit_u(e, "type_id", pl->type);
	ike_emit_b(e, "critical", pl->critical);
	ike_emit_u(e, "length", pl->length);

	if (pl->dis && pl->decoded) {
		pl->dis->describe(pl, e);
	} else {
		ike_emit_b(e, "decoded", false);
		ike_emit_hex(e, "data", pl->body.p, pl->body.len);
	}
	if ((pl->type == PT_SK || pl->type == PT_SKF) && pl->decoded && pl->u.sk.opened) {
		ike_emit_list(e, "payloads");
		for (uint16_t i = 0; i < pl->u.sk.n_inner; i++) {
			ike_emit_open(e, NULL);
			ike_describe_payload(&pl->u.sk.inner[i], e);
			ike_emit_close(e);
		}
		ike_emit_list_end(e);
	}
}
