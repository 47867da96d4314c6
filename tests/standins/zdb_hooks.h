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
#include <time.h>
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
 * say: one log line on stdout, buffered as zdb's printf() is by stdio: written at once to a
 * terminal, in 4 KiB blocks to a pipe or file (seen with the release zdb 2.0.7: its lines
 * reached a pipe in bursts, or at its exit). say_flush() is its exit(): the stop paths call
 * it, death by SIGSEGV does not. Signals are blocked around the buffer, which the handlers
 * share (zdb logs from them too); a forked hook never repeats the pending bytes, as it execs
 * or _exits.
 */
static char say_buf[4096];
static size_t say_len;
static int say_tty = -1; /* isatty(1), once known */

static void say_write(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void say_flush(void)
{
	say_write(say_buf, say_len);
	say_len = 0;
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	sigset_t all, old;
	int saved = errno;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (say_tty < 0)
		say_tty = isatty(STDOUT_FILENO);
	if (say_tty) {
		say_write(line, (size_t)n);
	} else {
		if (say_len + (size_t)n > sizeof say_buf)
			say_flush();
		memcpy(say_buf + say_len, line, (size_t)n);
		say_len += (size_t)n;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
}

/*
 * The hooks zdb lists in HOOKS (0-db hook.c, commands_system.c): each with its arguments, pid,
 * start and end times (seconds) and status; an ended hook is dropped 300 s after it ended
 * (ZDB_HOOKS_EXPIRE_SECONDS), and its slot is reused first. Fixed storage: hooks are also
 * started from the signal handlers.
 */
#define HOOKS_MAX 256
#define HOOKS_EXPIRE_SECONDS 300
#define HOOK_ARGS_MAX 4
#define HOOK_ARG_LEN 1024
static struct hook {
	const char *event; /* NULL: a free slot */
	char args[HOOK_ARGS_MAX][HOOK_ARG_LEN];
	int nargs;
	pid_t pid;
	time_t created, finished; /* finished 0 while it runs */
	int status;
} hooks[HOOKS_MAX];

/* hook_record: lists a hook starting now, in a free slot, an expired one, else the one that
 * ended first (the stand-in's list is bounded; zdb's grows); not at all if every hook runs. */
static void hook_record(const char *event, const char *const args[], pid_t pid)
{
	struct hook *slot = NULL;
	time_t now = time(NULL);

	for (int i = 0; i < HOOKS_MAX; i++) {
		struct hook *h = &hooks[i];
		if (h->event && h->finished && h->finished < now - HOOKS_EXPIRE_SECONDS)
			h->event = NULL;
		if (!h->event) {
			slot = h;
			break;
		}
		if (h->finished && (!slot || h->finished < slot->finished))
			slot = h;
	}
	if (!slot)
		return;
	slot->event = event;
	slot->nargs = 0;
	for (int i = 0; args && args[i] && i < HOOK_ARGS_MAX; i++)
		snprintf(slot->args[slot->nargs++], HOOK_ARG_LEN, "%s", args[i]);
	slot->pid = pid;
	slot->created = now;
	slot->finished = 0;
	slot->status = 0;
}

/* hook_ended: the running hook @pid ended with @wstatus, read as zdb does (WEXITSTATUS, with
 * no WIFEXITED check); returns its event. */
static const char *hook_ended(pid_t pid, int wstatus)
{
	for (int i = 0; i < HOOKS_MAX; i++) {
		struct hook *h = &hooks[i];
		if (h->event && h->pid == pid && !h->finished) {
			h->finished = time(NULL);
			h->status = WEXITSTATUS(wstatus);
			return h->event;
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
		pid = 0;
	}
	hook_record(event, args, pid);
	if (pid > 0)
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
	hook_ended(pid, wstatus);
	int status = WEXITSTATUS(wstatus);
	say("[+] hook: %s finished, pid %d, status %d", event, (int)pid, status);
	return status;
}

/* hook_run_async: forks a hook and returns at once; the idle loop reaps it later. */
static void hook_run_async(const char *event, const char *const args[])
{
	if (!cfg.hook)
		return;
	hook_fork(event, args);
}

/* hooks_reap: the idle-loop reaper, waitpid(-1, WNOHANG) until nothing is left to collect. */
static void hooks_reap(void)
{
	int wstatus;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
		say("[+] hook: %s finished, pid %d, status %d", hook_ended(pid, wstatus), (int)pid,
		    WEXITSTATUS(wstatus));
}

#endif
