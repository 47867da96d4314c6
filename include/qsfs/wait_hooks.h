/* SPDX-License-Identifier: MIT */
/* wait_hooks' process state, shared by its parts: loop, drain, restore (internal API). */
#ifndef QSFS_WAIT_HOOKS_H
#define QSFS_WAIT_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include "qsfs/settings.h"
#include "qsfs/uploads.h"

enum wh_phase { WH_RESUMING, WH_RESTORING, WH_RUNNING, WH_DRAINING, WH_DONE, WH_FAILED };

struct wait_hooks {
	struct qsfs_settings s;
	struct uploads up;
	int sig_fd;        /* signalfd: SIGTERM, SIGINT */
	int ready_fd;      /* the QSFS_READY_SOCKET listener, -1 until the restore is done */
	int watch_fd;      /* inotify on the journal directory (-1 if unavailable) */
	int lock_fd;       /* hooks.lock, LOCK_EX once the drain has waited for the hooks */
	enum wh_phase phase;
	unsigned stops;    /* SIGTERM/SIGINT received */
	long long stop_ms; /* when the first was read, or seen pending during a zstor call: the
			    * drain's deadline counts from it */
	size_t restored;
	bool in_drain;     /* drain counters below are meaningful */
	size_t drain_total, drain_done;
	long long drain_deadline_ms;
	long long status_at_ms;
};

/** wh_signals() - read pending stop signals (non-blocking); a second one is logged, ignored. */
void wh_signals(struct wait_hooks *w);

/**
 * wh_wait() - sleep until @until_ms (monotonic) or earlier when a stop signal or a journal
 * change arrives; accepts (and closes) connections to the ready socket meanwhile.
 */
void wh_wait(struct wait_hooks *w, long long until_ms);

/**
 * wh_fail() - print "wait_hooks: MESSAGE" for a failure that ends the start or the drain, and
 * keep MESSAGE as the status' last_error, so that `zinit qsfs status` says why it failed.
 */
void wh_fail(struct wait_hooks *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** wh_status() - write status.json if @force or 200 ms passed since the last write. */
void wh_status(struct wait_hooks *w, bool force);

/**
 * wh_clean_retrieves() - remove the files of retrieves cut short or given up (their intent
 * left in $STATE/retrieve) and say so; with @forget also the intents, once zstor answers
 * (fetch_clean()). Only while no hook runs (hooks.lock held exclusively).
 */
void wh_clean_retrieves(struct wait_hooks *w, bool forget);

/**
 * drain_uploads() - upload everything the journal and, with @sweep, a sweep of the namespaces
 * hold, in order data, index, descriptors, retrying until done or @deadline_ms. Progress
 * lines go to stdout, labelled @what ("drain", "resume"). Returns 0 once every file has a
 * verified remote copy (the journal and spool are then empty); at the deadline prints the
 * files left and returns -ETIMEDOUT; with @leftover_job they are also journaled in a new job.
 * The resume (phase resuming) ends at a stop signal, returning -EINTR: the stop's drain does
 * all it does, within a deadline counted from the signal.
 * No sweep while zdb runs: its files change under the hash (the resume of a restarted
 * wait_hooks could never finish), and the stop's drain sweeps once zdb is gone.
 */
int drain_uploads(struct wait_hooks *w, const char *what, long long deadline_ms,
		  bool sweep, bool leftover_job);

/**
 * drain_on_stop() - the stop path: if zdb announced close/crash since its last ready, wait
 * up to QSFS_CLOSING_GRACE_MS for every namespace's namespace-closing job; take hooks.lock
 * exclusively (waits for hooks in flight); then drain_uploads(), all within QSFS_DRAIN_TIMEOUT
 * of the stop signal (whatever step it interrupted).
 */
int drain_on_stop(struct wait_hooks *w);

/**
 * restore_missing() - for each namespace bring back from zstor, verified, only the files
 * missing locally: zdb-namespace, every i<k> up to the last one stored, the d<k> of the
 * last index. Never overwrites, never restores a file pending upload. 0, -EINTR when a stop
 * signal came, or -errno (the reason printed).
 */
int restore_missing(struct wait_hooks *w);

#endif
