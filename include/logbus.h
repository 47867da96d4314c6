/* SPDX-License-Identifier: MIT */
/* Where every service line goes: the ring of recent lines and the live subscribers; pure. */
#ifndef ZINIT_LOGBUS_H
#define ZINIT_LOGBUS_H

#include <stddef.h>
#include <stdint.h>

/* Receives a line (not NUL-terminated), already prefixed "[+] NAME: ". */
typedef void (*logbus_fn)(void *ctx, const char *line, size_t len);

/** logbus_init() - keep the last @ring_lines lines, @ring_bytes bytes at most. */
void logbus_init(size_t ring_lines, size_t ring_bytes);
/** logbus_close() - drop the ring and every subscriber. */
void logbus_close(void);
/**
 * logbus_push() - store @pre followed by @line (a service's prefix and line) in the ring as
 * one line, and hand it to every subscriber.
 */
void logbus_push(const char *pre, size_t plen, const char *line, size_t len);
/** logbus_bytes() - the bytes of the lines the ring holds. */
size_t logbus_bytes(void);
/** logbus_snapshot() - call @fn for every line in the ring, oldest first. */
void logbus_snapshot(logbus_fn fn, void *ctx);
/** logbus_subscribe() - call @fn(@ctx, ...) for every line pushed from now on. Return: an id > 0. */
uint64_t logbus_subscribe(logbus_fn fn, void *ctx);
/** logbus_unsubscribe() - stop a subscription; unknown ids are ignored. Safe inside @fn. */
void logbus_unsubscribe(uint64_t id);

/**
 * logbus_line_matches() - whether @line belongs to service @name as zinit filters: the
 * text after the 4-byte "[+] " tag starts with "NAME:" (so "x" matches neither "x/test" nor
 * "xy"). A NULL @name matches every line.
 */
int logbus_line_matches(const char *line, size_t len, const char *name);

#endif
