/* SPDX-License-Identifier: MIT */
/* A growable text buffer, and the escaping of path fields in the QSFS state files. */
#include "qsfs/strbuf.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qsfs/hexdigit.h"
#include "xalloc.h"

static void reserve(struct strbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void strbuf_add(struct strbuf *b, const char *data, size_t n)
{
	reserve(b, n);
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_addf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static int needs_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '\\';
}

void strbuf_add_field(struct strbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (!needs_escape(*p)) {
			strbuf_add(b, (const char *)p, 1);
			continue;
		}
		char esc[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
		strbuf_add(b, esc, 4);
	}
}

const char *strbuf_str(const struct strbuf *b)
{
	return b->s ? b->s : "";
}

void strbuf_free(struct strbuf *b)
{
	free(b->s);
	*b = (struct strbuf){ 0 };
}

char *textfield_unescape(const char *s, size_t n)
{
	if (n == 0)
		return NULL;
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '\\') {
			if (needs_escape(c))
				goto bad;
			out[o++] = (char)c;
			continue;
		}
		if (n - i < 4 || s[i + 1] != 'x')
			goto bad;
		int hi = hex_digit_value(s[i + 2]), lo = hex_digit_value(s[i + 3]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			goto bad;
		out[o++] = (char)(hi << 4 | lo);
		i += 3;
	}
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

bool textfield_number(const char *s, size_t n, long long *out)
{
	if (n == 0 || n > 19)
		return false;
	long long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (LLONG_MAX - (s[i] - '0')) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}
