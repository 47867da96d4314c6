/* SPDX-License-Identifier: MIT */
/* Bounds on a YAML text before it is loaded: nesting depth and alias expansion (pure, libyaml events). */
#include "yamlguard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xalloc.h"

/* Every node weighs this much on top of its scalar bytes (the loader's per-node cost). */
#define NODE_WEIGHT 16

struct anchor {
	char *name;
	size_t weight;
};

/* An open collection: where the total stood when it began, and its anchor (owned) if any. */
struct open_node {
	size_t start;
	char *anchor;
};

struct guard {
	size_t total; /* weight so far, aliases expanded */
	size_t depth;
	struct open_node open[YAMLGUARD_MAX_DEPTH];
	struct anchor anchors[YAMLGUARD_MAX_ANCHORS];
	size_t nanchors;
};

static const struct anchor *find_anchor(const struct guard *g, const char *name)
{
	/* The latest definition wins, as in the loader. */
	for (size_t i = g->nanchors; i-- > 0;)
		if (strcmp(g->anchors[i].name, name) == 0)
			return &g->anchors[i];
	return NULL;
}

/* add_anchor() - remember @name (taken over, may be NULL) as weighing @weight. */
static int add_anchor(struct guard *g, char *name, size_t weight)
{
	if (!name)
		return 0;
	if (g->nanchors == YAMLGUARD_MAX_ANCHORS) {
		free(name);
		return -E2BIG;
	}
	g->anchors[g->nanchors].name = name;
	g->anchors[g->nanchors++].weight = weight;
	return 0;
}

static char *dup_anchor(const yaml_char_t *s)
{
	return s ? xstrdup((const char *)s) : NULL;
}

static int fail(struct yamlguard_error *err, const yaml_event_t *ev, const char *problem)
{
	err->line = ev->start_mark.line;
	err->column = ev->start_mark.column;
	err->problem = problem;
	return -E2BIG;
}

static int open_collection(struct guard *g, const yaml_event_t *ev, const yaml_char_t *anchor,
			   struct yamlguard_error *err)
{
	if (g->depth == YAMLGUARD_MAX_DEPTH)
		return fail(err, ev, "YAML nested too deeply");
	g->open[g->depth].start = g->total;
	g->open[g->depth++].anchor = dup_anchor(anchor);
	g->total += NODE_WEIGHT;
	return 0;
}

static int close_collection(struct guard *g, const yaml_event_t *ev, struct yamlguard_error *err)
{
	struct open_node *n;

	if (g->depth == 0)
		return 0;
	n = &g->open[--g->depth];
	if (add_anchor(g, n->anchor, g->total - n->start) < 0) {
		n->anchor = NULL;
		return fail(err, ev, "too many YAML anchors");
	}
	n->anchor = NULL;
	return 0;
}

/* account() - one event; 0 to go on, 1 at the end of the stream, -E2BIG when over a bound. */
static int account(struct guard *g, const yaml_event_t *ev, struct yamlguard_error *err)
{
	const struct anchor *a;
	int r = 0;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		g->total += NODE_WEIGHT + ev->data.scalar.length;
		if (add_anchor(g, dup_anchor(ev->data.scalar.anchor),
			       NODE_WEIGHT + ev->data.scalar.length) < 0)
			return fail(err, ev, "too many YAML anchors");
		break;
	case YAML_SEQUENCE_START_EVENT:
		r = open_collection(g, ev, ev->data.sequence_start.anchor, err);
		break;
	case YAML_MAPPING_START_EVENT:
		r = open_collection(g, ev, ev->data.mapping_start.anchor, err);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		r = close_collection(g, ev, err);
		break;
	case YAML_ALIAS_EVENT:
		a = find_anchor(g, (const char *)ev->data.alias.anchor);
		g->total += a ? a->weight : NODE_WEIGHT;
		break;
	case YAML_STREAM_END_EVENT:
		return 1;
	default:
		break;
	}
	if (r == 0 && g->total > YAMLGUARD_MAX_WEIGHT)
		return fail(err, ev, "YAML aliases expand too far");
	return r;
}

static void guard_free(struct guard *g)
{
	for (size_t i = 0; i < g->nanchors; i++)
		free(g->anchors[i].name);
	for (size_t i = 0; i < g->depth; i++)
		free(g->open[i].anchor);
}

int yamlguard_check(const char *text, size_t len, struct yamlguard_error *err)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	struct guard *g = xcalloc(1, sizeof(*g));
	int r = 0;

	if (!yaml_parser_initialize(&yp))
		abort();
	yaml_parser_set_input_string(&yp, (const unsigned char *)text, len);
	while (r == 0) {
		if (!yaml_parser_parse(&yp, &ev))
			break; /* a syntax error: the loader reports it */
		r = account(g, &ev, err);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	guard_free(g);
	free(g);
	return r < 0 ? r : 0;
}
