/* SPDX-License-Identifier: MIT */
/* Tests for readfile.c: a regular file read whole, a FIFO refused without blocking, the size bound. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readfile.h"
#include "runner.h"

/* tmpdir() - a fresh directory for one test. */
static void tmpdir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/zinit-readfile.XXXXXX");
	ASSERT(mkdtemp(dir) != NULL);
}

static void write_bytes(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");

	ASSERT(f != NULL);
	for (size_t i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	ASSERT_EQ(fclose(f), 0);
}

TEST(readfile_regular_whole_and_bounded)
{
	char dir[64], path[96], *buf = NULL;
	size_t len = 0;

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	write_bytes(path, 10000);
	ASSERT_EQ(readfile_regular(path, 10000, &buf, &len), 0);
	ASSERT_EQ(len, 10000);
	ASSERT_EQ(buf[len], '\0');
	ASSERT_EQ(buf[9999], 'a' + 9999 % 26);
	free(buf);
	buf = NULL;
	ASSERT_EQ(readfile_regular(path, 9999, &buf, &len), -EFBIG);
	ASSERT(buf == NULL);
	write_bytes(path, 0);
	ASSERT_EQ(readfile_regular(path, 0, &buf, &len), 0);
	ASSERT_EQ(len, 0);
	ASSERT_STR_EQ(buf, "");
	free(buf);
	unlink(path);
	ASSERT_EQ(readfile_regular(path, 10, &buf, &len), -ENOENT);
	ASSERT_EQ(readfile_regular(dir, 10, &buf, &len), -EISDIR);
	rmdir(dir);
}

/* A FIFO without a writer is refused at once (a blocking open would wait for ever: the
 * runner's timeout would end this test). */
TEST(readfile_fifo_refused_without_blocking)
{
	char dir[64], path[96], *buf = NULL;
	size_t len = 0;

	tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ASSERT_EQ(mkfifo(path, 0600), 0);
	ASSERT_EQ(readfile_regular(path, 1024, &buf, &len), -ENODEV);
	ASSERT(buf == NULL);
	unlink(path);
	rmdir(dir);
}

TEST(readfile_error_words)
{
	char why[64];

	ASSERT_STR_EQ(readfile_error(-ENODEV, 1, why, sizeof(why)), "not a regular file");
	ASSERT_STR_EQ(readfile_error(-EFBIG, 1024 * 1024, why, sizeof(why)), "larger than 1 MiB");
	ASSERT_STR_EQ(readfile_error(-EFBIG, 64 * 1024, why, sizeof(why)), "larger than 64 KiB");
	ASSERT_STR_EQ(readfile_error(-EFBIG, 1000, why, sizeof(why)), "larger than 1000 bytes");
	ASSERT_STR_EQ(readfile_error(-ENOENT, 1, why, sizeof(why)), "No such file or directory");
}
