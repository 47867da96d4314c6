/* SPDX-License-Identifier: MIT */
/* Tests for qsfs/fsutil's reads of files zdb owns: only regular files, and never a blocking open. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qsfs/b2.h"
#include "qsfs/fsutil.h"
#include "runner.h"

/* A FIFO with no writer, where a data file would be: an open(O_RDONLY) of it blocks for good
 * (the runner's timeout would end the test), so each reader must refuse it at once. */
TEST(qsfs_fsutil_fifo_refused_without_blocking)
{
	char dir[] = "/tmp/zinit-fsutil-XXXXXX", fifo[64], copy[64];
	unsigned char d[DIGEST_LEN];
	char *data = NULL;
	size_t len;
	ASSERT(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/d1", dir);
	snprintf(copy, sizeof(copy), "%s/copy", dir);
	ASSERT(mkfifo(fifo, 0600) == 0);
	ASSERT(fs_open_regular(fifo) == -EINVAL);
	ASSERT(b2_file(fifo, d, NULL) == -EINVAL);
	ASSERT(fs_copy_file(fifo, copy) == -EINVAL);
	ASSERT(access(copy, F_OK) != 0); /* nothing made */
	ASSERT(fs_read_file(fifo, &data, &len) == -EINVAL);
	ASSERT(fs_open_regular(dir) == -EINVAL);
	ASSERT(fs_open_regular("/nonexistent/d1") == -ENOENT);
	unlink(fifo);
	rmdir(dir);
}

TEST(qsfs_fsutil_regular_file_read)
{
	char path[] = "/tmp/zinit-fsutil-XXXXXX";
	int fd = mkstemp(path);
	ASSERT(fd >= 0);
	ASSERT(write(fd, "abc", 3) == 3);
	close(fd);
	char *data = NULL;
	size_t len = 0;
	ASSERT(fs_read_file(path, &data, &len) == 0);
	ASSERT(len == 3 && data[0] == 'a' && data[3] == '\0');
	free(data);
	fd = fs_open_regular(path);
	ASSERT(fd >= 0);
	ASSERT(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	unlink(path);
}
