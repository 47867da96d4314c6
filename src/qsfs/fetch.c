/* SPDX-License-Identifier: MIT */
/* zstor retrieve, made safe: intent file first, digest checked, the file removed on failure. */
#include "qsfs/fetch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fdio.h"
#include "qsfs/b2.h"
#include "qsfs/fsutil.h"
#include "qsfs/job.h"
#include "qsfs/textfield.h"
#include "qsfs/zstor_cli.h"

/* Writes $STATE/retrieve/NAME (durably) naming @path; its name in @intent. */
static int write_intent(const char *state_dir, const char *path, char *intent, size_t size)
{
	char dir[4096], name[JOB_NAME_MAX];
	job_name(name, realtime_ns(), (long)getpid());
	int rc = path_join(dir, sizeof(dir), state_dir, "retrieve");
	if (rc == 0)
		rc = path_join(intent, size, dir, name);
	if (rc < 0)
		return rc;
	struct strbuf text = { 0 };
	textfield_add(&text, path);
	strbuf_add(&text, "\n", 1);
	rc = fs_write_file(intent, text.s, text.len, true);
	if (rc == -ENOENT && (rc = fs_mkdirs(dir)) == 0)
		rc = fs_write_file(intent, text.s, text.len, true);
	strbuf_free(&text);
	return rc;
}

static int expected_digest(const struct qsfs_settings *s, const char *path,
			   const unsigned char *want, unsigned char d[DIGEST_LEN], char *err,
			   size_t errlen)
{
	if (want) {
		memcpy(d, want, DIGEST_LEN);
		return 0;
	}
	int rc = zstor_check(s, path, d, s->retrieve_timeout_ms, err, errlen);
	if (rc == 0) {
		snprintf(err, errlen, "zstor check: %s is not stored", path);
		return -ENOENT;
	}
	return rc < 0 ? rc : 0;
}

static int retrieve_and_verify(const struct qsfs_settings *s, const char *path,
			       const unsigned char *want, struct stat *st, char *err,
			       size_t errlen)
{
	unsigned char expect[DIGEST_LEN], got[DIGEST_LEN];
	int rc = zstor_retrieve(s, path, s->retrieve_timeout_ms, err, errlen);
	if (rc == 0)
		rc = expected_digest(s, path, want, expect, err, errlen);
	if (rc < 0)
		return rc;
	rc = b2_file(path, got, st);
	if (rc < 0) {
		snprintf(err, errlen, "%s after zstor retrieve: %s", path, strerror(-rc));
		return rc;
	}
	if (memcmp(got, expect, DIGEST_LEN) != 0) {
		char g[DIGEST_HEX_LEN + 1], e[DIGEST_HEX_LEN + 1];
		digest_to_hex(got, g);
		digest_to_hex(expect, e);
		snprintf(err, errlen, "%s: retrieved blake2b-128 %s, expected %s", path, g, e);
		return -EBADMSG;
	}
	return 0;
}

int fetch_file(const struct qsfs_settings *s, const char *path, const unsigned char *want,
	       struct stat *st, char *err, size_t errlen)
{
	char intent[4096];
	int rc = write_intent(s->state_dir, path, intent, sizeof(intent));
	if (rc < 0) {
		snprintf(err, errlen, "retrieve intent for %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = retrieve_and_verify(s, path, want, st, err, errlen);
	/* on disk before the intent goes: else a crash could leave an empty or short file that
	 * counts as local (never overwritten) and whose upload replaces the good remote copy */
	if (rc == 0 && (rc = fs_sync_file(path)) < 0)
		snprintf(err, errlen, "%s after zstor retrieve: fsync: %s", path, strerror(-rc));
	if (rc < 0)
		unlink(path);
	unlink(intent);
	return rc;
}

/* Removes the file named in the intent @dir/@name, then the intent. */
static int finish_intent(const char *dir, const char *name)
{
	char intent[4096], *text, *path = NULL;
	size_t len;
	int removed = 0;
	if (path_join(intent, sizeof(intent), dir, name) < 0)
		return 0;
	if (fs_read_file(intent, &text, &len) == 0) {
		char *nl = memchr(text, '\n', len);
		path = nl ? textfield_unescape(text, (size_t)(nl - text)) : NULL;
		free(text);
	}
	if (path && path[0] == '/')
		removed = unlink(path) == 0;
	free(path);
	unlink(intent);
	return removed;
}

int fetch_clean(const char *state_dir)
{
	char dir[4096];
	int removed = 0;
	if (path_join(dir, sizeof(dir), state_dir, "retrieve") < 0)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			removed += finish_intent(dir, e->d_name);
	closedir(d);
	fsync_dir(dir);
	return removed;
}
