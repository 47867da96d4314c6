/* SPDX-License-Identifier: MIT */
/* One line of /proc/PID/mountinfo: its mount point, with the kernel's octal escapes undone (pure). */
#ifndef ZINIT_QSFS_MOUNTINFO_H
#define ZINIT_QSFS_MOUNTINFO_H

#include <stddef.h>

/**
 * mountinfo_mount_point() - the mount point (field 5) of one mountinfo line, decoded into @out.
 * @line:   "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE SUPEROPTS",
 *          with or without its trailing newline (proc(5)).
 * The kernel writes space, tab, newline and backslash in paths as \040 \011 \012 \134.
 * Return: 0; -EINVAL if the line is not in that shape (or an escape is not 3 octal digits);
 * -ENAMETOOLONG if the decoded path and its NUL do not fit in @outlen bytes.
 */
int mountinfo_mount_point(const char *line, char *out, size_t outlen);

#endif
