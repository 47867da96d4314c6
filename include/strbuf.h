/* SPDX-License-Identifier: MIT */
/* A growable NUL-terminated text buffer (unit files, job files, manifests, messages); pure. */
#ifndef ZINIT_STRBUF_H
#define ZINIT_STRBUF_H

#include <stddef.h>

/* Zero-initialise it; s is NULL until the first append. */
struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

/** strbuf_add() - append @n bytes of @data. */
void strbuf_add(struct strbuf *b, const char *data, size_t n);
/** strbuf_addstr() - append the string @s. */
void strbuf_addstr(struct strbuf *b, const char *s);
/** strbuf_addf() - append printf-style text. */
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** strbuf_reset() - empty the text, keeping the memory for the next appends. */
void strbuf_reset(struct strbuf *b);
/** strbuf_str() - the text so far ("" when nothing was appended). */
const char *strbuf_str(const struct strbuf *b);
/** strbuf_free() - release the buffer; it can be used again afterwards. */
void strbuf_free(struct strbuf *b);

#endif
