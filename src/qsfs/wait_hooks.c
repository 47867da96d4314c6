/* SPDX-License-Identifier: MIT */
/* `zinit wait-hooks`: resume, restore, ready socket, continuous upload, drain on SIGTERM. */
#include "qsfs/wait_hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "qsfs/fetch.h"
#include "qsfs/flocks.h"
#include "qsfs/fsutil.h"
#include "qsfs/journal.h"
#include "qsfs/qsfs.h"
#include "qsfs/readysock.h"
#include "qsfs/status.h"

/* The journal is scanned at every change inotify reports and at least this often: every
 * second where it cannot watch it, else once a minute (a watch lost with its directory). */
#define TICK_MS 1000
#define WATCHED_TICK_MS 60000

static const char *const phase_names[] = { "resuming", "restoring", "running", "draining",
					   "done", "failed" };

void wh_signals(struct wait_hooks *w)
{
	struct signalfd_siginfo si;
	while (read(w->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		const char *name = si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
		if (w->stops++ == 0) {
			if (!w->stop_ms) /* else seen pending during a zstor call */
				w->stop_ms = monotonic_ms();
			printf("wait_hooks: %s: %s\n", name,
			       w->phase == WH_RESTORING ? "stopping after this file" : "draining");
		}
		else
			printf("wait_hooks: %s again: ignored, the %s goes on\n", name,
			       w->phase == WH_RESTORING ? "restore" : "drain");
	}
}

void wh_wait(struct wait_hooks *w, long long until_ms)
{
	char buf[4096];
	for (;;) {
		long long left = until_ms - monotonic_ms();
		struct pollfd p[3] = { { w->sig_fd, POLLIN, 0 }, { w->ready_fd, POLLIN, 0 },
				       { w->watch_fd, POLLIN, 0 } };
		if (left <= 0 || poll(p, 3, (int)(left > INT_MAX ? INT_MAX : left)) < 0)
			return;
		if (p[1].revents)
			ready_accept_all(w->ready_fd);
		if (p[2].revents) {
			while (read(w->watch_fd, buf, sizeof(buf)) > 0)
				;
			return;
		}
		if (p[0].revents) {
			wh_signals(w);
			return;
		}
	}
}

void wh_fail(struct wait_hooks *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->up.last_error, sizeof(w->up.last_error), fmt, ap);
	va_end(ap);
	printf("wait_hooks: %s\n", w->up.last_error);
}

void wh_status(struct wait_hooks *w, bool force)
{
	long long now = monotonic_ms();
	if (!force && now - w->status_at_ms < 200)
		return;
	w->status_at_ms = now;
	struct qsfs_status st = {
		.phase = phase_names[w->phase], .last_error = w->up.last_error,
		.last_key = w->up.last_key, .last_upload_ns = w->up.last_upload_ns,
		.bytes = w->up.bytes, .uploads = w->up.n_uploaded, .restored = w->restored,
		.drain = w->in_drain, .drain_total = w->drain_total, .drain_done = w->drain_done,
		.drain_deadline_ns = realtime_ns() + (w->drain_deadline_ms - now) * 1000000LL,
	};
	uploads_count(&w->up, true, &st.pending, &st.failed); /* held ones are pending too */
	status_write(w->s.state_dir, &st);
}

static int setup_signals(struct wait_hooks *w)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN); /* stdout may be a closed pipe: write errors, not death */
	w->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return w->sig_fd < 0 ? -errno : 0;
}

/* The journal directory exists and is watched: a new job wakes the loop at once. */
static void setup_watch(struct wait_hooks *w)
{
	char dir[QSFS_PATH_MAX + 16];
	path_join(dir, sizeof(dir), w->s.state_dir, "journal");
	fs_mkdirs(dir);
	w->watch_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (w->watch_fd >= 0 && inotify_add_watch(w->watch_fd, dir, IN_MOVED_TO) < 0) {
		close(w->watch_fd);
		w->watch_fd = -1;
	}
}

/* open_lock: the state directory (made on a fresh volume) and its hooks.lock, which every
 * hook holds shared while it works. */
static int open_lock(struct wait_hooks *w)
{
	char path[QSFS_PATH_MAX + 16];
	int rc = fs_mkdirs(w->s.state_dir);
	if (rc < 0) {
		wh_fail(w, "cannot start: state directory %s: %s", w->s.state_dir, strerror(-rc));
		return rc;
	}
	path_join(path, sizeof(path), w->s.state_dir, "hooks.lock");
	w->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (w->lock_fd < 0) {
		rc = -errno;
		wh_fail(w, "cannot start: %s: %s", path, strerror(-rc));
	}
	return rc;
}

void wh_clean_retrieves(struct wait_hooks *w, bool forget)
{
	struct fetch_cleaned c;
	fetch_clean(&w->s, forget, &c);
	if (c.removed)
		printf("wait_hooks: removed %d partially retrieved file(s)\n", c.removed);
	if (c.kept)
		printf("wait_hooks: %zu retrieve intent(s) kept%s%s%s: zstor may still write their "
		       "files, which are never uploaded (a later start removes them)\n", c.kept,
		       forget ? " (zstor did not answer: " : "", forget ? c.why : "",
		       forget ? ")" : "");
	if (c.live)
		printf("wait_hooks: %zu retrieve(s) still running (intent locked): left alone\n",
		       c.live);
	if (c.ignored)
		printf("wait_hooks: %zu retrieve intent(s) name no path under QSFS_INDEX_DIR or "
		       "QSFS_DATA_DIR: what they name is left alone\n", c.ignored);
}

static bool zdb_holds_lockfile(struct wait_hooks *w, bool say);

/*
 * Leftovers of hooks and retrieves that died half-way (partial retrieved files, .tmp jobs,
 * spool dirs without a job) are removed, but only if no hook runs: an orphaned hook of a
 * previous zdb may still hold hooks.lock, and then they may be its work in progress.
 */
static void clean_leftovers(struct wait_hooks *w)
{
	if (flock(w->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		printf("wait_hooks: hooks still running; leftovers are kept for now\n");
		return;
	}
	/* zinit starts zstor before wait_hooks: a zstor that answers has done every retrieve it
	 * ran for nobody. While zdb runs, hooks wait for the lock: no zstor call under it then */
	wh_clean_retrieves(w, !zdb_holds_lockfile(w, false));
	int entries = journal_clean(w->s.state_dir);
	if (entries)
		printf("wait_hooks: removed %d unfinished journal/spool entries\n", entries);
	flock(w->lock_fd, LOCK_UN);
}

static int listen_ready(struct wait_hooks *w)
{
	int fd = ready_listen(w->s.ready_socket);
	if (fd < 0) {
		wh_fail(w, "ready socket %s: %s", w->s.ready_socket, strerror(-fd));
		return fd;
	}
	w->ready_fd = fd;
	printf("wait_hooks: ready: zdb may start (%s)\n", w->s.ready_socket);
	return 0;
}

/* Continuous upload while zdb runs; returns when a stop signal arrived. */
static void run(struct wait_hooks *w)
{
	long long wake;
	w->phase = WH_RUNNING;
	w->up.live_may_change = true; /* zdb runs: its live files are uploaded from copies */
	wh_status(w, true);
	while (!w->stops) {
		uploads_scan(&w->up);
		struct upload *up = uploads_next(&w->up, monotonic_ms(), false, &wake);
		if (up) {
			uploads_try(&w->up, up, UINT_MAX); /* no deadline: each call has its own */
			wh_status(w, false);
			wh_signals(w);
			continue;
		}
		int rc = uploads_retire(&w->up);
		if (rc < 0)
			printf("wait_hooks: cannot update the manifest or the journal: %s\n",
			       strerror(-rc));
		wh_status(w, true);
		long long tick = monotonic_ms() + (w->watch_fd >= 0 ? WATCHED_TICK_MS : TICK_MS);
		wh_wait(w, wake >= 0 && wake < tick ? wake : tick);
	}
}

static int usage_or_settings(struct wait_hooks *w, int argc)
{
	char err[512];
	if (argc > 1)
		return cli_usage_error("wait-hooks takes no arguments (settings come from QSFS_* "
				       "environment variables)");
	if (qsfs_settings_from_env(&w->s, err, sizeof(err)) < 0) {
		fprintf(stderr, "wait_hooks: %s\n", err);
		return 1;
	}
	/* keys are paths under these: canonical, as zstor makes them */
	char *dirs[] = { w->s.index_dir, w->s.data_dir };
	for (size_t i = 0; i < 2; i++) {
		char canon[QSFS_PATH_MAX];
		if (fs_canonical(dirs[i], canon, sizeof(canon)) == 0)
			strcpy(dirs[i], canon);
	}
	return 0;
}

/* Whether zdb runs: it holds its index or data directory's .lockfile (flock) while it does.
 * zinit restarted wait_hooks alone then (a crash, an OOM kill, `zinit restart wait_hooks`). */
static bool zdb_holds_lockfile(struct wait_hooks *w, bool say)
{
	char path[QSFS_PATH_MAX + 16];
	const char *dirs[] = { w->s.index_dir, w->s.data_dir };
	for (size_t i = 0; i < 2; i++) {
		if (path_join(path, sizeof(path), dirs[i], ".lockfile") == 0 && flocks_held(path)) {
			if (say)
				printf("wait_hooks: zdb is running (%s is locked): the resume uploads what the "
				       "journal holds, with no sweep of its live files, and restores "
				       "nothing\n", path);
			return true;
		}
	}
	return false;
}

/* Everything before zdb may start: resume an unfinished drain, restore missing files. */
static int start(struct wait_hooks *w)
{
	char err[512];
	int rc;
	if ((rc = setup_signals(w)) < 0) {
		wh_fail(w, "cannot start: signals: %s", strerror(-rc));
		return rc;
	}
	zstor_watch_stop(w->sig_fd, &w->stop_ms, w->s.drain_timeout_ms);
	if ((rc = open_lock(w)) < 0)
		return rc;
	if ((rc = uploads_init(&w->up, &w->s, err, sizeof(err))) < 0) {
		wh_fail(w, "manifest: %s", err);
		return rc;
	}
	setup_watch(w);
	clean_leftovers(w);
	w->phase = WH_RESUMING;
	bool zdb_running = zdb_holds_lockfile(w, true);
	w->up.live_may_change = zdb_running; /* its live files are uploaded from copies */
	rc = drain_uploads(w, "resume", monotonic_ms() + w->s.drain_timeout_ms, !zdb_running, false);
	if (w->stops)
		return -EINTR; /* even when the resume failed: the stop's drain goes on from here */
	if (rc < 0)
		return rc;
	w->in_drain = false; /* the resume's counts are not the stop's drain */
	/* the markers seen so far were of a zdb that is gone, or of the start of the one that
	 * runs: either way no close to wait for, and its namespace-closing jobs went up above */
	w->up.last_ready_ns = w->up.last_stop_ns = 0;
	w->up.n_closing = 0;
	if (!zdb_running) { /* zdb has its files, and calls missing-data for the others */
		w->phase = WH_RESTORING;
		wh_status(w, true);
		rc = restore_missing(w);
		if (w->stops)
			return -EINTR;
		if (rc < 0)
			return rc;
	}
	return listen_ready(w);
}

static void finish(struct wait_hooks *w, int rc)
{
	w->phase = rc == 0 ? WH_DONE : WH_FAILED;
	wh_status(w, true);
	ready_close(w->ready_fd, w->s.ready_socket);
	if (w->watch_fd >= 0)
		close(w->watch_fd);
	if (w->lock_fd >= 0)
		close(w->lock_fd);
	if (w->sig_fd >= 0)
		close(w->sig_fd);
	uploads_free(&w->up);
}

int qsfs_wait_hooks_verb(const struct cli_opts *o, int argc, char **argv)
{
	static struct wait_hooks w = { .sig_fd = -1, .ready_fd = -1, .watch_fd = -1, .lock_fd = -1 };
	(void)o;
	(void)argv;
	int rc = usage_or_settings(&w, argc);
	if (rc)
		return rc;
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = start(&w);
	if (rc == -EINTR) /* zdb may run all the same: started by the wait_hooks before this one */
		printf("wait_hooks: stopped before zdb was allowed to start: draining what a zdb "
		       "still running may have written\n");
	else if (rc == 0)
		run(&w);
	if (rc == 0 || rc == -EINTR) {
		w.phase = WH_DRAINING;
		/* zinit stops zdb first, and its files are final; a zdb still running (a stop of
		 * wait_hooks alone) may write them, so they are uploaded from copies then */
		w.up.live_may_change = zdb_holds_lockfile(&w, false);
		rc = drain_on_stop(&w);
	}
	finish(&w, rc);
	return rc < 0 ? 1 : 0;
}
