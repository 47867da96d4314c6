/* SPDX-License-Identifier: MIT */
/* Tests for the history: the ring's lines and budgets, the lanes' unsent bytes, a model. */
#include <stdbool.h>
#include <stdint.h>

#include "history.h"
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

static const char *ring_text(struct history *h, struct seen *s)
{
	*s = (struct seen){ 0 };
	history_foreach(h, collect, s);
	return s->text;
}

static void push(struct history *h, int lane, const char *line)
{
	history_push(h, lane, NULL, 0, line, strlen(line), true);
}

/* What @lane has still to write, as a string. */
static const char *unsent(struct history *h, int lane)
{
	static char text[4096];
	const char *data;
	size_t n = history_unsent(h, lane, &data);
	snprintf(text, sizeof(text), "%.*s", (int)n, data);
	return text;
}

TEST(history_ring_keeps_last_lines_in_order)
{
	struct history *h = history_new(5, 1 << 20);
	char line[16];
	for (int i = 1; i <= 20; i++) {
		snprintf(line, sizeof(line), "%d", i);
		push(h, 0, line);
	}
	ASSERT_EQ(history_ring_count(h), 5);
	struct seen s;
	ASSERT_STR_EQ(ring_text(h, &s), "16|17|18|19|20|");
	ASSERT_EQ(history_kept(h), 15); /* the five lines and their newlines: nothing else */
	history_free(h);
}

TEST(history_ring_partial_and_varied_lengths)
{
	struct history *h = history_new(3, 1 << 20);
	push(h, 0, "a");
	push(h, 0, "a much longer line than the first");
	struct seen s;
	ASSERT_STR_EQ(ring_text(h, &s), "a|a much longer line than the first|");
	push(h, 0, "c");
	push(h, 0, "dddddddddddddddddddddddddddddddddddddddddddddddddddd");
	push(h, 0, "");
	ASSERT_STR_EQ(ring_text(h, &s), "c|dddddddddddddddddddddddddddddddddddddddddddddddddddd||");
	history_free(h);
}

TEST(history_zero_lines_keeps_nothing_in_the_ring)
{
	struct history *h = history_new(0, 1 << 20);
	push(h, 0, "x");
	push(h, 1, "y");
	ASSERT_EQ(history_ring_count(h), 0);
	struct seen s;
	ring_text(h, &s);
	ASSERT_EQ(s.n, 0);
	ASSERT_STR_EQ(unsent(h, 1), "y\n"); /* still to be written */
	history_sent(h, 1, 2);
	ASSERT_EQ(history_kept(h), 0);
	history_free(h);
}

/* Issue 11: 2000 lines of 64 KiB made the ring hold 130 MB; it is bounded in bytes too. */
TEST(history_ring_bounded_in_bytes)
{
	struct history *h = history_new(100, 10);
	push(h, 0, "aaaa");
	push(h, 0, "bbbb");
	ASSERT_EQ(history_ring_bytes(h), 8);
	push(h, 0, "cccc"); /* 12 > 10: the oldest goes */
	struct seen s;
	ASSERT_STR_EQ(ring_text(h, &s), "bbbb|cccc|");
	ASSERT_EQ(history_ring_bytes(h), 8);
	push(h, 0, "0123456789x"); /* longer than the whole budget: not kept, nothing dropped */
	ASSERT_EQ(history_ring_count(h), 2);
	push(h, 1, "0123456789x"); /* but written all the same */
	ASSERT_STR_EQ(unsent(h, 1), "0123456789x\n");
	push(h, 0, "0123456789"); /* exactly the budget: everything else goes */
	ASSERT_STR_EQ(ring_text(h, &s), "0123456789|");
	ASSERT_EQ(history_ring_bytes(h), 10);
	history_push(h, 0, "[+] ", 4, "ab", 2, true); /* a prefix and a line stored as one line */
	ASSERT_STR_EQ(ring_text(h, &s), "[+] ab|");
	history_free(h);
}

/* The lanes: each one's unsent bytes in order, with newlines; the ring across lanes in the
 * order the lines came; zinit's own messages written but not in the ring. */
TEST(history_lanes_and_the_ring_across_them)
{
	struct history *h = history_new(4, 1 << 20);
	push(h, 1, "[+] a: one");
	push(h, 2, "[-] a: two");
	history_push(h, 1, NULL, 0, "zinit: INFO note", 16, false);
	push(h, 0, "[+] b: three");
	history_push(h, 1, "[+] a: ", 7, "four", 4, true);
	ASSERT_STR_EQ(unsent(h, 1), "[+] a: one\nzinit: INFO note\n[+] a: four\n");
	ASSERT_STR_EQ(unsent(h, 2), "[-] a: two\n");
	struct seen s;
	ASSERT_STR_EQ(ring_text(h, &s), "[+] a: one|[-] a: two|[+] b: three|[+] a: four|");
	history_sent(h, 1, 7); /* a part of a line */
	ASSERT_STR_EQ(unsent(h, 1), "one\nzinit: INFO note\n[+] a: four\n");
	history_sent(h, 1, 100); /* more than there is: all of it */
	ASSERT_STR_EQ(unsent(h, 1), "");
	push(h, 2, "[-] a: five"); /* the oldest, "one", leaves the ring: lane 1 forgets it */
	ASSERT_STR_EQ(ring_text(h, &s), "[-] a: two|[+] b: three|[+] a: four|[-] a: five|");
	ASSERT_STR_EQ(unsent(h, 2), "[-] a: two\n[-] a: five\n");
	/* kept: "four" (lane 1; the note before it is written and never in the ring), both
	 * unsent lines of lane 2, and "three" (lane 0) */
	ASSERT_EQ(history_kept(h), 12 + (11 + 12) + 13);
	history_free(h);
	history_free(NULL);
}

/* A line still to be written stays, whatever the ring drops: nothing is lost. */
TEST(history_unsent_lines_outlive_the_ring)
{
	struct history *h = history_new(2, 1 << 20);
	char line[16];
	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "%03d", i);
		push(h, 2, line);
	}
	const char *data;
	ASSERT_EQ(history_unsent(h, 2, &data), 4000);
	ASSERT(memcmp(data, "000\n001\n", 8) == 0 && memcmp(data + 3992, "998\n999\n", 8) == 0);
	history_sent(h, 2, 3992);
	ASSERT_EQ(history_kept(h), 8);
	struct seen s;
	ASSERT_STR_EQ(ring_text(h, &s), "998|999|");
	history_free(h);
}

struct note_ctx {
	struct history *h;
	size_t note_len;
	struct seen seen;
};

/* zinit may log (a note into lane 1) while `zinit log` reads the ring: notes before each
 * line is taken, written at once or not, so that lane 1 moves its bytes or grows meanwhile. */
static void collect_after_notes(void *ctx, const char *line, size_t len)
{
	struct note_ctx *n = ctx;
	static char note[4000];
	memset(note, 'n', sizeof(note));
	for (int i = 0; i < 40; i++) { /* enough to write over where the line was, if moved */
		history_push(n->h, 1, NULL, 0, note, n->note_len, false);
		if (n->note_len < 1000) /* the short ones are written: lane 1 makes room by moving */
			history_sent(n->h, 1, SIZE_MAX);
	}
	collect(&n->seen, line, len);
}

TEST(history_foreach_survives_notes_pushed_meanwhile)
{
	for (int before = 0; before < 300; before++) {
		struct history *h = history_new(10, 1 << 20);
		struct note_ctx n = { h, before % 2 ? 100 : 3000, { 0 } };
		for (int i = 0; i < before; i++) { /* written notes: where lane 1's lines start */
			history_push(h, 1, NULL, 0, "a written note, forgotten at once", 33, false);
			history_sent(h, 1, SIZE_MAX);
		}
		push(h, 1, "first");
		push(h, 2, "second");
		push(h, 1, "third");
		history_foreach(h, collect_after_notes, &n);
		ASSERT_STR_EQ(n.seen.text, "first|second|third|");
		struct seen s;
		ASSERT_STR_EQ(ring_text(h, &s), "first|second|third|");
		history_free(h);
	}
}

/* ---- a model of the whole: lanes, sends, the ring, what is kept ---- */

enum { M_LINES = 7, M_BYTES = 900, M_PUSHES = 30000, M_LONGEST = 400 };

struct m_line {
	int lane;
	size_t start, len; /* in the lane's stream, newline included */
	bool ring;
};

struct model {
	char *stream[HISTORY_LANES]; /* every byte pushed to a lane */
	size_t streamed[HISTORY_LANES], sent[HISTORY_LANES];
	struct m_line lines[M_PUSHES];
	size_t nlines;
	size_t ring[M_LINES]; /* indexes into lines, oldest first */
	size_t count, bytes;
	size_t oldest_kept[HISTORY_LANES]; /* model_kept()'s cursors */
	size_t seen;
	bool same;
};

static void model_push(struct model *m, int lane, const char *line, size_t len, bool ring)
{
	struct m_line *l = &m->lines[m->nlines];
	*l = (struct m_line){ lane, m->streamed[lane], len + 1, ring && len <= M_BYTES };
	memcpy(m->stream[lane] + m->streamed[lane], line, len);
	m->stream[lane][m->streamed[lane] + len] = '\n';
	m->streamed[lane] += len + 1;
	if (lane == 0)
		m->sent[0] = m->streamed[0];
	if (l->ring) {
		while (m->count > 0 && (m->count == M_LINES || m->bytes + len > M_BYTES)) {
			m->bytes -= m->lines[m->ring[0]].len - 1;
			memmove(m->ring, m->ring + 1, sizeof(m->ring[0]) * --m->count);
		}
		m->ring[m->count++] = m->nlines;
		m->bytes += len;
	}
	m->nlines++;
}

static bool in_ring(const struct model *m, size_t i)
{
	for (size_t k = 0; k < m->count; k++)
		if (m->ring[k] == i)
			return true;
	return false;
}

/* What a lane must keep: everything from its oldest line that is unsent or in the ring. That
 * line only moves forward: lines never come back into the ring, nor unwritten. */
static size_t model_kept(struct model *m, int lane)
{
	for (size_t *i = &m->oldest_kept[lane]; *i < m->nlines; ++*i) {
		const struct m_line *l = &m->lines[*i];
		if (l->lane == lane && (l->start + l->len > m->sent[lane] || in_ring(m, *i)))
			return m->streamed[lane] - l->start;
	}
	return 0;
}

static void model_compare(void *ctx, const char *line, size_t len)
{
	struct model *m = ctx;
	size_t i = m->seen++;
	if (i >= m->count) {
		m->same = false;
		return;
	}
	const struct m_line *l = &m->lines[m->ring[i]];
	if (l->len - 1 != len || memcmp(m->stream[l->lane] + l->start, line, len) != 0)
		m->same = false;
}

static void model_check(struct history *h, struct model *m)
{
	ASSERT_EQ(history_ring_count(h), m->count);
	ASSERT_EQ(history_ring_bytes(h), m->bytes);
	m->seen = 0;
	m->same = true;
	history_foreach(h, model_compare, m);
	ASSERT_EQ(m->seen, m->count);
	ASSERT(m->same);
	size_t kept = 0;
	for (int lane = 0; lane < HISTORY_LANES; lane++) {
		const char *data;
		size_t n = history_unsent(h, lane, &data);
		ASSERT_EQ(n, m->streamed[lane] - m->sent[lane]);
		ASSERT(n == 0 || memcmp(data, m->stream[lane] + m->sent[lane], n) == 0);
		kept += model_kept(m, lane);
	}
	ASSERT_EQ(history_kept(h), kept);
}

/* Lines of every length into random lanes, in and out of the ring, written in random pieces
 * (sometimes not for a long while): the ring is always the newest lines within both budgets,
 * every lane's unsent bytes are exactly what was pushed and not yet written, and a lane keeps
 * no line it no longer needs. */
TEST(history_matches_a_model)
{
	struct history *h = history_new(M_LINES, M_BYTES);
	static struct model m;
	for (int lane = 0; lane < HISTORY_LANES; lane++)
		m.stream[lane] = malloc((size_t)M_PUSHES * (M_LONGEST + 1) +
					(M_PUSHES / 97 + 1) * (M_BYTES + 21));
	unsigned seed = 12345;
	char line[M_BYTES + 21];
	for (int i = 0; i < M_PUSHES; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8;
		int lane = (int)(r % 3);
		/* phases of short, long and empty lines; now and then one longer than the budget */
		size_t most = i % 97 == 0 ? M_BYTES + 20 : (size_t[]){ 60, M_LONGEST, 3 }[(i / 500) % 3];
		size_t len = (r >> 4) % (most + 1);
		for (size_t k = 0; k < len; k++)
			line[k] = (char)('a' + (i + (int)k) % 26);
		bool ring = (r >> 20) % 8 != 0;
		size_t plen = len > 10 && (r >> 24) % 2 ? 7 : 0; /* a prefix, split anywhere */
		history_push(h, lane, line, plen, line + plen, len - plen, ring);
		model_push(&m, lane, line, len, ring);
		/* writes: in pieces, everything, or nothing for a while (phases of 2,000 pushes) */
		int out = 1 + (int)((r >> 12) % 2);
		if ((i / 2000) % 3 != 2 && (r >> 14) % 3 == 0) {
			size_t left = m.streamed[out] - m.sent[out];
			size_t n = (r >> 16) % 4 == 0 ? left : (r >> 4) % (left + 1);
			history_sent(h, out, n);
			m.sent[out] += n;
		}
		if (i % 3 == 0 || i > M_PUSHES - 50)
			model_check(h, &m);
	}
	history_free(h);
	for (int lane = 0; lane < HISTORY_LANES; lane++)
		free(m.stream[lane]);
}
