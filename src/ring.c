/* SPDX-License-Identifier: MIT */
/* The in-memory log ring: the last N lines of every service, oldest first; pure. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct entry {
	size_t len;
	char data[];
};

struct ring {
	struct entry **slots; /* capacity slots; NULL where empty */
	size_t capacity;
	size_t head;          /* index of the oldest line */
	size_t count;
	size_t bytes;         /* the stored lines' lengths */
	size_t max_bytes;
};

struct ring *ring_new(size_t capacity, size_t max_bytes)
{
	struct ring *r = xcalloc(1, sizeof(*r));
	r->capacity = capacity;
	r->max_bytes = max_bytes;
	r->slots = xcalloc(capacity ? capacity : 1, sizeof(*r->slots));
	return r;
}

void ring_free(struct ring *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->capacity; i++)
		free(r->slots[i]);
	free(r->slots);
	free(r);
}

/* Forgets the oldest line; its memory goes too (a freed slot keeps nothing). */
static void drop_oldest(struct ring *r)
{
	struct entry **e = &r->slots[r->head];
	r->bytes -= (*e)->len;
	free(*e);
	*e = NULL;
	r->head = (r->head + 1) % r->capacity;
	r->count--;
}

void ring_push2(struct ring *r, const char *pre, size_t plen, const char *line, size_t len)
{
	size_t n = plen + len;
	if (r->capacity == 0 || n > r->max_bytes)
		return;
	while (r->count > 0 && r->bytes + n > r->max_bytes)
		drop_oldest(r);
	size_t slot = (r->head + r->count) % r->capacity;
	if (r->count == r->capacity) { /* full in lines: the oldest line's slot is reused */
		slot = r->head;
		r->bytes -= r->slots[slot]->len;
		r->head = (r->head + 1) % r->capacity;
	} else {
		r->count++;
	}
	struct entry *e = r->slots[slot];
	if (!e || e->len < n || e->len > 2 * n + 64) {
		free(e);
		e = xmalloc(sizeof(*e) + n);
	}
	e->len = n;
	if (plen)
		memcpy(e->data, pre, plen);
	memcpy(e->data + plen, line, len);
	r->slots[slot] = e;
	r->bytes += n;
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
	for (size_t i = 0; i < r->count; i++) {
		const struct entry *e = r->slots[(r->head + i) % r->capacity];
		fn(ctx, e->data, e->len);
	}
}
