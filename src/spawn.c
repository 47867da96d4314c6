/* SPDX-License-Identifier: MIT */
/* fork/exec of a service or test: own session, clean signals, stdio, exec errors reported. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

/* The descriptor limit children get back (ours is raised, theirs stays as it was). */
static struct rlimit child_nofile;
static bool nofile_raised;

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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

/* The kernel's struct sigaction: glibc's sigaction() refuses signals 32 and 33 (its own). */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* Every signal back to its default disposition (SIG_IGN survives exec), mask emptied. */
static void reset_signals(void)
{
	struct kernel_sigaction dfl = { SIG_DFL, 0, NULL, 0 };
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	uint64_t none = 0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
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

/* PATH from the child's own environment (as Rust's Command when the env sets PATH). */
static const char *child_path(char *const *envp)
{
	for (; envp && *envp; envp++)
		if (strncmp(*envp, "PATH=", 5) == 0)
			return *envp + 5;
	return DEFAULT_PATH;
}

/*
 * The files to try for argv[0], NULL-terminated and malloc'd: argv[0] itself if it holds a
 * '/', else each PATH directory joined with it. Built before fork: the child must not
 * allocate.
 */
static char **exec_candidates(const char *prog, char *const *envp)
{
	const char *path = child_path(envp);
	size_t n = 2;
	for (const char *p = path; *p; p++)
		n += *p == ':';
	char **c = xcalloc(n + 1, sizeof(*c));
	if (strchr(prog, '/')) {
		c[0] = xstrdup(prog);
		return c;
	}
	size_t k = 0, plen = strlen(prog);
	for (const char *dir = path;; dir++) {
		const char *end = strchrnul(dir, ':');
		size_t dlen = (size_t)(end - dir);
		char *f = xmalloc(dlen + plen + 3);
		memcpy(f, dlen ? dir : ".", dlen ? dlen : 1);
		size_t at = dlen ? dlen : 1;
		f[at++] = '/';
		memcpy(f + at, prog, plen + 1);
		c[k++] = f;
		if (!*end)
			break;
		dir = end;
	}
	return c;
}

static void free_candidates(char **c)
{
	for (char **p = c; *p; p++)
		free(*p);
	free(c);
}

/* execve each candidate in turn, as execvp: the most telling errno is kept. */
static void exec_first(char **files, char *const *argv, char *const *envp)
{
	int err = ENOENT;
	for (char **f = files; *f; f++) {
		execve(*f, argv, envp);
		if (errno != ENOENT && errno != ENOTDIR)
			err = errno;
		if (errno == ENOEXEC || errno == ENOMEM || errno == E2BIG)
			break;
	}
	errno = err;
}

/* Runs in the child: only async-signal-safe calls. */
static void __attribute__((noreturn)) child_run(const struct spawn_req *req, char **files,
						int report_fd)
{
	setsid();
	reset_signals();
	/* out/err may sit on 1 or 2 already or on each other's target: lift them above 2 first */
	int out = req->out_fd < 3 ? fcntl(req->out_fd, F_DUPFD_CLOEXEC, 3) : req->out_fd;
	int err = req->err_fd < 3 ? fcntl(req->err_fd, F_DUPFD_CLOEXEC, 3) : req->err_fd;
	if (out < 0 || err < 0 || place_fd(out, 1) < 0 || place_fd(err, 2) < 0)
		child_fail(report_fd, 2);
	close_other_fds(report_fd);
	if (nofile_raised)
		setrlimit(RLIMIT_NOFILE, &child_nofile);
	if (chdir(req->dir ? req->dir : "/") < 0)
		child_fail(report_fd, 0);
	exec_first(files, req->argv, req->envp);
	child_fail(report_fd, 1);
}

void spawn_raise_fd_limit(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) < 0 || r.rlim_cur >= r.rlim_max)
		return;
	child_nofile = r;
	r.rlim_cur = r.rlim_max;
	nofile_raised = setrlimit(RLIMIT_NOFILE, &r) == 0;
}

/* Reads the child's report: 0 when exec succeeded (EOF), else -errno with @err filled. */
static int read_report(int fd, struct spawn_error *err)
{
	struct child_report rep;
	ssize_t n;
	while ((n = read(fd, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rep))
		return 0; /* EOF: the exec happened (or the child died before it) */
	err->step = step_names[rep.step];
	err->err = rep.err;
	return -rep.err;
}

struct child_args {
	const struct spawn_req *req;
	char **files;
	int report_fd;
};

/*
 * The child runs on this stack, in zinit's memory (CLONE_VM), while zinit waits (CLONE_VFORK)
 * until it has exec'd or exited: no page tables to copy, no copy-on-write faults after.
 * It only makes system calls and writes its own stack. One spawn at a time: zinit is
 * single-threaded and waits.
 */
static char child_stack[256 * 1024] __attribute__((aligned(64), unused));

static int __attribute__((unused)) child_entry(void *arg)
{
	struct child_args *a = arg;
	child_run(a->req, a->files, a->report_fd);
}

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer cannot follow a child on a stack of our own: fork, then wait as vfork */
#define SPAWN_WITH_FORK 1
#endif

/* Starts the child; returns its pid in the parent, or -1 with errno. */
static pid_t clone_child(const struct spawn_req *req, char **files, int pipefd[2])
{
#ifdef SPAWN_WITH_FORK
	pid_t pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		child_run(req, files, pipefd[1]);
	}
	return pid;
#else
	struct child_args args = { req, files, pipefd[1] };
	return clone(child_entry, child_stack + sizeof(child_stack),
		     CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
#endif
}

pid_t spawn_start(const struct spawn_req *req, struct spawn_error *err)
{
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		*err = (struct spawn_error){ "pipe", errno };
		return -err->err;
	}
	char **files = exec_candidates(req->argv[0], req->envp);
	/* Block every signal across fork so that no handler of ours runs in the child. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = clone_child(req, files, pipefd);
	int fork_err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	free_candidates(files);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		*err = (struct spawn_error){ "fork", fork_err };
		return -fork_err;
	}
	/*
	 * Wait for the exec (EOF) or the child's report. Besides giving the caller the answer
	 * at once, this matters after a fork: until its exec the child holds copies of all of
	 * zinit's descriptors, and libuv's epoll set must not see them (a registration keyed
	 * on a descriptor zinit has closed, still open in a child, disarms the new one).
	 */
	int r = read_report(pipefd[0], err);
	close(pipefd[0]);
	/* A child that failed has exited with 127; the reaper collects it as an orphan. */
	return r < 0 ? r : pid;
}
