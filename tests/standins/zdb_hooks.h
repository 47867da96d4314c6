/* SPDX-License-Identifier: MIT */
/* zdb stand-in, part 1 of 3: settings, logging and the hook runner (included once by zdb.c). */
#ifndef ZDB_HOOKS_H
#define ZDB_HOOKS_H

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The program's settings, fixed after the command line is parsed. */
static struct {
	const char *hook;       /* --hook as given (argv[0] of every hook), or NULL */
	const char *index_root; /* --index as given */
	const char *data_root;  /* --data as given */
	const char *listen;     /* --listen */
	const char *socket;     /* --socket, or NULL for TCP */
	int port;
	int seq_mode;           /* --mode seq */
	unsigned long datasize; /* --datasize, bytes */
	char id[PATH_MAX + 16]; /* "tcp://<listen>:<port>" or "unix://<path>" */
} cfg = { .index_root = "./zdb-index", .data_root = "./zdb-data", .listen = "::", .port = 9900,
	  .datasize = 256UL << 20 };

/*
 * say: one log line on stdout, written with a single write(2): no stdio buffer, so it is
 * usable from the signal handlers (as the real zdb, which logs from them too) and a forked
 * child never repeats a parent's pending output.
 */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	ssize_t w = write(STDOUT_FILENO, line, (size_t)n);
	(void)w;
	errno = saved;
}

/* The async hooks not reaped yet, to name them when they are (slots are reused). */
#define HOOKS_TRACKED 256
static struct {
	pid_t pid;
	const char *event;
} running[HOOKS_TRACKED];

static void hook_track(pid_t pid, const char *event)
{
	for (int i = 0; i < HOOKS_TRACKED; i++) {
		if (running[i].pid == 0) {
			running[i].pid = pid;
			running[i].event = event;
			return;
		}
	}
}

static const char *hook_untrack(pid_t pid)
{
	for (int i = 0; i < HOOKS_TRACKED; i++) {
		if (running[i].pid == pid) {
			running[i].pid = 0;
			return running[i].event;
		}
	}
	return "?";
}

/*
 * hook_fork: fork() + execv(hook, [hook, event, id, args...]) exactly as 0-db does: no setsid,
 * no setpgid, no fd closed, the signal mask and environment inherited. Returns the child's pid,
 * or 0 when fork failed (zdb logs and goes on).
 */
static pid_t hook_fork(const char *event, const char *const args[])
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)cfg.hook;
	argv[argc++] = (char *)event;
	argv[argc++] = cfg.id;
	for (int i = 0; args && args[i] && argc < 15; i++)
		argv[argc++] = (char *)args[i];
	argv[argc] = NULL;

	pid_t pid = fork();
	if (pid == 0) {
		execv(cfg.hook, argv);
		say("[-] hook: execv %s: %s", cfg.hook, strerror(errno));
		_exit(EXIT_FAILURE);
	}
	if (pid < 0) {
		say("[-] hook: %s: fork: %s", event, strerror(errno));
		return 0;
	}
	say("[+] hook: %s started, pid %d", event, (int)pid);
	return pid;
}

/*
 * hook_run_sync: runs a synchronous hook and blocks everything until it exits. Like zdb, the
 * status is WEXITSTATUS() without a WIFEXITED() check: a hook killed by a signal reads as 0.
 * Without --hook, nothing runs and the result is -1 (no one acknowledged anything).
 */
static int hook_run_sync(const char *event, const char *const args[])
{
	int wstatus = 0;

	if (!cfg.hook)
		return -1;
	pid_t pid = hook_fork(event, args);
	if (pid > 0)
		while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
			;
	int status = WEXITSTATUS(wstatus);
	say("[+] hook: %s finished, pid %d, status %d", event, (int)pid, status);
	return status;
}

/* hook_run_async: forks a hook and returns at once; the idle loop reaps it later. */
static void hook_run_async(const char *event, const char *const args[])
{
	if (!cfg.hook)
		return;
	pid_t pid = hook_fork(event, args);
	if (pid > 0)
		hook_track(pid, event);
}

/* hooks_reap: the idle-loop reaper, waitpid(-1, WNOHANG) until nothing is left to collect. */
static void hooks_reap(void)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
		say("[+] hook: %s finished, pid %d, status %d", hook_untrack(pid), (int)pid,
		    WEXITSTATUS(wstatus));
}

#endif
