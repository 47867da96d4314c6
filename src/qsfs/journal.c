/* SPDX-License-Identifier: MIT */
/* Journal files on disk: durable commit, sorted listing, load, removal with their spool. */
#include "qsfs/journal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "qsfs/fsutil.h"
#include "qsfs/spool.h"
#include "xalloc.h"

static int journal_path(char *out, size_t size, const char *state_dir, const char *name)
{
	int n = snprintf(out, size, "%s/journal%s%s", state_dir, name ? "/" : "", name ? name : "");
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int journal_commit(const char *state_dir, const char *stem, const struct job *j)
{
	char dir[4096], path[4096];
	struct strbuf text = { 0 };
	int rc = journal_path(dir, sizeof(dir), state_dir, NULL);
	if (rc == 0 && snprintf(path, sizeof(path), "%s/%s.job", dir, stem) >= (int)sizeof(path))
		rc = -ENAMETOOLONG;
	if (rc < 0)
		return rc;
	job_format(j, &text);
	rc = fs_write_file(path, text.s, text.len, true);
	if (rc == -ENOENT && (rc = fs_mkdirs(dir)) == 0)
		rc = fs_write_file(path, text.s, text.len, true);
	strbuf_free(&text);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int journal_list(const char *state_dir, char ***names, size_t *n)
{
	char dir[4096];
	*names = NULL;
	*n = 0;
	int rc = journal_path(dir, sizeof(dir), state_dir, NULL);
	if (rc < 0)
		return rc;
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	size_t cap = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!job_name_parse(e->d_name, NULL))
			continue;
		if (*n == cap)
			*names = xrealloc(*names, (cap = cap ? 2 * cap : 16) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), by_name);
	return 0;
}

void journal_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int journal_load(const char *state_dir, const char *name, struct job *j, struct job_report *rep)
{
	char path[4096], *text;
	size_t len;
	int rc = journal_path(path, sizeof(path), state_dir, name);
	if (rc == 0)
		rc = fs_read_file(path, &text, &len);
	if (rc < 0) {
		*rep = (struct job_report){ .bad_lines = 0 };
		snprintf(rep->first_error, sizeof(rep->first_error), "%s", strerror(-rc));
		return rc;
	}
	rc = job_parse(j, text, len, rep);
	free(text);
	return rc;
}

/* "NAME.job" -> "NAME" into @stem. */
static void stem_of(const char *name, char *stem, size_t size)
{
	size_t n = strlen(name);
	if (n > 4 && strcmp(name + n - 4, ".job") == 0)
		n -= 4;
	snprintf(stem, size, "%.*s", (int)n, name);
}

int journal_remove(const char *state_dir, const char *name)
{
	char path[4096], stem[JOB_NAME_MAX + 8];
	int rc = journal_path(path, sizeof(path), state_dir, name);
	if (rc < 0)
		return rc;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	stem_of(name, stem, sizeof(stem));
	rc = spool_remove(state_dir, stem);
	journal_path(path, sizeof(path), state_dir, NULL);
	int sync = fsync_dir(path);
	return rc < 0 ? rc : sync;
}

/* Removes spool/STEM directories whose journal/STEM.job does not exist. */
static int clean_spool(const char *state_dir)
{
	char dir[4096], job[4096];
	int removed = 0;
	if (path_join(dir, sizeof(dir), state_dir, "spool") < 0)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(job, sizeof(job), "%s/journal/%s.job", state_dir, e->d_name) >= (int)sizeof(job) ||
		    access(job, F_OK) == 0)
			continue;
		removed += spool_remove(state_dir, e->d_name) == 0;
	}
	closedir(d);
	return removed;
}

int journal_clean(const char *state_dir)
{
	char dir[4096];
	int removed = 0;
	if (journal_path(dir, sizeof(dir), state_dir, NULL) < 0)
		return 0;
	DIR *d = opendir(dir);
	if (d) {
		for (struct dirent *e; (e = readdir(d));) {
			size_t n = strlen(e->d_name);
			if (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0)
				removed += unlinkat(dirfd(d), e->d_name, 0) == 0;
		}
		closedir(d);
	}
	return removed + clean_spool(state_dir);
}
