/* SPDX-License-Identifier: MIT */
/* The unit files of a directory: loading every *.yaml (symlinks followed, sorted by name), creating and removing one. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "utf8.h"
#include "xalloc.h"

/* "DIR/FILE" (no doubled slash) followed by @suffix, malloc'd. */
static char *join_path(const char *dir, const char *file, const char *suffix)
{
	size_t n = strlen(dir) + strlen(file) + strlen(suffix) + 2;
	char *p = xmalloc(n);
	bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
	snprintf(p, n, "%s%s%s%s", dir, slash ? "" : "/", file, suffix);
	return p;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

char *config_unit_path(const char *dir, const char *name)
{
	return join_path(dir, name, ".yaml");
}

char *config_unknown_dep(const char *dir, const char *name)
{
	char *path = config_unit_path(dir, name);
	struct stat st;
	bool exists = lstat(path, &st) == 0; /* a dangling symlink too: there, not loaded */
	size_t n = strlen(path) + 64;
	char *why = xmalloc(n);
	snprintf(why, n, exists ? "whose file %s is not loaded" : "which is not a unit (no %s)",
		 path);
	free(path);
	return why;
}

char *config_work_dir(const char *dir, const char *unit_dir)
{
	if (!unit_dir || !unit_dir[0])
		return NULL;
	return unit_dir[0] == '/' ? xstrdup(unit_dir) : join_path(dir, unit_dir, "");
}

const char *config_name_problem(const char *name)
{
	if (!name[0])
		return "is empty";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "is . or ..";
	if (strchr(name, '/'))
		return "contains a slash";
	if (!utf8_valid(name))
		return "is not valid UTF-8";
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return "contains control characters";
	return NULL;
}

/* shown() - @s with control bytes (and, when @s is not UTF-8, every byte >= 0x80) as \xNN,
 * so that no file name reaches the terminal raw; malloc'd. */
static char *shown(const char *s)
{
	bool utf8 = utf8_valid(s);
	char *out = xmalloc(strlen(s) * 4 + 1), *o = out;

	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c < 0x20 || *c == 0x7f || (!utf8 && *c >= 0x80))
			o += sprintf(o, "\\x%02x", *c);
		else
			*o++ = (char)*c;
	}
	*o = '\0';
	return out;
}

/* report() - "DIR/FILE: @what" through @fn (the file name escaped). */
static void report(const char *dir, const char *file, const char *what,
		   void (*fn)(void *, const char *), void *ctx)
{
	char *path = join_path(dir, file, ""), *safe = shown(path), msg[1024];

	snprintf(msg, sizeof(msg), "%s: %s", safe, what);
	if (fn)
		fn(ctx, msg);
	free(safe);
	free(path);
}

/* is_unit_file() - whether @name in @dir is a unit file; an entry named *.yaml that is not a
 * regular file (or a symlink to one) is reported through @on_warn, not skipped silently. */
static bool is_unit_file(const char *dir, const char *name, unit_warn_fn on_warn, void *ctx)
{
	size_t len = strlen(name);
	struct stat st;
	char *path, why[128];
	bool ok;

	if (len <= 5 || strcmp(name + len - 5, ".yaml") != 0)
		return false;
	path = join_path(dir, name, "");
	ok = stat(path, &st) == 0; /* stat follows symlinks */
	if (!ok)
		snprintf(why, sizeof(why), "skipped: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(why, sizeof(why), "skipped: not a regular file");
	free(path);
	if (ok && S_ISREG(st.st_mode))
		return true;
	report(dir, name, why, on_warn, ctx);
	return false;
}

static void load_one(const char *dir, const char *file, struct config *cfg,
		     config_error_fn on_error, unit_warn_fn on_warn, void *ctx)
{
	size_t len = strlen(file);
	char *stem = xstrndup(file, len - 5);
	const char *problem = config_name_problem(stem);

	if (problem) { /* such a name could not be shown by list or JSON, or is a path */
		char what[64];
		snprintf(what, sizeof(what), "the unit name %s", problem);
		report(dir, file, what, on_error, ctx);
		free(stem);
		return;
	}
	char *path = config_unit_path(dir, stem);
	free(stem);
	char err[1024];
	struct unit *u;
	if (unit_load(path, &u, err, sizeof(err), on_warn, ctx) == 0) {
		cfg->units = xrealloc(cfg->units, (cfg->n + 1) * sizeof(*cfg->units));
		cfg->units[cfg->n++] = u;
	} else if (on_error) {
		on_error(ctx, err);
	}
	free(path);
}

int config_load_dir(const char *dir, struct config *cfg, config_error_fn on_error,
		    unit_warn_fn on_warn, void *ctx)
{
	*cfg = (struct config){ 0 };
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		if (is_unit_file(dir, names[i]->d_name, on_warn, ctx))
			load_one(dir, names[i]->d_name, cfg, on_error, on_warn, ctx);
		free(names[i]);
	}
	free(names);
	return 0;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n; i++)
		unit_free(cfg->units[i]);
	free(cfg->units);
	*cfg = (struct config){ 0 };
}

int config_create_unit(const char *dir, const char *name, const char *text, size_t len)
{
	char *path = config_unit_path(dir, name), suffix[48];
	/* ours alone (the pid), and not *.yaml: never loaded; whatever a crash (or anyone) left
	 * there is removed, and the file is created anew: never a FIFO that would block PID 1 */
	snprintf(suffix, sizeof(suffix), ".yaml.%ld.tmp", (long)getpid());
	char *tmp = join_path(dir, name, suffix);
	unlink(tmp);
	int r = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0)
		r = -errno;
	if (r == 0)
		r = write_all(fd, text, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && link(tmp, path) < 0) /* unlike rename(), refuses an existing file */
		r = -errno;
	if (fd >= 0)
		unlink(tmp);
	if (r == 0)
		fsync_dir(dir); /* the file is in place; only a crash could still lose its name */
	free(tmp);
	free(path);
	return r;
}

int config_remove_unit(const char *dir, const char *name)
{
	char *path = config_unit_path(dir, name);
	int r = unlink(path) < 0 ? -errno : 0;
	free(path);
	return r;
}
