/* SPDX-License-Identifier: MIT */
/* zstor retrieve, made safe: intent file first, digest checked, the file removed on failure. */
#include "qsfs/fetch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

/*
 * An intent, $STATE/retrieve/NAME, names the path of one retrieve. Its process holds
 * flock(LOCK_EX) on it while the retrieve runs (a live intent); one nobody holds was given up
 * (timeout) or cut (crash, kill). $STATE/retrieve.lock is held (LOCK_EX) while a retrieve
 * looks at its path's intents and writes its own, and while a verified one drops its path's
 * intents or the clean-up removes files: no two retrieves of one path run at once, and no
 * file is removed under a live retrieve.
 */

/* $STATE/retrieve into @dir. */
static int intents_dir(const char *state_dir, char *dir, size_t size)
{
	return path_join(dir, size, state_dir, "retrieve");
}

/* LOCK_EX on $STATE/retrieve.lock (the state directory made if need be): its fd, or -errno. */
static int claim_lock(const char *state_dir)
{
	char path[4096];
	int rc = path_join(path, sizeof(path), state_dir, "retrieve.lock");
	return rc < 0 ? rc : fs_lock(path, LOCK_EX);
}

static void claim_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Writes $STATE/retrieve/NAME (durably) naming @path, locked (LOCK_EX, its fd in *@fd) from
 * before its name appears: written as .NAME, renamed. Its name in @intent. */
static int write_intent(const char *state_dir, const char *path, char *intent, size_t size,
			int *fd)
{
	char dir[4096], name[JOB_NAME_MAX], tmp[4096];
	job_name(name, realtime_ns(), (long)getpid());
	int rc = intents_dir(state_dir, dir, sizeof(dir));
	if (rc == 0)
		rc = path_join(intent, size, dir, name);
	if (rc == 0 && (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s", dir, name) >= sizeof(tmp))
		rc = -ENAMETOOLONG;
	if (rc < 0)
		return rc;
	*fd = fs_create(tmp, O_WRONLY | O_TRUNC);
	if (*fd < 0) {
		rc = *fd;
		*fd = -1;
		return rc;
	}
	struct strbuf text = { 0 };
	textfield_add(&text, path);
	strbuf_add(&text, "\n", 1);
	rc = flock(*fd, LOCK_EX) < 0 ? -errno : write_all(*fd, text.s, text.len);
	strbuf_free(&text);
	if (rc == 0 && fsync(*fd) < 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, intent) < 0)
		rc = -errno;
	if (rc == 0 && (rc = fsync_dir(dir)) < 0)
		unlink(intent);
	if (rc < 0) {
		unlink(tmp);
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* Whether a retrieve still runs under the intent @intent (it holds the intent's lock). */
static bool intent_live(const char *intent)
{
	int fd = open(intent, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool live = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return live;
}

/* The directories an intent may name a path under: QSFS_INDEX_DIR and QSFS_DATA_DIR, as set
 * and canonical (the hook names canonical paths, the restore the configured ones). */
struct roots {
	char dir[4][QSFS_PATH_MAX];
	size_t n;
};

static void roots_load(const struct qsfs_settings *s, struct roots *r)
{
	const char *dirs[] = { s->index_dir, s->data_dir };
	r->n = 0;
	for (size_t i = 0; i < 2; i++) {
		snprintf(r->dir[r->n++], QSFS_PATH_MAX, "%s", dirs[i]);
		if (fs_canonical(dirs[i], r->dir[r->n], QSFS_PATH_MAX) == 0 &&
		    strcmp(r->dir[r->n], dirs[i]) != 0)
			r->n++;
	}
}

static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

/* Whether @path may be an intent's target: absolute, without "..", under one of @r's dirs. */
static bool acceptable(const struct roots *r, const char *path)
{
	if (path[0] != '/' || has_dotdot(path))
		return false;
	for (size_t i = 0; i < r->n; i++) {
		size_t n = strlen(r->dir[i]);
		if (n == 1) /* "/" */
			n = 0;
		if (strncmp(path, r->dir[i], n) == 0 && path[n] == '/' && path[n + 1])
			return true;
	}
	return false;
}

/* The path the intent file @intent names (malloc'd), or NULL: none, or none acceptable. */
static char *intent_target(const struct roots *r, const char *intent)
{
	char *text, *path = NULL;
	size_t len;
	if (fs_read_file(intent, &text, &len) == 0) {
		char *nl = memchr(text, '\n', len);
		path = nl ? textfield_unescape(text, (size_t)(nl - text)) : NULL;
		free(text);
	}
	if (path && !acceptable(r, path)) {
		free(path);
		path = NULL;
	}
	return path;
}

/* Calls @fn(@ctx, intent file, the path it names) for each intent until it returns non-zero;
 * returns that, or 0. An intent that names no acceptable path is passed with @path NULL. */
static int each_intent(const struct qsfs_settings *s,
		       int (*fn)(void *, const char *, const char *), void *ctx)
{
	char dir[4096], intent[4096];
	struct roots r;
	int rc = 0;
	if (intents_dir(s->state_dir, dir, sizeof(dir)) < 0)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	roots_load(s, &r);
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (e->d_name[0] == '.' || path_join(intent, sizeof(intent), dir, e->d_name) < 0)
			continue;
		char *path = intent_target(&r, intent);
		rc = fn(ctx, intent, path);
		free(path);
	}
	closedir(d);
	return rc;
}

static int collect(void *ctx, const char *intent, const char *target)
{
	struct fetch_intents *fi = ctx;
	(void)intent;
	if (target) {
		fi->paths = xrealloc(fi->paths, (fi->n + 1) * sizeof(*fi->paths));
		fi->paths[fi->n++] = xstrdup(target);
	}
	return 0;
}

void fetch_intents_load(const struct qsfs_settings *s, struct fetch_intents *fi)
{
	*fi = (struct fetch_intents){ 0 };
	each_intent(s, collect, fi);
}

bool fetch_intents_name(const struct fetch_intents *fi, const char *path)
{
	for (size_t i = 0; i < fi->n; i++)
		if (strcmp(fi->paths[i], path) == 0)
			return true;
	return false;
}

void fetch_intents_free(struct fetch_intents *fi)
{
	for (size_t i = 0; i < fi->n; i++)
		free(fi->paths[i]);
	free(fi->paths);
	*fi = (struct fetch_intents){ 0 };
}

bool fetch_untrusted(const struct qsfs_settings *s, const char *path)
{
	struct fetch_intents fi;
	fetch_intents_load(s, &fi);
	bool named = fetch_intents_name(&fi, path);
	fetch_intents_free(&fi);
	return named;
}

enum { NONE = 0, GIVEN_UP = 1, LIVE = 2 };

/* The worst state of @path's intents: NONE, GIVEN_UP (none live) or LIVE. */
struct state_of {
	const char *path;
	int state;
};

static int path_state(void *ctx, const char *intent, const char *target)
{
	struct state_of *st = ctx;
	if (!target || strcmp(target, st->path) != 0)
		return 0;
	st->state = intent_live(intent) ? LIVE : GIVEN_UP;
	return st->state == LIVE;
}

/* Drops @path's intents that no retrieve holds (given up or cut). */
static int forget_if_names(void *path, const char *intent, const char *target)
{
	if (target && strcmp(target, path) == 0 && !intent_live(intent))
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

/* A live retrieve of the same path ends within its retrieve and check timeouts; this covers
 * its hashing and fsync. */
#define WAIT_SLACK_MS 5000
#define WAIT_POLL_MS 50

/* The retrieve fetch_file() runs: its intent (locked while @fd is open), and whether intents
 * of retrieves given up named its path. */
struct claim {
	char intent[4096];
	int fd;
	bool given_up;
};

/* One look at @path's intents, under the claim lock: LIVE (another retrieve runs), 1 (@path
 * is local: there, and no intent names it), or 0 with @c's intent written (the file of
 * retrieves given up removed first); or -errno. */
static int try_claim(const struct qsfs_settings *s, const char *path, struct claim *c,
		     char *err, size_t errlen)
{
	struct state_of st = { path, NONE };
	int lock = claim_lock(s->state_dir), rc = lock;
	if (lock >= 0) {
		each_intent(s, path_state, &st);
		if (st.state == LIVE)
			rc = LIVE;
		else if (st.state == NONE && access(path, F_OK) == 0)
			rc = 1;
		else {
			c->given_up = st.state == GIVEN_UP;
			if (c->given_up) /* a retrieve given up may have written it since: not local */
				unlink(path);
			rc = write_intent(s->state_dir, path, c->intent, sizeof(c->intent), &c->fd);
		}
		claim_release(lock);
	}
	if (rc < 0)
		snprintf(err, errlen, "retrieve intent for %s: %s", path, strerror(-rc));
	return rc;
}

/* try_claim() until no other retrieve of @path runs, for up to both its timeouts: never
 * remove a file a live retrieve writes. -EBUSY if it still runs then, -EINTR as soon as
 * @stop says so (nothing of ours written: its file and intent are left to it). */
static int claim(const struct qsfs_settings *s, const char *path, const struct fetch_stop *stop,
		 struct claim *c, char *err, size_t errlen)
{
	long long deadline = monotonic_ms() + 2LL * s->retrieve_timeout_ms + WAIT_SLACK_MS;
	int rc;
	for (bool said = false; (rc = try_claim(s, path, c, err, errlen)) == LIVE; said = true) {
		if (monotonic_ms() >= deadline) {
			snprintf(err, errlen, "%s is still being retrieved by another process", path);
			return -EBUSY;
		}
		if (stop && stop->stopping(stop->ctx)) {
			snprintf(err, errlen, "stopped waiting for another process's retrieve of %s "
				 "(left to it)", path);
			return -EINTR;
		}
		if (!said)
			fprintf(stderr, "qsfs: %s is being retrieved by another process; waiting for "
				"it\n", path);
		struct timespec ts = { 0, WAIT_POLL_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
	return rc;
}

/* The retrieve is over (not given up): its intent goes. Verified, it also drops its path's
 * intents given up before it, under the claim lock (else another retrieve could see those
 * alone and take the verified file for a late one). */
static void unclaim(const struct qsfs_settings *s, const char *path, struct claim *c,
		    bool verified)
{
	int lock = verified && c->given_up ? claim_lock(s->state_dir) : -1;
	unlink(c->intent);
	/* zstor's monitor runs blocking commands one at a time, in arrival order: the retrieves
	 * given up before this one, sent to it earlier, are over (or died with their monitor) */
	if (lock >= 0)
		each_intent(s, forget_if_names, (void *)path);
	claim_release(lock);
}

int fetch_file(const struct qsfs_settings *s, const char *path, const unsigned char *want,
	       const struct fetch_stop *stop, struct stat *st, char *err, size_t errlen)
{
	struct claim c = { .fd = -1 };
	bool late;
	int rc = claim(s, path, stop, &c, err, errlen);
	if (rc != 0)
		return rc;
	rc = retrieve_and_verify(s, path, want, st, &late, err, errlen);
	/* on disk before the intent goes: else a crash could leave an empty or short file that
	 * counts as local (never overwritten) and whose upload replaces the good remote copy */
	if (rc == 0 && (rc = fs_sync_file(path)) < 0)
		snprintf(err, errlen, "%s after zstor retrieve: fsync: %s", path, strerror(-rc));
	if (rc < 0)
		unlink(path);
	if (!late) /* else the intent stays: the file may still come, and is then not ours */
		unclaim(s, path, &c, rc == 0);
	close(c.fd); /* the intent, if kept, is given up from here */
	return rc;
}

struct clean {
	bool forget;
	struct fetch_cleaned *out;
};

static int clean_one(void *ctx, const char *intent, const char *path)
{
	struct clean *c = ctx;
	if (intent_live(intent)) { /* a retrieve runs: its file and intent are its own */
		c->out->live++;
		return 0;
	}
	if (!path) /* never remove what it names: the state volume may come from elsewhere */
		c->out->ignored++;
	else if (unlink(path) == 0)
		c->out->removed++;
	if (c->forget)
		unlink(intent);
	else if (path)
		c->out->kept++;
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
 * retrieves it was still doing for nobody included (one worker, arrival order). Only an
 * answer counts: a CLI that cannot run or reach the monitor (missing, misconfigured, killed
 * at the timeout) says nothing of a monitor that may still write; why in @why. */
static bool zstor_answers(const struct qsfs_settings *s, char *why, size_t whylen)
{
	char *path = NULL;
	unsigned char d[DIGEST_LEN];
	each_intent(s, first_target, &path);
	int rc = path ? zstor_check(s, path, d, s->retrieve_timeout_ms, why, whylen) : 0;
	free(path);
	return rc >= 0;
}

void fetch_clean(const struct qsfs_settings *s, bool forget, struct fetch_cleaned *out)
{
	char dir[4096];
	*out = (struct fetch_cleaned){ 0 };
	struct clean c = { .forget = forget, .out = out };
	if (intents_dir(s->state_dir, dir, sizeof(dir)) < 0 || access(dir, F_OK) < 0)
		return; /* no retrieve ever ran here */
	if (forget)
		c.forget = out->answered = zstor_answers(s, out->why, sizeof(out->why));
	int lock = claim_lock(s->state_dir);
	each_intent(s, clean_one, &c);
	claim_release(lock);
	fsync_dir(dir);
}
