/* SPDX-License-Identifier: MIT */
/* Every signal back to its default disposition and an empty mask (hooks, zstor children). */
#ifndef QSFS_SIGRESET_H
#define QSFS_SIGRESET_H

/**
 * sig_reset_all() - SIG_DFL for signals 1..64 (SIGKILL and SIGSTOP aside) through the raw
 * system call, so that libc's own 32 and 33 are reset too (glibc's sigaction() refuses
 * them, and an inherited SIG_IGN survives exec), then an empty signal mask.
 *
 * Signals pending in the caller are discarded first. Call it in a child that has just left
 * its parent's process group (setpgid, setsid) with the parent's mask still blocking: a
 * SIGTERM sent to the parent's group between fork and that call is pending there, and must
 * not kill the child the moment it is unblocked (a restore's `zstor check` died so when
 * zinit stopped wait_hooks).
 */
void sig_reset_all(void);

#endif
