/* SPDX-License-Identifier: MIT */
/* Spool snapshots: consistent copies of index files, made durable before zdb goes on. */
#include "qsfs/spool.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fdio.h"
#include "qsfs/fsutil.h"

static int spool_dir(char *out, size_t size, const char *state_dir, const char *stem)
{
	int n = snprintf(out, size, "%s/spool%s%s", state_dir, stem ? "/" : "", stem ? stem : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int spool_remove(const char *state_dir, const char *stem)
{
	char dir[4096];
	int rc = spool_dir(dir, sizeof(dir), state_dir, stem);
	return rc < 0 ? rc : fs_remove_dir(dir);
}

/* Creates spool/@stem (and spool/ if missing) in @dir. */
static int make_dir(const char *state_dir, const char *stem, char *dir, size_t size)
{
	char parent[4096];
	int rc = spool_dir(dir, size, state_dir, stem);
	if (rc < 0 || (rc = spool_dir(parent, sizeof(parent), state_dir, NULL)) < 0)
		return rc;
	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != ENOENT)
		return -errno;
	rc = fs_mkdirs(parent);
	if (rc == 0 && mkdir(dir, 0700) < 0)
		rc = -errno;
	return rc;
}

static int copy_all(const char *dir, char *const *files, size_t n, size_t n_required,
		    struct job *j, size_t *skipped, char *err, size_t errlen)
{
	char copy[4096];
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(files[i], '/');
		int rc = path_join(copy, sizeof(copy), dir, slash ? slash + 1 : files[i]);
		if (rc == 0)
			rc = fs_copy_file(files[i], copy);
		if (rc == -ENOENT && i >= n_required) {
			(*skipped)++;
			continue;
		}
		if (rc < 0) {
			snprintf(err, errlen, "snapshot of %s: %s", files[i], strerror(-rc));
			return rc;
		}
		job_add_upload(j, copy, files[i]);
	}
	return 0;
}

int spool_snapshot(const char *state_dir, const char *stem, char *const *files, size_t n,
		   size_t n_required, struct job *j, size_t *skipped, char *err, size_t errlen)
{
	char dir[4096], parent[4096];
	*skipped = 0;
	int rc = make_dir(state_dir, stem, dir, sizeof(dir));
	if (rc < 0) {
		snprintf(err, errlen, "spool directory %s: %s", dir, strerror(-rc));
		return rc;
	}
	rc = copy_all(dir, files, n, n_required, j, skipped, err, errlen);
	if (rc == 0 && ((rc = fsync_dir(dir)) < 0 ||
			(rc = spool_dir(parent, sizeof(parent), state_dir, NULL)) < 0 ||
			(rc = fsync_dir(parent)) < 0))
		snprintf(err, errlen, "fsync of %s: %s", dir, strerror(-rc));
	if (rc < 0)
		fs_remove_dir(dir);
	return rc;
}
