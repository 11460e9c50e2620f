/* der.c — bounded DER helpers for the ID, CERT and AUTH dissectors (see der.h). */
#include "der.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool ike_der_tlv(struct ike_rd *r, uint8_t *tag, struct ike_rd *content)
{
	*content = ike_rd_init(NULL, 0, r->off);
	if (!ike_rd_ok(r) || r->left < 2) {
		ike_rd_fail(r, IKE_E_TRUNC);
		return false;
	}
	*tag = ike_rd_u8(r);
	uint8_t l = ike_rd_u8(r);
	size_t len = l;
	if ((*tag & 0x1f) == 0x1f) { /* high tag numbers: nothing we read uses them */
		ike_rd_fail(r, IKE_E_MALFORMED);
		return false;
	}
	if (l & 0x80) {
		size_t n = l & 0x7f;
		if (n == 0 || n > 4) { /* indefinite, or longer than any IKE message */
			ike_rd_fail(r, IKE_E_MALFORMED);
			return false;
		}
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = len << 8 | ike_rd_u8(r);
	}
	if (!ike_rd_ok(r))
		return false;
	if (len > r->left) {
		ike_rd_fail(r, IKE_E_TRUNC);
		return false;
	}
	*content = ike_rd_sub(r, len);
	return true;
}

/* ---- OIDs ------------------------------------------------------------------- */

struct oid_name {
	uint8_t len;
	uint8_t b[12];
	const char *name;
};

/* Attribute types as charon 5.9.8 prints them in a DN (its oid.txt names). */
static const struct oid_name dn_oids[] = {
	{3, {0x55, 0x04, 0x03}, "CN"},
	{3, {0x55, 0x04, 0x04}, "SN"},
	{3, {0x55, 0x04, 0x05}, "serialNumber"},
	{3, {0x55, 0x04, 0x06}, "C"},
	{3, {0x55, 0x04, 0x07}, "L"},
	{3, {0x55, 0x04, 0x08}, "ST"},
	{3, {0x55, 0x04, 0x09}, "STREET"},
	{3, {0x55, 0x04, 0x0a}, "O"},
	{3, {0x55, 0x04, 0x0b}, "OU"},
	{3, {0x55, 0x04, 0x0c}, "T"},
	{3, {0x55, 0x04, 0x0d}, "D"},
	{3, {0x55, 0x04, 0x10}, "postalAddress"},
	{3, {0x55, 0x04, 0x11}, "postalCode"},
	{3, {0x55, 0x04, 0x29}, "N"},
	{3, {0x55, 0x04, 0x2a}, "G"},
	{3, {0x55, 0x04, 0x2b}, "I"},
	{3, {0x55, 0x04, 0x2d}, "ID"},
	{3, {0x55, 0x04, 0x2e}, "dnQualifier"},
	{3, {0x55, 0x04, 0x36}, "dmdName"},
	{3, {0x55, 0x04, 0x41}, "pseudonym"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, "E"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x02}, "unstructuredName"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x08}, "unstructuredAddress"},
	{10, {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01}, "UID"},
	{10, {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, "DC"},
	{10, {0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x42, 0x03, 0x01, 0x03}, "employeeNumber"},
	{7, {0x02, 0x82, 0x06, 0x01, 0x0a, 0x07, 0x14}, "ND"},
	{12, {0x2b, 0x06, 0x01, 0x04, 0x01, 0x89, 0x31, 0x01, 0x01, 0x02, 0x02, 0x4b}, "TCGID"},
};

/* RFC 7427 signature algorithms (RFC 3279, 4055, 5758, 8410). */
static const struct oid_name sig_oids[] = {
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05}, "sha1WithRSAEncryption"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, "sha256WithRSAEncryption"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c}, "sha384WithRSAEncryption"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d}, "sha512WithRSAEncryption"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e}, "sha224WithRSAEncryption"},
	{9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a}, "RSASSA-PSS"},
	{7, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01}, "ecdsa-with-SHA1"},
	{8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01}, "ecdsa-with-SHA224"},
	{8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}, "ecdsa-with-SHA256"},
	{8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03}, "ecdsa-with-SHA384"},
	{8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}, "ecdsa-with-SHA512"},
	{3, {0x2b, 0x65, 0x70}, "Ed25519"},
	{3, {0x2b, 0x65, 0x71}, "Ed448"},
};

/* Hash algorithms inside RSASSA-PSS parameters (RFC 4055 §3.1). */
static const struct oid_name pss_hashes[] = {
	{5, {0x2b, 0x0e, 0x03, 0x02, 0x1a}, "RSASSA-PSS (sha1)"},
	{9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, "RSASSA-PSS (sha256)"},
	{9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}, "RSASSA-PSS (sha384)"},
	{9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}, "RSASSA-PSS (sha512)"},
};

static const char *oid_lookup(const struct oid_name *t, size_t n, struct ike_span oid)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].len == oid.len && memcmp(t[i].b, oid.p, oid.len) == 0)
			return t[i].name;
	return NULL;
}

bool ike_der_oid_str(struct ike_span oid, char *buf, size_t cap)
{
	struct ike_rd r = ike_rd_span(oid, 0);
	size_t len = 0;
	bool first = true;
	buf[0] = '\0';
	if (!oid.len)
		return false;
	while (r.left) {
		uint64_t arc = 0;
		uint8_t b;
		do {
			b = ike_rd_u8(&r);
			arc = arc << 7 | (b & 0x7f);
			if (arc > UINT32_MAX || !ike_rd_ok(&r)) {
				buf[0] = '\0';
				return false;
			}
		} while (b & 0x80);
		int n;
		if (first) {
			uint64_t x = arc < 80 ? arc / 40 : 2;
			n = snprintf(buf + len, cap - len, "%u.%u", (unsigned)x, (unsigned)(arc - 40 * x));
			first = false;
		} else {
			n = snprintf(buf + len, cap - len, ".%u", (unsigned)arc);
		}
		if (n < 0 || (size_t)n >= cap - len)
			return false;
		len += (size_t)n;
	}
	return true;
}

/* ---- distinguished names ------------------------------------------------------ */

struct out {
	char *b;
	size_t cap, len;
};

static void out_put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_put(struct out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->b + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = (size_t)n < o->cap - o->len ? o->len + (size_t)n : o->cap - 1;
}

/* Bytes as charon's chunk_printable() shows them: '?' for non-printables. */
static void out_printable(struct out *o, struct ike_span s)
{
	struct ike_rd r = ike_rd_span(s, 0);
	while (r.left && o->len + 1 < o->cap) {
		uint8_t c = ike_rd_u8(&r);
		o->b[o->len++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	o->b[o->len] = '\0';
}

/* The next AttributeTypeAndValue, walking SETs and the SEQUENCEs in them as
 * charon's rdn enumerator does. */
static bool next_ava(struct ike_rd *sets, struct ike_rd *seqs, struct ike_rd *ava, struct ike_span *oid,
		     struct ike_span *value)
{
	uint8_t tag;
	struct ike_rd c;
	if (!seqs->left) {
		if (!ike_der_tlv(sets, &tag, seqs) || tag != IKE_DER_SET)
			return false;
	}
	if (!ike_der_tlv(seqs, &tag, ava) || tag != IKE_DER_SEQUENCE)
		return false;
	if (!ike_der_tlv(ava, &tag, &c) || tag != IKE_DER_OID)
		return false;
	*oid = ike_rd_rest(&c);
	if (!ike_der_tlv(ava, &tag, &c))
		return false;
	*value = ike_rd_rest(&c);
	return true;
}

bool ike_der_dn_str(struct ike_span dn, char *buf, size_t cap)
{
	struct out o = {buf, cap, 0};
	struct ike_rd r = ike_rd_span(dn, 0), sets, seqs = ike_rd_init(NULL, 0, 0), ava;
	uint8_t tag;
	bool empty = true, finished = false;
	buf[0] = '\0';
	if (!ike_der_tlv(&r, &tag, &sets) || tag != IKE_DER_SEQUENCE)
		return false;
	struct ike_span oid, value;
	while (next_ava(&sets, &seqs, &ava, &oid, &value)) {
		empty = false;
		const char *name = oid_lookup(dn_oids, sizeof(dn_oids) / sizeof(dn_oids[0]), oid);
		if (name) {
			out_put(&o, "%s=", name);
		} else {
			struct ike_rd x = ike_rd_span(oid, 0);
			for (size_t i = 0; x.left; i++)
				out_put(&o, i ? ":%02x" : "%02x", ike_rd_u8(&x));
			out_put(&o, "=");
		}
		out_printable(&o, value);
		/* charon stops when the value ends where the whole DN ends */
		if (!ava.left && !seqs.left && !sets.left && !r.left) {
			finished = true;
			break;
		}
		out_put(&o, ", ");
	}
	if (!empty && !finished)
		out_put(&o, "(invalid ID_DER_ASN1_DN)");
	return finished;
}

/* ---- certificates and signature algorithms ----------------------------------- */

/* The whole TLV at r as a span (tag and length included). */
static bool tlv_span(struct ike_rd *r, uint8_t want, struct ike_span *out)
{
	struct ike_rd start = *r, c;
	uint8_t tag;
	if (!ike_der_tlv(r, &tag, &c) || tag != want)
		return false;
	*out = ike_rd_bytes(&start, start.left - r->left);
	return true;
}

bool ike_der_cert_names(struct ike_span cert, struct ike_span *issuer, struct ike_span *subject)
{
	struct ike_rd r = ike_rd_span(cert, 0), c, tbs, skip;
	struct ike_span unused;
	uint8_t tag;
	if (!ike_der_tlv(&r, &tag, &c) || tag != IKE_DER_SEQUENCE)
		return false;
	if (!ike_der_tlv(&c, &tag, &tbs) || tag != IKE_DER_SEQUENCE)
		return false;
	if (ike_rd_peek_u8(&tbs, 0) == 0xa0 && !ike_der_tlv(&tbs, &tag, &skip)) /* [0] version */
		return false;
	if (!ike_der_tlv(&tbs, &tag, &skip) || tag != 0x02) /* serialNumber */
		return false;
	return tlv_span(&tbs, IKE_DER_SEQUENCE, &unused) /* signature */
	       && tlv_span(&tbs, IKE_DER_SEQUENCE, issuer) && tlv_span(&tbs, IKE_DER_SEQUENCE, &unused) /* validity */
	       && tlv_span(&tbs, IKE_DER_SEQUENCE, subject);
}

/* RSASSA-PSS-params: SEQUENCE { [0] EXPLICIT hashAlgorithm AlgorithmIdentifier, … } */
static const char *pss_name(struct ike_rd *params)
{
	struct ike_rd seq, h, alg, oid;
	uint8_t tag;
	if (!ike_der_tlv(params, &tag, &seq) || tag != IKE_DER_SEQUENCE)
		return "RSASSA-PSS";
	if (ike_rd_peek_u8(&seq, 0) != 0xa0)
		return "RSASSA-PSS (sha1)"; /* the default hash */
	if (!ike_der_tlv(&seq, &tag, &h) || !ike_der_tlv(&h, &tag, &alg) || tag != IKE_DER_SEQUENCE ||
	    !ike_der_tlv(&alg, &tag, &oid) || tag != IKE_DER_OID)
		return "RSASSA-PSS";
	const char *n = oid_lookup(pss_hashes, sizeof(pss_hashes) / sizeof(pss_hashes[0]), ike_rd_rest(&oid));
	return n ? n : "RSASSA-PSS";
}

bool ike_der_sig_alg(struct ike_span alg_id, const char **name, struct ike_span *oid)
{
	struct ike_rd r = ike_rd_span(alg_id, 0), seq, o;
	uint8_t tag;
	*name = NULL;
	oid->p = NULL;
	oid->len = 0;
	if (!ike_der_tlv(&r, &tag, &seq) || tag != IKE_DER_SEQUENCE || r.left)
		return false;
	if (!ike_der_tlv(&seq, &tag, &o) || tag != IKE_DER_OID || !o.left)
		return false;
	*oid = ike_rd_rest(&o);
	*name = oid_lookup(sig_oids, sizeof(sig_oids) / sizeof(sig_oids[0]), *oid);
	if (*name && strcmp(*name, "RSASSA-PSS") == 0)
		*name = pss_name(&seq);
	return true;
}
