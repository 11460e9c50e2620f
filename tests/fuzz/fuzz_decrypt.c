/* fuzz_decrypt — the decryption path. Built with -DIKESCOPE_FUZZING, so
 * ike_sk_open skips the ICV comparison and the plaintext reaches the inner
 * chain walker. The first byte picks one of the fixed key rows below; its SPIs
 * replace the message's, so that the keyring always finds the keys. */
#include "fuzz.h"

#include "ikescope/ike.h"
#include "ikescope/keys.h"
#include "ikescope/output.h"

/* NULL encryption: the fuzzer writes the plaintext itself; AES-CBC: the padding
 * and the chain walker see what a real cipher leaves. */
static const char rows[] =
	"0102030405060708,1112131415161718,,,\"NULL [RFC2410]\","
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f,\"HMAC_SHA2_256_128 [RFC4868]\"\n"
	"2102030405060708,3112131415161718,000102030405060708090a0b0c0d0e0f,101112131415161718191a1b1c1d1e1f,"
	"\"AES-CBC-128 [RFC3602]\",000102030405060708090a0b0c0d0e0f10111213,"
	"202122232425262728292a2b2c2d2e2f30313233,\"HMAC_SHA1_96 [RFC2404]\"\n";
static const uint8_t spis[2][16] = {
	{1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18},
	{0x21, 2, 3, 4, 5, 6, 7, 8, 0x31, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18},
};

static struct ike_keyring *keyring(void)
{
	static struct ike_keyring *k;
	if (!k) {
		k = ike_keyring_new();
		if (!k || ike_keyring_load_buffer(k, "fuzz-keys", rows, sizeof(rows) - 1, &fuzz_diag) < 0 ||
		    ike_keyring_count(k) != 2)
			abort(); /* the fixed rows must load, or nothing below is fuzzed */
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_keyring *k = keyring();
	if (size < 1 + 16)
		return 0;
	uint8_t *bytes = fuzz_dup(data + 1, size - 1);
	memcpy(bytes, spis[data[0] & 1], 16);
	struct ike_decoder *d = ike_decoder_new();
	if (!d) {
		free(bytes);
		return 0;
	}
	ike_decoder_set_keys(d, k);
	struct ike_origin at = {.frame = 1, .ts_sec = 1700000000};
	static struct ike_msg m;
	if (ike_decoder_decode(d, &at, bytes, size - 1, &m) == IKE_OK) {
		char sum[512];
		ike_msg_summary(&m, sum, sizeof(sum));
		ike_out_text_msg(fuzz_null_file(), &m, "fuzz.pcap", true);
		ike_out_json_msg(fuzz_null_file(), &m, "fuzz.pcap");
	}
	struct ike_anomaly a;
	while (ike_decoder_flush(d, &at, &a))
		;
	ike_decoder_free(d);
	free(bytes);
	return 0;
}
