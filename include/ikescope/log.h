/*
 * log.h — strongSwan charon log lines as typed events.
 *
 * One reader streams any number of log files (plain or gzip, every shape
 * charon writes: syslog, filelog, journalctl short/short-iso/short-precise
 * and json) and merges them in time order with one line of look-ahead per
 * file, so memory does not grow with the input. Each line is decoded once
 * into a struct ike_log_event; printers and the correlator read the event.
 *
 * Syslog lines carry no year and no zone: the options give them, and
 * ike_log_clock_* estimates the offset between a log and a capture from the
 * packet lines when they are not known.
 */
#ifndef IKESCOPE_LOG_H
#define IKESCOPE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikescope/ike.h"

#define IKE_LOG_MAX_LINE 16384   /* longer lines are skipped and counted */
#define IKE_LOG_MAX_FILES 64     /* files one reader merges */
#define IKE_LOG_TEXT_MAX 1024    /* bounded copy of a line's message text */
#define IKE_LOG_NAME_MAX 64      /* SA names, state names, group names */
#define IKE_LOG_ID_MAX 256       /* identities in "established between" lines */
#define IKE_LOG_LIST_MAX 1024    /* proposal lists, payload summaries, traffic selectors */

enum ike_log_kind {
	IKE_LOG_OTHER = 0,          /* a charon line we do not type; text kept */
	IKE_LOG_MSG_GENERATED,      /* generating %N %s %u [ … ] */
	IKE_LOG_MSG_PARSED,         /* parsed %N %s %u [ … ] */
	IKE_LOG_PKT_SENT,           /* sending packet: from %#H to %#H (%zu bytes) */
	IKE_LOG_PKT_RECEIVED,       /* received packet: from %#H to %#H (%zu bytes) */
	IKE_LOG_RETRANSMIT,         /* retransmit %d of request with message ID %d */
	IKE_LOG_GIVE_UP,            /* giving up after %d retransmits */
	IKE_LOG_RETRANSMIT_RECEIVED, /* received retransmit of request with ID %d, retransmitting response */
	IKE_LOG_MID_UNEXPECTED,     /* received message ID %d, expected %d, ignored */
	IKE_LOG_DPD,                /* sending DPD request */
	IKE_LOG_NAT_LOCAL,          /* local host is behind NAT, sending keep alives */
	IKE_LOG_NAT_REMOTE,         /* remote host is behind NAT */
	IKE_LOG_KEEPALIVE,          /* sending keep alive to %#H */
	IKE_LOG_IKE_INITIATE,       /* initiating IKE_SA %s[%u] to %H */
	IKE_LOG_IKE_PEER_INITIATE,  /* %H is initiating IKE_SA %s[%u] */
	IKE_LOG_IKE_ESTABLISHED,    /* IKE_SA %s[%u] established between %H[%Y]...%H[%Y] */
	IKE_LOG_IKE_REKEYED,        /* IKE_SA %s[%u] rekeyed between … */
	IKE_LOG_IKE_DELETING,       /* deleting IKE_SA %s[%u] between … */
	IKE_LOG_IKE_DELETED,        /* IKE_SA deleted */
	IKE_LOG_IKE_DELETE_SENT,    /* sending DELETE for IKE_SA %s[%u] */
	IKE_LOG_IKE_DELETE_RECEIVED, /* received DELETE for IKE_SA %s[%u] */
	IKE_LOG_CHILD_ESTABLISHED,  /* CHILD_SA %s{%u} established with SPIs %.8x_i %.8x_o and TS … */
	IKE_LOG_CHILD_DELETE_SENT,  /* sending DELETE for ESP CHILD_SA with SPI %.8x */
	IKE_LOG_CHILD_DELETE_RECEIVED, /* received DELETE for ESP CHILD_SA with SPI %.8x */
	IKE_LOG_CHILD_CLOSING,      /* closing CHILD_SA %s{%u} with SPIs … */
	IKE_LOG_NOTIFY_ERROR,       /* received %N notify error */
	IKE_LOG_NO_CHILD_SA,        /* received %N notify, no CHILD_SA built */
	IKE_LOG_CHILD_FAILED,       /* failed to establish CHILD_SA, keeping IKE_SA */
	IKE_LOG_PROPOSALS_RECEIVED, /* received proposals: … */
	IKE_LOG_PROPOSALS_CONFIGURED, /* configured proposals: … */
	IKE_LOG_PROPOSAL_SELECTED,  /* selected proposal: … */
	IKE_LOG_NO_PROPOSAL,        /* no acceptable proposal found */
	IKE_LOG_PROPOSALS_UNACCEPTABLE, /* received proposals unacceptable */
	IKE_LOG_DH_UNACCEPTABLE,    /* DH group %N unacceptable, requesting %N (6.x: key exchange method) */
	IKE_LOG_DH_REJECTED,        /* peer didn't accept DH group %N, it requested %N */
	IKE_LOG_NO_IKE_CONFIG,      /* no IKE config found for %H...%H, sending %N */
	IKE_LOG_PEER_RETRY,         /* peer not responding, trying again (%d/%d) */
	IKE_LOG_PEER_NOT_RESPONDING, /* establishing IKE_SA failed, peer not responding */
	IKE_LOG_STATE_CHANGE,       /* IKE_SA %s[%u] state change: A => B */
	IKE_LOG_SA_CHECKOUT,        /* checkout IKEv2 SA with SPIs %.16x_i %.16x_r */
	IKE_LOG_SA_CHECKIN,         /* checkin IKEv2 SA %s[%u] with SPIs … */
	IKE_LOG_FRAGMENTING,        /* splitting IKE message (%zu bytes) into %hu fragments */
	IKE_LOG_FRAGMENT_RECEIVED,  /* received fragment #%hu of %hu, … */
	IKE_LOG_KEY_DUMP,           /* ike=4 key dump header or bytes (bytes never copied) */
	IKE_LOG_HEX_DUMP,           /* any other %B dump line (bytes never copied either) */
	IKE_LOG_IF_STATE,           /* vEdge FTMD: VPN %u Interface %s DOWN|UP */
	IKE_LOG_KIND_MAX
};
const char *ike_log_kind_name(enum ike_log_kind k); /* "msg-generated", "pkt-sent", … */

/* An address with its port as charon prints %#H ("10.0.0.1[4500]"). */
struct ike_log_host {
	struct ike_addr addr;
	uint16_t port; /* 0 when the line gave none (%H) */
};

struct ike_log_time {
	int64_t sec;    /* Unix time; when !has_year, computed with IKE_LOG_NOMINAL_YEAR */
	int32_t usec;
	bool has_time;  /* the line had a time (filelog may have none: then the file's last time) */
	bool has_year;  /* from the line or the options */
	bool year_in_line;
	bool has_zone;  /* sec is UTC; otherwise local time read as UTC, minus opts.tz_offset_sec if set */
	/* the civil time as written, for re-basing a line without a year */
	uint8_t mon, mday, hour, min, secs; /* mon 1–12 */
};
#define IKE_LOG_NOMINAL_YEAR 2000 /* leap year, so "Feb 29" stays a valid date */
/* The civil fields of t in the given year, read as UTC (no zone applied). */
int64_t ike_log_civil_sec(const struct ike_log_time *t, int year);

struct ike_log_event {
	/* source */
	uint32_t file;    /* index of the path given to ike_log_open, from 0 */
	uint64_t line;    /* from 1 */
	struct ike_log_time t;
	char host[IKE_LOG_NAME_MAX];
	char program[IKE_LOG_NAME_MAX];
	int thread;       /* -1 when unknown */
	char group[4];    /* "IKE", "" when unknown */
	int level;        /* -1 when the shape does not carry it */
	char sa_name[IKE_LOG_NAME_MAX]; /* from "<name|id>" or journald IKE_SA_NAME; "" when absent */
	uint32_t sa_uid;  /* 0 when absent */
	char text[IKE_LOG_TEXT_MAX]; /* message text after the prefixes; key and dump bytes blanked */
	bool text_truncated;
	char raw[IKE_LOG_TEXT_MAX];  /* the whole line as read; dump bytes blanked as in text */
	bool raw_truncated;

	enum ike_log_kind kind;
	union {
		struct { /* MSG_GENERATED, MSG_PARSED */
			char exchange[IKE_LOG_NAME_MAX];
			uint8_t exchange_id; /* 0 when the name is unknown */
			bool response;
			uint32_t mid;
			char summary[IKE_LOG_LIST_MAX]; /* "IKE_AUTH request 1 [ IDi … ]", as ike_msg_summary */
		} msg;
		struct { /* PKT_SENT, PKT_RECEIVED */
			struct ike_log_host from, to;
			uint32_t bytes; /* IKE length */
			bool has_bytes;
		} pkt;
		struct { /* RETRANSMIT, GIVE_UP (n), RETRANSMIT_RECEIVED (mid), MID_UNEXPECTED */
			uint32_t n;
			uint32_t mid;
			uint32_t expected;
		} retx;
		struct ike_log_host keepalive; /* KEEPALIVE */
		struct { /* IKE_*, STATE_CHANGE, SA_CHECKIN, CHILD_ESTABLISHED, CHILD_CLOSING */
			char name[IKE_LOG_NAME_MAX];
			uint32_t uid;
			struct ike_log_host local, remote; /* INITIATE: remote; ESTABLISHED/REKEYED/DELETING: both */
			char local_id[IKE_LOG_ID_MAX], remote_id[IKE_LOG_ID_MAX];
			char from_state[24], to_state[24]; /* STATE_CHANGE */
			uint32_t spi_i, spi_o;              /* CHILD_ESTABLISHED, CHILD_CLOSING */
			char ts_local[IKE_LOG_LIST_MAX / 2], ts_remote[IKE_LOG_LIST_MAX / 2];
			uint64_t ispi, rspi;                /* SA_CHECKIN, SA_CHECKOUT */
		} sa;
		struct { /* CHILD_DELETE_SENT, CHILD_DELETE_RECEIVED */
			char protocol[8]; /* "ESP", "AH" */
			uint32_t spi;
		} del;
		struct { /* NOTIFY_ERROR, NO_CHILD_SA, NO_IKE_CONFIG (the notify sent) */
			char name[IKE_LOG_NAME_MAX]; /* long name as printed */
			uint16_t type; /* 0 when the name is unknown */
			struct ike_log_host local, remote; /* NO_IKE_CONFIG */
		} notify;
		struct { /* PROPOSALS_*, PROPOSAL_SELECTED */
			char text[IKE_LOG_LIST_MAX]; /* "ESP:AES_GCM_16_256/NO_EXT_SEQ, ESP:…" as printed */
			bool truncated;
		} proposals;
		struct { /* DH_UNACCEPTABLE (group = offered, other = requested), DH_REJECTED (group = ours) */
			char group[IKE_LOG_NAME_MAX], other[IKE_LOG_NAME_MAX];
		} dh;
		struct { /* PEER_RETRY, FRAGMENTING, FRAGMENT_RECEIVED */
			uint32_t n, of;
			uint32_t bytes;
		} count;
		struct { /* KEY_DUMP, HEX_DUMP */
			char label[IKE_LOG_NAME_MAX]; /* "Sk_ei secret"; "" on a bytes line */
			uint32_t len;    /* header: dump length; bytes line: bytes on the line */
			uint32_t offset; /* bytes line: its offset */
		} dump;
		struct { /* IF_STATE */
			char ifname[IKE_LOG_NAME_MAX];
			uint32_t vpn;
			bool up;
		} ifstate;
	} u;
};

struct ike_log_opts {
	int year;            /* for shapes without one; 0 = unknown */
	bool tz_known;
	int32_t tz_offset_sec; /* local = UTC + offset, for shapes without a zone */
};

/* "+02:00", "-0530", "+2", "UTC", "Z", "GMT". false when unreadable. */
bool ike_log_parse_tz(const char *s, int32_t *offset_sec);

struct ike_log_stats {
	uint64_t lines;          /* all lines read */
	uint64_t events;         /* returned by ike_log_next */
	uint64_t other_programs; /* skipped: not charon, not a FTMD interface line */
	uint64_t unparsed;       /* skipped: no shape recognised */
	uint64_t empty;          /* skipped: nothing on the line */
	uint64_t overlong;       /* skipped: longer than IKE_LOG_MAX_LINE */
	uint64_t binary;         /* skipped: NUL or control bytes */
	uint64_t invalid_utf8;   /* skipped */
	uint64_t backwards;      /* kept: time earlier than the previous line of the same file */
	uint64_t read_errors;    /* gzip or I/O errors (the file ends there) */
};

struct ike_log; /* owned; free with ike_log_close() */

/*
 * Opens n paths (plain or gzip, detected by content). On failure returns NULL
 * and writes a one-line reason naming the file into err. opts may be NULL.
 */
struct ike_log *ike_log_open(const char *const *paths, size_t n, const struct ike_log_opts *opts, char *err,
			     size_t errlen);
/* The next event in time order (equal times: file order, then line order). false at the end. */
bool ike_log_next(struct ike_log *l, struct ike_log_event *ev);
/*
 * The same event, lent instead of copied (the event is 4 KiB and copying it
 * was a tenth of reading a log): borrowed, valid until the next call on l.
 * NULL at the end. The file it came from reads on at that next call, so
 * ike_log_stats counts its following lines only from then.
 */
const struct ike_log_event *ike_log_next_ref(struct ike_log *l);
void ike_log_stats(const struct ike_log *l, struct ike_log_stats *out);
void ike_log_close(struct ike_log *l);

/*
 * One line, without its newline, decoded into *ev (file and line are left as
 * they are). False when the line is not one we keep (the stats say why).
 * Used by the reader; exposed for tests and single-line callers.
 */
bool ike_log_parse_line(const char *line, size_t len, const struct ike_log_opts *opts, struct ike_log_event *ev,
			struct ike_log_stats *st);
/* Types the message text (after all prefixes) into ev->kind and ev->u, and copies it to ev->text. */
void ike_log_classify(const char *text, struct ike_log_event *ev);

/* ---- clock offset between a log and a capture -------------------------- */

#define IKE_LOG_CLOCK_MAX 65536 /* packet lines and messages each; more are counted, not kept */

struct ike_log_clock_result {
	bool found;
	int64_t offset_usec;  /* capture time = log time + offset */
	uint32_t support;     /* log packet lines whose match agrees with the offset */
	uint32_t log_packets; /* packet lines with a byte count considered */
	uint32_t matched;     /* of those, lines with at least one candidate in the window */
	int year;             /* the year used for lines without one (from the capture), 0 if none needed */
	bool capped;          /* a cap was hit: the estimate used the first IKE_LOG_CLOCK_MAX */
};

struct ike_log_clock; /* owned; free with ike_log_clock_free() */
struct ike_log_clock *ike_log_clock_new(void);
void ike_log_clock_free(struct ike_log_clock *c);
/* A capture message: its origin (time, addresses, ports) and IKE length are copied. */
void ike_log_clock_add_msg(struct ike_log_clock *c, const struct ike_msg *m);
/* A log event: kept when it is a packet line with a byte count. */
void ike_log_clock_add_event(struct ike_log_clock *c, const struct ike_log_event *ev);
/*
 * Median of the differences of matching pairs (same addresses, ports and
 * length) within ±window_sec, taken in the densest 2-second cluster (ties:
 * the cluster nearest zero), so stray matches do not move it.
 */
void ike_log_clock_estimate(struct ike_log_clock *c, int64_t window_sec, struct ike_log_clock_result *out);

#endif
