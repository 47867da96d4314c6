/* SPDX-License-Identifier: MIT */
/* Memory and CPU of a process and its descendants, read from /proc. */
#ifndef ZINIT_PROCSTAT_H
#define ZINIT_PROCSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct procstat {
	pid_t pid;
	uint64_t memory;    /* resident set size, bytes */
	double cpu;         /* CPU time over the process's lifetime, percent of one CPU */
	double alive;       /* seconds since it started (fork), to 1/CLK_TCK */
};

/** procstat_read() - fill @st for @pid. Return: 0 or -errno (e.g. -ENOENT: gone). */
int procstat_read(pid_t pid, struct procstat *st);

/**
 * procstat_descendants() - the pids descending from @pid (children, their children, ...),
 * and with @with_group the other members of process group @pid and their descendants (a
 * unit's processes whose parent exited: they were re-parented to zinit, or to a subreaper),
 * in a malloc'd array *@out (free it): @pid's descendants first, parents before children,
 * then each other member of the group with its descendants. Return: how many.
 */
size_t procstat_descendants(pid_t pid, bool with_group, pid_t **out);

/**
 * procstat_dying() - whether @pid is already on its way out: a zombie, or SIGKILL pending.
 * A process that is gone counts as dying.
 */
bool procstat_dying(pid_t pid);

#endif
