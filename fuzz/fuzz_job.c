/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the journal's job reader, job_parse(), and its round trip through job_format(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qsfs/job.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct job j = { 0 }, again = { 0 };
	struct job_report rep, rep2;

	if (job_parse(&j, (const char *)data, size, &rep) == 0) {
		/* whatever was kept is written back and read again the same: no silent change */
		struct strbuf text = { 0 };
		job_format(&j, &text);
		if (job_parse(&again, text.s, text.len, &rep2) != 0 || !rep2.complete ||
		    rep2.bad_lines || again.n_uploads != j.n_uploads)
			abort();
		for (size_t i = 0; i < j.n_uploads; i++)
			if (strcmp(j.uploads[i].src, again.uploads[i].src) ||
			    strcmp(j.uploads[i].key, again.uploads[i].key))
				abort();
		strbuf_free(&text);
	}
	job_free(&j);
	job_free(&again);
	return 0;
}
