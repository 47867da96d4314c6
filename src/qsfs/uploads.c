/* SPDX-License-Identifier: MIT */
/* The pending uploads: journal jobs loaded, newest entry per key wins, done jobs retired. */
#include "qsfs/uploads.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qsfs/fetch.h"
#include "qsfs/fsutil.h"
#include "qsfs/journal.h"
#include "qsfs/sweep.h"
#include "xalloc.h"

static int manifest_path(const struct uploads *u, char *out, size_t size)
{
	return path_join(out, size, u->s->state_dir, "manifest");
}

int uploads_init(struct uploads *u, const struct qsfs_settings *s, char *err, size_t errlen)
{
	char path[QSFS_PATH_MAX + 16], bad[QSFS_PATH_MAX + 32], *text;
	size_t len;
	struct manifest_report rep;
	*u = (struct uploads){ .s = s };
	int rc = manifest_path(u, path, sizeof(path));
	if (rc == 0)
		rc = fs_read_file(path, &text, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(-rc));
		return rc;
	}
	rc = manifest_parse(&u->manifest, text, len, &rep);
	free(text);
	if (rep.bad_lines)
		printf("wait_hooks: manifest: %u bad lines skipped (%s); those files will be hashed "
		       "and uploaded again\n", rep.bad_lines, rep.first_error);
	if (rc < 0) {
		snprintf(bad, sizeof(bad), "%s.bad", path);
		rename(path, bad);
		printf("wait_hooks: manifest unreadable, moved to %s\n", bad);
	}
	return 0;
}

void uploads_free(struct uploads *u)
{
	uploads_settle(u);
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].src);
		free(u->v[i].key);
		free(u->v[i].error);
	}
	for (size_t i = 0; i < u->n_jobs; i++)
		free(u->jobs[i].name);
	free(u->v);
	free(u->jobs);
	manifest_free(&u->manifest);
	*u = (struct uploads){ 0 };
}

static void set_done(struct uploads *u, struct upload *up)
{
	if (up->done)
		return;
	up->done = true;
	if (up->job >= 0)
		u->jobs[up->job].pending--;
}

/* Whether the entry from job @a is newer than one from job @b (-1: the sweep, newest). */
static bool newer(const struct uploads *u, int a, int b)
{
	if (a < 0 || b < 0)
		return a < 0 && b >= 0;
	const struct upload_job *ja = &u->jobs[a], *jb = &u->jobs[b];
	if (ja->time_ns != jb->time_ns)
		return ja->time_ns > jb->time_ns;
	return strcmp(ja->name, jb->name) > 0;
}

/* Adds an entry unless a newer one for @key is pending; supersedes older ones. */
static void add(struct uploads *u, const char *src, const char *key, int job, bool held)
{
	for (size_t i = 0; i < u->n; i++) {
		struct upload *e = &u->v[i];
		if (e->done || strcmp(e->key, key) != 0)
			continue;
		if (!newer(u, job, e->job))
			return;
		set_done(u, e);
	}
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 16;
		u->v = xrealloc(u->v, u->cap * sizeof(*u->v));
	}
	u->v[u->n++] = (struct upload){ .src = xstrdup(src), .key = xstrdup(key), .job = job,
					.held = held };
	if (job >= 0)
		u->jobs[job].pending++;
}

static bool known(const struct uploads *u, const char *name)
{
	for (size_t i = 0; i < u->n_jobs; i++)
		if (strcmp(u->jobs[i].name, name) == 0)
			return true;
	return false;
}

static void note_event(struct uploads *u, const struct job *j, long long t)
{
	const char *ev = j->event ? j->event : "";
	if (strcmp(ev, "ready") == 0 && t > u->last_ready_ns)
		u->last_ready_ns = t;
	if ((strcmp(ev, "close") == 0 || strcmp(ev, "crash") == 0) && t > u->last_stop_ns)
		u->last_stop_ns = t;
	if (strcmp(ev, "namespace-closing") != 0 || !j->ns || strlen(j->ns) > QSFS_NS_MAX)
		return;
	size_t i = 0;
	while (i < u->n_closing && strcmp(u->closing[i].ns, j->ns) != 0)
		i++;
	if (i == u->n_closing) {
		if (i == QSFS_MAX_NS)
			return;
		snprintf(u->closing[u->n_closing++].ns, QSFS_NS_MAX + 1, "%s", j->ns);
		u->closing[i].time_ns = 0;
	}
	if (t > u->closing[i].time_ns)
		u->closing[i].time_ns = t;
}

/* A job file that is not a job at all is moved aside (NAME.bad), never retried. */
static void set_aside(const struct uploads *u, const char *name, const char *why)
{
	char from[QSFS_PATH_MAX + 80], to[QSFS_PATH_MAX + 90];
	snprintf(from, sizeof(from), "%s/journal/%s", u->s->state_dir, name);
	snprintf(to, sizeof(to), "%s.bad", from);
	rename(from, to);
	printf("wait_hooks: journal %s: %s; moved to %s\n", name, why, to);
}

static void load_job(struct uploads *u, const char *name)
{
	struct job j = { 0 };
	struct job_report rep;
	long long t = 0;
	job_name_parse(name, &t);
	int rc = journal_load(u->s->state_dir, name, &j, &rep);
	if (rc == -ENOENT)
		return; /* retired meanwhile */
	if (rc == -EINVAL)
		set_aside(u, name, rep.first_error);
	else if (rc < 0)
		printf("wait_hooks: journal %s: %s; tried again later\n", name, strerror(-rc));
	if (rc < 0) {
		job_free(&j);
		return;
	}
	if (rep.bad_lines || !rep.complete)
		printf("wait_hooks: journal %s: %u bad lines (%s), %zu uploads kept\n", name,
		       rep.bad_lines, rep.first_error, j.n_uploads);
	if (j.time_ns)
		t = j.time_ns;
	u->jobs = xrealloc(u->jobs, (u->n_jobs + 1) * sizeof(*u->jobs));
	u->jobs[u->n_jobs] = (struct upload_job){ .name = xstrdup(name), .time_ns = t };
	int idx = (int)u->n_jobs++;
	note_event(u, &j, t);
	bool held = j.event && strcmp(j.event, "namespace-closing") == 0;
	for (size_t i = 0; i < j.n_uploads; i++)
		add(u, j.uploads[i].src, j.uploads[i].key, idx, held);
	job_free(&j);
}

/* A namespace-closing entry is held while the zdb that closed the file may still write it:
 * from its close (or crash) until the drain. A ready newer than the last close means zdb was
 * started again, which it cannot before the old one released its lockfiles: the files go like
 * any other, without waiting for the drain (zdb alone restarted). */
static void release_held(struct uploads *u)
{
	if (u->last_ready_ns <= u->last_stop_ns)
		return;
	for (size_t i = 0; i < u->n; i++)
		u->v[i].held = false;
}

int uploads_scan(struct uploads *u)
{
	char **names;
	size_t n;
	uploads_settle(u);
	int rc = journal_list(u->s->state_dir, &names, &n), loaded = 0;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (!known(u, names[i])) {
			load_job(u, names[i]);
			loaded++;
		}
	journal_names_free(names, n);
	release_held(u);
	return loaded;
}

/* Adds the files of one namespace directory that may differ from the manifest. */
static int sweep_dir(struct uploads *u, const char *dir, const struct fetch_intents *fi)
{
	char path[2 * QSFS_PATH_MAX];
	int added = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		unsigned long id;
		struct stat st;
		if (qsfs_file_kind(e->d_name, &id) == QSFS_FILE_OTHER ||
		    path_join(path, sizeof(path), dir, e->d_name) < 0 || stat(path, &st) < 0 ||
		    !S_ISREG(st.st_mode) || fetch_intents_name(fi, path))
			continue; /* (a file being retrieved, or whose retrieve was given up) */
		const struct manifest_entry *m = manifest_find(&u->manifest, path);
		if (sweep_decide(m, (unsigned long long)st.st_size, fs_mtime_ns(&st)) == SWEEP_SKIP) {
			for (size_t i = 0; i < u->n; i++) /* the remote copy is this file */
				if (!u->v[i].done && strcmp(u->v[i].key, path) == 0)
					set_done(u, &u->v[i]);
			continue;
		}
		add(u, path, path, -1, false);
		added++;
	}
	closedir(d);
	return added;
}

static int by_upload_order(const void *a, const void *b)
{
	const struct upload *x = a, *y = b;
	return qsfs_file_order(x->key, y->key);
}

int uploads_sweep(struct uploads *u)
{
	char dir[2 * QSFS_PATH_MAX];
	int added = 0;
	struct fetch_intents fi; /* read once, not once per file */
	uploads_settle(u);
	fetch_intents_load(u->s, &fi);
	for (size_t i = 0; i < u->s->n_ns; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", u->s->data_dir, u->s->ns[i]);
		added += sweep_dir(u, dir, &fi);
		snprintf(dir, sizeof(dir), "%s/%s", u->s->index_dir, u->s->ns[i]);
		added += sweep_dir(u, dir, &fi);
	}
	fetch_intents_free(&fi);
	if (u->n)
		qsort(u->v, u->n, sizeof(*u->v), by_upload_order);
	return added;
}

/* The first upload ready at @now_ms, or NULL with *@wake_ms the earliest retry (or -1). */
static struct upload *first_ready(struct uploads *u, long long now_ms, bool drain,
				  long long *wake_ms)
{
	*wake_ms = -1;
	for (size_t i = 0; i < u->n; i++) {
		struct upload *up = &u->v[i];
		if (up->done || up->in_flight || (up->held && !drain))
			continue;
		if (up->next_try_ms <= now_ms)
			return up;
		if (*wake_ms < 0 || up->next_try_ms < *wake_ms)
			*wake_ms = up->next_try_ms;
	}
	return NULL;
}

struct upload *uploads_next(struct uploads *u, long long now_ms, bool drain, long long *wake_ms)
{
	struct upload *up = first_ready(u, now_ms, drain, wake_ms);
	if (up || !u->n_flight)
		return up;
	uploads_settle(u); /* its file may be ready again (failed) or done */
	return first_ready(u, now_ms, drain, wake_ms);
}

void uploads_retry_now(struct uploads *u)
{
	for (size_t i = 0; i < u->n; i++) {
		u->v[i].next_try_ms = 0;
		u->v[i].backoff_ms = 0;
	}
}

void uploads_count(const struct uploads *u, bool drain, size_t *pending, size_t *failed)
{
	*pending = *failed = 0;
	for (size_t i = 0; i < u->n; i++) {
		if (u->v[i].done || (u->v[i].held && !drain))
			continue;
		(*pending)++;
		*failed += u->v[i].failed;
	}
}

int uploads_save_manifest(struct uploads *u)
{
	char path[QSFS_PATH_MAX + 16];
	struct strbuf text = { 0 };
	if (!u->manifest_dirty)
		return 0;
	int rc = manifest_path(u, path, sizeof(path));
	if (rc < 0)
		return rc;
	manifest_format(&u->manifest, &text);
	rc = fs_write_file(path, text.s, text.len, true);
	strbuf_free(&text);
	if (rc == 0)
		u->manifest_dirty = false;
	return rc;
}

/* Drops done entries and removed jobs, renumbering the entries' job indices. */
static void compact(struct uploads *u)
{
	int *map = xmalloc((u->n_jobs + 1) * sizeof(*map));
	size_t nj = 0, n = 0;
	for (size_t i = 0; i < u->n_jobs; i++) {
		map[i] = u->jobs[i].removed ? -1 : (int)nj;
		if (u->jobs[i].removed)
			free(u->jobs[i].name);
		else
			u->jobs[nj++] = u->jobs[i];
	}
	for (size_t i = 0; i < u->n; i++) {
		struct upload *up = &u->v[i];
		if (up->done) {
			free(up->src);
			free(up->key);
			free(up->error);
			continue;
		}
		up->job = up->job >= 0 ? map[up->job] : -1;
		u->v[n++] = *up;
	}
	u->n_jobs = nj;
	u->n = n;
	free(map);
}

int uploads_retire(struct uploads *u)
{
	uploads_settle(u);
	int rc = uploads_save_manifest(u);
	if (rc < 0)
		return rc; /* a job leaves only once its upload is in the durable manifest */
	for (size_t i = 0; i < u->n_jobs; i++) {
		struct upload_job *j = &u->jobs[i];
		if (j->removed || j->pending)
			continue;
		int r = journal_remove(u->s->state_dir, j->name);
		if (r < 0 && rc == 0)
			rc = r;
		j->removed = r == 0;
	}
	compact(u);
	return rc;
}
