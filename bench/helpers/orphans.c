/* SPDX-License-Identifier: MIT
 * bench-orphans N STAMPS STATE CREATE GO: a service that releases N orphans
 * at once (part of the zinit benchmark harness, bench/).
 *
 * 1. writes "started PID" to STATE and waits until the harness opens and
 *    closes the FIFO CREATE (so the harness can note PID 1's children first);
 * 2. forks a middle process that creates N child processes and exits: they are
 *    re-parented to PID 1 while they sit blocked reading a pipe whose write end
 *    only this service still holds. The children are clone(CLONE_VM)
 *    processes: processes of their own (own PID, not threads) that share the
 *    middle process's memory, so that each exit is cheap and its stamp close
 *    to the real exit;
 * 3. writes "ready COUNT PID" to STATE, waits for the FIFO GO likewise, and
 *    exits: the pipe's last writer is gone, every orphan sees EOF together,
 *    stores CLOCK_MONOTONIC (ns) in its slot of STAMPS, bumps the counter
 *    there and exits.
 *
 * STAMPS layout (shared file mapping, N + 1 int64): [0] = how many children
 * have stamped, [1 + i] = child i's exit time. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STACK 16384

static int rfd, wfd, cfd;
static int64_t *sp;

static int orphan(void *arg)
{
	long i = (long)(intptr_t)arg;
	char ch;
	/* raw system calls: errno is shared with every other orphan */
	syscall(SYS_close, wfd); /* our copy of the write end: only the service keeps one */
	syscall(SYS_close, cfd);
	while (syscall(SYS_read, rfd, &ch, 1) < 0)
		;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sp[1 + i] = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	__atomic_add_fetch(&sp[0], 1, __ATOMIC_SEQ_CST);
	syscall(SYS_exit_group, 0);
	return 0;
}

static void state(const char *path, const char *what, long count)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		perror("bench-orphans: state");
		exit(1);
	}
	fprintf(f, "%s %ld %d\n", what, count, (int)getpid());
	fclose(f);
	rename(tmp, path);
}

static void wait_fifo(const char *path)
{
	int g = open(path, O_RDONLY); /* blocks until the harness opens it */
	if (g >= 0) {
		char ch;
		while (read(g, &ch, 1) < 0 && errno == EINTR)
			;
		close(g);
	}
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: bench-orphans N STAMPS STATE CREATE GO\n");
		return 2;
	}
	long n = atol(argv[1]);
	size_t len = (size_t)(n + 1) * 8;
	int sfd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (sfd < 0 || ftruncate(sfd, (off_t)len) < 0) {
		perror("bench-orphans: stamps");
		return 1;
	}
	int64_t *stamps = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	if (stamps == MAP_FAILED) {
		perror("bench-orphans: mmap");
		return 1;
	}
	close(sfd);
	state(argv[3], "started", 0);
	wait_fifo(argv[4]);
	int p[2], c[2];
	if (pipe(p) < 0 || pipe(c) < 0) {
		perror("bench-orphans: pipe");
		return 1;
	}
	pid_t mid = fork();
	if (mid < 0) {
		perror("bench-orphans: fork");
		return 1;
	}
	if (mid == 0) {
		long made = 0;
		close(c[0]);
		rfd = p[0];
		wfd = p[1];
		cfd = c[1];
		sp = stamps;
		char *stacks = mmap(NULL, (size_t)n * STACK, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
		if (stacks == MAP_FAILED) {
			perror("bench-orphans: stacks");
			_exit(1);
		}
		for (long i = 0; i < n; i++) {
			/* A process of its own (not a thread) that shares our memory, so
			 * that its exit is cheap and its exit stamp close to its real exit. */
			pid_t pid = clone(orphan, stacks + (size_t)(i + 1) * STACK, CLONE_VM | SIGCHLD,
					  (void *)(intptr_t)i);
			if (pid < 0) {
				perror("bench-orphans: clone");
				break;
			}
			made++;
		}
		if (write(c[1], &made, sizeof made) != sizeof made)
			_exit(1);
		_exit(0); /* the children become orphans, re-parented to PID 1 */
	}
	close(p[0]);
	close(c[1]);
	long made = 0;
	if (read(c[0], &made, sizeof made) != sizeof made)
		made = 0;
	while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
		;
	state(argv[3], "ready", made);
	wait_fifo(argv[5]);
	return 0; /* closes p[1], the last write end: every orphan sees EOF */
}
