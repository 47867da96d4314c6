/* SPDX-License-Identifier: MIT
 * reapwatch STAMPS N PIDFILE TIMEOUT_S: times the last reap of scenario 5 (part of the zinit
 * benchmark harness, bench/).
 *
 * STAMPS is bench-orphans' shared file (N + 1 int64: [0] = how many orphans have stamped,
 * [1 + i] = orphan i's exit time, CLOCK_MONOTONIC ns). PIDFILE lists the orphans' PIDs, one
 * per line. reapwatch waits (sleeping, so it takes no CPU from the exit storm) until all N
 * have stamped, then checks the PIDs with kill(PID, 0) in passes, dropping each PID that is
 * gone (ESRCH: reaped; a zombie keeps its PID), until none is left. It never opens an orphan's
 * /proc/PID (that makes every reap flush proc dentries).
 *
 * Prints "done_ns=T last_ns=L pass_us=P passes=K left_at_first=A timeout=0|1": T is the end of
 * the pass that found no PID left, an upper bound of the last reap; L the latest exit stamp;
 * P how long that last pass took (the bound's slack); A how many PIDs were still there on
 * the first pass. A C loop: Python's os.kill costs ~1.4 us a PID here, so a Python scan of
 * 10,000 PIDs alone took 14 ms, more than the budget it measures. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

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

/* One pass: keeps the PIDs still there at the front; returns how many. */
static long sweep(pid_t *pids, long n)
{
	long k = 0;
	for (long i = 0; i < n; i++)
		if (kill(pids[i], 0) == 0 || errno != ESRCH)
			pids[k++] = pids[i];
	return k;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: reapwatch STAMPS N PIDFILE TIMEOUT_S\n");
		return 2;
	}
	long n = atol(argv[2]);
	int64_t deadline = now_ns() + (int64_t)(atof(argv[4]) * 1e9);
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror("reapwatch: stamps");
		return 1;
	}
	size_t len = (size_t)(n + 1) * 8;
	const volatile int64_t *st = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	pid_t *pids;
	long left = read_pids(argv[3], &pids);
	if (st == MAP_FAILED || left < 0) {
		perror("reapwatch: setup");
		return 1;
	}
	int timeout = 0;
	while (st[0] < n && !(timeout = now_ns() > deadline))
		nap_us(200);
	long passes = 0, at_first = -1;
	int64_t start = now_ns(), end = start;
	while (!timeout) {
		start = now_ns();
		left = sweep(pids, left);
		end = now_ns();
		if (passes++ == 0)
			at_first = left;
		if (left == 0)
			break;
		timeout = end > deadline;
		nap_us(20); /* leave the CPU to the init between passes */
	}
	int64_t last = 0;
	for (long i = 1; i <= n; i++)
		if (st[i] > last)
			last = st[i];
	printf("done_ns=%lld last_ns=%lld pass_us=%.1f passes=%ld left_at_first=%ld timeout=%d\n",
	       (long long)end, (long long)last, (double)(end - start) / 1e3, passes, at_first, timeout);
	free(pids);
	return 0;
}
