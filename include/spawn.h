/* SPDX-License-Identifier: MIT */
/* fork/exec of a service or test: own session, clean signals, stdio, exec errors reported. */
#ifndef ZINIT_SPAWN_H
#define ZINIT_SPAWN_H

#include <sys/types.h>

struct spawn_req {
	char *const *argv;  /* argv[0] is looked up in the PATH of envp (else a default) */
	char *const *envp;
	const char *dir;    /* working directory; NULL means "/" */
	int out_fd;         /* becomes the child's fd 1 */
	int err_fd;         /* becomes the child's fd 2 */
};

/* Which step failed, for the message: "fork", "chdir" or "exec". */
struct spawn_error {
	const char *step;
	int err; /* errno */
};

/**
 * spawn_start() - start @req as a new process and wait until it has exec'd or failed. The
 * child is cloned with CLONE_VM|CLONE_VFORK (as glibc's posix_spawn: no page tables copied;
 * zinit resumes when the child has exec'd, a few tens of microseconds), or forked in
 * sanitizer builds. It leads a new session and process group, starts with default signal
 * dispositions and an empty mask, keeps fd 0, gets out_fd/err_fd as 1/2, and has no other
 * descriptor. A failing chdir or exec is reported through a close-on-exec pipe, so the
 * caller learns it here. The caller must register the pid with the reaper before returning
 * to the loop.
 * Return: the pid, or -errno with @err filled in.
 */
pid_t spawn_start(const struct spawn_req *req, struct spawn_error *err);

/**
 * spawn_raise_fd_limit() - raise zinit's own soft RLIMIT_NOFILE to the hard limit (each
 * service holds pipes in zinit); children still start with the limit zinit was given.
 */
void spawn_raise_fd_limit(void);

#endif
