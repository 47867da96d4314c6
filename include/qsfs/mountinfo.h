/* SPDX-License-Identifier: MIT */
/* One line of /proc/PID/mountinfo: its mount point, type and source, escapes undone (pure). */
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

/**
 * mountinfo_filesystem() - the filesystem type and the source (the two fields after "-") of
 * one mountinfo line, decoded as mountinfo_mount_point() decodes the mount point.
 * A FUSE mount's type is "fuse.SUBTYPE" (or "fuse"), its source the daemon's fsname.
 * Return: 0, -EINVAL or -ENAMETOOLONG as mountinfo_mount_point().
 */
int mountinfo_filesystem(const char *line, char *type, size_t typelen, char *source,
			 size_t sourcelen);

#endif
