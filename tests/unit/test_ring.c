/* SPDX-License-Identifier: MIT */
/* Tests for the log ring: order, capacity, overwrite of the oldest, zero capacity, a model. */
#include <stdbool.h>
#include <stdlib.h>

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
	ring_add(r, NULL, 0, line, strlen(line));
	ring_commit(r);
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
	ring_add(r, "[+] ", 4, "ab", 2); /* a prefix and a line stored as one line */
	ring_commit(r);
	struct seen u = { 0 };
	ring_foreach(r, collect, &u);
	ASSERT_STR_EQ(u.text, "[+] ab|");
	ring_free(r);
}

/* The model of the ring: the lines it must hold (prefix and line joined), oldest first. */
struct model {
	size_t capacity, max;
	char **line;  /* line[head..head+count) */
	size_t *len, head, count, bytes;
	size_t seen;  /* lines ring_foreach() gave so far */
	bool same;    /* and each was the model's */
};

static void model_drop_oldest(struct model *m)
{
	m->bytes -= m->len[m->head];
	free(m->line[m->head]);
	m->head++;
	m->count--;
}

static void model_push(struct model *m, const char *pre, size_t plen, const char *line, size_t len)
{
	size_t n = plen + len;
	if (m->capacity == 0 || n > m->max)
		return;
	while (m->count > 0 && (m->count == m->capacity || m->bytes + n > m->max))
		model_drop_oldest(m);
	if (m->head + m->count > m->capacity) { /* room at the end again */
		memmove(m->line, m->line + m->head, sizeof(m->line[0]) * m->count);
		memmove(m->len, m->len + m->head, sizeof(m->len[0]) * m->count);
		m->head = 0;
	}
	char *copy = malloc(n + 1);
	memcpy(copy, pre, plen);
	memcpy(copy + plen, line, len);
	m->line[m->head + m->count] = copy;
	m->len[m->head + m->count++] = n;
	m->bytes += n;
}

static void model_compare(void *ctx, const char *line, size_t len)
{
	struct model *m = ctx;
	size_t i = m->seen++;
	if (i >= m->count || m->len[m->head + i] != len || memcmp(m->line[m->head + i], line, len) != 0)
		m->same = false;
}

static bool ring_is_model(const struct ring *r, struct model *m)
{
	m->seen = 0;
	m->same = true;
	ring_foreach(r, model_compare, m);
	return m->seen == m->count && m->same && ring_count(r) == m->count &&
	       ring_bytes(r) == m->bytes;
}

static unsigned rnd(unsigned *seed, unsigned below)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) % below;
}

/* Writes a line of @len bytes that no other line of the run has (its number, then letters). */
static void fill_line(char *to, size_t len, unsigned number)
{
	char tag[16];
	int t = snprintf(tag, sizeof(tag), "%u:", number);
	memcpy(to, tag, len < (size_t)t ? len : (size_t)t);
	if (len > (size_t)t)
		memset(to + t, 'a' + (int)(number % 26), len - (size_t)t);
}

/*
 * Reads as logstream makes them, through a ring of @capacity lines and @max bytes: lines are
 * written into the ring's read buffer and added from there, now and then a line from
 * elsewhere (a partial line completed from an earlier read) or another prefix, then
 * committed. After every commit the ring holds exactly the newest lines that fit both budgets.
 * Return: how many times a batch kept its read buffer (the next one was another).
 */
static int run_model(size_t capacity, size_t max, size_t longest, int reads, unsigned seed)
{
	struct ring *r = ring_new(capacity, max);
	struct model m = { .capacity = capacity, .max = max };
	m.line = calloc(2 * capacity + 1, sizeof(*m.line));
	m.len = calloc(2 * capacity + 1, sizeof(*m.len));
	static const char *prefixes[] = { "[+] a: ", "[-] bb: ", "" };
	static char elsewhere[70000];
	unsigned number = 0;
	int kept = 0;
	for (int read = 0; read < reads; read++) {
		char *buf = ring_read_buffer(r);
		/* phases of short, long and empty lines; now and then one longer than the budget */
		size_t most = (size_t[]){ 120, longest, 3 }[(read / 40) % 3];
		size_t most_lines = 2 * RING_READ_BYTES / (most + 1) < 3000 ? 2 * RING_READ_BYTES / (most + 1) : 3000;
		size_t used = 0, lines = rnd(&seed, 4) == 0 ? 1 + rnd(&seed, 3) : rnd(&seed, (unsigned)most_lines);
		const char *pre = prefixes[rnd(&seed, 3)];
		for (size_t i = 0; i < lines; i++) {
			size_t len = rnd(&seed, 50) == 0 ? max + 5 : rnd(&seed, (unsigned)most + 1);
			if (len > sizeof(elsewhere))
				len = sizeof(elsewhere);
			if (rnd(&seed, 200) == 0)
				pre = prefixes[rnd(&seed, 3)];
			const char *line;
			if ((i == 0 && rnd(&seed, 3) == 0) || used + len > RING_READ_BYTES) {
				fill_line(elsewhere, len, number++);
				line = elsewhere;
			} else {
				fill_line(buf + used, len, number++);
				line = buf + used;
				used += len;
			}
			ring_add(r, pre, strlen(pre), line, len);
			model_push(&m, pre, strlen(pre), line, len);
		}
		if (rnd(&seed, 2)) /* otherwise the next ring_read_buffer() commits */
			ring_commit(r);
		else if (ring_read_buffer(r) != buf)
			kept++;
		ASSERT(ring_is_model(r, &m));
		if (ring_read_buffer(r) != buf)
			kept++;
	}
	while (m.count)
		model_drop_oldest(&m);
	free(m.line);
	free(m.len);
	ring_free(r);
	return kept;
}

/* A small ring, lines of every length, batches far larger than it: only copies are kept. */
TEST(ring_matches_a_model_small)
{
	ASSERT_EQ(run_model(7, 3000, 3000, 600, 12345), 0);
	ASSERT_EQ(run_model(1, 50, 60, 300, 777), 0);
	ASSERT_EQ(run_model(0, 1000, 100, 50, 5), 0);
	ring_free(NULL);
}

/* A ring of the default size: floods keep their read buffers, which later reads must not
 * overwrite while their lines are stored. */
TEST(ring_matches_a_model_keeping_read_buffers)
{
	ASSERT(run_model(2000, 1024 * 1024, 2000, 400, 4242) > 20);
	ASSERT(run_model(300, 1024 * 1024, 65536, 300, 99) > 5);
}
