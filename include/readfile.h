/* SPDX-License-Identifier: MIT */
/* Reading a small file whole from PID 1: regular files only, never blocking, with a size bound. */
#ifndef ZINIT_READFILE_H
#define ZINIT_READFILE_H

#include <stddef.h>

/**
 * readfile_regular() - the whole of @path, at most @max bytes, in a malloc'd buffer @buf
 * (NUL-terminated; *@len excludes the NUL). The file is opened with O_NONBLOCK and must be a
 * regular file: a FIFO at the path would otherwise block the caller (PID 1) until a writer
 * came. Returns 0, or -errno: -EISDIR for a directory, -ENODEV for a FIFO, socket or device,
 * -EFBIG past @max; *@buf is left alone on failure.
 */
int readfile_regular(const char *path, size_t max, char **buf, size_t *len);

/**
 * readfile_fd() - the rest of @fd, at most @max bytes (SIZE_MAX: no bound), in a malloc'd
 * buffer @buf, NUL-terminated as readfile_regular(). Returns 0 or -errno (-EFBIG past @max).
 */
int readfile_fd(int fd, size_t max, char **buf, size_t *len);

/**
 * readfile_error() - @r (a readfile_regular() failure) in words for @max: "not a regular file",
 * "larger than 1 MiB", else strerror(). Returns @out.
 */
const char *readfile_error(int r, size_t max, char *out, size_t outlen);

#endif
