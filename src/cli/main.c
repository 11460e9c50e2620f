/*
 * main.c — ikescope's entry point: global options and the command table.
 * Each command lives in its own file and parses its own options; a command
 * is listed here once it exists, so --help shows only what works.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct ike_cli_command commands[] = {
	{"dissect", ike_cli_dissect, "one line per IKE message (-V: the full payload tree)"},
	{"exchanges", ike_cli_exchanges, "per IKE SA, every exchange: request, retransmissions, response, outcome"},
	{"keys", ike_cli_keys, "IKE SA keys harvested from charon ike=4 logs, matched to SPIs"},
	{"correlate", ike_cli_correlate, "charon logs and captures on one timeline, linked, and a verdict per tunnel"},
	{"config", ike_cli_config, "proposals and timers of vEdge, IOS XE or strongSwan configs; whether two ends agree"},
	{"compare", ike_cli_compare, "each message across captures of one path: where it was seen, where a lost one died"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

int ike_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "ikescope%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ikescope%s%s --help'.\n", cmd ? " " : "", cmd ? cmd : "");
	return IKE_EXIT_USAGE;
}

static void usage(FILE *f)
{
	fputs("Usage: ikescope COMMAND [OPTION]...\n"
	      "       ikescope COMMAND --help\n"
	      "       ikescope --help | --version\n"
	      "\n"
	      "Decodes IKEv2 traffic in packet captures.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Times are printed in UTC. Exit status: 0 ran fine (whatever the captures\n"
	      "hold), 1 bad usage, 2 unreadable or invalid input. See ikescope(1).\n",
	      f);
}

static const struct ike_cli_command *find(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		usage(stderr);
		return IKE_EXIT_USAGE;
	}
	const char *arg = argv[1];
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
		usage(stdout);
		return IKE_EXIT_OK;
	}
	if (strcmp(arg, "--version") == 0) {
		printf("ikescope %s\n", IKESCOPE_VERSION);
		return IKE_EXIT_OK;
	}
	if (strcmp(arg, "help") == 0) {
		if (argc == 2) {
			usage(stdout);
			return IKE_EXIT_OK;
		}
		const struct ike_cli_command *c = find(argv[2]);
		if (!c)
			return ike_cli_usage_error(NULL, "'%s' is not an ikescope command", argv[2]);
		char help[] = "--help";
		char *hargv[] = {argv[2], help, NULL};
		return c->run(2, hargv);
	}
	if (arg[0] == '-')
		return ike_cli_usage_error(NULL, "unknown option '%s'", arg);
	const struct ike_cli_command *c = find(arg);
	if (!c)
		return ike_cli_usage_error(NULL, "'%s' is not an ikescope command", arg);
	return c->run(argc - 1, argv + 1);
}
