/* SPDX-License-Identifier: MIT */
/* Splits a byte stream into lines: whole lines out, partial tail kept, long lines cut; pure. */
#include "linebuf.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A line's end: the line, or the rest of a cut one (nothing when only its "\r" is left). */
static void emit(struct linebuf *lb, const char *line, size_t len, linebuf_fn fn, void *ctx)
{
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > 0 || !lb->cut)
		fn(ctx, line, len);
	lb->cut = false;
}

/* A piece of LINEBUF_MAX_LINE bytes of a longer line. */
static void emit_cut(struct linebuf *lb, const char *piece, linebuf_fn fn, void *ctx)
{
	fn(ctx, piece, LINEBUF_MAX_LINE);
	lb->cut = true;
}

static void part_append(struct linebuf *lb, const char *data, size_t n)
{
	if (lb->len + n > lb->cap) {
		size_t cap = lb->cap ? lb->cap : 256;
		while (cap < lb->len + n)
			cap *= 2;
		lb->part = xrealloc(lb->part, cap);
		lb->cap = cap;
	}
	memcpy(lb->part + lb->len, data, n);
	lb->len += n;
}

/* Completes the kept partial line from @data; returns how many bytes of @data it used. */
static size_t complete_part(struct linebuf *lb, const char *data, size_t n, linebuf_fn fn,
			    void *ctx)
{
	size_t used = 0;
	while (used < n) {
		size_t room = LINEBUF_MAX_LINE - lb->len;
		size_t scan = n - used < room + 1 ? n - used : room + 1;
		const char *nl = memchr(data + used, '\n', scan);
		if (nl) {
			size_t k = (size_t)(nl - (data + used));
			part_append(lb, data + used, k);
			emit(lb, lb->part, lb->len, fn, ctx);
			lb->len = 0;
			return used + k + 1;
		}
		if (scan <= room) { /* everything left fits and has no newline */
			part_append(lb, data + used, scan);
			return n;
		}
		part_append(lb, data + used, room);
		used += room;
		emit_cut(lb, lb->part, fn, ctx);
		lb->len = 0;
	}
	return used;
}

void linebuf_feed(struct linebuf *lb, const char *data, size_t n, linebuf_fn fn, void *ctx)
{
	size_t pos = 0;
	if (lb->len > 0)
		pos = complete_part(lb, data, n, fn, ctx);
	while (pos < n) {
		size_t avail = n - pos;
		size_t scan = avail < LINEBUF_MAX_LINE + 1 ? avail : LINEBUF_MAX_LINE + 1;
		const char *nl = memchr(data + pos, '\n', scan);
		if (nl) {
			size_t k = (size_t)(nl - (data + pos));
			emit(lb, data + pos, k, fn, ctx);
			pos += k + 1;
		} else if (avail > LINEBUF_MAX_LINE) {
			emit_cut(lb, data + pos, fn, ctx);
			pos += LINEBUF_MAX_LINE;
		} else {
			part_append(lb, data + pos, avail);
			pos = n;
		}
	}
}

void linebuf_flush(struct linebuf *lb, linebuf_fn fn, void *ctx)
{
	if (lb->len > 0)
		emit(lb, lb->part, lb->len, fn, ctx);
	lb->len = 0;
	lb->cut = false;
}

void linebuf_free(struct linebuf *lb)
{
	free(lb->part);
	*lb = (struct linebuf){ 0 };
}
