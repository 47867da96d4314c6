/* SPDX-License-Identifier: MIT */
/* LD_PRELOAD shim (tests only): holds the first read of one file at a gate. */
/*
 * READ_GATE_PATH names the file. The first read() of a descriptor open on it creates the file
 * READ_GATE_HELD, then waits until the file READ_GATE_OPEN exists (at most 60 s) before it
 * reads: the test does what must happen while the file is being read, then opens the gate.
 * One read is held in all: READ_GATE_HELD is created exclusively, so the children that inherit
 * the shim (a zstor CLI reading the same file later) and a wrapper that execs the program
 * under test (valgrind's) pass.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define GATE_WAIT_MS 60000
#define GATE_POLL_MS 10

static char gate_path[PATH_MAX]; /* canonical, as /proc/self/fd shows it */
static const char *held_path, *open_path;
static bool passed;

__attribute__((constructor)) static void read_gate_init(void)
{
	const char *path = getenv("READ_GATE_PATH");
	held_path = getenv("READ_GATE_HELD");
	open_path = getenv("READ_GATE_OPEN");
	if (!path || !held_path || !open_path) {
		fprintf(stderr, "read_gate: READ_GATE_PATH, READ_GATE_HELD and READ_GATE_OPEN "
				"must be set\n");
		passed = true;
		return;
	}
	if (!realpath(path, gate_path))
		snprintf(gate_path, sizeof(gate_path), "%s", path);
}

/* Whether @fd is open on the gated file. */
static bool gated(int fd)
{
	char link[32], target[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, gate_path) == 0;
}

/* Holds this read unless another one was held before (READ_GATE_HELD exists). */
static void hold(void)
{
	struct timespec tick = { .tv_nsec = GATE_POLL_MS * 1000000L };
	int fd = open(held_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(fd);
	for (int waited = 0; access(open_path, F_OK) != 0; waited += GATE_POLL_MS) {
		if (waited >= GATE_WAIT_MS) {
			fprintf(stderr, "read_gate: %s did not appear in %d s; reading\n", open_path,
				GATE_WAIT_MS / 1000);
			break;
		}
		nanosleep(&tick, NULL);
	}
}

ssize_t read(int fd, void *buf, size_t count)
{
	if (!passed && gated(fd)) {
		passed = true;
		hold();
	}
	return syscall(SYS_read, fd, buf, count);
}
