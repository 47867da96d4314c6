/* SPDX-License-Identifier: MIT */
/* zinit's own messages: one line "zinit: LEVEL message" on stdout. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

static bool debug_on;

void log_set_debug(bool on)
{
	debug_on = on;
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
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	output_note(1, line, len);
}
