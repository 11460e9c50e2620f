/*
 * Published vectors for every primitive behind ike_sk_open(): RFC 3566
 * AES-XCBC, RFC 4493/4494 AES-CMAC, RFC 2202 HMAC-MD5/SHA1, RFC 4231 HMAC-SHA2
 * (truncated as RFC 4868 and RFC 4595 prescribe), RFC 3602 / SP 800-38A
 * AES-CBC, NIST 3DES MMT, RFC 3686 AES-CTR, McGrew-Viega GCM (RFC 5282 refers
 * to them; salt = last 4 key bytes), CAVS CCM with 11-byte nonces, and the
 * RFC 7634 Appendix B IKEv2 message.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "crypto/crypto_int.h"
#include "ikescope/keys.h"

/* Hex with optional spaces → bytes; returns the count. */
static size_t hx(const char *s, uint8_t *out)
{
	size_t n = 0;
	int hi = -1;
	for (; *s; s++) {
		int v = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
		if (v < 0)
			continue;
		if (hi < 0)
			hi = v;
		else
			out[n++] = (uint8_t)(hi << 4 | v), hi = -1;
	}
	return n;
}

static void expect_hex(const uint8_t *got, size_t n, const char *want, const char *what)
{
	uint8_t w[512];
	size_t wn = hx(want, w);
	cr_assert_eq(n, wn, "%s: length %zu, want %zu", what, n, wn);
	cr_assert(memcmp(got, w, n) == 0, "%s differs", what);
}

/* ---- integrity -------------------------------------------------------- */

static const char *const xcbc_msgs[] = {
	"", "000102", "000102030405060708090a0b0c0d0e0f", "000102030405060708090a0b0c0d0e0f10111213",
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021",
};
static const char *const xcbc_macs[] = {
	"75f0251d528ac01c4573dfd584d79f29", "5b376580ae2f19afe7219ceef172756f", "d2a246fa349b68a79998a4394ff7a263",
	"47f51b4564966215b8985c63055ed308", "f54f0ec8d2b9f3d36807734bd5283fd4", "becbb3bccdb518a30677d5481fb6b4d8",
};

Test(vectors, rfc3566_aes_xcbc_mac)
{
	uint8_t key[16], msg[1000], mac[16], out[64];
	hx("000102030405060708090a0b0c0d0e0f", key);
	for (size_t i = 0; i < 6; i++) {
		size_t n = hx(xcbc_msgs[i], msg);
		cr_assert(ike_aes_xcbc_mac(key, msg, n, mac));
		expect_hex(mac, 16, xcbc_macs[i], "XCBC-MAC");
		/* AES-XCBC-MAC-96: the first 12 bytes, through the integrity table */
		const struct ike_integ_alg *a = ike_integ_find(5);
		cr_assert(ike_integ_compute(a, key, 16, msg, n, out));
		cr_assert_eq(a->icv_len, 12);
		cr_assert(memcmp(out, mac, 12) == 0);
	}
	memset(msg, 0, sizeof(msg));
	cr_assert(ike_aes_xcbc_mac(key, msg, 1000, mac));
	expect_hex(mac, 16, "f0dafee895db30253761103b5d84528f", "XCBC-MAC 1000 zero bytes");
}

Test(vectors, rfc4494_aes_cmac_96)
{
	static const char msg[] = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
				  "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
	static const struct { size_t len; const char *mac; } v[] = {
		{0, "bb1d6929e95937287fa37d12"}, {16, "070a16b46b4d4144f79bdd9d"},
		{40, "dfa66747de9ae63030ca3261"}, {64, "51f0bebf7e3b9d92fc497417"},
	};
	uint8_t key[16], m[64], out[64];
	hx("2b7e151628aed2a6abf7158809cf4f3c", key);
	hx(msg, m);
	const struct ike_integ_alg *a = ike_integ_find(8);
	cr_assert_eq(a->icv_len, 12);
	for (size_t i = 0; i < 4; i++) {
		cr_assert(ike_integ_compute(a, key, 16, m, v[i].len, out));
		expect_hex(out, a->icv_len, v[i].mac, "AES-CMAC-96");
	}
}

struct hmac_vec {
	uint16_t integ;
	const char *key, *data, *full; /* data as text */
};

static const struct hmac_vec hmacs[] = {
	/* RFC 2202 test cases 1 and 2 */
	{1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "9294727a3638bb1c13f48ef8158bfc9d"},
	{6, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "9294727a3638bb1c13f48ef8158bfc9d"},
	{1, "4a656665", "what do ya want for nothing?", "750c783e6ab0b503eaa86e310a5db738"},
	{2, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
	{7, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"},
	{7, "4a656665", "what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
	/* RFC 4231 test cases 1 and 2 */
	{12, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{IKE_INTEG_HMAC_SHA2_256_96, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	{12, "4a656665", "what do ya want for nothing?",
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	{13, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	 "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
	{13, "4a656665", "what do ya want for nothing?",
	 "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
	{14, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
	 "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	 "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
	{14, "4a656665", "what do ya want for nothing?",
	 "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	 "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
};

Test(vectors, hmac_rfc2202_rfc4231_truncated_per_ikev2)
{
	/* ICV lengths: RFC 2403/2404 (96), RFC 4595 (full), RFC 4868 (half), the SHA-256 draft (96). */
	static const struct { uint16_t id; uint8_t icv; } sizes[] = {
		{1, 12}, {2, 12}, {6, 16}, {7, 20}, {12, 16}, {13, 24}, {14, 32}, {IKE_INTEG_HMAC_SHA2_256_96, 12},
	};
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		cr_assert_eq(ike_integ_find(sizes[s].id)->icv_len, sizes[s].icv);
	for (size_t i = 0; i < sizeof(hmacs) / sizeof(hmacs[0]); i++) {
		const struct ike_integ_alg *a = ike_integ_find(hmacs[i].integ);
		uint8_t key[64], full[64], out[64];
		size_t kl = hx(hmacs[i].key, key);
		size_t fl = hx(hmacs[i].full, full);
		cr_assert(ike_integ_compute(a, key, kl, (const uint8_t *)hmacs[i].data, strlen(hmacs[i].data), out));
		cr_assert(memcmp(out, full, fl) == 0, "vector %zu (%s): full output differs", i, a->charon);
		cr_assert_leq(a->icv_len, fl);
	}
}

/* ---- ciphers ---------------------------------------------------------- */

struct cipher_vec {
	uint16_t encr, bits;
	const char *key, *iv, *plain, *cipher; /* plain may be text when it starts with '=' */
};

static const struct cipher_vec ciphers[] = {
	/* RFC 3602 cases 1 and 2 */
	{12, 128, "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41", "=Single block msg",
	 "e353779c1079aeb82708942dbe77181a"},
	{12, 128, "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	 "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
	/* SP 800-38A F.2.3 / F.2.5, first block */
	{12, 192, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", "000102030405060708090a0b0c0d0e0f",
	 "6bc1bee22e409f96e93d7e117393172a", "4f021db243bc633d7178183a9fa071e8"},
	{12, 256, "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", "000102030405060708090a0b0c0d0e0f",
	 "6bc1bee22e409f96e93d7e117393172a", "f58c4c04d6e5f1ba779eabfb5f7bfbd6"},
	/* NIST 3DES MMT examples 1 and 2 */
	{3, 0, "627f460e08104a1043cd265d5840eaf1313edf97df2a8a8c", "8e29f75ea77e5475", "326a494cd33fe756", "b22b8d66de970692"},
	{3, 0, "37ae5ebf46dff2dc0754b94f31cbb3855e7fd36dc870bfae", "3d1de3cc132e3b65", "84401f78fe6c10876d8ea23094ea5309",
	 "7b1f7c7e3b1c948ebd04a75ffba7d2f5"},
	/* RFC 3686 test vectors 1, 2, 3, 4, 5, 7, 8, 9 (key ‖ nonce) */
	{13, 128, "ae6852f8121067cc4bf7a5765577f39e 00000030", "0000000000000000", "=Single block msg",
	 "e4095d4fb7a7b3792d6175a3261311b8"},
	{13, 128, "7e24067817fae0d743d6ce1f32539163 006cb6db", "c0543b59da48d90b",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	 "5104a106168a72d9790d41ee8edad388eb2e1efc46da57c8fce630df9141be28"},
	{13, 128, "7691be035e5020a8ac6e618529f9a0dc 00e0017b", "27777f3f4a1786f0",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223",
	 "c1cf48a89f2ffdd9cf4652e9efdb72d74540a42bde6d7836d59a5ceaaef3105325b2072f"},
	{13, 192, "16af5b145fc9f579c175f93e3bfb0eed863d06ccfdb78515 00000048", "36733c147d6d93cb", "=Single block msg",
	 "4b55384fe259c9c84e7935a003cbe928"},
	{13, 192, "7c5cb2401b3dc33c19e7340819e0f69c678c3db8e6f6a91a 0096b03b", "020c6eadc2cb500d",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	 "453243fc609b23327edfaafa7131cd9f8490701c5ad4a79cfc1fe0ff42f4fb00"},
	{13, 256, "776beff2851db06f4c8a0542c8696f6c6a81af1eec96b4d37fc1d689e6c1c104 00000060", "db5672c97aa8f0b2",
	 "=Single block msg", "145ad01dbf824ec7560863dc71e3e0c0"},
	{13, 256, "f6d66d6bd52d59bb07963658 79eff886c66dd51a5b6a99744b50590c87a23884 00faac24", "c1585ef15a43d875",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	 "f05e231b3894612c49ee000b804eb2a9b8306b508f839d6a5530831d9344af1c"},
	{13, 256, "ff7a617ce69148e4f1726e2f43581de2aa62d9f805532edff1eed687fb54153d 001cc5b7", "51a51d70a1c11148",
	 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223",
	 "eb6c52821d0bbbf7ce7594462aca4faab407df866569fd07f48cc0b583d6071f1ec0e6b8"},
};

Test(vectors, aes_cbc_3des_cbc_aes_ctr)
{
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		const struct cipher_vec *v = &ciphers[i];
		const struct ike_encr_alg *e = ike_encr_find(v->encr, v->bits);
		uint8_t key[64], iv[16], plain[64], ct[64], out[64];
		cr_assert_eq(hx(v->key, key), e->key_len, "vector %zu key", i);
		cr_assert_eq(hx(v->iv, iv), e->iv_len, "vector %zu IV", i);
		size_t pn = v->plain[0] == '=' ? strlen(v->plain + 1) : hx(v->plain, plain);
		if (v->plain[0] == '=')
			memcpy(plain, v->plain + 1, pn);
		size_t cn = hx(v->cipher, ct);
		cr_assert_eq(pn, cn);
		cr_assert(ike_cipher_decrypt(e, key, iv, ct, cn, out));
		cr_assert(memcmp(out, plain, pn) == 0, "vector %zu (%s) differs", i, e->charon);
	}
}

struct aead_vec {
	uint16_t encr, bits;
	const char *key, *iv, *aad, *plain, *cipher_tag;
};

static const char gcm_p[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
			    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
static const char gcm_p60[] = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
			      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm_c128[] = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			       "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";
static const char gcm_c256[] = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

static const struct aead_vec aeads[] = {
	/* McGrew-Viega test cases 3/4 (AES-128), 9 (AES-192), 15/16 (AES-256): salt cafebabe, IV facedbaddecaf888 */
	{18, 128, "feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888", "", gcm_p, NULL},
	{19, 128, "feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888", "", gcm_p, NULL},
	{20, 128, "feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888", "", gcm_p, NULL},
	{20, 128, "feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888",
	 "feedfacedeadbeeffeedfacedeadbeefabaddad2", gcm_p60, NULL},
	{20, 192, "feffe9928665731c6d6a8f9467308308feffe9928665731c cafebabe", "facedbaddecaf888", "", gcm_p,
	 "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f47"
	 "18e2448b2fe324d9ccda2710acade256 9924a7c8587336bfb118024db8674a14"},
	{20, 256, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888", "",
	 gcm_p, NULL},
	{20, 256, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308 cafebabe", "facedbaddecaf888",
	 "feedfacedeadbeeffeedfacedeadbeefabaddad2", gcm_p60, NULL},
	/* CAVS CCM vectors with 11-byte nonces (3-byte salt ‖ 8-byte IV) */
	{16, 128, "83ac5466c2ebe5052e01d1fc5d82662e 96ac59", "3007a1e2a2c75524", "",
	 "19c881f6e986ff930b7867e5bbb7fc6e8377b3a60c8c9f9c352eade062f991a1",
	 "ab6fe1691d1999a892a0c46f7ee28bb170bb8ca64c6e978a572bbe5d98a6b132da24ead9a13998fda4bed9f21a6d22a8"},
	{16, 128, "1e2c7e01419aefc00d58966e5ca24bd3 4fa319", "d3015ad830601556",
	 "dae6289c452dfd635eda4cb6e6fcf9b70c56cbe4e0057ae10a630978bc2c55de",
	 "87a336fd96b39378a92863ba12a31485571e06c97b21ef767f387e8e29a43e7e",
	 "8a1e11f0026be219fc70c46d8eb799abc54ba2acd3f348ff3bb5ce53efdebb02a986156c13feda0a22b8293dd8399a23"},
	{16, 192, "f46bc27562feb4e1a3f0ffdd4e4b1275 531473668d88f680 a02035", "26f2218d5020dae2",
	 "5b9e1367025eefc16cf9d71e528f7a47e9d4cf20146ef02dd89e2b56102356e7", "", "36ea7a7008dc6abcad0c7a63f661fd9b"},
	{16, 192, "56df5c8f263f0e42ef7ad3cefc846062cab440af5fc9c901 d63c8c", "8684b6cdef092e94",
	 "0265783ce9213091b1b9da769a786d95f28832a3f250cb4ce300736984698779",
	 "9fd2024b5249313c43693a2d8e70ad7ee0e54609808913b28c8bd93f86fbb56b",
	 "39df7c3c5a29b9625d51c216d8bd069f9b6a0970c15183c266881d4f9adae01ec7791158e56b20407aea46428be46fe1"},
	{14, 256, "e08d997160d7971abd0199d58adf713ad3df244b5e3d4b4e307ab9d8530a5e2b 1e2991", "ad8ec1530acf2dbe",
	 "19b61f57c4f3f08b782b9402290f42276b75cb9834087e79e43e490d848b2287",
	 "e1d9d813eb3a753f9dbd5f66bedcbb66bf1799624a39271f1ddc24ae192f984c",
	 "19b86133452b43966f51d020307d9bc6263df8c96516a89ff0621734f21e8d754e13ccc0c32a542d"},
	{15, 256, "7cc8183b8d99e07c4541b8bd5ca7c2328ab80259a4fea92c09759a9b3c9b2739 f9d94e", "63b53d9d43f61e50",
	 "57f56b8b575c3d3b1302010c834c96358ed639cf7d149b94b03936e68f57e013",
	 "3b6c2936b6ef07a68372074fcffa66895fcab1bad58f2c2730db750993d465e4",
	 "b0885a33aae5c71d8523c7c62ff41e3dcc63442507784f9e96b888ebbc481f0639af39acd84a80397b728af7"},
	{14, 128, "ab2f8a74b71cd2b1ff802e487d82f8b9 af9487", "783582817f889468", "", "", "413cb88773cbf3f3"},
	{14, 192, "585da096651a04d796e5c568aa9535e029a0ba9e4878d1ba ee4983", "e9a9ffe957bafd9e",
	 "44a62c05e9e143b1587cf25c6d390a64a4f01305d177996711c4c6db00563661",
	 "85346642c8920f3658e06b913c985cbb0a85cc02ad7a96e96543a4c30fdc5581",
	 "fbe55d34bee5e8e75aef2fbf1f7fd4b266ca611e967a61b31c164552ba049c9fb1d240bc527c6fb1"},
};

static const char *const gcm_tags[] = {
	"4d5c2af327cd64a6", "4d5c2af327cd64a62cf35abd", "4d5c2af327cd64a62cf35abd2ba6fab4",
	"5bc94fbc3221a5db94fae95ae7121a47", NULL, "b094dac5d93471bdec1a502270e3cc6c", "76fc6ece0f4e1768cddf8853bb2d551b",
};

Test(vectors, aes_gcm_and_aes_ccm)
{
	for (size_t i = 0; i < sizeof(aeads) / sizeof(aeads[0]); i++) {
		const struct aead_vec *v = &aeads[i];
		const struct ike_encr_alg *e = ike_encr_find(v->encr, v->bits);
		uint8_t key[64], iv[8], aad[64], plain[64], ct[128], out[128];
		cr_assert_eq(hx(v->key, key), e->key_len, "vector %zu key", i);
		hx(v->iv, iv);
		size_t an = hx(v->aad, aad), pn = hx(v->plain, plain), cn;
		if (v->cipher_tag) {
			cn = hx(v->cipher_tag, ct);
		} else {
			/* the 60-byte cases share the first 60 ciphertext bytes of the 64-byte ones */
			hx(e->bits == 128 ? gcm_c128 : gcm_c256, ct);
			cn = pn + hx(gcm_tags[i], ct + pn);
		}
		cr_assert_eq(cn, pn + e->icv_len, "vector %zu length", i);
		int r = ike_aead_open(e, key, iv, aad, an, ct, pn, ct + pn, out);
		cr_assert_eq(r, 1, "vector %zu (%s) does not verify", i, e->charon);
		cr_assert(memcmp(out, plain, pn) == 0, "vector %zu (%s) plaintext differs", i, e->charon);
		/* one flipped tag bit: mismatch, output wiped */
		ct[cn - 1] ^= 0x80;
		memset(out, 0x5a, sizeof(out));
		cr_assert_eq(ike_aead_open(e, key, iv, aad, an, ct, pn, ct + pn, out), 0, "vector %zu", i);
		for (size_t b = 0; b < pn; b++)
			cr_assert_eq(out[b], 0, "vector %zu: byte %zu left after a mismatch", i, b);
	}
}

/* RFC 7634 Appendix B: an INFORMATIONAL response carrying N(SET_WINDOW_SIZE), end to end. */
Test(vectors, rfc7634_ikev2_chacha20_poly1305_message)
{
	uint8_t msg[128], key[36], out[128];
	size_t len = hx("c0c1c2c3c4c5c6c7 d0d1d2d3d4d5d6d7 2e202500 00000009 00000045" /* IKE header */
			"29000029"                                     /* SK header, next N */
			"1011121314151617"                             /* IV */
			"610394701f8d017f7c12924889"                   /* ciphertext */
			"6b71bfe25236efd7cdc67066906315b2",           /* Poly1305 tag */
			msg);
	cr_assert_eq(len, 69);
	hx("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3", key);
	struct ike_keyring *k = ike_keyring_new();
	struct ike_sa_keyspec s = {.ispi = 0xc0c1c2c3c4c5c6c7ull, .rspi = 0xd0d1d2d3d4d5d6d7ull, .encr = 28,
				   .integ = 0, .dirs = IKE_KEYS_R, .er = key, .er_len = 36};
	char why[200];
	cr_assert_eq(ike_keyring_add(k, &s, why, sizeof(why)), 1, "%s", why);
	const struct ike_sa_keys *sa = ike_keyring_find(k, s.ispi, s.rspi);
	size_t out_len;
	cr_assert_eq(ike_sk_open(sa, false, msg, len, 28, 4, out, &out_len, why, sizeof(why)), IKE_OK, "%s", why);
	expect_hex(out, out_len, "0000000c 00004001 0000000a", "inner N(SET_WINDOW_SIZE)");
	msg[40] ^= 1;
	cr_assert_eq(ike_sk_open(sa, false, msg, len, 28, 4, out, &out_len, why, sizeof(why)), IKE_E_AUTHFAIL);
	cr_assert_str_eq(why, "ICV mismatch with SK_er of 0xc0c1c2c3c4c5c6c7/0xd0d1d2d3d4d5d6d7 (CHACHA20_POLY1305)");
	ike_keyring_free(k);
}
