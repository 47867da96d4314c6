/* SPDX-License-Identifier: MIT */
/* Every signal back to its default disposition and an empty mask (hooks, zstor children). */
#ifndef QSFS_SIGRESET_H
#define QSFS_SIGRESET_H

/**
 * sig_reset_all() - SIG_DFL for signals 1..64 (SIGKILL and SIGSTOP aside) through the raw
 * system call, so that libc's own 32 and 33 are reset too (glibc's sigaction() refuses
 * them, and an inherited SIG_IGN survives exec), then an empty signal mask.
 */
void sig_reset_all(void);

#endif
