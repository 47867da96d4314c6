/* SPDX-License-Identifier: MIT */
/* Runs the zstor CLI (QSFS.md §3.1) as a child with a deadline: store, check, retrieve. */
#ifndef QSFS_ZSTOR_CLI_H
#define QSFS_ZSTOR_CLI_H

#include <stddef.h>
#include <sys/types.h>

#include "qsfs/digest.h"
#include "qsfs/settings.h"

#define ZSTOR_ERR_MAX 256

/* A zstor CLI process started and not waited for yet. */
struct zstor_child {
	pid_t pid;
	int out_fd;            /* its stdout, or -1 once at end of file */
	int report_fd;         /* the exec errno, written by the child when exec fails */
	long long deadline_ms; /* CLOCK_MONOTONIC: its process group is killed then */
	unsigned timeout_ms;
	const char *prog;      /* QSFS_ZSTOR, and the verb: "store", "check", "retrieve" */
	const char *verb;
};

/**
 * zstor_watch_stop() - while a child is waited for, watch @fd (wait_hooks' signalfd; nothing
 * is read from it) and note in *@seen_ms (monotonic) when a stop signal is first pending; a
 * child still running @limit_ms after that is killed then. The drain's deadline counts from
 * the signal, even one that came during a long zstor call.
 */
void zstor_watch_stop(int fd, long long *seen_ms, long long limit_ms);

/**
 * zstor_start() - start `QSFS_ZSTOR -c QSFS_ZSTOR_CONFIG --log_file STATE/zstor.log ARGS...`
 * (@args NULL-terminated, @args[0] a static string) in its own process group, stdin
 * /dev/null, stderr shared, stdout on a pipe. 0, or a negative errno with @err (pipe, fork).
 */
int zstor_start(const struct qsfs_settings *s, const char *const *args, unsigned timeout_ms,
		struct zstor_child *c, char *err, size_t errlen);

/**
 * zstor_wait() - wait for @c until its deadline (then its group is killed, SIGKILL), with
 * its stdout captured into @out (up to @outsz - 1 bytes, NUL-terminated; may be NULL).
 * Returns 0 when it exited 0; otherwise a negative errno with a one-line reason in @err:
 * -ETIMEDOUT, -ENOENT etc. (could not exec), -EIO (non-zero exit or killed by a signal).
 */
int zstor_wait(struct zstor_child *c, char *out, size_t outsz, char *err, size_t errlen);

/** zstor_store_start() - blocking `store -s -f SRC [-k KEYDIR]` (never --notblocking). */
int zstor_store_start(const struct qsfs_settings *s, const char *src, const char *keydir,
		      unsigned timeout_ms, struct zstor_child *c, char *err, size_t errlen);

/** zstor_check_start() - `check -f KEY`; zstor_check_wait() reads its answer. */
int zstor_check_start(const struct qsfs_settings *s, const char *key, unsigned timeout_ms,
		      struct zstor_child *c, char *err, size_t errlen);

/**
 * zstor_check_wait() - 1 with the stored digest in @d, 0 when nothing is stored under the
 * key, or a negative errno (-EPROTO: unreadable output).
 */
int zstor_check_wait(struct zstor_child *c, unsigned char d[DIGEST_LEN], char *err,
		     size_t errlen);

/** zstor_check() - zstor_check_start() then zstor_check_wait(). */
int zstor_check(const struct qsfs_settings *s, const char *key, unsigned char d[DIGEST_LEN],
		unsigned timeout_ms, char *err, size_t errlen);

/** zstor_retrieve() - `retrieve -f PATH`: zstor writes the file at @path itself. */
int zstor_retrieve(const struct qsfs_settings *s, const char *path, unsigned timeout_ms,
		   char *err, size_t errlen);

#endif
