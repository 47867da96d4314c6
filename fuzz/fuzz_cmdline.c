/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the exec/test word splitter, cmdline_split(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), **argv = NULL;
	size_t argc = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cmdline_split(s, &argv, &argc) == 0)
		cmdline_free(argv);
	free(s);
	return 0;
}
