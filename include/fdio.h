/* SPDX-License-Identifier: MIT */
/* Blocking descriptor helpers: a whole buffer written through short writes, a directory fsynced. */
#ifndef ZINIT_FDIO_H
#define ZINIT_FDIO_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

/* All @len bytes of @data to @fd: 0, or the -errno of the write that failed. */
static inline int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory @dir, which makes the entries created in it durable: 0 or -errno. */
static inline int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

#endif
