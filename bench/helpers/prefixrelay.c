/* SPDX-License-Identifier: MIT
 * prefixrelay ID CPUFILE: the least work a process in the data path must do to
 * prefix a service's lines, scenario 4's floor for zinit. stdin and stdout are
 * grown to 1 MiB pipes (as zinit grows its own), stdin is read 256 KiB at a
 * time, each whole line is copied after "[+] ID: " into one output buffer, and
 * that buffer goes out in blocking writes once per read. No event loop, no log
 * ring, no line cut, no back-pressure decisions. At EOF it writes the CPU time
 * it used (user + system, ns) to CPUFILE. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "writeall.h"

#define READ_SIZE (256 * 1024)
#define PIPE_SIZE (1024 * 1024)

static void write_cpu(const char *path)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long long ns = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
		       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%lld\n", ns) < 0 || fclose(f) != 0)
		perror("prefixrelay: cpu file");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: prefixrelay ID CPUFILE\n");
		return 2;
	}
	char prefix[64];
	int plen = snprintf(prefix, sizeof prefix, "[+] %s: ", argv[1]);
	if (plen < 0 || plen >= (int)sizeof prefix) {
		fprintf(stderr, "prefixrelay: ID too long\n");
		return 2;
	}
	fcntl(0, F_SETPIPE_SZ, PIPE_SIZE); /* best effort, as in zinit */
	fcntl(1, F_SETPIPE_SZ, PIPE_SIZE);
	/* every byte of a read can end a line: room for a prefix per byte */
	size_t out_cap = (size_t)READ_SIZE * (size_t)(plen + 1);
	char *in = malloc(READ_SIZE), *out = malloc(out_cap);
	if (!in || !out)
		return 1;
	size_t carry = 0; /* bytes of an unfinished line at the start of `in` */
	for (;;) {
		ssize_t n = read(0, in + carry, READ_SIZE - carry);
		if (n < 0) {
			perror("prefixrelay: read");
			return 1;
		}
		if (n == 0)
			break;
		size_t have = carry + (size_t)n, pos = 0, o = 0;
		const char *nl;
		while ((nl = memchr(in + pos, '\n', have - pos))) {
			size_t len = (size_t)(nl - (in + pos)) + 1;
			memcpy(out + o, prefix, (size_t)plen);
			memcpy(out + o + plen, in + pos, len);
			o += (size_t)plen + len;
			pos += len;
		}
		write_all("prefixrelay", out, o);
		carry = have - pos;
		if (carry == READ_SIZE) { /* a line longer than the buffer: pass it on as it is */
			write_all("prefixrelay", in, carry);
			carry = 0;
		}
		memmove(in, in + pos, carry);
	}
	if (carry) { /* an unterminated last line */
		write_all("prefixrelay", prefix, (size_t)plen);
		write_all("prefixrelay", in, carry);
	}
	write_cpu(argv[2]);
	free(in);
	free(out);
	return 0;
}
