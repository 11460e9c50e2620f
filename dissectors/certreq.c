/*
 * certreq.c — Certificate Request payload (38), RFC 7296 §3.7.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~                    Certification Authority                    ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * For X.509 signature certificates the Certification Authority field is a
 * list of 20-byte SHA-1 hashes of trusted CAs' public keys (empty: any CA).
 * A length that is not a multiple of 20 is an anomaly; hashes past
 * IKE_MAX_ITEMS are not counted (a limit anomaly), the bytes stay in data.
 */
#include "dissector.h"

#define ENC_X509_SIGNATURE 4
#define CA_HASH_LEN 20

static enum ike_err certreq_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_cert *c = &pl->u.cert;
	size_t off = body->off;
	c->encoding = ike_rd_u8(body);
	c->data = ike_rd_rest(body);
	if (!ike_rd_ok(body))
		return body->err;
	if (c->encoding != ENC_X509_SIGNATURE)
		return IKE_OK;
	if (c->data.len % CA_HASH_LEN)
		ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 1,
				 "CERTREQ: %zu bytes of CA hashes, not a multiple of %d", c->data.len, CA_HASH_LEN);
	size_t n = c->data.len / CA_HASH_LEN;
	if (n > IKE_MAX_ITEMS) {
		ike_dctx_anomaly(ctx, IKE_AN_LIMIT, off + 1 + IKE_MAX_ITEMS * CA_HASH_LEN,
				 "CERTREQ: %zu CA hashes, only the first %d listed", n, IKE_MAX_ITEMS);
		n = IKE_MAX_ITEMS;
	}
	c->n_hashes = (uint16_t)n;
	return IKE_OK;
}

static void certreq_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_cert *c = &pl->u.cert;
	ike_emit_s(e, "encoding", ike_name_long(&ike_names_cert_enc, c->encoding));
	ike_emit_u(e, "encoding_id", c->encoding);
	ike_emit_u(e, "data_length", c->data.len);
	ike_emit_hex(e, "data", c->data.p, c->data.len);
	if (c->encoding != ENC_X509_SIGNATURE)
		return;
	struct ike_rd r = ike_rd_span(c->data, 0);
	ike_emit_list(e, "ca_hashes");
	for (uint16_t i = 0; i < c->n_hashes; i++) {
		struct ike_span h = ike_rd_bytes(&r, CA_HASH_LEN);
		ike_emit_hex(e, NULL, h.p, h.len);
	}
	ike_emit_list_end(e);
}

const struct ike_dissector ike_dis_certreq = {
	.type = 38,
	.name = "Certificate Request",
	.abbrev = "CERTREQ",
	.min_len = 1,
	.max_len = 0,
	.decode = certreq_decode,
	.describe = certreq_describe,
};
