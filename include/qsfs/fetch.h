/* SPDX-License-Identifier: MIT */
/* Verified retrieval of a missing file from zstor, safe against a crash half-way. */
#ifndef QSFS_FETCH_H
#define QSFS_FETCH_H

#include <stddef.h>
#include <sys/stat.h>

#include "qsfs/digest.h"
#include "qsfs/settings.h"

/**
 * fetch_file() - bring back the missing file @path (its key): record an intent file
 * $STATE/retrieve/NAME holding @path, run `zstor retrieve -f PATH` (QSFS_RETRIEVE_TIMEOUT),
 * and compare the file's blake2b-128 with @want (or, when @want is NULL, with what
 * `zstor check -f PATH` reports). On any failure or mismatch @path is removed, so no
 * partial or wrong file stays. @st (may be NULL) gets the verified file's stat.
 * 0 or -errno with a reason in @err.
 */
int fetch_file(const struct qsfs_settings *s, const char *path, const unsigned char *want,
	       struct stat *st, char *err, size_t errlen);

/**
 * fetch_clean() - finish retrieves that were interrupted (killed, crash): remove the file
 * each intent names, then the intent. Call only while no hook runs. Returns how many
 * files were removed.
 */
int fetch_clean(const char *state_dir);

#endif
