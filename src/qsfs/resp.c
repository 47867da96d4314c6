/* SPDX-License-Identifier: MIT */
/* RESP (zdb, redis) connections through hiredis: bounded connect and commands, readable replies. */
#include "qsfs/resp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#define DESCRIBE_MAX 200 /* bytes of a reply's text kept in a message */

static struct timeval to_timeval(long ms)
{
	if (ms < 1)
		ms = 1; /* 0 would mean "no timeout" to hiredis */
	return (struct timeval){ .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
}

redisContext *qsfs_resp_connect(const struct qsfs_addr *a, long timeout_ms, char *err,
				size_t errlen)
{
	struct timeval tv = to_timeval(timeout_ms);
	redisContext *c = a->kind == QSFS_ADDR_UNIX ? redisConnectUnixWithTimeout(a->path, tv)
						    : redisConnectWithTimeout(a->host, a->port, tv);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (c->err || redisSetTimeout(c, tv) != REDIS_OK) {
		snprintf(err, errlen, "%s", c->errstr[0] ? c->errstr : "cannot connect");
		redisFree(c);
		return NULL;
	}
	return c;
}

int qsfs_resp_set_timeout(redisContext *c, long timeout_ms)
{
	return redisSetTimeout(c, to_timeval(timeout_ms)) == REDIS_OK ? 0 : -EIO;
}

bool qsfs_resp_timed_out(const redisContext *c)
{
	/* hiredis reports a read or write that hit SO_RCVTIMEO/SO_SNDTIMEO as an I/O error
	 * carrying EAGAIN's text. */
	return c->err == REDIS_ERR_IO && (strcmp(c->errstr, strerror(EAGAIN)) == 0 ||
					  strcmp(c->errstr, strerror(EWOULDBLOCK)) == 0);
}

/* Copies @len bytes of @s, control and non-ASCII bytes as '?', cut at DESCRIBE_MAX. */
static void printable(const char *s, size_t len, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < len && i < DESCRIBE_MAX && o + 1 < outlen; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[o++] = ch < ' ' || ch >= 0x7f ? '?' : (char)ch;
	}
	out[o] = '\0';
}

void qsfs_resp_describe(const redisReply *r, char *out, size_t outlen)
{
	char text[DESCRIBE_MAX + 1];
	switch (r->type) {
	case REDIS_REPLY_STATUS:
	case REDIS_REPLY_ERROR:
		printable(r->str, r->len, text, sizeof(text));
		snprintf(out, outlen, "%c%s", r->type == REDIS_REPLY_STATUS ? '+' : '-', text);
		break;
	case REDIS_REPLY_STRING:
		printable(r->str, r->len, text, sizeof(text));
		snprintf(out, outlen, "$\"%s\"", text);
		break;
	case REDIS_REPLY_INTEGER:
		snprintf(out, outlen, ":%lld", r->integer);
		break;
	case REDIS_REPLY_ARRAY:
		snprintf(out, outlen, "*%zu elements", r->elements);
		break;
	default:
		snprintf(out, outlen, "nil");
		break;
	}
}
