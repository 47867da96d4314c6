/* SPDX-License-Identifier: MIT */
/* The journal directory $QSFS_STATE_DIR/journal: durable job files, listing, removal. */
#ifndef QSFS_JOURNAL_H
#define QSFS_JOURNAL_H

#include <stddef.h>

#include "qsfs/job.h"

/**
 * journal_commit() - write @j as journal/@stem.job durably: "@stem.job.tmp" written and
 * fsynced, renamed, the journal directory fsynced (created first if missing). Once this
 * returns 0 the job survives a crash. 0 or -errno.
 */
int journal_commit(const char *state_dir, const char *stem, const struct job *j);

/** journal_list() - the "*.job" file names, sorted (oldest first): 0 or -errno. */
int journal_list(const char *state_dir, char ***names, size_t *n);

/** journal_names_free() - release what journal_list() returned. */
void journal_names_free(char **names, size_t n);

/** journal_load() - parse journal/@name into @j (zeroed by the caller); see job_parse(). */
int journal_load(const char *state_dir, const char *name, struct job *j, struct job_report *rep);

/**
 * journal_remove() - delete journal/@name, then its spool directory spool/STEM (if any),
 * and fsync the journal directory. 0 or -errno.
 */
int journal_remove(const char *state_dir, const char *name);

/**
 * journal_clean() - remove leftovers of hooks that died mid-write: "*.tmp" files in the
 * journal, spool directories without a job. Only call it while no hook can run (hooks.lock
 * held exclusively). Returns the number of entries removed.
 */
int journal_clean(const char *state_dir);

#endif
