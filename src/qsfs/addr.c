/* SPDX-License-Identifier: MIT */
/* Where a RESP server or a unix socket is: "HOST:PORT", "[V6ADDR]:PORT" or "unix:PATH" (pure). */
#include "qsfs/addr.h"

#include <errno.h>
#include <string.h>

#define UNIX_PREFIX "unix:"

static int invalid(const char **why, const char *reason)
{
	*why = reason;
	return -EINVAL;
}

int qsfs_addr_unix(const char *path, struct qsfs_addr *a, const char **why)
{
	size_t n = strlen(path);
	if (n == 0)
		return invalid(why, "empty socket path");
	if (n > QSFS_ADDR_PATH_MAX)
		return invalid(why, "socket path longer than 107 bytes");
	memset(a, 0, sizeof(*a));
	a->kind = QSFS_ADDR_UNIX;
	memcpy(a->path, path, n + 1);
	return 0;
}

/* A decimal port 1..65535: digits only, no sign, no blanks. */
static int parse_port(const char *s, int *port)
{
	long v = 0;
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return -EINVAL;
	}
	if (v == 0)
		return -EINVAL;
	*port = (int)v;
	return 0;
}

/* A host name or address: printable, no blanks, no '/', no '[' or ']' left over. */
static int host_ok(const char *h, size_t n, int colons_allowed)
{
	if (n == 0 || n > QSFS_ADDR_HOST_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c <= ' ' || c >= 0x7f || c == '/' || c == '[' || c == ']')
			return 0;
		if (c == ':' && !colons_allowed)
			return 0;
	}
	return 1;
}

int qsfs_addr_parse(const char *text, struct qsfs_addr *a, const char **why)
{
	if (strncmp(text, UNIX_PREFIX, strlen(UNIX_PREFIX)) == 0)
		return qsfs_addr_unix(text + strlen(UNIX_PREFIX), a, why);
	const char *host = text, *colon;
	size_t hlen;
	int bracketed = text[0] == '[';
	if (bracketed) {
		const char *close = strchr(text, ']');
		if (!close)
			return invalid(why, "no ']' after the IPv6 address");
		if (close[1] != ':')
			return invalid(why, "no ':PORT' after ']'");
		host = text + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return invalid(why, "expected HOST:PORT or unix:PATH");
		hlen = (size_t)(colon - text);
		if (memchr(text, ':', hlen))
			return invalid(why, "an IPv6 address needs brackets: [ADDR]:PORT");
	}
	if (!host_ok(host, hlen, bracketed))
		return invalid(why, "bad host");
	int port;
	if (parse_port(colon + 1, &port) < 0)
		return invalid(why, "the port must be a number from 1 to 65535");
	memset(a, 0, sizeof(*a));
	a->kind = QSFS_ADDR_TCP;
	memcpy(a->host, host, hlen);
	a->port = port;
	return 0;
}
