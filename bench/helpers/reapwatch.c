/* SPDX-License-Identifier: MIT
 * reapwatch STAMPS N PIDFILE INITPID TIMEOUT_S: times the last reap of scenario 5 (part of the
 * zinit benchmark harness, bench/).
 *
 * STAMPS is bench-orphans' shared file (N + 1 int64: [0] = how many orphans have stamped,
 * [1 + i] = orphan i's exit time, CLOCK_MONOTONIC ns). PIDFILE lists the orphans' PIDs, one
 * per line; INITPID is the init (PID 1 of the namespace) as the host sees it.
 *
 * reapwatch waits (sleeping, so it takes no CPU from the exit storm) until all N have
 * stamped, then reads the init's children lists (/proc/INITPID/task/TID/children) in passes
 * until none of the orphans is listed: a zombie stays on its parent's list until it is
 * reaped. One such read costs microseconds once few orphans are left, where checking 10,000
 * PIDs one by one costs milliseconds (3.7 ms with kill() from C here, 14 ms from Python):
 * that would be counted as lag. It never opens an orphan's own /proc/PID (that makes every
 * reap flush proc dentries). At the end every PID is checked with kill(PID, 0), which must
 * fail with ESRCH (reaped).
 *
 * Prints "done_ns=T last_ns=L pass_us=P passes=K left_at_first=A unreaped=U timeout=0|1":
 * T is the end of the pass that found no orphan listed, an upper bound of the last reap; L
 * the latest exit stamp; P how long that last pass took (the bound's slack); A how many
 * orphans were still listed on the first pass; U how many PIDs still existed at the end. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_TASKS 64
#define PID_LIMIT (1 << 22) /* the kernel's PID_MAX_LIMIT */

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void nap_us(long us)
{
	struct timespec t = { 0, us * 1000 };
	nanosleep(&t, NULL);
}

static long read_pids(const char *path, pid_t **out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long n = 0, cap = 1024;
	pid_t *p = malloc((size_t)cap * sizeof(*p));
	int v;
	while (p && fscanf(f, "%d", &v) == 1) {
		if (n == cap) {
			cap *= 2;
			pid_t *q = realloc(p, (size_t)cap * sizeof(*p));
			if (!q) {
				free(p);
				p = NULL;
				break;
			}
			p = q;
		}
		p[n++] = v;
	}
	fclose(f);
	*out = p;
	return p ? n : -1;
}

/* The init's threads' children files, opened once. */
static int open_children(int initpid, int *fds)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", initpid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < MAX_TASKS) {
		if (e->d_name[0] == '.')
			continue;
		char f[300];
		snprintf(f, sizeof(f), "/proc/%d/task/%s/children", initpid, e->d_name);
		int fd = open(f, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			fds[n++] = fd;
	}
	closedir(d);
	return n;
}

/* How many PIDs marked in @orphan the init's children lists still hold. */
static long listed(const int *fds, int nfds, const unsigned char *orphan, char *buf, size_t cap)
{
	long count = 0;
	for (int i = 0; i < nfds; i++) {
		size_t len = 0;
		ssize_t k;
		while (len < cap - 1 && (k = pread(fds[i], buf + len, cap - 1 - len, (off_t)len)) > 0)
			len += (size_t)k;
		buf[len] = '\0';
		for (char *s = buf; *s;) {
			char *end;
			long pid = strtol(s, &end, 10);
			if (end == s)
				break;
			if (pid > 0 && pid < PID_LIMIT && orphan[pid])
				count++;
			s = end;
		}
	}
	return count;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: reapwatch STAMPS N PIDFILE INITPID TIMEOUT_S\n");
		return 2;
	}
	long n = atol(argv[2]);
	int64_t deadline = now_ns() + (int64_t)(atof(argv[5]) * 1e9);
	int sfd = open(argv[1], O_RDONLY);
	if (sfd < 0) {
		perror("reapwatch: stamps");
		return 1;
	}
	const volatile int64_t *st = mmap(NULL, (size_t)(n + 1) * 8, PROT_READ, MAP_SHARED, sfd, 0);
	close(sfd);
	pid_t *pids = NULL;
	long npids = read_pids(argv[3], &pids);
	int fds[MAX_TASKS];
	int nfds = open_children(atoi(argv[4]), fds);
	unsigned char *orphan = calloc(PID_LIMIT, 1);
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	if (st == MAP_FAILED || npids < 0 || nfds <= 0 || !orphan || !buf) {
		perror("reapwatch: setup");
		return 1;
	}
	for (long i = 0; i < npids; i++)
		if (pids[i] > 0 && pids[i] < PID_LIMIT)
			orphan[pids[i]] = 1;
	int timeout = 0;
	while (st[0] < n && !(timeout = now_ns() > deadline))
		nap_us(200);
	long passes = 0, at_first = -1;
	int64_t start = now_ns(), end = start;
	while (!timeout) {
		start = now_ns();
		long left = listed(fds, nfds, orphan, buf, cap);
		end = now_ns();
		if (passes++ == 0)
			at_first = left;
		if (left == 0)
			break;
		timeout = end > deadline;
		nap_us(20); /* leave the CPU to the init between passes */
	}
	long unreaped = 0;
	for (long i = 0; i < npids; i++)
		if (kill(pids[i], 0) == 0 || errno != ESRCH)
			unreaped++;
	int64_t last = 0;
	for (long i = 1; i <= n; i++)
		if (st[i] > last)
			last = st[i];
	printf("done_ns=%lld last_ns=%lld pass_us=%.1f passes=%ld left_at_first=%ld unreaped=%ld "
	       "timeout=%d\n",
	       (long long)end, (long long)last, (double)(end - start) / 1e3, passes, at_first,
	       unreaped, timeout);
	return 0;
}
