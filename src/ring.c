/* SPDX-License-Identifier: MIT */
/* The in-memory log ring: the last N lines of every service, oldest first, in batches; pure. */
#include "ring.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Where a line is: at @off in its batch's read buffer, or in its copied bytes if IN_COPY. */
struct rec {
	uint32_t off;
	uint32_t len;
};
#define IN_COPY 0x80000000u

/* Lines committed together: one prefix, stored once. */
struct batch {
	struct batch *next;   /* the next newer batch */
	char *buf;            /* a read buffer kept as the lines' storage, or NULL */
	char *copy;           /* lines copied out of elsewhere, or NULL */
	size_t first, n;      /* lines[first..n) are still stored */
	size_t bytes;         /* their stored length, prefixes included */
	size_t plen;
	char *pre;            /* after lines[] */
	struct rec lines[];
};

struct ring {
	size_t capacity, max_bytes;
	size_t count, bytes;          /* the committed lines */
	struct batch *oldest, *newest;
	/* the batch being staged */
	char *rbuf;                   /* the current read buffer, or NULL */
	char *spare;                  /* a read buffer a dropped batch gave back */
	struct rec *stage;            /* circular, capacity records: only that many can survive */
	size_t stage_end, staged;     /* the staged records end before stage[stage_end] */
	size_t added;                 /* lines staged, those the stage overwrote included */
	char *copy;                   /* staged lines from outside rbuf */
	size_t copy_len, copy_cap;
	const char *pre;
	size_t plen;
};

struct ring *ring_new(size_t capacity, size_t max_bytes)
{
	struct ring *r = xcalloc(1, sizeof(*r));
	r->capacity = capacity;
	r->max_bytes = max_bytes < INT32_MAX ? max_bytes : INT32_MAX;
	r->stage = xmalloc((capacity ? capacity : 1) * sizeof(*r->stage));
	return r;
}

static void give_back_buffer(struct ring *r, char *buf)
{
	if (!r->spare)
		r->spare = buf;
	else
		free(buf);
}

static void batch_free(struct ring *r, struct batch *b)
{
	if (b->buf)
		give_back_buffer(r, b->buf);
	free(b->copy);
	free(b);
}

void ring_free(struct ring *r)
{
	if (!r)
		return;
	while (r->oldest) {
		struct batch *b = r->oldest;
		r->oldest = b->next;
		batch_free(r, b);
	}
	free(r->rbuf);
	free(r->spare);
	free(r->stage);
	free(r->copy);
	free(r);
}

static const char *line_of(const struct batch *b, struct rec rec)
{
	return rec.off & IN_COPY ? b->copy + (rec.off & ~IN_COPY) : b->buf + rec.off;
}

static size_t stored_len(const struct batch *b, size_t i)
{
	return b->plen + b->lines[i].len;
}

/* Drops the oldest lines until @lines more lines of @bytes fit; whole batches at once. */
static void make_room(struct ring *r, size_t lines, size_t bytes)
{
	while (r->count > 0 && (r->count + lines > r->capacity || r->bytes + bytes > r->max_bytes)) {
		struct batch *b = r->oldest;
		size_t left = b->n - b->first, newest = stored_len(b, b->n - 1);
		if (r->count - left + 1 + lines > r->capacity ||
		    r->bytes - b->bytes + newest + bytes > r->max_bytes) {
			r->count -= left;
			r->bytes -= b->bytes;
			r->oldest = b->next;
			if (b == r->newest)
				r->newest = NULL;
			batch_free(r, b);
			continue;
		}
		size_t n = stored_len(b, b->first++);
		b->bytes -= n;
		r->bytes -= n;
		r->count--;
	}
}

static void commit(struct ring *r, bool may_keep);

static uint32_t copy_in(struct ring *r, const char *line, size_t len)
{
	if (r->copy_len + len > r->copy_cap) {
		r->copy_cap = (r->copy_len + len) * 2 + 1024;
		r->copy = xrealloc(r->copy, r->copy_cap);
	}
	if (len)
		memcpy(r->copy + r->copy_len, line, len);
	r->copy_len += len;
	return IN_COPY | (uint32_t)(r->copy_len - len);
}

static bool in_read_buffer(const struct ring *r, const char *line, size_t len)
{
	uintptr_t p = (uintptr_t)line, b = (uintptr_t)r->rbuf;
	return r->rbuf && p >= b && p + len <= b + RING_READ_BYTES;
}

void ring_add(struct ring *r, const char *pre, size_t plen, const char *line, size_t len)
{
	if (r->capacity == 0 || plen + len > r->max_bytes)
		return;
	/* another prefix: the lines so far are committed, copied (the read is not over) */
	if (r->staged && (plen != r->plen || (pre != r->pre && memcmp(pre, r->pre, plen) != 0)))
		commit(r, false);
	r->pre = pre;
	r->plen = plen;
	struct rec rec = { .len = (uint32_t)len };
	if (in_read_buffer(r, line, len))
		rec.off = (uint32_t)(line - r->rbuf);
	else
		rec.off = copy_in(r, line, len);
	r->stage[r->stage_end] = rec;
	r->stage_end = r->stage_end + 1 == r->capacity ? 0 : r->stage_end + 1;
	if (r->staged < r->capacity)
		r->staged++;
	r->added++;
}

/* Where in the circular stage the @k newest records start. */
static size_t stage_start(const struct ring *r, size_t k)
{
	return (r->stage_end + r->capacity - k) % r->capacity;
}

/* How many of the newest staged lines fit both budgets on their own, and their length. */
static size_t survivors(const struct ring *r, size_t *bytes)
{
	size_t k = 0, i = r->stage_end;
	*bytes = 0;
	while (k < r->staged) {
		i = i ? i - 1 : r->capacity - 1;
		size_t n = r->plen + r->stage[i].len;
		if (*bytes + n > r->max_bytes)
			break;
		*bytes += n;
		k++;
	}
	return k;
}

/* Copies @k staged records (from @start) into @b; returns the bytes they have in rbuf. */
static size_t take_records(const struct ring *r, struct batch *b, size_t start, size_t k)
{
	size_t in_buf = 0;
	for (size_t j = 0, i = start; j < k; j++, i = i + 1 == r->capacity ? 0 : i + 1) {
		b->lines[j] = r->stage[i];
		if (!(r->stage[i].off & IN_COPY))
			in_buf += r->stage[i].len;
	}
	return in_buf;
}

/* Gives @b a compact copy of its lines, so that it holds neither rbuf nor the copy area. */
static void compact(const struct ring *r, struct batch *b)
{
	size_t total = 0;
	for (size_t j = 0; j < b->n; j++)
		total += b->lines[j].len;
	b->copy = xmalloc(total ? total : 1);
	size_t at = 0;
	for (size_t j = 0; j < b->n; j++) {
		struct rec *rec = &b->lines[j];
		if (rec->len) {
			const char *from = rec->off & IN_COPY ? r->copy + (rec->off & ~IN_COPY)
							      : r->rbuf + rec->off;
			memcpy(b->copy + at, from, rec->len);
		}
		rec->off = IN_COPY | (uint32_t)at;
		at += rec->len;
	}
}

static struct batch *batch_new(struct ring *r, size_t k, size_t bytes, bool may_keep)
{
	struct batch *b = xmalloc(sizeof(*b) + k * sizeof(b->lines[0]) + r->plen);
	*b = (struct batch){ .n = k, .bytes = bytes, .plen = r->plen };
	b->pre = (char *)&b->lines[k];
	if (r->plen)
		memcpy(b->pre, r->pre, r->plen);
	size_t in_buf = take_records(r, b, stage_start(r, k), k);
	if (!may_keep || in_buf < RING_READ_BYTES / 2) {
		compact(r, b);
		return b;
	}
	b->buf = r->rbuf; /* a flood: its read buffer is kept, not copied */
	r->rbuf = NULL;
	if (in_buf < bytes - k * r->plen) { /* some lines are in the copy area: it goes along */
		b->copy = r->copy;
		r->copy = NULL;
		r->copy_cap = 0;
	}
	return b;
}

/* Makes the staged lines part of the ring; their read buffer is kept only if @may_keep. */
static void commit(struct ring *r, bool may_keep)
{
	if (r->staged > 0) {
		size_t bytes, k = survivors(r, &bytes);
		/* a staged line that does not survive goes with every older one */
		make_room(r, k < r->added ? r->capacity + 1 : k, bytes);
		struct batch *b = batch_new(r, k, bytes, may_keep);
		if (r->newest)
			r->newest->next = b;
		else
			r->oldest = b;
		r->newest = b;
		r->count += k;
		r->bytes += bytes;
	}
	r->staged = r->added = 0;
	r->copy_len = 0;
}

void ring_commit(struct ring *r)
{
	commit(r, true);
}

char *ring_read_buffer(struct ring *r)
{
	ring_commit(r);
	if (!r->rbuf) {
		r->rbuf = r->spare ? r->spare : xmalloc(RING_READ_BYTES);
		r->spare = NULL;
	}
	return r->rbuf;
}

size_t ring_count(const struct ring *r)
{
	return r->count;
}

size_t ring_bytes(const struct ring *r)
{
	return r->bytes;
}

void ring_foreach(const struct ring *r, ring_fn fn, void *ctx)
{
	size_t cap = 256;
	char *line = xmalloc(cap);
	for (const struct batch *b = r->oldest; b; b = b->next) {
		for (size_t i = b->first; i < b->n; i++) {
			size_t n = stored_len(b, i);
			if (n > cap) {
				cap = n * 2;
				line = xrealloc(line, cap);
			}
			if (b->plen)
				memcpy(line, b->pre, b->plen);
			if (b->lines[i].len)
				memcpy(line + b->plen, line_of(b, b->lines[i]), b->lines[i].len);
			fn(ctx, line, n);
		}
	}
	free(line);
}
