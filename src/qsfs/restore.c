/* SPDX-License-Identifier: MIT */
/* The restore before zdb starts: only missing files, each verified against zstor check. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "qsfs/fetch.h"
#include "qsfs/fsutil.h"
#include "qsfs/sweep.h"
#include "qsfs/wait_hooks.h"
#include "qsfs/zstor_cli.h"

#define ERR_MAX 512

enum { NOT_STORED, PRESENT, RESTORED };

static bool pending_upload(const struct uploads *u, const char *key)
{
	for (size_t i = 0; i < u->n; i++)
		if (!u->v[i].done && strcmp(u->v[i].key, key) == 0)
			return true;
	return false;
}

/* fetch_stop: whether a stop signal came (read now: the wait for another retrieve ends). */
static bool stop_asked(void *ctx)
{
	struct wait_hooks *w = ctx;
	wh_signals(w);
	return w->stops != 0;
}

/* Brings back dir/name if it is missing and stored: NOT_STORED, PRESENT, RESTORED or -errno. */
static int restore_file(struct wait_hooks *w, const char *dir, const char *name)
{
	char path[2 * QSFS_PATH_MAX], err[ERR_MAX];
	unsigned char d[DIGEST_LEN];
	struct stat st;
	struct fetch_stop stop = { stop_asked, w };
	int rc = path_join(path, sizeof(path), dir, name);
	if (rc < 0)
		return rc;
	/* never overwrite a local file (one a retrieve intent names is not: fetched again) */
	if ((lstat(path, &st) == 0 && !fetch_untrusted(&w->s, path)) ||
	    pending_upload(&w->up, path))
		return PRESENT;
	wh_signals(w);
	if (w->stops)
		return -EINTR;
	rc = zstor_check(&w->s, path, d, w->s.retrieve_timeout_ms, err, sizeof(err));
	if (rc == 0)
		return NOT_STORED;
	if (rc > 0 && (rc = fs_mkdirs(dir)) < 0)
		snprintf(err, sizeof(err), "%s: %s", dir, strerror(-rc));
	if (rc >= 0)
		rc = fetch_file(&w->s, path, d, &stop, &st, err, sizeof(err));
	if (rc < 0) {
		if (w->stops) /* a stop came (it ends the wait for another process's retrieve) */
			printf("wait_hooks: restore of %s stopped: %s\n", path, err);
		else
			wh_fail(w, "restore of %s failed: %s", path, err);
		return rc;
	}
	if (rc == 1) /* a retrieve of another process (an orphaned hook) brought it back */
		return PRESENT;
	manifest_set(&w->up.manifest, path, d, (unsigned long long)st.st_size,
		     sweep_recorded_mtime(fs_mtime_ns(&st), realtime_ns()));
	w->up.manifest_dirty = true;
	w->restored++;
	printf("wait_hooks: restored %s\n", path);
	wh_status(w, false);
	return RESTORED;
}

/* The highest id of the local i<id> files in @dir, or -1. */
static long last_local_index(const char *dir)
{
	long last = -1;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		unsigned long id;
		if (qsfs_file_kind(e->d_name, &id) == QSFS_FILE_INDEX && (long)id > last)
			last = (long)id;
	}
	closedir(d);
	return last;
}

/* A file zdb needs is neither local nor stored: zdb would start on a broken namespace (a hole
 * in its indexes makes it write into a newer local index; a missing d<last> is made empty). */
static int lost(struct wait_hooks *w, const char *dir, const char *name)
{
	wh_fail(w, "restore failed: %s/%s is neither local nor stored; zdb cannot start on this "
		"namespace until it is brought back or the namespace is removed", dir, name);
	return -ENOENT;
}

/* zdb-namespace, i0.. up to the last index stored or local, d<last>: every one of them is
 * there afterwards, or the restore fails naming the first that is lost. A namespace with none
 * of its files anywhere is new: nothing to do. */
static int restore_ns(struct wait_hooks *w, const char *ns)
{
	char idx[2 * QSFS_PATH_MAX], dat[2 * QSFS_PATH_MAX], name[24];
	snprintf(idx, sizeof(idx), "%s/%s", w->s.index_dir, ns);
	snprintf(dat, sizeof(dat), "%s/%s", w->s.data_dir, ns);
	int desc = restore_file(w, idx, "zdb-namespace"), rc = desc;
	long local_last = last_local_index(idx), last = -1, hole = -1;
	for (long k = 0; rc >= 0; k++) {
		snprintf(name, sizeof(name), "i%ld", k);
		rc = restore_file(w, idx, name);
		if (rc == NOT_STORED && k > local_last)
			break;
		if (rc == NOT_STORED && hole < 0)
			hole = k;
		if (rc == PRESENT || rc == RESTORED)
			last = k;
	}
	if (rc < 0)
		return rc;
	if (last < 0)
		return desc == NOT_STORED ? 0 : lost(w, idx, "i0");
	if (desc == NOT_STORED)
		return lost(w, idx, "zdb-namespace");
	if (hole >= 0) { /* below local_last, hence below last */
		snprintf(name, sizeof(name), "i%ld", hole);
		return lost(w, idx, name);
	}
	snprintf(name, sizeof(name), "d%ld", last);
	rc = restore_file(w, dat, name);
	return rc == NOT_STORED ? lost(w, dat, name) : rc < 0 ? rc : 0;
}

int restore_missing(struct wait_hooks *w)
{
	size_t before = w->restored;
	int failed = 0;
	for (size_t i = 0; i < w->s.n_ns && failed == 0; i++)
		failed = restore_ns(w, w->s.ns[i]);
	int rc = uploads_save_manifest(&w->up); /* the files restored so far, even on a failure */
	if (failed < 0)
		return failed;
	if (rc < 0) {
		wh_fail(w, "manifest: %s", strerror(-rc));
		return rc;
	}
	printf("wait_hooks: restore done: %zu file(s) restored\n", w->restored - before);
	return 0;
}
