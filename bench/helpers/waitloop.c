/* SPDX-License-Identifier: MIT
 * bench-waitloop [--autoreap] CMD [ARG...]: the simplest possible reaping PID 1, a
 * reference for scenario 5 of the zinit benchmark: it runs CMD and then does nothing but
 * a blocking wait() loop (no signal handling, no bookkeeping). It exits when CMD has
 * exited and no child is left. With --autoreap it first sets SIGCHLD to SIG_IGN, so the
 * kernel releases every child in the child's own exit (no zombie, nothing to reap) and
 * wait() only blocks until no child is left. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--autoreap") == 0) {
		signal(SIGCHLD, SIG_IGN);
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bench-waitloop [--autoreap] CMD [ARG...]\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("bench-waitloop: fork");
		return 1;
	}
	if (child == 0) {
		signal(SIGCHLD, SIG_DFL);
		execvp(argv[1], argv + 1);
		perror("bench-waitloop: exec");
		_exit(127);
	}
	for (;;) {
		pid_t p = wait(NULL);
		if (p < 0 && errno == ECHILD)
			return 0;
	}
}
