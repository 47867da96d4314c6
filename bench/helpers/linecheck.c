/* SPDX-License-Identifier: MIT
 * linecheck FILE MODE COUNT ID...: verify a log captured from linewriter(s).
 * MODE "zinit": every service line must be "[+] ID: " + the original line;
 *   lines starting "zinit: " (zinit's own messages) are skipped.
 * MODE "raw": every line must be the original line, unprefixed.
 * Prints one line: lines=N good=N corrupt=N lost=N dup=N reordered=N other=N
 * (per writer, lost = COUNT - distinct good sequence numbers; reordered =
 * good lines whose sequence number is not the previous one + 1). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "line.h"

#define MAXW 16

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: linecheck FILE zinit|raw COUNT ID...\n");
		return 2;
	}
	int zmode = strcmp(argv[2], "zinit") == 0;
	long count = atol(argv[3]);
	int nw = argc - 4;
	if (nw > MAXW)
		nw = MAXW;
	const char **ids = (const char **)argv + 4;
	unsigned char *seen[MAXW];
	long last[MAXW];
	for (int w = 0; w < nw; w++) {
		seen[w] = calloc((size_t)count, 1);
		last[w] = -1;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror("linecheck: open");
		return 2;
	}
	struct stat st;
	fstat(fd, &st);
	size_t size = (size_t)st.st_size;
	const char *data = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
	if (data == MAP_FAILED) {
		perror("linecheck: mmap");
		return 2;
	}
	long lines = 0, good = 0, corrupt = 0, dup = 0, reord = 0, other = 0;
	char expect[LINE_LEN];
	size_t pos = 0;
	while (pos < size) {
		const char *p = data + pos;
		const char *nl = memchr(p, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - p) + 1 : size - pos;
		pos += len;
		lines++;
		if (zmode && len >= 7 && memcmp(p, "zinit: ", 7) == 0) {
			other++;
			continue;
		}
		const char *body = p;
		size_t blen = len;
		int w = -1;
		if (zmode) {
			if (len < 4 || memcmp(p, "[+] ", 4) != 0) {
				corrupt++;
				continue;
			}
			for (int k = 0; k < nw; k++) {
				size_t il = strlen(ids[k]);
				if (len > 4 + il + 2 && memcmp(p + 4, ids[k], il) == 0 &&
				    p[4 + il] == ':' && p[5 + il] == ' ') {
					w = k;
					body = p + 6 + il;
					blen = len - 6 - il;
					break;
				}
			}
			if (w < 0) {
				corrupt++;
				continue;
			}
		}
		if (blen != LINE_LEN) {
			corrupt++;
			continue;
		}
		/* body: "ID:SEQ:..." */
		const char *c = memchr(body, ':', blen);
		if (!c) {
			corrupt++;
			continue;
		}
		int bw = -1;
		for (int k = 0; k < nw; k++)
			if ((size_t)(c - body) == strlen(ids[k]) && memcmp(body, ids[k], (size_t)(c - body)) == 0)
				bw = k;
		if (bw < 0 || (zmode && bw != w)) {
			corrupt++;
			continue;
		}
		long seq = strtol(c + 1, NULL, 10);
		if (seq < 0 || seq >= count) {
			corrupt++;
			continue;
		}
		line_fill(expect, ids[bw], seq);
		if (memcmp(body, expect, LINE_LEN) != 0) {
			corrupt++;
			continue;
		}
		if (seen[bw][seq]) {
			dup++;
			continue;
		}
		seen[bw][seq] = 1;
		good++;
		if (seq != last[bw] + 1)
			reord++;
		last[bw] = seq;
	}
	long lost = 0;
	for (int w = 0; w < nw; w++)
		for (long s = 0; s < count; s++)
			lost += !seen[w][s];
	printf("lines=%ld good=%ld corrupt=%ld lost=%ld dup=%ld reordered=%ld other=%ld\n",
	       lines, good, corrupt, lost, dup, reord, other);
	return 0;
}
