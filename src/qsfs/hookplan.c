/* SPDX-License-Identifier: MIT */
/* The zdb hook handler's decisions (QSFS.md §5.4 table): event, namespace filter, files. */
#include "qsfs/hookplan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const struct {
	const char *name;
	enum hook_event event;
	int min_args; /* after EVENT and ID */
} events[] = {
	{ "namespaces-init", HOOK_EV_NAMESPACES_INIT, 0 },
	{ "ready", HOOK_EV_READY, 0 },
	{ "namespace-created", HOOK_EV_NS_CREATED, 1 },
	{ "namespace-updated", HOOK_EV_NS_UPDATED, 1 },
	{ "namespace-reloaded", HOOK_EV_NS_RELOADED, 0 },
	{ "namespace-deleted", HOOK_EV_NS_DELETED, 0 },
	{ "jump-index", HOOK_EV_JUMP_INDEX, 2 },
	{ "jump-data", HOOK_EV_JUMP_DATA, 1 },
	{ "missing-data", HOOK_EV_MISSING_DATA, 1 },
	{ "close", HOOK_EV_CLOSE, 0 },
	{ "namespace-closing", HOOK_EV_NS_CLOSING, 3 },
	{ "crash", HOOK_EV_CRASH, 0 },
};

#define N_EVENTS (sizeof(events) / sizeof(events[0]))

enum hook_event hook_event_parse(const char *name)
{
	for (size_t i = 0; i < N_EVENTS; i++)
		if (strcmp(events[i].name, name) == 0)
			return events[i].event;
	return HOOK_EV_UNKNOWN;
}

static int min_args(enum hook_event ev)
{
	for (size_t i = 0; i < N_EVENTS; i++)
		if (events[i].event == ev)
			return events[i].min_args;
	return 0;
}

/* Adds @path (taken) unless the plan has it; returns the plan's copy (found by
 * fuzz_hookplan: a duplicate was freed while its caller still used it). */
static char *add_file(struct hook_plan *p, char *path)
{
	for (size_t i = 0; i < p->n_files; i++)
		if (strcmp(p->files[i], path) == 0) {
			free(path);
			return p->files[i];
		}
	p->files = xrealloc(p->files, (p->n_files + 1) * sizeof(*p->files));
	p->files[p->n_files++] = path;
	return path;
}

/* @arg made absolute against @cwd. */
static char *absolute(const char *cwd, const char *arg)
{
	if (arg[0] == '/')
		return xstrdup(arg);
	size_t n = strlen(cwd) + strlen(arg) + 2;
	char *out = xmalloc(n);
	snprintf(out, n, "%s/%s", cwd, arg);
	return out;
}

/* "DIR/NAME" as a new string; @dir is @dlen bytes. */
static char *join(const char *dir, size_t dlen, const char *name)
{
	size_t n = dlen + strlen(name) + 2;
	char *out = xmalloc(n);
	snprintf(out, n, "%.*s/%s", (int)dlen, dir, name);
	return out;
}

/* The length of the directory part of @path (up to, excluding, the last '/'). */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) : 0;
}

/* The namespace of a file path: the name of its directory. */
static int ns_of_path(struct hook_plan *p, const char *path, char *err, size_t errlen)
{
	size_t d = dir_len(path);
	size_t start = d;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (d == 0 || d == start || d - start > QSFS_NS_MAX || path[d + 1] == '\0') {
		snprintf(err, errlen, "%s: '%s' is not a file in a namespace directory",
			 p->event_name, path);
		return -EINVAL;
	}
	memcpy(p->ns, path + start, d - start);
	p->ns[d - start] = '\0';
	return 0;
}

/* Adds DIR/i<id> for each id of the dirty list @list ("0 3 7"; may be empty). */
static int add_dirty(struct hook_plan *p, const char *file, const char *list, char *err,
		     size_t errlen)
{
	size_t d = dir_len(file);
	for (const char *q = list; *q;) {
		q += strspn(q, " ");
		size_t n = strspn(q, "0123456789");
		if (n == 0 && !*q)
			break;
		if (n == 0 || n > 10 || (q[n] && q[n] != ' ')) {
			snprintf(err, errlen, "%s: bad dirty index list '%s'", p->event_name, list);
			return -EINVAL;
		}
		char name[16];
		snprintf(name, sizeof(name), "i%.*s", (int)n, q);
		add_file(p, join(file, d, name));
		q += n;
	}
	return 0;
}

/* Events naming a file of a namespace: jump-index, jump-data, missing-data, closing. */
static int plan_files(struct hook_plan *p, const struct qsfs_settings *s, const char *cwd,
		      char *const *arg, char *err, size_t errlen)
{
	char *first = absolute(cwd, p->event == HOOK_EV_NS_CLOSING ? arg[1] : arg[0]);
	int rc = ns_of_path(p, first, err, errlen);
	if (rc < 0) {
		free(first);
		return rc;
	}
	if (p->event == HOOK_EV_NS_CLOSING && strcmp(p->ns, arg[0]) != 0) {
		snprintf(err, errlen, "%s: index '%s' is not in namespace '%s'", p->event_name,
			 first, arg[0]);
		free(first);
		return -EINVAL;
	}
	if (!qsfs_settings_has_ns(s, p->ns)) {
		free(first);
		p->action = p->event == HOOK_EV_MISSING_DATA ? HOOK_REFUSE : HOOK_NOTHING;
		p->note = p->action == HOOK_REFUSE ? "namespace not in QSFS_NAMESPACES" : NULL;
		return 0;
	}
	switch (p->event) {
	case HOOK_EV_JUMP_INDEX: /* closed index, new index, dirty list */
		p->action = HOOK_SPOOL;
		first = add_file(p, first);
		p->n_required = 1;
		return add_dirty(p, first, arg[2] ? arg[2] : "", err, errlen);
	case HOOK_EV_NS_CLOSING: /* ns, index, data, dirty list */
		p->action = HOOK_JOURNAL;
		add_file(p, join(first, dir_len(first), "zdb-namespace"));
		first = add_file(p, first);
		add_file(p, absolute(cwd, arg[2]));
		return add_dirty(p, first, arg[3] ? arg[3] : "", err, errlen);
	default: /* jump-data, missing-data */
		p->action = p->event == HOOK_EV_JUMP_DATA ? HOOK_JOURNAL : HOOK_RETRIEVE;
		add_file(p, first);
		return 0;
	}
}

/* namespace-created, namespace-updated: the descriptor in QSFS_INDEX_DIR. */
static int plan_descriptor(struct hook_plan *p, const struct qsfs_settings *s,
			   const char *ns, char *err, size_t errlen)
{
	if (strlen(ns) > QSFS_NS_MAX || strchr(ns, '/') || !*ns) {
		snprintf(err, errlen, "%s: bad namespace name '%s'", p->event_name, ns);
		return -EINVAL;
	}
	strcpy(p->ns, ns);
	if (!qsfs_settings_has_ns(s, ns))
		return 0;
	char dir[QSFS_PATH_MAX + QSFS_NS_MAX + 2];
	snprintf(dir, sizeof(dir), "%s/%s", s->index_dir, ns);
	p->action = HOOK_JOURNAL;
	add_file(p, join(dir, strlen(dir), "zdb-namespace"));
	return 0;
}

int hook_plan_build(struct hook_plan *p, const struct qsfs_settings *s, const char *cwd,
		    int argc, char *const *argv, char *err, size_t errlen)
{
	*p = (struct hook_plan){ .action = HOOK_NOTHING };
	if (argc < 3) {
		snprintf(err, errlen, "usage: zdb-hook EVENT ID [ARGS...]");
		return -EINVAL;
	}
	p->event_name = argv[1];
	p->event = hook_event_parse(argv[1]);
	if (argc - 3 < min_args(p->event)) {
		snprintf(err, errlen, "%s: needs %d arguments after the id, got %d", argv[1],
			 min_args(p->event), argc - 3);
		return -EINVAL;
	}
	int rc = 0;
	switch (p->event) {
	case HOOK_EV_NAMESPACES_INIT:
	case HOOK_EV_READY:
	case HOOK_EV_CLOSE:
	case HOOK_EV_CRASH:
		p->action = HOOK_MARK;
		break;
	case HOOK_EV_NS_CREATED:
	case HOOK_EV_NS_UPDATED:
		rc = plan_descriptor(p, s, argv[3], err, errlen);
		break;
	case HOOK_EV_JUMP_INDEX:
	case HOOK_EV_JUMP_DATA:
	case HOOK_EV_MISSING_DATA:
	case HOOK_EV_NS_CLOSING:
		rc = plan_files(p, s, cwd, argv + 3, err, errlen);
		break;
	case HOOK_EV_NS_RELOADED:
	case HOOK_EV_NS_DELETED:
		p->note = "remote copies are kept";
		break;
	case HOOK_EV_UNKNOWN:
		p->note = "unknown event";
		break;
	}
	if (rc < 0)
		hook_plan_free(p);
	return rc;
}

void hook_plan_free(struct hook_plan *p)
{
	for (size_t i = 0; i < p->n_files; i++)
		free(p->files[i]);
	free(p->files);
	p->files = NULL;
	p->n_files = 0;
}
