/* SPDX-License-Identifier: MIT */
/* zinit's own messages: one line "zinit: LEVEL message" on stdout. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "utf8.h"

static bool debug_on;

void log_set_debug(bool on)
{
	debug_on = on;
}

/* put_escape() - @esc at @out + *@o if it fits before the last byte of @cap; false if not. */
static bool put_escape(char *out, size_t cap, size_t *o, const char *esc, size_t n)
{
	if (*o + n >= cap)
		return false;
	memcpy(out + *o, esc, n);
	*o += n;
	return true;
}

size_t log_escape(const char *in, size_t len, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, o = 0;
	char esc[8];

	if (cap == 0)
		return 0;
	while (i < len) {
		size_t seq = p[i] < 0x80 ? 1 : utf8_seq(p + i, len - i);
		bool ok;

		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f || (seq == 0 && p[i] < 0xa0)) {
			snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
			ok = put_escape(out, cap, &o, esc, 4);
			seq = 1;
		} else if (seq == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
			snprintf(esc, sizeof(esc), "\\u%04x", p[i + 1]);
			ok = put_escape(out, cap, &o, esc, 6);
		} else {
			seq = seq ? seq : 1; /* another byte of invalid UTF-8: as it is */
			ok = put_escape(out, cap, &o, in + i, seq);
		}
		if (!ok)
			break;
		i += seq;
	}
	out[o] = '\0';
	return o;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "ERROR", "WARN", "INFO", "DEBUG" };
	if (level == LOG_DEBUG && !debug_on)
		return;
	char line[4096];
	int n = snprintf(line, sizeof(line), "zinit: %s ", names[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	char shown[sizeof(line)];
	output_note(1, shown, log_escape(line, len, shown, sizeof(shown)));
}
