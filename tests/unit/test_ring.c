/* SPDX-License-Identifier: MIT */
/* Tests for the log ring: order, capacity, overwrite of the oldest, zero capacity, a model. */
#include <stdbool.h>

#include "ring.h"
#include "runner.h"

struct seen {
	size_t n;
	char text[512];
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct seen *s = ctx;
	size_t used = strlen(s->text);
	snprintf(s->text + used, sizeof(s->text) - used, "%.*s|", (int)len, line);
	s->n++;
}

static void push(struct ring *r, const char *line)
{
	ring_push2(r, NULL, 0, line, strlen(line));
}

TEST(ring_keeps_last_lines_in_order)
{
	struct ring *r = ring_new(5, 1 << 20);
	char line[16];
	for (int i = 1; i <= 20; i++) {
		snprintf(line, sizeof(line), "%d", i);
		push(r, line);
	}
	ASSERT_EQ(ring_count(r), 5);
	struct seen s = { 0 };
	ring_foreach(r, collect, &s);
	ASSERT_STR_EQ(s.text, "16|17|18|19|20|");
	ring_free(r);
}

TEST(ring_partial_and_varied_lengths)
{
	struct ring *r = ring_new(3, 1 << 20);
	push(r, "a");
	push(r, "a much longer line than the first");
	struct seen s = { 0 };
	ring_foreach(r, collect, &s);
	ASSERT_STR_EQ(s.text, "a|a much longer line than the first|");
	push(r, "c");
	push(r, "dddddddddddddddddddddddddddddddddddddddddddddddddddd");
	push(r, "");
	struct seen t = { 0 };
	ring_foreach(r, collect, &t);
	ASSERT_STR_EQ(t.text, "c|dddddddddddddddddddddddddddddddddddddddddddddddddddd||");
	ring_free(r);
}

TEST(ring_zero_capacity_keeps_nothing)
{
	struct ring *r = ring_new(0, 1 << 20);
	push(r, "x");
	ASSERT_EQ(ring_count(r), 0);
	struct seen s = { 0 };
	ring_foreach(r, collect, &s);
	ASSERT_EQ(s.n, 0);
	ring_free(r);
}

/* Issue 11: 2000 lines of 64 KiB made the ring hold 130 MB; it is bounded in bytes too. */
TEST(ring_bounded_in_bytes)
{
	struct ring *r = ring_new(100, 10);
	push(r, "aaaa");
	push(r, "bbbb");
	ASSERT_EQ(ring_bytes(r), 8);
	push(r, "cccc"); /* 12 > 10: the oldest goes */
	struct seen s = { 0 };
	ring_foreach(r, collect, &s);
	ASSERT_STR_EQ(s.text, "bbbb|cccc|");
	ASSERT_EQ(ring_bytes(r), 8);
	push(r, "0123456789x"); /* longer than the whole budget: not kept, nothing dropped */
	ASSERT_EQ(ring_count(r), 2);
	push(r, "0123456789"); /* exactly the budget: everything else goes */
	struct seen t = { 0 };
	ring_foreach(r, collect, &t);
	ASSERT_STR_EQ(t.text, "0123456789|");
	ASSERT_EQ(ring_bytes(r), 10);
	ring_push2(r, "[+] ", 4, "ab", 2); /* a prefix and a line stored as one line */
	struct seen u = { 0 };
	ring_foreach(r, collect, &u);
	ASSERT_STR_EQ(u.text, "[+] ab|");
	ring_free(r);
}

/* The model of the ring below: the lines it must hold, oldest first. */
enum { MODEL_CAP = 7, MODEL_MAX = 3000 };
struct model {
	char line[MODEL_CAP][MODEL_MAX];
	size_t len[MODEL_CAP], count, bytes;
	size_t seen;  /* lines ring_foreach() gave so far */
	bool same;    /* and each was the model's */
};

static void model_push(struct model *m, const char *line, size_t len)
{
	while (m->count > 0 && (m->count == MODEL_CAP || m->bytes + len > MODEL_MAX)) {
		m->bytes -= m->len[0];
		memmove(m->line[0], m->line[1], sizeof(m->line[0]) * (m->count - 1));
		memmove(m->len, m->len + 1, sizeof(m->len[0]) * (m->count - 1));
		m->count--;
	}
	memcpy(m->line[m->count], line, len);
	m->len[m->count++] = len;
	m->bytes += len;
}

static void model_compare(void *ctx, const char *line, size_t len)
{
	struct model *m = ctx;
	size_t i = m->seen++;
	if (i >= m->count || m->len[i] != len || memcmp(m->line[i], line, len) != 0)
		m->same = false;
}

/* Many lines of every length through a small ring: what it holds is always exactly the newest
 * lines that fit both budgets. */
TEST(ring_matches_a_model_across_wraps)
{
	struct ring *r = ring_new(MODEL_CAP, MODEL_MAX);
	static struct model m;
	unsigned seed = 12345;
	for (int i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		/* phases of short, long and empty lines; now and then one longer than the budget */
		size_t most = i % 50 == 0 ? MODEL_MAX + 20 : (size_t[]){ 60, MODEL_MAX, 3 }[(i / 400) % 3];
		size_t len = (seed >> 16) % most;
		char line[MODEL_MAX + 20];
		for (size_t k = 0; k < len; k++)
			line[k] = (char)('a' + (i + (int)k) % 26);
		ring_push2(r, "", 0, line, len);
		if (len <= MODEL_MAX)
			model_push(&m, line, len);
		ASSERT_EQ(ring_count(r), m.count);
		ASSERT_EQ(ring_bytes(r), m.bytes);
		m.seen = 0;
		m.same = true;
		ring_foreach(r, model_compare, &m);
		ASSERT_EQ(m.seen, m.count);
		ASSERT(m.same);
	}
	ring_free(r);
	ring_free(NULL);
}
