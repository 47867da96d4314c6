/* SPDX-License-Identifier: MIT */
/* The fields of the QSFS state files (job files, manifests): escaped paths, numbers; pure. */
#ifndef QSFS_TEXTFIELD_H
#define QSFS_TEXTFIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/**
 * textfield_add() - append @s to @b as one whitespace-free field: every byte <= 0x20, 0x7f
 * and '\\' becomes "\\xHH" (see textfield_unescape()).
 */
void textfield_add(struct strbuf *b, const char *s);

/**
 * textfield_unescape() - decode a field written by textfield_add() (@n bytes at @s).
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
