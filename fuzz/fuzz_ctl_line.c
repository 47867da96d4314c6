/* SPDX-License-Identifier: MIT */
/* libFuzzer target: one v0.2 line-protocol command through ctl_line_parse(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request req = { 0 };
	const char *err = NULL;
	char buf[256], *line;

	if (size > CTL_MAX_LINE)
		return 0;
	line = malloc(size + 1); /* not NUL-terminated: the parser must stop at @size (ASan) */
	if (!line)
		return 0;
	memcpy(line, data, size);
	ctl_line_parse(line, size, &req, buf, sizeof(buf), &err);
	ctl_request_clear(&req);
	free(line);
	return 0;
}
