/* SPDX-License-Identifier: MIT */
/* The dependency graph over unit names: name index, cycle detection (Tarjan), start order (Kahn),
 * drain order (through the placeholders of forgotten nodes). */
#include "graph.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

/* Ids, owned, of exact size. */
struct idlist {
	int *ids;
	size_t n;
};

struct node {
	char *name;              /* NULL when the slot is free */
	unsigned long long seq;  /* insertion sequence number: orders ties */
	int hnext;               /* next id in the same hash bucket, or -1 */
	int prev, next;          /* neighbours in insertion order, or -1 */
	char **after;            /* deduplicated `after` names, owned */
	size_t nafter;
	int *deps;               /* resolved ids (room for nafter) */
	size_t ndeps;
	const char **unknown;    /* unresolved names, pointing into after (room for nafter) */
	size_t nunknown;
	struct idlist dependents; /* the nodes whose deps name it */
	int *links;              /* resolved ids of every `after` name, placeholders included */
	size_t nlinks;
	struct idlist drain_dependents; /* see graph_drain_dependents() */
	bool in_cycle;
	bool forgotten;          /* a placeholder: a forgotten node's edges, for the drain order */
};

struct graph {
	struct node *nodes;
	size_t nslots;           /* high-water mark: graph_capacity() */
	size_t cap;              /* allocated entries of nodes */
	int *free_ids;           /* removed slots, reused LIFO */
	size_t nfree;
	int *buckets;            /* hash heads, -1 when empty; nbuckets is a power of two */
	size_t nbuckets;
	size_t count;            /* nodes and placeholders (the hash's entries) */
	size_t nforgotten;       /* placeholders */
	int head, tail;          /* insertion order list */
	unsigned long long next_seq;
};

/* Scratch state for one graph_analyze() run, all arrays sized nslots. */
struct scratch {
	int *index, *low, *comp, *stack, *frame_v;
	size_t *frame_e;
	char *onstack, *covered;
	int *parent, *stamp, *queue;
	int *comp_head, *comp_next; /* the nodes of each component of the links, as lists */
	int *comp_seen;             /* per component: the last walk that added its pairs */
	bool over_links;         /* Tarjan over links (the drain's components), not deps */
	int next_index, ncomp;
	size_t nstack;
	char *buf;               /* message under construction */
	size_t len, bufcap;
};

static size_t hash_name(const char *s)
{
	size_t h = 1469598103934665603ULL & SIZE_MAX;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static void hash_insert(struct graph *g, int id)
{
	size_t b = hash_name(g->nodes[id].name) & (g->nbuckets - 1);

	g->nodes[id].hnext = g->buckets[b];
	g->buckets[b] = id;
}

static void hash_unlink(struct graph *g, int id)
{
	size_t b = hash_name(g->nodes[id].name) & (g->nbuckets - 1);
	int *p = &g->buckets[b];

	while (*p != id)
		p = &g->nodes[*p].hnext;
	*p = g->nodes[id].hnext;
}

static void hash_resize(struct graph *g, size_t nbuckets)
{
	free(g->buckets);
	g->nbuckets = nbuckets;
	g->buckets = xmalloc(nbuckets * sizeof(*g->buckets));
	for (size_t i = 0; i < nbuckets; i++)
		g->buckets[i] = -1;
	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		hash_insert(g, id);
}

struct graph *graph_new(void)
{
	struct graph *g = xcalloc(1, sizeof(*g));

	g->head = g->tail = -1;
	hash_resize(g, 16);
	return g;
}

static void node_clear(struct node *n)
{
	free(n->name);
	for (size_t i = 0; i < n->nafter; i++)
		free(n->after[i]);
	free(n->after);
	free(n->deps);
	free(n->unknown);
	free(n->dependents.ids);
	free(n->links);
	free(n->drain_dependents.ids);
	memset(n, 0, sizeof(*n));
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nslots; i++)
		node_clear(&g->nodes[i]);
	free(g->nodes);
	free(g->free_ids);
	free(g->buckets);
	free(g);
}

/* A node, not a placeholder. */
static bool is_node(const struct node *n)
{
	return n->name && !n->forgotten;
}

/* The id of @name, node or placeholder, or -1. */
static int find_slot(const struct graph *g, const char *name)
{
	size_t b = hash_name(name) & (g->nbuckets - 1);

	for (int id = g->buckets[b]; id >= 0; id = g->nodes[id].hnext)
		if (strcmp(g->nodes[id].name, name) == 0)
			return id;
	return -1;
}

int graph_find(const struct graph *g, const char *name)
{
	int id = find_slot(g, name);

	return id >= 0 && !g->nodes[id].forgotten ? id : -1;
}

static int alloc_slot(struct graph *g)
{
	if (g->nfree)
		return g->free_ids[--g->nfree];
	if (g->nslots == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->nodes = xrealloc(g->nodes, g->cap * sizeof(*g->nodes));
		g->free_ids = xrealloc(g->free_ids, g->cap * sizeof(*g->free_ids));
	}
	memset(&g->nodes[g->nslots], 0, sizeof(*g->nodes));
	return (int)g->nslots++;
}

/* Copies @after into @n, keeping only the first occurrence of each name. */
static void copy_after(struct node *n, const char *const *after, size_t nafter)
{
	n->after = xmalloc(nafter * sizeof(*n->after));
	n->deps = xmalloc(nafter * sizeof(*n->deps));
	n->unknown = xmalloc(nafter * sizeof(*n->unknown));
	n->links = xmalloc(nafter * sizeof(*n->links));
	n->nafter = 0;
	for (size_t i = 0; i < nafter; i++) {
		bool dup = false;

		for (size_t j = 0; j < n->nafter && !dup; j++)
			dup = strcmp(n->after[j], after[i]) == 0;
		if (!dup)
			n->after[n->nafter++] = xstrdup(after[i]);
	}
}

static void unlink_slot(struct graph *g, int id);

int graph_add(struct graph *g, const char *name, const char *const *after, size_t nafter)
{
	int old = find_slot(g, name);

	if (old >= 0 && !g->nodes[old].forgotten)
		return -EEXIST;
	if (old >= 0)
		unlink_slot(g, old); /* the node comes back: its new `after` replaces the old */
	int id = alloc_slot(g);
	struct node *n = &g->nodes[id];

	n->name = xstrdup(name);
	n->seq = g->next_seq++;
	copy_after(n, after, nafter);
	n->next = -1;
	n->prev = g->tail;
	if (g->tail >= 0)
		g->nodes[g->tail].next = id;
	else
		g->head = id;
	g->tail = id;
	if (++g->count > g->nbuckets)
		hash_resize(g, g->nbuckets * 2);
	else
		hash_insert(g, id);
	return id;
}

/* Frees slot @id, a node or a placeholder. */
static void unlink_slot(struct graph *g, int id)
{
	struct node *n = &g->nodes[id];

	hash_unlink(g, id);
	if (n->prev >= 0)
		g->nodes[n->prev].next = n->next;
	else
		g->head = n->next;
	if (n->next >= 0)
		g->nodes[n->next].prev = n->prev;
	else
		g->tail = n->prev;
	if (n->forgotten)
		g->nforgotten--;
	node_clear(n);
	g->count--;
	g->free_ids[g->nfree++] = id;
}

void graph_remove(struct graph *g, int id)
{
	if (graph_exists(g, id))
		unlink_slot(g, id);
}

void graph_forget(struct graph *g, int id)
{
	if (!graph_exists(g, id))
		return;
	g->nodes[id].forgotten = true;
	g->nforgotten++;
}

const char *graph_name(const struct graph *g, int id)
{
	return graph_exists(g, id) ? g->nodes[id].name : NULL;
}

size_t graph_capacity(const struct graph *g)
{
	return g->nslots;
}

bool graph_exists(const struct graph *g, int id)
{
	return id >= 0 && (size_t)id < g->nslots && is_node(&g->nodes[id]);
}

bool graph_in_cycle(const struct graph *g, int id)
{
	return graph_exists(g, id) && g->nodes[id].in_cycle;
}

size_t graph_deps(const struct graph *g, int id, const int **ids)
{
	if (!graph_exists(g, id)) {
		*ids = NULL;
		return 0;
	}
	*ids = g->nodes[id].deps;
	return g->nodes[id].ndeps;
}

size_t graph_unknown_deps(const struct graph *g, int id, const char *const **names)
{
	if (!graph_exists(g, id)) {
		*names = NULL;
		return 0;
	}
	*names = g->nodes[id].unknown;
	return g->nodes[id].nunknown;
}

size_t graph_dependents(const struct graph *g, int id, const int **ids)
{
	if (!graph_exists(g, id)) {
		*ids = NULL;
		return 0;
	}
	*ids = g->nodes[id].dependents.ids;
	return g->nodes[id].dependents.n;
}

size_t graph_drain_dependents(const struct graph *g, int id, const int **ids)
{
	if (!graph_exists(g, id)) {
		*ids = NULL;
		return 0;
	}
	*ids = g->nodes[id].drain_dependents.ids;
	return g->nodes[id].drain_dependents.n;
}

/*
 * Resolves every `after` name into links (nodes and placeholders), and a node's into deps and
 * unknown deps: for starting, a placeholder is as unknown as a name that was never loaded.
 */
static void resolve(struct graph *g)
{
	for (int id = g->head; id >= 0; id = g->nodes[id].next) {
		struct node *n = &g->nodes[id];

		n->ndeps = n->nunknown = n->nlinks = 0;
		n->in_cycle = false;
		for (size_t i = 0; i < n->nafter; i++) {
			int d = find_slot(g, n->after[i]);

			if (d >= 0)
				n->links[n->nlinks++] = d;
			if (n->forgotten)
				continue;
			if (d >= 0 && !g->nodes[d].forgotten)
				n->deps[n->ndeps++] = d;
			else
				n->unknown[n->nunknown++] = n->after[i];
		}
	}
}

/*
 * Frees the placeholders that no node reaches through its links (directly or through other
 * placeholders): they can order nothing any more. Only such placeholders link to them, so
 * every link left stays valid and everything left is reached as before.
 */
static void prune_placeholders(struct graph *g)
{
	if (!g->nforgotten)
		return;
	char *reached = xcalloc(g->nslots, 1);
	int *stack = xmalloc(g->nslots * sizeof(*stack));
	size_t top = 0;

	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		if (is_node(&g->nodes[id]))
			stack[top++] = id;
	while (top) {
		const struct node *n = &g->nodes[stack[--top]];

		for (size_t i = 0; i < n->nlinks; i++) {
			int l = n->links[i];

			if (g->nodes[l].forgotten && !reached[l]) {
				reached[l] = 1;
				stack[top++] = l;
			}
		}
	}
	for (int id = g->head, next; id >= 0; id = next) {
		next = g->nodes[id].next;
		if (g->nodes[id].forgotten && !reached[id])
			unlink_slot(g, id);
	}
	free(reached);
	free(stack);
}

/* A growing list of (dependent, node) pairs: edges to turn into idlists. */
struct pairs {
	int (*p)[2];
	size_t n, cap;
};

static void pairs_add(struct pairs *ps, int dependent, int id)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->p = xrealloc(ps->p, ps->cap * sizeof(*ps->p));
	}
	ps->p[ps->n][0] = dependent;
	ps->p[ps->n][1] = id;
	ps->n++;
}

/* Replaces every slot's list @list_of(node) with the dependents that @ps pairs it with, in
 * @ps's order; frees @ps. */
static void lists_from_pairs(struct graph *g, struct pairs *ps,
			     struct idlist *(*list_of)(struct node *))
{
	for (int id = g->head; id >= 0; id = g->nodes[id].next) {
		struct idlist *l = list_of(&g->nodes[id]);

		free(l->ids);
		l->n = 0;
	}
	for (size_t i = 0; i < ps->n; i++)
		list_of(&g->nodes[ps->p[i][1]])->n++;
	for (int id = g->head; id >= 0; id = g->nodes[id].next) {
		struct idlist *l = list_of(&g->nodes[id]);

		l->ids = xmalloc(l->n * sizeof(*l->ids));
		l->n = 0;
	}
	for (size_t i = 0; i < ps->n; i++) {
		struct idlist *l = list_of(&g->nodes[ps->p[i][1]]);

		l->ids[l->n++] = ps->p[i][0];
	}
	free(ps->p);
	*ps = (struct pairs){ 0 };
}

static struct idlist *dependents_of(struct node *n)
{
	return &n->dependents;
}

/* Builds the dependents lists, each in insertion order of the dependent. */
static void build_dependents(struct graph *g)
{
	struct pairs ps = { 0 };

	/* A placeholder has no deps, and no node's deps name one: they take no part here. */
	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		for (size_t i = 0; i < g->nodes[id].ndeps; i++)
			pairs_add(&ps, id, g->nodes[id].deps[i]);
	lists_from_pairs(g, &ps, dependents_of);
}

static bool has_self_loop(const struct node *n, int id)
{
	for (size_t i = 0; i < n->ndeps; i++)
		if (n->deps[i] == id)
			return true;
	return false;
}

/* The edges Tarjan follows from @n: deps (start cycles), or links (the drain's components). */
static size_t scc_edges(const struct scratch *s, const struct node *n, const int **edges)
{
	*edges = s->over_links ? n->links : n->deps;
	return s->over_links ? n->nlinks : n->ndeps;
}

static void scratch_init(struct scratch *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->index = xmalloc(n * sizeof(int));
	s->low = xmalloc(n * sizeof(int));
	s->comp = xmalloc(n * sizeof(int));
	s->stack = xmalloc(n * sizeof(int));
	s->frame_v = xmalloc(n * sizeof(int));
	s->frame_e = xmalloc(n * sizeof(size_t));
	s->onstack = xcalloc(n, 1);
	s->covered = xcalloc(n, 1);
	s->parent = xmalloc(n * sizeof(int));
	s->stamp = xmalloc(n * sizeof(int));
	s->queue = xmalloc(n * sizeof(int));
	for (size_t i = 0; i < n; i++)
		s->index[i] = s->comp[i] = s->stamp[i] = -1;
}

/* Readies @s for a second Tarjan run over the links of @n slots. */
static void scratch_rerun(struct scratch *s, size_t n)
{
	s->over_links = true;
	s->next_index = s->ncomp = 0;
	s->nstack = 0;
	memset(s->onstack, 0, n);
	for (size_t i = 0; i < n; i++)
		s->index[i] = s->comp[i] = s->stamp[i] = -1;
}

static void scratch_free(struct scratch *s)
{
	free(s->index);
	free(s->low);
	free(s->comp);
	free(s->stack);
	free(s->frame_v);
	free(s->frame_e);
	free(s->onstack);
	free(s->covered);
	free(s->parent);
	free(s->stamp);
	free(s->queue);
	free(s->buf);
}

static void scc_push(struct scratch *s, int v, size_t *nframes)
{
	s->index[v] = s->low[v] = s->next_index++;
	s->stack[s->nstack++] = v;
	s->onstack[v] = 1;
	s->frame_v[*nframes] = v;
	s->frame_e[*nframes] = 0;
	(*nframes)++;
}

/* Pops the strongly connected component rooted at @v and marks it if it is a cycle. */
static void scc_pop(struct graph *g, struct scratch *s, int v)
{
	size_t top = s->nstack;

	while (s->stack[--s->nstack] != v)
		;
	bool cyclic = top - s->nstack > 1 || has_self_loop(&g->nodes[v], v);

	for (size_t i = s->nstack; i < top; i++) {
		int w = s->stack[i];

		s->onstack[w] = 0;
		s->comp[w] = s->ncomp;
		if (!s->over_links)
			g->nodes[w].in_cycle = cyclic;
	}
	s->ncomp++;
}

/* Iterative Tarjan from @root. */
static void scc_visit(struct graph *g, struct scratch *s, int root)
{
	size_t nframes = 0;

	scc_push(s, root, &nframes);
	while (nframes) {
		int v = s->frame_v[nframes - 1];
		const int *edges;
		size_t nedges = scc_edges(s, &g->nodes[v], &edges);

		if (s->frame_e[nframes - 1] < nedges) {
			int w = edges[s->frame_e[nframes - 1]++];

			if (s->index[w] < 0)
				scc_push(s, w, &nframes);
			else if (s->onstack[w] && s->index[w] < s->low[v])
				s->low[v] = s->index[w];
			continue;
		}
		if (s->low[v] == s->index[v])
			scc_pop(g, s, v);
		if (--nframes) {
			int u = s->frame_v[nframes - 1];

			if (s->low[v] < s->low[u])
				s->low[u] = s->low[v];
		}
	}
}

/*
 * Breadth-first search from @start, within its component, for the shortest path back to it.
 * Return: the last node before @start on that cycle (parent[] links lead back to @start).
 */
static int shortest_cycle(const struct graph *g, struct scratch *s, int start)
{
	size_t qh = 0, qt = 0;

	s->queue[qt++] = start;
	s->stamp[start] = start;
	while (qh < qt) {
		int u = s->queue[qh++];
		const struct node *n = &g->nodes[u];

		for (size_t i = 0; i < n->ndeps; i++) {
			int v = n->deps[i];

			if (v == start)
				return u;
			if (s->comp[v] != s->comp[start] || s->stamp[v] == start)
				continue;
			s->stamp[v] = start;
			s->parent[v] = u;
			s->queue[qt++] = v;
		}
	}
	abort(); /* unreachable: @start lies on a cycle */
}

static void buf_add(struct scratch *s, const char *str)
{
	size_t n = strlen(str);

	if (s->len + n + 1 > s->bufcap) {
		s->bufcap = (s->len + n + 1) * 2;
		s->buf = xrealloc(s->buf, s->bufcap);
	}
	memcpy(s->buf + s->len, str, n + 1);
	s->len += n;
}

/*
 * Reports the shortest cycle through @start and marks its members covered. The path is
 * collected (reversed) in queue[], which shortest_cycle() no longer needs.
 */
static void report_cycle(const struct graph *g, struct scratch *s, int start,
			 graph_cycle_fn report, void *ctx)
{
	size_t len = 0, first = 0;

	for (int v = shortest_cycle(g, s, start); v != start; v = s->parent[v])
		s->queue[len++] = v;
	s->queue[len++] = start;
	for (size_t i = 0; i < len; i++) {
		s->covered[s->queue[i]] = 1;
		if (g->nodes[s->queue[i]].seq < g->nodes[s->queue[first]].seq)
			first = i;
	}
	if (!report)
		return;
	s->len = 0;
	/* queue[] holds the cycle backwards: walk it downwards from the earliest member. */
	for (size_t k = 0; k <= len; k++) {
		if (k)
			buf_add(s, " -> ");
		buf_add(s, g->nodes[s->queue[(first + len - k % len) % len]].name);
	}
	report(ctx, s->buf);
}

/* Adds (@from, M) for every node M of component @c, once per walk from @from: a cycle's
 * members stop together, so each of them waits for what is after any of them. */
static void pairs_add_component(const struct graph *g, struct scratch *s, struct pairs *ps,
				int from, int c)
{
	if (s->comp_seen[c] == from)
		return;
	s->comp_seen[c] = from;
	for (int m = s->comp_head[c]; m >= 0; m = s->comp_next[m])
		if (is_node(&g->nodes[m]))
			pairs_add(ps, from, m);
}

/*
 * Adds to @ps a pair (@from, N) for every node N that @from's links reach directly or through
 * placeholders only, and for the other nodes of N's component of the links (s->comp), unless
 * that is @from's own: the members of a cycle do not wait for each other. stamp[] marks what
 * this walk saw, queue[] is its stack.
 */
static void drain_edges_from(const struct graph *g, struct scratch *s, int from,
			     struct pairs *ps)
{
	size_t top = 0;

	s->stamp[from] = from;
	s->queue[top++] = from;
	while (top) {
		const struct node *n = &g->nodes[s->queue[--top]];

		for (size_t i = 0; i < n->nlinks; i++) {
			int l = n->links[i];

			if (s->stamp[l] == from)
				continue;
			s->stamp[l] = from;
			if (g->nodes[l].forgotten)
				s->queue[top++] = l;
			else if (s->comp[l] != s->comp[from])
				pairs_add_component(g, s, ps, from, s->comp[l]);
		}
	}
}

static struct idlist *drain_dependents_of(struct node *n)
{
	return &n->drain_dependents;
}

/* Builds the drain_dependents lists, each in insertion order of the dependent. */
static void build_drain_dependents(struct graph *g, struct scratch *s)
{
	struct pairs ps = { 0 };

	s->comp_head = xmalloc(((size_t)s->ncomp + 1) * sizeof(int));
	s->comp_seen = xmalloc(((size_t)s->ncomp + 1) * sizeof(int));
	s->comp_next = xmalloc(((size_t)g->nslots + 1) * sizeof(int));
	for (int c = 0; c < s->ncomp; c++)
		s->comp_head[c] = s->comp_seen[c] = -1;
	for (int id = g->head; id >= 0; id = g->nodes[id].next) {
		s->comp_next[id] = s->comp_head[s->comp[id]];
		s->comp_head[s->comp[id]] = id;
	}

	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		if (is_node(&g->nodes[id]))
			drain_edges_from(g, s, id, &ps);
	lists_from_pairs(g, &ps, drain_dependents_of);
	free(s->comp_head);
	free(s->comp_next);
	free(s->comp_seen);
}

void graph_analyze(struct graph *g, graph_cycle_fn report, void *ctx)
{
	struct scratch s;

	resolve(g);
	prune_placeholders(g);
	build_dependents(g);
	scratch_init(&s, g->nslots);
	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		if (is_node(&g->nodes[id]) && s.index[id] < 0)
			scc_visit(g, &s, id);
	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		if (g->nodes[id].in_cycle && !s.covered[id])
			report_cycle(g, &s, id, report, ctx);
	scratch_rerun(&s, g->nslots);
	for (int id = g->head; id >= 0; id = g->nodes[id].next)
		if (s.index[id] < 0)
			scc_visit(g, &s, id);
	build_drain_dependents(g, &s);
	scratch_free(&s);
}

/* Min-heap of ids keyed by insertion sequence. */
static void heap_push(const struct graph *g, int *heap, size_t *n, int id)
{
	size_t i = (*n)++;

	while (i && g->nodes[heap[(i - 1) / 2]].seq > g->nodes[id].seq) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = id;
}

static int heap_pop(const struct graph *g, int *heap, size_t *n)
{
	int top = heap[0], last = heap[--*n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && g->nodes[heap[c + 1]].seq < g->nodes[heap[c]].seq)
			c++;
		if (g->nodes[heap[c]].seq >= g->nodes[last].seq)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (*n)
		heap[i] = last;
	return top;
}

size_t graph_start_order(const struct graph *g, int *out)
{
	size_t *pending = xmalloc(g->nslots * sizeof(*pending));
	int *heap = xmalloc(g->nslots * sizeof(*heap));
	size_t nheap = 0, nout = 0;

	for (int id = g->head; id >= 0; id = g->nodes[id].next) {
		pending[id] = g->nodes[id].ndeps;
		if (!pending[id] && is_node(&g->nodes[id]))
			heap_push(g, heap, &nheap, id);
	}
	while (nheap) {
		int id = heap_pop(g, heap, &nheap);
		const struct node *n = &g->nodes[id];

		out[nout++] = id;
		for (size_t i = 0; i < n->dependents.n; i++)
			if (--pending[n->dependents.ids[i]] == 0)
				heap_push(g, heap, &nheap, n->dependents.ids[i]);
	}
	free(pending);
	free(heap);
	return nout;
}

/* blocker() - the `after` name keeping @id from starting: its first name that is no node, else
 * its first dependency with a blocker in @why (by id, set for every dependency of @id). */
static const char *blocker(const struct graph *g, int id, const char *const *why)
{
	const struct node *n = &g->nodes[id];

	if (n->nunknown)
		return n->unknown[0];
	for (size_t i = 0; i < n->ndeps; i++)
		if (why[n->deps[i]])
			return g->nodes[n->deps[i]].name;
	return NULL;
}

void graph_describe_order(const struct graph *g, struct strbuf *out)
{
	int *order = xmalloc((g->nslots + 1) * sizeof(*order));
	const char **why = xcalloc(g->nslots + 1, sizeof(*why));
	size_t n = graph_start_order(g, order), nstart = 0;
	const char *sep = "; blocked: ";

	for (size_t i = 0; i < n; i++) { /* dependencies first: their blockers are known */
		why[order[i]] = blocker(g, order[i], why);
		if (!why[order[i]])
			strbuf_addf(out, "%s%s", nstart++ ? ", " : "", g->nodes[order[i]].name);
	}
	if (!nstart)
		strbuf_addstr(out, "(none)");
	for (size_t i = 0; i < n; i++) {
		if (!why[order[i]])
			continue;
		strbuf_addf(out, "%s%s (after %s)", sep, g->nodes[order[i]].name, why[order[i]]);
		sep = ", ";
	}
	free(why);
	free(order);
}
