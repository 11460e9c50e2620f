/* fuzz_keyfile — key files (Wireshark's ikev2_decryption_table rows, tcpdump's
 * "ikev2 I/R" lines, JSON key objects), then every SA written back in each format. */
#include "fuzz.h"

#include "ikescope/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_keyring *k = ike_keyring_new();
	if (!k)
		abort();
	char *text = (char *)fuzz_dup(data, size);
	if (ike_keyring_load_buffer(k, "fuzz-keys", text, size, &fuzz_diag) >= 0) {
		char line[1024];
		for (size_t i = 0; i < ike_keyring_count(k); i++) {
			const struct ike_sa_keys *sa = ike_keyring_at(k, i);
			fuzz_sink_acc += ike_keyring_find(k, sa->ispi, sa->rspi) != NULL;
			ike_sa_keys_format(sa, IKE_KEYS_TCPDUMP, line, sizeof(line));
		}
		ike_keyring_write(k, IKE_KEYS_WIRESHARK, fuzz_null_file());
		ike_keyring_write(k, IKE_KEYS_TCPDUMP, fuzz_null_file());
		ike_keyring_write(k, IKE_KEYS_JSON, fuzz_null_file());
	}
	free(text);
	ike_keyring_free(k);
	return 0;
}
