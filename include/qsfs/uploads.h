/* SPDX-License-Identifier: MIT */
/* wait_hooks' pending uploads: journal jobs in memory, one verified upload, retries. */
#ifndef QSFS_UPLOADS_H
#define QSFS_UPLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "qsfs/manifest.h"
#include "qsfs/settings.h"
#include "qsfs/zstor_cli.h"

#define UPLOAD_BACKOFF_MIN_MS 1000
#define UPLOAD_BACKOFF_MAX_MS 30000

/* One file to upload under one key. */
struct upload {
	char *src;
	char *key;
	int job;               /* index in jobs[], or -1: found by the sweep */
	bool held;             /* namespace-closing entry: zdb may still write the file */
	bool done;             /* uploaded and verified, skipped, or superseded */
	bool failed;           /* the last attempt failed; retried at next_try_ms */
	bool in_flight;        /* its store or check runs (struct upload_flight) */
	char *error;           /* why the last attempt failed (malloc'd), or NULL */
	unsigned attempts;
	unsigned backoff_ms;
	long long next_try_ms; /* CLOCK_MONOTONIC */
};

/* A job file of the journal, deleted once none of its uploads is pending. */
struct upload_job {
	char *name;
	long long time_ns;
	size_t pending;
	bool removed; /* its file is gone from the journal */
};

/* The newest namespace-closing job seen for one namespace. */
struct closing_seen {
	char ns[QSFS_NS_MAX + 1];
	long long time_ns;
};

/* Stores in flight at once: the next file's zstor CLI starts while one is stored (zstor's
 * one worker takes blocking commands in arrival order); checks run behind them. */
#define UPLOAD_STORES_MAX 2
#define UPLOAD_FLIGHT_MAX 4

/* An upload whose `zstor store`, then `zstor check`, runs in the background. */
struct upload_flight {
	size_t idx;                       /* its upload, in uploads.v[] */
	bool checking;                    /* false: the store runs; true: the check */
	struct zstor_child child;
	unsigned timeout_ms;              /* QSFS_STORE_TIMEOUT, or less near the cap */
	long long cap_at_ms;              /* no zstor call beyond this (the drain's deadline) */
	unsigned char digest[DIGEST_LEN]; /* of what is stored */
	struct stat st;                   /* of the file when it was hashed */
	long long read_at_ns;
	char snap_dir[QSFS_PATH_MAX + 64]; /* holds the copy stored (uploads.live_may_change),
					    * removed when it lands; "" if none */
};

struct uploads {
	const struct qsfs_settings *s;
	bool live_may_change;     /* zdb may write its live files: each index or descriptor
				   * is copied, and the copy hashed and stored (uploads_try()) */
	unsigned snap_seq;        /* names the copies' directories */
	struct manifest manifest;
	bool manifest_dirty;
	struct upload_job *jobs;
	size_t n_jobs;
	struct upload *v;
	size_t n;
	size_t cap;
	long long last_ready_ns;  /* newest `ready` marker seen (0: none) */
	long long last_stop_ns;   /* newest `close` or `crash` marker */
	struct closing_seen closing[QSFS_MAX_NS];
	size_t n_closing;
	unsigned long long bytes; /* uploaded and verified since start */
	unsigned long n_uploaded;
	char last_error[512];     /* of the last failed attempt ("" if none yet) */
	char last_key[QSFS_PATH_MAX + QSFS_NS_MAX];
	long long last_upload_ns; /* realtime of the last verified upload */
	long long failures_said_ms; /* when a failure was last printed (monotonic) */
	unsigned long failures_unsaid; /* failures since then, not printed */
	struct upload_flight flight[UPLOAD_FLIGHT_MAX]; /* oldest first */
	size_t n_flight;
};

/**
 * uploads_init() - an empty queue with the manifest loaded (a missing manifest is empty;
 * an unreadable one is moved aside to manifest.bad and reported). 0 or -errno with @err.
 */
int uploads_init(struct uploads *u, const struct qsfs_settings *s, char *err, size_t errlen);

void uploads_free(struct uploads *u);

/**
 * uploads_scan() - load the journal's jobs not seen yet: markers update last_ready_ns /
 * last_stop_ns; namespace-closing uploads are held until the drain, or until a ready
 * newer than the last close/crash (zdb restarted alone); a newer entry for a key supersedes
 * older ones. Returns the number of jobs loaded, or -errno.
 */
int uploads_scan(struct uploads *u);

/**
 * uploads_sweep() - add every zdb-namespace, i* and d* of each namespace whose content may
 * differ from the manifest (size or mtime changed, or no entry); every existing namespace
 * file supersedes the journal's entries for its key (the live file is final now). Then
 * sorts the queue in upload order: data, index, descriptors. Returns how many were added.
 */
int uploads_sweep(struct uploads *u);

/**
 * uploads_next() - the next upload to try at @now_ms (held ones only when @drain), or NULL;
 * *@wake_ms gets the earliest retry time of the others (or -1). When no other upload is
 * ready, the uploads in flight are finished first (uploads_settle()).
 */
struct upload *uploads_next(struct uploads *u, long long now_ms, bool drain, long long *wake_ms);

/**
 * uploads_try() - make sure zstor has the file: skip it if the manifest shows it unchanged
 * (size and mtime, else digest), otherwise blocking `zstor store`, then `zstor check` must
 * report the local blake2b-128; the manifest is updated in memory. A missing live file is
 * done (nothing to upload). On failure: last_error set and printed, retry after a backoff
 * doubling from 1 s to 30 s. Each zstor call gets min(QSFS_STORE_TIMEOUT, @cap_ms).
 * The store and the check run in the background (struct upload_flight) while the next files
 * are hashed and stored; a file of another kind (data, index, descriptor) waits until every
 * store in flight is done, so the kinds still reach zstor in order. The file stays pending
 * until its check is done. With live_may_change, a live index or descriptor file (not a
 * spool copy; data files only grow, and go as they are) is first copied to spool/upload-PID-N/ (unchanged during the copy, else it fails and is retried),
 * and that copy is hashed and stored with -k: zstor reads a file twice, and a change between
 * its reads leaves a remote copy other than the checksum `zstor check` confirms.
 * 0 or -errno (a failure is reported when it is known).
 */
int uploads_try(struct uploads *u, struct upload *up, unsigned cap_ms);

/**
 * uploads_settle() - finish every upload in flight: each file is recorded as verified
 * (manifest, counters) or failed. Every change to the queue's order (scan, sweep, retire)
 * settles first.
 */
void uploads_settle(struct uploads *u);

/** uploads_retry_now() - every failed upload may be tried at once, its backoff back at the start. */
void uploads_retry_now(struct uploads *u);

/** uploads_count() - pending (not done; held counted only with @drain) and failed ones. */
void uploads_count(const struct uploads *u, bool drain, size_t *pending, size_t *failed);

/**
 * uploads_retire() - save the manifest if it changed, then delete the journal files
 * (and spool dirs) of jobs with nothing pending, and forget done entries. 0 or -errno.
 */
int uploads_retire(struct uploads *u);

/** uploads_save_manifest() - write the manifest durably if it changed. 0 or -errno. */
int uploads_save_manifest(struct uploads *u);

#endif
