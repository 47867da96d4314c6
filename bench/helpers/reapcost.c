/* SPDX-License-Identifier: MIT
 * reapcost N: the kernel's floor for reaping. Forks N children that exit at
 * once, waits until they are all zombies, then times a bare waitpid() loop.
 * Prints "reap_us=X total_ms=Y". Part of the zinit benchmark harness. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, made = 0;
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		if (p < 0)
			break;
		made++;
	}
	sleep(1); /* by then every child has exited: all are zombies */
	double t = now();
	int k = 0;
	while (waitpid(-1, NULL, 0) > 0)
		k++;
	double dt = now() - t;
	printf("reap_us=%.2f total_ms=%.1f reaped=%d of=%d\n", k ? dt * 1e6 / k : 0.0, dt * 1e3, k, made);
	return 0;
}
