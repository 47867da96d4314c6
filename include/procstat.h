/* SPDX-License-Identifier: MIT */
/* Memory and CPU of a process and its descendants, read from /proc. */
#ifndef ZINIT_PROCSTAT_H
#define ZINIT_PROCSTAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct procstat {
	pid_t pid;
	uint64_t memory;    /* resident set size, bytes */
	double cpu;         /* CPU time over the process's lifetime, percent of one CPU */
};

/** procstat_read() - fill @st for @pid. Return: 0 or -errno (e.g. -ENOENT: gone). */
int procstat_read(pid_t pid, struct procstat *st);

/**
 * procstat_descendants() - the pids descending from @pid (children, their children, ...),
 * at most @max of them into @out. Return: how many were written.
 */
size_t procstat_descendants(pid_t pid, pid_t *out, size_t max);

#endif
