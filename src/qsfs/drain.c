/* SPDX-License-Identifier: MIT */
/* The drain: wait for zdb's last hooks, then upload and verify every file before a deadline. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "qsfs/journal.h"
#include "qsfs/wait_hooks.h"

#define PROGRESS_MS 1000

static void progress(struct wait_hooks *w, const char *what, bool force)
{
	static long long last;
	size_t pending, failed;
	long long now = monotonic_ms();
	uploads_count(&w->up, true, &pending, &failed);
	w->drain_done = w->drain_total > pending ? w->drain_total - pending : 0;
	wh_status(w, force);
	if (!force && now - last < PROGRESS_MS)
		return;
	last = now;
	printf("wait_hooks: %s %zu/%zu files, %zu failed%s\n", what, w->drain_done,
	       w->drain_total, failed, failed ? ", retrying" : "");
}

/* Lists what has no verified copy; with @job also journals the sweep's files for later. */
static void report_left(struct wait_hooks *w, const char *what, bool job)
{
	struct job left = { .event = "drain-left", .pid = (long)getpid() };
	char stem[JOB_NAME_MAX];
	size_t pending, failed;
	uploads_count(&w->up, true, &pending, &failed);
	printf("wait_hooks: %s gave up at its deadline: %zu %s no verified remote copy:\n",
	       what, pending, pending == 1 ? "file has" : "files have");
	for (size_t i = 0; i < w->up.n; i++) {
		const struct upload *up = &w->up.v[i];
		if (up->done)
			continue;
		printf("wait_hooks:   %s (%s, %u attempts)\n", up->key,
		       up->error ? up->error : "not tried", up->attempts);
		if (up->job < 0)
			job_add_upload(&left, up->src, up->key);
	}
	left.time_ns = realtime_ns();
	job_name(stem, left.time_ns, left.pid);
	int rc = job && left.n_uploads ? journal_commit(w->s.state_dir, stem, &left) : 0;
	if (rc < 0)
		printf("wait_hooks: cannot journal the files left: %s\n", strerror(-rc));
	left.event = NULL;
	job_free(&left);
}

int drain_uploads(struct wait_hooks *w, const char *what, long long deadline_ms, bool sweep,
		  bool leftover_job)
{
	int rc = uploads_scan(&w->up);
	if (rc < 0) {
		printf("wait_hooks: %s: journal: %s\n", what, strerror(-rc));
		return rc;
	}
	if (sweep)
		uploads_sweep(&w->up);
	size_t failed;
	uploads_count(&w->up, true, &w->drain_total, &failed);
	w->in_drain = true;
	w->drain_deadline_ms = deadline_ms;
	progress(w, what, true);
	for (;;) {
		long long now = monotonic_ms(), wake;
		wh_signals(w);
		if (w->stops && w->phase == WH_RESUMING) {
			rc = -EINTR; /* the stop's drain does what the resume does, and more */
			break;
		}
		struct upload *up = uploads_next(&w->up, now, true, &wake);
		if (!up && wake < 0)
			break; /* nothing pending */
		if (now >= deadline_ms) {
			rc = -ETIMEDOUT;
			break;
		}
		if (!up) {
			wh_wait(w, wake < deadline_ms ? wake : deadline_ms);
			continue;
		}
		uploads_try(&w->up, up, (unsigned)(deadline_ms - now));
		progress(w, what, false);
	}
	uploads_settle(&w->up);
	if (w->drain_total > 0) /* else the line would only repeat the first, "0/0 files" */
		progress(w, what, true);
	else
		wh_status(w, true);
	if (rc == -ETIMEDOUT)
		report_left(w, what, leftover_job);
	int r = uploads_retire(&w->up);
	if (r < 0) {
		printf("wait_hooks: %s: cannot update the manifest or the journal: %s\n", what,
		       strerror(-r));
		return rc < 0 ? rc : r;
	}
	return rc;
}

/* Whether every namespace has a namespace-closing job newer than the stop marker. */
static bool all_closed(const struct uploads *u)
{
	for (size_t i = 0; i < u->s->n_ns; i++) {
		size_t k = 0;
		while (k < u->n_closing && strcmp(u->closing[k].ns, u->s->ns[i]) != 0)
			k++;
		if (k == u->n_closing || u->closing[k].time_ns < u->last_stop_ns)
			return false;
	}
	return true;
}

/* zdb forks namespace-closing hooks as it exits: some start running only afterwards. */
static void wait_for_closing(struct wait_hooks *w, long long deadline_ms)
{
	long long until = monotonic_ms() + w->s.closing_grace_ms;
	if (until > deadline_ms)
		until = deadline_ms;
	uploads_scan(&w->up);
	if (w->up.last_stop_ns <= w->up.last_ready_ns)
		return; /* no close/crash since the last ready: no namespace-closing to expect */
	while (!all_closed(&w->up) && monotonic_ms() < until) {
		long long step = monotonic_ms() + 50;
		wh_wait(w, step < until ? step : until);
		uploads_scan(&w->up);
	}
	if (!all_closed(&w->up))
		printf("wait_hooks: not every namespace sent namespace-closing within %u ms; "
		       "the sweep covers their files\n", w->s.closing_grace_ms);
}

/* LOCK_EX on hooks.lock: every hook holds LOCK_SH while it runs, so this waits for them. */
static int wait_for_hooks(struct wait_hooks *w, long long deadline_ms)
{
	while (flock(w->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (monotonic_ms() >= deadline_ms)
			return -ETIMEDOUT;
		wh_wait(w, monotonic_ms() + 20);
	}
	return 0;
}

int drain_on_stop(struct wait_hooks *w)
{
	long long deadline = (w->stops ? w->stop_ms : monotonic_ms()) + w->s.drain_timeout_ms;
	wh_status(w, true);
	wait_for_closing(w, deadline);
	int rc = wait_for_hooks(w, deadline);
	if (rc < 0)
		printf("wait_hooks: hooks still running at the drain's deadline (%s)\n",
		       strerror(-rc));
	bool locked = rc == 0;
	/* a retrieve cut short (its hook killed) or given up (zstor may still write it) must not
	 * go up over the good copy; zstor runs on after us, so the intents stay for the start */
	if (locked)
		wh_clean_retrieves(w, false);
	uploads_retry_now(&w->up); /* a stop is no time to sit out a backoff of up to 30 s */
	rc = drain_uploads(w, "drain", deadline, true, true);
	if (rc == 0 && locked)
		journal_clean(w->s.state_dir); /* spool dirs of hooks that failed before journaling */
	if (rc == 0)
		printf("wait_hooks: drain done: every file has a verified remote copy "
		       "(%lu files, %llu bytes uploaded since wait-hooks started)\n",
		       w->up.n_uploaded, w->up.bytes);
	return rc;
}
