/* SPDX-License-Identifier: MIT */
/* Tests for rawsys.h: a raw system call, and the signal reset (defaults, empty mask, nothing pending). */
#include <signal.h>
#include <fcntl.h>
#include <stddef.h>

#include "rawsys.h"
#include "runner.h"

static void block(int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

TEST(rawsys_returns_minus_errno)
{
	errno = 0;
	ASSERT_EQ(SYS(SYS_fcntl, -1, F_GETFD, 0, 0), -EBADF);
	ASSERT_EQ(errno, 0); /* untouched: a CLONE_VM child shares it with zinit */
	ASSERT_EQ(SYS(SYS_getpid, 0, 0, 0, 0), getpid());
}

TEST(rawsys_reset_defaults_and_empty_mask)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigaction(SIGUSR1, &sa, NULL);
	block(SIGUSR2);
	raw_reset_signals();
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	ASSERT(now.sa_handler == SIG_DFL);
	sigset_t mask;
	sigprocmask(SIG_SETMASK, NULL, &mask);
	ASSERT(!sigismember(&mask, SIGUSR2));
}

/* A SIGTERM sent to the parent's group while the child still blocked it must not kill the
 * child once the reset unblocks it (each test runs in a forked child: dying fails it). */
TEST(rawsys_reset_discards_pending)
{
	block(SIGTERM);
	raise(SIGTERM);
	sigset_t pending;
	sigpending(&pending);
	ASSERT(sigismember(&pending, SIGTERM));
	raw_reset_signals();
	sigpending(&pending);
	ASSERT(!sigismember(&pending, SIGTERM));
	struct sigaction now;
	sigaction(SIGTERM, NULL, &now);
	ASSERT(now.sa_handler == SIG_DFL);
}

/* Every descriptor from 3 up is closed but the one kept; 0-2 stay (also with none kept). */
TEST(rawsys_close_fds)
{
	for (int fd = 0; fd < 3; fd++) /* the runner may have closed some: 0-2 open first */
		if (fcntl(fd, F_GETFD) < 0)
			ASSERT_EQ(dup2(open("/dev/null", O_RDONLY), fd), fd);
	int a = open("/dev/null", O_RDONLY), b = open("/dev/null", O_RDONLY),
	    c = open("/dev/null", O_RDONLY);
	ASSERT(a >= 3 && b > a && c > b);
	raw_close_fds(b, 1024);
	ASSERT(fcntl(a, F_GETFD) < 0 && fcntl(c, F_GETFD) < 0);
	ASSERT(fcntl(b, F_GETFD) >= 0);
	raw_close_fds(-1, 1024);
	ASSERT(fcntl(b, F_GETFD) < 0);
	for (int fd = 0; fd < 3; fd++)
		ASSERT(fcntl(fd, F_GETFD) >= 0);
}
