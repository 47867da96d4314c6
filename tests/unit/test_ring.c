/* SPDX-License-Identifier: MIT */
/* Tests for the log ring: order, capacity, overwrite of the oldest, zero capacity. */
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
	ring_push(r, line, strlen(line));
}

TEST(ring_keeps_last_lines_in_order)
{
	struct ring *r = ring_new(5);
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
	struct ring *r = ring_new(3);
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
	struct ring *r = ring_new(0);
	push(r, "x");
	ASSERT_EQ(ring_count(r), 0);
	struct seen s = { 0 };
	ring_foreach(r, collect, &s);
	ASSERT_EQ(s.n, 0);
	ring_free(r);
}
