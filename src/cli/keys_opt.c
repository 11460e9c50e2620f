/*
 * keys_opt.c — the -k option every command shares: key files loaded into one
 * keyring, each bad line reported on stderr as "ikescope: FILE:LINE: reason"
 * while the good lines still load.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"

static void key_diag(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "ikescope: %s\n", line);
}

int ike_cli_load_keys(const char *const *files, unsigned n, struct ike_keyring **out)
{
	*out = NULL;
	if (n == 0)
		return -1;
	struct ike_keyring *k = ike_keyring_new();
	if (!k) {
		fprintf(stderr, "ikescope: cannot set up key storage (out of memory)\n");
		return IKE_EXIT_INPUT;
	}
	struct ike_diag diag = {key_diag, NULL};
	for (unsigned i = 0; i < n; i++) {
		if (ike_keyring_load_file(k, files[i], &diag) < 0) {
			ike_keyring_free(k);
			return IKE_EXIT_INPUT; /* diag named the file and why */
		}
	}
	*out = k;
	return -1;
}

int ike_cli_load_key_logs(const char *const *logs, unsigned n, struct ike_keyring **ring, struct ike_keycands **out)
{
	*out = NULL;
	if (n == 0)
		return -1;
	struct ike_keycands *c = ike_keycands_new();
	if (!c) {
		fprintf(stderr, "ikescope: cannot set up key storage (out of memory)\n");
		return IKE_EXIT_INPUT;
	}
	struct ike_diag diag = {key_diag, NULL};
	for (unsigned i = 0; i < n; i++) {
		if (ike_keycands_load_log(c, logs[i], &diag) < 0) {
			ike_keycands_free(c);
			return IKE_EXIT_INPUT;
		}
	}
	if (!*ring)
		*ring = ike_keyring_new();
	if (!*ring) {
		ike_keycands_free(c);
		fprintf(stderr, "ikescope: cannot set up key storage (out of memory)\n");
		return IKE_EXIT_INPUT;
	}
	ike_keycands_bind_from_log(c, *ring);
	*out = c;
	return -1;
}
