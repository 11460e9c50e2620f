/*
 * common.c — what every command does the same way: reporting a bad option,
 * naming a file in text output, opening a capture (a link type we do not read
 * is a warning and the file is skipped; anything else unreadable is exit 2),
 * the -r/-k/-l inputs and their keys, and buffered output checked at the end.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/capture.h"
#include "ikescope/keydump.h"
#include "ikescope/keys.h"

int ike_cli_bad_option(const char *cmd, int c, char *argv[])
{
	if (c == ':')
		return ike_cli_usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
	if (optopt)
		return ike_cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return ike_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

const char *ike_cli_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

struct ike_capture *ike_cli_open_capture(const char *path, uint32_t idx, const struct ike_capture_opts *opts,
					 int *status)
{
	enum ike_err why = IKE_OK;
	char err[512];
	struct ike_capture *c = ike_capture_open(path, idx, opts, &why, err, sizeof(err));
	if (c) {
		*status = 0;
		return c;
	}
	fflush(stdout); /* what was printed before comes before the message */
	if (why == IKE_E_UNSUPPORTED) {
		fprintf(stderr, "ikescope: warning: %s\n", err);
		*status = 0;
	} else {
		fprintf(stderr, "ikescope: %s\n", err);
		*status = IKE_EXIT_INPUT;
	}
	return NULL;
}

int ike_cli_inputs_init(struct ike_cli_inputs *in, int argc)
{
	*in = (struct ike_cli_inputs){0};
	in->caps = calloc((size_t)argc, sizeof(*in->caps));
	in->keys = calloc((size_t)argc, sizeof(*in->keys));
	in->logs = calloc((size_t)argc, sizeof(*in->logs));
	if (in->caps && in->keys && in->logs)
		return -1;
	ike_cli_inputs_free(in);
	fprintf(stderr, "ikescope: out of memory\n");
	return IKE_EXIT_INPUT;
}

int ike_cli_inputs_load_keys(struct ike_cli_inputs *in, bool with_logs)
{
	int status = ike_cli_load_keys(in->keys, in->n_keys, &in->ring);
	if (status < 0 && with_logs)
		status = ike_cli_load_key_logs(in->logs, in->n_logs, &in->ring, &in->cands);
	return status;
}

void ike_cli_inputs_free(struct ike_cli_inputs *in)
{
	ike_keycands_free(in->cands);
	ike_keyring_free(in->ring);
	free(in->caps);
	free(in->keys);
	free(in->logs);
	*in = (struct ike_cli_inputs){0};
}

/* Large enough that a JSON line per message costs one write per few hundred. */
#define STDOUT_BUF (256u * 1024u)

int ike_cli_buffered(int (*body)(void *ctx), void *ctx)
{
	static char buf[STDOUT_BUF];
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	int status = body(ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ikescope: writing the output: %s\n", strerror(errno));
		status = IKE_EXIT_INPUT;
	}
	return status;
}
