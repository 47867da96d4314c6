/* SPDX-License-Identifier: MIT */
/* Runs the zstor CLI (QSFS.md §3.1) as a child with a deadline: store, check, retrieve. */
#ifndef QSFS_ZSTOR_CLI_H
#define QSFS_ZSTOR_CLI_H

#include <stddef.h>

#include "qsfs/digest.h"
#include "qsfs/settings.h"

#define ZSTOR_ERR_MAX 256

/**
 * zstor_run() - run `QSFS_ZSTOR -c QSFS_ZSTOR_CONFIG ARGS...` (@args NULL-terminated) in
 * its own process group, stdin /dev/null, stderr shared, stdout captured into @out (up to
 * @outsz - 1 bytes, NUL-terminated; may be NULL). At @timeout_ms the group is killed
 * (SIGKILL). Returns 0 when it exited 0; otherwise a negative errno with a one-line
 * reason in @err: -ETIMEDOUT, -ENOENT etc. (could not exec), -EIO (non-zero exit or
 * killed by a signal).
 */
int zstor_run(const struct qsfs_settings *s, const char *const *args, unsigned timeout_ms,
	      char *out, size_t outsz, char *err, size_t errlen);

/** zstor_store() - blocking `store -s -f SRC [-k KEYDIR]` (never --notblocking). */
int zstor_store(const struct qsfs_settings *s, const char *src, const char *keydir,
		unsigned timeout_ms, char *err, size_t errlen);

/**
 * zstor_check() - `check -f KEY`: 1 with the stored digest in @d, 0 when nothing is stored
 * under @key, or a negative errno (-EPROTO: unreadable output).
 */
int zstor_check(const struct qsfs_settings *s, const char *key, unsigned char d[DIGEST_LEN],
		unsigned timeout_ms, char *err, size_t errlen);

/** zstor_retrieve() - `retrieve -f PATH`: zstor writes the file at @path itself. */
int zstor_retrieve(const struct qsfs_settings *s, const char *path, unsigned timeout_ms,
		   char *err, size_t errlen);

#endif
