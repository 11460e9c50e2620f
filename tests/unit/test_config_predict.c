/*
 * test_config_predict.c — two ends' configs, no capture: the predicted verdict
 * for a pair of configs per mismatch cause of DESIGN.md's vocabulary, checked
 * against the hand-written captures/<scenario>/expected.json of the lab run
 * that used those very configs, and for vEdge ⇄ IOS XE pairs derived from the
 * guide's; the explanation names the lines to change on each side.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikescope/config.h"

#define DATA IKESCOPE_SOURCE_ROOT "/tests/unit/data/config/"
#define CAPTURES IKESCOPE_SOURCE_ROOT "/captures/"

static struct ike_cfg_file *load(const char *name)
{
	char path[512], err[512];
	snprintf(path, sizeof(path), DATA "%s", name);
	struct ike_cfg_file *f = NULL;
	cr_assert_eq(ike_cfg_load(path, IKE_CFG_DETECT, &f, err, sizeof(err)), 0, "%s", err);
	return f;
}

/* The file with every occurrence of from replaced by to. */
static struct ike_cfg_file *load_edited(const char *name, const char *from, const char *to)
{
	char path[512], buf[8192], out[8192], err[512];
	snprintf(path, sizeof(path), DATA "%s", name);
	FILE *fp = fopen(path, "rb");
	cr_assert_not_null(fp);
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	size_t o = 0;
	unsigned hits = 0;
	for (const char *p = buf; *p;) {
		const char *q = strstr(p, from);
		size_t take = q ? (size_t)(q - p) : strlen(p);
		cr_assert_lt(o + take + strlen(to), sizeof(out));
		memcpy(out + o, p, take);
		o += take;
		if (!q)
			break;
		memcpy(out + o, to, strlen(to));
		o += strlen(to);
		p = q + strlen(from);
		hits++;
	}
	cr_assert_gt(hits, 0, "'%s' not in %s", from, name);
	struct ike_cfg_file *f = NULL;
	cr_assert_eq(ike_cfg_parse(name, out, o, IKE_CFG_DETECT, &f, err, sizeof(err)), 0, "%s", err);
	return f;
}

/* The value of "key" in captures/<scenario>/expected.json. */
static void expected_field(const char *scenario, const char *key, char *out, size_t cap)
{
	char path[512], buf[512];
	snprintf(path, sizeof(path), CAPTURES "%s/expected.json", scenario);
	FILE *fp = fopen(path, "r");
	cr_assert_not_null(fp, "%s", path);
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	char pat[64];
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	const char *c = strstr(buf, pat);
	cr_assert_not_null(c, "%s: no %s", path, key);
	c += strlen(pat);
	size_t len = strcspn(c, "\"");
	cr_assert_lt(len, cap);
	memcpy(out, c, len);
	out[len] = '\0';
}

struct want {
	const char *scenario;
	const char *exchange; /* NULL: none fails */
	bool establishes, survives;
};

/* The lab's configs: local initiates, as in every recording. */
static const struct want lab[] = {
	{"healthy", NULL, true, true},
	{"child-rekey", NULL, true, true},
	{"ike-rekey", NULL, true, true},
	{"ike-proposal-mismatch", "IKE_SA_INIT", false, false},
	{"dh-group-mismatch", "IKE_SA_INIT", true, true},
	{"psk-mismatch", "IKE_AUTH", false, false},
	{"child-proposal-mismatch", "IKE_AUTH", false, false},
	{"ts-unacceptable", "IKE_AUTH", false, false},
	{"pfs-mismatch", "CREATE_CHILD_SA", true, false},
};

Test(config_predict, lab_pairs_predict_the_recorded_cause)
{
	for (size_t i = 0; i < sizeof(lab) / sizeof(lab[0]); i++) {
		char a[128], b[128], cause[64];
		snprintf(a, sizeof(a), "lab-%s-local.swanctl.conf", lab[i].scenario);
		snprintf(b, sizeof(b), "lab-%s-peer.swanctl.conf", lab[i].scenario);
		struct ike_cfg_file *fa = load(a), *fb = load(b);
		const struct ike_cfg_tunnel *ta = &fa->tunnels[0], *tb = ike_cfg_facing(ta, fb);
		cr_assert_eq(tb, &fb->tunnels[0]);
		struct ike_cfg_prediction p;
		ike_cfg_predict(ta, tb, &p);
		char symptom[64];
		expected_field(lab[i].scenario, "cause", cause, sizeof(cause));
		expected_field(lab[i].scenario, "symptom", symptom, sizeof(symptom));
		cr_assert_str_eq(p.cause, cause, "%s", lab[i].scenario);
		cr_assert_str_eq(ike_cfg_prediction_symptom(&p), symptom, "%s", lab[i].scenario);
		if (lab[i].exchange)
			cr_assert_str_eq(p.exchange ? p.exchange : "(none)", lab[i].exchange, "%s", lab[i].scenario);
		else
			cr_assert_null(p.exchange, "%s: %s", lab[i].scenario, p.exchange);
		cr_assert_eq(p.establishes, lab[i].establishes, "%s", lab[i].scenario);
		cr_assert_eq(p.survives_rekey, lab[i].survives, "%s", lab[i].scenario);
		if (strcmp(cause, "healthy") != 0)
			cr_assert_gt(strlen(p.explain), 0, "%s", lab[i].scenario);
		ike_cfg_free(fa);
		ike_cfg_free(fb);
	}
}

Test(config_predict, lab_selected_proposals_are_the_logged_ones)
{
	struct ike_cfg_file *fa = load("lab-dh-group-mismatch-local.swanctl.conf");
	struct ike_cfg_file *fb = load("lab-dh-group-mismatch-peer.swanctl.conf");
	struct ike_cfg_prediction p;
	ike_cfg_predict(&fa->tunnels[0], &fb->tunnels[0], &p);
	/* the peer logs "selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_4096" */
	cr_assert_str_eq(p.ike_selected, "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_4096");
	cr_assert_str_eq(p.esp_selected, "ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ");
	cr_assert(strstr(p.when, "recovered"));
	ike_cfg_free(fa);
	ike_cfg_free(fb);
}

Test(config_predict, lab_pfs_explanation_names_both_lines)
{
	struct ike_cfg_file *fa = load("lab-pfs-mismatch-local.swanctl.conf");
	struct ike_cfg_file *fb = load("lab-pfs-mismatch-peer.swanctl.conf");
	struct ike_cfg_prediction p;
	ike_cfg_predict(&fa->tunnels[0], &fb->tunnels[0], &p);
	cr_assert(strstr(p.explain, "`esp_proposals = aes256-sha256-modp4096` (line 26) → MODP_4096"), "%s", p.explain);
	cr_assert(strstr(p.explain, "`esp_proposals = aes256-sha256` (line 26) has no DH group"), "%s", p.explain);
	cr_assert(strstr(p.explain, "append `-modp4096`"), "%s", p.explain);
	bool due = false;
	for (unsigned i = 0; i < p.n_notes; i++)
		due |= strstr(p.notes[i], "due after 8 s") != NULL;
	cr_assert(due, "the local rekey_time = 8s comes first");
	ike_cfg_free(fa);
	ike_cfg_free(fb);
}

/* ---- the guide's case: vEdge ipsec1 ⇄ its IOS XE peer ------------------------- */

Test(config_predict, guide_pfs_case)
{
	struct ike_cfg_file *v = load("guide-ipsec1.vedge"), *c = load("guide-peer.iosxe");
	const struct ike_cfg_tunnel *tv = &v->tunnels[0], *tc = ike_cfg_facing(tv, c);
	cr_assert_not_null(tc);
	struct ike_cfg_prediction p;
	/* whoever initiates, the CHILD SA of IKE_AUTH comes up and the rekey fails */
	for (int dir = 0; dir < 2; dir++) {
		ike_cfg_predict(dir ? tc : tv, dir ? tv : tc, &p);
		cr_assert_str_eq(p.cause, "pfs-mismatch");
		cr_assert_str_eq(p.exchange, "CREATE_CHILD_SA");
		cr_assert(p.establishes && !p.survives_rekey);
		cr_assert_str_eq(ike_cfg_prediction_symptom(&p), "down");
	}
	ike_cfg_predict(tv, tc, &p);
	cr_assert(strstr(p.explain, "vEdge ipsec1 `perfect-forward-secrecy group-16` (line 20) → MODP_4096"), "%s",
		  p.explain);
	cr_assert(strstr(p.explain, "crypto ipsec profile IPSEC-VEDGE"), "%s", p.explain);
	cr_assert(strstr(p.explain, "`set pfs group16`"), "%s", p.explain);
	cr_assert(strstr(p.explain, "`perfect-forward-secrecy none`"), "%s", p.explain);
	/* the same through the integration entry point, with what the log showed */
	char b[2048];
	size_t n = ike_cfg_explain("pfs-mismatch", tv, tc, "ESP:AES_GCM_16_256/NO_EXT_SEQ", b, sizeof(b));
	cr_assert_gt(n, 0);
	cr_assert(strstr(b, "(seen: ESP:AES_GCM_16_256/NO_EXT_SEQ)"), "%s", b);
	cr_assert_eq(ike_cfg_explain("healthy", tv, tc, NULL, b, sizeof(b)), 0);
	/* only the vEdge's config: its line, its proposal, what the peer sent */
	n = ike_cfg_explain("pfs-mismatch", tv, NULL, "ESP:AES_GCM_16_256/NO_EXT_SEQ", b, sizeof(b));
	cr_assert_gt(n, 0);
	cr_assert(strstr(b, "`perfect-forward-secrecy group-16` (line 20) → ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ"),
		  "%s", b);
	cr_assert(strstr(b, "the peer sent ESP:AES_GCM_16_256/NO_EXT_SEQ"), "%s", b);
	cr_assert_eq(ike_cfg_explain("local-deleted", tv, NULL, NULL, b, sizeof(b)), 0);
	/* a small buffer is cut, and the length needed is still returned */
	char small[16];
	cr_assert_gt(ike_cfg_explain("pfs-mismatch", tv, tc, NULL, small, sizeof(small)), sizeof(small));
	cr_assert_eq(strlen(small), sizeof(small) - 1);
	cr_assert_eq(ike_cfg_explain("peer-deleted", tv, tc, NULL, b, sizeof(b)), 0);
	ike_cfg_free(v);
	ike_cfg_free(c);
}

struct edit {
	const char *cause, *exchange;
	const char *vedge_from, *vedge_to; /* applied to guide-ipsec1.vedge */
	const char *ios_from, *ios_to;     /* applied to guide-peer.iosxe */
	const char *explain;               /* must be in the explanation */
};

/* One pair per mismatch cause, vEdge initiating to IOS XE. */
static const struct edit edits[] = {
	{"healthy", NULL, "group-16", "none", "group 2", "group 2", NULL},
	{"pfs-mismatch", "CREATE_CHILD_SA", "group-16", "group-14", " set ikev2-profile", " set pfs group16\n set ikev2-profile",
	 "`set pfs group14`"},
	{"dh-group-mismatch", "IKE_SA_INIT", "group-16", "none", "group 2", "group 19", "`group              2` (line 10) → MODP_1024"},
	{"ike-proposal-mismatch", "IKE_SA_INIT", "group-16", "none", "integrity sha1", "integrity sha256", "integrity differs"},
	{"child-proposal-mismatch", "IKE_AUTH", "cipher-suite      aes256-cbc-sha1\n    perfect", "cipher-suite      aes256-cbc-sha512\n    perfect",
	 "group 2", "group 2", "ESP proposals: integrity differs"},
	{"auth-failed", "IKE_AUTH", "group-16", "none", "authentication local pre-share", "authentication local rsa-sig",
	 "authentication methods differ"},
};

Test(config_predict, vedge_iosxe_pairs_per_cause)
{
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const struct edit *e = &edits[i];
		struct ike_cfg_file *v = load_edited("guide-ipsec1.vedge", e->vedge_from, e->vedge_to);
		struct ike_cfg_file *c = load_edited("guide-peer.iosxe", e->ios_from, e->ios_to);
		struct ike_cfg_prediction p;
		ike_cfg_predict(&v->tunnels[0], &c->tunnels[0], &p);
		cr_assert_str_eq(p.cause, e->cause, "pair %zu: %s", i, p.explain);
		if (e->exchange)
			cr_assert_str_eq(p.exchange ? p.exchange : "(none)", e->exchange, "pair %zu", i);
		else
			cr_assert_null(p.exchange, "pair %zu", i);
		if (e->explain)
			cr_assert(strstr(p.explain, e->explain), "pair %zu: %s", i, p.explain);
		ike_cfg_free(v);
		ike_cfg_free(c);
	}
}

Test(config_predict, dh_group_offered_second_is_recovered)
{
	/* IOS XE offers groups 19 and 2 and sends a group 19 KE; the vEdge has only
	 * group 2: INVALID_KE_PAYLOAD, then a second IKE_SA_INIT with group 2 */
	struct ike_cfg_file *v = load_edited("guide-ipsec1.vedge", "group-16", "none");
	struct ike_cfg_file *c = load_edited("guide-peer.iosxe", "group 2", "group 19 2");
	struct ike_cfg_prediction p;
	ike_cfg_predict(&c->tunnels[0], &v->tunnels[0], &p);
	cr_assert_str_eq(p.cause, "dh-group-mismatch");
	cr_assert_str_eq(p.exchange, "IKE_SA_INIT");
	cr_assert(p.establishes && p.survives_rekey);
	cr_assert_str_eq(ike_cfg_prediction_symptom(&p), "healthy");
	cr_assert(strstr(p.ike_selected, "MODP_1024"), "%s", p.ike_selected);
	/* the other way round, the vEdge's only group is one IOS XE accepts: no extra round trip */
	ike_cfg_predict(&v->tunnels[0], &c->tunnels[0], &p);
	cr_assert_str_eq(p.cause, "healthy");
	cr_assert_null(p.exchange);
	ike_cfg_free(v);
	ike_cfg_free(c);
}

Test(config_predict, notes_on_timers_and_addresses)
{
	struct ike_cfg_file *v = load("guide-ipsec2.vedge"), *c = load("guide-peer.iosxe");
	struct ike_cfg_prediction p;
	ike_cfg_predict(&v->tunnels[0], &c->tunnels[0], &p);
	bool life = false, addr = false;
	for (unsigned i = 0; i < p.n_notes; i++) {
		life |= strstr(p.notes[i], "86400 s") && strstr(p.notes[i], "28800 s");
		addr |= strstr(p.notes[i], "10.132.3.92") && strstr(p.notes[i], "172.28.0.36");
	}
	cr_assert(life, "IKE lifetimes differ");
	cr_assert(!addr, "the peer's tunnel source 10.10.10.1 is where the vEdge sends");
	ike_cfg_free(v);
	ike_cfg_free(c);
}

/* ---- printers ------------------------------------------------------------------ */

Test(config_output, text_and_json_never_print_the_psk)
{
	struct ike_cfg_file *fa = load("lab-psk-mismatch-local.swanctl.conf");
	struct ike_cfg_file *fb = load("lab-psk-mismatch-peer.swanctl.conf");
	struct ike_cfg_prediction p;
	ike_cfg_predict(&fa->tunnels[0], &fb->tunnels[0], &p);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	cr_assert_not_null(m);
	for (int json = 0; json < 2; json++) {
		if (json) {
			ike_out_json_cfg_file(m, fa);
			ike_out_json_cfg_prediction(m, &p, fa, &fa->tunnels[0], fb, &fb->tunnels[0]);
		} else {
			ike_out_text_cfg_file(m, fa);
			ike_out_text_cfg_prediction(m, &p, fa, &fa->tunnels[0], fb, &fb->tunnels[0]);
		}
	}
	fclose(m);
	cr_assert_null(strstr(buf, "ikescope-lab-psk"));
	cr_assert_null(strstr(buf, "not-the-same-psk"));
	cr_assert(strstr(buf, "verdict      not-established / auth-failed: IKE_AUTH fails at once"), "%s", buf);
	cr_assert(strstr(buf, "{\"v\":1,\"type\":\"config\",\"file\":"), "%s", buf);
	cr_assert(strstr(buf, "\"esp_proposals\":[\"ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ\"]"), "%s", buf);
	cr_assert(strstr(buf, "\"psk\":\"read\""), "%s", buf);
	cr_assert(strstr(buf, "\"type\":\"config_prediction\""), "%s", buf);
	cr_assert(strstr(buf, "\"symptom\":\"not-established\",\"cause\":\"auth-failed\",\"exchange\":\"IKE_AUTH\""),
		  "%s", buf);
	/* every JSON line is one object */
	unsigned objects = 0;
	for (char *l = strstr(buf, "{\"v\":1"); l; l = strstr(l + 1, "{\"v\":1"))
		objects++;
	cr_assert_eq(objects, 2);
	free(buf);
	ike_cfg_free(fa);
	ike_cfg_free(fb);
}
