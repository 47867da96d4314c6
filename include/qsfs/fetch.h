/* SPDX-License-Identifier: MIT */
/* Verified retrieval of a missing file from zstor, safe against a crash half-way. */
#ifndef QSFS_FETCH_H
#define QSFS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "qsfs/digest.h"
#include "qsfs/settings.h"

/**
 * fetch_file() - bring back the missing file @path (its key): record an intent file
 * $STATE/retrieve/NAME holding @path, run `zstor retrieve -f PATH` (QSFS_RETRIEVE_TIMEOUT),
 * and compare the file's blake2b-128 with @want (or, when @want is NULL, with what
 * `zstor check -f PATH` reports). On any failure or mismatch @path is removed, so no
 * partial or wrong file stays. The intent goes once the retrieve is over; one killed at its
 * timeout keeps it: zstor's monitor finishes a retrieve whose client is gone, so @path may
 * still appear, and no reader may take it as local. A file left under such an intent is
 * removed first; once this retrieve is verified, those intents go too. @st (may be NULL)
 * gets the verified file's stat. 0 or -errno with a reason in @err.
 */
int fetch_file(const struct qsfs_settings *s, const char *path, const unsigned char *want,
	       struct stat *st, char *err, size_t errlen);

/**
 * fetch_untrusted() - whether a retrieve intent names @path: it is being retrieved, or a
 * retrieve of it was cut or given up. Whatever is there is not a local copy: never upload it,
 * never keep it as local.
 */
bool fetch_untrusted(const char *state_dir, const char *path);

/**
 * fetch_clean() - the files of retrieves that were interrupted (killed, crash) or given up
 * (timeout) are removed: each file an intent names. With @forget, the intents go too, once
 * zstor has answered a command sent after them (a `zstor check`, QSFS_RETRIEVE_TIMEOUT): its
 * monitor runs blocking commands one at a time in arrival order, so none of those retrieves
 * can still write. Else (or without an answer) they stay, counted in *@kept. Call only while
 * no hook runs. Returns how many files were removed.
 */
int fetch_clean(const struct qsfs_settings *s, bool forget, size_t *kept);

#endif
