/* SPDX-License-Identifier: MIT */
/* Starting a service or test: own session, clean signals, stdio, exec errors reported. */
#include "spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawsys.h"
#include "xalloc.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The descriptor limit children get back (ours is raised, theirs stays as it was). */
static struct rlimit child_nofile;
static bool nofile_raised;

/*
 * The child shares zinit's memory and, inside a batch, runs while zinit goes on: it must not
 * touch anything zinit writes, errno included. So it makes raw system calls (rawsys.h), which
 * return -errno. Where rawsys.h has no such wrapper, zinit waits for each child (vfork).
 */
#if defined(__SANITIZE_ADDRESS__) || defined(ZINIT_SPAWN_FORK)
/* AddressSanitizer (and valgrind: make check-valgrind) cannot follow a child on a stack of
 * our own: fork instead */
#define SPAWN_WITH_FORK 1
#elif defined(RAWSYS_LIBC)
#define SPAWN_ONE_AT_A_TIME 1
#endif

/* What the child writes to its report pipe when a step fails. */
struct child_report {
	int step; /* 0 chdir, 1 exec, 2 stdio */
	int err;
};

static const char *const step_names[] = { "chdir", "exec", "stdio" };

/* All a child reads, copied: the caller's request may be gone before the child runs. */
struct child_args {
	char **argv;
	char **envp;
	char *file; /* argv[0] resolved against the PATH */
	char *dir;
	int out_fd, err_fd, report_fd;
};

/* A child started but not yet known to have exec'd. */
struct pending {
	bool busy;
	pid_t pid;
	int report_fd; /* read end of the child's report pipe */
	struct child_args args;
	char *stack;
	spawn_fail_fn on_fail;
	void *owner;
};

#define MAX_PENDING 16
#define CHILD_STACK (16 * 1024) /* the child makes system calls only */

static struct pending pending[MAX_PENDING];
static int batch_depth;

/* ---- the child ------------------------------------------------------------------------- */

static void __attribute__((noreturn)) child_fail(int report_fd, int step, long err)
{
	struct child_report rep = { step, (int)-err };
	SYS(SYS_write, report_fd, &rep, sizeof(rep), 0);
	for (;;)
		SYS(SYS_exit_group, 127, 0, 0, 0);
}

/* Moves @fd to @target; fd may already be a low number we are about to overwrite. */
static long place_fd(int fd, int target)
{
	if (fd == target)
		return SYS(SYS_fcntl, fd, F_SETFD, 0, 0);
	return SYS(SYS_dup3, fd, target, 0, 0);
}

/* Runs in the child, on its own stack: raw system calls only. */
static int child_run(void *arg)
{
	const struct child_args *a = arg;
	SYS(SYS_setsid, 0, 0, 0, 0);
	raw_reset_signals();
	/* out/err may sit on 1 or 2 already or on each other's target: lift them above 2 first */
	long out = a->out_fd < 3 ? SYS(SYS_fcntl, a->out_fd, F_DUPFD_CLOEXEC, 3, 0) : a->out_fd;
	long err = a->err_fd < 3 ? SYS(SYS_fcntl, a->err_fd, F_DUPFD_CLOEXEC, 3, 0) : a->err_fd;
	long r = out < 0 ? out : err < 0 ? err : 0;
	if (r == 0)
		r = place_fd((int)out, 1);
	if (r >= 0)
		r = place_fd((int)err, 2);
	if (r < 0)
		child_fail(a->report_fd, 2, r);
	raw_close_fds(a->report_fd, 0); /* close-on-exec does it without close_range */
	if (nofile_raised)
		SYS(SYS_prlimit64, 0, RLIMIT_NOFILE, &child_nofile, NULL);
	r = SYS(SYS_chdir, a->dir, 0, 0, 0);
	if (r < 0)
		child_fail(a->report_fd, 0, r);
	r = SYS(SYS_execve, a->file, a->argv, a->envp, 0);
	child_fail(a->report_fd, 1, r);
}

/* ---- preparing a child ----------------------------------------------------------------- */

/* Every descriptor inherited above 2 (a launcher's) close-on-exec: zinit opens its own so, and
 * then no child inherits anything even where close_range does not exist. Once, at start, up to
 * the launcher's limit where /proc is not mounted. */
static void cloexec_inherited(rlim_t limit)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (fd > 2 && fd != dirfd(d))
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (d) {
		closedir(d);
		return;
	}
	for (rlim_t fd = 3; fd < limit && fd < (rlim_t)INT_MAX; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

void spawn_raise_fd_limit(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		return;
	cloexec_inherited(r.rlim_cur);
	if (r.rlim_cur < r.rlim_max) {
		child_nofile = r;
		r.rlim_cur = r.rlim_max;
		nofile_raised = setrlimit(RLIMIT_NOFILE, &r) == 0;
	}
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
 * 0 if we may execute (search) @path, else the errno. The plain faccessat system call: glibc's
 * faccessat() uses faccessat2, which older container seccomp profiles refuse with EPERM (not
 * ENOSYS, so glibc does not fall back), and every start would fail. It checks the real ids,
 * which are zinit's effective ids.
 */
static int may_execute(int dirfd, const char *path)
{
	return syscall(SYS_faccessat, dirfd, path, X_OK) < 0 ? errno : 0;
}

/* 0 if @file (relative to @dirfd) is a file we may execute, else the errno execve would give. */
static int executable(int dirfd, const char *file)
{
	struct stat st;
	if (fstatat(dirfd, file, &st, 0) < 0)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	return may_execute(dirfd, file);
}

/*
 * The file execvp would run for @prog in the working directory @dirfd: @prog itself if it
 * holds a '/', else the first PATH entry joined with it that is executable. NULL with *err
 * set (the most telling errno, as execvp) when there is none.
 */
static char *resolve(int dirfd, const char *prog, char *const *envp, int *err)
{
	if (strchr(prog, '/')) {
		*err = executable(dirfd, prog);
		return *err ? NULL : xstrdup(prog);
	}
	*err = ENOENT;
	size_t plen = strlen(prog);
	for (const char *d = child_path(envp);; d++) {
		const char *end = strchrnul(d, ':');
		size_t dlen = (size_t)(end - d);
		char *f = xmalloc(dlen + plen + 3);
		memcpy(f, dlen ? d : ".", dlen ? dlen : 1);
		size_t at = dlen ? dlen : 1;
		f[at++] = '/';
		memcpy(f + at, prog, plen + 1);
		int e = executable(dirfd, f);
		if (e == 0)
			return f;
		free(f);
		if (e != ENOENT && e != ENOTDIR)
			*err = e;
		if (!*end)
			return NULL;
		d = end;
	}
}

/*
 * The directory the child will chdir to, opened O_PATH for the checks: -1 with *err set to
 * the errno chdir would give.
 */
static int open_workdir(const char *dir, int *err)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*err = fd < 0 ? errno : may_execute(fd, ".");
	if (*err && fd >= 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static char **copy_strv(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	char **c = xcalloc(n + 1, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void free_strv(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

static void release(struct pending *p)
{
	close(p->report_fd);
	p->busy = false;
	free_strv(p->args.argv);
	free_strv(p->args.envp);
	free(p->args.file);
	free(p->args.dir);
	p->args = (struct child_args){ 0 };
}

static void settle(struct pending *p);

/* The next slot in turn; if its child (the oldest in flight) is still pending, settle it. */
static struct pending *take_slot(void)
{
	static int next;
	struct pending *p = &pending[next];
	next = (next + 1) % MAX_PENDING;
	if (p->busy)
		settle(p);
	return p;
}

/* ---- starting and settling ------------------------------------------------------------- */

/* Starts the child; returns its pid, or -errno. */
static pid_t clone_child(struct pending *p)
{
#ifdef SPAWN_WITH_FORK
	pid_t pid = fork();
	if (pid == 0) {
		close(p->report_fd);
		child_run(&p->args);
	}
	return pid < 0 ? -errno : pid;
#else
	if (!p->stack)
		p->stack = xmalloc(CHILD_STACK);
	int flags = CLONE_VM | SIGCHLD;
#ifdef SPAWN_ONE_AT_A_TIME
	flags |= CLONE_VFORK;
#endif
	pid_t pid = clone(child_run, p->stack + CHILD_STACK, flags, &p->args);
	return pid < 0 ? -errno : pid;
#endif
}

/*
 * Waits until the child of @p has exec'd (EOF on the close-on-exec pipe) or reported a
 * failure, and frees the slot. Returns 0, or -errno with @err filled.
 */
static int settle_one(struct pending *p, struct spawn_error *err)
{
	struct child_report rep;
	ssize_t n;
	while ((n = read(p->report_fd, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(rep))
		return 0;
	err->step = step_names[rep.step];
	err->subject = rep.step == 0 ? p->args.dir : p->args.argv[0];
	err->err = rep.err;
	/* EOF once the child has exited: only then are its stack and our copies free */
	char c;
	while (read(p->report_fd, &c, 1) < 0 && errno == EINTR)
		;
	return -rep.err;
}

/* Waits for the child of @p and frees the slot; on_fail hears of a failure. */
static void settle(struct pending *p)
{
	struct spawn_error err;
	if (settle_one(p, &err) < 0 && p->on_fail)
		p->on_fail(p->owner, p->pid, &err);
	release(p);
}

static void settle_all(void)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i].busy)
			settle(&pending[i]);
}

/*
 * The report pipe's write end must not sit on 0-2 (possible if zinit was started with them
 * closed): the child's dup3 onto 1 or 2 would close it, and zinit would take the EOF for an
 * exec while the child still runs on the slot's stack.
 */
static int lift_above_stdio(int pipefd[2])
{
	if (pipefd[1] > 2)
		return 0;
	int fd = fcntl(pipefd[1], F_DUPFD_CLOEXEC, 3);
	int e = errno;
	close(pipefd[1]);
	if (fd < 0) {
		close(pipefd[0]);
		errno = e;
		return -1;
	}
	pipefd[1] = fd;
	return 0;
}

pid_t spawn_start(const struct spawn_req *req, struct spawn_error *err)
{
	/* chdir and exec errors the parent can see are reported at once, batch or not */
	const char *dir = req->dir ? req->dir : "/";
	int e;
	int dirfd = open_workdir(dir, &e);
	if (dirfd < 0) {
		*err = (struct spawn_error){ "chdir", dir, e };
		return -e;
	}
	char *file = resolve(dirfd, req->argv[0], req->envp, &e);
	close(dirfd);
	if (!file) {
		*err = (struct spawn_error){ "exec", req->argv[0], e };
		return -e;
	}
	struct pending *p = take_slot();
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0 || lift_above_stdio(pipefd) < 0) {
		*err = (struct spawn_error){ "pipe", req->argv[0], errno };
		free(file);
		return -err->err;
	}
	p->busy = true;
	p->report_fd = pipefd[0];
	p->args = (struct child_args){ copy_strv(req->argv), copy_strv(req->envp), file,
				       xstrdup(dir), req->out_fd, req->err_fd, pipefd[1] };
	p->on_fail = req->on_fail;
	p->owner = req->owner;
	/* Block every signal across the clone so that no handler of ours runs in the child. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = clone_child(p);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pipefd[1]);
	if (pid < 0) {
		*err = (struct spawn_error){ "fork", req->argv[0], (int)-pid };
		release(p);
		return pid;
	}
	p->pid = pid;
	if (batch_depth > 0)
		return pid;
	/* Not in a batch: the caller learns the outcome now. */
	int r = settle_one(p, err);
	if (r < 0) /* name what the caller still holds: the slot's copies go now */
		err->subject = err->subject == p->args.dir ? dir : req->argv[0];
	release(p);
	/* A child that failed has exited with 127; the reaper collects it as an orphan. */
	return r < 0 ? r : pid;
}

void spawn_batch_begin(void)
{
	batch_depth++;
}

void spawn_batch_end(void)
{
	if (--batch_depth == 0)
		settle_all();
}

void spawn_free(void)
{
	for (int i = 0; i < MAX_PENDING; i++) {
		free(pending[i].stack);
		pending[i].stack = NULL;
	}
}
