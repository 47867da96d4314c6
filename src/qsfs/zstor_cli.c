/* SPDX-License-Identifier: MIT */
/* zstor children: fork/exec in their own group, stdout captured, killed at a deadline. */
#include "qsfs/zstor_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "rawsys.h"

#define MAX_ARGS 16

static int stop_fd = -1;
static long long *stop_seen_ms, stop_limit_ms;

void zstor_watch_stop(int fd, long long *seen_ms, long long limit_ms)
{
	stop_fd = fd;
	stop_seen_ms = seen_ms;
	stop_limit_ms = limit_ms;
}

/* In the child: own group, clean signals, stdio, then exec; reports errno on @report. The
 * group comes first: a stop sent to the parent's group before it is pending here, blocked,
 * and the reset discards it. */
static void __attribute__((noreturn)) child(const char *const *argv, int out, int report)
{
	setpgid(0, 0);
	raw_reset_signals();
	int in = open("/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, 0) < 0 || (out >= 0 && dup2(out, 1) < 0))
		goto fail;
	raw_close_fds(report, 1024);
	execvp(argv[0], (char *const *)argv);
fail:;
	int e = errno;
	if (write(report, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Reads what is there from @fd into @out; closes it (sets -1) at end of file. Returns
 * whether anything was read. */
static bool read_some(int *fd, char *out, size_t outsz, size_t *len)
{
	char buf[4096];
	ssize_t n = read(*fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return false;
	}
	size_t keep = out && *len + 1 < outsz ? outsz - 1 - *len : 0;
	if (keep > (size_t)n)
		keep = (size_t)n;
	if (keep)
		memcpy(out + *len, buf, keep);
	*len += keep;
	return true;
}

/* Waits for @pid until @deadline, reading its stdout; kills its group at the deadline. */
static int wait_child(pid_t pid, int *outfd, char *out, size_t outsz, long long deadline,
		      int *status)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	size_t len = 0;
	int rc = 0;
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			break;
		if (stop_seen_ms && *stop_seen_ms && *stop_seen_ms + stop_limit_ms < deadline)
			deadline = *stop_seen_ms + stop_limit_ms;
		long long left = deadline - monotonic_ms();
		if (left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			rc = -ETIMEDOUT;
			break;
		}
		bool watch = stop_seen_ms && *stop_seen_ms == 0;
		struct pollfd p[3] = { { *outfd, POLLIN, 0 }, { pidfd, POLLIN, 0 },
				       { watch ? stop_fd : -1, POLLIN, 0 } };
		/* without a pidfd (kernel < 5.3) the exit is noticed within 10 ms */
		int wait = pidfd >= 0 ? (int)(left < 60000 ? left : 60000) : (left < 10 ? (int)left : 10);
		if (poll(p, 3, wait) <= 0)
			continue;
		if (*outfd >= 0 && p[0].revents)
			read_some(outfd, out, outsz, &len);
		if (watch && p[2].revents & POLLIN)
			*stop_seen_ms = monotonic_ms();
	}
	if (pidfd >= 0)
		close(pidfd);
	if (*outfd >= 0) { /* what the exited child left; a grandchild may keep the pipe open */
		fcntl(*outfd, F_SETFL, O_NONBLOCK);
		while (*outfd >= 0 && read_some(outfd, out, outsz, &len))
			;
	}
	if (out && outsz)
		out[len] = '\0';
	return rc;
}

/* "@what: strerror(errno)" into @err; returns -errno. */
static int sys_fail(char *err, size_t errlen, const char *what)
{
	int e = errno;
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -e;
}

static int describe(int rc, int status, int exec_errno, const struct zstor_child *c,
		    char *err, size_t errlen)
{
	if (exec_errno) {
		snprintf(err, errlen, "cannot run '%s': %s", c->prog, strerror(exec_errno));
		return -exec_errno;
	}
	if (rc == -ETIMEDOUT) { /* in ms when cut short by a deadline: not "0 s" */
		unsigned t = c->timeout_ms;
		snprintf(err, errlen, "zstor %s: no answer in %u %s, killed", c->verb,
			 t % 1000 ? t : t / 1000, t % 1000 ? "ms" : "s");
		return rc;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "zstor %s: exit status %d", c->verb, WEXITSTATUS(status));
	else
		snprintf(err, errlen, "zstor %s: killed by signal %d", c->verb, WTERMSIG(status));
	return -EIO;
}

int zstor_start(const struct qsfs_settings *s, const char *const *args, unsigned timeout_ms,
		struct zstor_child *c, char *err, size_t errlen)
{
	/* zstor's log defaults to zstor.log in the cwd, and zstor panics if it cannot open it */
	char log[QSFS_PATH_MAX + 16];
	snprintf(log, sizeof(log), "%s/zstor.log", s->state_dir);
	const char *argv[MAX_ARGS + 6] = { s->zstor, "-c", s->zstor_config, "--log_file", log };
	size_t n = 5;
	for (size_t i = 0; i < MAX_ARGS && args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	*c = (struct zstor_child){ .out_fd = -1, .report_fd = -1, .timeout_ms = timeout_ms,
				   .deadline_ms = monotonic_ms() + timeout_ms, .prog = s->zstor,
				   .verb = args[0] };
	int outp[2], rep[2];
	if (pipe2(outp, O_CLOEXEC) < 0)
		return sys_fail(err, errlen, "pipe");
	if (pipe2(rep, O_CLOEXEC) < 0) {
		int rc = sys_fail(err, errlen, "pipe");
		close(outp[0]);
		close(outp[1]);
		return rc;
	}
	pid_t pid = fork();
	if (pid == 0)
		child(argv, outp[1], rep[1]);
	int fork_errno = errno;
	close(outp[1]);
	close(rep[1]);
	if (pid < 0) {
		close(outp[0]);
		close(rep[0]);
		errno = fork_errno;
		return sys_fail(err, errlen, "fork");
	}
	setpgid(pid, pid); /* also here: the kill at the deadline may come first */
	c->pid = pid;
	c->out_fd = outp[0];
	c->report_fd = rep[0];
	return 0;
}

int zstor_wait(struct zstor_child *c, char *out, size_t outsz, char *err, size_t errlen)
{
	int status = 0, exec_errno = 0;
	int rc = wait_child(c->pid, &c->out_fd, out, outsz, c->deadline_ms, &status);
	if (read(c->report_fd, &exec_errno, sizeof(exec_errno)) != sizeof(exec_errno))
		exec_errno = 0;
	if (c->out_fd >= 0)
		close(c->out_fd);
	close(c->report_fd);
	c->out_fd = c->report_fd = -1;
	c->pid = 0;
	return describe(rc, status, exec_errno, c, err, errlen);
}

int zstor_store_start(const struct qsfs_settings *s, const char *src, const char *keydir,
		      unsigned timeout_ms, struct zstor_child *c, char *err, size_t errlen)
{
	const char *args[] = { "store", "-s", "-f", src, keydir ? "-k" : NULL, keydir, NULL };
	return zstor_start(s, args, timeout_ms, c, err, errlen);
}

int zstor_check_start(const struct qsfs_settings *s, const char *key, unsigned timeout_ms,
		      struct zstor_child *c, char *err, size_t errlen)
{
	const char *args[] = { "check", "-f", key, NULL };
	return zstor_start(s, args, timeout_ms, c, err, errlen);
}

int zstor_check_wait(struct zstor_child *c, unsigned char d[DIGEST_LEN], char *err,
		     size_t errlen)
{
	char out[512];
	int rc = zstor_wait(c, out, sizeof(out), err, errlen);
	if (rc < 0)
		return rc;
	rc = digest_parse_check(out, d);
	if (rc < 0)
		snprintf(err, errlen, "zstor check: unexpected output '%.60s'", out);
	return rc;
}

int zstor_check(const struct qsfs_settings *s, const char *key, unsigned char d[DIGEST_LEN],
		unsigned timeout_ms, char *err, size_t errlen)
{
	struct zstor_child c;
	int rc = zstor_check_start(s, key, timeout_ms, &c, err, errlen);
	return rc < 0 ? rc : zstor_check_wait(&c, d, err, errlen);
}

int zstor_retrieve(const struct qsfs_settings *s, const char *path, unsigned timeout_ms,
		   char *err, size_t errlen)
{
	const char *args[] = { "retrieve", "-f", path, NULL };
	struct zstor_child c;
	int rc = zstor_start(s, args, timeout_ms, &c, err, errlen);
	return rc < 0 ? rc : zstor_wait(&c, NULL, 0, err, errlen);
}
