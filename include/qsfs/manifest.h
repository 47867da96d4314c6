/* SPDX-License-Identifier: MIT */
/* The manifest of verified remote copies: $QSFS_STATE_DIR/manifest text, kept sorted; pure. */
#ifndef QSFS_MANIFEST_H
#define QSFS_MANIFEST_H

#include <stddef.h>

#include "qsfs/digest.h"
#include "qsfs/textfield.h"

#define MANIFEST_VERSION 1

/* The local file @key had this digest, size and mtime when zstor confirmed its copy. */
struct manifest_entry {
	char *key;
	unsigned char digest[DIGEST_LEN];
	unsigned long long size;
	long long mtime_ns;
};

/* Zero-initialise; entries sorted by key (strcmp). */
struct manifest {
	struct manifest_entry *v;
	size_t n;
	size_t cap;
};

struct manifest_report {
	unsigned bad_lines;
	char first_error[160];
};

/**
 * manifest_parse() - add the entries of a manifest text ("qsfs-manifest 1" line, then
 * "<hex digest> <size> <mtime ns> <key>" lines) to @m; a later line for the same key wins.
 * Empty text is an empty manifest. Invalid or torn lines are counted in @rep and skipped.
 * Returns 0, or -EINVAL when the header is wrong (nothing added).
 */
int manifest_parse(struct manifest *m, const char *text, size_t len, struct manifest_report *rep);

/** manifest_format() - the text of @m, appended to @out. */
void manifest_format(const struct manifest *m, struct strbuf *out);

/** manifest_find() - the entry of @key, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *key);

/** manifest_set() - add or replace the entry of @key. */
void manifest_set(struct manifest *m, const char *key, const unsigned char digest[DIGEST_LEN],
		  unsigned long long size, long long mtime_ns);

/** manifest_free() - release every entry; @m is empty afterwards. */
void manifest_free(struct manifest *m);

#endif
