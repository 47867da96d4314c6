/* SPDX-License-Identifier: MIT */
/* fork/exec of a service or test: own session, clean signals, stdio, exec errors reported. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

/* What the child writes to the error pipe when a step fails. */
struct child_report {
	int step; /* 0 chdir, 1 exec, 2 stdio */
	int err;
};

static const char *const step_names[] = { "chdir", "exec", "stdio" };

static void close_other_fds(int keep)
{
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	if (close_range((unsigned)keep + 1, ~0U, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = 3; fd < (max > 0 ? max : 1024); fd++)
		if (fd != keep)
			close((int)fd);
}

static void reset_signals(void)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Moves @fd to @target; fd may already be a low number we are about to overwrite. */
static int place_fd(int fd, int target)
{
	if (fd == target)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, target) < 0 ? -1 : 0;
}

static void __attribute__((noreturn)) child_fail(int report_fd, int step)
{
	struct child_report rep = { step, errno };
	while (write(report_fd, &rep, sizeof(rep)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/* Runs in the child: only async-signal-safe calls (execvpe as libuv uses execvp). */
static void __attribute__((noreturn)) child_run(const struct spawn_req *req, int report_fd)
{
	setsid();
	reset_signals();
	/* out/err may sit on 1 or 2 already or on each other's target: lift them above 2 first */
	int out = req->out_fd < 3 ? fcntl(req->out_fd, F_DUPFD_CLOEXEC, 3) : req->out_fd;
	int err = req->err_fd < 3 ? fcntl(req->err_fd, F_DUPFD_CLOEXEC, 3) : req->err_fd;
	if (out < 0 || err < 0 || place_fd(out, 1) < 0 || place_fd(err, 2) < 0)
		child_fail(report_fd, 2);
	close_other_fds(report_fd);
	if (chdir(req->dir ? req->dir : "/") < 0)
		child_fail(report_fd, 0);
	execvpe(req->argv[0], req->argv, req->envp);
	child_fail(report_fd, 1);
}

/* Reads the child's report: 0 when exec succeeded (EOF), else -errno with @err filled. */
static int read_report(int fd, struct spawn_error *err)
{
	struct child_report rep;
	ssize_t n;
	while ((n = read(fd, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rep))
		return 0;
	err->step = step_names[rep.step];
	err->err = rep.err;
	return -rep.err;
}

pid_t spawn_start(const struct spawn_req *req, struct spawn_error *err)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		*err = (struct spawn_error){ "pipe", errno };
		return -err->err;
	}
	/* Block every signal across fork so that no handler of ours runs in the child. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		child_run(req, pipefd[1]);
	}
	int fork_err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		*err = (struct spawn_error){ "fork", fork_err };
		return -fork_err;
	}
	int r = read_report(pipefd[0], err);
	close(pipefd[0]);
	/* A failed child has exited with 127; the reaper collects it like any orphan. */
	return r < 0 ? r : pid;
}
