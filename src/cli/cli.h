/*
 * cli.h — what the command table in main.c needs from each command file.
 * Commands return the process exit status: 0 ran fine (whatever it found),
 * 1 bad usage, 2 unreadable or invalid input.
 */
#ifndef IKESCOPE_CLI_H
#define IKESCOPE_CLI_H

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

int ike_cli_dissect(int argc, char *argv[]);
int ike_cli_exchanges(int argc, char *argv[]);
int ike_cli_keys(int argc, char *argv[]);

#endif
