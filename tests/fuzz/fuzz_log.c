/* fuzz_log — charon log text (the ike=4 key dumps among ordinary lines):
 * load the candidates, then bind the ones whose SPIs the log named. */
#include "fuzz.h"

#include "ikescope/keydump.h"
#include "ikescope/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_mem_path(data, size);
	struct ike_keycands *c = ike_keycands_new();
	struct ike_keyring *k = ike_keyring_new();
	if (!c || !k)
		abort();
	if (ike_keycands_load_log(c, path, &fuzz_diag) >= 0) {
		fuzz_sink_acc += ike_keycands_count(c);
		fuzz_sink_acc += ike_keycands_bind_from_log(c, k);
		ike_keyring_write(k, IKE_KEYS_WIRESHARK, fuzz_null_file());
	}
	ike_keyring_free(k);
	ike_keycands_free(c);
	return 0;
}
