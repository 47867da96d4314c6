/* SPDX-License-Identifier: MIT */
/* Whether some process holds a flock() on a file, read from /proc/locks without taking it. */
#ifndef ZINIT_QSFS_FLOCKS_H
#define ZINIT_QSFS_FLOCKS_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * flocks_line_holds() - whether one /proc/locks line is a granted FLOCK on the file @ino of
 * the device @major:@minor ("N: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE START END", the
 * device numbers in hex; a waiter's line has "->" after its number and is not a holder).
 * Pure.
 */
bool flocks_line_holds(const char *line, unsigned major, unsigned minor, ino_t ino);

/**
 * flocks_held() - whether some process holds a flock() on @path (zdb keeps its index and data
 * directories' .lockfile locked while it runs). False when @path or /proc/locks cannot be read.
 */
bool flocks_held(const char *path);

#endif
