/* SPDX-License-Identifier: MIT
 * The benchmark's 100-byte line: "ID:SEQ(10 digits):" then filler bytes that
 * depend on the sequence number and the position, then '\n'. Shared by
 * linewriter.c and linecheck.c. */
#ifndef BENCH_LINE_H
#define BENCH_LINE_H
#include <stdio.h>
#include <string.h>

#define LINE_LEN 100

static inline void line_fill(char *line, const char *id, long seq)
{
	int n = snprintf(line, LINE_LEN, "%s:%010ld:", id, seq);
	for (int i = n; i < LINE_LEN - 1; i++)
		line[i] = (char)('a' + (int)((seq * 7 + i) % 26));
	line[LINE_LEN - 1] = '\n';
}
#endif
