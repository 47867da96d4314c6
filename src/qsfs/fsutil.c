/* SPDX-License-Identifier: MIT */
/* Atomic writes, copies (durable, or checked unchanged), small directory helpers for QSFS. */
#include "qsfs/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "readfile.h"

int path_join(char *out, size_t size, const char *a, const char *b)
{
	int n = snprintf(out, size, "%s/%s", a, b);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

long long fs_mtime_ns(const void *stat_buf)
{
	const struct stat *st = stat_buf;
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

void fs_parent(const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s", path);
	char *slash = strrchr(out, '/');
	if (slash == out)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(out, size, ".");
}

int fs_mkdirs(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (errno != ENOENT)
		return -errno;
	char parent[4096];
	fs_parent(path, parent, sizeof(parent));
	if (strcmp(parent, path) != 0) {
		int rc = fs_mkdirs(parent);
		if (rc < 0)
			return rc;
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	return fsync_dir(parent);
}

int fs_create(const char *path, int flags)
{
	int fd = open(path, flags | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	char dir[4096];
	fs_parent(path, dir, sizeof(dir));
	int rc = fs_mkdirs(dir);
	if (rc < 0)
		return rc;
	fd = open(path, flags | O_CREAT | O_CLOEXEC, 0600);
	return fd >= 0 ? fd : -errno;
}

int fs_lock(const char *path, int how)
{
	int fd = fs_create(path, O_RDWR);
	while (fd >= 0 && flock(fd, how) < 0) {
		if (errno != EINTR) {
			int rc = -errno;
			close(fd);
			return rc;
		}
	}
	return fd;
}

int fs_write_file(const char *path, const void *data, size_t len, bool durable)
{
	char tmp[4096], dir[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int rc = write_all(fd, data, len);
	if (rc == 0 && durable && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return rc;
	}
	fs_parent(path, dir, sizeof(dir));
	return durable ? fsync_dir(dir) : 0;
}

int fs_sync_file(const char *path)
{
	char dir[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	if (rc < 0)
		return rc;
	fs_parent(path, dir, sizeof(dir));
	return fsync_dir(dir);
}

int fs_open_regular(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	int rc = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EINVAL;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd; /* O_NONBLOCK does nothing to a regular file's reads */
}

int fs_read_file(const char *path, char **data, size_t *len)
{
	int fd = fs_open_regular(path);
	if (fd < 0)
		return fd;
	int rc = readfile_fd(fd, SIZE_MAX, data, len);
	close(fd);
	return rc;
}

static int copy_fd(int in, int out)
{
	static char buf[64 * 1024];
	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
			return -errno;
		break; /* not supported between these files: plain read/write */
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		int rc = write_all(out, buf, (size_t)n);
		if (rc < 0)
			return rc;
	}
}

/* Copies @src to a new @dst. @durable: @dst gets @src's times and is on disk. @after (if not
 * NULL): @src's stat once copied; the copy fails with -EAGAIN if @src's size or mtime moved. */
static int copy_new_file(const char *src, const char *dst, bool durable, struct stat *after)
{
	struct stat st;
	int in = fs_open_regular(src), out = -1, rc = 0;
	if (in < 0)
		return in;
	if (fstat(in, &st) < 0 ||
	    (out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		rc = -errno;
		goto out;
	}
	rc = copy_fd(in, out);
	struct timespec times[2] = { st.st_atim, st.st_mtim };
	if (rc == 0 && durable && (futimens(out, times) < 0 || fsync(out) < 0))
		rc = -errno;
	if (rc == 0 && after && fstat(in, after) < 0)
		rc = -errno;
	if (close(out) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && after &&
	    (st.st_size != after->st_size || fs_mtime_ns(&st) != fs_mtime_ns(after)))
		rc = -EAGAIN;
	if (rc < 0)
		unlink(dst);
out:
	close(in);
	return rc;
}

int fs_copy_file(const char *src, const char *dst)
{
	return copy_new_file(src, dst, true, NULL);
}

int fs_snapshot_file(const char *src, const char *dst, struct stat *st)
{
	return copy_new_file(src, dst, false, st);
}

int fs_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) < 0 && errno != ENOENT)
			rc = -errno;
	}
	closedir(d);
	if (rmdir(dir) < 0 && errno != ENOENT && rc == 0)
		rc = -errno;
	return rc;
}

int fs_canonical(const char *path, char *out, size_t size)
{
	char real[PATH_MAX], parent[PATH_MAX];
	if (realpath(path, real))
		return snprintf(out, size, "%s", real) >= (int)size ? -ENAMETOOLONG : 0;
	if (errno != ENOENT)
		return -errno;
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path || strlen(path) >= sizeof(parent))
		return snprintf(out, size, "%s", path) >= (int)size ? -ENAMETOOLONG : 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	int rc = fs_canonical(parent, real, sizeof(real));
	if (rc < 0)
		return rc;
	return path_join(out, size, strcmp(real, "/") == 0 ? "" : real, slash + 1);
}
