/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the /etc/environment reader, env_parse_etc_environment(). */
#include <stdint.h>

#include "env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct env e;

	env_init(&e);
	env_parse_etc_environment(&e, (const char *)data, size);
	env_free(&e);
	return 0;
}
