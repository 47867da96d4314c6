/* SPDX-License-Identifier: MIT */
/* Splits a byte stream into lines: whole lines out, partial tail kept, long lines cut; pure. */
#ifndef ZINIT_LINEBUF_H
#define ZINIT_LINEBUF_H

#include <stdbool.h>
#include <stddef.h>

/* A line longer than this is emitted in pieces of this many bytes. */
#define LINEBUF_MAX_LINE (64 * 1024)

/* The partial line carried between feeds; zero-initialise it. */
struct linebuf {
	char *part;
	size_t len;
	size_t cap;
	bool cut; /* the line going on was cut: a "\r" alone after the cut is its end, no line */
};

/* Receives one line without its "\n" (and without a "\r" just before it). */
typedef void (*linebuf_fn)(void *ctx, const char *line, size_t len);

/**
 * linebuf_feed() - split @n bytes of @data into lines and hand every complete one to @fn.
 * Bytes after the last newline are kept for the next call. A line reaching
 * LINEBUF_MAX_LINE bytes is emitted in pieces of that size; no byte is dropped. Bytes are
 * not interpreted: invalid UTF-8 and NULs pass through.
 */
void linebuf_feed(struct linebuf *lb, const char *data, size_t n, linebuf_fn fn, void *ctx);

/** linebuf_flush() - emit the kept partial line, if any (at end of stream). */
void linebuf_flush(struct linebuf *lb, linebuf_fn fn, void *ctx);

/** linebuf_free() - release the partial-line buffer. */
void linebuf_free(struct linebuf *lb);

#endif
