/* SPDX-License-Identifier: MIT */
/* The zinit command-line verbs that talk to a running `zinit init` (and `check`). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "ctl_client.h"
#include "ctl_proto.h"
#include "graph.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"
#include "yamlout.h"

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zinit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs(" (see zinit --help)\n", stderr);
	va_end(ap);
	return CLI_USAGE;
}

bool cli_is_option(const char *arg, const char *short_name, const char *long_name)
{
	size_t n = strlen(long_name);
	return strcmp(arg, short_name) == 0 || strcmp(arg, long_name) == 0 ||
	       (strncmp(arg, long_name, n) == 0 && arg[n] == '=');
}

const char *cli_option_value(int argc, char **argv, int *i)
{
	const char *eq = strchr(argv[*i], '=');
	if (eq && argv[*i][1] == '-')
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

int cli_config_option(int argc, char **argv, int *i, const char **dir)
{
	const char *a = argv[*i];
	if (!cli_is_option(a, "-c", "--config"))
		return 0;
	if (!(*dir = cli_option_value(argc, argv, i))) {
		cli_usage_error("option %s needs a directory", a);
		return -1;
	}
	return 1;
}

/*
 * Prints one line to @f escaped as zinit's own messages are (log_escape()): what a unit file
 * holds (a key, a value, an `after` name), or an error zinit sent, reaches the terminal with
 * its control bytes made visible, printable UTF-8 as it is.
 */
__attribute__((format(printf, 2, 3)))
static void say_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	int n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort(); /* out of memory, as xmalloc() */
	size_t cap = 4 * (size_t)n + 1; /* a byte is at most "\xNN", two are at most "\u009b" */
	char *shown = xmalloc(cap);
	size_t len = log_escape(text, (size_t)n, shown, cap);
	fwrite(shown, 1, len, f);
	fputc('\n', f);
	free(shown);
	free(text);
}

static int fail(const char *msg)
{
	say_line(stderr, "zinit: %s", msg);
	return CLI_FAILED;
}

/* Connects, calls @method, and returns the result or NULL after printing the error. */
static json_t *call(const struct cli_opts *o, const char *method, json_t *params)
{
	struct ctl_client c;
	char err[2048];
	if (ctl_client_connect(&c, o->socket, err, sizeof(err)) < 0) {
		json_decref(params);
		fail(err);
		return NULL;
	}
	json_t *r = ctl_client_call(&c, method, params, err, sizeof(err));
	ctl_client_close(&c);
	if (!r)
		fail(err);
	return r;
}

static void print_json(const json_t *v)
{
	char *s = ctl_encode(v, true, NULL);
	fputs(s, stdout);
	free(s);
}

/* For the verbs that print nothing: call, print the result only with --json. */
static int call_quiet(const struct cli_opts *o, const char *method, json_t *params)
{
	json_t *r = call(o, method, params);
	if (!r)
		return CLI_FAILED;
	if (o->json)
		print_json(r);
	json_decref(r);
	return CLI_OK;
}

/* Exactly one operand (a service name) after the verb. */
static const char *one_name(int argc, char **argv)
{
	if (argc != 2) {
		cli_usage_error("%s takes exactly one service name", argv[0]);
		return NULL;
	}
	return argv[1];
}

int cli_list(const struct cli_opts *o, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("list takes no operand, got '%s'", argv[1]);
	json_t *r = call(o, "service_list", NULL);
	if (!r)
		return CLI_FAILED;
	if (o->json) {
		print_json(r);
	} else {
		fputs("---\n", stdout);
		if (json_object_size(r) == 0)
			fputs("{}\n", stdout);
		const char *name;
		json_t *state;
		json_object_foreach(r, name, state) {
			yaml_write_scalar(stdout, name);
			fputs(": ", stdout);
			yaml_write_scalar(stdout, json_string_value(state));
			fputc('\n', stdout);
		}
	}
	json_decref(r);
	return CLI_OK;
}

static void print_status_yaml(json_t *r)
{
	fputs("---\nname: ", stdout);
	yaml_write_scalar(stdout, json_string_value(json_object_get(r, "name")));
	printf("\npid: %lld\nstate: ", (long long)json_integer_value(json_object_get(r, "pid")));
	yaml_write_scalar(stdout, json_string_value(json_object_get(r, "state")));
	fputs("\ntarget: ", stdout);
	yaml_write_scalar(stdout, json_string_value(json_object_get(r, "target")));
	json_t *after = json_object_get(r, "after");
	if (json_object_size(after) == 0) {
		fputs("\nafter: {}\n", stdout);
		return;
	}
	fputs("\nafter:\n", stdout);
	const char *dep;
	json_t *state;
	json_object_foreach(after, dep, state) {
		fputs("  ", stdout);
		yaml_write_scalar(stdout, dep);
		fputs(": ", stdout);
		yaml_write_scalar(stdout, json_string_value(state));
		fputc('\n', stdout);
	}
}

/* A verb taking one service name: @method's result, raw with --json, else through @print. */
static int show_one(const struct cli_opts *o, int argc, char **argv, const char *method,
		    void (*print)(json_t *))
{
	const char *name = one_name(argc, argv);
	if (!name)
		return CLI_USAGE;
	json_t *r = call(o, method, json_pack("[s]", name));
	if (!r)
		return CLI_FAILED;
	if (o->json)
		print_json(r);
	else
		print(r);
	json_decref(r);
	return CLI_OK;
}

int cli_status(const struct cli_opts *o, int argc, char **argv)
{
	return show_one(o, argc, argv, "service_status", print_status_yaml);
}

/* A CPU percentage as serde_yaml writes an f32: the shortest text that reads back as the same
 * f32, with ".0" added to a whole number ("0.0", "12.5", "3.3333333"). */
static void print_cpu(double cpu)
{
	float f = (float)cpu;
	char buf[32];
	for (int digits = 1; digits <= 9; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, (double)f);
		if (strtof(buf, NULL) == f)
			break;
	}
	fputs(buf, stdout);
	if (!strpbrk(buf, ".en")) /* e: 1e+20, n: nan, inf */
		fputs(".0", stdout);
}

/* One process's "pid:", "memory_usage:" and "cpu_usage:" lines, the first after @first. */
static void print_usage(const json_t *p, const char *first, const char *indent)
{
	printf("%spid: %lld\n%smemory_usage: %lld\n%scpu_usage: ", first,
	       (long long)json_integer_value(json_object_get(p, "pid")), indent,
	       (long long)json_integer_value(json_object_get(p, "memory_usage")), indent);
	print_cpu(json_number_value(json_object_get(p, "cpu_usage")));
	fputc('\n', stdout);
}

/* zinit's `stats` output: serde_yaml of {name, pid, memory_usage, cpu_usage, children}. */
static void print_stats_yaml(json_t *r)
{
	fputs("---\nname: ", stdout);
	yaml_write_scalar(stdout, json_string_value(json_object_get(r, "name")));
	fputc('\n', stdout);
	print_usage(r, "", "");
	json_t *children = json_object_get(r, "children"), *child;
	size_t i;
	if (json_array_size(children) == 0) {
		fputs("children: []\n", stdout);
		return;
	}
	fputs("children:\n", stdout);
	json_array_foreach(children, i, child)
		print_usage(child, "  - ", "    ");
}

int cli_stats(const struct cli_opts *o, int argc, char **argv)
{
	return show_one(o, argc, argv, "service_stats", print_stats_yaml);
}

int cli_simple(const struct cli_opts *o, int argc, char **argv)
{
	const char *name = one_name(argc, argv);
	if (!name)
		return CLI_USAGE;
	char method[64];
	snprintf(method, sizeof(method), "service_%s", argv[0]);
	return call_quiet(o, method, json_pack("[s]", name));
}

int cli_kill(const struct cli_opts *o, int argc, char **argv)
{
	if (argc < 2 || argc > 3)
		return cli_usage_error("kill takes a service name and an optional signal");
	return call_quiet(o, "service_kill",
			  json_pack("[ss]", argv[1], argc == 3 ? argv[2] : "SIGTERM"));
}

int cli_power(const struct cli_opts *o, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("%s takes no operand", argv[0]);
	return call_quiet(o, strcmp(argv[0], "reboot") == 0 ? "system_reboot" : "system_shutdown",
			  NULL);
}

static void print_line(const struct cli_opts *o, json_t *line)
{
	if (o->json) {
		print_json(line);
	} else { /* the bytes as the service wrote them, NUL included */
		fwrite(json_string_value(line), 1, json_string_length(line), stdout);
		putchar('\n');
	}
	fflush(stdout);
}

/* Prints the snapshot answer, then (if following) every notification until zinit ends the
 * subscription as it exits: the end of the log, not an error. An error answer to either
 * request (zinit over its memory budget, say) fails with its message, and so does an EOF
 * without that end (zinit cut this client, or died): following never ends on its own. */
static int stream_logs(const struct cli_opts *o, struct ctl_client *c, int snap_id, bool follow)
{
	json_t *msg;
	bool shown = false; /* the snapshot */
	while ((msg = ctl_client_read(c))) {
		json_t *id = json_object_get(msg, "id");
		json_t *params = json_object_get(msg, "params");
		json_t *error = json_object_get(msg, "error");
		if (error) {
			char m[2048];
			ctl_client_error_text(error, m, sizeof(m));
			int r = fail(m);
			json_decref(msg);
			return r;
		}
		if (json_is_integer(id) && json_integer_value(id) == snap_id) {
			size_t i;
			json_t *line;
			json_array_foreach(json_object_get(msg, "result"), i, line)
				print_line(o, line);
			shown = true;
			if (!follow) {
				json_decref(msg);
				return CLI_OK;
			}
		} else if (params && json_object_get(params, "error")) {
			json_decref(msg); /* the subscription's end: "zinit is exiting" */
			return CLI_OK;
		} else if (params) {
			print_line(o, json_object_get(params, "result"));
		}
		json_decref(msg);
	}
	/* zinit exited, or cut this client: following ends, and says so */
	return fail(follow && shown ? "the connection to zinit closed while following the log" :
				      "the connection to zinit closed before it answered");
}

/* The params of a log request: the service's name, or none for every service's lines. */
static json_t *log_filter(const char *name)
{
	return name ? json_pack("[s]", name) : NULL;
}

int cli_log(const struct cli_opts *o, int argc, char **argv)
{
	bool follow = true;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 || strcmp(argv[i], "--snapshot") == 0)
			follow = false;
		else if (argv[i][0] == '-' || name)
			return cli_usage_error("log: unexpected argument '%s'", argv[i]);
		else
			name = argv[i];
	}
	if (name) { /* as zinit >= 0.2.11: an unknown service is an error, not a silent hang */
		json_t *st = call(o, "service_status", json_pack("[s]", name));
		if (!st)
			return CLI_FAILED;
		json_decref(st);
	}
	struct ctl_client c;
	char err[512];
	if (ctl_client_connect(&c, o->socket, err, sizeof(err)) < 0)
		return fail(err);
	/* Both requests go in one write, so the server reads them in one go: no line falls
	 * between the snapshot and the subscription. */
	int snap = follow ? ctl_client_queue(&c, "stream_currentLogs", log_filter(name))
			  : ctl_client_send(&c, "stream_currentLogs", log_filter(name));
	int sub = follow && snap >= 0 ?
		  ctl_client_send(&c, "stream_subscribeLogs", log_filter(name)) : 0;
	if (snap < 0 || sub < 0) {
		ctl_client_close(&c);
		snprintf(err, sizeof(err), "cannot send the request to zinit: %s (it closed the "
					   "connection)", strerror(-(snap < 0 ? snap : sub)));
		return fail(err);
	}
	int r = stream_logs(o, &c, snap, follow);
	ctl_client_close(&c);
	return r;
}

int cli_healthcheck(const struct cli_opts *o, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage_error("%s takes no operand", argv[0]);
	json_t *r = call(o, "system_health", NULL);
	if (!r)
		return CLI_FAILED;
	bool healthy = json_is_true(json_object_get(r, "healthy"));
	if (o->json) {
		print_json(r);
	} else if (!healthy) {
		fputs("zinit: unhealthy:", stderr);
		size_t i;
		json_t *u;
		json_array_foreach(json_object_get(r, "unhealthy"), i, u)
			fprintf(stderr, "%s %s (%s)", i ? "," : "",
				json_string_value(json_object_get(u, "name")),
				json_string_value(json_object_get(u, "state")));
		fputc('\n', stderr);
	}
	json_decref(r);
	return healthy ? CLI_OK : CLI_FAILED;
}

/* ---- check: validate a unit directory without running anything ---------------------------- */

static void check_problem(void *ctx, const char *msg)
{
	say_line(stdout, "%s", msg);
	++*(int *)ctx;
}

static void check_warning(void *ctx, const char *msg)
{
	(void)ctx;
	say_line(stdout, "%s", msg);
}

static void check_cycle(void *ctx, const char *cycle)
{
	say_line(stdout, "dependency cycle: %s", cycle);
	++*(int *)ctx;
}

/*
 * Reports, counted in *@problems, every command zinit could not run (`exec: sleep "100`). The
 * unit stays in the graph: init loads it too, lists it in its start order and fails it when
 * it starts, and check's start order must be init's.
 */
static void check_commands(const struct config *cfg, int *problems)
{
	for (size_t i = 0; i < cfg->n; i++)
		unit_command_problems(cfg->units[i], check_problem, problems);
}

/* The unknown dependency @name of @unit: a name with no file, or a file that did not load. */
static void check_unknown_dep(const char *dir, const struct unit *unit, const char *name)
{
	char *why = config_unknown_dep(dir, name);
	say_line(stdout, "%s: after %s, %s", unit->path, name, why);
	free(why);
}

/* Cycles and unknown dependencies (each counted in *@problems), then the start order. */
static void check_graph(const char *dir, const struct config *cfg, int *problems)
{
	struct graph *g = graph_new();
	for (size_t i = 0; i < cfg->n; i++)
		graph_add(g, cfg->units[i]->name, (const char *const *)cfg->units[i]->after,
			  cfg->units[i]->nafter);
	graph_analyze(g, check_cycle, problems);
	for (size_t i = 0; i < cfg->n; i++) {
		const char *const *unknown;
		int id = graph_find(g, cfg->units[i]->name);
		size_t n = graph_unknown_deps(g, id, &unknown);
		for (size_t k = 0; k < n; k++) {
			check_unknown_dep(dir, cfg->units[i], unknown[k]);
			++*problems;
		}
	}
	struct strbuf order = { 0 };
	graph_describe_order(g, &order);
	say_line(stdout, "start order: %s", strbuf_str(&order));
	strbuf_free(&order);
	graph_free(g);
}

int cli_check(const struct cli_opts *o, int argc, char **argv)
{
	(void)o;
	const char *dir = "/etc/zinit";
	for (int i = 1; i < argc; i++) {
		int c = cli_config_option(argc, argv, &i, &dir);
		if (c < 0)
			return CLI_USAGE;
		if (c == 0)
			return cli_usage_error("check: unexpected argument '%s'", argv[i]);
	}
	struct config cfg;
	int problems = 0;
	int r = config_load_dir(dir, &cfg, check_problem, check_warning, &problems);
	if (r < 0) { /* as `init -c DIR`: a config directory that cannot be read is a usage error */
		say_line(stderr, "zinit: config directory '%s': %s", dir, strerror(-r));
		return CLI_USAGE;
	}
	check_commands(&cfg, &problems);
	check_graph(dir, &cfg, &problems);
	printf("%zu unit%s, %d problem%s\n", cfg.n, cfg.n == 1 ? "" : "s", problems,
	       problems == 1 ? "" : "s");
	config_free(&cfg);
	return problems ? CLI_FAILED : CLI_OK;
}

/* ---- qsfs status ------------------------------------------------------------------------ */

static json_int_t int_of(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* ago() - "12s ago" for a wall-clock time in seconds (a JSON real), or "never". */
static const char *ago(const json_t *when, char *buf, size_t len)
{
	struct timespec now;
	if (!json_is_number(when))
		return "never";
	clock_gettime(CLOCK_REALTIME, &now);
	long long secs = (long long)now.tv_sec - (long long)json_number_value(when);
	snprintf(buf, len, "%llds ago", secs > 0 ? secs : 0); /* clocks may disagree a little */
	return buf;
}

static void print_qsfs_status(const json_t *r)
{
	const json_t *last = json_object_get(r, "last_upload"), *drain = json_object_get(r, "drain");
	const char *err = json_string_value(json_object_get(r, "last_error"));
	char t1[32], t2[32];

	printf("wait_hooks:      %s\n", json_is_string(json_object_get(r, "wait_hooks"))
					 ? json_string_value(json_object_get(r, "wait_hooks"))
					 : "(no unit of that name: the state below is of a wait-hooks zinit does not run)");
	printf("phase:           %s (updated %s, pid %lld)\n",
	       json_string_value(json_object_get(r, "phase")),
	       ago(json_object_get(r, "updated"), t1, sizeof(t1)), (long long)int_of(r, "pid"));
	printf("pending uploads: %lld\n", (long long)int_of(r, "pending"));
	printf("failed:          %lld%s%s\n", (long long)int_of(r, "failed"),
	       err ? "; last error: " : "", err ? err : "");
	if (json_is_object(last))
		printf("last upload:     %s (%s)\n", json_string_value(json_object_get(last, "key")),
		       ago(json_object_get(last, "time"), t2, sizeof(t2)));
	else
		printf("last upload:     never\n");
	printf("uploaded:        %lld files, %.1f MiB\n", (long long)int_of(r, "uploads"),
	       (double)int_of(r, "bytes_uploaded") / (1024.0 * 1024.0));
	printf("restored:        %lld files\n", (long long)int_of(r, "restored"));
	if (json_is_object(drain))
		printf("drain:           %lld/%lld files, %lld failed\n",
		       (long long)int_of(drain, "done"), (long long)int_of(drain, "total"),
		       (long long)int_of(drain, "failed"));
	printf("state file:      %s\n", json_string_value(json_object_get(r, "state_file")));
}

int cli_qsfs(const struct cli_opts *o, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "status") != 0)
		return cli_usage_error("qsfs takes one operand: status");
	json_t *r = call(o, "qsfs_status", NULL);
	if (!r)
		return CLI_FAILED;
	const char *why = json_string_value(json_object_get(r, "status_error"));
	int rc = why ? CLI_FAILED : CLI_OK;
	if (o->json)
		print_json(r);
	else if (why)
		fprintf(stderr, "zinit: no QSFS status (wait_hooks %s): %s\n",
			json_is_string(json_object_get(r, "wait_hooks"))
				? json_string_value(json_object_get(r, "wait_hooks"))
				: "is not a unit",
			why);
	else
		print_qsfs_status(r);
	json_decref(r);
	return rc;
}
