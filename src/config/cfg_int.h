/*
 * cfg_int.h — what the config dialect parsers share: the line reader over the
 * file's bytes, notes, origins, tunnels, numbers, durations, selectors and
 * the PSK hash. Owned by the config module; nothing here is public.
 */
#ifndef IKESCOPE_CFG_INT_H
#define IKESCOPE_CFG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/config.h"
#include "util/rd.h"

/* Lines of the file, one at a time, NUL-terminated in buf (the '\r' of CRLF
 * and the newline removed). An overlong line is cut at IKE_CFG_MAX_LINE and,
 * when notes is set, noted on that file (dialect detection passes NULL). */
struct cfg_lines {
	struct ike_rd r;
	unsigned line;
	bool cut;
	struct ike_cfg_file *notes;
	char buf[IKE_CFG_MAX_LINE + 1];
};

void cfg_lines_init(struct cfg_lines *l, const char *text, size_t len, struct ike_cfg_file *notes);
bool cfg_next_line(struct cfg_lines *l);

/* A note on the file (counted, never dropped silently). */
void cfg_note(struct ike_cfg_file *f, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* o = the line (leading blanks dropped, cut to fit). */
void cfg_origin(struct ike_cfg_origin *o, unsigned line, const char *text);
/* o = a default (line 0) described by the text. */
void cfg_default(struct ike_cfg_origin *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new zeroed tunnel at the end of f (NULL with a note once the cap is hit). */
struct ike_cfg_tunnel *cfg_tunnel_new(struct ike_cfg_file *f, const char *name, unsigned line, const char *text);

/* Splits s in place into blank-separated words; "double quoted" words keep
 * their blanks (quotes removed). Returns the number of words (at most max). */
unsigned cfg_words(char *s, char **w, unsigned max);
/* Leading and trailing blanks removed in place. */
char *cfg_trim(char *s);
/* Bounded copy, always NUL-terminated (cut when src does not fit). */
void cfg_copy(char *dst, size_t cap, const char *src);
bool cfg_u32(const char *s, uint32_t *v);
/* strongSwan durations: "30", "30s", "5m", "1h", "2d". */
bool cfg_duration(const char *s, uint32_t *sec);
/* "10.0.0.0/8", "192.0.2.1" (a /32), "2001:db8::/32", "0.0.0.0/0", "%any". */
bool cfg_ts(const char *s, struct ike_cfg_ts *ts);
/* A dotted mask ("255.255.255.0") to its prefix length; -1 when not contiguous. */
int cfg_mask_plen(const char *s);
/* Appends a selector (noting a cap hit on the tunnel). */
void cfg_ts_add(struct ike_cfg_tunnel *t, bool local, const struct ike_cfg_ts *ts);
/* Keeps a keyed hash of the PSK (the PSK itself is wiped by the caller). */
void cfg_psk(struct ike_cfg_tunnel *t, const char *psk, size_t len, unsigned line, const char *text);
/* Appends one proposal (a copy) to list[*n], counting a cap hit on t. */
void cfg_proposal_add(struct ike_cfg_tunnel *t, struct ike_cfg_proposal *list, unsigned *n,
		      const struct ike_cfg_proposal *p);
/* Appends one transform, unless the same one is already there. */
void cfg_xform_add(struct ike_cfg_proposal *p, uint8_t type, uint16_t id, uint16_t key_len);
/* Removes every transform of a type. */
void cfg_xform_drop(struct ike_cfg_proposal *p, uint8_t type);
bool cfg_xform_has_type(const struct ike_cfg_proposal *p, uint8_t type);
/* Whether an ENCR transform ID is an AEAD (GCM, CCM, ChaCha20-Poly1305). */
bool cfg_encr_is_aead(uint16_t id);

/* strongSwan's first keyword for a transform ("modp4096"), or NULL. */
const char *cfg_swan_keyword(uint8_t type, uint16_t id);

/* The dialect parsers: 0, or -1 with err set when the text is not that dialect at all. */
int cfg_parse_vedge(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap);
int cfg_parse_iosxe(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap);
int cfg_parse_swanctl(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap);
int cfg_parse_ipsec_conf(struct ike_cfg_file *f, const char *text, size_t len, char *err, size_t errcap);

#endif
