/*
 * logkind.c — charon message texts (after every prefix) to typed events.
 *
 * The formats are charon's own (strongSwan 5.9.8 and 6.x, see
 * reference/charon-logs.md). Each matcher consumes the text from the left
 * and fails cleanly on anything it does not expect, so a line cut short or
 * reworded is kept as IKE_LOG_OTHER rather than typed with wrong fields.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ikescope/log.h"
#include "ikescope/names.h"
#include "logs/logint.h"

static const char *const kind_names[IKE_LOG_KIND_MAX] = {
	"other", "msg-generated", "msg-parsed", "pkt-sent", "pkt-received", "retransmit", "give-up",
	"retransmit-received", "mid-unexpected", "dpd", "nat-local", "nat-remote", "keepalive",
	"ike-initiate", "ike-peer-initiate", "ike-established", "ike-rekeyed", "ike-deleting", "ike-deleted",
	"ike-delete-sent", "ike-delete-received", "child-established", "child-delete-sent",
	"child-delete-received", "child-closing", "notify-error", "no-child-sa", "child-failed",
	"proposals-received", "proposals-configured", "proposal-selected", "no-proposal",
	"proposals-unacceptable", "dh-unacceptable", "dh-rejected", "no-ike-config", "peer-retry",
	"peer-not-responding", "state-change", "sa-checkout", "sa-checkin", "fragmenting",
	"fragment-received", "key-dump", "hex-dump", "if-state",
};

const char *ike_log_kind_name(enum ike_log_kind k)
{
	return (unsigned)k < IKE_LOG_KIND_MAX ? kind_names[k] : "unknown";
}

/* Each matcher takes a cursor, advances it on success and leaves it otherwise. */

static bool lit(const char **p, const char *s)
{
	/* strncmp(*p, s, strlen(s)) == 0, in one pass: most tries fail on the
	 * first byte, and the two library calls cost more than the compare */
	const char *q = *p;
	while (*s && *q == *s) {
		q++;
		s++;
	}
	if (*s)
		return false;
	*p = q;
	return true;
}

static bool u32(const char **p, uint32_t *out)
{
	const char *q = *p;
	uint64_t v = 0;
	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		v = v * 10 + (uint64_t)(*q++ - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	*p = q;
	return true;
}

static bool hex64(const char **p, unsigned min_digits, unsigned max_digits, uint64_t *out)
{
	const char *q = *p;
	uint64_t v = 0;
	unsigned n = 0;
	while (isxdigit((unsigned char)*q) && n < max_digits) {
		int c = tolower((unsigned char)*q++);
		v = v << 4 | (uint64_t)(c <= '9' ? c - '0' : c - 'a' + 10);
		n++;
	}
	if (n < min_digits || isxdigit((unsigned char)*q))
		return false;
	*out = v;
	*p = q;
	return true;
}

static bool hex32(const char **p, uint32_t *out)
{
	uint64_t v;
	if (!hex64(p, 1, 8, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A token up to (not including) any of stop, copied bounded; must be non-empty. */
static bool word(const char **p, const char *stop, char *out, size_t cap)
{
	size_t n = strcspn(*p, stop);
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n;
	return true;
}

/* The rest of the line, bounded; *trunc says whether it was cut. */
static void rest(const char *p, char *out, size_t cap, bool *trunc)
{
	size_t n = strlen(p);
	bool cut = n >= cap;
	if (cut)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	if (trunc)
		*trunc = cut;
}

/* %H (address) with an optional "[port]" (%#H). */
static bool host(const char **p, bool want_port, struct ike_log_host *h)
{
	char buf[64];
	const char *q = *p;
	if (!word(&q, "[ ,", buf, sizeof(buf)))
		return false;
	char *dots = strstr(buf, "..."); /* "%H...%H" */
	if (dots) {
		q -= strlen(dots);
		*dots = '\0';
	}
	memset(h, 0, sizeof(*h));
	if (inet_pton(AF_INET, buf, h->addr.a) == 1)
		h->addr.family = 4;
	else if (inet_pton(AF_INET6, buf, h->addr.a) == 1)
		h->addr.family = 6;
	else if (strcmp(buf, "%any") != 0 && strcmp(buf, "%any6") != 0)
		return false;
	if (want_port) {
		uint32_t port;
		if (!lit(&q, "[") || !u32(&q, &port) || port > 65535 || !lit(&q, "]"))
			return false;
		h->port = (uint16_t)port;
	}
	*p = q;
	return true;
}

/* "name[uid]" (IKE_SA) or "name{uid}" (CHILD_SA). */
static bool sa_ref(const char **p, char open, struct ike_log_event *ev)
{
	const char *q = *p;
	const char stop[] = {open, ' ', '\0'};
	const char close[] = {open == '[' ? ']' : '}', '\0'};
	const char opens[] = {open, '\0'};
	if (!word(&q, stop, ev->u.sa.name, sizeof(ev->u.sa.name)) || !lit(&q, opens) || !u32(&q, &ev->u.sa.uid) ||
	    !lit(&q, close))
		return false;
	*p = q;
	return true;
}

/* "%H[%Y]" where the identity may hold anything but the closing bracket before end. */
static bool host_id(const char **p, const char *end_mark, struct ike_log_host *h, char *id, size_t cap)
{
	const char *q = *p;
	if (!host(&q, false, h) || !lit(&q, "["))
		return false;
	const char *e = end_mark ? strstr(q, end_mark) : q + strlen(q) - 1;
	if (!e || e < q || *e != ']' || (size_t)(e - q) >= cap)
		return false;
	memcpy(id, q, (size_t)(e - q));
	id[e - q] = '\0';
	*p = e + 1;
	return true;
}

/* "between %H[%Y]...%H[%Y]" */
static bool between(const char *p, struct ike_log_event *ev)
{
	return lit(&p, " between ") && host_id(&p, "]...", &ev->u.sa.local, ev->u.sa.local_id, IKE_LOG_ID_MAX) &&
	       lit(&p, "...") && host_id(&p, NULL, &ev->u.sa.remote, ev->u.sa.remote_id, IKE_LOG_ID_MAX);
}

/* Writes ev->u.msg only when the whole line matched: "generating rule 3 …"
 * debug lines are half of a level-3 log, and a failure that wrote nothing
 * leaves ev->u clean (log_classify then skips clearing it). */
static bool msg_line(const char *p, struct ike_log_event *ev)
{
	const char *s = p;
	size_t n = strcspn(p, " ");
	if (n == 0 || n >= sizeof(ev->u.msg.exchange))
		return false;
	p += n;
	bool response;
	if (!lit(&p, " "))
		return false;
	if (lit(&p, "request "))
		response = false;
	else if (lit(&p, "response "))
		response = true;
	else
		return false;
	uint32_t mid;
	if (!u32(&p, &mid) || !lit(&p, " [") || p[strlen(p) - 1] != ']')
		return false;
	if (strlen(s) >= sizeof(ev->u.msg.summary))
		return false; /* cut: rest() would have truncated it */
	memcpy(ev->u.msg.exchange, s, n);
	ev->u.msg.exchange[n] = '\0';
	ev->u.msg.response = response;
	ev->u.msg.mid = mid;
	for (size_t i = 0; i < ike_names_exchange.n; i++)
		if (strcmp(ike_names_exchange.v[i].name, ev->u.msg.exchange) == 0)
			ev->u.msg.exchange_id = (uint8_t)ike_names_exchange.v[i].id;
	rest(s, ev->u.msg.summary, sizeof(ev->u.msg.summary), NULL);
	return true;
}

static bool pkt_line(const char *p, struct ike_log_event *ev)
{
	if (!lit(&p, "from ") || !host(&p, true, &ev->u.pkt.from) || !lit(&p, " to ") ||
	    !host(&p, true, &ev->u.pkt.to))
		return false;
	/* the byte count is absent at NET 2 on the receiver side, or cut in a quoted line */
	ev->u.pkt.has_bytes = lit(&p, " (") && u32(&p, &ev->u.pkt.bytes) && lit(&p, " bytes)");
	return true;
}

static void notify_type(struct ike_log_event *ev)
{
	for (size_t i = 0; i < ike_names_notify.n; i++)
		if (strcmp(ike_names_notify.v[i].name, ev->u.notify.name) == 0)
			ev->u.notify.type = (uint16_t)ike_names_notify.v[i].id;
}

static bool proposals(const char *p, struct ike_log_event *ev)
{
	rest(p, ev->u.proposals.text, sizeof(ev->u.proposals.text), &ev->u.proposals.truncated);
	return true;
}

/* "16: 38 9A …  ascii" — a %B line; the offset and how many bytes, nothing else. */
static bool dump_bytes(const char *p, struct ike_log_event *ev)
{
	while (*p == ' ')
		p++;
	uint32_t off, n = 0;
	if (*p < '0' || *p > '9') /* u32 would refuse it too: most lines, without the call */
		return false;
	if (!u32(&p, &off) || !lit(&p, ":"))
		return false;
	while (p[0] == ' ' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2]) &&
	       (p[3] == ' ' || p[3] == '\0')) {
		p += 3;
		n++;
	}
	if (n == 0 || n > 16)
		return false;
	ev->u.dump.offset = off;
	ev->u.dump.len = n;
	return true;
}

static const char *const key_labels[] = {
	"SKEYSEED", "Sk_d secret", "Sk_ai secret", "Sk_ar secret", "Sk_ei secret", "Sk_er secret", "Sk_pi secret",
	"Sk_pr secret", "encryption initiator key", "encryption responder key", "integrity initiator key",
	"integrity responder key", "shared Diffie Hellman secret", "DH secret",
};

/* "LABEL => N bytes @ 0x…": KEY_DUMP for key labels, HEX_DUMP otherwise. */
static bool dump_header(const char *p, struct ike_log_event *ev)
{
	/* strstr(p, " => ") by its rare '>': every line is tried, and most hold none */
	const char *arrow = NULL;
	for (const char *g = strchr(p, '>'); g; g = strchr(g + 1, '>'))
		if (g - p >= 2 && g[-1] == '=' && g[-2] == ' ' && g[1] == ' ') {
			arrow = g - 2;
			break;
		}
	if (!arrow || (size_t)(arrow - p) >= sizeof(ev->u.dump.label))
		return false;
	const char *q = arrow + 4;
	uint32_t n;
	if (!u32(&q, &n) || !lit(&q, " bytes @ "))
		return false;
	memcpy(ev->u.dump.label, p, (size_t)(arrow - p));
	ev->u.dump.label[arrow - p] = '\0';
	ev->u.dump.len = n;
	ev->kind = IKE_LOG_HEX_DUMP;
	for (size_t i = 0; i < sizeof(key_labels) / sizeof(key_labels[0]); i++)
		if (strcmp(ev->u.dump.label, key_labels[i]) == 0)
			ev->kind = IKE_LOG_KEY_DUMP;
	return true;
}

/* Lines that start with "IKE_SA " */
static enum ike_log_kind ike_sa_line(const char *p, struct ike_log_event *ev)
{
	if (lit(&p, "deleted") && *p == '\0')
		return IKE_LOG_IKE_DELETED;
	if (!sa_ref(&p, '[', ev))
		return IKE_LOG_OTHER;
	if (lit(&p, " established") && between(p, ev))
		return IKE_LOG_IKE_ESTABLISHED;
	if (lit(&p, " rekeyed") && between(p, ev))
		return IKE_LOG_IKE_REKEYED;
	if (lit(&p, " state change: ") && word(&p, " ", ev->u.sa.from_state, sizeof(ev->u.sa.from_state)) &&
	    lit(&p, " => ") && word(&p, " ", ev->u.sa.to_state, sizeof(ev->u.sa.to_state)) && *p == '\0')
		return IKE_LOG_STATE_CHANGE;
	return IKE_LOG_OTHER;
}

static enum ike_log_kind received_line(const char *p, struct ike_log_event *ev)
{
	if (lit(&p, "packet: "))
		return pkt_line(p, ev) ? IKE_LOG_PKT_RECEIVED : IKE_LOG_OTHER;
	if (lit(&p, "retransmit of request with ID "))
		return u32(&p, &ev->u.retx.mid) ? IKE_LOG_RETRANSMIT_RECEIVED : IKE_LOG_OTHER;
	if (lit(&p, "message ID "))
		return u32(&p, &ev->u.retx.mid) && lit(&p, ", expected ") && u32(&p, &ev->u.retx.expected)
			       ? IKE_LOG_MID_UNEXPECTED
			       : IKE_LOG_OTHER;
	if (lit(&p, "DELETE for IKE_SA "))
		return sa_ref(&p, '[', ev) ? IKE_LOG_IKE_DELETE_RECEIVED : IKE_LOG_OTHER;
	if (lit(&p, "DELETE for ")) {
		if (word(&p, " ", ev->u.del.protocol, sizeof(ev->u.del.protocol)) &&
		    lit(&p, " CHILD_SA with SPI ") && hex32(&p, &ev->u.del.spi))
			return IKE_LOG_CHILD_DELETE_RECEIVED;
		return IKE_LOG_OTHER;
	}
	if (lit(&p, "proposals unacceptable"))
		return IKE_LOG_PROPOSALS_UNACCEPTABLE;
	if (lit(&p, "proposals: "))
		return proposals(p, ev) ? IKE_LOG_PROPOSALS_RECEIVED : IKE_LOG_OTHER;
	if (lit(&p, "fragment #"))
		return u32(&p, &ev->u.count.n) && lit(&p, " of ") && u32(&p, &ev->u.count.of)
			       ? IKE_LOG_FRAGMENT_RECEIVED
			       : IKE_LOG_OTHER;
	/* "received %N notify error" / "received %N notify, no CHILD_SA built" */
	if (word(&p, " ", ev->u.notify.name, sizeof(ev->u.notify.name))) {
		if (strcmp(p, " notify error") == 0) {
			notify_type(ev);
			return IKE_LOG_NOTIFY_ERROR;
		}
		if (strcmp(p, " notify, no CHILD_SA built") == 0) {
			notify_type(ev);
			return IKE_LOG_NO_CHILD_SA;
		}
	}
	return IKE_LOG_OTHER;
}

static enum ike_log_kind sending_line(const char *p, struct ike_log_event *ev)
{
	if (lit(&p, "packet: "))
		return pkt_line(p, ev) ? IKE_LOG_PKT_SENT : IKE_LOG_OTHER;
	if (strcmp(p, "DPD request") == 0)
		return IKE_LOG_DPD;
	if (lit(&p, "keep alive to "))
		return host(&p, true, &ev->u.keepalive) ? IKE_LOG_KEEPALIVE : IKE_LOG_OTHER;
	if (lit(&p, "DELETE for IKE_SA "))
		return sa_ref(&p, '[', ev) ? IKE_LOG_IKE_DELETE_SENT : IKE_LOG_OTHER;
	if (lit(&p, "DELETE for ") && word(&p, " ", ev->u.del.protocol, sizeof(ev->u.del.protocol)) &&
	    lit(&p, " CHILD_SA with SPI ") && hex32(&p, &ev->u.del.spi))
		return IKE_LOG_CHILD_DELETE_SENT;
	return IKE_LOG_OTHER;
}

/* "DH group %N unacceptable, requesting %N" and its 6.x wording. */
static enum ike_log_kind dh_line(const char *p, struct ike_log_event *ev, bool rejected)
{
	if (rejected) {
		if ((lit(&p, "DH group ") || lit(&p, "key exchange method ")) &&
		    word(&p, ",", ev->u.dh.group, sizeof(ev->u.dh.group)) && lit(&p, ", it requested ") &&
		    word(&p, " ", ev->u.dh.other, sizeof(ev->u.dh.other)) && *p == '\0')
			return IKE_LOG_DH_REJECTED;
		return IKE_LOG_OTHER;
	}
	if (word(&p, " ", ev->u.dh.group, sizeof(ev->u.dh.group)) && lit(&p, " unacceptable, requesting ") &&
	    word(&p, " ", ev->u.dh.other, sizeof(ev->u.dh.other)) && *p == '\0')
		return IKE_LOG_DH_UNACCEPTABLE;
	return IKE_LOG_OTHER;
}

/* A "generating"/"parsed" line: kind when it reads as a message line, else
 * an untyped line whose event stays clean (msg_line writes nothing when it fails). */
static enum ike_log_kind msg_kind(const char *p, struct ike_log_event *ev, bool *dirty, enum ike_log_kind kind)
{
	if (msg_line(p, ev))
		return kind;
	*dirty = false;
	return IKE_LOG_OTHER;
}

static enum ike_log_kind classify(const char *p, struct ike_log_event *ev, bool *dirty, bool no_arrow)
{
	const char *s = p;
	*dirty = true; /* a matcher that got past its prefix may have written part of ev->u */
	if (!no_arrow && dump_header(p, ev)) /* before "received …": a dump's label may be any text */
		return ev->kind;
	/* Every matcher below opens with a fixed text: the first byte picks the
	 * few that can apply (most lines match none, and trying some thirty
	 * prefixes one after the other was a sixth of the reading). Within one
	 * letter the order is the order they had in one chain. */
	switch (*p) {
	case 'g':
		if (lit(&p, "generating "))
			return msg_kind(p, ev, dirty, IKE_LOG_MSG_GENERATED);
		if (lit(&p, "giving up after "))
			return u32(&p, &ev->u.retx.n) && lit(&p, " retransmits") ? IKE_LOG_GIVE_UP : IKE_LOG_OTHER;
		break;
	case 'p':
		if (lit(&p, "parsed "))
			return msg_kind(p, ev, dirty, IKE_LOG_MSG_PARSED);
		if (lit(&p, "peer didn't accept "))
			return dh_line(p, ev, true);
		if (lit(&p, "peer not responding, trying again ("))
			return u32(&p, &ev->u.count.n) && lit(&p, "/") && u32(&p, &ev->u.count.of) && lit(&p, ")")
				       ? IKE_LOG_PEER_RETRY
				       : IKE_LOG_OTHER;
		break;
	case 'r':
		if (lit(&p, "received "))
			return received_line(p, ev);
		if (lit(&p, "retransmit ")) /* 5.9 appends " (tries=3, timeout=30…)" on some builds */
			return u32(&p, &ev->u.retx.n) && lit(&p, " of request with message ID ") &&
				       u32(&p, &ev->u.retx.mid)
				       ? IKE_LOG_RETRANSMIT
				       : IKE_LOG_OTHER;
		if (strcmp(p, "remote host is behind NAT") == 0)
			return IKE_LOG_NAT_REMOTE;
		break;
	case 's':
		if (lit(&p, "sending "))
			return sending_line(p, ev);
		if (lit(&p, "selected proposal: "))
			return proposals(p, ev) ? IKE_LOG_PROPOSAL_SELECTED : IKE_LOG_OTHER;
		if (lit(&p, "splitting IKE message ("))
			return u32(&p, &ev->u.count.bytes) && lit(&p, " bytes) into ") && u32(&p, &ev->u.count.of) &&
				       lit(&p, " fragments")
				       ? IKE_LOG_FRAGMENTING
				       : IKE_LOG_OTHER;
		break;
	case 'l':
		if (strcmp(p, "local host is behind NAT, sending keep alives") == 0)
			return IKE_LOG_NAT_LOCAL;
		break;
	case 'i':
		if (lit(&p, "initiating IKE_SA "))
			return sa_ref(&p, '[', ev) && lit(&p, " to ") && host(&p, false, &ev->u.sa.remote)
				       ? IKE_LOG_IKE_INITIATE
				       : IKE_LOG_OTHER;
		break;
	case 'I':
		if (lit(&p, "IKE_SA "))
			return ike_sa_line(p, ev);
		break;
	case 'd':
		if (lit(&p, "deleting IKE_SA "))
			return sa_ref(&p, '[', ev) && between(p, ev) ? IKE_LOG_IKE_DELETING : IKE_LOG_OTHER;
		break;
	case 'C':
		if (lit(&p, "CHILD_SA ")) {
			if (sa_ref(&p, '{', ev) && lit(&p, " established with SPIs ") && hex32(&p, &ev->u.sa.spi_i) &&
			    lit(&p, "_i ") && hex32(&p, &ev->u.sa.spi_o) && lit(&p, "_o and TS ")) {
				const char *sep = strstr(p, " === ");
				size_t n = sep ? (size_t)(sep - p) : 0;
				if (!sep || n == 0 || n >= sizeof(ev->u.sa.ts_local))
					return IKE_LOG_OTHER;
				memcpy(ev->u.sa.ts_local, p, n);
				ev->u.sa.ts_local[n] = '\0';
				bool trunc;
				rest(sep + 5, ev->u.sa.ts_remote, sizeof(ev->u.sa.ts_remote), &trunc);
				return trunc ? IKE_LOG_OTHER : IKE_LOG_CHILD_ESTABLISHED;
			}
			return IKE_LOG_OTHER;
		}
		break;
	case 'c':
		if (lit(&p, "closing CHILD_SA ")) /* "… with SPIs %.8x_i (%llu bytes) %.8x_o (…) and TS …" */
			return sa_ref(&p, '{', ev) && lit(&p, " with SPIs ") && hex32(&p, &ev->u.sa.spi_i) &&
				       lit(&p, "_i") && (p = strchr(p, ')')) != NULL && lit(&p, ") ") &&
				       hex32(&p, &ev->u.sa.spi_o) && lit(&p, "_o")
				       ? IKE_LOG_CHILD_CLOSING
				       : IKE_LOG_OTHER;
		if (lit(&p, "configured proposals: "))
			return proposals(p, ev) ? IKE_LOG_PROPOSALS_CONFIGURED : IKE_LOG_OTHER;
		if (lit(&p, "checkout IKEv2 SA with SPIs "))
			return hex64(&p, 16, 16, &ev->u.sa.ispi) && lit(&p, "_i ") &&
				       hex64(&p, 16, 16, &ev->u.sa.rspi) && lit(&p, "_r")
				       ? IKE_LOG_SA_CHECKOUT
				       : IKE_LOG_OTHER;
		if (lit(&p, "checkin IKEv2 SA "))
			return sa_ref(&p, '[', ev) && lit(&p, " with SPIs ") && hex64(&p, 16, 16, &ev->u.sa.ispi) &&
				       lit(&p, "_i ") && hex64(&p, 16, 16, &ev->u.sa.rspi) && lit(&p, "_r")
				       ? IKE_LOG_SA_CHECKIN
				       : IKE_LOG_OTHER;
		break;
	case 'f':
		if (strcmp(p, "failed to establish CHILD_SA, keeping IKE_SA") == 0)
			return IKE_LOG_CHILD_FAILED;
		break;
	case 'n':
		if (strcmp(p, "no acceptable proposal found") == 0)
			return IKE_LOG_NO_PROPOSAL;
		if (lit(&p, "no IKE config found for ")) {
			if (host(&p, false, &ev->u.notify.local) && lit(&p, "...") &&
			    host(&p, false, &ev->u.notify.remote) && lit(&p, ", sending ") &&
			    word(&p, " ", ev->u.notify.name, sizeof(ev->u.notify.name))) {
				notify_type(ev);
				return IKE_LOG_NO_IKE_CONFIG;
			}
			return IKE_LOG_OTHER;
		}
		break;
	case 'D':
		if (lit(&p, "DH group "))
			return dh_line(p, ev, false);
		break;
	case 'k':
		if (lit(&p, "key exchange method "))
			return dh_line(p, ev, false);
		break;
	case 'e':
		if (strcmp(p, "establishing IKE_SA failed, peer not responding") == 0)
			return IKE_LOG_PEER_NOT_RESPONDING;
		break;
	default: break;
	}
	/* "%H is initiating IKE_SA %s[%u]" */
	p = s;
	/* an address starts with a hex digit or ':' ("%any" with '%'): skip
	 * inet_pton for the many lines that cannot be one */
	if (isxdigit((unsigned char)*p) || *p == ':' || *p == '%') {
		if (host(&p, false, &ev->u.sa.remote) && lit(&p, " is initiating IKE_SA ") && sa_ref(&p, '[', ev))
			return IKE_LOG_IKE_PEER_INITIATE;
		/* what the failed try may have filled: name, uid, local, remote
		 * (not the whole union, which costs most lines a second 1.7 KiB
		 * memset); nothing before it wrote, so ev->u is as clean as it came */
		memset(&ev->u.sa, 0, (size_t)((char *)ev->u.sa.local_id - (char *)&ev->u.sa));
	}
	if (dump_bytes(s, ev))
		return IKE_LOG_HEX_DUMP;
	*dirty = false;
	return IKE_LOG_OTHER;
}

void log_classify(const char *text, size_t len, struct ike_log_event *ev, bool u_zero, bool no_arrow)
{
	if (!u_zero)
		memset(&ev->u, 0, sizeof(ev->u));
	ev->kind = IKE_LOG_OTHER;
	bool dirty;
	enum ike_log_kind k = classify(text, ev, &dirty, no_arrow);
	if (k == IKE_LOG_OTHER && dirty)
		memset(&ev->u, 0, sizeof(ev->u)); /* no half-filled fields on an untyped line */
	ev->kind = k;
	if (k == IKE_LOG_HEX_DUMP && ev->u.dump.label[0] == '\0') {
		/* dump bytes may be key bytes: keep the offset, never the bytes */
		snprintf(ev->text, sizeof(ev->text), "%u: (%u bytes)", ev->u.dump.offset, ev->u.dump.len);
		ev->text_truncated = false;
		return;
	}
	/* rest() without its strlen: the caller knows where the line ends */
	ev->text_truncated = len >= sizeof(ev->text);
	if (ev->text_truncated)
		len = sizeof(ev->text) - 1;
	log_copy_bytes(ev->text, text, len);
	ev->text[len] = '\0';
}

void ike_log_classify(const char *text, struct ike_log_event *ev)
{
	log_classify(text, strlen(text), ev, false, false);
}
