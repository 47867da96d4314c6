/* SPDX-License-Identifier: MIT */
/* Whether some process holds a flock() on a file, read from /proc/locks without taking it. */
#include "qsfs/flocks.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

bool flocks_line_holds(const char *line, unsigned major, unsigned minor, ino_t ino)
{
	char kind[16];
	unsigned maj, min;
	unsigned long long inode;
	int n = 0;
	if (sscanf(line, "%*d: %15s %n", kind, &n) != 1 || n == 0 || strcmp(kind, "FLOCK") != 0)
		return false; /* a waiter ("N: -> FLOCK ..."), a POSIX or OFD lock, or no lock line */
	if (sscanf(line + n, "%*s %*s %*d %x:%x:%llu", &maj, &min, &inode) != 3)
		return false;
	return maj == major && min == minor && inode == (unsigned long long)ino;
}

bool flocks_held(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return false;
	FILE *f = fopen("/proc/locks", "re");
	if (!f)
		return false;
	char line[256];
	bool held = false;
	while (!held && fgets(line, sizeof(line), f))
		held = flocks_line_holds(line, major(st.st_dev), minor(st.st_dev), st.st_ino);
	fclose(f);
	return held;
}
