/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the zdb hook's command line and event parser, hook_plan_build(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qsfs/hookplan.h"
#include "qsfs/settings.h"

#define MAX_ARGS 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *no_env(const char *name)
{
	(void)name;
	return NULL; /* the image's defaults: /data/index, /data/data, zdbfs-meta zdbfs-data */
}

/* The input is the argument list, NUL-separated, as zdb's execv() passes it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qsfs_settings s;
	static int loaded;
	char err[512], *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
	int argc = 1;

	if (!loaded && qsfs_settings_load(&s, no_env, err, sizeof(err)) == 0)
		loaded = 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "zdb-hook";
	for (char *p = buf; argc <= MAX_ARGS && p <= buf + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	struct hook_plan p;
	memset(&p, 0, sizeof(p));
	if (hook_plan_build(&p, &s, "/data/index/zdbfs-data", argc, argv, err, sizeof(err)) == 0) {
		if (p.action == HOOK_SPOOL && p.n_required > p.n_files)
			abort();
		for (size_t i = 0; i < p.n_files; i++)
			if (p.files[i][0] != '/') /* keys are absolute paths */
				abort();
		hook_plan_free(&p);
	}
	free(buf);
	return 0;
}
