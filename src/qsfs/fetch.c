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
#include "xalloc.h"

/* $STATE/retrieve into @dir. */
static int intents_dir(const char *state_dir, char *dir, size_t size)
{
	return path_join(dir, size, state_dir, "retrieve");
}

/* Writes $STATE/retrieve/NAME (durably) naming @path; its name in @intent. */
static int write_intent(const char *state_dir, const char *path, char *intent, size_t size)
{
	char dir[4096], name[JOB_NAME_MAX];
	job_name(name, realtime_ns(), (long)getpid());
	int rc = intents_dir(state_dir, dir, sizeof(dir));
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

/* The absolute path the intent file @intent names (malloc'd), or NULL. */
static char *intent_target(const char *intent)
{
	char *text, *path = NULL;
	size_t len;
	if (fs_read_file(intent, &text, &len) == 0) {
		char *nl = memchr(text, '\n', len);
		path = nl ? textfield_unescape(text, (size_t)(nl - text)) : NULL;
		free(text);
	}
	if (path && path[0] != '/') {
		free(path);
		path = NULL;
	}
	return path;
}

/* Calls @fn(@ctx, intent file, the path it names) for each intent until it returns non-zero;
 * returns that, or 0. An intent that names nothing is passed with @path NULL. */
static int each_intent(const char *state_dir, int (*fn)(void *, const char *, const char *),
		       void *ctx)
{
	char dir[4096], intent[4096];
	int rc = 0;
	if (intents_dir(state_dir, dir, sizeof(dir)) < 0)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (e->d_name[0] == '.' || path_join(intent, sizeof(intent), dir, e->d_name) < 0)
			continue;
		char *path = intent_target(intent);
		rc = fn(ctx, intent, path);
		free(path);
	}
	closedir(d);
	return rc;
}

static int names(void *path, const char *intent, const char *target)
{
	(void)intent;
	return target && strcmp(target, path) == 0;
}

bool fetch_untrusted(const char *state_dir, const char *path)
{
	return each_intent(state_dir, names, (void *)path) != 0;
}

static int forget_if_names(void *path, const char *intent, const char *target)
{
	if (target && strcmp(target, path) == 0)
		unlink(intent);
	return 0;
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

/* *@late is set when zstor retrieve was killed at its timeout: zstor's monitor does the
 * retrieve itself and finishes it for nobody, so @path may still be written after this. */
static int retrieve_and_verify(const struct qsfs_settings *s, const char *path,
			       const unsigned char *want, struct stat *st, bool *late, char *err,
			       size_t errlen)
{
	unsigned char expect[DIGEST_LEN], got[DIGEST_LEN];
	int rc = zstor_retrieve(s, path, s->retrieve_timeout_ms, err, errlen);
	*late = rc == -ETIMEDOUT;
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
	bool late, given_up = fetch_untrusted(s->state_dir, path);
	if (given_up) /* a retrieve given up earlier may have written it since: never local */
		unlink(path);
	int rc = write_intent(s->state_dir, path, intent, sizeof(intent));
	if (rc < 0) {
		snprintf(err, errlen, "retrieve intent for %s: %s", path, strerror(-rc));
		return rc;
	}
	rc = retrieve_and_verify(s, path, want, st, &late, err, errlen);
	/* on disk before the intent goes: else a crash could leave an empty or short file that
	 * counts as local (never overwritten) and whose upload replaces the good remote copy */
	if (rc == 0 && (rc = fs_sync_file(path)) < 0)
		snprintf(err, errlen, "%s after zstor retrieve: fsync: %s", path, strerror(-rc));
	if (rc < 0)
		unlink(path);
	if (late)
		return rc; /* the intent stays: the file may still come, and is then not ours */
	unlink(intent);
	/* zstor's monitor runs blocking commands one at a time, in arrival order: the retrieves
	 * given up before this one, sent to it earlier, are over (or died with their monitor) */
	if (rc == 0 && given_up)
		each_intent(s->state_dir, forget_if_names, (void *)path);
	return rc;
}

struct clean {
	bool forget;
	int removed;
	size_t kept;
};

static int clean_one(void *ctx, const char *intent, const char *path)
{
	struct clean *c = ctx;
	if (path && unlink(path) == 0)
		c->removed++;
	if (c->forget)
		unlink(intent);
	else
		c->kept++;
	return 0;
}

static int first_target(void *out, const char *intent, const char *path)
{
	(void)intent;
	if (!path)
		return 0;
	*(char **)out = xstrdup(path);
	return 1;
}

/* Whether zstor answers a command sent now: its monitor then ran every earlier one, the
 * retrieves it was still doing for nobody included (one worker, arrival order). */
static bool zstor_answers(const struct qsfs_settings *s, const char *state_dir)
{
	char *path = NULL, err[512];
	unsigned char d[DIGEST_LEN];
	each_intent(state_dir, first_target, &path);
	int rc = path ? zstor_check(s, path, d, s->retrieve_timeout_ms, err, sizeof(err)) : 0;
	free(path);
	return rc != -ETIMEDOUT;
}

int fetch_clean(const struct qsfs_settings *s, bool forget, size_t *kept)
{
	char dir[4096];
	struct clean c = { .forget = forget };
	if (forget)
		c.forget = zstor_answers(s, s->state_dir);
	each_intent(s->state_dir, clean_one, &c);
	if (intents_dir(s->state_dir, dir, sizeof(dir)) == 0)
		fsync_dir(dir);
	*kept = c.kept;
	return c.removed;
}
