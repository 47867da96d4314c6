/* SPDX-License-Identifier: MIT */
/* Verified uploads in flight: blocking zstor store, then zstor check == local digest. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "qsfs/b2.h"
#include "qsfs/fetch.h"
#include "qsfs/fsutil.h"
#include "qsfs/sweep.h"
#include "qsfs/uploads.h"
#include "qsfs/zstor_cli.h"
#include "xalloc.h"

#define ERR_MAX 512

static void finish(struct uploads *u, struct upload *up)
{
	up->done = true;
	up->failed = false;
	if (up->job >= 0)
		u->jobs[up->job].pending--;
}

/* One line per failure, at most one a second: with zstor down, every file of a long queue
 * fails at each of its retries; the ones not printed are counted in the next line. */
static void say_failed(struct uploads *u, const struct upload *up)
{
	long long now = monotonic_ms();
	if (u->failures_said_ms && now - u->failures_said_ms < 1000) {
		u->failures_unsaid++;
		return;
	}
	printf("wait_hooks: upload failed, retrying in %u s: %s", up->backoff_ms / 1000,
	       u->last_error);
	if (u->failures_unsaid)
		printf(" (and %lu more failures since the last message)", u->failures_unsaid);
	printf("\n");
	u->failures_said_ms = now;
	u->failures_unsaid = 0;
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
	up->next_try_ms = monotonic_ms() + up->backoff_ms;
	say_failed(u, up);
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

/* What `zstor check` said against what was stored: 0, or -errno with @err. */
static int verdict(int rc, const unsigned char remote[DIGEST_LEN],
		   const unsigned char local[DIGEST_LEN], char *err)
{
	if (rc == 0)
		snprintf(err, ERR_MAX, "zstor check after the store: nothing stored");
	if (rc <= 0)
		return rc < 0 ? rc : -ENODATA;
	if (memcmp(remote, local, DIGEST_LEN) != 0) {
		char l[DIGEST_HEX_LEN + 1], r[DIGEST_HEX_LEN + 1];
		digest_to_hex(local, l);
		digest_to_hex(remote, r);
		snprintf(err, ERR_MAX, "zstor check: remote blake2b-128 %s, local %s", r, l);
		return -EBADMSG;
	}
	return 0;
}

static void drop_snapshot(char *dir)
{
	if (dir[0])
		fs_remove_dir(dir);
	dir[0] = '\0';
}

static void land(struct uploads *u, size_t i)
{
	struct upload_flight *f = &u->flight[i];
	struct upload *up = &u->v[f->idx];
	drop_snapshot(f->snap_dir);
	up->in_flight = false;
	memmove(f, f + 1, (u->n_flight - i - 1) * sizeof(*f));
	u->n_flight--;
}

static void verified(struct uploads *u, const struct upload_flight *f)
{
	struct upload *up = &u->v[f->idx];
	record(u, up, f->digest, &f->st, f->read_at_ns);
	snprintf(u->last_key, sizeof(u->last_key), "%s", up->key);
	u->last_upload_ns = realtime_ns();
	u->bytes += (unsigned long long)f->st.st_size;
	u->n_uploaded++;
	finish(u, up);
}

/* zstor takes blocking commands in arrival order, and which of two calls started together
 * arrives first is not known: a call may wait for every store in flight before zstor starts
 * it. So @self's timeout is its own plus theirs, up to its cap (the drain's deadline). */
static unsigned queued_timeout(const struct uploads *u, const struct upload_flight *self)
{
	long long t = self->timeout_ms, cap = self->cap_at_ms - monotonic_ms();
	for (size_t i = 0; i < u->n_flight; i++)
		if (&u->flight[i] != self && !u->flight[i].checking)
			t += u->flight[i].timeout_ms;
	return (unsigned)(t < cap ? t : cap > 0 ? cap : 1);
}

/* A store just started may reach zstor before the calls in flight: each gets its time too. */
static void make_way(struct uploads *u, unsigned timeout_ms)
{
	for (size_t i = 0; i < u->n_flight; i++) {
		struct zstor_child *c = &u->flight[i].child;
		long long later = c->deadline_ms + timeout_ms;
		later = later < u->flight[i].cap_at_ms ? later : u->flight[i].cap_at_ms;
		if (later > c->deadline_ms) {
			c->timeout_ms += (unsigned)(later - c->deadline_ms);
			c->deadline_ms = later;
		}
	}
}

/* Waits for the next step of flight @i: its store done starts its check; its check done
 * lands it, verified or failed. */
static void step(struct uploads *u, size_t i)
{
	struct upload_flight *f = &u->flight[i];
	struct upload *up = &u->v[f->idx];
	unsigned char remote[DIGEST_LEN];
	char err[ERR_MAX];
	int rc;
	if (!f->checking) {
		rc = zstor_wait(&f->child, NULL, 0, err, ERR_MAX);
		if (rc == 0)
			rc = zstor_check_start(u->s, up->key, queued_timeout(u, f), &f->child, err,
					       ERR_MAX);
		f->checking = rc == 0;
	} else {
		rc = zstor_check_wait(&f->child, remote, err, ERR_MAX);
		rc = verdict(rc, remote, f->digest, err);
		if (rc == 0)
			verified(u, f);
	}
	if (rc < 0)
		fail(u, up, rc, err);
	if (rc < 0 || up->done)
		land(u, i);
}

/* The oldest flight whose store runs (of a kind other than *@unlike, if not NULL), or -1. */
static int oldest_store(const struct uploads *u, const enum qsfs_file_kind *unlike)
{
	for (size_t i = 0; i < u->n_flight; i++) {
		const struct upload_flight *f = &u->flight[i];
		if (!f->checking && (!unlike || qsfs_path_kind(u->v[f->idx].key) != *unlike))
			return (int)i;
	}
	return -1;
}

/* Waits until a store of kind @kind may start: no store of another kind in flight, fewer
 * than UPLOAD_STORES_MAX stores, a free slot. */
static void make_room(struct uploads *u, enum qsfs_file_kind kind)
{
	for (;;) {
		size_t stores = 0;
		for (size_t i = 0; i < u->n_flight; i++)
			stores += !u->flight[i].checking;
		int other = oldest_store(u, &kind);
		if (other >= 0)
			step(u, (size_t)other);
		else if (stores >= UPLOAD_STORES_MAX)
			step(u, (size_t)oldest_store(u, NULL));
		else if (u->n_flight == UPLOAD_FLIGHT_MAX)
			step(u, 0);
		else
			return;
	}
}

void uploads_settle(struct uploads *u)
{
	while (u->n_flight)
		step(u, 0);
}

/* Starts the blocking store of @up (of @from: its source or a copy of it in @snap_dir) in
 * the background; its check follows (step()). */
static int store_in_flight(struct uploads *u, struct upload *up, const char *from, char *snap_dir,
			   const unsigned char d[DIGEST_LEN], const struct stat *st, long long read_at,
			   unsigned timeout_ms, unsigned cap_ms)
{
	char keydir[QSFS_PATH_MAX + QSFS_NS_MAX], err[ERR_MAX];
	bool copy = strcmp(from, up->key) != 0;
	make_room(u, qsfs_path_kind(up->key));
	struct upload_flight *f = &u->flight[u->n_flight];
	*f = (struct upload_flight){ .idx = (size_t)(up - u->v), .timeout_ms = timeout_ms,
				     .cap_at_ms = monotonic_ms() + cap_ms, .st = *st,
				     .read_at_ns = read_at };
	memcpy(f->digest, d, DIGEST_LEN);
	snprintf(f->snap_dir, sizeof(f->snap_dir), "%s", snap_dir);
	snprintf(keydir, sizeof(keydir), "%s", up->key);
	int rc = zstor_store_start(u->s, from, copy ? dirname(keydir) : NULL, queued_timeout(u, f),
				   &f->child, err, ERR_MAX);
	if (rc < 0) {
		drop_snapshot(f->snap_dir);
		return fail(u, up, rc, err);
	}
	make_way(u, timeout_ms);
	u->n_flight++;
	up->in_flight = true;
	return 0;
}

/* zstor reads a file twice (0-stor_v2 pipeline.rs, process_file): the checksum it records,
 * which `zstor check` answers, comes from the first read, what it stores from the second. A
 * live file that zdb changes between the two reads leaves a remote copy other than the one
 * check confirms, and zstor skips every later store of a file with that checksum, so the
 * copy would never be repaired. While zdb may write its live files, each is therefore
 * copied into spool/upload-PID-N/ (same basename, stored with -k), and the copy is hashed
 * and stored: zstor then reads a file nobody writes. *@st gets the live file's stat at the
 * end of the copy, @path the copy. */
static int snapshot(struct uploads *u, const struct upload *up, char *dir, size_t dir_size,
		    char *path, size_t path_size, struct stat *st)
{
	const char *base = strrchr(up->key, '/');
	int n = snprintf(dir, dir_size, "%s/spool/upload-%ld-%u", u->s->state_dir, (long)getpid(),
			 u->snap_seq++);
	if (n < 0 || (size_t)n >= dir_size)
		return -ENAMETOOLONG;
	int rc = path_join(path, path_size, dir, base ? base + 1 : up->key);
	if (rc == 0)
		rc = fs_mkdirs(dir);
	if (rc == 0)
		rc = fs_snapshot_file(up->src, path, st);
	if (rc < 0 && rc != -ENAMETOOLONG)
		fs_remove_dir(dir);
	if (rc < 0)
		dir[0] = '\0';
	return rc;
}

/* The digest of @up's content into @d (of a copy when zdb may write the file: @from, in
 * @snap_dir), with the live file's stat in *@st. */
static int hash_source(struct uploads *u, const struct upload *up, unsigned char d[DIGEST_LEN],
		       struct stat *st, char *from, size_t from_size, char *snap_dir,
		       size_t snap_size)
{
	snprintf(from, from_size, "%s", up->src);
	snap_dir[0] = '\0';
	/* a data file only grows: a change between zstor's reads is never undone, so the next
	 * sweep sees a new digest and stores it again (and 16 MiB copies per rollover are saved) */
	if (!u->live_may_change || strcmp(up->src, up->key) != 0 ||
	    qsfs_path_kind(up->key) == QSFS_FILE_DATA)
		return b2_file(up->src, d, st);
	int rc = snapshot(u, up, snap_dir, snap_size, from, from_size, st);
	if (rc == 0)
		rc = b2_file(from, d, NULL);
	if (rc < 0)
		drop_snapshot(snap_dir);
	return rc;
}

/* Whether @up's source is a live file a retrieve intent names: being retrieved, or given up
 * while zstor may still write it (short, if zstor is cut off). Never a copy to store: done,
 * as an evicted file is; the remote copy is what a retrieve brings back. */
static bool under_retrieve_intent(struct uploads *u, struct upload *up)
{
	if (strcmp(up->src, up->key) != 0 || !fetch_untrusted(u->s, up->src))
		return false;
	printf("wait_hooks: %s is not uploaded: a retrieve intent names it (being retrieved, or "
	       "given up while zstor may still write it)\n", up->key);
	finish(u, up);
	return true;
}

int uploads_try(struct uploads *u, struct upload *up, unsigned cap_ms)
{
	char from[QSFS_PATH_MAX + 128], snap_dir[QSFS_PATH_MAX + 64];
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
	if (!S_ISREG(st.st_mode)) { /* never zdb's (a FIFO's open would block wait_hooks) */
		printf("wait_hooks: %s is not a regular file: not uploaded (as the sweep skips it)\n",
		       up->src);
		finish(u, up);
		return 0;
	}
	if (under_retrieve_intent(u, up))
		return 0;
	const struct manifest_entry *m = manifest_find(&u->manifest, up->key);
	enum sweep_action a = sweep_decide(m, (unsigned long long)st.st_size, fs_mtime_ns(&st));
	if (a == SWEEP_SKIP) {
		finish(u, up);
		return 0;
	}
	long long read_at = realtime_ns();
	int rc = hash_source(u, up, d, &st, from, sizeof(from), snap_dir, sizeof(snap_dir));
	if (rc < 0)
		return fail(u, up, rc, rc == -EAGAIN ? "changed while it was read" : strerror(-rc));
	if (under_retrieve_intent(u, up)) { /* a retrieve began while it was read */
		drop_snapshot(snap_dir);
		return 0;
	}
	if (a == SWEEP_HASH && memcmp(m->digest, d, DIGEST_LEN) == 0) {
		record(u, up, d, &st, read_at); /* same content, new mtime */
		drop_snapshot(snap_dir);
		finish(u, up);
		return 0;
	}
	return store_in_flight(u, up, from, snap_dir, d, &st, read_at, timeout, cap_ms);
}
