/* SPDX-License-Identifier: MIT */
/* The multi-call entry point: the program name (argv[0]), else global options and a verb. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "log.h"
#include "init.h"
#include "qsfs/follow.h"
#include "qsfs/ns.h"
#include "qsfs/probe.h"
#include "qsfs/qsfs.h"

#define ZINIT_VERSION "0.1.0"
#define DEFAULT_SOCKET "/var/run/zinit.sock"
#define DEFAULT_CONFIG "/etc/zinit"
#define DEFAULT_RING_LINES 2000
#define DEFAULT_RING_BYTES (1024 * 1024) /* 2000 x 64 KiB lines would be 128 MB (issue 11) */
#define EXIT_USAGE 2

struct verb {
	const char *name;
	cli_verb_fn run;
	const char *usage;
};

static int cmd_init(const struct cli_opts *g, int argc, char **argv);
static int cmd_help(const struct cli_opts *g, int argc, char **argv);

static const struct verb verbs[] = {
	{ "init", cmd_init, "init [-c DIR] [-b LINES] [--container]\n                                run the supervisor (options below)" },
	{ "list", cli_list, "list                    every service and its state" },
	{ "status", cli_status, "status NAME             one service: pid, state, target, after" },
	{ "stats", cli_stats, "stats NAME              its memory and CPU use, and its children's" },
	{ "start", cli_simple, "start NAME              set it Up and start it" },
	{ "stop", cli_simple, "stop NAME               set it Down; returns once it has exited" },
	{ "restart", cli_simple, "restart NAME            stop, then start" },
	{ "monitor", cli_simple, "monitor NAME            load NAME.yaml from the config dir and start it" },
	{ "forget", cli_simple, "forget NAME             drop a stopped service" },
	{ "kill", cli_kill, "kill NAME [SIGNAL]      send a signal (default SIGTERM) to its group" },
	{ "log", cli_log, "log [-s] [NAME]         the log ring, then follow (-s: snapshot only)" },
	{ "shutdown", cli_power, "shutdown                drain every service and exit / power off" },
	{ "reboot", cli_power, "reboot                  drain every service and exit / reboot" },
	{ "check", cli_check, "check [-c DIR]          validate a unit directory, print the start order" },
	{ "healthcheck", cli_healthcheck, "healthcheck             exit 0 if every service is Running (oneshots Success)" },
	{ "ns", qsfs_ns_main, "ns [HOST:PORT|unix:PATH]\n                                NSNEW zdbfs-meta, -data, -temp in zdb (default localhost:9900)" },
	{ "probe", qsfs_probe_main, "probe redis|unix|mount TARGET [FS]\n                                readiness test: PING, socket connect, mount point (of FS) (1 s)" },
	{ "follow", qsfs_follow_main, "follow [--ready SOCK] FILE...\n                                tail -F -n 0 of log files, read to their end at SIGTERM;\n                                SOCK listens once each FILE has its start position" },
	{ "zdb-hook", qsfs_hook_verb, "zdb-hook EVENT ID ARGS...  the 0-db --hook handler (also as a 'zdb-hook' symlink)" },
	{ "qsfs", cli_qsfs, "qsfs status             QSFS: pending uploads, failures, last upload, drain" },
	{ "wait-hooks", qsfs_wait_hooks_verb, "wait-hooks              QSFS: restore, upload, drain on SIGTERM (the wait_hooks unit)" },
	{ "help", cmd_help, "help [VERB]             this help, or VERB's usage line (as zinit's help verb)" },
};

/*
 * Names this binary answers to when called through a symlink: the basename of argv[0] picks
 * a verb, which gets the arguments as they are (no global options, default socket).
 */
struct program {
	const char *name;
	const char *verb;
};

static const struct program programs[] = {
	{ "zdb-hook", "zdb-hook" },
};

static void init_options(FILE *to)
{
	fprintf(to, "\ninit options:\n"
		    "  -c, --config DIR     unit directory (default " DEFAULT_CONFIG ")\n"
		    "  -b, --buffer LINES   log lines kept in memory (default %d)\n"
		    "  --buffer-bytes N     their total size at most, in bytes (default %d)\n"
		    "  --container          exit after the shutdown drain instead of powering off\n",
		    DEFAULT_RING_LINES, DEFAULT_RING_BYTES);
}

static void usage(FILE *to)
{
	fprintf(to, "usage: zinit [-s SOCKET] [-d] VERB [ARGS]\n"
		    "       zinit --help | --version\n\n"
		    "global options:\n"
		    "  -s, --socket SOCKET  control socket (default " DEFAULT_SOCKET ")\n"
		    "  -d, --debug          print debug messages\n"
		    "  --json               print the raw JSON results\n\n"
		    "verbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(to, "  zinit %s\n", verbs[i].usage);
	fprintf(to, "\nThe CLI verbs exit 0 on success, 1 on failure (message on stderr), 2 on a\n"
		    "wrong command line.\n");
	init_options(to);
}


static int parse_count(const char *s, size_t *out, unsigned long long max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int cmd_init(const struct cli_opts *g, int argc, char **argv)
{
	struct init_opts opts = { DEFAULT_CONFIG, g->socket, DEFAULT_RING_LINES, DEFAULT_RING_BYTES,
				  false };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int c = cli_config_option(argc, argv, &i, &opts.config_dir);
		if (c < 0)
			return CLI_USAGE;
		if (c > 0)
			continue;
		if (cli_is_option(a, "-b", "--buffer")) {
			const char *v = cli_option_value(argc, argv, &i);
			if (!v || parse_count(v, &opts.ring_lines, 10000000) < 0)
				return cli_usage_error("option -b needs a number of lines, got '%s'",
						   v ? v : "");
		} else if (cli_is_option(a, "--buffer-bytes", "--buffer-bytes")) {
			const char *v = cli_option_value(argc, argv, &i);
			if (!v || parse_count(v, &opts.ring_bytes, 1ULL << 32) < 0)
				return cli_usage_error("option --buffer-bytes needs a number of bytes "
						       "(at most 4 GiB), got '%s'", v ? v : "");
		} else if (strcmp(a, "--container") == 0) {
			opts.container = true;
		} else {
			return cli_usage_error("init: unknown option '%s'", a);
		}
	}
	struct stat st;
	if (stat(opts.config_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "zinit: config directory '%s': %s\n", opts.config_dir,
			errno && !(errno == 0) ? strerror(errno) : "not a directory");
		return EXIT_USAGE;
	}
	return init_run(&opts);
}

static const struct verb *find_verb(const char *name);

/* `help`: the help of --help; `help VERB`: VERB's usage line (and init's options), as clap's
 * help verb gives a subcommand's help. */
static int cmd_help(const struct cli_opts *g, int argc, char **argv)
{
	(void)g;
	if (argc > 2)
		return cli_usage_error("help takes at most one verb");
	if (argc == 1) {
		usage(stdout);
		return CLI_OK;
	}
	const struct verb *v = find_verb(argv[1]);
	if (!v)
		return cli_usage_error("help: unknown verb '%s'", argv[1]);
	printf("usage: zinit %s\n", v->usage);
	if (v->run == cmd_init)
		init_options(stdout);
	return CLI_OK;
}

/* Removes --json from a verb's arguments (accepted after the verb too); returns the new argc. */
static int strip_json(struct cli_opts *g, int argc, char **argv)
{
	int kept = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			g->json = true;
		else
			argv[kept++] = argv[i];
	}
	argv[kept] = NULL;
	return kept;
}

static const struct verb *find_verb(const char *name)
{
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (strcmp(name, verbs[v].name) == 0)
			return &verbs[v];
	return NULL;
}

/* The verb that @argv0's basename stands for, or NULL when it is not one of the programs. */
static const char *program_verb(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	const char *base = slash ? slash + 1 : argv0;
	for (size_t p = 0; base && p < sizeof(programs) / sizeof(programs[0]); p++)
		if (strcmp(base, programs[p].name) == 0)
			return programs[p].verb;
	return NULL;
}

/* Called as one of the programs: run its verb with the arguments untouched. */
static int run_program(const char *verb, int argc, char **argv)
{
	struct cli_opts g = { DEFAULT_SOCKET, false, false };
	const struct verb *v = find_verb(verb);
	if (!v)
		return cli_usage_error("unknown verb '%s'", verb);
	argv[0] = (char *)v->name; /* a verb reads argv[0] as its own name, never writes it */
	return v->run(&g, argc, argv);
}

int main(int argc, char **argv)
{
	const char *as_program = program_verb(argc > 0 ? argv[0] : NULL);
	if (as_program)
		return run_program(as_program, argc, argv);
	struct cli_opts g = { DEFAULT_SOCKET, false, false };
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
		} else if (strcmp(a, "--json") == 0) {
			g.json = true;
		} else if (cli_is_option(a, "-s", "--socket")) {
			if (!(g.socket = cli_option_value(argc, argv, &i)))
				return cli_usage_error("option %s needs a socket path", a);
		} else {
			return cli_usage_error("unknown option '%s'", a);
		}
	}
	log_set_debug(g.debug);
	if (i >= argc) { /* as zinit: no verb means list */
		static char list[] = "list";
		char *only[] = { list, NULL };
		return cli_list(&g, 1, only);
	}
	const struct verb *v = find_verb(argv[i]);
	if (!v)
		return cli_usage_error("unknown verb '%s'", argv[i]);
	return v->run(&g, strip_json(&g, argc - i, argv + i), argv + i);
}
