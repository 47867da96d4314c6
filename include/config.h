/* SPDX-License-Identifier: MIT */
/* The unit files of a directory: loading every *.yaml (symlinks followed, sorted by name), creating and removing one. */
#ifndef ZINIT_CONFIG_H
#define ZINIT_CONFIG_H

#include <stddef.h>

#include "unit.h"

/* Receives one message "FILE:LINE:COLUMN: text" for a unit that could not be loaded. */
typedef void (*config_error_fn)(void *ctx, const char *msg);

struct config {
	struct unit **units; /* n units, sorted by name */
	size_t n;
};

/**
 * config_load_dir() - load every regular file (or symlink to one) named *.yaml in @dir.
 * A unit that fails to load, or whose name config_name_problem() refuses, is reported
 * through @on_error and skipped; warnings go to @on_warn, among them every *.yaml entry that
 * is skipped because it is not a regular file (a directory, a FIFO, a dangling or looping
 * symlink). File names in messages have control bytes escaped as \xNN. Either callback may
 * be NULL.
 * Return: 0, or a negative errno if @dir cannot be read.
 */
int config_load_dir(const char *dir, struct config *cfg, config_error_fn on_error,
		    unit_warn_fn on_warn, void *ctx);

/** config_free() - free the units and the array. */
void config_free(struct config *cfg);

/**
 * config_name_problem() - why @name cannot be a unit name (empty, "." or "..", a slash, not
 * valid UTF-8, control characters), as a static text to follow "the unit name ", or NULL.
 */
const char *config_name_problem(const char *name);

/** config_unit_path() - "DIR/NAME.yaml" in a malloc'd string. */
char *config_unit_path(const char *dir, const char *name);

/**
 * config_unknown_dep() - why the `after` name @name is no unit of @dir, malloc'd, for the
 * messages of `init` and `check`: "whose file DIR/NAME.yaml is not loaded" when that file
 * exists (it failed to load, or its unit was forgotten), else "which is not a unit (no
 * DIR/NAME.yaml)".
 */
char *config_unknown_dep(const char *dir, const char *name);

/**
 * config_work_dir() - a unit's working directory, malloc'd: @unit_dir, a relative one taken
 * from the config directory @dir (Rust zinit chdirs there and so resolves it the same way);
 * NULL when the unit has none (its services run in /).
 */
char *config_work_dir(const char *dir, const char *unit_dir);

/**
 * config_create_unit() - write @text (@len bytes) as DIR/NAME.yaml, durably and all at once
 * (a temporary file, fsynced, then linked in place), never over an existing file.
 * Return: 0, -EEXIST when DIR/NAME.yaml exists, or another negative errno.
 */
int config_create_unit(const char *dir, const char *name, const char *text, size_t len);

/** config_remove_unit() - unlink DIR/NAME.yaml. Return: 0 or a negative errno (-ENOENT). */
int config_remove_unit(const char *dir, const char *name);

#endif
