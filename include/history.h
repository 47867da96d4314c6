/* SPDX-License-Identifier: MIT */
/* Service lines stored once: what zinit has still to write and the ring `zinit log` shows; pure. */
#ifndef ZINIT_HISTORY_H
#define ZINIT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Issue 12: a line used to be copied twice, into the ring and into the output queue. Here it
 * is copied once, with its newline, into the lane of where it goes: lane 0 for lines only
 * the ring keeps (`log: ring`), lanes 1 and 2 for zinit's stdout and stderr. A lane keeps a
 * line until it is written and has left the ring; the ring is the newest lines of all lanes,
 * in the order they came.
 */
enum { HISTORY_LANES = 3 };

struct history;

/* Receives one line of the ring (no newline, not NUL-terminated). */
typedef void (*history_fn)(void *ctx, const char *line, size_t len);

/**
 * history_new() - a ring of the last @max_lines lines (0 keeps none), whose lengths add up
 * to @max_bytes at most: a service printing huge lines cannot make it hold 2000 x 64 KiB.
 */
struct history *history_new(size_t max_lines, size_t max_bytes);

/** history_free() - free it all; NULL is fine. */
void history_free(struct history *h);

/**
 * history_push() - append @pre (may be empty), @line and a newline to @lane as one line, and
 * to the ring if @ring (a line longer than the ring's byte budget never joins it), dropping
 * the ring's oldest lines to make room. A line in lane 0 has nothing to be written.
 */
void history_push(struct history *h, int lane, const char *pre, size_t plen, const char *line,
		  size_t len, bool ring);

/** history_unsent() - the bytes of @lane not yet written, contiguous, at *@data. */
size_t history_unsent(const struct history *h, int lane, const char **data);

/** history_sent() - @n more bytes of @lane were written (at most what was unsent). */
void history_sent(struct history *h, int lane, size_t n);

/** history_ring_count() - how many lines the ring holds. */
size_t history_ring_count(const struct history *h);

/** history_ring_bytes() - their lengths added up (newlines not counted). */
size_t history_ring_bytes(const struct history *h);

/** history_kept() - the bytes all lanes keep (for the ring or to be written). */
size_t history_kept(const struct history *h);

/**
 * history_foreach() - call @fn for every line of the ring, oldest first. @fn may push lines
 * that do not join the ring (zinit's own messages): the line it was given stays valid.
 */
void history_foreach(struct history *h, history_fn fn, void *ctx);

#endif
