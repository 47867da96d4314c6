/* SPDX-License-Identifier: MIT */
/* Unit-test runner: forks each registered test, enforces a timeout, prints "N passed, N failed". */
#include "runner.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TESTS 1024
#define TEST_TIMEOUT_S 10

struct test {
	const char *file;
	const char *name;
	test_fn fn;
};

static struct test tests[MAX_TESTS];
static size_t ntests;

void test_register(const char *file, const char *name, test_fn fn)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "runner: too many tests\n");
		exit(2);
	}
	tests[ntests++] = (struct test){ file, name, fn };
}

static int run_one(const struct test *t)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		alarm(TEST_TIMEOUT_S);
		t->fn();
		exit(0); /* not _exit: LeakSanitizer checks at exit */
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		fprintf(stderr, "  killed by signal %d%s\n", WTERMSIG(status),
			WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	return -1;
}

static int selected(const struct test *t, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strstr(t->name, argv[i]) || strstr(t->file, argv[i]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t passed = 0, failed = 0;
	for (size_t i = 0; i < ntests; i++) {
		if (!selected(&tests[i], argc, argv))
			continue;
		if (run_one(&tests[i]) == 0) {
			passed++;
			printf("ok   %s %s\n", tests[i].file, tests[i].name);
		} else {
			failed++;
			printf("FAIL %s %s\n", tests[i].file, tests[i].name);
		}
	}
	printf("unit: %zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
