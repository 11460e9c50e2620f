/*
 * common.c — what every command does the same way: reporting a bad option,
 * naming a file in text output, opening a capture (a link type we do not read
 * is a warning and the file is skipped; anything else unreadable is exit 2).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/capture.h"

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
