/*
 * out_config.c — tunnel configurations and predictions as text (aligned
 * "key  value  origin" lines) and as JSON lines ("config", "config_note",
 * "config_prediction"). Pre-shared keys are never printed: only whether one
 * was found and on which line.
 */
#include <string.h>

#include "ikescope/config.h"
#include "output/out_int.h"

static void text_origin(FILE *f, const struct ike_cfg_origin *o)
{
	if (o->line)
		fprintf(f, "  (line %u: ", o->line);
	else if (o->text[0])
		fputs("  (", f);
	else
		return;
	ike_text_str(f, o->text, strlen(o->text));
	fputs(")", f);
}

static void text_row(FILE *f, const char *key, const char *value, const struct ike_cfg_origin *o)
{
	fprintf(f, "  %-12s ", key);
	ike_text_str(f, value, strlen(value));
	if (o)
		text_origin(f, o);
	fputc('\n', f);
}

static void text_timer(FILE *f, const char *key, const struct ike_cfg_timer *t, const char *unit)
{
	char v[32];
	if (t->set)
		snprintf(v, sizeof(v), "%u%s", t->sec, unit);
	else
		snprintf(v, sizeof(v), "off");
	text_row(f, key, v, &t->from);
}

static const char *auth_name(enum ike_cfg_auth a)
{
	return a == IKE_CFG_AUTH_PSK ? "psk" : a == IKE_CFG_AUTH_PUBKEY ? "pubkey" : "unknown";
}

static size_t ts_list(const struct ike_cfg_ts *ts, unsigned n, char *b, size_t cap)
{
	size_t len = 0;
	b[0] = '\0';
	if (n == 0)
		return (size_t)snprintf(b, cap, "any");
	for (unsigned i = 0; i < n && len < cap; i++) {
		char a[64] = "";
		if (ts[i].family == 4)
			snprintf(a, sizeof(a), "%u.%u.%u.%u/%u", ts[i].addr[0], ts[i].addr[1], ts[i].addr[2], ts[i].addr[3],
				 ts[i].plen);
		else if (ts[i].family == 6) {
			size_t k = 0;
			for (unsigned w = 0; w < 8 && k < sizeof(a); w++) {
				int r = snprintf(a + k, sizeof(a) - k, "%s%x", w ? ":" : "",
						 (unsigned)(ts[i].addr[2 * w] << 8 | ts[i].addr[2 * w + 1]));
				k += r > 0 ? (size_t)r : 0;
			}
			if (k < sizeof(a))
				snprintf(a + k, sizeof(a) - k, "/%u", ts[i].plen);
		} else
			snprintf(a, sizeof(a), "any");
		int r = snprintf(b + len, cap - len, "%s%s", i ? "," : "", a);
		len += r > 0 ? (size_t)r : 0;
	}
	return len;
}

static void text_tunnel(FILE *f, const struct ike_cfg_file *cf, const struct ike_cfg_tunnel *t)
{
	char b[2048];
	ike_text_str(f, cf->name, strlen(cf->name));
	fprintf(f, " (%s): tunnel ", ike_cfg_dialect_name(cf->dialect));
	ike_text_str(f, t->name, strlen(t->name));
	fprintf(f, " (line %u)\n", t->where.line);
	text_row(f, "peer", t->peer_addr[0] ? t->peer_addr : "?", &t->peer_from);
	text_row(f, "local", t->local_addr[0] ? t->local_addr : "?", &t->local_from);
	snprintf(b, sizeof(b), "%s", t->version == 0 ? "1 or 2 (2 when initiating)" : t->version == 1 ? "1" : "2");
	text_row(f, "IKE version", b, &t->version_from);
	ike_cfg_proposals_text(t->ike, t->n_ike, b, sizeof(b));
	text_row(f, "IKE", b[0] ? b : "(none)", &t->ike_from);
	if (t->group_from.text[0])
		text_row(f, "  DH group", "", &t->group_from);
	ike_cfg_proposals_text(t->esp, t->n_esp, b, sizeof(b));
	text_row(f, "ESP", b[0] ? b : "(none)", &t->esp_from);
	if (t->pfs_from.text[0])
		text_row(f, "  PFS", "", &t->pfs_from);
	text_timer(f, "IKE rekey", &t->ike_rekey, " s");
	text_timer(f, "CHILD rekey", &t->child_rekey, " s");
	if (t->child_life.from.text[0])
		text_timer(f, "CHILD life", &t->child_life, " s");
	text_timer(f, "DPD", &t->dpd, " s");
	if (t->replay.from.text[0])
		text_timer(f, "replay", &t->replay, " packets");
	snprintf(b, sizeof(b), "%s%s", auth_name(t->auth),
		 t->psk_known ? ", PSK read (not shown)" : t->psk_opaque ? ", PSK stored encrypted" : "");
	text_row(f, "auth", b, &t->auth_from);
	ts_list(t->local_ts, t->n_local_ts, b, sizeof(b));
	text_row(f, "local TS", b, &t->local_ts_from);
	ts_list(t->remote_ts, t->n_remote_ts, b, sizeof(b));
	text_row(f, "remote TS", b, &t->remote_ts_from);
	if (t->limits_hit)
		fprintf(f, "  %-12s %u proposals, transforms or selectors beyond the caps left out\n", "limits", t->limits_hit);
}

void ike_out_text_cfg_file(FILE *out, const struct ike_cfg_file *f)
{
	for (unsigned i = 0; i < f->n_tunnels; i++)
		text_tunnel(out, f, &f->tunnels[i]);
	for (unsigned i = 0; i < f->n_notes; i++) {
		ike_text_str(out, f->name, strlen(f->name));
		fprintf(out, ":%u: ", f->notes[i].line);
		ike_text_str(out, f->notes[i].msg, strlen(f->notes[i].msg));
		fputc('\n', out);
	}
	if (f->notes_dropped)
		fprintf(out, "%s: %u more notes left out\n", f->name, f->notes_dropped);
	if (f->tunnels_dropped)
		fprintf(out, "%s: %u more tunnels left out\n", f->name, f->tunnels_dropped);
}

/* ---- JSON ------------------------------------------------------------------ */

static void j_str(FILE *f, const char *k, const char *v)
{
	fprintf(f, ",\"%s\":", k);
	ike_json_str(f, v, strlen(v));
}

static void j_origin(FILE *f, const char *k, const struct ike_cfg_origin *o)
{
	fprintf(f, ",\"%s\":{\"line\":%u", k, o->line);
	j_str(f, "text", o->text);
	fputc('}', f);
}

static void j_props(FILE *f, const char *k, const struct ike_cfg_proposal *p, unsigned n)
{
	fprintf(f, ",\"%s\":[", k);
	for (unsigned i = 0; i < n; i++) {
		char b[1024];
		ike_cfg_proposal_text(&p[i], b, sizeof(b));
		if (i)
			fputc(',', f);
		ike_json_str(f, b, strlen(b));
	}
	fputc(']', f);
}

static void j_timer(FILE *f, const char *k, const struct ike_cfg_timer *t)
{
	fprintf(f, ",\"%s\":{\"on\":%s,\"seconds\":%u", k, t->set ? "true" : "false", t->sec);
	j_origin(f, "from", &t->from);
	fputc('}', f);
}

static void j_ts(FILE *f, const char *k, const struct ike_cfg_ts *ts, unsigned n)
{
	char b[1024];
	ts_list(ts, n, b, sizeof(b));
	j_str(f, k, b);
}

void ike_out_json_cfg_file(FILE *out, const struct ike_cfg_file *f)
{
	for (unsigned i = 0; i < f->n_tunnels; i++) {
		const struct ike_cfg_tunnel *t = &f->tunnels[i];
		fputs("{\"v\":1,\"type\":\"config\"", out);
		j_str(out, "file", f->name);
		j_str(out, "dialect", ike_cfg_dialect_name(f->dialect));
		j_str(out, "tunnel", t->name);
		fprintf(out, ",\"line\":%u,\"version\":%u", t->where.line, t->version);
		j_str(out, "peer", t->peer_addr);
		j_origin(out, "peer_from", &t->peer_from);
		j_str(out, "local", t->local_addr);
		j_origin(out, "local_from", &t->local_from);
		j_props(out, "ike_proposals", t->ike, t->n_ike);
		j_origin(out, "ike_from", &t->ike_from);
		j_origin(out, "group_from", &t->group_from);
		j_props(out, "esp_proposals", t->esp, t->n_esp);
		j_origin(out, "esp_from", &t->esp_from);
		j_origin(out, "pfs_from", &t->pfs_from);
		j_timer(out, "ike_rekey", &t->ike_rekey);
		j_timer(out, "child_rekey", &t->child_rekey);
		j_timer(out, "dpd", &t->dpd);
		j_str(out, "auth", auth_name(t->auth));
		fprintf(out, ",\"psk\":\"%s\"", t->psk_known ? "read" : t->psk_opaque ? "encrypted" : "absent");
		j_ts(out, "local_ts", t->local_ts, t->n_local_ts);
		j_ts(out, "remote_ts", t->remote_ts, t->n_remote_ts);
		fprintf(out, ",\"limits_hit\":%u}\n", t->limits_hit);
	}
	for (unsigned i = 0; i < f->n_notes; i++) {
		fputs("{\"v\":1,\"type\":\"config_note\"", out);
		j_str(out, "file", f->name);
		fprintf(out, ",\"line\":%u", f->notes[i].line);
		j_str(out, "msg", f->notes[i].msg);
		fputs("}\n", out);
	}
}

const char *ike_cfg_prediction_symptom(const struct ike_cfg_prediction *p)
{
	if (!p->establishes)
		return "not-established";
	return p->survives_rekey ? "healthy" : "down";
}

void ike_out_text_cfg_prediction(FILE *out, const struct ike_cfg_prediction *p, const struct ike_cfg_file *fi,
				 const struct ike_cfg_tunnel *i, const struct ike_cfg_file *fr,
				 const struct ike_cfg_tunnel *r)
{
	fputs("prediction: ", out);
	ike_text_str(out, i->name, strlen(i->name));
	fputs(" (", out);
	ike_text_str(out, fi->name, strlen(fi->name));
	fputs(") initiates to ", out);
	ike_text_str(out, r->name, strlen(r->name));
	fputs(" (", out);
	ike_text_str(out, fr->name, strlen(fr->name));
	fputs(")\n", out);
	text_row(out, "IKE SA", p->ike_selected[0] ? p->ike_selected : "(no proposal selected)", NULL);
	text_row(out, "CHILD SA", p->esp_selected[0] ? p->esp_selected : "(none)", NULL);
	fprintf(out, "  %-12s %s / %s", "verdict", ike_cfg_prediction_symptom(p), p->cause);
	if (p->exchange)
		fprintf(out, ": %s fails %s", p->exchange, p->when);
	fputc('\n', out);
	if (p->explain[0])
		text_row(out, "why", p->explain, NULL);
	for (unsigned k = 0; k < p->n_notes; k++)
		text_row(out, "note", p->notes[k], NULL);
}

void ike_out_json_cfg_prediction(FILE *out, const struct ike_cfg_prediction *p, const struct ike_cfg_file *fi,
				 const struct ike_cfg_tunnel *i, const struct ike_cfg_file *fr,
				 const struct ike_cfg_tunnel *r)
{
	fputs("{\"v\":1,\"type\":\"config_prediction\",\"initiator\":{", out);
	fputs("\"file\":", out);
	ike_json_str(out, fi->name, strlen(fi->name));
	j_str(out, "tunnel", i->name);
	fputs("},\"responder\":{\"file\":", out);
	ike_json_str(out, fr->name, strlen(fr->name));
	j_str(out, "tunnel", r->name);
	fputc('}', out);
	j_str(out, "symptom", ike_cfg_prediction_symptom(p));
	j_str(out, "cause", p->cause);
	fputs(",\"exchange\":", out);
	if (p->exchange)
		ike_json_str(out, p->exchange, strlen(p->exchange));
	else
		fputs("null", out);
	j_str(out, "when", p->when ? p->when : "");
	fprintf(out, ",\"establishes\":%s,\"survives_rekey\":%s", p->establishes ? "true" : "false",
		p->survives_rekey ? "true" : "false");
	j_str(out, "ike_selected", p->ike_selected);
	j_str(out, "esp_selected", p->esp_selected);
	j_str(out, "explain", p->explain);
	fputs(",\"notes\":[", out);
	for (unsigned k = 0; k < p->n_notes; k++) {
		if (k)
			fputc(',', out);
		ike_json_str(out, p->notes[k], strlen(p->notes[k]));
	}
	fputs("]}\n", out);
}

void ike_out_text_cfg_explain(FILE *out, const char *cause, const char *text)
{
	fprintf(out, "  %-12s %s: ", "config", cause);
	ike_text_str(out, text, strlen(text));
	fputc('\n', out);
}

void ike_out_json_cfg_explain(FILE *out, const char *cause, const char *text)
{
	fputs("{\"v\":1,\"type\":\"config_explain\"", out);
	j_str(out, "cause", cause);
	j_str(out, "explanation", text);
	fputs("}\n", out);
}
