/* SPDX-License-Identifier: MIT */
/* Where a RESP server or a unix socket is: "HOST:PORT", "[V6ADDR]:PORT" or "unix:PATH" (pure). */
#ifndef ZINIT_QSFS_ADDR_H
#define ZINIT_QSFS_ADDR_H

#define QSFS_ADDR_HOST_MAX 255 /* a DNS name's maximum length */
#define QSFS_ADDR_PATH_MAX 107 /* sizeof(sockaddr_un.sun_path) - 1: no truncation, no abstract */

enum qsfs_addr_kind { QSFS_ADDR_TCP, QSFS_ADDR_UNIX };

struct qsfs_addr {
	enum qsfs_addr_kind kind;
	char host[QSFS_ADDR_HOST_MAX + 1]; /* TCP: a name or an address, without brackets */
	int port;                          /* TCP: 1..65535 */
	char path[QSFS_ADDR_PATH_MAX + 1]; /* UNIX: the socket's path */
};

/**
 * qsfs_addr_parse() - parse "HOST:PORT", "[V6ADDR]:PORT" or "unix:PATH" into @a.
 * An IPv6 address needs its brackets ("::1:9900" is ambiguous); PORT is decimal, 1..65535.
 * Return: 0, or -EINVAL with *@why saying what is wrong (a static string).
 */
int qsfs_addr_parse(const char *text, struct qsfs_addr *a, const char **why);

/**
 * qsfs_addr_unix() - a unix-socket address for @path: non-empty, at most QSFS_ADDR_PATH_MAX
 * bytes. Return: 0, or -EINVAL with *@why set.
 */
int qsfs_addr_unix(const char *path, struct qsfs_addr *a, const char **why);

#endif
