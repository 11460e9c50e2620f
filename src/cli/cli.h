/*
 * cli.h — what the command table in main.c needs from each command file.
 * Commands return the process exit status: 0 ran fine (whatever it found),
 * 1 bad usage, 2 unreadable or invalid input.
 */
#ifndef IKESCOPE_CLI_H
#define IKESCOPE_CLI_H

#include <stdbool.h>
#include <stdint.h>

#define IKE_EXIT_OK 0
#define IKE_EXIT_USAGE 1
#define IKE_EXIT_INPUT 2

struct ike_cli_command {
	const char *name;
	int (*run)(int argc, char *argv[]); /* argv[0] is the command name */
	const char *summary;                /* one line for `ikescope --help` */
};

/* "ikescope CMD: message" and "Try 'ikescope CMD --help'." on stderr; returns IKE_EXIT_USAGE. */
int ike_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct ike_keyring;
/* Loads the -k files (none: *out stays NULL). Returns -1 to go on, or the
 * exit status when a file cannot be read; bad lines are reported, not fatal. */
int ike_cli_load_keys(const char *const *files, unsigned n, struct ike_keyring **out);
struct ike_keycands;
/* Reads charon logs (-l) for ike=4 key dumps: those the log binds itself go
 * into *ring (created when NULL), the rest stay candidates in *out for the
 * decoder to bind by ICV. Same return convention. */
int ike_cli_load_key_logs(const char *const *logs, unsigned n, struct ike_keyring **ring, struct ike_keycands **out);

/*
 * The inputs the capture commands share: the -r, -k and -l lists (room for one
 * per argument) and the keys loaded from -k files and the logs' ike=4 dumps.
 */
struct ike_cli_inputs {
	const char **caps, **keys, **logs;
	unsigned n_caps, n_keys, n_logs;
	struct ike_keyring *ring;   /* NULL without keys */
	struct ike_keycands *cands; /* the logs' unbound key dumps, NULL without */
};
/* Room for argc arguments. -1 to go on, or IKE_EXIT_INPUT (said on stderr). */
int ike_cli_inputs_init(struct ike_cli_inputs *in, int argc);
/* Loads the -k files, then (with_logs) the -l logs' key dumps. Same convention. */
int ike_cli_inputs_load_keys(struct ike_cli_inputs *in, bool with_logs);
void ike_cli_inputs_free(struct ike_cli_inputs *in);
/* Runs body(ctx) with stdout fully buffered, then flushes it; returns body's
 * status, or IKE_EXIT_INPUT when the output could not be written (said). */
int ike_cli_buffered(int (*body)(void *ctx), void *ctx);

/* The usage error for getopt's ':' (missing argument) or '?' (unknown option). */
int ike_cli_bad_option(const char *cmd, int c, char *argv[]);
/* The file name without its directories (borrowed from path). */
const char *ike_cli_base_name(const char *path);
struct ike_capture;
struct ike_capture_opts;
/* Opens a capture or says why not on stderr: NULL with *status 0 for a link
 * type we skip (a warning), IKE_EXIT_INPUT for a file that cannot be read. */
struct ike_capture *ike_cli_open_capture(const char *path, uint32_t idx, const struct ike_capture_opts *opts,
					 int *status);

/* --svg FILE (svg_opt.c): the ladder of a command's model written to path; 0, or
 * IKE_EXIT_INPUT after saying on stderr why the file could not be written. */
struct ike_ladder;
struct ike_compare;
struct ike_corr;
struct ike_corr_names;
int ike_cli_write_ladder(const char *path, const struct ike_ladder *l);
int ike_cli_svg_compare(const char *path, const struct ike_compare *c);
int ike_cli_svg_correlate(const char *path, const struct ike_corr *c, const struct ike_corr_names *names);

int ike_cli_dissect(int argc, char *argv[]);
int ike_cli_exchanges(int argc, char *argv[]);
int ike_cli_keys(int argc, char *argv[]);
int ike_cli_correlate(int argc, char *argv[]);
int ike_cli_config(int argc, char *argv[]);
struct ike_corr;
/* --config on correlate (config_opt.c): loads the local end's config and the
 * peer's (n is 1 or 2) and appends to each verdict with a configuration cause
 * the config lines to change. Returns 0, or IKE_EXIT_INPUT when a file does
 * not parse (said on stderr). */
int ike_cli_config_explain(struct ike_corr *c, const char *const *files, unsigned n);
struct ike_cfg_file;
/* Loads the --config files (n is 1 or 2; the second is the far end's) into cf[],
 * their notes on stderr as FILE:LINE. Returns 0, or IKE_EXIT_INPUT with the
 * reason on stderr and cf[] empty. Free each with ike_cfg_free(). */
int ike_cli_load_configs(const char *const *files, unsigned n, struct ike_cfg_file *cf[2]);
int ike_cli_compare(int argc, char *argv[]);
struct ike_compare;
/* --config on compare (compare_config.c): the local end's config and the far
 * end's (n is 1 or 2); prints the config lines behind the causes the losses
 * stand for, and the configs' prediction when they cannot agree. Returns 0, or
 * IKE_EXIT_INPUT when a file does not parse (said on stderr). */
int ike_cli_config_compare(const struct ike_compare *c, const char *const *files, unsigned n, bool json);

#endif
