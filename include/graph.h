/* SPDX-License-Identifier: MIT */
/* The dependency graph over unit names (from `after`): cycles, dependents, start and drain
 * order; pure. */
#ifndef ZINIT_GRAPH_H
#define ZINIT_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

struct graph;
struct strbuf;

/* Called once per cycle found with the cycle written "a -> b -> a" (self loop: "a -> a"). */
typedef void (*graph_cycle_fn)(void *ctx, const char *cycle);

/** graph_new() - an empty graph. */
struct graph *graph_new(void);
/** graph_free() - free it; NULL is fine. */
void graph_free(struct graph *g);

/**
 * graph_add() - add node @name whose dependencies are the @nafter names in @after (names
 * are copied; they may name nodes not (yet) in the graph, or repeat). A placeholder of
 * @name (graph_forget()) is replaced: its old edges are dropped.
 * Return: the node's id (>= 0; ids are stable until the node is removed and may then be
 * reused), or -EEXIST if @name is already a node.
 */
int graph_add(struct graph *g, const char *name, const char *const *after, size_t nafter);
/** graph_remove() - remove node @id; other nodes' edges to its name become unknown. */
void graph_remove(struct graph *g, int id);
/**
 * graph_forget() - remove node @id as graph_remove() does for every query but one: its
 * edges stay, as a placeholder under its name, in graph_drain_dependents(), so that the
 * nodes on either side of it stay ordered. graph_analyze() frees the placeholder once no
 * node reaches it through its `after` (directly or through other placeholders); adding
 * @id's name again replaces it.
 */
void graph_forget(struct graph *g, int id);
/** graph_find() - the id of @name, or -1. */
int graph_find(const struct graph *g, const char *name);
/** graph_name() - the name of node @id. */
const char *graph_name(const struct graph *g, int id);
/** graph_capacity() - one more than the largest id ever handed out (for sizing arrays). */
size_t graph_capacity(const struct graph *g);
/** graph_exists() - whether @id is currently a node. */
bool graph_exists(const struct graph *g, int id);

/**
 * graph_analyze() - resolve names to ids and find cycles; call after any add/remove/forget and
 * before the queries below. Each distinct cycle is reported once through @report (may be
 * NULL), starting from its member that was added first. Every node on a cycle is marked.
 * Overlapping cycles (one strongly connected component) are reported as separate simple
 * cycles: in insertion order, each member not yet named in a report gets the shortest cycle
 * through it, so a->b->a plus b->c->b gives "a -> b -> a" and "b -> c -> b". Together the
 * reports name every member; not every elementary cycle of a dense component is listed.
 */
void graph_analyze(struct graph *g, graph_cycle_fn report, void *ctx);

/** graph_in_cycle() - whether node @id lies on a dependency cycle. */
bool graph_in_cycle(const struct graph *g, int id);

/**
 * graph_deps() - the dependencies of @id that are nodes: sets *@ids to an array of
 * @return ids (owned by the graph, valid until the next add/remove/analyze).
 */
size_t graph_deps(const struct graph *g, int id, const int **ids);
/** graph_unknown_deps() - the `after` names of @id that are not nodes, as above. */
size_t graph_unknown_deps(const struct graph *g, int id, const char *const **names);
/** graph_dependents() - the nodes whose `after` names @id, as above (each listed once). */
size_t graph_dependents(const struct graph *g, int id, const int **ids);
/**
 * graph_drain_dependents() - the nodes that must be down before @id is stopped, as above:
 * those whose `after` names @id, directly or through placeholders only, except the nodes on
 * a cycle with @id (through placeholders or not), which do not wait for each other. Over
 * these lists, walking from any node never comes back to it.
 */
size_t graph_drain_dependents(const struct graph *g, int id, const int **ids);

/**
 * graph_start_order() - fill @out (room for graph_capacity() ids) with every node that is
 * not on a cycle and does not depend, directly or not, on a cycle member, in an order where
 * each node comes after all its dependencies; ties are broken by insertion order.
 * Return: the number of ids written.
 */
size_t graph_start_order(const struct graph *g, int *out);

/**
 * graph_describe_order() - append to @out the start order as zinit reports it at load and
 * `zinit check` prints it: the names of graph_start_order() that can start, "a, b" ("(none)"),
 * then those that cannot while the graph stays as it is, "; blocked: c (after ghost), d
 * (after c)": a node after a name that is no node, or after a node so blocked, named with
 * the first such `after` name. (Cycle members and the nodes after them are in neither list:
 * the cycle is reported on its own.)
 */
void graph_describe_order(const struct graph *g, struct strbuf *out);

#endif
