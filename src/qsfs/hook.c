/* SPDX-License-Identifier: MIT */
/* The zdb hook handler: detach from zdb, record the event durably, exit (QSFS.md §5.4). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "qsfs/fetch.h"
#include "qsfs/fsutil.h"
#include "qsfs/hookplan.h"
#include "qsfs/journal.h"
#include "qsfs/manifest.h"
#include "qsfs/qsfs.h"
#include "qsfs/spool.h"
#include "rawsys.h"
#include "xalloc.h"

#define ERR_MAX 512

/*
 * zdb forks hooks without setsid, without O_CLOEXEC anywhere and, on the stop path, from
 * its signal handler (SIGTERM blocked). So before anything else: our own session (zinit's
 * group kill of zdb must not kill a hook half-way), every signal back to default with an
 * empty mask, and every inherited fd above 2 closed: zdb's listening socket and the
 * flock()ed .lockfiles must never outlive zdb in an orphaned hook (QSFS.md §1.5-4).
 */
static void detach_from_zdb(void)
{
	setsid();
	raw_reset_signals();
	struct rlimit rl;
	raw_close_fds(-1, getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ?
			  (long)rl.rlim_cur : 65536);
}

static int say(const struct hook_plan *p, const char *msg)
{
	fprintf(stderr, "zdb-hook: %s%s%s: %s\n", p->event_name, p->ns[0] ? " " : "", p->ns, msg);
	return 1;
}

/* Holds LOCK_SH on $STATE/hooks.lock until exit: the drain's LOCK_EX waits for us. */
static int lock_shared(const struct qsfs_settings *s)
{
	char path[QSFS_PATH_MAX + 16];
	if (path_join(path, sizeof(path), s->state_dir, "hooks.lock") < 0)
		return -ENAMETOOLONG;
	int fd = fs_lock(path, LOCK_SH);
	return fd < 0 ? fd : 0; /* the fd stays open (and locked) until the process exits */
}

/*
 * Whether the hook holds hooks.lock while it works. The markers of zdb's synchronous events
 * (namespaces-init, ready, close) do not: zdb is frozen until they return and goes on (or
 * exits) only after their marker is committed, so no drain can miss one, while waiting for
 * the lock would freeze zdb for as long as someone holds it exclusively. crash is async.
 */
static bool takes_lock(const struct hook_plan *p)
{
	if (p->action == HOOK_MARK)
		return p->event == HOOK_EV_CRASH;
	return p->action != HOOK_NOTHING;
}

/* The job of this event: markers, live-file uploads, or spool copies of index files. */
static int record(const struct qsfs_settings *s, const struct hook_plan *p)
{
	char stem[JOB_NAME_MAX], err[ERR_MAX];
	struct job j = { .event = (char *)p->event_name, .ns = p->ns[0] ? (char *)p->ns : NULL,
			 .time_ns = realtime_ns(), .pid = (long)getpid() };
	size_t skipped = 0;
	int rc = 0;
	job_name(stem, j.time_ns, j.pid);
	if (p->action == HOOK_SPOOL)
		rc = spool_snapshot(s->state_dir, stem, p->files, p->n_files, p->n_required, &j,
				    &skipped, err, sizeof(err));
	else if (p->action == HOOK_JOURNAL)
		for (size_t i = 0; i < p->n_files; i++)
			job_add_upload(&j, p->files[i], p->files[i]);
	if (rc == 0 && (rc = journal_commit(s->state_dir, stem, &j)) < 0) {
		snprintf(err, sizeof(err), "journal %.300s/journal/%s.job: %s", s->state_dir, stem,
			 strerror(-rc));
		if (p->action == HOOK_SPOOL)
			spool_remove(s->state_dir, stem);
	}
	j.event = j.ns = NULL; /* borrowed */
	job_free(&j);
	if (rc < 0)
		return say(p, err);
	if (skipped)
		say(p, "dirty index files missing locally were skipped");
	return 0;
}

/* The manifest's digest of @key into @d: 0, or -ENOENT when it has none. */
static int manifest_digest(const struct qsfs_settings *s, const char *key,
			   unsigned char d[DIGEST_LEN])
{
	char path[QSFS_PATH_MAX + 16], *text;
	size_t len;
	struct manifest m = { 0 };
	struct manifest_report rep;
	if (path_join(path, sizeof(path), s->state_dir, "manifest") < 0 ||
	    fs_read_file(path, &text, &len) < 0)
		return -ENOENT;
	manifest_parse(&m, text, len, &rep);
	free(text);
	const struct manifest_entry *e = manifest_find(&m, key);
	if (e)
		memcpy(d, e->digest, DIGEST_LEN);
	manifest_free(&m);
	return e ? 0 : -ENOENT;
}

/* missing-data: zdb is frozen until we exit; 0 only if the file is back and verified. */
static int retrieve(const struct qsfs_settings *s, const struct hook_plan *p)
{
	char err[ERR_MAX];
	unsigned char want[DIGEST_LEN];
	const char *path = p->files[0];
	/* never overwrite a local file; but one under a retrieve intent is not local: a retrieve
	 * given up may have written it since, whole or cut short (fetch_file fetches it again) */
	if (access(path, F_OK) == 0 && !fetch_untrusted(s, path))
		return 0;
	bool known = manifest_digest(s, path, want) == 0;
	if (fetch_file(s, path, known ? want : NULL, NULL, NULL, err, sizeof(err)) < 0)
		return say(p, err);
	return 0;
}

/* Settings and the plan for this command line; the reason in @err on failure. */
static int prepare(struct qsfs_settings *s, struct hook_plan *p, int argc, char **argv,
		   char *err, size_t errlen)
{
	static char cwd[4096];
	int rc = qsfs_settings_from_env(s, err, errlen);
	if (rc < 0)
		return rc;
	if (!getcwd(cwd, sizeof(cwd))) {
		rc = -errno;
		snprintf(err, errlen, "getcwd: %s", strerror(-rc));
		return rc;
	}
	if ((rc = hook_plan_build(p, s, cwd, argc, argv, err, errlen)) < 0)
		return rc;
	for (size_t i = 0; i < p->n_files; i++) { /* zstor keys files by canonical path */
		char canon[PATH_MAX];
		if (fs_canonical(p->files[i], canon, sizeof(canon)) == 0) {
			free(p->files[i]);
			p->files[i] = xstrdup(canon);
		}
	}
	return 0;
}

int qsfs_hook_main(int argc, char **argv)
{
	static struct qsfs_settings s;
	char err[ERR_MAX];
	struct hook_plan p;
	detach_from_zdb();
	if (prepare(&s, &p, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "zdb-hook: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (p.note)
		say(&p, p.note);
	if (p.action == HOOK_REFUSE)
		rc = 1;
	else if (takes_lock(&p) && (rc = lock_shared(&s)) < 0) {
		snprintf(err, sizeof(err), "%.300s/hooks.lock: %s", s.state_dir, strerror(-rc));
		rc = say(&p, err);
	}
	else if (p.action == HOOK_RETRIEVE)
		rc = retrieve(&s, &p);
	else if (p.action != HOOK_NOTHING)
		rc = record(&s, &p);
	hook_plan_free(&p);
	return rc;
}

int qsfs_hook_verb(const struct cli_opts *o, int argc, char **argv)
{
	(void)o;
	return qsfs_hook_main(argc, argv);
}
