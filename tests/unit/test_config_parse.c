/*
 * test_config_parse.c — configs to proposals: the guide's two vEdge blocks
 * give the proposals the guide's charon logs show; the lab's swanctl.conf
 * files (tests/unit/data/config/lab-*, as captures/lab/lab.sh writes them)
 * give the "configured proposals:" lines of captures/SCENARIO/{local,peer}.log, and
 * every proposal of captures/lab/ciphers.list gives its scenario's; IOS XE
 * and ipsec.conf keywords; notes and errors.
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
	cr_assert_not_null(f);
	return f;
}

static const char *esp_text(const struct ike_cfg_tunnel *t, char *b, size_t cap)
{
	ike_cfg_proposals_text(t->esp, t->n_esp, b, cap);
	return b;
}

static const char *ike_text(const struct ike_cfg_tunnel *t, char *b, size_t cap)
{
	ike_cfg_proposals_text(t->ike, t->n_ike, b, cap);
	return b;
}

/* ---- the guide's vEdge blocks ---------------------------------------------- */

Test(config_vedge, guide_pfs_block_gives_the_logged_configured_proposal)
{
	struct ike_cfg_file *f = load("guide-ipsec1.vedge");
	char b[1024];
	cr_assert_eq(f->dialect, IKE_CFG_VEDGE);
	cr_assert_eq(f->n_tunnels, 1);
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(t->name, "ipsec1");
	/* the guide: "configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ" */
	cr_assert_str_eq(esp_text(t, b, sizeof(b)), "ESP:AES_CBC_256/HMAC_SHA1_96/MODP_4096/NO_EXT_SEQ");
	cr_assert_eq(t->pfs_from.line, 20);
	cr_assert_str_eq(t->pfs_from.text, "perfect-forward-secrecy group-16");
	cr_assert_eq(t->esp_from.line, 19);
	cr_assert_str_eq(ike_text(t, b, sizeof(b)), "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024");
	cr_assert_eq(t->group_from.line, 10);
	cr_assert_str_eq(t->peer_addr, "10.10.10.1");
	cr_assert_eq(t->peer_from.line, 5);
	cr_assert_str_eq(t->local_addr, "ge0/0");
	cr_assert(t->ike_rekey.set && t->ike_rekey.sec == 28800 && t->ike_rekey.from.line == 8);
	cr_assert(t->child_rekey.set && t->child_rekey.sec == 3600 && t->child_rekey.from.line == 17);
	cr_assert(t->replay.sec == 512 && t->replay.from.line == 18);
	cr_assert(t->dpd.set && t->dpd.sec == 10 && t->dpd.from.line == 0, "vEdge's default DPD interval");
	cr_assert_eq(t->version, 2);
	cr_assert(t->psk_opaque && !t->psk_known, "a $8$ secret is stored encrypted");
	/* mtu and no shutdown are interface keywords, not unknown ones */
	cr_assert_eq(f->n_notes, 0, "%s", f->n_notes ? f->notes[0].msg : "");
	ike_cfg_free(f);
}

Test(config_vedge, guide_first_block_without_indentation)
{
	struct ike_cfg_file *f = load("guide-ipsec2.vedge");
	char b[1024];
	cr_assert_eq(f->n_tunnels, 1);
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(ike_text(t, b, sizeof(b)), "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048");
	cr_assert_str_eq(esp_text(t, b, sizeof(b)), "ESP:AES_GCM_16_256/MODP_2048/NO_EXT_SEQ");
	cr_assert_str_eq(t->local_addr, "10.132.3.92");
	cr_assert_str_eq(t->peer_addr, "10.10.10.1");
	cr_assert(t->dpd.set && t->dpd.sec == 30 && t->dpd.from.line == 5);
	cr_assert(t->ike_rekey.sec == 86400 && t->ike_rekey.from.line == 10);
	cr_assert(t->child_rekey.sec == 3600 && t->child_rekey.from.line == 20, "ipsec rekey, not ike rekey");
	cr_assert_eq(t->pfs_from.line, 23);
	ike_cfg_free(f);
}

Test(config_vedge, defaults_none_and_unknown_keywords)
{
	static const char cfg[] = "vpn 1\n"
				  " interface ge0/1\n"
				  "  ip address 10.0.0.1/24\n"
				  " !\n"
				  " interface ipsec7\n"
				  "  tunnel-source 192.0.2.1\n"
				  "  tunnel-destination 203.0.113.9\n"
				  "  frobnicate yes\n"
				  "  ike\n"
				  "   version 2\n"
				  "   cipher-suite aes128-cbc-sha2\n"
				  "   cipher-suite rot13\n"
				  "  !\n"
				  "  ipsec\n"
				  "   perfect-forward-secrecy none\n"
				  "  !\n"
				  " !\n";
	struct ike_cfg_file *f = NULL;
	char err[256], b[1024];
	cr_assert_eq(ike_cfg_parse("v.conf", cfg, sizeof(cfg) - 1, IKE_CFG_DETECT, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f->n_tunnels, 1);
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	/* ike group defaults to 16, ipsec cipher-suite to aes256-gcm; PFS none: no KE */
	cr_assert_str_eq(ike_text(t, b, sizeof(b)), "IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_4096");
	cr_assert_str_eq(esp_text(t, b, sizeof(b)), "ESP:AES_GCM_16_256/NO_EXT_SEQ");
	cr_assert_eq(t->group_from.line, 0);
	cr_assert_eq(t->ike_from.line, 11, "the unknown suite is skipped, the known one kept");
	cr_assert_eq(t->pfs_from.text[0], '\0');
	cr_assert(t->ike_rekey.sec == 14400 && t->ike_rekey.from.line == 0);
	cr_assert_eq(f->n_notes, 2);
	cr_assert_eq(f->notes[0].line, 8);
	cr_assert(strstr(f->notes[0].msg, "frobnicate"));
	cr_assert_eq(f->notes[1].line, 12);
	cr_assert(strstr(f->notes[1].msg, "rot13"));
	ike_cfg_free(f);
}

/* ---- the lab's swanctl.conf against its charon logs -------------------------- */

/* Every "configured proposals:" list of the log must be what the config gives
 * (ESP also without its KE: charon drops it for the CHILD SA of IKE_AUTH), and
 * the config's IKE list must be in the log. */
static void check_log(const struct ike_cfg_tunnel *t, const char *log)
{
	char ike[1024], esp[1024], esp_no_ke[1024];
	ike_text(t, ike, sizeof(ike));
	esp_text(t, esp, sizeof(esp));
	struct ike_cfg_proposal stripped[IKE_CFG_MAX_PROPOSALS];
	for (unsigned i = 0; i < t->n_esp; i++) {
		stripped[i] = t->esp[i];
		unsigned k = 0;
		for (unsigned j = 0; j < stripped[i].n; j++)
			if (stripped[i].x[j].type != 4)
				stripped[i].x[k++] = stripped[i].x[j];
		stripped[i].n = (uint8_t)k;
	}
	ike_cfg_proposals_text(stripped, t->n_esp, esp_no_ke, sizeof(esp_no_ke));
	FILE *fp = fopen(log, "r");
	cr_assert_not_null(fp, "%s", log);
	char line[4096];
	unsigned lines = 0;
	bool ike_seen = false;
	while (fgets(line, sizeof(line), fp)) {
		char *p = strstr(line, "configured proposals: ");
		if (!p)
			continue;
		p += strlen("configured proposals: ");
		p[strcspn(p, "\r\n")] = '\0';
		lines++;
		if (strcmp(p, ike) == 0)
			ike_seen = true;
		else
			cr_assert(strcmp(p, esp) == 0 || strcmp(p, esp_no_ke) == 0, "%s: logged %s, config gives %s / %s / %s",
				  log, p, ike, esp, esp_no_ke);
	}
	fclose(fp);
	cr_assert_gt(lines, 0, "%s has no configured proposals", log);
	cr_assert(ike_seen, "%s never logs %s", log, ike);
}

static const char *const lab[] = {"healthy", "child-rekey", "ike-rekey", "psk-mismatch", "ike-proposal-mismatch",
				  "dh-group-mismatch", "pfs-mismatch", "ts-unacceptable", "child-proposal-mismatch"};

Test(config_swanctl, lab_configs_give_the_logged_proposals)
{
	for (size_t i = 0; i < sizeof(lab) / sizeof(lab[0]); i++)
		for (int side = 0; side < 2; side++) {
			char name[128], log[512];
			snprintf(name, sizeof(name), "lab-%s-%s.swanctl.conf", lab[i], side ? "peer" : "local");
			snprintf(log, sizeof(log), CAPTURES "%s/%s.log", lab[i], side ? "peer" : "local");
			struct ike_cfg_file *f = load(name);
			cr_assert_eq(f->dialect, IKE_CFG_SWANCTL);
			cr_assert_eq(f->n_tunnels, 1);
			cr_assert_eq(f->n_notes, 0, "%s:%u: %s", name, f->n_notes ? f->notes[0].line : 0,
				     f->n_notes ? f->notes[0].msg : "");
			check_log(&f->tunnels[0], log);
			ike_cfg_free(f);
		}
}

Test(config_swanctl, lab_timers_addresses_selectors_and_psk)
{
	struct ike_cfg_file *f = load("lab-pfs-mismatch-local.swanctl.conf");
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(t->name, "ipsec2_1");
	cr_assert_str_eq(t->local_addr, "192.0.2.1");
	cr_assert_str_eq(t->peer_addr, "203.0.113.1");
	cr_assert(t->child_rekey.set && t->child_rekey.sec == 8 && t->child_rekey.from.line == 28);
	cr_assert(t->child_life.sec == 20);
	cr_assert(!t->dpd.set && t->dpd.from.line == 9, "dpd_delay = 0s is off");
	cr_assert(t->ike_rekey.sec == 14400 && t->ike_rekey.from.line == 0, "swanctl's 4h default");
	cr_assert_eq(t->n_local_ts, 1);
	cr_assert_eq(t->local_ts[0].plen, 25);
	cr_assert_eq(t->auth, IKE_CFG_AUTH_PSK);
	cr_assert(t->psk_known);
	ike_cfg_free(f);
	f = load("lab-healthy-local.swanctl.conf");
	cr_assert(f->tunnels[0].dpd.set && f->tunnels[0].dpd.sec == 5);
	ike_cfg_free(f);
}

/* The cipher-* scenarios: one proposal of ciphers.list at both ends. */
Test(config_swanctl, every_lab_cipher_proposal_matches_its_log)
{
	FILE *list = fopen(CAPTURES "lab/ciphers.list", "r");
	cr_assert_not_null(list);
	char tmpl[4096];
	FILE *fp = fopen(DATA "lab-healthy-local.swanctl.conf", "r");
	cr_assert_not_null(fp);
	size_t n = fread(tmpl, 1, sizeof(tmpl) - 1, fp);
	fclose(fp);
	tmpl[n] = '\0';
	char *at = strstr(tmpl, "proposals = aes256-sha256-modp2048");
	cr_assert_not_null(at);
	char line[256];
	unsigned checked = 0;
	while (fgets(line, sizeof(line), list)) {
		char name[64], prop[128];
		if (line[0] == '#' || sscanf(line, "%63s %127s", name, prop) != 2)
			continue;
		char cfg[4096], log[512];
		snprintf(cfg, sizeof(cfg), "%.*sproposals = %s%s", (int)(at - tmpl), tmpl, prop,
			 at + strlen("proposals = aes256-sha256-modp2048"));
		struct ike_cfg_file *f = NULL;
		char err[256];
		cr_assert_eq(ike_cfg_parse(name, cfg, strlen(cfg), IKE_CFG_SWANCTL, &f, err, sizeof(err)), 0, "%s", err);
		cr_assert_eq(f->n_notes, 0, "%s: %s", prop, f->n_notes ? f->notes[0].msg : "");
		snprintf(log, sizeof(log), CAPTURES "cipher-%s/local.log", name);
		check_log(&f->tunnels[0], log);
		ike_cfg_free(f);
		checked++;
	}
	fclose(list);
	cr_assert_eq(checked, 20);
}

Test(config_swanctl, proposal_strings_follow_charon)
{
	struct ike_cfg_proposal p[IKE_CFG_MAX_PROPOSALS];
	unsigned n = 0;
	char bad[160], b[512];
	cr_assert_eq(ike_cfg_swan_proposal("aes128gcm16-prfsha256-ecp256-sha1", 1, p, &n, bad, sizeof(bad)), 0, "%s", bad);
	ike_cfg_proposal_text(&p[0], b, sizeof(b));
	cr_assert_str_eq(b, "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/ECP_256", "AEAD drops integrity");
	cr_assert_neq(ike_cfg_swan_proposal("aes128-sha1", 1, p, &n, bad, sizeof(bad)), 0);
	cr_assert(strstr(bad, "DH group"));
	cr_assert_neq(ike_cfg_swan_proposal("aes128-rot13-modp2048", 1, p, &n, bad, sizeof(bad)), 0);
	cr_assert(strstr(bad, "rot13"));
	cr_assert_neq(ike_cfg_swan_proposal("aes128gcm16-aes128-sha1", 3, p, &n, bad, sizeof(bad)), 0);
	cr_assert_eq(ike_cfg_swan_proposal("3des-md5-esn-noesn", 3, p, &n, bad, sizeof(bad)), 0);
	ike_cfg_proposal_text(&p[n - 1], b, sizeof(b));
	cr_assert_str_eq(b, "ESP:3DES_CBC/HMAC_MD5_96/EXT_SEQ/NO_EXT_SEQ");
	cr_assert_eq(ike_cfg_swan_proposal("chacha20poly1305-x25519", 3, p, &n, bad, sizeof(bad)), 0);
	ike_cfg_proposal_text(&p[n - 1], b, sizeof(b));
	cr_assert_str_eq(b, "ESP:CHACHA20_POLY1305/CURVE_25519/NO_EXT_SEQ");
}

/* ---- IOS XE ------------------------------------------------------------------- */

Test(config_iosxe, the_guide_peer_sends_the_six_logged_proposals)
{
	struct ike_cfg_file *f = load("guide-peer.iosxe");
	char b[2048];
	cr_assert_eq(f->dialect, IKE_CFG_IOSXE);
	cr_assert_eq(f->n_tunnels, 1);
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	/* the guide's "received proposals:" of the peer's CREATE_CHILD_SA */
	cr_assert_str_eq(esp_text(t, b, sizeof(b)),
			 "ESP:AES_GCM_16_256/NO_EXT_SEQ, ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ, "
			 "ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ, ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ, "
			 "ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA2_256_128/NO_EXT_SEQ");
	cr_assert_str_eq(ike_text(t, b, sizeof(b)), "IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024");
	cr_assert_str_eq(t->peer_addr, "172.28.0.36");
	cr_assert_str_eq(t->local_addr, "10.10.10.1");
	cr_assert(t->dpd.set && t->dpd.sec == 10 && t->dpd.from.line == 23);
	cr_assert(t->ike_rekey.sec == 28800 && t->ike_rekey.from.line == 22);
	cr_assert(t->child_rekey.sec == 3600 && t->child_rekey.from.line == 0);
	cr_assert(t->psk_opaque, "type 6 keys are encrypted");
	ike_cfg_free(f);
}

Test(config_iosxe, every_keyword)
{
	struct ike_cfg_file *f = load("keywords.iosxe");
	char b[4096];
	cr_assert_eq(f->n_tunnels, 2, "Tunnel12 has no tunnel protection");
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(
		ike_text(t, b, sizeof(b)),
		"IKE:AES_CBC_128/AES_CBC_192/AES_CBC_256/3DES_CBC/DES_CBC/HMAC_SHA2_512_256/HMAC_SHA2_384_192/"
		"HMAC_SHA2_256_128/HMAC_SHA1_96/HMAC_MD5_96/PRF_HMAC_SHA2_512/PRF_HMAC_SHA2_384/PRF_HMAC_SHA2_256/"
		"PRF_HMAC_SHA1/PRF_HMAC_MD5/MODP_768/MODP_1024/MODP_1536/MODP_2048/MODP_3072/MODP_4096/ECP_256/ECP_384/"
		"ECP_521/MODP_2048_256, "
		"IKE:AES_GCM_16_256/AES_GCM_16_128/PRF_HMAC_SHA2_384/PRF_HMAC_SHA2_256/PRF_HMAC_SHA1/PRF_HMAC_MD5/"
		"PRF_HMAC_SHA2_512/ECP_256");
	cr_assert_str_eq(esp_text(t, b, sizeof(b)),
			 "ESP:AES_CBC_128/HMAC_SHA1_96/ECP_256/NO_EXT_SEQ, ESP:AES_CBC_192/HMAC_SHA2_256_128/ECP_256/NO_EXT_SEQ, "
			 "ESP:AES_CBC_256/HMAC_SHA2_384_192/ECP_256/NO_EXT_SEQ, ESP:AES_GCM_16_256/ECP_256/NO_EXT_SEQ, "
			 "ESP:AES_GCM_16_128/ECP_256/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_MD5_96/ECP_256/NO_EXT_SEQ");
	cr_assert_eq(t->pfs_from.line, 53);
	cr_assert(t->child_rekey.sec == 1800 && t->replay.sec == 1024);
	cr_assert(t->ike_rekey.sec == 3600 && t->dpd.sec == 15);
	cr_assert(t->psk_known && t->auth == IKE_CFG_AUTH_PSK);
	t = &f->tunnels[1];
	cr_assert_str_eq(esp_text(t, b, sizeof(b)),
			 "ESP:DES_CBC/HMAC_SHA2_512_256/MODP_768/NO_EXT_SEQ, ESP:NULL/HMAC_SHA1_96/MODP_768/NO_EXT_SEQ, "
			 "ESP:NULL_AES_GMAC_256/MODP_768/NO_EXT_SEQ",
			 "`set pfs` alone is group 1");
	cr_assert(!t->psk_known, "the keyring's peer is another address");
	/* rot13, group 99, lifetime inside a proposal, set frobnicate */
	cr_assert_eq(f->n_notes, 4);
	cr_assert_eq(f->notes[0].line, 14);
	cr_assert_eq(f->notes[1].line, 16);
	cr_assert_eq(f->notes[2].line, 17);
	cr_assert_eq(f->notes[3].line, 57);
	ike_cfg_free(f);
}

Test(config_iosxe, no_policy_means_the_default_proposal)
{
	static const char cfg[] = "crypto ipsec profile P\n"
				  " set pfs group14\n"
				  "interface Tunnel0\n"
				  " tunnel source 192.0.2.1\n"
				  " tunnel destination 192.0.2.2\n"
				  " tunnel protection ipsec profile P\n";
	struct ike_cfg_file *f = NULL;
	char err[256], b[1024];
	cr_assert_eq(ike_cfg_parse("x", cfg, sizeof(cfg) - 1, IKE_CFG_DETECT, &f, err, sizeof(err)), 0, "%s", err);
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(ike_text(t, b, sizeof(b)),
			 "IKE:AES_CBC_256/HMAC_SHA2_512_256/HMAC_SHA2_384_192/PRF_HMAC_SHA2_512/PRF_HMAC_SHA2_384/ECP_256/"
			 "MODP_2048/ECP_521/MODP_1536");
	cr_assert_str_eq(esp_text(t, b, sizeof(b)), "ESP:AES_CBC_128/HMAC_SHA1_96/MODP_2048/NO_EXT_SEQ");
	cr_assert(!t->dpd.set);
	ike_cfg_free(f);
}

/* ---- ipsec.conf ---------------------------------------------------------------- */

Test(config_ipsec_conf, default_also_strict_and_lifetimes)
{
	struct ike_cfg_file *f = load("legacy.ipsec.conf");
	char b[2048];
	cr_assert_eq(f->dialect, IKE_CFG_IPSEC_CONF);
	cr_assert_eq(f->n_tunnels, 1, "conn base is auto=ignore, %%default is no tunnel");
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(t->name, "to-peer");
	cr_assert_str_eq(ike_text(t, b, sizeof(b)), "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
			 "'!': no default appended");
	esp_text(t, b, sizeof(b));
	cr_assert(strncmp(b, "ESP:AES_GCM_16_128/ECP_256/NO_EXT_SEQ, ESP:AES_CBC_128/", 55) == 0, "%s", b);
	cr_assert_str_eq(t->local_addr, "192.0.2.1", "from also=base");
	cr_assert_eq(t->local_from.line, 11);
	cr_assert_eq(t->n_remote_ts, 2);
	cr_assert(t->ike_rekey.sec == 8 * 3600 - 300, "ikelifetime minus margintime");
	cr_assert(t->child_rekey.sec == 3600 - 300);
	cr_assert(t->dpd.set && t->dpd.sec == 20);
	cr_assert_eq(t->version, 2);
	cr_assert_eq(f->n_notes, 1);
	cr_assert_eq(f->notes[0].line, 25);
	ike_cfg_free(f);
}

/* ---- errors --------------------------------------------------------------------- */

Test(config_errors, not_a_config_and_missing_file)
{
	static const char junk[] = "hello\nworld\n\x01\x02\xff";
	struct ike_cfg_file *f = (struct ike_cfg_file *)1;
	char err[256];
	cr_assert_eq(ike_cfg_parse("junk.txt", junk, sizeof(junk) - 1, IKE_CFG_DETECT, &f, err, sizeof(err)), -1);
	cr_assert_null(f);
	cr_assert(strstr(err, "junk.txt"), "%s", err);
	cr_assert_eq(ike_cfg_parse("e.conf", "connections {\n}\n", 16, IKE_CFG_DETECT, &f, err, sizeof(err)), -1);
	cr_assert(strstr(err, "no tunnel"), "%s", err);
	cr_assert_eq(ike_cfg_load(DATA "does-not-exist", IKE_CFG_DETECT, &f, err, sizeof(err)), -1);
	cr_assert(strstr(err, "does-not-exist"), "%s", err);
	/* a forced dialect that does not fit */
	cr_assert_eq(ike_cfg_load(DATA "guide-ipsec1.vedge", IKE_CFG_SWANCTL, &f, err, sizeof(err)), -1);
}

Test(config_errors, every_prefix_parses_or_fails_cleanly)
{
	static const char *const names[] = {"guide-ipsec2.vedge", "keywords.iosxe", "legacy.ipsec.conf",
					    "lab-healthy-peer.swanctl.conf"};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char path[512], buf[8192];
		snprintf(path, sizeof(path), DATA "%s", names[k]);
		FILE *fp = fopen(path, "rb");
		cr_assert_not_null(fp);
		size_t n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		for (size_t len = 0; len <= n; len += 7) {
			struct ike_cfg_file *f = NULL;
			char err[256];
			if (ike_cfg_parse(names[k], buf, len, IKE_CFG_DETECT, &f, err, sizeof(err)) == 0) {
				char b[4096];
				for (unsigned i = 0; i < f->n_tunnels; i++)
					ike_cfg_proposals_text(f->tunnels[i].ike, f->tunnels[i].n_ike, b, sizeof(b));
				ike_cfg_free(f);
			} else
				cr_assert_null(f);
		}
	}
}

Test(config_errors, caps_are_counted_not_crashed)
{
	/* 70 vEdge tunnels: 64 kept, the rest counted and noted once */
	size_t cap = 70 * 96 + 1, len = 0;
	char *cfg = malloc(cap);
	cr_assert_not_null(cfg);
	for (int i = 0; i < 70; i++)
		len += (size_t)snprintf(cfg + len, cap - len, "interface ipsec%d\n tunnel-destination 192.0.2.%d\n!\n", i, i);
	struct ike_cfg_file *f = NULL;
	char err[256];
	cr_assert_eq(ike_cfg_parse("many", cfg, len, IKE_CFG_DETECT, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f->n_tunnels, IKE_CFG_MAX_TUNNELS);
	cr_assert_eq(f->tunnels_dropped, 70 - IKE_CFG_MAX_TUNNELS);
	cr_assert_eq(f->n_notes, 1);
	ike_cfg_free(f);
	free(cfg);

	/* swanctl: sections nested past the cap, an overlong line, 20 proposals */
	static const char deep[] = "connections {\n c {\n  a { b { c { d { e { f { g { h { i { x = 1 } } } } } } } } }\n"
				   "  proposals = aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, "
				   "aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, "
				   "aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, "
				   "aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, "
				   "aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, aes128-sha1-modp2048, "
				   "aes128-sha1-modp2048\n"
				   " }\n}\n";
	cr_assert_eq(ike_cfg_parse("deep", deep, sizeof(deep) - 1, IKE_CFG_SWANCTL, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f->n_tunnels, 1);
	cr_assert_eq(f->tunnels[0].n_ike, IKE_CFG_MAX_PROPOSALS);
	cr_assert_gt(f->n_notes, 0, "the proposals beyond the cap are noted");
	ike_cfg_free(f);

	char *longline = malloc(3 * IKE_CFG_MAX_LINE);
	cr_assert_not_null(longline);
	len = (size_t)snprintf(longline, 3 * IKE_CFG_MAX_LINE, "interface ipsec1\n description ");
	memset(longline + len, 'x', 2 * IKE_CFG_MAX_LINE);
	len += 2 * IKE_CFG_MAX_LINE;
	cr_assert_eq(ike_cfg_parse("long", longline, len, IKE_CFG_VEDGE, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f->n_tunnels, 1);
	cr_assert_eq(f->n_notes, 1);
	cr_assert_eq(f->notes[0].line, 2);
	ike_cfg_free(f);
	free(longline);
}

Test(config_iosxe, global_dpd_and_lifetime_profile_by_address_and_missing_references)
{
	static const char cfg[] = "crypto ikev2 dpd 20 4 periodic\n"
				  "crypto ipsec security-association lifetime seconds 2400\n"
				  "crypto ikev2 proposal P\n"
				  " encryption aes-cbc-256\n"
				  " integrity sha256\n"
				  " group 14\n"
				  "crypto ikev2 policy POL\n"
				  " proposal P\n"
				  " proposal GONE\n"
				  "crypto ikev2 keyring K\n"
				  " peer any\n"
				  "  address 0.0.0.0 0.0.0.0\n"
				  "  pre-shared-key local same-key\n"
				  "crypto ikev2 profile BY-ADDRESS\n"
				  " match identity remote address 203.0.113.5 255.255.255.255\n"
				  " authentication local pre-share\n"
				  " keyring local K\n"
				  " lifetime 7200\n"
				  "crypto ikev2 profile OTHER\n"
				  " match identity remote address 198.51.100.99 255.255.255.255\n"
				  "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
				  "crypto ipsec profile IP\n"
				  " set transform-set TS MISSING\n"
				  "interface Tunnel5\n"
				  " tunnel source 192.0.2.5\n"
				  " tunnel destination 203.0.113.5\n"
				  " tunnel protection ipsec profile IP\n"
				  "interface Tunnel6\n"
				  " tunnel destination 203.0.113.6\n"
				  " tunnel protection ipsec profile NOPE\n";
	struct ike_cfg_file *f = NULL;
	char err[256], b[1024];
	cr_assert_eq(ike_cfg_parse("g", cfg, sizeof(cfg) - 1, IKE_CFG_DETECT, &f, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(f->n_tunnels, 2);
	const struct ike_cfg_tunnel *t = &f->tunnels[0];
	cr_assert_str_eq(ike_text(t, b, sizeof(b)), "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048");
	cr_assert_str_eq(esp_text(t, b, sizeof(b)), "ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ");
	cr_assert(t->dpd.set && t->dpd.sec == 20 && t->dpd.from.line == 1, "the global crypto ikev2 dpd");
	cr_assert(t->child_rekey.sec == 2400 && t->child_rekey.from.line == 2, "the global SA lifetime");
	cr_assert(t->ike_rekey.sec == 7200 && t->ike_rekey.from.line == 18, "the profile matching the destination");
	cr_assert(t->psk_known, "the keyring's 0.0.0.0 peer covers every address");
	/* Tunnel6 points to no IPsec profile: defaults, and a note */
	t = &f->tunnels[1];
	cr_assert_str_eq(esp_text(t, b, sizeof(b)), "ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ");
	bool gone = false, missing = false, nope = false;
	for (unsigned i = 0; i < f->n_notes; i++) {
		gone |= f->notes[i].line == 7 && strstr(f->notes[i].msg, "GONE") != NULL;
		missing |= f->notes[i].line == 23 && strstr(f->notes[i].msg, "MISSING") != NULL;
		nope |= f->notes[i].line == 30 && strstr(f->notes[i].msg, "NOPE") != NULL;
	}
	cr_assert(gone && missing && nope, "%u notes, first: %s", f->n_notes, f->n_notes ? f->notes[0].msg : "");
	ike_cfg_free(f);
}

/* An overlong line is cut and noted in every dialect, ipsec.conf included. */
Test(config_lines, overlong_line_noted_in_each_dialect)
{
	static const char *const heads[] = {
		"conn t\n  right=192.0.2.2\n  ike=aes256-sha256-modp2048\n  esp=aes256-sha256\n  leftid=",
		"connections {\n t {\n  remote_addrs = 192.0.2.2\n  children { c { esp_proposals = aes256-sha256 } }\n  local_addrs = 192.0.2.1 # ",
	};
	static const enum ike_cfg_dialect d[] = {IKE_CFG_IPSEC_CONF, IKE_CFG_SWANCTL};
	static const char *const tails[] = {"\n", "\n }\n}\n"};
	for (unsigned k = 0; k < 2; k++) {
		size_t hl = strlen(heads[k]), tl = strlen(tails[k]), n = hl + IKE_CFG_MAX_LINE + 50 + tl;
		char *cfg = malloc(n + 1);
		cr_assert_not_null(cfg);
		memcpy(cfg, heads[k], hl);
		memset(cfg + hl, 'x', IKE_CFG_MAX_LINE + 50);
		memcpy(cfg + hl + IKE_CFG_MAX_LINE + 50, tails[k], tl + 1);
		struct ike_cfg_file *f = NULL;
		char err[256];
		cr_assert_eq(ike_cfg_parse("long", cfg, n, d[k], &f, err, sizeof(err)), 0, "%s", err);
		bool noted = false;
		for (unsigned i = 0; i < f->n_notes; i++)
			noted |= f->notes[i].line == 5 && strstr(f->notes[i].msg, "bytes cut") != NULL;
		cr_assert(noted, "dialect %u: %u notes, first: %s", k, f->n_notes, f->n_notes ? f->notes[0].msg : "");
		ike_cfg_free(f);
		free(cfg);
	}
}
