/*
 * Messages recorded from real strongSwan 5.9.8 daemons (captures/cipher-*, the smallest encrypted
 * message of each), with the key row the lab harvested for them: each must load, verify, decrypt
 * into a well-formed inner payload chain, and fail authentication once a byte changes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "ikescope/keys.h"

struct recorded {
	const char *capture;
	const char *row;     /* ikev2_decryption_table line */
	const char *udp_hex; /* the UDP payload: non-ESP marker, then the IKE message */
};

static const struct recorded recs[] = {
	{"3des",
	 "023fead271834883,50f0c5d75a5c7ed5,06f3ee306c43a5d6115b2df9aa9e5578697938d0d1067b8a,16032975ab77a"
	 "5718e565e1b72e5ab1c8ffed70374e2fdf9,\"3DES [RFC2451]\",6fa20e18a7a59c3b8c19af2bf721f15cf0c7890d,"
	 "3780aef1845576a0ad35749e361c569bfba894db,\"HMAC_SHA1_96 [RFC2404]\"",
	 "00000000023fead27183488350f0c5d75a5c7ed52e20232000000001000000bc240000a05f4e2ece9977073460142bdf"
	 "7ac9e803306e3b399c7cc8fbbac5fd9c238341f287ef24dfc4e4674029bf87be9d656ebd0924f38ec468b4d968db4de6"
	 "69b7ca24d26cebe7826389ec2c82bbfff062f1c000de32276e1296dd80ac4511147638a0bd54217d151ed90a0648ab3e"
	 "0603f04fadff8af7f0aa45b1f5de4f0ee90461ba2df2b7936d12df8a5c40e1db9b01f69074455aed55350501e6fb243f"},
	{"aes-cbc-192",
	 "7c6dcd8575b5d034,1b4d2cd9f75e39df,1a6e4ffa6c56c4a47e5a504df4d322fc72d0cababc61a858,26848aa9f54e1"
	 "0689db7330edcd97c90e4e01980b4b9b31c,\"AES-CBC-192 [RFC3602]\",02f58f4b5712fa3669d7310ca284b1ebc0"
	 "8d4740a37c7f362edda7bcd50ea400,0666bf7ef99177ea1d753209dd424f106546684f865680b782c83520a2bdf9cc,"
	 "\"HMAC_SHA2_256_128 [RFC4868]\"",
	 "000000007c6dcd8575b5d0341b4d2cd9f75e39df2e20232000000001000000e0240000c45aef26a585b5c5b4ffbafe92"
	 "68fb1129e71f532a52ebd3a641b882e46b45c5f7627a441534bb145e96d1b30b0419a60f8d8ed025cc78bb49eea098e9"
	 "b074dc2b070ad0178e21dc50998344f89bbad8388186c17333dd2eb49674376bce87b3e68b2ec88008f3b5ce0e97cfc6"
	 "20f815e1263a0a2f20e6219265418f80d88f08de515b349505c120f48a5cb533e064ba50fbcf4363ace4cc9e642d4f70"
	 "af94f44a18a5593555b01f658dc231245e7e7d7b9266a8ff703a8c38f08fb7df4fd4297e"},
	{"aes-ctr-256",
	 "f114569703ee1789,0395fab51b93668e,962b04bc9eed9819a3cdc946e26ebe0f2e88e7b2ab0069f5ffc7cfbd778a10"
	 "c0607d5308,bff400495719142061a55eb7f2b90e2c3286ba6ff6a3ae9d9799c7ecf4c3ef8a3a11bf25,\"AES-CTR-25"
	 "6 [RFC5930]\",6f50c33126bce70be6a8ddc99ce98e5208bfc3a41006066a3b29d649308dec0c,03eebb480fc748d2c"
	 "7b7d858c98167089bd423a4e455396247a4edee2c114393,\"HMAC_SHA2_256_128 [RFC4868]\"",
	 "00000000f114569703ee17890395fab51b93668e2e20232000000001000000c9240000ad83080e5a214d0020d8b26db9"
	 "05c1cc03925f4f6cf62f94d5f8d2b9f17e8a43fa8ff2823daaab6311d15fee8252a8c029e68531a08de22df673d133b8"
	 "33263bfae2082168f3767dd94c1876bcb1a94d21c5bde93301be5e7b283184758cb3ae54d820320107faa110b3e67c24"
	 "e99c73bbf2e83eff6a9372524991a2692ee06a99dcd7146cad83756cb8d73445cd47097a49b3f1a979465e3838170ec8"
	 "98cdf46a11b861e9cc675b8cc2"},
	{"aes-gcm-8",
	 "33aa0da1d48afd9b,161bbf9672ee850f,f0ead9e5a384dd4416465e3e63f3b731c193e3454a0ec8aa158c64750f7bd5"
	 "62bbc8ce75,24917d9cef559f244b20fcbe642c16bde1ad7c88bde477c86366cc95e94e8c94206bfda4,\"AES-GCM-25"
	 "6 with 8 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"",
	 "0000000033aa0da1d48afd9b161bbf9672ee850f2e20232000000001000000c1240000a5ef18b84eac1904800d57af49"
	 "be2a1a737aee7542c3a3a4221407392b9d7b7105749399f970faf3420f04e6a79b5125e1f6a8562f931844a3f7ed4a09"
	 "80fe17e804f02e86e8f4ecc54c89ff98be344b7be09a905a8f56e5246b03b499e702b844502bf72237c213c80c686faf"
	 "8c1faa92b95597187e228f74fbacee3db75e4ab443a354d6b093292ecb9447680f0f1d9ac979da564c627a54483bd803"
	 "fe3f58da1e"},
	{"aes-ccm-12",
	 "7ed16428664210e0,124ea3a575883d33,621a6bd4b443324b2d1246a332ef0291c354baca947e2462407d759dee7ed9"
	 "03a9af23,5cdcc0386019a8897b38fc4906978410dc24b06dbe13625a2f601af4756767a913ea81,\"AES-CCM-256 wi"
	 "th 12 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"",
	 "000000007ed16428664210e0124ea3a575883d332e20232000000001000000c5240000a92bee5542c0cd40f9579c0ca8"
	 "7e9995331e1ff6e2d4af405e1d91d338849f7c6ced689c68a98eeb673f0970152d1b1a14cac01d771ec0e099f06c85fa"
	 "61da69b31590d977dcd2845e6eceace1dbe2c6641497226f4426d891460779caee0bc1a30d9126415a156b225eab8cbd"
	 "69f38f2d78a68792784d36d22d45fd9c928b0a5d6d763b2ef2fb6912a7b94073874abec34652a50f021cfc890e826479"
	 "6a84b55f18e0e8f197"},
	{"chacha20-poly1305",
	 "b5254dfe0e641934,2e8764df42667ad1,4b45047f95dee2b130d38762f208f7028f06e5e4b6be1a40d626be5ff0d250"
	 "21df187e91,224193c0cdc0203b3a48c991d776fce8a6c7cc15b7b92f968a3fc8175765cd2f511ca193,\"CHACHA20-P"
	 "OLY1305 [RFC7634]\",,,\"NONE [RFC4306]\"",
	 "00000000b5254dfe0e6419342e8764df42667ad12e20232000000001000000c9240000ad8043a9b50ef87f552210f01c"
	 "bfe43d23a6eeecb5e0a75f6aff047e7dc3cf714c1f70a7b127ed6787e9854dc13d8931efe5ac0292ea1ceb9c8f73f6a6"
	 "79acf84a88c4c4dc0a74183c88ab4b536844a3039efe4bb1a0bfdd94c1386c31d8bad10b25f2d0ccac2b47c6431f36c8"
	 "5d6fc3e2da1b30e08ded57d88747e11f43322edd0615b6c5279bfa79fde9f5043ca965b4313e3e0373cc27a2d19ded72"
	 "bf564b82a8142c8d32e7220cc7"},
	{"aes-xcbc",
	 "44d0477b00c4db3a,1063710ef41796d0,0065760109915cc9c4375b131dd4bbdc,afe3745a54f76efcbd92c23f92ee3"
	 "f4b,\"AES-CBC-128 [RFC3602]\",e9bfd46bf855c36ce7a5799157ad0dd6,f3024e2b0412b00f7381933bb2e8f337,"
	 "\"AES-XCBC-96 [RFC3566]\"",
	 "0000000044d0477b00c4db3a1063710ef41796d02e20232000000001000000cc240000b0af58d4579b42d33a676f41e4"
	 "94256ca1f51662bbe269704efdbe190e68ebe607c29864c29e4fd5cdceb586d758f0506e4dee4696c642fe2588b525da"
	 "412b4babea94da204c3b5f7e41df3372cf569dbfb3ffe54f856e03eef289802fdcc9af8a107460f68e7fb4e062d8c9a2"
	 "f60f0a3c0b0df9b70280743d5b55c4a77bd0c0eaa512d6c9ec2fdf4a1f8b75a3d303aaf37ec9c806d55a24b7ba174649"
	 "900b029132522dfbf774965469a7c5e4"},
	{"hmac-md5",
	 "9c9d8dac175d91c8,19e3a968d84ea900,c2cc58320737fd6abfe7f314b2a10f59,fcba230f32c6f160769318ce03647"
	 "c16,\"AES-CBC-128 [RFC3602]\",c04e757ff20e96baffb8d40aed8a42af,96e9a7e81e1f63d5f62c34ef9c24b4d7,"
	 "\"HMAC_MD5_96 [RFC2403]\"",
	 "000000009c9d8dac175d91c819e3a968d84ea9002e20232000000001000000cc240000b098aac7dccac4e145797ec64f"
	 "cba212ed3b1762616a3d81a6020f01658a3f8783975968d78c63a100969dd7656aed4af84d899c9296c0117cb973fd81"
	 "0dd4148d9bf786ac151c9b155288b53d6d843344a8d5c2c2c7b64d107d6a33b666e7f596b298a11e0939653d1affcf5b"
	 "0b5ec787cfa43b7c0a8fe20bdd0a3ae2540842da78d8ceed75d7054387f64082313879bf75c0ebc61fa367387957b65a"
	 "e51b59352728e068276c35f4db0bc149"},
	{"hmac-sha2-512",
	 "1373d49e75a78ac7,25fd51b49cfc114f,5adc16dc9d3eb3ded7e635fda89924be,7f34b353de50188d2749d1cdf5441"
	 "926,\"AES-CBC-128 [RFC3602]\",47ddc3f057cec2cde0ebcf82248843c732d99ca52a8c40bbdb09f36b07ac3f6cbb"
	 "cd72d995ebfd5d86baa595c5d088ce4370a90492971e752dfc43dfc98d9251,acd4243709b42ea75a3c575248555ff3e"
	 "5488bbc5cf67563f7b7f7c4d09611d3b7e139fc97a0e8748805d255dfe68210e6500ecbb20169085a8c0214707ae585,"
	 "\"HMAC_SHA2_512_256 [RFC4868]\"",
	 "000000001373d49e75a78ac725fd51b49cfc114f2e2023200000000100000110240000f477cf81429b4f3739a14804d6"
	 "d5c567be54c323abb9491c7552e5b848f1bdf0cb67159af9b7a4f11bf5bdbf012b600b29607e0ffcbee925af9d9a5592"
	 "846e45d3883305aff519f34c9ba16dd0a723ad3779b0d1c2c4883d1e8ff7435d17acfcd406969837eca7c41478a2a1a6"
	 "039f0f6af14884472920420f20c4d4945ef821ec1dafdc2a8da5d656d129232b60c85ec76bf6687b6a1fc9b01cc8e716"
	 "6a57ab3a3244c9e237c97955dad3c584ebd9d4b0ebfb58c850c25142254b902c3721a895139e71181875f585208294f2"
	 "735e4edafff30928557bb282f994fe5c5b04e163f58c90e2ca9ed1634f7a1cecd5a73d95"},
};

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	for (; s[0] && s[1]; s += 2) {
		unsigned v;
		cr_assert_eq(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

Test(strongswan, recorded_messages_open)
{
	for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		struct ike_keyring *k = ike_keyring_new();
		cr_assert_eq(ike_keyring_load_buffer(k, recs[i].capture, recs[i].row, strlen(recs[i].row), NULL), 1,
			     "%s: keys", recs[i].capture);
		uint8_t udp[1024], out[1024];
		size_t n = unhex(recs[i].udp_hex, udp);
		cr_assert(n > 4 + 28 && memcmp(udp, "\0\0\0\0", 4) == 0);
		uint8_t *msg = udp + 4;
		size_t len = n - 4;
		uint64_t ispi = 0, rspi = 0;
		for (int b = 0; b < 8; b++)
			ispi = ispi << 8 | msg[b], rspi = rspi << 8 | msg[8 + b];
		const struct ike_sa_keys *sa = ike_keyring_find(k, ispi, rspi);
		cr_assert_not_null(sa, "%s: SPIs", recs[i].capture);
		cr_assert_eq(msg[16], 46, "%s: SK first", recs[i].capture);
		bool from_i = msg[19] & 0x08;
		size_t out_len;
		char why[200];
		enum ike_err r = ike_sk_open(sa, from_i, msg, len, 28, 4, out, &out_len, why, sizeof(why));
		cr_assert_eq(r, IKE_OK, "%s: %s", recs[i].capture, why);
		/* the inner chain starts with the SK payload's next type and ends exactly at out_len */
		uint8_t next = msg[28];
		size_t off = 0;
		while (next != 0) {
			cr_assert_leq(off + 4, out_len, "%s: inner chain runs out", recs[i].capture);
			size_t plen = (size_t)out[off + 2] << 8 | out[off + 3];
			cr_assert_geq(plen, 4);
			next = out[off];
			off += plen;
		}
		cr_assert_eq(off, out_len, "%s: inner chain length", recs[i].capture);
		/* the other direction's keys, and any changed byte, fail */
		cr_assert_eq(ike_sk_open(sa, !from_i, msg, len, 28, 4, out, &out_len, NULL, 0), IKE_E_AUTHFAIL);
		for (size_t b = 0; b < len; b += 7) {
			if (b == 30 || b == 31)
				continue; /* the SK length: MALFORMED or AUTHFAIL, tested elsewhere */
			msg[b] ^= 0x40;
			cr_assert_eq(ike_sk_open(sa, from_i, msg, len, 28, 4, out, &out_len, NULL, 0), IKE_E_AUTHFAIL,
				     "%s: byte %zu", recs[i].capture, b);
			msg[b] ^= 0x40;
		}
		ike_keyring_free(k);
	}
}
