/* SPDX-License-Identifier: MIT */
/* Loads every unit file of a directory: *.yaml, symlinks followed, sorted by name. */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static bool is_unit_file(const char *dir, const char *name)
{
	size_t len = strlen(name);
	if (len <= 5 || strcmp(name + len - 5, ".yaml") != 0)
		return false;
	char *path = join_path(dir, name, "");
	struct stat st;
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode); /* stat follows symlinks */
	free(path);
	return ok;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

char *config_unit_path(const char *dir, const char *name)
{
	return join_path(dir, name, ".yaml");
}

static void load_one(const char *dir, const char *file, struct config *cfg,
		     config_error_fn on_error, unit_warn_fn on_warn, void *ctx)
{
	size_t len = strlen(file);
	if (!utf8_valid(file)) { /* its name could not be shown by list, status or JSON */
		char *path = join_path(dir, file, "");
		char err[1024];
		snprintf(err, sizeof(err), "%s: the unit name is not valid UTF-8", path);
		if (on_error)
			on_error(ctx, err);
		free(path);
		return;
	}
	char *stem = xstrndup(file, len - 5);
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
		if (is_unit_file(dir, names[i]->d_name))
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
