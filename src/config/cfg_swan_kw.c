/*
 * cfg_swan_kw.c — strongSwan's algorithm keywords → IANA transforms, the way
 * charon completes a proposal string, its default proposals, and charon's
 * proposal text. The vEdge and IOS XE tables translate into these keywords
 * or transforms, so there is one place that prints "configured proposals:".
 *
 * Sources:
 *  - keywords: strongSwan src/libstrongswan/crypto/proposal/
 *    proposal_keywords_static.txt (5.9 branch): name, transform type,
 *    algorithm, key size. Only the upstream keywords (no SM/OTP forks).
 *  - completion: proposal.c check_proposal(): an IKE proposal without a PRF
 *    gets the PRF of each integrity algorithm (integ_prf_map: HMAC_MD5_96 →
 *    PRF_HMAC_MD5, HMAC_SHA1_96 → PRF_HMAC_SHA1, HMAC_SHA2_*_ → PRF_HMAC_SHA2_*,
 *    AES_XCBC_96 → PRF_AES128_XCBC, AES_CMAC_96 → PRF_AES128_CMAC); an IKE
 *    proposal needs a DH group; an AEAD-only proposal drops integrity; mixing
 *    AEAD and classic ciphers is an error; ESP/AH without an ESN transform
 *    gets NO_EXT_SEQ; ESP drops PRFs.
 *  - text: proposal.c's printf hook in 5.9 prints ENCR, INTEG, PRF, KE, ESN
 *    in that order, each as its enum name with "_<keysize>" when the key size
 *    is set (AES_CBC_256, but CHACHA20_POLY1305 and 3DES_CBC bare). Checked
 *    against every "configured proposals:" line of captures/ (charon 5.9.8).
 *  - defaults: proposal.c proposal_create_default() and
 *    proposal_create_default_aead(); the IKE lists there depend on the loaded
 *    plugins, so the ones below assume the openssl plugin (AES, SHA-2, ECP,
 *    Curve25519, MODP) as in the lab's Debian 12 build.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config/cfg_int.h"
#include "ikescope/names.h"

enum { ENCR = 1, PRF = 2, INTEG = 3, KE = 4, ESN = 5 };

struct kw {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t key_len;
};

/* proposal_keywords_static.txt, same order; IDs are IANA's (strongSwan's
 * private ones, ≥ 1024, where charon has no IANA number). */
static const struct kw keywords[] = {
	{"null", ENCR, 11, 0}, {"des", ENCR, 2, 0}, {"3des", ENCR, 3, 0},
	{"aes", ENCR, 12, 128}, {"aes128", ENCR, 12, 128}, {"aes192", ENCR, 12, 192}, {"aes256", ENCR, 12, 256},
	{"aes128ctr", ENCR, 13, 128}, {"aes192ctr", ENCR, 13, 192}, {"aes256ctr", ENCR, 13, 256},
	{"aes128ccm8", ENCR, 14, 128}, {"aes128ccm64", ENCR, 14, 128}, {"aes128ccm12", ENCR, 15, 128},
	{"aes128ccm96", ENCR, 15, 128}, {"aes128ccm16", ENCR, 16, 128}, {"aes128ccm128", ENCR, 16, 128},
	{"aes128ccm", ENCR, 16, 128}, {"aes192ccm8", ENCR, 14, 192}, {"aes192ccm64", ENCR, 14, 192},
	{"aes192ccm12", ENCR, 15, 192}, {"aes192ccm96", ENCR, 15, 192}, {"aes192ccm16", ENCR, 16, 192},
	{"aes192ccm128", ENCR, 16, 192}, {"aes192ccm", ENCR, 16, 192}, {"aes256ccm8", ENCR, 14, 256},
	{"aes256ccm64", ENCR, 14, 256}, {"aes256ccm12", ENCR, 15, 256}, {"aes256ccm96", ENCR, 15, 256},
	{"aes256ccm16", ENCR, 16, 256}, {"aes256ccm128", ENCR, 16, 256}, {"aes256ccm", ENCR, 16, 256},
	{"aes128gcm8", ENCR, 18, 128}, {"aes128gcm64", ENCR, 18, 128}, {"aes128gcm12", ENCR, 19, 128},
	{"aes128gcm96", ENCR, 19, 128}, {"aes128gcm16", ENCR, 20, 128}, {"aes128gcm128", ENCR, 20, 128},
	{"aes128gcm", ENCR, 20, 128}, {"aes192gcm8", ENCR, 18, 192}, {"aes192gcm64", ENCR, 18, 192},
	{"aes192gcm12", ENCR, 19, 192}, {"aes192gcm96", ENCR, 19, 192}, {"aes192gcm16", ENCR, 20, 192},
	{"aes192gcm128", ENCR, 20, 192}, {"aes192gcm", ENCR, 20, 192}, {"aes256gcm8", ENCR, 18, 256},
	{"aes256gcm64", ENCR, 18, 256}, {"aes256gcm12", ENCR, 19, 256}, {"aes256gcm96", ENCR, 19, 256},
	{"aes256gcm16", ENCR, 20, 256}, {"aes256gcm128", ENCR, 20, 256}, {"aes256gcm", ENCR, 20, 256},
	{"aes128gmac", ENCR, 21, 128}, {"aes192gmac", ENCR, 21, 192}, {"aes256gmac", ENCR, 21, 256},
	{"chacha20poly1305", ENCR, 28, 0}, {"chacha20poly1305compat", ENCR, 28, 256},
	{"blowfish", ENCR, 7, 128}, {"blowfish128", ENCR, 7, 128}, {"blowfish192", ENCR, 7, 192},
	{"blowfish256", ENCR, 7, 256}, {"camellia", ENCR, 23, 128}, {"camellia128", ENCR, 23, 128},
	{"camellia192", ENCR, 23, 192}, {"camellia256", ENCR, 23, 256}, {"camellia128ctr", ENCR, 24, 128},
	{"camellia192ctr", ENCR, 24, 192}, {"camellia256ctr", ENCR, 24, 256}, {"camellia128ccm8", ENCR, 25, 128},
	{"camellia128ccm64", ENCR, 25, 128}, {"camellia128ccm12", ENCR, 26, 128}, {"camellia128ccm96", ENCR, 26, 128},
	{"camellia128ccm16", ENCR, 27, 128}, {"camellia128ccm128", ENCR, 27, 128}, {"camellia192ccm8", ENCR, 25, 192},
	{"camellia192ccm64", ENCR, 25, 192}, {"camellia192ccm12", ENCR, 26, 192}, {"camellia192ccm96", ENCR, 26, 192},
	{"camellia192ccm16", ENCR, 27, 192}, {"camellia192ccm128", ENCR, 27, 192}, {"camellia256ccm8", ENCR, 25, 256},
	{"camellia256ccm64", ENCR, 25, 256}, {"camellia256ccm12", ENCR, 26, 256}, {"camellia256ccm96", ENCR, 26, 256},
	{"camellia256ccm16", ENCR, 27, 256}, {"camellia256ccm128", ENCR, 27, 256}, {"cast128", ENCR, 6, 128},
	{"serpent", ENCR, 1026, 128}, {"serpent128", ENCR, 1026, 128}, {"serpent192", ENCR, 1026, 192},
	{"serpent256", ENCR, 1026, 256}, {"twofish", ENCR, 1027, 128}, {"twofish128", ENCR, 1027, 128},
	{"twofish192", ENCR, 1027, 192}, {"twofish256", ENCR, 1027, 256},
	{"sha", INTEG, 2, 0}, {"sha1", INTEG, 2, 0}, {"sha1_160", INTEG, 7, 0}, {"sha256", INTEG, 12, 0},
	{"sha2_256", INTEG, 12, 0}, {"sha256_96", INTEG, 1026, 0}, {"sha2_256_96", INTEG, 1026, 0},
	{"sha384", INTEG, 13, 0}, {"sha2_384", INTEG, 13, 0}, {"sha512", INTEG, 14, 0}, {"sha2_512", INTEG, 14, 0},
	{"md5", INTEG, 1, 0}, {"md5_128", INTEG, 6, 0}, {"aesxcbc", INTEG, 5, 0}, {"camelliaxcbc", INTEG, 1030, 0},
	{"aescmac", INTEG, 8, 0},
	{"prfsha1", PRF, 2, 0}, {"prfsha256", PRF, 5, 0}, {"prfsha384", PRF, 6, 0}, {"prfsha512", PRF, 7, 0},
	{"prfmd5", PRF, 1, 0}, {"prfaesxcbc", PRF, 4, 0}, {"prfcamelliaxcbc", PRF, 1028, 0}, {"prfaescmac", PRF, 8, 0},
	{"modpnone", KE, 0, 0}, {"modpnull", KE, 1024, 0}, {"modp768", KE, 1, 0}, {"modp1024", KE, 2, 0},
	{"modp1536", KE, 5, 0}, {"modp2048", KE, 14, 0}, {"modp3072", KE, 15, 0}, {"modp4096", KE, 16, 0},
	{"modp6144", KE, 17, 0}, {"modp8192", KE, 18, 0}, {"ecp192", KE, 25, 0}, {"ecp224", KE, 26, 0},
	{"ecp256", KE, 19, 0}, {"ecp384", KE, 20, 0}, {"ecp521", KE, 21, 0}, {"modp1024s160", KE, 22, 0},
	{"modp2048s224", KE, 23, 0}, {"modp2048s256", KE, 24, 0}, {"ecp224bp", KE, 27, 0}, {"ecp256bp", KE, 28, 0},
	{"ecp384bp", KE, 29, 0}, {"ecp512bp", KE, 30, 0}, {"curve25519", KE, 31, 0}, {"x25519", KE, 31, 0},
	{"curve448", KE, 32, 0}, {"x448", KE, 32, 0}, {"ntru112", KE, 1030, 0}, {"ntru128", KE, 1031, 0},
	{"ntru192", KE, 1032, 0}, {"ntru256", KE, 1033, 0}, {"newhope128", KE, 1040, 0},
	{"noesn", ESN, 0, 0}, {"esn", ESN, 1, 0},
};

const char *cfg_swan_keyword(uint8_t type, uint16_t id)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].type == type && keywords[i].id == id)
			return keywords[i].name;
	return NULL;
}

/* check_proposal()'s integ_prf_map */
static const uint16_t integ_prf[][2] = {
	{2, 2}, {12, 5}, {13, 6}, {14, 7}, {1, 1}, {6, 1}, {5, 4}, {1030, 1028}, {8, 8}, {7, 2}, {1026, 5},
};

static const struct kw *find_kw(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].name) == n && strncasecmp(keywords[i].name, s, n) == 0)
			return &keywords[i];
	return NULL;
}

/* check_proposal(), for IKE and ESP */
static int complete(struct ike_cfg_proposal *p, char *bad, size_t badcap)
{
	bool any_enc = false, any_aead = false, all_aead = true;
	for (unsigned i = 0; i < p->n; i++) {
		if (p->x[i].type != ENCR)
			continue;
		any_enc = true;
		if (cfg_encr_is_aead(p->x[i].id))
			any_aead = true;
		else
			all_aead = false;
	}
	if (p->protocol == 1) {
		if (!cfg_xform_has_type(p, PRF)) {
			struct ike_cfg_proposal q = *p;
			for (unsigned i = 0; i < q.n; i++) {
				if (q.x[i].type != INTEG)
					continue;
				for (size_t k = 0; k < sizeof(integ_prf) / sizeof(integ_prf[0]); k++)
					if (integ_prf[k][0] == q.x[i].id)
						cfg_xform_add(p, PRF, integ_prf[k][1], 0);
			}
		}
		if (!cfg_xform_has_type(p, PRF)) {
			snprintf(bad, badcap, "a PRF algorithm is mandatory in IKE proposals");
			return -1;
		}
		/* KE_NONE is removed from IKE proposals */
		for (unsigned i = 0; i < p->n; i++)
			if (p->x[i].type == KE && p->x[i].id == 0) {
				memmove(&p->x[i], &p->x[i + 1], (p->n - i - 1) * sizeof(p->x[0]));
				p->n--;
				i--;
			}
		if (!cfg_xform_has_type(p, KE)) {
			snprintf(bad, badcap, "a DH group is mandatory in IKE proposals");
			return -1;
		}
	} else {
		cfg_xform_drop(p, PRF);
	}
	if (!any_enc) {
		snprintf(bad, badcap, "an encryption algorithm is mandatory in %s proposals", p->protocol == 1 ? "IKE" : "ESP");
		return -1;
	}
	if (any_aead && !all_aead) {
		snprintf(bad, badcap, "classic and combined-mode (AEAD) encryption algorithms can't be in the same proposal");
		return -1;
	}
	if (all_aead)
		cfg_xform_drop(p, INTEG);
	else if (p->protocol == 1 && !cfg_xform_has_type(p, INTEG)) {
		snprintf(bad, badcap, "an integrity algorithm is mandatory in IKE proposals with classic encryption");
		return -1;
	}
	if (p->protocol == 3 && !cfg_xform_has_type(p, ESN))
		cfg_xform_add(p, ESN, 0, 0);
	return 0;
}

static void add_list(struct ike_cfg_proposal *p, uint8_t type, const uint16_t *ids, size_t n, uint16_t key_len)
{
	for (size_t i = 0; i < n; i++)
		cfg_xform_add(p, type, ids[i], key_len);
}

/* proposal_create_default() then proposal_create_default_aead() */
static void defaults(uint8_t protocol, struct ike_cfg_proposal *out, unsigned *n)
{
	static const uint16_t sizes[] = {128, 192, 256};
	struct ike_cfg_proposal p = {.protocol = protocol};
	if (*n + 2 > IKE_CFG_MAX_PROPOSALS)
		return;
	if (protocol == 1) {
		static const uint16_t integ[] = {12, 13, 14, 5, 8, 2};
		static const uint16_t prf[] = {5, 6, 7, 4, 8, 2};
		static const uint16_t ke[] = {19, 20, 21, 28, 29, 30, 31, 32, 15, 16, 17, 18, 14};
		for (size_t i = 0; i < 3; i++)
			cfg_xform_add(&p, ENCR, 12, sizes[i]);
		for (size_t i = 0; i < 3; i++)
			cfg_xform_add(&p, ENCR, 13, sizes[i]);
		cfg_xform_add(&p, ENCR, 3, 0);
		add_list(&p, INTEG, integ, sizeof(integ) / sizeof(integ[0]), 0);
		add_list(&p, PRF, prf, sizeof(prf) / sizeof(prf[0]), 0);
		add_list(&p, KE, ke, sizeof(ke) / sizeof(ke[0]), 0);
		out[(*n)++] = p;
		struct ike_cfg_proposal a = {.protocol = 1};
		for (size_t i = 0; i < 3; i++)
			cfg_xform_add(&a, ENCR, 20, sizes[i]);
		cfg_xform_add(&a, ENCR, 28, 0);
		add_list(&a, PRF, prf, sizeof(prf) / sizeof(prf[0]), 0);
		add_list(&a, KE, ke, sizeof(ke) / sizeof(ke[0]), 0);
		out[(*n)++] = a;
	} else {
		static const uint16_t integ[] = {12, 13, 14, 2, 5};
		for (size_t i = 0; i < 3; i++)
			cfg_xform_add(&p, ENCR, 12, sizes[i]);
		add_list(&p, INTEG, integ, sizeof(integ) / sizeof(integ[0]), 0);
		cfg_xform_add(&p, ESN, 0, 0);
		out[(*n)++] = p;
		struct ike_cfg_proposal a = {.protocol = 3};
		for (size_t i = 0; i < 3; i++)
			cfg_xform_add(&a, ENCR, 20, sizes[i]);
		cfg_xform_add(&a, ESN, 0, 0);
		out[(*n)++] = a;
	}
}

int ike_cfg_swan_proposal(const char *s, uint8_t protocol, struct ike_cfg_proposal *out, unsigned *n, char *bad,
			  size_t badcap)
{
	while (*s == ' ')
		s++;
	size_t len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	/* a trailing '!' (ipsec.conf's strict flag) does not change the list */
	if (len && s[len - 1] == '!')
		len--;
	if (len == 7 && strncasecmp(s, "default", 7) == 0) {
		defaults(protocol, out, n);
		return 0;
	}
	if (*n >= IKE_CFG_MAX_PROPOSALS) {
		snprintf(bad, badcap, "more than %u proposals", IKE_CFG_MAX_PROPOSALS);
		return -1;
	}
	struct ike_cfg_proposal p = {.protocol = protocol};
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '-')
			j++;
		const struct kw *k = find_kw(s + i, j - i);
		if (!k) {
			snprintf(bad, badcap, "algorithm '%.*s' not recognized", (int)(j - i), s + i);
			return -1;
		}
		cfg_xform_add(&p, k->type, k->id, k->key_len);
		i = j + 1;
	}
	if (complete(&p, bad, badcap) != 0)
		return -1;
	out[(*n)++] = p;
	return 0;
}

size_t ike_cfg_xform_text(const struct ike_cfg_xform *x, char *buf, size_t cap)
{
	const struct ike_names *names = ike_names_for_transform(x->type);
	const char *nm = names ? ike_name_long(names, x->id) : NULL;
	int r;
	if (nm && x->key_len)
		r = snprintf(buf, cap, "%s_%u", nm, x->key_len);
	else if (nm)
		r = snprintf(buf, cap, "%s", nm);
	else
		r = snprintf(buf, cap, "UNKNOWN_%u_%u", x->type, x->id);
	return r < 0 ? 0 : (size_t)r;
}

size_t ike_cfg_proposal_text(const struct ike_cfg_proposal *p, char *buf, size_t cap)
{
	static const uint8_t order[] = {ENCR, INTEG, PRF, KE, ESN};
	size_t len = 0;
	int r = snprintf(buf, cap, "%s:", p->protocol == 1 ? "IKE" : p->protocol == 2 ? "AH" : "ESP");
	len += r > 0 ? (size_t)r : 0;
	bool first = true;
	for (size_t g = 0; g < sizeof(order); g++)
		for (unsigned i = 0; i < p->n; i++) {
			if (p->x[i].type != order[g])
				continue;
			char one[64];
			ike_cfg_xform_text(&p->x[i], one, sizeof(one));
			r = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, "%s%s", first ? "" : "/", one);
			len += r > 0 ? (size_t)r : 0;
			first = false;
		}
	return len;
}

size_t ike_cfg_proposals_text(const struct ike_cfg_proposal *p, unsigned n, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		if (i) {
			int r = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0, ", ");
			len += r > 0 ? (size_t)r : 0;
		}
		len += ike_cfg_proposal_text(&p[i], len < cap ? buf + len : NULL, len < cap ? cap - len : 0);
	}
	return len;
}
