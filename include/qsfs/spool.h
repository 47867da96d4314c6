/* SPDX-License-Identifier: MIT */
/* The spool: fsynced snapshots of index files taken by the jump-index hook while zdb waits. */
#ifndef QSFS_SPOOL_H
#define QSFS_SPOOL_H

#include <stddef.h>

#include "qsfs/job.h"

/**
 * spool_snapshot() - copy @files (absolute paths) into $STATE/spool/@stem/ under their
 * basenames, fsync each copy, the directory and its parent, and add "upload COPY FILE" to
 * @j for each copy. Files from index @n_required on may be missing (skipped, counted in
 * *@skipped). On failure (e.g. ENOSPC) nothing is left in the spool: -errno, reason in @err.
 */
int spool_snapshot(const char *state_dir, const char *stem, char *const *files, size_t n,
		   size_t n_required, struct job *j, size_t *skipped, char *err, size_t errlen);

/** spool_remove() - delete $STATE/spool/@stem and the files in it (ENOENT is 0). */
int spool_remove(const char *state_dir, const char *stem);

#endif
