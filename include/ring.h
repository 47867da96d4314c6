/* SPDX-License-Identifier: MIT */
/* The in-memory log ring: the last N lines of every service, oldest first, within a byte budget; pure. */
#ifndef ZINIT_RING_H
#define ZINIT_RING_H

#include <stddef.h>

/* The size of the buffers ring_read_buffer() hands out. */
#define RING_READ_BYTES (256 * 1024)

struct ring;

/* Receives one stored line, prefix included (not NUL-terminated), during ring_foreach(). */
typedef void (*ring_fn)(void *ctx, const char *line, size_t len);

/**
 * ring_new() - a ring keeping the last @capacity lines (0 keeps none), whose lengths add up
 * to @max_bytes at most: a service printing huge lines cannot make it hold 2000 x 64 KiB.
 *
 * Lines arrive in batches (issue 12): a service's output is read into ring_read_buffer(), its
 * lines are staged with ring_add() and become part of the ring at ring_commit(). A batch
 * whose surviving lines fill at least half of its read buffer keeps that buffer as their
 * storage, so a flood is not copied line by line; smaller batches are copied, compactly. The
 * memory held stays under about twice @max_bytes plus two read buffers.
 */
struct ring *ring_new(size_t capacity, size_t max_bytes);
/** ring_free() - free the ring and its lines; NULL is fine. */
void ring_free(struct ring *r);
/**
 * ring_read_buffer() - where to read the next RING_READ_BYTES at most. Commits what is staged
 * first (the buffer may be the last one, reused).
 */
char *ring_read_buffer(struct ring *r);
/**
 * ring_add() - stage @pre followed by @line as one line; a line inside the current read
 * buffer is referenced, any other is copied. @pre must stay valid until ring_commit().
 * A line longer than the whole budget is not kept (and drops nothing).
 */
void ring_add(struct ring *r, const char *pre, size_t plen, const char *line, size_t len);
/** ring_commit() - make the staged lines part of the ring, dropping the oldest to make room. */
void ring_commit(struct ring *r);
/** ring_bytes() - the stored lines' total length (prefixes included). */
size_t ring_bytes(const struct ring *r);
/** ring_count() - how many lines are stored. */
size_t ring_count(const struct ring *r);
/** ring_foreach() - call @fn for every stored line, oldest first. */
void ring_foreach(const struct ring *r, ring_fn fn, void *ctx);

#endif
