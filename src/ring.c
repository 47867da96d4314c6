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
};

struct ring *ring_new(size_t capacity)
{
	struct ring *r = xcalloc(1, sizeof(*r));
	r->capacity = capacity;
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

void ring_push(struct ring *r, const char *line, size_t len)
{
	if (r->capacity == 0)
		return;
	size_t slot = (r->head + r->count) % r->capacity;
	if (r->count == r->capacity) {
		slot = r->head;
		r->head = (r->head + 1) % r->capacity;
	} else {
		r->count++;
	}
	struct entry *e = r->slots[slot];
	if (!e || e->len < len || e->len > 2 * len + 64) {
		free(e);
		e = xmalloc(sizeof(*e) + len);
	}
	e->len = len;
	memcpy(e->data, line, len);
	r->slots[slot] = e;
}

size_t ring_count(const struct ring *r)
{
	return r->count;
}

void ring_foreach(const struct ring *r, ring_fn fn, void *ctx)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct entry *e = r->slots[(r->head + i) % r->capacity];
		fn(ctx, e->data, e->len);
	}
}
