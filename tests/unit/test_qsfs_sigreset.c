/* SPDX-License-Identifier: MIT */
/* Tests for sig_reset_all: default dispositions, an empty mask, nothing pending kept. */
#include <signal.h>
#include <stddef.h>

#include "qsfs/sigreset.h"
#include "runner.h"

static void block(int sig)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

TEST(sigreset_defaults_and_empty_mask)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigaction(SIGUSR1, &sa, NULL);
	block(SIGUSR2);
	sig_reset_all();
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	ASSERT(now.sa_handler == SIG_DFL);
	sigset_t mask;
	sigprocmask(SIG_SETMASK, NULL, &mask);
	ASSERT(!sigismember(&mask, SIGUSR2));
}

/* A SIGTERM sent to the parent's group while the child still blocked it must not kill the
 * child once the reset unblocks it (each test runs in a forked child: dying fails it). */
TEST(sigreset_discards_pending)
{
	block(SIGTERM);
	raise(SIGTERM);
	sigset_t pending;
	sigpending(&pending);
	ASSERT(sigismember(&pending, SIGTERM));
	sig_reset_all();
	sigpending(&pending);
	ASSERT(!sigismember(&pending, SIGTERM));
	struct sigaction now;
	sigaction(SIGTERM, NULL, &now);
	ASSERT(now.sa_handler == SIG_DFL);
}
