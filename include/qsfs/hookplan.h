/* SPDX-License-Identifier: MIT */
/* What the zdb hook handler does for one event, decided from its argv and settings; pure. */
#ifndef QSFS_HOOKPLAN_H
#define QSFS_HOOKPLAN_H

#include <stddef.h>

#include "qsfs/settings.h"

enum hook_event {
	HOOK_EV_UNKNOWN,
	HOOK_EV_NAMESPACES_INIT,
	HOOK_EV_READY,
	HOOK_EV_NS_CREATED,
	HOOK_EV_NS_UPDATED,
	HOOK_EV_NS_RELOADED,
	HOOK_EV_NS_DELETED,
	HOOK_EV_JUMP_INDEX,
	HOOK_EV_JUMP_DATA,
	HOOK_EV_MISSING_DATA,
	HOOK_EV_CLOSE,
	HOOK_EV_NS_CLOSING,
	HOOK_EV_CRASH,
};

enum hook_action {
	HOOK_NOTHING,  /* exit 0 at once: unknown event, another namespace, nothing to keep */
	HOOK_REFUSE,   /* exit 1 at once: missing-data of a namespace that is not stored */
	HOOK_MARK,     /* journal a marker job (no uploads), exit 0 */
	HOOK_JOURNAL,  /* journal the upload of each live file, exit 0 */
	HOOK_SPOOL,    /* copy the files into a spool dir, journal the copies, exit 0 */
	HOOK_RETRIEVE, /* blocking zstor retrieve of files[0], verified; exit 0 or 1 */
};

struct hook_plan {
	enum hook_event event;
	enum hook_action action;
	const char *event_name; /* argv[1] */
	char ns[QSFS_NS_MAX + 1]; /* "" for events without a namespace */
	char **files;           /* absolute paths, malloc'd; the keys they are stored under */
	size_t n_files;
	size_t n_required;      /* HOOK_SPOOL: files[0..n_required) must exist; others may not */
	const char *note;       /* a line for zdb's log: why nothing is done; or NULL */
};

/** hook_event_parse() - the event named @name (HOOK_EV_UNKNOWN if none). */
enum hook_event hook_event_parse(const char *name);

/**
 * hook_plan_build() - decide what to do for `zdb-hook EVENT ID ARGS...` (@argv[1] is the
 * event; @argc counts @argv[0]). Relative paths in the arguments are taken relative to
 * @cwd. Returns 0 (@p filled; free it with hook_plan_free()), or -EINVAL with a reason in
 * @err for a malformed command line (missing arguments, a bad dirty list, a path without a
 * namespace directory).
 */
int hook_plan_build(struct hook_plan *p, const struct qsfs_settings *s, const char *cwd,
		    int argc, char *const *argv, char *err, size_t errlen);

/** hook_plan_free() - release the file list. */
void hook_plan_free(struct hook_plan *p);

#endif
