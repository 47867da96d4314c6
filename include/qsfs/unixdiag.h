/* SPDX-License-Identifier: MIT */
/* The kernel's list of unix sockets (sock_diag): request and answer, no I/O (pure). */
#ifndef ZINIT_QSFS_UNIXDIAG_H
#define ZINIT_QSFS_UNIXDIAG_H

#include <stddef.h>
#include <stdint.h>

/* What unixdiag_request() writes: a netlink header and a unix_diag_req. */
#define UNIXDIAG_REQUEST_BYTES 40

/**
 * unixdiag_request() - the NETLINK_SOCK_DIAG request that lists the unix sockets of the
 * caller's network namespace that listen or are not connected, each with the file it is
 * bound to (UDIAG_SHOW_VFS): a socket bound to the file but not listening yet is told apart
 * from one the list does not have (in another network namespace, or a stale file). The
 * server's accepted connections, which carry its file too, are left out (ESTABLISHED).
 * Writes UNIXDIAG_REQUEST_BYTES bytes to @buf.
 */
void unixdiag_request(unsigned char buf[UNIXDIAG_REQUEST_BYTES]);

/* What one datagram of the answer says of the file's socket. */
enum unixdiag_verdict {
	UNIXDIAG_MORE = 0,          /* not in this datagram; more follow */
	UNIXDIAG_LISTENING = 1,     /* found, listening */
	UNIXDIAG_ABSENT = 2,        /* the answer ended (NLMSG_DONE) without it */
	UNIXDIAG_NOT_LISTENING = 3, /* found, bound but not listening (listen() not called yet) */
};

/**
 * unixdiag_scan() - look through one datagram of the answer for a socket bound to the file
 * (@dev, @ino), as stat(2) gives them (the kernel reports the device in its own encoding and
 * the low 32 bits of the inode number).
 * Return: an enum unixdiag_verdict, or -errno for an error answer or a malformed datagram.
 */
int unixdiag_scan(const void *buf, size_t len, uint64_t dev, uint64_t ino);

#endif
