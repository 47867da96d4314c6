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
