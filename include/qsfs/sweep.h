/* SPDX-License-Identifier: MIT */
/* Which namespace files to upload: file kinds, upload order, and the sweep's decision; pure. */
#ifndef QSFS_SWEEP_H
#define QSFS_SWEEP_H

#include "qsfs/manifest.h"

/* In upload order: data files first, then index files, then the descriptor. */
enum qsfs_file_kind {
	QSFS_FILE_DATA,       /* d<id> */
	QSFS_FILE_INDEX,      /* i<id> */
	QSFS_FILE_DESCRIPTOR, /* zdb-namespace */
	QSFS_FILE_OTHER,
};

/** qsfs_file_kind() - the kind of the file named @name (a basename); its id in @id. */
enum qsfs_file_kind qsfs_file_kind(const char *name, unsigned long *id);

/** qsfs_path_kind() - qsfs_file_kind() of @path's last component. */
enum qsfs_file_kind qsfs_path_kind(const char *path);

/** qsfs_file_order() - strcmp-like upload order of two paths: kind, then id, then name. */
int qsfs_file_order(const char *a, const char *b);

enum sweep_action {
	SWEEP_SKIP,   /* the manifest's copy is this file: same size and mtime */
	SWEEP_HASH,   /* same size, other mtime: hash it; upload only if the digest differs */
	SWEEP_UPLOAD, /* no copy, or another size: upload (it is hashed for the check anyway) */
};

/**
 * sweep_decide() - compare a local file's @size and @mtime_ns with its manifest entry @e
 * (NULL if the key has none).
 */
enum sweep_action sweep_decide(const struct manifest_entry *e, unsigned long long size,
			       long long mtime_ns);

/* A file whose mtime is this close to the moment it was read may change again without its
 * mtime moving (coarse file system clocks): "racily clean", as git calls it. */
#define SWEEP_RACY_NS 1000000000LL

/**
 * sweep_recorded_mtime() - the mtime to put in the manifest for a file with @mtime_ns
 * whose content was read at @read_at_ns (realtime): @mtime_ns, or 0 when it is racy, so
 * that the next sweep hashes the file instead of trusting size and mtime.
 */
long long sweep_recorded_mtime(long long mtime_ns, long long read_at_ns);

#endif
