/* SPDX-License-Identifier: MIT
 * write_all(): a blocking write of every byte to stdout, or exit 1 naming the
 * program. Shared by the benchmark helpers that write service output
 * (linewriter.c, prefixrelay.c). */
#ifndef BENCH_WRITEALL_H
#define BENCH_WRITEALL_H
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void write_all(const char *prog, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(1, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: write: ", prog);
			perror(NULL);
			exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
}
#endif
