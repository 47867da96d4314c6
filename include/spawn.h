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
 * spawn_start() - start @req as a new process. The child is cloned with CLONE_VM|CLONE_VFORK
 * (no page tables copied: zinit resumes once the child has exec'd or failed, a few tens of
 * microseconds), or forked in sanitizer builds, where zinit does not wait. The child leads a new
 * session and process group, starts with default signal dispositions and an empty mask,
 * keeps fd 0, gets out_fd/err_fd as 1/2, and has no other descriptor. If its chdir or exec
 * fails it writes why on a close-on-exec pipe and exits with 127; *@report_fd receives the
 * non-blocking read end of that pipe (readable once the exec happened or failed; see
 * spawn_report(); the caller closes it). The caller must register the pid with the reaper
 * before returning to the loop.
 * Return: the pid, or -errno with @err filled in (the pipe or the fork failed).
 */
pid_t spawn_start(const struct spawn_req *req, int *report_fd, struct spawn_error *err);

/**
 * spawn_report() - read what the child said on @report_fd, without blocking.
 * Return: 1 once the exec has happened (EOF), 0 if not known yet, or -errno with @err
 * filled in when the chdir or the exec failed. Once the child has exited it is never 0.
 */
int spawn_report(int report_fd, struct spawn_error *err);

/**
 * spawn_raise_fd_limit() - raise zinit's own soft RLIMIT_NOFILE to the hard limit (each
 * service holds pipes in zinit); children still start with the limit zinit was given.
 */
void spawn_raise_fd_limit(void);

#endif
