/* SPDX-License-Identifier: MIT */
/* One line of /proc/net/unix: whether it is a stream socket listening at a path (pure). */
#ifndef ZINIT_QSFS_NETUNIX_H
#define ZINIT_QSFS_NETUNIX_H

#include <stdbool.h>

/**
 * netunix_listens_at() - whether one line of /proc/net/unix describes a stream socket bound
 * at @path that is listening.
 * @line: "NUM: REFCOUNT PROTOCOL FLAGS TYPE ST INODE [PATH]" (hex fields, then the inode in
 *        decimal and the path as given to bind(2), unescaped), with or without its newline.
 * Listening is the __SO_ACCEPTCON flag (0x10000) that listen(2) sets. The header line, an
 * unbound socket and anything not in that shape are not.
 */
bool netunix_listens_at(const char *line, const char *path);

#endif
