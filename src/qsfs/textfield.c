/* SPDX-License-Identifier: MIT */
/* The fields of the QSFS state files: escaped paths, decimal numbers. */
#include "qsfs/textfield.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "qsfs/hexdigit.h"
#include "xalloc.h"

static int needs_escape(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '\\';
}

void textfield_add(struct strbuf *b, const char *s)
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
