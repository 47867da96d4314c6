/* SPDX-License-Identifier: MIT */
/* The in-memory log ring: the last N lines of every service, oldest first, within a byte budget; pure. */
#ifndef ZINIT_RING_H
#define ZINIT_RING_H

#include <stddef.h>

struct ring;

/* Receives one stored line (not NUL-terminated) during ring_foreach(). */
typedef void (*ring_fn)(void *ctx, const char *line, size_t len);

/**
 * ring_new() - a ring keeping the last @capacity lines (0 keeps none), whose lengths add up
 * to @max_bytes at most: a service printing huge lines cannot make it hold 2000 x 64 KiB.
 */
struct ring *ring_new(size_t capacity, size_t max_bytes);
/** ring_free() - free the ring and its lines; NULL is fine. */
void ring_free(struct ring *r);
/** ring_push2() - store @pre followed by @line as one line (one copy; @pre may be empty),
 * dropping the oldest lines to make room. */
void ring_push2(struct ring *r, const char *pre, size_t plen, const char *line, size_t len);
/** ring_bytes() - the stored lines' total length. */
size_t ring_bytes(const struct ring *r);
/** ring_count() - how many lines are stored. */
size_t ring_count(const struct ring *r);
/** ring_foreach() - call @fn for every stored line, oldest first. */
void ring_foreach(const struct ring *r, ring_fn fn, void *ctx);

#endif
