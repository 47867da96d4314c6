/* SPDX-License-Identifier: MIT */
/* libFuzzer target: a whole unit file through unit_parse(). */
#include <stddef.h>
#include <stdint.h>

#include "unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unit *u = NULL;
	char err[512];

	if (unit_parse("fuzz.yaml", "fuzz", (const char *)data, size, &u, err, sizeof(err), NULL,
		       NULL) == 0)
		unit_free(u);
	return 0;
}
