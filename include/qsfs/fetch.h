/* SPDX-License-Identifier: MIT */
/* Verified retrieval of a missing file from zstor, safe against a crash half-way. */
#ifndef QSFS_FETCH_H
#define QSFS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "qsfs/digest.h"
#include "qsfs/settings.h"

/* Asked while fetch_file() waits for another process's retrieve: true to stop waiting. */
struct fetch_stop {
	bool (*stopping)(void *ctx);
	void *ctx;
};

/**
 * fetch_file() - bring back the missing file @path (its key): record an intent file
 * $STATE/retrieve/NAME holding @path, run `zstor retrieve -f PATH` (QSFS_RETRIEVE_TIMEOUT),
 * and compare the file's blake2b-128 with @want (or, when @want is NULL, with what
 * `zstor check -f PATH` reports). On any failure or mismatch @path is removed, so no
 * partial or wrong file stays. The intent is locked (flock LOCK_EX) while the retrieve runs,
 * and goes once it is over; one killed at its timeout keeps it, unlocked: zstor's monitor
 * finishes a retrieve whose client is gone, so @path may still appear, and no reader may take
 * it as local. A file left under such an intent is removed first; once this retrieve is
 * verified, those intents go too. While another process's retrieve of @path runs (its intent
 * locked), this waits for it (up to twice QSFS_RETRIEVE_TIMEOUT and 5 s; then -EBUSY),
 * never removing the file it writes; @stop (may be NULL: wait it out) is asked every 50 ms
 * meanwhile, and ends the wait with -EINTR, nothing of this retrieve written. @st (may be
 * NULL) gets the verified file's stat.
 * Returns 0 (retrieved and verified), 1 (@path is local after all: there, and no intent names
 * it, as when another process's retrieve brought it back; @st untouched), or -errno with a
 * reason in @err.
 */
int fetch_file(const struct qsfs_settings *s, const char *path, const unsigned char *want,
	       const struct fetch_stop *stop, struct stat *st, char *err, size_t errlen);

/**
 * fetch_untrusted() - whether a retrieve intent names @path: it is being retrieved, or a
 * retrieve of it was cut or given up. Whatever is there is not a local copy: never upload it,
 * never keep it as local. Intents naming a path outside QSFS_INDEX_DIR and QSFS_DATA_DIR, or
 * with a ".." component, are ignored here and everywhere.
 */
bool fetch_untrusted(const struct qsfs_settings *s, const char *path);

/* The paths the retrieve intents name, read once (a sweep's many files). */
struct fetch_intents {
	char **paths;
	size_t n;
};

/** fetch_intents_load() - the intents' paths now; fetch_intents_free() them. */
void fetch_intents_load(const struct qsfs_settings *s, struct fetch_intents *fi);

/** fetch_intents_name() - fetch_untrusted() against what fetch_intents_load() read. */
bool fetch_intents_name(const struct fetch_intents *fi, const char *path);

void fetch_intents_free(struct fetch_intents *fi);

/* What fetch_clean() did. */
struct fetch_cleaned {
	int removed;	/* files of intents given up or cut */
	size_t kept;	/* intents kept (zstor may still write their files) */
	size_t live;	/* intents of retrieves still running, left alone with their files */
	size_t ignored; /* intents naming no acceptable path: what they name is left alone */
	bool answered;	/* (with forget) zstor answered the check sent after the intents */
	char why[256];	/* (with forget, not answered) why not */
};

/**
 * fetch_clean() - the files of retrieves that were interrupted (killed, crash) or given up
 * (timeout) are removed: each file an intent no process holds names. With @forget, the intents
 * go too, once zstor has answered a command sent after them (a `zstor check`,
 * QSFS_RETRIEVE_TIMEOUT): its monitor runs blocking commands one at a time in arrival order,
 * so none of those retrieves can still write. A CLI that fails without an answer (missing,
 * misconfigured) does not count: the monitor may still run. Else the intents stay. Locked
 * intents (a retrieve still running) are left alone with their files. Call only while no
 * hook runs.
 */
void fetch_clean(const struct qsfs_settings *s, bool forget, struct fetch_cleaned *out);

#endif
