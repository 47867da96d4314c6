/* SPDX-License-Identifier: MIT */
/* Writing a whole buffer to a blocking descriptor, through short writes and EINTR. */
#ifndef ZINIT_WRITEALL_H
#define ZINIT_WRITEALL_H

#include <errno.h>
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

#endif
