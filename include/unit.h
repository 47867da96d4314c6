/* SPDX-License-Identifier: MIT */
/* One zinit unit file (YAML) -> a plain, fully owned struct unit, with FILE:LINE:COLUMN errors; pure. */
#ifndef ZINIT_UNIT_H
#define ZINIT_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum unit_log {
	UNIT_LOG_RING,   /* default: lines go to the ring only */
	UNIT_LOG_STDOUT, /* lines go to the ring and, prefixed, to zinit's stdout/stderr */
	UNIT_LOG_NONE,   /* `none` or `null`: output discarded */
};

struct unit_env {
	char *key;
	char *value;
};

#define UNIT_DEFAULT_SHUTDOWN_TIMEOUT 10
/* Larger shutdown_timeout values are clamped to this (about 31 years). */
#define UNIT_MAX_SHUTDOWN_TIMEOUT 1000000000ULL
/* At most this many `env` entries and `after` entries per unit (no real unit comes close):
 * each duplicate check compares a name with the earlier ones, so the cost is bounded. */
#define UNIT_MAX_ENV 1024
#define UNIT_MAX_AFTER 1024

/* Where a value starts in its file, 1-based (0 when the key is absent). */
struct unit_pos {
	size_t line, column;
};

/* Every char * is owned by the unit and freed by unit_free(). */
struct unit {
	char *name;                /* file stem: "a.b.yaml" -> "a.b" */
	char *path;                /* the file it was loaded from */
	char *exec;                /* never NULL nor empty */
	char *test;                /* NULL when there is no test */
	struct unit_pos exec_at, test_at; /* where their values are written */
	bool oneshot;
	uint64_t shutdown_timeout; /* seconds */
	int stop_signal;           /* signal number, default SIGTERM */
	enum unit_log log;
	char **after;              /* nafter names, order as written */
	size_t nafter;
	struct unit_env *env;      /* nenv entries, order as written */
	size_t nenv;
	char *dir;                 /* NULL when unset or empty */
	bool tty;                  /* stdout is a pseudo-terminal, not a pipe (our extension) */
};

/* Called once per warning (e.g. an unknown key) with a message "FILE:LINE:COLUMN: text". */
typedef void (*unit_warn_fn)(void *ctx, const char *msg);

/**
 * unit_parse() - parse the YAML text of one unit file.
 * @path:  the file name used in messages.
 * @name:  the unit's name (copied).
 * @text, @len: the file contents.
 * @out:   receives the unit on success.
 * @err, @errlen: on failure receives "FILE:LINE:COLUMN: message" (LINE and COLUMN 1-based).
 * @warn, @ctx: warning callback, may be NULL.
 *
 * Keys: exec (required), test, oneshot (true/false), after (sequence), shutdown_timeout
 * (non-negative integer; 0x/0o/0b prefixes accepted), signal (map with key stop: a signal
 * name accepted by signame_parse()), log (ring | stdout | none | null | ~), env (map of
 * scalars), dir, tty (true/false: stdout on a pseudo-terminal). String keys accept any
 * scalar. Unknown keys produce a warning and are ignored.
 * Errors: YAML syntax errors, a document that is not a mapping, empty file, several
 * documents, duplicate keys, wrong types, missing or empty exec, unknown signal or log value.
 * Return: 0 or -EINVAL.
 */
int unit_parse(const char *path, const char *name, const char *text, size_t len,
	       struct unit **out, char *err, size_t errlen, unit_warn_fn warn, void *ctx);

/**
 * unit_load() - read @path and unit_parse() it, the name being the file's stem
 * ("/etc/zinit/redis.yaml" -> "redis"). A read error is reported as "FILE: strerror".
 * Return: 0, -EINVAL (parse error) or a negative errno from reading.
 */
int unit_load(const char *path, struct unit **out, char *err, size_t errlen,
	      unit_warn_fn warn, void *ctx);

/**
 * unit_command_problems() - report through @report, as "FILE:LINE:COLUMN: KEY: PROBLEM: VALUE"
 * (cmdline_problem()), each command of @u that zinit could not run: `exec`, and `test` unless
 * @u is a oneshot (its test never runs). unit_parse() accepts them, as zinit does: the
 * service fails when it starts; `zinit check` reports them as errors.
 * Return: the number reported (0, 1 or 2).
 */
int unit_command_problems(const struct unit *u, unit_warn_fn report, void *ctx);

/** unit_free() - free a unit; NULL is fine. */
void unit_free(struct unit *u);

#endif
