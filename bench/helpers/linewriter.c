/* SPDX-License-Identifier: MIT
 * linewriter ID COUNT [STARTFILE]: write COUNT lines of exactly 100 bytes
 * ("ID:SEQ:" + filler + '\n', see line_fill()) to stdout through a 64 KiB
 * buffer (lines cross write() boundaries, as a fully buffered program's do).
 * STARTFILE, if given, receives CLOCK_MONOTONIC (ns) taken just before the
 * first write. Part of the zinit benchmark harness (bench/).
 *
 * The lines are line_fill()'s bytes, but not made by it: snprintf() and 85 divisions per
 * line cost ~230 ns, three times what zinit spends on the line, so the writer was the
 * benchmark's bottleneck and every init looked alike (issue 12). The filler depends only on
 * SEQ % 26: 26 lines are formatted once, and each line is a copy of one of them with the
 * 10-digit counter, incremented in place, written over its SEQ (~20 ns). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "line.h"
#include "writeall.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: linewriter ID COUNT [STARTFILE]\n");
		return 2;
	}
	const char *id = argv[1];
	long count = atol(argv[2]);
	static char buf[65536];
	size_t used = 0;
	char line[LINE_LEN];

	if (argc > 3) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		FILE *f = fopen(argv[3], "w");
		if (!f) {
			perror("linewriter: start file");
			return 1;
		}
		fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
		fclose(f);
	}
	char models[26][LINE_LEN];
	for (int r = 0; r < 26; r++)
		line_fill(models[r], id, r);
	size_t seq_at = strlen(id) + 1;
	char digits[10];
	memset(digits, '0', sizeof(digits));
	for (long seq = 0; seq < count; seq++) {
		memcpy(line, models[seq % 26], LINE_LEN);
		memcpy(line + seq_at, digits, sizeof(digits));
		for (int d = 9; d >= 0 && ++digits[d] > '9'; d--)
			digits[d] = '0';
		size_t off = 0;
		while (off < LINE_LEN) {
			size_t room = sizeof buf - used, k = LINE_LEN - off;
			if (k > room)
				k = room;
			memcpy(buf + used, line + off, k);
			used += k;
			off += k;
			if (used == sizeof buf) {
				write_all("linewriter", buf, used);
				used = 0;
			}
		}
	}
	write_all("linewriter", buf, used);
	return 0;
}
