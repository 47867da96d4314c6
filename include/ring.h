/* SPDX-License-Identifier: MIT */
/* The in-memory log ring: the last N lines of every service, oldest first; pure. */
#ifndef ZINIT_RING_H
#define ZINIT_RING_H

#include <stddef.h>

struct ring;

/* Receives one stored line (not NUL-terminated) during ring_foreach(). */
typedef void (*ring_fn)(void *ctx, const char *line, size_t len);

/** ring_new() - a ring keeping the last @capacity lines (0 keeps none). */
struct ring *ring_new(size_t capacity);
/** ring_free() - free the ring and its lines; NULL is fine. */
void ring_free(struct ring *r);
/** ring_push() - store a copy of @line, dropping the oldest line when full. */
void ring_push(struct ring *r, const char *line, size_t len);
/** ring_count() - how many lines are stored. */
size_t ring_count(const struct ring *r);
/** ring_foreach() - call @fn for every stored line, oldest first. */
void ring_foreach(const struct ring *r, ring_fn fn, void *ctx);

#endif
