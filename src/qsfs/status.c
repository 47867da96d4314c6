/* SPDX-License-Identifier: MIT */
/* Writes wait_hooks' status.json (fields documented in docs/QSFS.md). */
#include "qsfs/status.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qsfs/fsutil.h"

static json_t *seconds(long long ns)
{
	return json_real((double)ns / 1e9);
}

static json_t *drain_object(const struct qsfs_status *st)
{
	if (!st->drain)
		return json_null();
	return json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)st->drain_total,
			 "done", (json_int_t)st->drain_done, "failed", (json_int_t)st->failed,
			 "deadline", seconds(st->drain_deadline_ns));
}

static json_t *last_upload(const struct qsfs_status *st)
{
	if (!st->last_key || !*st->last_key)
		return json_null();
	return json_pack("{s:s, s:o}", "key", st->last_key, "time", seconds(st->last_upload_ns));
}

int status_write(const char *state_dir, const struct qsfs_status *st)
{
	char path[4096];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int rc = path_join(path, sizeof(path), state_dir, "status.json");
	if (rc < 0)
		return rc;
	json_t *o = json_pack("{s:i, s:I, s:s, s:o, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:o}",
			      "version", 1, "pid", (json_int_t)getpid(), "phase", st->phase,
			      "updated", seconds((long long)now.tv_sec * 1000000000LL + now.tv_nsec),
			      "pending", (json_int_t)st->pending, "failed", (json_int_t)st->failed,
			      "last_error", st->last_error && *st->last_error ?
						    json_string(st->last_error) : json_null(),
			      "last_upload", last_upload(st),
			      "uploads", (json_int_t)st->uploads,
			      "bytes_uploaded", (json_int_t)st->bytes,
			      "restored", (json_int_t)st->restored, "drain", drain_object(st));
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return -EINVAL; /* a string that is not UTF-8 (a path) */
	size_t len = strlen(text);
	text[len] = '\n';
	rc = fs_write_file(path, text, len + 1, false);
	free(text);
	return rc;
}
