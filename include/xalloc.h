/* SPDX-License-Identifier: MIT */
/* Allocation helpers that abort() on failure, so callers never check for NULL. */
#ifndef ZINIT_XALLOC_H
#define ZINIT_XALLOC_H

#include <stddef.h>

/** xmalloc() - malloc(@n) (at least one byte); abort() if memory is exhausted. */
void *xmalloc(size_t n);
/** xcalloc() - calloc(@nmemb, @size) (at least one byte); abort() on failure or overflow. */
void *xcalloc(size_t nmemb, size_t size);
/** xrealloc() - realloc(@p, @n) (at least one byte); abort() if memory is exhausted. */
void *xrealloc(void *p, size_t n);
/** xstrdup() - a malloc'd copy of @s; abort() if memory is exhausted. */
char *xstrdup(const char *s);
/** xstrndup() - a malloc'd copy of at most @n bytes of @s, NUL-terminated; abort() on failure. */
char *xstrndup(const char *s, size_t n);

#endif
