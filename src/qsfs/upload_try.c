/* SPDX-License-Identifier: MIT */
/* One upload, verified: skip when unchanged, blocking zstor store, zstor check == local digest. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "qsfs/b2.h"
#include "qsfs/fsutil.h"
#include "qsfs/sweep.h"
#include "qsfs/uploads.h"
#include "qsfs/zstor_cli.h"
#include "xalloc.h"

#define ERR_MAX 512

static long long clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void finish(struct uploads *u, struct upload *up)
{
	up->done = true;
	up->failed = false;
	if (up->job >= 0)
		u->jobs[up->job].pending--;
}

static int fail(struct uploads *u, struct upload *up, int rc, const char *why)
{
	snprintf(u->last_error, sizeof(u->last_error), "%s: %s", up->key, why);
	free(up->error);
	up->error = xstrdup(why);
	up->failed = true;
	up->attempts++;
	up->backoff_ms = up->backoff_ms ? 2 * up->backoff_ms : UPLOAD_BACKOFF_MIN_MS;
	if (up->backoff_ms > UPLOAD_BACKOFF_MAX_MS)
		up->backoff_ms = UPLOAD_BACKOFF_MAX_MS;
	up->next_try_ms = clock_ms(CLOCK_MONOTONIC) + up->backoff_ms;
	return rc < 0 ? rc : -EIO;
}

/* Records a verified copy: the mtime is kept only if the content cannot have changed since
 * it was read within the same clock tick (else 0: the next sweep hashes the file). */
static void record(struct uploads *u, struct upload *up, const unsigned char d[DIGEST_LEN],
		   const struct stat *st, long long read_at_ns)
{
	bool copy = strcmp(up->src, up->key) != 0;
	long long ref = copy ? (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec :
			       read_at_ns; /* a spool copy holds the content of its snapshot time */
	manifest_set(&u->manifest, up->key, d, (unsigned long long)st->st_size,
		     sweep_recorded_mtime(fs_mtime_ns(st), ref));
	u->manifest_dirty = true;
}

/* blocking store, then check: zstor must now hold exactly @d under the key. */
static int store_verified(struct uploads *u, struct upload *up, const unsigned char d[DIGEST_LEN],
			  unsigned timeout_ms, char *err)
{
	char keydir[QSFS_PATH_MAX + QSFS_NS_MAX];
	unsigned char remote[DIGEST_LEN];
	bool copy = strcmp(up->src, up->key) != 0;
	snprintf(keydir, sizeof(keydir), "%s", up->key);
	int rc = zstor_store(u->s, up->src, copy ? dirname(keydir) : NULL, timeout_ms, err, ERR_MAX);
	if (rc < 0)
		return rc;
	rc = zstor_check(u->s, up->key, remote, timeout_ms, err, ERR_MAX);
	if (rc == 0)
		snprintf(err, ERR_MAX, "zstor check after the store: nothing stored");
	if (rc <= 0)
		return rc < 0 ? rc : -ENODATA;
	if (memcmp(remote, d, DIGEST_LEN) != 0) {
		char l[DIGEST_HEX_LEN + 1], r[DIGEST_HEX_LEN + 1];
		digest_to_hex(d, l);
		digest_to_hex(remote, r);
		snprintf(err, ERR_MAX, "zstor check: remote blake2b-128 %s, local %s", r, l);
		return -EBADMSG;
	}
	return 0;
}

int uploads_try(struct uploads *u, struct upload *up, unsigned cap_ms)
{
	char err[ERR_MAX];
	unsigned char d[DIGEST_LEN];
	struct stat st;
	unsigned timeout = u->s->store_timeout_ms < cap_ms ? u->s->store_timeout_ms : cap_ms;
	if (stat(up->src, &st) < 0) {
		if (errno != ENOENT)
			return fail(u, up, -errno, strerror(errno));
		if (strcmp(up->src, up->key) != 0)
			printf("wait_hooks: spool copy %s is missing; %s was not uploaded from it\n",
			       up->src, up->key);
		finish(u, up); /* a live file gone (e.g. evicted): nothing to upload */
		return 0;
	}
	const struct manifest_entry *m = manifest_find(&u->manifest, up->key);
	enum sweep_action a = sweep_decide(m, (unsigned long long)st.st_size, fs_mtime_ns(&st));
	if (a == SWEEP_SKIP) {
		finish(u, up);
		return 0;
	}
	long long read_at = realtime_ns();
	int rc = b2_file(up->src, d, &st);
	if (rc < 0)
		return fail(u, up, rc, rc == -EAGAIN ? "changed while it was hashed" : strerror(-rc));
	if (a == SWEEP_HASH && memcmp(m->digest, d, DIGEST_LEN) == 0) {
		record(u, up, d, &st, read_at); /* same content, new mtime */
		finish(u, up);
		return 0;
	}
	rc = store_verified(u, up, d, timeout, err);
	if (rc < 0)
		return fail(u, up, rc, err);
	record(u, up, d, &st, read_at);
	snprintf(u->last_key, sizeof(u->last_key), "%s", up->key);
	u->last_upload_ns = realtime_ns();
	u->bytes += (unsigned long long)st.st_size;
	u->n_uploaded++;
	finish(u, up);
	return 0;
}
