/*
 * cert.c — Certificate payload (37), RFC 7296 §3.6.
 *
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Cert Encoding |                                               |
 * +-+-+-+-+-+-+-+-+                                               |
 * ~                       Certificate Data                        ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * An X.509 certificate (encoding 4) shows its subject and issuer as charon
 * prints DNs, read by the bounded DER reader; one that is not a DER
 * certificate is an anomaly. Hash and URL encodings (12, 13) split into the
 * 20-byte SHA-1 hash and the URL.
 */
#include "der.h"
#include "dissector.h"

#define ENC_X509_SIGNATURE 4
#define ENC_X509_HASH_AND_URL 12
#define ENC_X509_HASH_AND_URL_BUNDLE 13
#define HASH_AND_URL_HASH 20
#define DN_TEXT_MAX 512

static enum ike_err cert_decode(struct ike_dctx *ctx, struct ike_rd *body, struct ike_payload *pl)
{
	struct ike_pl_cert *c = &pl->u.cert;
	size_t off = body->off;
	c->encoding = ike_rd_u8(body);
	c->data = ike_rd_rest(body);
	if (!ike_rd_ok(body))
		return body->err;
	struct ike_span issuer, subject;
	switch (c->encoding) {
	case ENC_X509_SIGNATURE:
		if (!ike_der_cert_names(c->data, &issuer, &subject))
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 1, "CERT: X.509 data is not a DER certificate");
		break;
	case ENC_X509_HASH_AND_URL:
	case ENC_X509_HASH_AND_URL_BUNDLE:
		if (c->data.len <= HASH_AND_URL_HASH)
			ike_dctx_anomaly(ctx, IKE_AN_MALFORMED, off + 1, "CERT: %zu bytes of Hash and URL, more than %d expected",
					 c->data.len, HASH_AND_URL_HASH);
		break;
	default:
		break;
	}
	return IKE_OK;
}

static void emit_dn(const struct ike_emit *e, const char *key, struct ike_span dn)
{
	char text[DN_TEXT_MAX];
	ike_der_dn_str(dn, text, sizeof(text));
	ike_emit_s(e, key, text);
}

static void cert_describe(const struct ike_payload *pl, const struct ike_emit *e)
{
	const struct ike_pl_cert *c = &pl->u.cert;
	ike_emit_s(e, "encoding", ike_name_long(&ike_names_cert_enc, c->encoding));
	ike_emit_u(e, "encoding_id", c->encoding);
	ike_emit_u(e, "data_length", c->data.len);
	ike_emit_hex(e, "data", c->data.p, c->data.len);
	struct ike_span issuer, subject;
	if (c->encoding == ENC_X509_SIGNATURE && ike_der_cert_names(c->data, &issuer, &subject)) {
		emit_dn(e, "subject", subject);
		emit_dn(e, "issuer", issuer);
	}
	if ((c->encoding == ENC_X509_HASH_AND_URL || c->encoding == ENC_X509_HASH_AND_URL_BUNDLE) &&
	    c->data.len > HASH_AND_URL_HASH) {
		struct ike_rd r = ike_rd_span(c->data, 0);
		struct ike_span hash = ike_rd_bytes(&r, HASH_AND_URL_HASH);
		char url[DN_TEXT_MAX];
		size_t n = 0;
		while (r.left && n + 1 < sizeof(url)) {
			uint8_t ch = ike_rd_u8(&r);
			url[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
		url[n] = '\0';
		ike_emit_hex(e, "hash", hash.p, hash.len);
		ike_emit_s(e, "url", url);
	}
}

const struct ike_dissector ike_dis_cert = {
	.type = 37,
	.name = "Certificate",
	.abbrev = "CERT",
	.min_len = 1,
	.max_len = 0,
	.decode = cert_decode,
	.describe = cert_describe,
};
