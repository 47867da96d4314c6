/* SPDX-License-Identifier: MIT */
/* RESP (zdb, redis) connections through hiredis: bounded connect and commands, readable replies. */
#ifndef ZINIT_QSFS_RESP_H
#define ZINIT_QSFS_RESP_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stddef.h>

#include "qsfs/addr.h"

/**
 * qsfs_resp_connect() - a blocking hiredis connection to @a whose connect, and every command
 * after it, give up after @timeout_ms (at least 1 ms).
 * Return: the context, or NULL with the reason in @err (e.g. "Connection refused").
 */
redisContext *qsfs_resp_connect(const struct qsfs_addr *a, long timeout_ms, char *err,
				size_t errlen);

/** qsfs_resp_set_timeout() - bound the next commands of @c to @timeout_ms (at least 1 ms). */
int qsfs_resp_set_timeout(redisContext *c, long timeout_ms);

/** qsfs_resp_timed_out() - the last command of @c failed because no reply came in time. */
bool qsfs_resp_timed_out(const redisContext *c);

/**
 * qsfs_resp_describe() - @r as one line of text for a message: "+OK", "-ERR boom", ":3",
 * "$\"PONG\"", "*2 elements", "nil"; control bytes shown as '?', long text cut.
 */
void qsfs_resp_describe(const redisReply *r, char *out, size_t outlen);

#endif
