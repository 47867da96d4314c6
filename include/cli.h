/* SPDX-License-Identifier: MIT */
/* The zinit command-line verbs that talk to a running `zinit init` (and `check`). */
#ifndef ZINIT_CLI_H
#define ZINIT_CLI_H

#include <stdbool.h>

/* Exit statuses of the CLI. */
#define CLI_OK 0
#define CLI_FAILED 1  /* the operation failed, or zinit could not be reached */
#define CLI_USAGE 2   /* the command line itself is wrong */

struct cli_opts {
	const char *socket;
	bool debug;
	bool json;     /* print the raw JSON results */
};

/* Every verb: @argv[0] is the verb, options and operands follow. */
typedef int (*cli_verb_fn)(const struct cli_opts *o, int argc, char **argv);

int cli_list(const struct cli_opts *o, int argc, char **argv);
int cli_status(const struct cli_opts *o, int argc, char **argv);
int cli_stats(const struct cli_opts *o, int argc, char **argv);
int cli_simple(const struct cli_opts *o, int argc, char **argv); /* start stop restart monitor forget */
int cli_kill(const struct cli_opts *o, int argc, char **argv);
int cli_log(const struct cli_opts *o, int argc, char **argv);
int cli_power(const struct cli_opts *o, int argc, char **argv);  /* shutdown reboot */
int cli_check(const struct cli_opts *o, int argc, char **argv);
int cli_healthcheck(const struct cli_opts *o, int argc, char **argv);
int cli_qsfs(const struct cli_opts *o, int argc, char **argv);   /* qsfs status */

/** cli_usage_error() - print "zinit: MESSAGE (see zinit --help)" on stderr; return CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** cli_is_option() - whether @arg is @short_name, @long_name or "@long_name=VALUE". */
bool cli_is_option(const char *arg, const char *short_name, const char *long_name);
/** cli_option_value() - the value of option @argv[*i]: after '=' in "--opt=VALUE", else the
 *  next argument (*@i then points at it); NULL when there is none. */
const char *cli_option_value(int argc, char **argv, int *i);
/**
 * cli_config_option() - the -c DIR / --config DIR / --config=DIR option of `init` and `check`:
 * 1 when @argv[*i] is it (*@dir set, *@i on its last word), 0 when it is another argument,
 * -1 after the usage error "option -c needs a directory" when DIR is missing.
 */
int cli_config_option(int argc, char **argv, int *i, const char **dir);

#endif
