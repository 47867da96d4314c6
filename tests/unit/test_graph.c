/* SPDX-License-Identifier: MIT */
/* Unit tests for the dependency graph: resolution, cycles, dependents, start and drain order. */
#include "graph.h"

#include <errno.h>
#include <time.h>

#include "runner.h"
#include "strbuf.h"

#define NARGS(...) (sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))
#define ADD(g, name, ...) graph_add((g), (name), (const char *const[]){ __VA_ARGS__ }, \
				    NARGS(__VA_ARGS__))
#define ADD0(g, name) graph_add((g), (name), NULL, 0)

struct cycles {
	char msg[8][128];
	size_t n;
};

static void collect(void *ctx, const char *cycle)
{
	struct cycles *c = ctx;

	if (c->n < 8)
		snprintf(c->msg[c->n], sizeof(c->msg[0]), "%s", cycle);
	c->n++;
}

/* Analyzes @g and returns the number of cycles reported into @c. */
static size_t analyze(struct graph *g, struct cycles *c)
{
	memset(c, 0, sizeof(*c));
	graph_analyze(g, collect, c);
	return c->n;
}

/* The start order as space-separated names, in a static buffer. */
static const char *order(const struct graph *g)
{
	static char buf[4096];
	int ids[256];
	size_t n = graph_start_order(g, ids), len = 0;

	ASSERT(graph_capacity(g) <= 256);
	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
					graph_name(g, ids[i]));
	return buf;
}

/* The names of @n ids, space-separated, in a static buffer. */
static const char *names(const struct graph *g, const int *ids, size_t n)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "",
					graph_name(g, ids[i]));
	return buf;
}

TEST(graph_empty)
{
	struct graph *g = graph_new();
	struct cycles c;
	int ids[1];

	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_EQ(graph_capacity(g), 0);
	ASSERT_EQ(graph_start_order(g, ids), 0);
	ASSERT_EQ(graph_find(g, "a"), -1);
	ASSERT(!graph_exists(g, 0));
	ASSERT(!graph_exists(g, -1));
	graph_free(g);
	graph_free(NULL);
}

TEST(graph_chain_order)
{
	struct graph *g = graph_new();
	struct cycles c;

	ASSERT_EQ(ADD(g, "c", "b"), 0);
	ASSERT_EQ(ADD(g, "b", "a"), 1);
	ASSERT_EQ(ADD0(g, "a"), 2);
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_STR_EQ(order(g), "a b c");
	ASSERT_EQ(graph_find(g, "b"), 1);
	ASSERT_STR_EQ(graph_name(g, 2), "a");
	ASSERT(!graph_in_cycle(g, 0));
	graph_free(g);
}

TEST(graph_diamond)
{
	struct graph *g = graph_new();
	struct cycles c;
	const int *ids;

	ADD(g, "top", "left", "right");
	ADD(g, "right", "base");
	ADD(g, "left", "base");
	ADD0(g, "base");
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_STR_EQ(order(g), "base right left top");
	ASSERT_EQ(graph_deps(g, graph_find(g, "top"), &ids), 2);
	ASSERT_STR_EQ(names(g, ids, 2), "left right");
	ASSERT_EQ(graph_dependents(g, graph_find(g, "base"), &ids), 2);
	ASSERT_STR_EQ(names(g, ids, 2), "right left");
	graph_free(g);
}

TEST(graph_independent_insertion_order)
{
	struct graph *g = graph_new();
	struct cycles c;

	ADD0(g, "zeta");
	ADD0(g, "alpha");
	ADD0(g, "mid");
	ADD(g, "late", "zeta");
	ADD0(g, "early");
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_STR_EQ(order(g), "zeta alpha mid late early");
	graph_free(g);
}

TEST(graph_unknown_deps)
{
	struct graph *g = graph_new();
	struct cycles c;
	const char *const *unk;
	const int *ids;

	ADD(g, "web", "db", "ghost", "net", "phantom");
	ADD0(g, "db");
	ASSERT_EQ(analyze(g, &c), 0);
	int web = graph_find(g, "web");

	ASSERT_EQ(graph_unknown_deps(g, web, &unk), 3);
	ASSERT_STR_EQ(unk[0], "ghost");
	ASSERT_STR_EQ(unk[1], "net");
	ASSERT_STR_EQ(unk[2], "phantom");
	ASSERT_EQ(graph_deps(g, web, &ids), 1);
	ASSERT_STR_EQ(graph_name(g, ids[0]), "db");
	ASSERT_STR_EQ(order(g), "db web");
	/* The unknown dep appears later: it is resolved on the next analyze. */
	ADD0(g, "net");
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_EQ(graph_unknown_deps(g, web, &unk), 2);
	ASSERT_STR_EQ(unk[0], "ghost");
	ASSERT_STR_EQ(unk[1], "phantom");
	ASSERT_EQ(graph_deps(g, web, &ids), 2);
	ASSERT_STR_EQ(order(g), "db net web");
	graph_free(g);
}

/* graph_describe_order() as a static string. */
static const char *described(const struct graph *g)
{
	static char buf[1024];
	struct strbuf b = { 0 };

	graph_describe_order(g, &b);
	snprintf(buf, sizeof(buf), "%s", strbuf_str(&b));
	strbuf_free(&b);
	return buf;
}

/* The start order said at load and by check: what can start, then what waits for ever on a
 * name that is no unit, directly or through another such unit (cycles are said elsewhere). */
TEST(graph_describe_order)
{
	struct graph *g = graph_new();
	struct cycles c;

	ASSERT_STR_EQ(described(g), "(none)");
	ADD(g, "app", "mid");
	ADD(g, "mid", "db", "ghost", "phantom");
	ADD0(g, "db");
	ADD(g, "loop", "loop");
	ADD(g, "ok", "db");
	ADD(g, "top", "app", "ok");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(described(g), "db, ok; blocked: mid (after ghost), app (after mid), "
				    "top (after app)");
	ADD0(g, "ghost");
	ADD0(g, "phantom");
	analyze(g, &c);
	ASSERT_STR_EQ(described(g), "db, ok, ghost, phantom, mid, app, top");
	graph_free(g);
	g = graph_new();
	ADD(g, "only", "ghost");
	analyze(g, &c);
	ASSERT_STR_EQ(described(g), "(none); blocked: only (after ghost)");
	graph_free(g);
}

TEST(graph_self_cycle)
{
	struct graph *g = graph_new();
	struct cycles c;
	const int *ids;

	ADD(g, "a", "a");
	ADD0(g, "b");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(c.msg[0], "a -> a");
	ASSERT(graph_in_cycle(g, 0));
	ASSERT(!graph_in_cycle(g, 1));
	ASSERT_STR_EQ(order(g), "b");
	ASSERT_EQ(graph_dependents(g, 0, &ids), 1);
	ASSERT_EQ(ids[0], 0);
	graph_free(g);
}

TEST(graph_two_cycle)
{
	struct graph *g = graph_new();
	struct cycles c;

	ADD0(g, "x");
	ADD(g, "a", "b");
	ADD(g, "b", "a");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(c.msg[0], "a -> b -> a");
	ASSERT(graph_in_cycle(g, graph_find(g, "a")));
	ASSERT(graph_in_cycle(g, graph_find(g, "b")));
	ASSERT(!graph_in_cycle(g, graph_find(g, "x")));
	ASSERT_STR_EQ(order(g), "x");
	graph_free(g);
}

TEST(graph_three_cycle_starts_at_earliest)
{
	struct graph *g = graph_new();
	struct cycles c;

	/* c is added first, so the message starts at c and follows the after edges. */
	ADD(g, "c", "a");
	ADD(g, "a", "b");
	ADD(g, "b", "c");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(c.msg[0], "c -> a -> b -> c");
	ASSERT_STR_EQ(order(g), "");
	graph_free(g);
}

TEST(graph_depends_on_cycle_excluded)
{
	struct graph *g = graph_new();
	struct cycles c;

	ADD(g, "a", "b");
	ADD(g, "b", "a");
	ADD(g, "user", "a", "ok");
	ADD(g, "user2", "user");
	ADD0(g, "ok");
	ADD(g, "fine", "ok");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT(!graph_in_cycle(g, graph_find(g, "user")));
	ASSERT(!graph_in_cycle(g, graph_find(g, "user2")));
	ASSERT_STR_EQ(order(g), "ok fine");
	graph_free(g);
}

TEST(graph_two_separate_cycles)
{
	struct graph *g = graph_new();
	struct cycles c;

	ADD(g, "p", "q");
	ADD(g, "a", "b");
	ADD(g, "q", "p");
	ADD(g, "b", "c");
	ADD(g, "c", "a");
	ADD0(g, "solo");
	ASSERT_EQ(analyze(g, &c), 2);
	ASSERT_STR_EQ(c.msg[0], "p -> q -> p");
	ASSERT_STR_EQ(c.msg[1], "a -> b -> c -> a");
	ASSERT_STR_EQ(order(g), "solo");
	graph_free(g);
}

TEST(graph_overlapping_cycles)
{
	struct graph *g = graph_new();
	struct cycles c;

	ADD(g, "a", "b");
	ADD(g, "b", "a", "c");
	ADD(g, "c", "b");
	ASSERT_EQ(analyze(g, &c), 2);
	ASSERT_STR_EQ(c.msg[0], "a -> b -> a");
	ASSERT_STR_EQ(c.msg[1], "b -> c -> b");
	for (int i = 0; i < 3; i++)
		ASSERT(graph_in_cycle(g, i));
	graph_free(g);
}

TEST(graph_dependents_lists)
{
	struct graph *g = graph_new();
	struct cycles c;
	const int *ids;

	ADD0(g, "net");
	ADD(g, "a", "net");
	ADD(g, "b", "net", "a");
	ADD(g, "c", "b");
	analyze(g, &c);
	ASSERT_EQ(graph_dependents(g, graph_find(g, "net"), &ids), 2);
	ASSERT_STR_EQ(names(g, ids, 2), "a b");
	ASSERT_EQ(graph_dependents(g, graph_find(g, "a"), &ids), 1);
	ASSERT_STR_EQ(names(g, ids, 1), "b");
	ASSERT_EQ(graph_dependents(g, graph_find(g, "c"), &ids), 0);
	/* Removing b drops it from net's and a's dependents. */
	graph_remove(g, graph_find(g, "b"));
	analyze(g, &c);
	ASSERT_EQ(graph_dependents(g, graph_find(g, "net"), &ids), 1);
	ASSERT_STR_EQ(names(g, ids, 1), "a");
	ASSERT_EQ(graph_dependents(g, graph_find(g, "a"), &ids), 0);
	graph_free(g);
}

TEST(graph_duplicate_after_counted_once)
{
	struct graph *g = graph_new();
	struct cycles c;
	const char *const *unk;
	const int *ids;

	ADD0(g, "a");
	ADD(g, "b", "a", "a", "ghost", "a", "ghost");
	ADD(g, "s", "s", "s");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(c.msg[0], "s -> s");
	ASSERT_EQ(graph_deps(g, 1, &ids), 1);
	ASSERT_EQ(graph_unknown_deps(g, 1, &unk), 1);
	ASSERT_EQ(graph_dependents(g, 0, &ids), 1);
	ASSERT_STR_EQ(order(g), "a b");
	graph_free(g);
}

TEST(graph_add_existing)
{
	struct graph *g = graph_new();

	ASSERT_EQ(ADD0(g, "a"), 0);
	ASSERT_EQ(ADD(g, "a", "b"), -EEXIST);
	ASSERT_EQ(graph_capacity(g), 1);
	graph_remove(g, 0);
	ASSERT_EQ(graph_find(g, "a"), -1);
	ASSERT_EQ(ADD0(g, "a"), 0);
	graph_free(g);
}

TEST(graph_remove_readd_slot_reuse)
{
	struct graph *g = graph_new();
	struct cycles c;
	const char *const *unk;
	const int *ids;

	ADD0(g, "a");
	ADD(g, "b", "a");
	ADD(g, "c", "a");
	analyze(g, &c);
	ASSERT_STR_EQ(order(g), "a b c");
	graph_remove(g, 0);
	ASSERT(!graph_exists(g, 0));
	ASSERT(graph_name(g, 0) == NULL);
	analyze(g, &c);
	/* b's and c's edge to the removed a is now unknown; both still start. */
	ASSERT_EQ(graph_unknown_deps(g, 1, &unk), 1);
	ASSERT_STR_EQ(unk[0], "a");
	ASSERT_EQ(graph_deps(g, 1, &ids), 0);
	ASSERT_STR_EQ(order(g), "b c");
	/* A new node reuses slot 0 but is the newest: it sorts last among ties. */
	ASSERT_EQ(ADD0(g, "d"), 0);
	ASSERT_EQ(graph_capacity(g), 3);
	analyze(g, &c);
	ASSERT_STR_EQ(order(g), "b c d");
	/* Re-adding a takes a fresh slot and the edges resolve again. */
	ASSERT_EQ(ADD0(g, "a"), 3);
	analyze(g, &c);
	ASSERT_EQ(graph_unknown_deps(g, 1, &unk), 0);
	ASSERT_STR_EQ(order(g), "d a b c");
	graph_free(g);
}

TEST(graph_cycle_completed_later)
{
	struct graph *g = graph_new();
	struct cycles c;

	ADD(g, "a", "b");
	ADD(g, "b", "c");
	ADD0(g, "x");
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_STR_EQ(order(g), "b a x");
	ADD(g, "c", "a");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(c.msg[0], "a -> b -> c -> a");
	ASSERT_STR_EQ(order(g), "x");
	/* Breaking the cycle clears the marks. */
	graph_remove(g, graph_find(g, "c"));
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT(!graph_in_cycle(g, graph_find(g, "a")));
	ASSERT_STR_EQ(order(g), "b a x");
	graph_free(g);
}

TEST(graph_analyze_null_report)
{
	struct graph *g = graph_new();

	ADD(g, "a", "b");
	ADD(g, "b", "a");
	graph_analyze(g, NULL, NULL);
	ASSERT(graph_in_cycle(g, 0));
	graph_free(g);
}

/* The drain dependents of @name, space-separated (see names()). */
static const char *drain_deps(const struct graph *g, const char *name)
{
	const int *ids;
	size_t n = graph_drain_dependents(g, graph_find(g, name), &ids);

	return names(g, ids, n);
}

/* zdb <- ns <- zdbfs, as in QSFS. */
static struct graph *qsfs_chain(void)
{
	struct graph *g = graph_new();

	ADD0(g, "zdb");
	ADD(g, "ns", "zdb");
	ADD(g, "zdbfs", "ns");
	return g;
}

TEST(graph_drain_dependents_without_placeholders)
{
	struct graph *g = qsfs_chain();
	struct cycles c;

	ADD(g, "a", "zdb", "zdb");
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "ns a");
	ASSERT_STR_EQ(drain_deps(g, "ns"), "zdbfs");
	ASSERT_STR_EQ(drain_deps(g, "zdbfs"), "");
	graph_free(g);
}

TEST(graph_forget_middle_keeps_drain_order)
{
	struct graph *g = qsfs_chain();
	struct cycles c;
	const char *const *unk;
	const int *ids;
	int ns = graph_find(g, "ns");

	graph_forget(g, ns);
	ASSERT_EQ(analyze(g, &c), 0);
	/* For everything but the drain, ns is gone as after graph_remove(). */
	ASSERT_EQ(graph_find(g, "ns"), -1);
	ASSERT(!graph_exists(g, ns));
	ASSERT(graph_name(g, ns) == NULL);
	ASSERT_EQ(graph_drain_dependents(g, ns, &ids), 0);
	ASSERT_EQ(graph_unknown_deps(g, graph_find(g, "zdbfs"), &unk), 1);
	ASSERT_STR_EQ(unk[0], "ns");
	ASSERT_EQ(graph_deps(g, graph_find(g, "zdbfs"), &ids), 0);
	ASSERT_EQ(graph_dependents(g, graph_find(g, "zdb"), &ids), 0);
	ASSERT_STR_EQ(order(g), "zdb zdbfs");
	/* The drain still stops zdbfs before zdb, through ns's edges. */
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "zdbfs");
	ASSERT_STR_EQ(drain_deps(g, "zdbfs"), "");
	/* Forgetting or removing it again does nothing. */
	graph_forget(g, ns);
	graph_remove(g, ns);
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "zdbfs");
	graph_free(g);
}

TEST(graph_forget_then_add_again)
{
	struct graph *g = qsfs_chain();
	struct cycles c;
	const char *const *unk;

	graph_forget(g, graph_find(g, "ns"));
	analyze(g, &c);
	/* Back with the same after: as before the forget. */
	ASSERT(ADD(g, "ns", "zdb") >= 0);
	analyze(g, &c);
	ASSERT_EQ(graph_unknown_deps(g, graph_find(g, "zdbfs"), &unk), 0);
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "ns");
	ASSERT_STR_EQ(drain_deps(g, "ns"), "zdbfs");
	ASSERT_STR_EQ(order(g), "zdb ns zdbfs");
	/* Back with another after: the new one decides, the old edges are gone. */
	graph_forget(g, graph_find(g, "ns"));
	analyze(g, &c);
	ADD0(g, "other");
	ASSERT(ADD(g, "ns", "other") >= 0);
	ASSERT_EQ(ADD0(g, "ns"), -EEXIST);
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "");
	ASSERT_STR_EQ(drain_deps(g, "other"), "ns");
	ASSERT_STR_EQ(drain_deps(g, "ns"), "zdbfs");
	graph_free(g);
}

TEST(graph_forget_chain_ends)
{
	struct graph *g = qsfs_chain();
	struct cycles c;
	const char *const *unk;
	int zdbfs = graph_find(g, "zdbfs"), zdb = graph_find(g, "zdb");

	/* The end of the chain: nothing is after it, its slot is free at once. */
	graph_forget(g, zdbfs);
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "ns"), "");
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "ns");
	ASSERT_EQ(ADD0(g, "new"), zdbfs);
	/* The start: ns is after an unknown name and nothing is ordered through it. */
	graph_forget(g, zdb);
	analyze(g, &c);
	ASSERT_EQ(graph_unknown_deps(g, graph_find(g, "ns"), &unk), 1);
	ASSERT_STR_EQ(unk[0], "zdb");
	ASSERT_STR_EQ(drain_deps(g, "ns"), "");
	ASSERT_STR_EQ(order(g), "ns new");
	ASSERT(ADD0(g, "zdb") >= 0);
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "zdb"), "ns");
	graph_free(g);
}

TEST(graph_forget_placeholders_chain_and_prune)
{
	struct graph *g = graph_new();
	struct cycles c;
	ADD0(g, "a");
	int x = ADD(g, "x", "a");
	int y = ADD(g, "y", "x");
	ADD(g, "b", "y");
	ADD(g, "c", "x");
	graph_forget(g, x);
	graph_forget(g, y);
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "a"), "b c");
	ASSERT_STR_EQ(order(g), "a b c");
	/* Once nothing is after them, the placeholders go: their slots are reused. */
	graph_forget(g, graph_find(g, "b"));
	graph_forget(g, graph_find(g, "c"));
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "a"), "");
	ASSERT_STR_EQ(order(g), "a");
	ASSERT_EQ(graph_capacity(g), 5);
	ASSERT(ADD0(g, "o") >= 0);
	ASSERT(ADD0(g, "p") >= 0);
	ASSERT(ADD0(g, "q") >= 0);
	ASSERT(ADD0(g, "r") >= 0);
	ASSERT_EQ(graph_capacity(g), 5);
	graph_free(g);
}

TEST(graph_forget_cycles)
{
	struct graph *g = graph_new();
	struct cycles c;

	/* A cycle through a placeholder (b monitored again after x was forgotten: it starts,
	 * a is after the unknown x): a and b do not wait for each other, d waits for both, and
	 * both wait for c, which is after one of them (a). */
	ADD0(g, "d");
	ADD(g, "a", "x", "d");
	int x = ADD(g, "x", "b");
	ADD(g, "b", "d");
	ADD(g, "c", "a");
	ASSERT_EQ(analyze(g, &c), 0);
	graph_forget(g, x);
	analyze(g, &c);
	graph_remove(g, graph_find(g, "b"));
	ADD(g, "b", "a", "d");
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT(!graph_in_cycle(g, graph_find(g, "a")));
	ASSERT_STR_EQ(drain_deps(g, "a"), "c");
	ASSERT_STR_EQ(drain_deps(g, "b"), "c");
	ASSERT_STR_EQ(drain_deps(g, "d"), "a b");
	/* The same cycle among nodes (x monitored again, a and b still running): a start cycle,
	 * the same drain order: its members do not wait for each other. */
	ADD(g, "x", "b");
	ASSERT_EQ(analyze(g, &c), 1);
	ASSERT_STR_EQ(c.msg[0], "a -> x -> b -> a");
	ASSERT_STR_EQ(drain_deps(g, "a"), "c");
	ASSERT_STR_EQ(drain_deps(g, "x"), "c");
	ASSERT_STR_EQ(drain_deps(g, "b"), "c");
	ASSERT_STR_EQ(drain_deps(g, "d"), "a b");
	/* Placeholders on a cycle of their own order nothing and do not hang the walk. */
	graph_free(g);
	g = graph_new();
	int p = ADD(g, "p", "q", "z");
	int q = ADD(g, "q", "p");
	ADD(g, "n", "p");
	ADD0(g, "z");
	graph_forget(g, p);
	graph_forget(g, q);
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_STR_EQ(drain_deps(g, "z"), "n");
	ASSERT_STR_EQ(drain_deps(g, "n"), "");
	graph_forget(g, graph_find(g, "n"));
	analyze(g, &c);
	ASSERT_STR_EQ(drain_deps(g, "z"), "");
	ASSERT(ADD0(g, "m") < 3); /* a slot freed with the placeholders */
	ASSERT_EQ(graph_capacity(g), 4);
	graph_free(g);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Builds a chain of @n nodes n<i> after n<i-1>, added from the last one backwards. */
static struct graph *big_chain(int n, bool close_cycle)
{
	struct graph *g = graph_new();
	char name[32], dep[32];

	for (int i = n - 1; i >= 0; i--) {
		const char *after[1] = { dep };

		snprintf(name, sizeof(name), "n%d", i);
		snprintf(dep, sizeof(dep), "n%d", i ? i - 1 : n - 1);
		ASSERT(graph_add(g, name, after, i || close_cycle ? 1 : 0) >= 0);
	}
	return g;
}

TEST(graph_chain_10000_performance)
{
	double t0 = now_s();
	struct graph *g = big_chain(10000, false);
	struct cycles c;
	int *ids = malloc(10000 * sizeof(int));

	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_EQ(graph_start_order(g, ids), 10000);
	for (int i = 0; i < 10000; i++) {
		char name[32];

		snprintf(name, sizeof(name), "n%d", i);
		ASSERT_STR_EQ(graph_name(g, ids[i]), name);
	}
	ASSERT(now_s() - t0 < 1.0);
	free(ids);
	graph_free(g);
}

TEST(graph_cycle_10000_performance)
{
	double t0 = now_s();
	struct graph *g = big_chain(10000, true);
	struct cycles c;
	int *ids = malloc(10000 * sizeof(int));

	ASSERT_EQ(analyze(g, &c), 1);
	/* n9999 was added first; it is after n9998, and so on down. */
	ASSERT(strncmp(c.msg[0], "n9999 -> n9998 -> n9997", 23) == 0);
	ASSERT_EQ(graph_start_order(g, ids), 0);
	for (int i = 0; i < 10000; i++)
		ASSERT(graph_in_cycle(g, i));
	ASSERT(now_s() - t0 < 1.0);
	free(ids);
	graph_free(g);
}

TEST(graph_forget_10000_performance)
{
	double t0 = now_s();
	struct graph *g = big_chain(10000, false);
	struct cycles c;
	const int *ids;

	for (int i = 1; i < 9999; i++) {
		char name[32];

		snprintf(name, sizeof(name), "n%d", i);
		graph_forget(g, graph_find(g, name));
	}
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_STR_EQ(drain_deps(g, "n0"), "n9999");
	ASSERT_EQ(graph_drain_dependents(g, graph_find(g, "n9999"), &ids), 0);
	ASSERT(now_s() - t0 < 1.0);
	graph_free(g);
}

TEST(graph_wide_10000_performance)
{
	double t0 = now_s();
	struct graph *g = graph_new();
	struct cycles c;
	char name[32];
	const char *after[1] = { "root" };
	int *ids = malloc(10001 * sizeof(int));

	for (int i = 0; i < 10000; i++) {
		snprintf(name, sizeof(name), "leaf%d", i);
		ASSERT_EQ(graph_add(g, name, after, 1), i);
	}
	ADD0(g, "root");
	ASSERT_EQ(analyze(g, &c), 0);
	ASSERT_EQ(graph_start_order(g, ids), 10001);
	ASSERT_STR_EQ(graph_name(g, ids[0]), "root");
	for (int i = 1; i <= 10000; i++)
		ASSERT_EQ(ids[i], i - 1);
	ASSERT(now_s() - t0 < 1.0);
	free(ids);
	graph_free(g);
}
