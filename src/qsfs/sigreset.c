/* SPDX-License-Identifier: MIT */
/* Resets every signal disposition and the mask, libc's reserved signals included. */
#include "qsfs/sigreset.h"

#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sigaction (x86_64, aarch64): handler, flags, restorer, mask. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static void set_all(const struct kernel_sigaction *act)
{
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, act, NULL, sizeof(act->mask));
}

void sig_reset_all(void)
{
	static const struct kernel_sigaction ign = { SIG_IGN, 0, NULL, 0 };
	static const struct kernel_sigaction dfl = { SIG_DFL, 0, NULL, 0 };
	static const uint64_t none = 0;
	set_all(&ign); /* discards what is pending: it was sent to the parent's group */
	set_all(&dfl);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
}
