/* SPDX-License-Identifier: MIT */
/* Service lines stored once: what zinit has still to write and the ring `zinit log` shows; pure. */
#include "history.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define IN_RING 0x80000000u /* in a line's record: it joined the ring */
#define MIN_BUF 4096
#define MIN_RECS 64
/* A lane's buffer is at least SLACK times what it keeps when it has to make room, so that
 * moving the kept bytes back to its start costs at most a third of a byte per byte pushed. */
#define SLACK 4

/*
 * One lane: its lines back to back in a buffer, each with its newline. Positions are counted
 * in bytes since the lane began, so that moving the kept bytes to the buffer's start changes
 * nothing but `base`.
 */
struct lane {
	char *buf;
	size_t cap;
	uint64_t base;  /* position of buf[0] */
	uint64_t tail;  /* position of the oldest kept line */
	uint64_t head;  /* position past the newest line */
	uint64_t sent;  /* written up to here (lane 0, with nothing to write: head) */
	uint32_t *recs; /* each line's length with its newline, | IN_RING; by seq & (rcap - 1) */
	size_t rcap;
	uint64_t first, end; /* seqs of the oldest kept line and past the newest */
	uint64_t view, view_pos; /* seq and position of the oldest line that may be in the ring */
};

struct history {
	struct lane lanes[HISTORY_LANES];
	size_t max_lines, max_bytes;
	unsigned char *order; /* the ring's lines, oldest first, as lane numbers; circular */
	size_t ocap, oldest, count;
	size_t bytes;         /* the ring's lines' lengths, without newlines */
	int iterating;        /* in history_foreach(): buffers are replaced, not moved */
	char **retired;       /* buffers replaced meanwhile, freed when it ends */
	size_t nretired;
};

static uint32_t rec_at(const struct lane *l, uint64_t seq)
{
	return l->recs[seq & (l->rcap - 1)];
}

static size_t rec_len(uint32_t rec)
{
	return rec & ~IN_RING;
}

struct history *history_new(size_t max_lines, size_t max_bytes)
{
	struct history *h = xcalloc(1, sizeof(*h));
	h->max_lines = max_lines;
	h->max_bytes = max_bytes;
	return h;
}

static void free_retired(struct history *h)
{
	for (size_t i = 0; i < h->nretired; i++)
		free(h->retired[i]);
	free(h->retired);
	h->retired = NULL;
	h->nretired = 0;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (int i = 0; i < HISTORY_LANES; i++) {
		free(h->lanes[i].buf);
		free(h->lanes[i].recs);
	}
	free(h->order);
	free_retired(h);
	free(h);
}

/* Forgets the oldest lines that are written and out of the ring. */
static void trim(struct lane *l)
{
	while (l->first < l->end) {
		uint32_t rec = rec_at(l, l->first);
		if ((rec & IN_RING) && l->first >= l->view)
			break;
		if (l->tail + rec_len(rec) > l->sent)
			break;
		l->tail += rec_len(rec);
		l->first++;
	}
	if (l->view < l->first) {
		l->view = l->first;
		l->view_pos = l->tail;
	}
}

/* The ring's oldest line leaves it; its lane may then forget it. */
static void drop_oldest(struct history *h)
{
	struct lane *l = &h->lanes[h->order[h->oldest]];
	h->oldest = (h->oldest + 1) & (h->ocap - 1);
	h->count--;
	uint32_t rec;
	while (!((rec = rec_at(l, l->view)) & IN_RING)) {
		l->view_pos += rec_len(rec);
		l->view++;
	}
	h->bytes -= rec_len(rec) - 1;
	l->view_pos += rec_len(rec);
	l->view++;
	trim(l);
}

/* Room in the ring for a line of @n bytes (newline not counted), in lines and in bytes. */
static void ring_room(struct history *h, size_t n)
{
	while (h->count > 0 && (h->count == h->max_lines || h->bytes + n > h->max_bytes))
		drop_oldest(h);
	if (h->count < h->ocap)
		return;
	size_t cap = h->ocap ? 2 * h->ocap : MIN_RECS;
	unsigned char *order = xmalloc(cap);
	for (size_t i = 0; i < h->count; i++)
		order[i] = h->order[(h->oldest + i) & (h->ocap - 1)];
	free(h->order);
	h->order = order;
	h->ocap = cap;
	h->oldest = 0;
}

/* A buffer no longer used: freed at once, or when history_foreach() is done with it. */
static void retire(struct history *h, char *buf)
{
	if (!h->iterating || !buf) {
		free(buf);
		return;
	}
	h->retired = xrealloc(h->retired, (h->nretired + 1) * sizeof(*h->retired));
	h->retired[h->nretired++] = buf;
}

/* Room for @n more bytes at the lane's head: the kept bytes moved to the buffer's start, or
 * a bigger buffer. */
static void buf_room(struct history *h, struct lane *l, size_t n)
{
	if (l->head + n - l->base <= l->cap)
		return;
	size_t kept = (size_t)(l->head - l->tail);
	size_t cap = l->cap ? l->cap : MIN_BUF;
	while (cap < SLACK * (kept + n))
		cap *= 2;
	char *from = l->buf + (l->tail - l->base);
	if (cap == l->cap && !h->iterating) {
		memmove(l->buf, from, kept);
	} else {
		char *buf = xmalloc(cap);
		if (kept)
			memcpy(buf, from, kept);
		retire(h, l->buf);
		l->buf = buf;
		l->cap = cap;
	}
	l->base = l->tail;
}

static void add_rec(struct lane *l, uint32_t rec)
{
	if (l->end - l->first == l->rcap) {
		size_t cap = l->rcap ? 2 * l->rcap : MIN_RECS;
		uint32_t *recs = xmalloc(cap * sizeof(*recs));
		for (uint64_t s = l->first; s < l->end; s++)
			recs[s & (cap - 1)] = rec_at(l, s);
		free(l->recs);
		l->recs = recs;
		l->rcap = cap;
	}
	l->recs[l->end++ & (l->rcap - 1)] = rec;
}

void history_push(struct history *h, int lane, const char *pre, size_t plen, const char *line,
		  size_t len, bool ring)
{
	struct lane *l = &h->lanes[lane];
	size_t n = plen + len + 1;
	ring = ring && h->max_lines > 0 && n - 1 <= h->max_bytes;
	if (ring)
		ring_room(h, n - 1);
	buf_room(h, l, n);
	char *at = l->buf + (l->head - l->base);
	if (plen)
		memcpy(at, pre, plen);
	memcpy(at + plen, line, len);
	at[plen + len] = '\n';
	l->head += n;
	add_rec(l, (uint32_t)n | (ring ? IN_RING : 0));
	if (lane == 0)
		l->sent = l->head;
	if (ring) {
		h->order[(h->oldest + h->count) & (h->ocap - 1)] = (unsigned char)lane;
		h->count++;
		h->bytes += n - 1;
	}
	trim(l);
}

size_t history_unsent(const struct history *h, int lane, const char **data)
{
	const struct lane *l = &h->lanes[lane];
	*data = l->buf ? l->buf + (l->sent - l->base) : "";
	return (size_t)(l->head - l->sent);
}

void history_sent(struct history *h, int lane, size_t n)
{
	struct lane *l = &h->lanes[lane];
	l->sent += n < l->head - l->sent ? n : l->head - l->sent;
	trim(l);
}

size_t history_ring_count(const struct history *h)
{
	return h->count;
}

size_t history_ring_bytes(const struct history *h)
{
	return h->bytes;
}

size_t history_kept(const struct history *h)
{
	size_t n = 0;
	for (int i = 0; i < HISTORY_LANES; i++)
		n += (size_t)(h->lanes[i].head - h->lanes[i].tail);
	return n;
}

void history_foreach(struct history *h, history_fn fn, void *ctx)
{
	uint64_t seq[HISTORY_LANES], pos[HISTORY_LANES];
	for (int i = 0; i < HISTORY_LANES; i++) {
		seq[i] = h->lanes[i].view;
		pos[i] = h->lanes[i].view_pos;
	}
	h->iterating++;
	for (size_t i = 0; i < h->count; i++) {
		int k = h->order[(h->oldest + i) & (h->ocap - 1)];
		const struct lane *l = &h->lanes[k];
		uint32_t rec;
		while (!((rec = rec_at(l, seq[k])) & IN_RING)) {
			pos[k] += rec_len(rec);
			seq[k]++;
		}
		fn(ctx, l->buf + (pos[k] - l->base), rec_len(rec) - 1);
		pos[k] += rec_len(rec);
		seq[k]++;
	}
	if (--h->iterating == 0)
		free_retired(h);
}
