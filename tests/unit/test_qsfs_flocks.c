/* SPDX-License-Identifier: MIT */
/* Tests for qsfs/flocks: /proc/locks lines read for a granted flock() on one file. */
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "qsfs/flocks.h"
#include "runner.h"

TEST(qsfs_flocks_lines)
{
	ASSERT(flocks_line_holds("1: FLOCK  ADVISORY  WRITE 4242 fe:01:10969384 0 EOF\n", 0xfe, 1,
				 10969384));
	ASSERT(flocks_line_holds("12: FLOCK  ADVISORY  READ 1 00:2d:77 0 EOF", 0, 0x2d, 77));
	ASSERT(!flocks_line_holds("1: FLOCK  ADVISORY  WRITE 4242 fe:01:10969384 0 EOF", 0xfe, 1, 10969385));
	ASSERT(!flocks_line_holds("1: FLOCK  ADVISORY  WRITE 4242 fe:01:10969384 0 EOF", 0xfe, 2, 10969384));
	/* a waiter holds nothing; POSIX and OFD locks are not zdb's */
	ASSERT(!flocks_line_holds("1: -> FLOCK  ADVISORY  WRITE 4243 fe:01:10969384 0 EOF", 0xfe, 1, 10969384));
	ASSERT(!flocks_line_holds("2: POSIX  ADVISORY  WRITE 4242 fe:01:10969384 0 EOF", 0xfe, 1, 10969384));
	ASSERT(!flocks_line_holds("3: OFDLCK ADVISORY  READ -1 fe:01:10969384 0 EOF", 0xfe, 1, 10969384));
	ASSERT(!flocks_line_holds("", 0, 0, 0));
	ASSERT(!flocks_line_holds("garbage", 0, 0, 0));
}

TEST(qsfs_flocks_held_on_a_real_file)
{
	char path[] = "/tmp/zinit-flocks-XXXXXX";
	int fd = mkstemp(path);
	ASSERT(fd >= 0);
	ASSERT(!flocks_held(path));
	ASSERT(flock(fd, LOCK_EX) == 0);
	ASSERT(flocks_held(path));
	ASSERT(flock(fd, LOCK_UN) == 0);
	ASSERT(!flocks_held(path));
	ASSERT(!flocks_held("/nonexistent/.lockfile"));
	close(fd);
	unlink(path);
}
