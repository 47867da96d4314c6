/* SPDX-License-Identifier: MIT */
/* zinit's own messages: one line "zinit: LEVEL message" on stdout. */
#ifndef ZINIT_LOG_H
#define ZINIT_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/** log_set_debug() - whether DEBUG lines are printed (`zinit -d`). */
void log_set_debug(bool on);

/** log_msg() - print one line "zinit: LEVEL message", escaped by log_escape(). */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * log_escape() - @len bytes of @in into @out (@cap bytes, NUL-terminated) with what a terminal
 * would act on made visible: every C0 control byte but tab, and DEL, as "\xNN" (a newline is
 * "\x0a": no message can start a line of its own), a UTF-8 encoded C1 control (U+0080 to
 * U+009F) as "\u0080".."\u009f", and a byte 0x80-0x9f that is not part of valid UTF-8 (a C1
 * control to an 8-bit terminal) as "\xNN". Other bytes pass unchanged; an escape never is cut
 * in two. Returns the length written.
 */
size_t log_escape(const char *in, size_t len, char *out, size_t cap);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
