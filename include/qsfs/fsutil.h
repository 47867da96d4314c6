/* SPDX-License-Identifier: MIT */
/* File operations for the QSFS state: atomic writes, copies (durable, or checked unchanged), directories. */
#ifndef QSFS_FSUTIL_H
#define QSFS_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/** path_join() - "@a/@b" into @out: 0, or -ENAMETOOLONG. */
int path_join(char *out, size_t size, const char *a, const char *b);

/** fs_parent() - the directory that holds @path's name, into @out ("/" for "/x", "." for "x"). */
void fs_parent(const char *path, char *out, size_t size);

/**
 * fs_mkdirs() - create @path and its missing parents (mode 0700 for new ones), fsyncing
 * the parent of each directory created. 0 or -errno.
 */
int fs_mkdirs(const char *path);

/**
 * fs_create() - open(@path, @flags | O_CREAT | O_CLOEXEC, 0600), its directory and missing
 * parents made first if they are missing. The fd, or -errno.
 */
int fs_create(const char *path, int flags);

/**
 * fs_lock() - fs_create(@path, O_RDWR), then flock(@how) on it (EINTR retried). The fd,
 * which holds the lock until it is closed, or -errno.
 */
int fs_lock(const char *path, int how);

/**
 * fs_write_file() - replace @path atomically with @len bytes of @data: write "@path.tmp",
 * rename it over @path. With @durable, the file is fsynced before and its directory
 * after the rename. 0 or -errno (the .tmp file is removed on failure).
 */
int fs_write_file(const char *path, const void *data, size_t len, bool durable);

/** fs_sync_file() - fsync @path, then its directory: its data and its name are on disk. */
int fs_sync_file(const char *path);

/**
 * fs_open_regular() - open @path to read it, or -errno: -EINVAL when it is not a regular file.
 * The open never blocks (a FIFO with no writer would hold the process for good) and never
 * takes a controlling terminal.
 */
int fs_open_regular(const char *path);

/** fs_read_file() - the whole of @path, malloc'd and NUL-terminated, in @data: 0 or -errno. */
int fs_read_file(const char *path, char **data, size_t *len);

/**
 * fs_copy_file() - copy @src to the new file @dst (created exclusively), with @src's
 * mtime, and fsync it. 0 or -errno; a partial @dst is removed.
 */
int fs_copy_file(const char *src, const char *dst);

/**
 * fs_snapshot_file() - copy @src to the new file @dst (created exclusively; not fsynced: a
 * copy for the moment), and @src's stat at the end of the copy in @st. -EAGAIN when @src's
 * size or mtime changed during the copy (the copy is of no single version). 0 or -errno; a
 * partial @dst is removed.
 */
int fs_snapshot_file(const char *src, const char *dst, struct stat *st);

/** fs_remove_dir() - remove the files in @dir, then @dir (not recursive); ENOENT is 0. */
int fs_remove_dir(const char *dir);

/**
 * fs_canonical() - @path with every symlink, "." and ".." resolved (realpath), into @out;
 * the components that do not exist yet are appended as they are. zstor keys a stored file
 * by its canonical path, so keys must be canonical for `zstor check` to find them.
 * 0 or -errno.
 */
int fs_canonical(const char *path, char *out, size_t size);

/** fs_mtime_ns() - a stat's modification time in nanoseconds. */
long long fs_mtime_ns(const void *stat_buf);

#endif
