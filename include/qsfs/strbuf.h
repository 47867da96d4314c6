/* SPDX-License-Identifier: MIT */
/* A growable NUL-terminated text buffer (job files, manifest, messages); pure. */
#ifndef QSFS_STRBUF_H
#define QSFS_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/* Zero-initialise it; s is NULL until the first append. */
struct strbuf {
	char *s;
	size_t len;
	size_t cap;
};

/** strbuf_add() - append @n bytes of @data. */
void strbuf_add(struct strbuf *b, const char *data, size_t n);
/** strbuf_addf() - append printf-style text. */
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * strbuf_add_field() - append @s as one whitespace-free field: every byte <= 0x20, 0x7f and
 * '\\' becomes "\\xHH" (see textfield_unescape()).
 */
void strbuf_add_field(struct strbuf *b, const char *s);
/** strbuf_str() - the text so far ("" when nothing was appended). */
const char *strbuf_str(const struct strbuf *b);
/** strbuf_free() - release the buffer; it can be used again afterwards. */
void strbuf_free(struct strbuf *b);

/**
 * textfield_unescape() - decode a field written by strbuf_add_field() (@n bytes at @s).
 * Returns a malloc'd string, or NULL if the field is empty, holds a raw byte that should
 * have been escaped, an invalid "\\" sequence, or an escaped NUL.
 */
char *textfield_unescape(const char *s, size_t n);

/**
 * textfield_number() - a decimal number filling all @n bytes of @s: digits only, at most 19,
 * within 0..LLONG_MAX (a 19-digit time or mtime beyond it was a signed overflow: found by
 * fuzz_job and fuzz_manifest). Returns false, with *out untouched, otherwise.
 */
bool textfield_number(const char *s, size_t n, long long *out);

#endif
