/*
 * correlate.c — the correlator's storage: what it copies from log events and
 * capture messages (each list capped, drops counted), the capture trackers,
 * the accessors, and the order of the passes in ike_corr_finish().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/corr_int.h"

struct ike_corr *ike_corr_new(const struct ike_corr_opts *opts)
{
	struct ike_corr *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (opts)
		c->o = *opts;
	if (c->o.around_window_us <= 0)
		c->o.around_window_us = 300 * 1000000LL;
	if (c->o.link_window_us <= 0)
		c->o.link_window_us = 2 * 1000000LL;
	if (c->o.clock_window_sec <= 0)
		c->o.clock_window_sec = 24 * 3600;
	for (size_t i = 0; i < IKE_CORR_SIDES; i++)
		c->home_capture[i] = -1;
	return c;
}

void ike_corr_free(struct ike_corr *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_logs; i++)
		free(c->logs[i].text);
	free(c->logs);
	free(c->msgs);
	free(c->entries);
	free(c->links);
	free(c->findings);
	free(c->verdicts);
	for (size_t i = 0; i < IKE_CORR_MAX_CAPTURES; i++)
		ike_tracker_free(c->trk[i]);
	free(c);
}

/* Grows *arr (of *cap elements of size sz) to hold one more; false on OOM. */
static bool grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 256;
	void *p = realloc(*arr, nc * sz);
	if (!p)
		return false;
	*arr = p;
	*cap = nc;
	return true;
}

/* strncmp(s, p, strlen(p)) == 0, inlined: every untyped log line (most of a
 * level-3 log) is tried against these prefixes, nearly all fail on the first
 * byte, and the library calls were an eighth of reading such a log */
static inline bool starts(const char *s, const char *p)
{
	while (*p && *s == *p) {
		s++;
		p++;
	}
	return *p == '\0';
}

/* The "{n}" after a CHILD_SA name in an untyped line, 0 when absent. */
static uint32_t child_uid(const char *s)
{
	const char *b = strchr(s, '{');
	if (!b)
		return 0;
	char *end;
	unsigned long v = strtoul(b + 1, &end, 10);
	return *end == '}' && v <= UINT32_MAX ? (uint32_t)v : 0;
}

/* strstr(t, " is initiating an IKE_SA") by its rare 'K' (every untyped line
 * is tried, most hold no 'K', and strstr was a thirtieth of the reading) */
static bool initiating_an_ike_sa(const char *t)
{
	static const char needle[] = " is initiating an IKE_SA";
	const size_t k = 19; /* needle[k] == 'K' */
	for (const char *g = strchr(t, 'K'); g; g = strchr(g + 1, 'K'))
		if ((size_t)(g - t) >= k && strncmp(g - k, needle, sizeof(needle) - 1) == 0)
			return true;
	return false;
}

/* Untyped lines the rules need (log.h types the rest). The first byte picks
 * the prefixes to try (one test instead of a dozen for most lines); the
 * order is that of one chain: CHILD_UP, CHILD_DOWN, REKEY_FAILED, RESTART,
 * PEER_ONLY, AUTH_REFUSED, TS_REFUSED. */
static enum ike_corr_fact fact_of(const char *t)
{
	switch (t[0]) {
	case 'i':
	case 'o':
		if ((starts(t, "inbound CHILD_SA ") || starts(t, "outbound CHILD_SA ")) &&
		    strstr(t, " established with SPIs "))
			return IKE_FACT_CHILD_UP;
		break;
	case 'c':
		if (starts(t, "closing ") && strstr(t, "CHILD_SA "))
			return IKE_FACT_CHILD_DOWN;
		break;
	case 'C':
		if (starts(t, "CHILD_SA rekeying failed"))
			return IKE_FACT_REKEY_FAILED;
		break;
	case 'r':
		if (starts(t, "restarting CHILD_SA "))
			return IKE_FACT_RESTART;
		break;
	default: break;
	}
	if (initiating_an_ike_sa(t))
		return IKE_FACT_PEER_ONLY;
	switch (t[0]) {
	case 's':
		if (starts(t, "schedule delete of duplicate IKE_SA"))
			return IKE_FACT_PEER_ONLY;
		if (starts(t, "signature validation failed"))
			return IKE_FACT_AUTH_REFUSED;
		break;
	case 't':
		if (starts(t, "tried ") && strstr(t, "but MAC mismatched"))
			return IKE_FACT_AUTH_REFUSED;
		if (starts(t, "traffic selectors ") && strstr(t, " unacceptable"))
			return IKE_FACT_TS_REFUSED;
		break;
	case 'a':
		if (starts(t, "authentication of '") && strstr(t, " failed"))
			return IKE_FACT_AUTH_REFUSED;
		break;
	default: break;
	}
	return IKE_FACT_NONE;
}

static bool kept_kind(enum ike_log_kind k)
{
	switch (k) {
	case IKE_LOG_OTHER:
	case IKE_LOG_KEY_DUMP:
	case IKE_LOG_HEX_DUMP:
	case IKE_LOG_SA_CHECKOUT:
	case IKE_LOG_SA_CHECKIN:
	case IKE_LOG_KIND_MAX: return false;
	default: return true;
	}
}

enum ike_err ike_corr_add_log(struct ike_corr *c, const struct ike_log_event *ev)
{
	c->st.log_events++;
	if (ev->file >= IKE_LOG_MAX_FILES) {
		c->st.logs_dropped++;
		return IKE_OK;
	}
	struct corr_file *f = &c->files[ev->file];
	if (!f->seen) {
		f->seen = true;
		f->all_dated = true;
		snprintf(f->host, sizeof(f->host), "%s", ev->host);
		if (!c->have_local_host) {
			c->have_local_host = true;
			snprintf(c->local_host, sizeof(c->local_host), "%s", ev->host);
		}
		/* the first host name is the local end; a file of another host is the peer's */
		f->side = strcmp(f->host, c->local_host) == 0 ? IKE_CORR_SIDE_LOCAL : IKE_CORR_SIDE_PEER;
	}
	if (!ev->t.has_year || !ev->t.has_zone)
		f->all_dated = false;
	if (!ev->t.has_year)
		f->undated = true;
	if (ev->t.has_time) {
		if (!f->has_span)
			f->t_first = ev->t;
		f->t_last = ev->t;
		f->has_span = true;
	}
	enum ike_corr_fact fact = IKE_FACT_NONE;
	if (!kept_kind(ev->kind)) {
		if (ev->kind == IKE_LOG_OTHER)
			fact = fact_of(ev->text);
		if (fact == IKE_FACT_NONE) {
			c->st.logs_untyped++;
			return IKE_OK;
		}
	}
	if (c->n_logs >= IKE_CORR_MAX_LOGS) {
		c->st.logs_dropped++;
		return IKE_OK;
	}
	if (!grow((void **)&c->logs, &c->cap_logs, c->n_logs, sizeof(*c->logs)))
		return IKE_E_NOMEM;
	char *text = strdup(ev->text);
	if (!text)
		return IKE_E_NOMEM;
	struct ike_corr_log *l = &c->logs[c->n_logs++];
	memset(l, 0, sizeof(*l));
	l->file = ev->file;
	l->line = ev->line;
	l->t = ev->t;
	l->log_us = ev->t.sec * 1000000 + ev->t.usec;
	l->us = l->log_us;
	l->kind = ev->kind;
	l->fact = fact;
	l->thread = ev->thread;
	snprintf(l->sa_name, sizeof(l->sa_name), "%s", ev->sa_name);
	l->sa_uid = ev->sa_uid;
	l->text = text;
	l->side = f->side;
	l->tunnel = -1;
	l->link = -1;
	switch (ev->kind) {
	case IKE_LOG_MSG_GENERATED:
	case IKE_LOG_MSG_PARSED:
		l->exchange_id = ev->u.msg.exchange_id;
		l->response = ev->u.msg.response;
		l->mid = ev->u.msg.mid;
		break;
	case IKE_LOG_PKT_SENT:
	case IKE_LOG_PKT_RECEIVED:
		l->from = ev->u.pkt.from;
		l->to = ev->u.pkt.to;
		l->bytes = ev->u.pkt.bytes;
		l->has_bytes = ev->u.pkt.has_bytes;
		break;
	case IKE_LOG_RETRANSMIT:
	case IKE_LOG_GIVE_UP:
	case IKE_LOG_RETRANSMIT_RECEIVED:
	case IKE_LOG_MID_UNEXPECTED:
		l->n = ev->u.retx.n;
		l->mid = ev->u.retx.mid;
		break;
	case IKE_LOG_NOTIFY_ERROR:
	case IKE_LOG_NO_CHILD_SA:
	case IKE_LOG_NO_IKE_CONFIG:
		l->notify = ev->u.notify.type;
		l->from = ev->u.notify.local;
		l->to = ev->u.notify.remote;
		break;
	case IKE_LOG_IKE_INITIATE:
	case IKE_LOG_IKE_PEER_INITIATE:
	case IKE_LOG_IKE_ESTABLISHED:
	case IKE_LOG_IKE_REKEYED:
	case IKE_LOG_IKE_DELETING:
	case IKE_LOG_IKE_DELETE_SENT:
	case IKE_LOG_IKE_DELETE_RECEIVED:
	case IKE_LOG_STATE_CHANGE:
		l->from = ev->u.sa.local;
		l->to = ev->u.sa.remote;
		if (!l->sa_name[0])
			snprintf(l->sa_name, sizeof(l->sa_name), "%s", ev->u.sa.name);
		if (!l->sa_uid)
			l->sa_uid = ev->u.sa.uid;
		break;
	case IKE_LOG_CHILD_ESTABLISHED:
	case IKE_LOG_CHILD_CLOSING: l->n = ev->u.sa.uid; break;
	default: break;
	}
	if (fact == IKE_FACT_CHILD_UP || fact == IKE_FACT_CHILD_DOWN)
		l->n = child_uid(ev->text);
	return IKE_OK;
}

/* The first error notify of a chain (and of a decrypted SK inside it). */
static void scan_payloads(const struct ike_payload *p, uint16_t n, struct ike_corr_msg *x)
{
	for (uint16_t i = 0; i < n; i++) {
		if (!p[i].decoded)
			continue;
		if (p[i].type == 41 && p[i].u.n.type > 0 && p[i].u.n.type < 16384 && !x->error)
			x->error = p[i].u.n.type;
		if (p[i].type == 42 && p[i].u.d.protocol == 1)
			x->delete_ike = true;
		if ((p[i].type == 46 || p[i].type == 53) && p[i].u.sk.opened)
			scan_payloads(p[i].u.sk.inner, p[i].u.sk.n_inner, x);
	}
}

enum ike_err ike_corr_add_msg(struct ike_corr *c, const struct ike_msg *m)
{
	c->st.msgs++;
	uint32_t file = m->at.file;
	if (file >= IKE_CORR_MAX_CAPTURES || m->ikev1 || c->n_msgs >= IKE_CORR_MAX_MSGS) {
		c->st.msgs_dropped++;
		return IKE_OK;
	}
	if (!c->trk[file] && !(c->trk[file] = ike_tracker_new(NULL)))
		return IKE_E_NOMEM;
	enum ike_err e = ike_tracker_add(c->trk[file], m);
	if (e != IKE_OK)
		return e;
	if (!grow((void **)&c->msgs, &c->cap_msgs, c->n_msgs, sizeof(*c->msgs)))
		return IKE_E_NOMEM;
	struct ike_corr_msg *x = &c->msgs[c->n_msgs++];
	memset(x, 0, sizeof(*x));
	x->file = file;
	x->frame = m->at.frame;
	x->us = m->at.ts_sec * 1000000 + m->at.ts_usec;
	x->src = m->at.src;
	x->dst = m->at.dst;
	x->sport = m->at.sport;
	x->dport = m->at.dport;
	x->transport = m->at.transport;
	x->ispi = m->ispi;
	x->rspi = m->rspi;
	x->exchange = m->exchange;
	x->mid = m->mid;
	x->response = ike_msg_is_response(m);
	x->initiator = ike_msg_from_initiator(m);
	x->length = m->length;
	x->frag_num = m->frag_num;
	x->frag_total = m->frag_total;
	ike_msg_summary(m, x->summary, sizeof(x->summary));
	scan_payloads(m->payloads, m->n_payloads, x);
	x->tunnel = -1;
	x->link_packet = x->link_message = x->link_retransmit = -1;
	if (!c->cap_first_us[file] || x->us < c->cap_first_us[file])
		c->cap_first_us[file] = x->us;
	if (x->us > c->cap_last_us[file])
		c->cap_last_us[file] = x->us;
	return IKE_OK;
}

void ike_corr_end_capture(struct ike_corr *c, uint32_t file, int64_t end_us)
{
	if (file < IKE_CORR_MAX_CAPTURES)
		c->cap_read[file] = true;
	if (file >= IKE_CORR_MAX_CAPTURES || !c->trk[file] || c->trk_ended[file])
		return;
	ike_tracker_finish(c->trk[file], end_us);
	c->trk_ended[file] = true;
	if (end_us > c->cap_last_us[file])
		c->cap_last_us[file] = end_us;
}

void ike_corr_finish(struct ike_corr *c)
{
	if (c->finished)
		return;
	c->finished = true;
	for (uint32_t i = 0; i < IKE_CORR_MAX_CAPTURES; i++)
		if (c->trk[i] && !c->trk_ended[i])
			ike_corr_end_capture(c, i, c->cap_last_us[i]);
	ike_corr_clock(c);
	ike_corr_link_all(c);
	ike_corr_tunnels(c);
	ike_corr_rules(c);
	ike_corr_timeline(c);
	if (c->st.logs_dropped || c->st.msgs_dropped || c->st.tunnels_dropped)
		ike_corr_add_finding(c, IKE_FIND_LIMIT, -1, 0,
				     "not kept: %llu log lines (beyond %d), %llu messages (beyond %d or capture %d on), "
				     "%llu tunnels' lines (beyond %d)",
				     (unsigned long long)c->st.logs_dropped, IKE_CORR_MAX_LOGS,
				     (unsigned long long)c->st.msgs_dropped, IKE_CORR_MAX_MSGS, IKE_CORR_MAX_CAPTURES + 1,
				     (unsigned long long)c->st.tunnels_dropped, IKE_CORR_MAX_TUNNELS);
}

struct ike_corr_finding *ike_corr_add_finding(struct ike_corr *c, enum ike_corr_finding_kind k, int32_t tunnel,
					      int64_t us, const char *fmt, ...)
{
	if (c->n_findings >= IKE_CORR_MAX_FINDINGS ||
	    !grow((void **)&c->findings, &c->cap_findings, c->n_findings, sizeof(*c->findings))) {
		c->st.findings_dropped++;
		return NULL;
	}
	struct ike_corr_finding *f = &c->findings[c->n_findings++];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->tunnel = tunnel;
	f->us = us;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	return f;
}

static void fill_ref(struct ike_corr_ref *r, enum ike_corr_src src, const struct ike_corr *c, uint32_t index)
{
	r->src = src;
	r->index = index;
	if (src == IKE_CORR_SRC_LOG) {
		r->file = c->logs[index].file;
		r->pos = c->logs[index].line;
	} else {
		r->file = c->msgs[index].file;
		r->pos = c->msgs[index].frame;
	}
}

void ike_corr_finding_ref(struct ike_corr_finding *f, enum ike_corr_src src, const struct ike_corr *c,
			  uint32_t index)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->n_evidence; i++)
		if (f->evidence[i].src == src && f->evidence[i].index == index)
			return;
	if (f->n_evidence == IKE_CORR_MAX_EVIDENCE) {
		f->evidence_dropped++;
		return;
	}
	fill_ref(&f->evidence[f->n_evidence++], src, c, index);
}

void ike_corr_verdict_ref(struct ike_corr_verdict *v, enum ike_corr_src src, const struct ike_corr *c,
			  uint32_t index)
{
	for (uint32_t i = 0; i < v->n_evidence; i++)
		if (v->evidence[i].src == src && v->evidence[i].index == index)
			return;
	if (v->n_evidence == IKE_CORR_MAX_EVIDENCE) {
		v->evidence_dropped++;
		return;
	}
	fill_ref(&v->evidence[v->n_evidence++], src, c, index);
}

size_t ike_corr_n_entries(const struct ike_corr *c) { return c->n_entries; }
const struct ike_corr_entry *ike_corr_entry(const struct ike_corr *c, size_t i)
{
	return i < c->n_entries ? &c->entries[i] : NULL;
}
size_t ike_corr_n_logs(const struct ike_corr *c) { return c->n_logs; }
const struct ike_corr_log *ike_corr_log(const struct ike_corr *c, size_t i)
{
	return i < c->n_logs ? &c->logs[i] : NULL;
}
size_t ike_corr_n_msgs(const struct ike_corr *c) { return c->n_msgs; }
const struct ike_corr_msg *ike_corr_msg(const struct ike_corr *c, size_t i)
{
	return i < c->n_msgs ? &c->msgs[i] : NULL;
}
size_t ike_corr_n_links(const struct ike_corr *c) { return c->n_links; }
const struct ike_corr_link *ike_corr_link(const struct ike_corr *c, size_t i)
{
	return i < c->n_links ? &c->links[i] : NULL;
}
size_t ike_corr_n_findings(const struct ike_corr *c) { return c->n_findings; }
const struct ike_corr_finding *ike_corr_finding(const struct ike_corr *c, size_t i)
{
	return i < c->n_findings ? &c->findings[i] : NULL;
}
size_t ike_corr_n_verdicts(const struct ike_corr *c) { return c->n_verdicts; }
const struct ike_corr_verdict *ike_corr_verdict(const struct ike_corr *c, size_t i)
{
	return i < c->n_verdicts ? &c->verdicts[i] : NULL;
}
const struct ike_tracker *ike_corr_tracker(const struct ike_corr *c, uint32_t file)
{
	return file < IKE_CORR_MAX_CAPTURES ? c->trk[file] : NULL;
}

bool ike_corr_log_offset(const struct ike_corr *c, uint32_t file, int64_t *offset_us,
			 struct ike_log_clock_result *est)
{
	if (file >= IKE_LOG_MAX_FILES || !c->files[file].seen)
		return false;
	const struct corr_file *f = &c->files[file];
	if (offset_us)
		*offset_us = f->offset_us;
	if (est)
		*est = f->est;
	return f->has_offset;
}

uint32_t ike_corr_log_side(const struct ike_corr *c, uint32_t file)
{
	return file < IKE_LOG_MAX_FILES ? c->files[file].side : IKE_CORR_SIDE_LOCAL;
}

void ike_corr_stats(const struct ike_corr *c, struct ike_corr_stats *out)
{
	*out = c->st;
}

void ike_corr_set_log_stats(struct ike_corr *c, const struct ike_log_stats *st)
{
	c->log_st = *st;
	c->has_log_st = true;
}

const struct ike_log_stats *ike_corr_log_stats(const struct ike_corr *c)
{
	return c->has_log_st ? &c->log_st : NULL;
}

bool ike_corr_dated(const struct ike_corr *c)
{
	for (size_t i = 0; i < IKE_LOG_MAX_FILES; i++)
		if (c->files[i].seen && c->files[i].undated && !c->files[i].year)
			return false;
	return true;
}

void ike_corr_explain(struct ike_corr *c, size_t i, const char *text)
{
	if (i >= c->n_verdicts || !text)
		return;
	char *e = c->verdicts[i].explanation;
	size_t n = strlen(e);
	if (n + 2 >= IKE_CORR_EXPL_MAX)
		return;
	snprintf(e + n, IKE_CORR_EXPL_MAX - n, "%s%s", n ? " " : "", text);
}
