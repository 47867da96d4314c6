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
