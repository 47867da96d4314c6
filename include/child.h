/* SPDX-License-Identifier: MIT */
/* One child process of the daemon: spawned, watched by the reaper, its output logged, timed. */
#ifndef ZINIT_CHILD_H
#define ZINIT_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <uv.h>

#include "unit.h"

struct child;

/* How a child ended. */
struct child_exit {
	pid_t pid;
	int status;      /* its wait status; 0 when !started */
	bool started;    /* false: it could not chdir or exec after all (already logged) */
	bool timed_out;  /* its timeout fired and its group was sent SIGKILL */
};

/* Told once when the child has ended; its struct child is freed right after. */
typedef void (*child_exit_fn)(void *ctx, const struct child_exit *ex);
/* Told when the timeout fires, just before SIGKILL goes to the child's group. */
typedef void (*child_timeout_fn)(void *ctx, pid_t pid);

struct child_opts {
	char *const *argv;      /* argv[0] is looked up in the PATH of envp */
	char *const *envp;
	const char *dir;        /* working directory; NULL means "/" */
	const char *tag;        /* output lines are stored as "[+] TAG: line"; names it in errors */
	enum unit_log log;      /* where its stdout and stderr go */
	bool tty;               /* its stdout is a pseudo-terminal (see logstream_open()) */
	child_exit_fn on_exit;  /* required */
	void *ctx;              /* for on_exit and on_timeout */
	uint64_t timeout_ms;    /* 0: none; else SIGKILL to its group after this long */
	child_timeout_fn on_timeout; /* may be NULL */
};

/** child_init() - timeouts run on @loop. */
void child_init(uv_loop_t *loop);

/**
 * child_start() - start @opts->argv as a process of its own (spawn_start(): own session,
 * clean signals), its output through the log streams, its exit sent to @opts->on_exit. A
 * failure to start is logged as "TAG failed to start: STEP SUBJECT: ERROR". Inside a spawn
 * batch a failure found when the batch settles arrives through on_exit with started false.
 * @handle (may be NULL) receives the child for child_abandon(); it is valid until on_exit.
 * Return: the pid, or a negative errno (already logged).
 */
pid_t child_start(const struct child_opts *opts, struct child **handle);

/**
 * child_abandon() - SIGKILL to the child's group and forget it: on_exit is never called, its
 * exit is reaped as an orphan's. Frees @c.
 */
void child_abandon(struct child *c);

/** child_signal_group() - send @sig to the process group led by @pid (to @pid if none). */
void child_signal_group(pid_t pid, int sig);

/** child_close_all() - forget every child, unsignalled (at exit, before the loop closes). */
void child_close_all(void);

#endif
