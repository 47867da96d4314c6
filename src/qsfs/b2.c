/* SPDX-License-Identifier: MIT */
/* Streams a file through blake2b with a 16-byte output. */
#include "qsfs/b2.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "qsfs/blake2b.h"
#include "qsfs/fsutil.h"

static int hash_fd(int fd, unsigned char d[DIGEST_LEN])
{
	static unsigned char buf[128 * 1024];
	struct blake2b state;
	blake2b_init(&state, DIGEST_LEN);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		blake2b_update(&state, buf, (size_t)n);
	}
	blake2b_final(&state, d);
	return 0;
}

int b2_file(const char *path, unsigned char d[DIGEST_LEN], struct stat *st)
{
	struct stat before, after;
	int fd = fs_open_regular(path);
	if (fd < 0)
		return fd;
	int rc = fstat(fd, &before) < 0 ? -errno : hash_fd(fd, d);
	if (rc == 0 && fstat(fd, &after) < 0)
		rc = -errno;
	close(fd);
	if (rc < 0)
		return rc;
	if (before.st_size != after.st_size || fs_mtime_ns(&before) != fs_mtime_ns(&after))
		return -EAGAIN;
	if (st)
		*st = after;
	return 0;
}
