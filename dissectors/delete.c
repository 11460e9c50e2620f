/*
 * delete.c — Delete payload (42), RFC 7296 §3.11.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Protocol ID   |   SPI Size    |          Num of SPIs          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~               Security Parameter Index(es) (SPI)              ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Deleting the IKE SA: protocol 1, SPI size 0, no SPIs. Child SAs: AH (2) or
 * ESP (3), 4-byte SPIs. The SPIs that are present are kept (up to
 * IKE_MAX_ITEMS) even when the count disagrees with the bytes, and the
 * disagreement is an anomaly; bytes beyond the declared SPIs are left for
 * the walker to report as trailing.
 */
#include "dissector.h"

static enum ike_err delete_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_delete *d = &pl->u.d;
	size_t hdr_off = body->off;
	d->protocol = ike_rd_u8(body);
	d->spi_size = ike_rd_u8(body);
	d->n_spis_declared = ike_rd_be16(body);
	if (!ike_rd_ok(body))
		return body->err;

	switch (d->protocol) {
	case 1:
		if (d->spi_size != 0 || d->n_spis_declared != 0)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, hdr_off,
					 "D: IKE SA delete with SPI size %u and %u SPIs, 0 and 0 expected", d->spi_size,
					 d->n_spis_declared);
		break;
	case 2:
	case 3:
		if (d->spi_size != 4)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, hdr_off + 1, "D: %s SPI size %u, 4 expected",
					 d->protocol == 2 ? "AH" : "ESP", d->spi_size);
		break;
	default:
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, hdr_off, "D: unknown protocol id %u", d->protocol);
		break;
	}

	size_t want = d->n_spis_declared;
	if (d->spi_size == 0) {
		if (want)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, hdr_off + 2, "D: %zu SPIs of size 0", want);
		return IKE_OK;
	}
	size_t fit = body->left / d->spi_size;
	if (want > fit) {
		ike_dctx_anomaly(ctx, IKE_AN_LENGTH_TOO_LARGE, hdr_off + 2,
				 "D: %zu SPIs of %u bytes declared, %zu bytes present", want, d->spi_size, body->left);
		want = fit;
	}
	if (want > IKE_MAX_ITEMS) {
		ike_dctx_anomaly(ctx, IKE_AN_LIMIT, body->off, "D: %zu SPIs, only the first %d kept", want,
				 IKE_MAX_ITEMS);
		want = IKE_MAX_ITEMS;
	}
	if (want) {
		d->spis = ike_arena_array(ctx->arena, want, sizeof(*d->spis));
		if (!d->spis)
			return IKE_E_NOMEM;
	}
	for (size_t i = 0; i < want; i++)
		d->spis[i] = ike_rd_bytes(body, d->spi_size);
	d->n_spis = (uint16_t)want;
	/* Skipped SPIs past the cap are data we chose not to keep, not trailing bytes. */
	if (d->n_spis_declared > IKE_MAX_ITEMS && fit > IKE_MAX_ITEMS) {
		size_t more = (d->n_spis_declared < fit ? d->n_spis_declared : fit) - IKE_MAX_ITEMS;
		ike_rd_skip(body, more * d->spi_size);
	}
	return body->err;
}

static void delete_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_delete *d = &pl->u.d;
	ike_emit_s(e, "protocol", ike_name_long(&ike_names_protocol, d->protocol));
	ike_emit_u(e, "protocol_id", d->protocol);
	ike_emit_u(e, "spi_size", d->spi_size);
	ike_emit_u(e, "spi_count", d->n_spis_declared);
	ike_emit_list(e, "spis");
	for (uint16_t i = 0; i < d->n_spis; i++)
		ike_emit_hex(e, NULL, d->spis[i].p, d->spis[i].len);
	ike_emit_list_end(e);
}

const struct ike_dissector ike_dis_delete = {
	.type = 42,
	.name = "Delete",
	.abbrev = "D",
	.min_len = 4,
	.max_len = 0,
	.decode = delete_decode,
	.describe = delete_describe,
};
