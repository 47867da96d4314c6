/* SPDX-License-Identifier: MIT */
/* Memory and CPU of a process and its descendants, read from /proc. */
#include "procstat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

/* Reads a small /proc file into @buf; returns its length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return n;
}

/* The fields after the command name in /proc/PID/stat ("S ppid ..."), or NULL. */
static const char *stat_fields(pid_t pid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, len) < 0)
		return NULL;
	const char *end = strrchr(buf, ')');
	return end ? end + 2 : NULL;
}

static double uptime_seconds(void)
{
	char buf[128];
	return read_small("/proc/uptime", buf, sizeof(buf)) > 0 ? strtod(buf, NULL) : 0.0;
}

int procstat_read(pid_t pid, struct procstat *st)
{
	char buf[1024];
	const char *f = stat_fields(pid, buf, sizeof(buf));
	if (!f)
		return -ENOENT;
	unsigned long utime, stime;
	unsigned long long start;
	long rss;
	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
	 * cutime cstime priority nice threads itrealvalue starttime vsize rss */
	if (sscanf(f, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d "
		      "%*d %llu %*u %ld", &utime, &stime, &start, &rss) != 4)
		return -EINVAL;
	long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	double alive = uptime_seconds() - (double)start / (double)tick;
	st->pid = pid;
	st->memory = rss > 0 ? (uint64_t)rss * (uint64_t)page : 0;
	st->cpu = alive > 0 ? (double)(utime + stime) / (double)tick / alive * 100.0 : 0.0;
	st->alive = alive > 0 ? alive : 0.0;
	return 0;
}

struct proc_link {
	pid_t pid, ppid, pgid;
};

/* Every process, its parent and its process group. */
static size_t all_links(struct proc_link **out)
{
	size_t n = 0, cap = 256;
	struct proc_link *links = xmalloc(cap * sizeof(*links));
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);
		char buf[1024];
		const char *f = pid > 0 ? stat_fields(pid, buf, sizeof(buf)) : NULL;
		int ppid, pgid;
		if (!f || sscanf(f, "%*c %d %d", &ppid, &pgid) != 2)
			continue;
		if (n == cap)
			links = xrealloc(links, (cap *= 2) * sizeof(*links));
		links[n++] = (struct proc_link){ pid, (pid_t)ppid, (pid_t)pgid };
	}
	if (d)
		closedir(d);
	*out = links;
	return n;
}

static bool listed(const pid_t *pids, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Appends to @kids[@found...] the descendants of @root, breadth first (kids[] doubles as the
 * queue of parents still to expand), but those listed already when @dedup; the new count. */
static size_t add_descendants(const struct proc_link *links, size_t n, pid_t root, pid_t *kids,
			      size_t found, bool dedup)
{
	size_t next = found;
	for (pid_t parent = root;; parent = kids[next++]) {
		for (size_t i = 0; i < n; i++)
			if (links[i].ppid == parent && !(dedup && listed(kids, found, links[i].pid)))
				kids[found++] = links[i].pid;
		if (next >= found)
			return found;
	}
}

size_t procstat_descendants(pid_t pid, bool with_group, pid_t **out)
{
	struct proc_link *links;
	size_t n = all_links(&links);
	pid_t *kids = xmalloc((n + 1) * sizeof(*kids));
	size_t found = add_descendants(links, n, pid, kids, 0, false);
	for (size_t i = 0; with_group && i < n; i++) {
		if (links[i].pgid != pid || links[i].pid == pid || listed(kids, found, links[i].pid))
			continue;
		kids[found++] = links[i].pid; /* a member of the group its parent left */
		found = add_descendants(links, n, links[i].pid, kids, found, true);
	}
	free(links);
	*out = kids;
	return found;
}

/* The hexadecimal signal mask of field @key ("SigPnd:", "ShdPnd:") in @status. */
static unsigned long long sigmask_field(const char *status, const char *key)
{
	const char *p = strstr(status, key);
	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

bool procstat_dying(pid_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return true;
	const char *state = strstr(buf, "State:");
	if (!state)
		return true;
	state += 6 + strspn(state + 6, " \t");
	if (*state == 'Z' || *state == 'X')
		return true;
	unsigned long long kill_bit = 1ULL << (SIGKILL - 1);
	return (sigmask_field(buf, "ShdPnd:") | sigmask_field(buf, "SigPnd:")) & kill_bit;
}
