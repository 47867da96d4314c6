/* SPDX-License-Identifier: MIT */
/* Namespace file kinds, their upload order, and the cheap "changed since upload?" test. */
#include "qsfs/sweep.h"

#include <string.h>

enum qsfs_file_kind qsfs_file_kind(const char *name, unsigned long *id)
{
	*id = 0;
	if (strcmp(name, "zdb-namespace") == 0)
		return QSFS_FILE_DESCRIPTOR;
	if ((name[0] != 'd' && name[0] != 'i') || !name[1] || strlen(name + 1) > 10)
		return QSFS_FILE_OTHER;
	if (name[1] == '0' && name[2])
		return QSFS_FILE_OTHER; /* zdb writes no leading zeros */
	unsigned long v = 0;
	for (const char *p = name + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return QSFS_FILE_OTHER;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	*id = v;
	return name[0] == 'd' ? QSFS_FILE_DATA : QSFS_FILE_INDEX;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

enum qsfs_file_kind qsfs_path_kind(const char *path)
{
	unsigned long id;
	return qsfs_file_kind(base_name(path), &id);
}

int qsfs_file_order(const char *a, const char *b)
{
	unsigned long ia, ib;
	enum qsfs_file_kind ka = qsfs_file_kind(base_name(a), &ia);
	enum qsfs_file_kind kb = qsfs_file_kind(base_name(b), &ib);
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ia != ib)
		return ia < ib ? -1 : 1;
	return strcmp(a, b);
}

enum sweep_action sweep_decide(const struct manifest_entry *e, unsigned long long size,
			       long long mtime_ns)
{
	if (!e || e->size != size)
		return SWEEP_UPLOAD;
	return e->mtime_ns == mtime_ns ? SWEEP_SKIP : SWEEP_HASH;
}

long long sweep_recorded_mtime(long long mtime_ns, long long read_at_ns)
{
	return mtime_ns + SWEEP_RACY_NS > read_at_ns ? 0 : mtime_ns;
}
