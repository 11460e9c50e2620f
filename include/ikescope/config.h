/*
 * config.h — tunnel configurations of the two ends (vEdge CLI, Cisco IOS XE,
 * strongSwan swanctl.conf and ipsec.conf), turned into what charon would
 * propose (its "configured proposals:" format), the timers, the peer address
 * and the traffic selectors, each value with the config line it came from.
 * Two tunnels can then be matched against each other the way charon selects
 * proposals, predicting which exchange fails and naming the line to change.
 *
 * Ownership: ike_cfg_load / ike_cfg_parse return a file owned by the caller,
 * freed with ike_cfg_free. Tunnels and notes live inside it. A pre-shared key
 * is never kept: only a keyed hash of it, to tell whether two ends agree.
 * The mapping tables (and where each fact comes from) are documented at the
 * top of src/config/cfg_swan_kw.c, cfg_vedge.c and cfg_iosxe.c.
 */
#ifndef IKESCOPE_CONFIG_H
#define IKESCOPE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_CFG_MAX_FILE (4u << 20) /* bytes read from one config file */
#define IKE_CFG_MAX_LINE 1024       /* longer lines are cut (and noted) */
#define IKE_CFG_MAX_TUNNELS 64
#define IKE_CFG_MAX_PROPOSALS 16 /* per tunnel and protocol */
#define IKE_CFG_MAX_XFORMS 32    /* per proposal */
#define IKE_CFG_MAX_TS 8         /* traffic selectors per side */
#define IKE_CFG_MAX_NOTES 64
#define IKE_CFG_ORIGIN_LEN 120   /* the config line kept as the origin of a value */

enum ike_cfg_dialect {
	IKE_CFG_DETECT = 0, /* guess from the content */
	IKE_CFG_VEDGE,
	IKE_CFG_IOSXE,
	IKE_CFG_SWANCTL,
	IKE_CFG_IPSEC_CONF,
};

/* Where a value came from: a line of the file, or (line 0) a default, whose
 * text says which one ("vEdge default: ike rekey 14400"). */
struct ike_cfg_origin {
	unsigned line;
	char text[IKE_CFG_ORIGIN_LEN];
};

struct ike_cfg_xform {
	uint8_t type;     /* 1 ENCR, 2 PRF, 3 INTEG, 4 KE, 5 ESN */
	uint16_t id;      /* IANA transform ID */
	uint16_t key_len; /* bits, 0 when the algorithm has a fixed key size */
};

struct ike_cfg_proposal {
	uint8_t protocol; /* 1 IKE, 3 ESP */
	uint8_t n;
	struct ike_cfg_xform x[IKE_CFG_MAX_XFORMS];
};

struct ike_cfg_ts {
	uint8_t family; /* 4, 6; 0 = any address of either family */
	uint8_t addr[16];
	uint8_t plen;
};

struct ike_cfg_timer {
	bool set;     /* false: off (DPD) or unknown */
	uint32_t sec; /* seconds */
	struct ike_cfg_origin from;
};

enum ike_cfg_auth { IKE_CFG_AUTH_UNKNOWN = 0, IKE_CFG_AUTH_PSK, IKE_CFG_AUTH_PUBKEY };

struct ike_cfg_tunnel {
	char name[64];                /* "ipsec2", "Tunnel1", "ipsec2_1", "conn-name" */
	struct ike_cfg_origin where;  /* the block that defines it */
	enum ike_cfg_dialect dialect;
	unsigned version;             /* 1 or 2; 0 either (strongSwan's default) */
	struct ike_cfg_origin version_from;
	char local_addr[64], peer_addr[64]; /* as written; "" unknown, "%any" any */
	struct ike_cfg_origin local_from, peer_from;

	struct ike_cfg_proposal ike[IKE_CFG_MAX_PROPOSALS];
	unsigned n_ike;
	struct ike_cfg_origin ike_from;   /* encryption/integrity line */
	struct ike_cfg_origin group_from; /* the DH group line when it is separate (vEdge, IOS XE) */
	struct ike_cfg_proposal esp[IKE_CFG_MAX_PROPOSALS];
	unsigned n_esp;
	struct ike_cfg_origin esp_from;
	struct ike_cfg_origin pfs_from; /* the line that puts a KE into ESP proposals; line 0, text "" = no PFS */

	struct ike_cfg_timer dpd, ike_rekey, child_rekey, child_life, replay;

	enum ike_cfg_auth auth;
	struct ike_cfg_origin auth_from;
	bool psk_known;       /* a clear-text PSK was read (and hashed) */
	bool psk_opaque;      /* a PSK exists but is stored encrypted (vEdge $8$, IOS type 6) */
	uint8_t psk_hash[32]; /* keyed hash of the PSK, never the PSK itself */
	struct ike_cfg_origin psk_from;

	struct ike_cfg_ts local_ts[IKE_CFG_MAX_TS], remote_ts[IKE_CFG_MAX_TS];
	uint8_t n_local_ts, n_remote_ts; /* 0: the whole address space (route-based tunnels) */
	struct ike_cfg_origin local_ts_from, remote_ts_from;
	unsigned limits_hit; /* proposals, transforms or selectors beyond the caps */
};

/* An unknown keyword, a value out of range, a cap hit: reported, then skipped. */
struct ike_cfg_note {
	unsigned line;
	char msg[160];
};

struct ike_cfg_file {
	char name[256];
	enum ike_cfg_dialect dialect;
	struct ike_cfg_tunnel *tunnels; /* owned */
	unsigned n_tunnels, tunnels_dropped;
	struct ike_cfg_note notes[IKE_CFG_MAX_NOTES];
	unsigned n_notes, notes_dropped;
	unsigned lines;
};

/* Parses text (not NUL-terminated, len bytes) named name. dialect
 * IKE_CFG_DETECT guesses it. Returns 0 and *out, or -1 with a one-line reason
 * in err ("name:LINE: …") when nothing in it is a tunnel configuration. */
int ike_cfg_parse(const char *name, const char *text, size_t len, enum ike_cfg_dialect dialect,
		  struct ike_cfg_file **out, char *err, size_t errcap);
/* The same from a file (at most IKE_CFG_MAX_FILE bytes). */
int ike_cfg_load(const char *path, enum ike_cfg_dialect dialect, struct ike_cfg_file **out, char *err,
		 size_t errcap);
void ike_cfg_free(struct ike_cfg_file *f);

const char *ike_cfg_dialect_name(enum ike_cfg_dialect d); /* "vedge", "iosxe", "swanctl", "ipsec.conf" */
/* "vedge" … back to the enum; IKE_CFG_DETECT for "auto"; -1 for an unknown name. */
int ike_cfg_dialect_parse(const char *s);

/* ---- proposals --------------------------------------------------------- */

/* One proposal in charon's format ("ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ").
 * Returns the length it needed (like snprintf). */
size_t ike_cfg_proposal_text(const struct ike_cfg_proposal *p, char *buf, size_t cap);
/* A list joined by ", ", as charon logs "configured proposals:". */
size_t ike_cfg_proposals_text(const struct ike_cfg_proposal *p, unsigned n, char *buf, size_t cap);
/* A strongSwan proposal string ("aes256-sha256-modp2048", "default") for
 * protocol 1 (IKE) or 3 (ESP), completed as charon does (PRF from the
 * integrity algorithm, NO_EXT_SEQ for ESP, no integrity with AEAD). Appends to
 * out[*n] (up to IKE_CFG_MAX_PROPOSALS). Returns 0, or -1 with the keyword it
 * did not know, or the rule the proposal breaks, in bad. */
int ike_cfg_swan_proposal(const char *s, uint8_t protocol, struct ike_cfg_proposal *out, unsigned *n, char *bad,
			  size_t badcap);
/* The name of a transform as charon prints it ("AES_CBC_256", "MODP_4096"). */
size_t ike_cfg_xform_text(const struct ike_cfg_xform *x, char *buf, size_t cap);

/* ---- matching two ends -------------------------------------------------- */

/* What a configuration pair will do when `initiator` starts the tunnel. */
struct ike_cfg_prediction {
	const char *cause;    /* DESIGN.md's vocabulary: "healthy", "ike-proposal-mismatch", … */
	const char *exchange; /* the exchange that fails: "IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA"; NULL when none */
	const char *when;     /* "at once", "at the first CHILD_SA rekey", … */
	bool establishes;     /* an IKE SA and its first CHILD_SA come up */
	bool survives_rekey;  /* the CHILD_SA can be rekeyed */
	char ike_selected[256], esp_selected[256]; /* charon format, "" when nothing is selected */
	char explain[1024];   /* the differing transform on each side and the lines to change */
	char notes[4][256];   /* what differs without failing (lifetimes, DPD, addresses) */
	unsigned n_notes;
};

/* Runs charon's selection on both ends' configured proposals and selectors. */
void ike_cfg_predict(const struct ike_cfg_tunnel *initiator, const struct ike_cfg_tunnel *responder,
		     struct ike_cfg_prediction *out);

/* For a verdict already reached from captures or logs (cause in DESIGN.md's
 * vocabulary): the sentence naming, for both ends, the transform that differs
 * and the config line to change. seen is what was on the wire or in the log
 * (a "received proposals:" list), or NULL. peer may be NULL when only one
 * end's config is known: that end's side is said. Returns the length needed;
 * 0 when the cause is not a configuration matter (nothing written). */
size_t ike_cfg_explain(const char *cause, const struct ike_cfg_tunnel *local, const struct ike_cfg_tunnel *peer,
		       const char *seen, char *buf, size_t cap);

/* The tunnel of file b that faces tunnel t of file a: b's tunnel whose peer
 * address is t's local address or whose local address is t's peer; the only
 * tunnel of b when b has one. NULL when none is found. */
const struct ike_cfg_tunnel *ike_cfg_facing(const struct ike_cfg_tunnel *t, const struct ike_cfg_file *b);

/* ---- printers (src/output/out_config.c), to a stream the caller owns ---- */

#include <stdio.h>

/* Per tunnel: peer, local address, proposals in charon's format, timers,
 * authentication and selectors, each with the line it came from; then the
 * file's notes as "FILE:LINE: message". */
void ike_out_text_cfg_file(FILE *out, const struct ike_cfg_file *f);
/* One "config" object per tunnel and one "config_note" per note. */
void ike_out_json_cfg_file(FILE *out, const struct ike_cfg_file *f);
/* The prediction for initiator i (in file fi) facing responder r (in fr). */
void ike_out_text_cfg_prediction(FILE *out, const struct ike_cfg_prediction *p, const struct ike_cfg_file *fi,
				 const struct ike_cfg_tunnel *i, const struct ike_cfg_file *fr,
				 const struct ike_cfg_tunnel *r);
void ike_out_json_cfg_prediction(FILE *out, const struct ike_cfg_prediction *p, const struct ike_cfg_file *fi,
				 const struct ike_cfg_tunnel *i, const struct ike_cfg_file *fr,
				 const struct ike_cfg_tunnel *r);
/* An explanation reached by another command (compare's losses): text
 * "config    CAUSE: TEXT", JSON one "config_explain" object {cause, explanation}. */
void ike_out_text_cfg_explain(FILE *out, const char *cause, const char *text);
void ike_out_json_cfg_explain(FILE *out, const char *cause, const char *text);
/* DESIGN.md's symptom for a prediction: "healthy", "not-established" or
 * "down" (up, then lost at the first CHILD SA rekey). */
const char *ike_cfg_prediction_symptom(const struct ike_cfg_prediction *p);

#endif
