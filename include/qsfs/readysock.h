/* SPDX-License-Identifier: MIT */
/* Ready sockets: a unix listener that says "ready" to `zinit probe unix PATH` while it lives. */
#ifndef QSFS_READYSOCK_H
#define QSFS_READYSOCK_H

/**
 * ready_listen() - listen on the unix socket @path (its directory made if missing; a file
 * left there, e.g. by a previous run, replaced): the fd (non-blocking, close-on-exec), or
 * -errno. The probe looks for a listener bound to the file, so a stale file never passes it.
 */
int ready_listen(const char *path);

/** ready_accept_all() - accept and close every pending connection (a connecting probe's). */
void ready_accept_all(int fd);

/** ready_close() - close the listener @fd (if >= 0) and remove @path: no longer ready. */
void ready_close(int fd, const char *path);

#endif
