/* SPDX-License-Identifier: MIT */
/* Starting a service or test: own session, clean signals, stdio, exec errors reported. */
#ifndef ZINIT_SPAWN_H
#define ZINIT_SPAWN_H

#include <sys/types.h>

struct spawn_error;

/* Told, while a batch settles its children (at its end, or when its 16 slots are all in
 * use), that the child @pid could not chdir or exec (it exits 127); must not start a process. */
typedef void (*spawn_fail_fn)(void *owner, pid_t pid, const struct spawn_error *err);

struct spawn_req {
	char *const *argv;  /* argv[0] is looked up in the PATH of envp (else a default) */
	char *const *envp;
	const char *dir;    /* working directory; NULL means "/" */
	int out_fd;         /* becomes the child's fd 1 */
	int err_fd;         /* becomes the child's fd 2 */
	spawn_fail_fn on_fail; /* for a failure found at the end of a batch */
	void *owner;
};

/* Which step failed, for the message: "chdir DIR: ..." or "exec PROG: ...". */
struct spawn_error {
	const char *step;    /* "chdir", "exec", "stdio", "pipe" or "fork" */
	const char *subject; /* the directory or argv[0] */
	int err;             /* errno */
};

/**
 * spawn_start() - start @req as a new process. The child leads a new session and process
 * group, starts with default signal dispositions and an empty mask, keeps fd 0, gets
 * out_fd/err_fd as 1/2, and has no other descriptor. zinit first checks, as execvp would,
 * that the directory can be entered and finds the file to run in the PATH; what fails there
 * is returned at once. The child is cloned with CLONE_VM (no page tables copied; it makes
 * raw system calls only, on a stack of its own) or forked in sanitizer builds. Outside a
 * batch, spawn_start() waits until the child has exec'd, so a failing exec is returned too.
 * Inside a batch it returns at once; children are settled at spawn_batch_end(), or
 * the oldest one when all 16 slots are in use, and req->on_fail hears of each one whose chdir
 * or exec failed after all (a file that is not a valid executable, or a race). The caller
 * must register the pid with the reaper before its next spawn_start() or spawn_batch_end().
 * Return: the pid, or -errno with @err filled in.
 */
pid_t spawn_start(const struct spawn_req *req, struct spawn_error *err);

/**
 * spawn_batch_begin() - from now until spawn_batch_end(), spawn_start() does not wait for
 * each child's exec: zinit prepares the next child while the last one execs. Nothing may
 * return to the event loop inside a batch: until their exec the children hold copies of
 * zinit's descriptors.
 */
void spawn_batch_begin(void);

/**
 * spawn_batch_end() - wait until every child started in the batch has exec'd or failed;
 * report failures through their on_fail.
 */
void spawn_batch_end(void);

/**
 * spawn_raise_fd_limit() - raise zinit's own soft RLIMIT_NOFILE to the hard limit (each
 * service holds pipes in zinit); children still start with the limit zinit was given. Also
 * marks every descriptor zinit inherited close-on-exec, so that a child closes none itself
 * where close_range is missing (see rawsys.h).
 */
void spawn_raise_fd_limit(void);

/* spawn_free() - free the children's stacks (at exit). */
void spawn_free(void);

#endif
