/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the manifest reader, manifest_parse(), and its round trip through manifest_format(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qsfs/manifest.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m = { 0 }, again = { 0 };
	struct manifest_report rep, rep2;

	if (manifest_parse(&m, (const char *)data, size, &rep) == 0) {
		struct strbuf text = { 0 };
		manifest_format(&m, &text);
		if (manifest_parse(&again, text.s, text.len, &rep2) != 0 || rep2.bad_lines ||
		    again.n != m.n)
			abort();
		for (size_t i = 0; i < m.n; i++) {
			const struct manifest_entry *a = &m.v[i], *b = &again.v[i];
			if (strcmp(a->key, b->key) || memcmp(a->digest, b->digest, sizeof(a->digest)) ||
			    a->size != b->size || a->mtime_ns != b->mtime_ns)
				abort();
		}
		strbuf_free(&text);
	}
	manifest_free(&m);
	manifest_free(&again);
	return 0;
}
