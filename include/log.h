/* SPDX-License-Identifier: MIT */
/* zinit's own messages: one line "zinit: LEVEL message" on stdout. */
#ifndef ZINIT_LOG_H
#define ZINIT_LOG_H

#include <stdbool.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/** log_set_debug() - whether DEBUG lines are printed (`zinit -d`). */
void log_set_debug(bool on);

/** log_msg() - print one line "zinit: LEVEL message"; newlines in it are replaced by spaces. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
