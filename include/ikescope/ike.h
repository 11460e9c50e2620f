/*
 * ike.h — the decoded IKE message model and the decoder that fills it.
 *
 * A message is decoded once into a struct ike_msg; printers (text, JSON, SVG),
 * the tracker and the correlator read the model and never the wire bytes.
 * Everything reachable from an ike_msg (payloads, proposals, spans) lives in
 * the decoder's arena: it is borrowed and valid until the next
 * ike_decoder_decode() on the same decoder (or the n-th next, see
 * ike_decoder_keep()). Stages that keep data copy it.
 */
#ifndef IKESCOPE_IKE_H
#define IKESCOPE_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/names.h"

/* Caps on everything that grows; a cap hit is an anomaly, never a crash. */
#define IKE_MAX_PAYLOADS 64     /* per payload chain (outer, or inside SK) */
#define IKE_MAX_PROPOSALS 32    /* per SA payload */
#define IKE_MAX_TRANSFORMS 64   /* per proposal */
#define IKE_MAX_ATTRS 16        /* per transform */
#define IKE_MAX_ITEMS 256       /* TS entries, Delete SPIs, CP attributes, CA hashes */
#define IKE_MAX_ANOMALIES 16    /* per message; more are counted, not kept */
#define IKE_MAX_DEPTH 2         /* SK inside a message; nothing nests deeper */
#define IKE_MAX_MSG 65535       /* IKE length field is 32 bits; UDP and TCP framing cap it */

enum ike_err {
	IKE_OK = 0,
	IKE_E_TRUNC,       /* input ended before a field did */
	IKE_E_MALFORMED,   /* a field holds an impossible value */
	IKE_E_TRAILING,    /* bytes left over where a length said none should be */
	IKE_E_UNSUPPORTED, /* well-formed, but not something we decode */
	IKE_E_NOKEY,       /* encrypted and no key for it */
	IKE_E_AUTHFAIL,    /* ICV did not verify */
	IKE_E_LIMIT,       /* a cap was hit */
	IKE_E_NOMEM,
	IKE_E_IO,
};
const char *ike_err_str(enum ike_err e);

/* A borrowed run of bytes. */
struct ike_span {
	const uint8_t *p;
	size_t len;
};

/*
 * Anomalies: typed, with the byte offset (in the IKE message, or in the frame
 * for capture-level ones) and a short human detail. Names in ike_anomaly_name().
 */
enum ike_anomaly_kind {
	IKE_AN_TRUNCATED = 1,        /* message or payload cut short */
	IKE_AN_LENGTH_TOO_SMALL,     /* length field below the minimum for its type */
	IKE_AN_LENGTH_TOO_LARGE,     /* length field beyond the bytes present */
	IKE_AN_LENGTH_MISMATCH,      /* IKE header length differs from the datagram */
	IKE_AN_TRAILING_BYTES,       /* bytes after the last payload or inside a sub-structure */
	IKE_AN_LIMIT,                /* a cap was hit (payloads, proposals, transforms, …) */
	IKE_AN_MALFORMED,            /* a field holds an impossible value */
	IKE_AN_UNKNOWN_CRITICAL,     /* unknown payload type with the critical bit set */
	IKE_AN_BAD_VERSION,          /* neither IKEv2 nor IKEv1 */
	IKE_AN_RESERVED_NONZERO,     /* reserved bits or bytes not zero */
	IKE_AN_SK_NOT_LAST,          /* SK/SKF followed by further payloads */
	IKE_AN_ICV_BAD,              /* decryption: ICV did not verify */
	IKE_AN_DECRYPT_FAILED,       /* decryption: padding or length impossible */
	IKE_AN_FRAME_TRUNCATED,      /* capture: caplen shorter than the headers need */
	IKE_AN_IP_BAD_HEADER,        /* capture: IP header impossible */
	IKE_AN_IP_FRAG_OVERLAP,      /* capture: overlapping IP fragments; datagram dropped */
	IKE_AN_IP_FRAG_TIMEOUT,      /* capture: fragments never completed */
	IKE_AN_IP_FRAG_LIMIT,        /* capture: reassembly caps hit */
	IKE_AN_UDP_BAD_LENGTH,       /* capture: UDP length differs from what IP carries */
	IKE_AN_TCP_STREAM,           /* capture: RFC 8229 framing broken, stream cap hit, gap */
	IKE_AN_FRAGMENT_MISSING,     /* RFC 7383: fragments of a message never all came */
	IKE_AN_KIND_MAX
};
const char *ike_anomaly_name(enum ike_anomaly_kind k); /* "length-too-small", … */

struct ike_anomaly {
	uint16_t kind;   /* enum ike_anomaly_kind */
	uint32_t offset; /* byte offset in the IKE message (or frame, for capture ones) */
	char detail[96];
};

/* Network addresses as they appear in the model. */
struct ike_addr {
	uint8_t family; /* 4 or 6; 0 = none */
	uint8_t a[16];
};
/* Writes "192.0.2.1" or "2001:db8::1"; returns buf. cap >= 46. */
char *ike_addr_str(const struct ike_addr *a, char *buf, size_t cap);

enum ike_transport {
	IKE_TR_UDP = 0,   /* UDP, IKE directly in the payload (port 500 style) */
	IKE_TR_UDP_ENCAP, /* UDP with the 4-byte non-ESP marker (port 4500 style) */
	IKE_TR_TCP,       /* RFC 8229 stream */
};
const char *ike_transport_name(enum ike_transport t); /* "udp", "udp-encap", "tcp" */

/* ---- payload bodies ---------------------------------------------------- */

struct ike_attr { /* SA transform attribute */
	uint16_t type;  /* without the AF bit */
	bool tv;        /* AF=1: value in .value; AF=0: bytes in .data */
	uint16_t value;
	struct ike_span data;
};

struct ike_transform {
	uint8_t type;     /* 1 ENCR, 2 PRF, 3 INTEG, 4 KE, 5 ESN, … */
	uint16_t id;
	int32_t key_len;  /* Key Length attribute (14), or -1 when absent */
	struct ike_attr *attrs;
	uint16_t n_attrs;
};

struct ike_proposal {
	uint8_t number;
	uint8_t protocol; /* 1 IKE, 2 AH, 3 ESP */
	uint8_t n_transforms_declared;
	struct ike_span spi;
	struct ike_transform *transforms;
	uint16_t n_transforms;
	char *text; /* charon's proposal format, "IKE:AES_CBC_256/HMAC_SHA1_96/…" (arena) */
};

struct ike_pl_sa {
	struct ike_proposal *proposals;
	uint16_t n;
};

struct ike_pl_ke {
	uint16_t group;
	struct ike_span data;
};

struct ike_pl_id { /* IDi, IDr (and IDg) */
	uint8_t id_type;
	struct ike_span data;
};

struct ike_pl_cert { /* CERT and CERTREQ */
	uint8_t encoding;
	struct ike_span data;
	uint16_t n_hashes; /* CERTREQ with X.509 encodings: 20-byte SHA-1 CA hashes in data */
};

struct ike_pl_auth {
	uint8_t method;
	struct ike_span data;
	/* RFC 7427 digital signature (method 14): */
	struct ike_span sig_alg_id; /* DER AlgorithmIdentifier */
	const char *sig_alg;        /* e.g. "sha256WithRSAEncryption", NULL if unknown */
	struct ike_span signature;
};

struct ike_pl_nonce {
	struct ike_span data;
};

struct ike_pl_notify {
	uint8_t protocol;
	uint16_t type;
	struct ike_span spi;
	struct ike_span data;
};

struct ike_pl_delete {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t n_spis_declared;
	struct ike_span *spis;
	uint16_t n_spis;
};

struct ike_pl_vendor {
	struct ike_span data;
	const char *name; /* well-known vendor name, or NULL */
};

struct ike_ts {
	uint8_t ts_type; /* 7 IPv4, 8 IPv6, others kept raw */
	uint8_t ip_proto;
	uint16_t start_port, end_port;
	struct ike_addr start, end;
	struct ike_span raw; /* selector body for unknown types */
};

struct ike_pl_ts {
	struct ike_ts *ts;
	uint16_t n;
	uint8_t n_declared;
};

struct ike_cp_attr {
	uint16_t type; /* without the reserved bit */
	struct ike_span value;
};

struct ike_pl_cp {
	uint8_t cfg_type; /* 1 REQUEST, 2 REPLY, 3 SET, 4 ACK */
	struct ike_cp_attr *attrs;
	uint16_t n;
};

struct ike_pl_eap {
	uint8_t code;       /* 1 Request, 2 Response, 3 Success, 4 Failure */
	uint8_t identifier;
	uint16_t length;
	uint8_t type;       /* 0 when the code carries no type */
	uint32_t vendor_id; /* expanded type (254) */
	uint32_t vendor_type;
	struct ike_span data;
};

struct ike_payload;

struct ike_pl_sk { /* SK (46) and SKF (53) */
	uint16_t frag_num, frag_total; /* SKF only */
	/* Split when the IKE SA's algorithms are known (from its IKE_SA_INIT response). */
	bool split;
	struct ike_span iv, ciphertext, icv;
	struct ike_span encrypted; /* everything after the generic header (and SKF numbers) */
	/* Filled by decryption: the inner chain (opened is true even when it is
	 * empty, as in a DPD; an SKF fragment is opened only when it completes its set). */
	bool opened;
	struct ike_payload *inner;
	uint16_t n_inner;
};

struct ike_pl_raw { /* types decoded as opaque bytes (GSPM, GSA, KD, unknown) */
	struct ike_span data;
};

struct ike_dissector;

struct ike_payload {
	uint8_t type; /* payload type number */
	uint8_t next;
	bool critical;
	uint8_t reserved;   /* the 7 reserved bits of the generic header */
	uint16_t length;    /* as declared, generic header included */
	uint32_t offset;    /* of the generic header, from the start of the IKE message */
	struct ike_span body; /* after the generic header; borrowed from the message */
	const struct ike_dissector *dis; /* NULL for unknown types */
	bool decoded;       /* body decoded without error into .u */
	union {
		struct ike_pl_sa sa;
		struct ike_pl_ke ke;
		struct ike_pl_id id;
		struct ike_pl_cert cert;
		struct ike_pl_auth auth;
		struct ike_pl_nonce nonce;
		struct ike_pl_notify n;
		struct ike_pl_delete d;
		struct ike_pl_vendor v;
		struct ike_pl_ts ts;
		struct ike_pl_cp cp;
		struct ike_pl_eap eap;
		struct ike_pl_sk sk;
		struct ike_pl_raw raw;
	} u;
};

/* ---- the message ------------------------------------------------------- */

#define IKE_FLAG_I 0x08 /* sent by the original initiator */
#define IKE_FLAG_V 0x10 /* higher version supported */
#define IKE_FLAG_R 0x20 /* response */

enum ike_decrypted { IKE_DEC_NA = 0, IKE_DEC_NO_KEY, IKE_DEC_YES, IKE_DEC_FAILED };
enum ike_icv { IKE_ICV_NA = 0, IKE_ICV_UNCHECKED, IKE_ICV_OK, IKE_ICV_BAD };
const char *ike_decrypted_name(enum ike_decrypted d); /* "n/a", "no-key", "yes", "failed" */
const char *ike_icv_name(enum ike_icv i);             /* "n/a", "unchecked", "ok", "bad" */

/* Where a message was seen; filled by the capture stage, copied as is. */
struct ike_origin {
	uint32_t file;  /* index of the -r file, from 0 */
	uint64_t frame; /* frame number in that file, from 1, as tshark numbers */
	int64_t ts_sec;
	int32_t ts_usec;
	struct ike_addr src, dst;
	uint16_t sport, dport;
	enum ike_transport transport;
};

struct ike_msg {
	struct ike_origin at;

	/* header */
	uint64_t ispi, rspi;
	uint8_t first_payload;
	uint8_t version;  /* major << 4 | minor, as on the wire */
	uint8_t exchange;
	uint8_t flags;
	uint32_t mid;
	uint32_t length;  /* as declared */
	bool ikev1;       /* major version 1: header only, never decoded as IKEv2 */

	struct ike_span raw; /* the message bytes (arena copy) */

	struct ike_payload *payloads; /* outer chain */
	uint16_t n_payloads;

	enum ike_decrypted decrypted;
	enum ike_icv icv;
	uint16_t frag_num, frag_total; /* from SKF, 0 otherwise */
	uint16_t reassembled_from;     /* this fragment completed a message of that many fragments */

	struct ike_anomaly anomalies[IKE_MAX_ANOMALIES];
	uint16_t n_anomalies;
	uint32_t n_anomalies_dropped;
};

static inline bool ike_msg_is_response(const struct ike_msg *m) { return (m->flags & IKE_FLAG_R) != 0; }
static inline bool ike_msg_from_initiator(const struct ike_msg *m) { return (m->flags & IKE_FLAG_I) != 0; }

/* Records an anomaly on m (kept up to IKE_MAX_ANOMALIES, counted beyond). */
void ike_msg_anomaly(struct ike_msg *m, enum ike_anomaly_kind kind, uint32_t offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * charon's summary string: "IKE_AUTH request 1 [ IDi AUTH SA TSi TSr N(MOBIKE_SUP) ]",
 * the inner payloads when decrypted, "[ E ]" / "[ EF(1/3) ]" when not.
 * Writes at most cap bytes (NUL included); returns the length it needed.
 */
size_t ike_msg_summary(const struct ike_msg *m, char *buf, size_t cap);

/* ---- the decoder ------------------------------------------------------- */

struct ike_decoder; /* owned; free with ike_decoder_free() */
struct ike_keyring; /* see keys.h */

struct ike_decoder *ike_decoder_new(void); /* NULL on out of memory */
void ike_decoder_free(struct ike_decoder *d);
/* Keys for SK/SKF (borrowed; may be NULL). */
void ike_decoder_set_keys(struct ike_decoder *d, const struct ike_keyring *k);

/*
 * Decodes one IKE message (bytes after UDP/non-ESP marker/TCP framing) into *m.
 * The bytes are copied; *m and everything it points to stay valid until the
 * next call on d. Damage becomes anomalies on *m; the return value is IKE_OK
 * whenever a header could be read (IKE_E_TRUNC below 28 bytes, IKE_E_NOMEM).
 */
enum ike_err ike_decoder_decode(struct ike_decoder *d, const struct ike_origin *at, const uint8_t *bytes,
				size_t len, struct ike_msg *m);

/*
 * Keeps the last n decoded messages valid instead of the last one: a message
 * then stays valid until n more ike_decoder_decode() calls on d (n from 1 to
 * IKE_DEC_KEEP_MAX). For a printer that works behind the decoder, on another
 * thread, with up to n - 1 messages queued. Each kept message has its own
 * 1 MiB arena (reserved, touched only as far as messages fill it).
 * Returns 0, or -1 when n is out of range or the memory cannot be had.
 */
#define IKE_DEC_KEEP_MAX 64
int ike_decoder_keep(struct ike_decoder *d, unsigned n);

/* Algorithms an IKE SA negotiated, as learnt from its IKE_SA_INIT response. */
struct ike_sa_algs {
	uint16_t encr;
	int32_t encr_keylen; /* bits, -1 when the transform has none */
	uint16_t integ;      /* 0 for AEAD */
	uint16_t prf;
	uint16_t ke;
};
/* Returns true and fills *out when the decoder has seen the SA's IKE_SA_INIT response. */
bool ike_decoder_sa_algs(const struct ike_decoder *d, uint64_t ispi, uint64_t rspi, struct ike_sa_algs *out);

/*
 * At the end of the input: each call reports one message whose SKF fragments
 * never all came (where the last one was seen, and which numbers are missing)
 * and forgets it. False when none is left.
 */
bool ike_decoder_flush(struct ike_decoder *d, struct ike_origin *at, struct ike_anomaly *a);

#endif
