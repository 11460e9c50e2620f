/*
 * svg_opt.c — `--svg FILE` of exchanges, correlate and compare: build the
 * ladder from the command's model and write it. One place, so the three
 * commands say the same things when the file cannot be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ikescope/compare.h"
#include "ikescope/correlate.h"
#include "ikescope/ladder.h"

int ike_cli_write_ladder(const char *path, const struct ike_ladder *l)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "ikescope: %s: %s\n", path, strerror(errno));
		return IKE_EXIT_INPUT;
	}
	int rc = ike_svg_ladder(f, l);
	int err = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		fprintf(stderr, "ikescope: %s: writing failed: %s\n", path, strerror(err));
		return IKE_EXIT_INPUT;
	}
	return 0;
}

/* Builds with build() and writes; out of memory is reported like a write failure. */
static int finish(const char *path, struct ike_ladder *l, enum ike_err built)
{
	int status;
	if (built != IKE_OK) {
		fprintf(stderr, "ikescope: %s: out of memory while drawing\n", path);
		status = IKE_EXIT_INPUT;
	} else {
		status = ike_cli_write_ladder(path, l);
	}
	ike_ladder_free(l);
	return status;
}

int ike_cli_svg_compare(const char *path, const struct ike_compare *c)
{
	struct ike_ladder *l = ike_ladder_new(NULL);
	return finish(path, l, l ? ike_ladder_from_compare(l, c) : IKE_E_NOMEM);
}

int ike_cli_svg_correlate(const char *path, const struct ike_corr *c, const struct ike_corr_names *names)
{
	/* the drawing names files by their base names, whatever the text or JSON do */
	const char **ln = calloc(names->n_logs + 1, sizeof(*ln)), **cn = calloc(names->n_captures + 1, sizeof(*cn));
	struct ike_ladder *l = ike_ladder_new(NULL);
	enum ike_err err = IKE_E_NOMEM;
	if (ln && cn && l) {
		for (size_t i = 0; i < names->n_logs; i++)
			ln[i] = ike_cli_base_name(names->logs[i]);
		for (size_t i = 0; i < names->n_captures; i++)
			cn[i] = ike_cli_base_name(names->captures[i]);
		struct ike_corr_names base = {ln, names->n_logs, cn, names->n_captures};
		err = ike_ladder_from_corr(l, c, &base);
	}
	free(ln);
	free(cn);
	if (!l) {
		fprintf(stderr, "ikescope: %s: out of memory while drawing\n", path);
		return IKE_EXIT_INPUT;
	}
	return finish(path, l, err);
}
