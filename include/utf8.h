/* SPDX-License-Identifier: MIT */
/* UTF-8 validation, for names and lines that must go into JSON; pure. */
#ifndef ZINIT_UTF8_H
#define ZINIT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/**
 * utf8_seq() - the length of the valid UTF-8 sequence at @p (at most @n bytes available),
 * or 0 if it is not one (overlong forms, surrogates and code points past U+10FFFF included).
 */
size_t utf8_seq(const unsigned char *p, size_t n);

/** utf8_valid() - whether the NUL-terminated @s is entirely valid UTF-8. */
bool utf8_valid(const char *s);

#endif
