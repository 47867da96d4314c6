/* SPDX-License-Identifier: MIT */
/* One line of /proc/net/unix: whether it is a stream socket listening at a path (pure). */
#include "qsfs/netunix.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define SO_ACCEPTCON_FLAG 0x10000UL /* __SO_ACCEPTCON: the socket is listening */

bool netunix_listens_at(const char *line, const char *path)
{
	unsigned long flags;
	unsigned int type;
	int at = -1;
	if (sscanf(line, "%*x: %*x %*x %lx %x %*x %*u %n", &flags, &type, &at) != 2 || at < 0)
		return false;
	const char *p = line + at;
	size_t n = strcspn(p, "\n");
	return type == SOCK_STREAM && (flags & SO_ACCEPTCON_FLAG) && n == strlen(path) &&
	       memcmp(p, path, n) == 0;
}
