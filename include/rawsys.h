/* SPDX-License-Identifier: MIT */
/* Raw system calls that touch no libc state, and the clean-up every child makes with them. */
#ifndef ZINIT_RAWSYS_H
#define ZINIT_RAWSYS_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * sys4() returns -errno and writes nothing else: a child that shares its parent's memory
 * (spawn.c's CLONE_VM children) must not touch errno. Where there is no such wrapper below,
 * RAWSYS_LIBC is defined and libc's syscall() stands in (fine in a forked child only).
 */
#if defined(__x86_64__)
static inline long sys4(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
static inline long sys4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}
#else
#define RAWSYS_LIBC 1
static inline long sys4(long n, long a, long b, long c, long d)
{
	long r = syscall(n, a, b, c, d);
	return r < 0 ? -errno : r;
}
#endif

#define SYS(n, a, b, c, d) sys4((n), (long)(a), (long)(b), (long)(c), (long)(d))

/* The kernel's struct sigaction (x86_64, aarch64): handler, flags, restorer, mask. glibc's
 * sigaction() refuses signals 32 and 33 (its own), so the reset goes to the kernel. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static inline void raw_set_all_signals(const struct kernel_sigaction *act)
{
	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			SYS(SYS_rt_sigaction, sig, act, NULL, sizeof(act->mask));
}

/**
 * raw_reset_signals() - in a new child, before exec: every pending signal discarded, every
 * signal back to SIG_DFL (an inherited SIG_IGN survives exec; libc's 32 and 33 included),
 * then an empty mask.
 *
 * Call it once the child has left its parent's process group (setsid, setpgid), with the
 * parent's mask still blocking: a signal sent to the parent's group before that is pending
 * in the child and was meant for the parent. Unblocked, it would kill the child: a SIGTERM
 * from zinit's stop of wait_hooks killed a restore's `zstor check` so. SIG_IGN discards it.
 */
static inline void raw_reset_signals(void)
{
	static const struct kernel_sigaction ign = { SIG_IGN, 0, NULL, 0 };
	static const struct kernel_sigaction dfl = { SIG_DFL, 0, NULL, 0 };
	static const uint64_t none = 0;
	raw_set_all_signals(&ign);
	raw_set_all_signals(&dfl);
	SYS(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof(none));
}

/**
 * raw_close_fds() - closes every descriptor from 3 up but @keep (-1: none), so that nothing
 * of the parent's (a listening socket, a lock) outlives it in the child; where close_range
 * does not exist (Linux < 5.9, some seccomp profiles), each one below @max. PID 1 passes 0:
 * its descriptors are all close-on-exec (spawn_raise_fd_limit makes the inherited ones so),
 * and a close() of each possible one up to its raised limit took seconds per spawn.
 */
static inline void raw_close_fds(int keep, long max)
{
	if (keep > 3)
		SYS(SYS_close_range, 3, keep - 1, 0, 0);
	if (SYS(SYS_close_range, keep >= 3 ? keep + 1 : 3, ~0U, 0, 0) == 0)
		return;
	for (long fd = 3; fd < max; fd++)
		if (fd != keep)
			SYS(SYS_close, fd, 0, 0, 0);
}

#endif
