/* SPDX-License-Identifier: MIT */
/* Reading a small file whole from PID 1: regular files only, never blocking, with a size bound. */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* open_regular() - @path opened for reading without blocking, if it is a regular file. */
static int open_regular(const char *path)
{
	struct stat st;
	int r = 0, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = S_ISDIR(st.st_mode) ? -EISDIR : -ENODEV;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int readfile_fd(int fd, size_t max, char **buf, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *b = xmalloc(cap);

	for (;;) {
		ssize_t k;

		if (n > max) {
			free(b);
			return -EFBIG;
		}
		if (n + 1 >= cap) {
			cap *= 2;
			b = xrealloc(b, cap);
		}
		k = read(fd, b + n, cap - n - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int r = -errno;

			free(b);
			return r;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int readfile_regular(const char *path, size_t max, char **buf, size_t *len)
{
	int r, fd = open_regular(path);

	if (fd < 0)
		return fd;
	r = readfile_fd(fd, max, buf, len);
	close(fd);
	return r;
}

const char *readfile_error(int r, size_t max, char *out, size_t outlen)
{
	if (r == -ENODEV)
		snprintf(out, outlen, "not a regular file");
	else if (r == -EFBIG && max % (1024 * 1024) == 0)
		snprintf(out, outlen, "larger than %zu MiB", max / (1024 * 1024));
	else if (r == -EFBIG && max % 1024 == 0)
		snprintf(out, outlen, "larger than %zu KiB", max / 1024);
	else if (r == -EFBIG)
		snprintf(out, outlen, "larger than %zu bytes", max);
	else
		snprintf(out, outlen, "%s", strerror(-r));
	return out;
}
