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
#include "utf8.h"

/* A JSON string of @s, invalid UTF-8 bytes (odd file names) shown as '?'; null for NULL/"". */
static json_t *text(const char *s)
{
	if (!s || !*s)
		return json_null();
	if (utf8_valid(s))
		return json_string(s);
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!copy)
		return json_null();
	for (size_t i = 0; i < n;) {
		size_t k = utf8_seq((const unsigned char *)s + i, n - i);
		memcpy(copy + i, k ? s + i : "?", k ? k : 1);
		i += k ? k : 1;
	}
	copy[n] = '\0';
	json_t *j = json_string(copy);
	free(copy);
	return j;
}

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
	return json_pack("{s:o, s:o}", "key", text(st->last_key), "time", seconds(st->last_upload_ns));
}

/* What the last status_write() wrote, "updated" left out: a status that says nothing new is
 * not written again, so an idle stack writes nothing to the volume. */
static char *last_said;

int status_write(const char *state_dir, const struct qsfs_status *st)
{
	char path[4096];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int rc = path_join(path, sizeof(path), state_dir, "status.json");
	if (rc < 0)
		return rc;
	json_t *o = json_pack("{s:i, s:I, s:s, s:n, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:o}",
			      "version", 1, "pid", (json_int_t)getpid(), "phase", st->phase,
			      "updated", /* set below, if anything changed */
			      "pending", (json_int_t)st->pending, "failed", (json_int_t)st->failed,
			      "last_error", text(st->last_error),
			      "last_upload", last_upload(st),
			      "uploads", (json_int_t)st->uploads,
			      "bytes_uploaded", (json_int_t)st->bytes,
			      "restored", (json_int_t)st->restored, "drain", drain_object(st));
	char *said = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (said && last_said && strcmp(said, last_said) == 0) {
		free(said);
		json_decref(o);
		return 0;
	}
	char *out = NULL;
	if (said && json_object_set_new(o, "updated",
					seconds((long long)now.tv_sec * 1000000000LL + now.tv_nsec)) == 0)
		out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!out) {
		free(said);
		return -ENOMEM;
	}
	size_t len = strlen(out);
	out[len] = '\n'; /* over the NUL: written with its length */
	rc = fs_write_file(path, out, len + 1, false);
	free(out);
	free(last_said);
	last_said = rc == 0 ? said : NULL;
	if (rc < 0)
		free(said);
	return rc;
}
