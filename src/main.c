/* SPDX-License-Identifier: MIT */
/* The multi-call entry point: global options, then a verb from the command table. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "supervisor.h"

#define ZINIT_VERSION "0.1.0"
#define DEFAULT_SOCKET "/var/run/zinit.sock"
#define DEFAULT_CONFIG "/etc/zinit"
#define DEFAULT_RING_LINES 2000
#define EXIT_USAGE 2

struct globals {
	const char *socket;
	bool debug;
};

struct verb {
	const char *name;
	int (*run)(const struct globals *g, int argc, char **argv);
	const char *usage;
};

static int cmd_init(const struct globals *g, int argc, char **argv);

static const struct verb verbs[] = {
	{ "init", cmd_init, "init [-c DIR] [-b LINES] [--container]" },
};

static void usage(FILE *to)
{
	fprintf(to, "usage: zinit [-s SOCKET] [-d] VERB [ARGS]\n"
		    "       zinit --help | --version\n\n"
		    "global options:\n"
		    "  -s, --socket SOCKET  control socket (default " DEFAULT_SOCKET ")\n"
		    "  -d, --debug          print debug messages\n\n"
		    "verbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(to, "  zinit %s\n", verbs[i].usage);
	fprintf(to, "\ninit options:\n"
		    "  -c, --config DIR     unit directory (default " DEFAULT_CONFIG ")\n"
		    "  -b, --buffer LINES   log lines kept in memory (default %d)\n"
		    "  --container          exit after the shutdown drain instead of powering off\n",
		    DEFAULT_RING_LINES);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "zinit: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see zinit --help)\n");
	return EXIT_USAGE;
}

/* The value of option @argv[*i]: "--opt=value" or the next argument. */
static const char *option_value(int argc, char **argv, int *i)
{
	const char *eq = strchr(argv[*i], '=');
	if (eq && argv[*i][1] == '-')
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool is_option(const char *arg, const char *short_name, const char *long_name)
{
	size_t n = strlen(long_name);
	return strcmp(arg, short_name) == 0 || strcmp(arg, long_name) == 0 ||
	       (strncmp(arg, long_name, n) == 0 && arg[n] == '=');
}

static int parse_lines(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > 10000000)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int cmd_init(const struct globals *g, int argc, char **argv)
{
	struct supervisor_opts opts = { DEFAULT_CONFIG, DEFAULT_RING_LINES, false };
	(void)g;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (is_option(a, "-c", "--config")) {
			if (!(opts.config_dir = option_value(argc, argv, &i)))
				return usage_error("option %s needs a directory", a);
		} else if (is_option(a, "-b", "--buffer")) {
			const char *v = option_value(argc, argv, &i);
			if (!v || parse_lines(v, &opts.ring_lines) < 0)
				return usage_error("option -b needs a number of lines, got '%s'",
						   v ? v : "");
		} else if (strcmp(a, "--container") == 0) {
			opts.container = true;
		} else {
			return usage_error("init: unknown option '%s'", a);
		}
	}
	struct stat st;
	if (stat(opts.config_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "zinit: config directory '%s': %s\n", opts.config_dir,
			errno && !(errno == 0) ? strerror(errno) : "not a directory");
		return EXIT_USAGE;
	}
	return supervisor_run(&opts);
}

int main(int argc, char **argv)
{
	struct globals g = { DEFAULT_SOCKET, false };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("zinit %s\n", ZINIT_VERSION);
			return 0;
		} else if (strcmp(a, "-d") == 0 || strcmp(a, "--debug") == 0) {
			g.debug = true;
		} else if (is_option(a, "-s", "--socket")) {
			if (!(g.socket = option_value(argc, argv, &i)))
				return usage_error("option %s needs a socket path", a);
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	log_set_debug(g.debug);
	if (i >= argc)
		return usage_error("%s", "no verb given");
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (strcmp(argv[i], verbs[v].name) == 0)
			return verbs[v].run(&g, argc - i, argv + i);
	return usage_error("unknown verb '%s'", argv[i]);
}
