/* SPDX-License-Identifier: MIT */
/* Tests for line splitting: whole lines, partial tails, CRLF, 64 KiB pieces, raw bytes. */
#include <stdbool.h>

#include "linebuf.h"
#include "runner.h"
#include "xalloc.h"

struct sink {
	size_t n;
	char *lines[16];
	size_t lens[16];
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct sink *s = ctx;
	ASSERT(s->n < 16);
	s->lines[s->n] = xmalloc(len + 1);
	memcpy(s->lines[s->n], line, len); /* not strndup: lines may hold NUL bytes */
	s->lines[s->n][len] = '\0';
	s->lens[s->n++] = len;
}

static void sink_free(struct sink *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->lines[i]);
}

static void feed(struct linebuf *lb, const char *text, struct sink *s)
{
	linebuf_feed(lb, text, strlen(text), collect, s);
}

TEST(linebuf_whole_and_partial)
{
	struct linebuf lb = { 0 };
	struct sink s = { 0 };
	feed(&lb, "one\ntwo\nthr", &s);
	ASSERT_EQ(s.n, 2);
	ASSERT_STR_EQ(s.lines[0], "one");
	ASSERT_STR_EQ(s.lines[1], "two");
	feed(&lb, "ee\n\n", &s);
	ASSERT_EQ(s.n, 4);
	ASSERT_STR_EQ(s.lines[2], "three");
	ASSERT_STR_EQ(s.lines[3], "");
	feed(&lb, "tail", &s);
	linebuf_flush(&lb, collect, &s);
	ASSERT_EQ(s.n, 5);
	ASSERT_STR_EQ(s.lines[4], "tail");
	linebuf_flush(&lb, collect, &s); /* nothing left */
	ASSERT_EQ(s.n, 5);
	linebuf_free(&lb);
	sink_free(&s);
}

TEST(linebuf_crlf_and_lone_cr)
{
	struct linebuf lb = { 0 };
	struct sink s = { 0 };
	feed(&lb, "abc", &s);
	feed(&lb, "def\r\n", &s);
	feed(&lb, "a\rb\n", &s);
	ASSERT_EQ(s.n, 2);
	ASSERT_STR_EQ(s.lines[0], "abcdef");
	ASSERT_STR_EQ(s.lines[1], "a\rb");
	linebuf_free(&lb);
	sink_free(&s);
}

TEST(linebuf_raw_bytes_pass)
{
	struct linebuf lb = { 0 };
	struct sink s = { 0 };
	static const char data[] = { '\377', 'a', '\0', 'b', '\n' };
	linebuf_feed(&lb, data, sizeof(data), collect, &s);
	ASSERT_EQ(s.n, 1);
	ASSERT_EQ(s.lens[0], 4);
	ASSERT(memcmp(s.lines[0], data, 4) == 0);
	linebuf_free(&lb);
	sink_free(&s);
}

/* A long line, fed in chunks of @chunk bytes, comes out in LINEBUF_MAX_LINE pieces; its "\r"
 * before the "\n" (@crlf) is dropped, and is no empty piece of its own after a cut. */
static void long_line_ending(size_t total, size_t chunk, bool crlf)
{
	size_t end = total + (crlf ? 2 : 1);
	char *data = xmalloc(end);
	for (size_t i = 0; i < total; i++)
		data[i] = (char)('a' + i % 26);
	if (crlf)
		data[total] = '\r';
	data[end - 1] = '\n';
	struct linebuf lb = { 0 };
	struct sink s = { 0 };
	for (size_t off = 0; off < end; off += chunk) {
		size_t n = end - off < chunk ? end - off : chunk;
		linebuf_feed(&lb, data + off, n, collect, &s);
	}
	size_t expect = (total + LINEBUF_MAX_LINE - 1) / LINEBUF_MAX_LINE;
	ASSERT_EQ(s.n, expect ? expect : 1);
	size_t off = 0;
	for (size_t i = 0; i < s.n; i++) {
		ASSERT(s.lens[i] <= LINEBUF_MAX_LINE);
		ASSERT(memcmp(s.lines[i], data + off, s.lens[i]) == 0);
		off += s.lens[i];
	}
	ASSERT_EQ(off, total);
	linebuf_free(&lb);
	sink_free(&s);
	free(data);
}

static void long_line(size_t total, size_t chunk)
{
	long_line_ending(total, chunk, false);
	long_line_ending(total, chunk, true);
}

TEST(linebuf_long_lines_cut_without_loss)
{
	long_line(200000, 200001);
	long_line(200000, 4096);
	long_line(200000, 65536);
	long_line(LINEBUF_MAX_LINE, 1000);      /* exactly the limit: one line, no empty piece */
	long_line(LINEBUF_MAX_LINE, 70000);
	long_line(LINEBUF_MAX_LINE + 1, 7);
	long_line(2 * LINEBUF_MAX_LINE, 30000);
	long_line(LINEBUF_MAX_LINE, 65537); /* the cut between the line and its "\r\n" */
	long_line(LINEBUF_MAX_LINE, 1);
}
