/* SPDX-License-Identifier: MIT */
/* The control socket inside `zinit init`: both protocols, many clients, bounded per client. */
#ifndef ZINIT_CTL_SERVER_H
#define ZINIT_CTL_SERVER_H

#include <stddef.h>

#include <uv.h>

/* A connection with a partial request and no progress for this long is closed. */
#define CTL_STALL_TIMEOUT_MS 10000
/* Bytes waiting to be written to one client past which log lines to it are dropped... */
#define CTL_LOG_BACKLOG (256 * 1024)
/* ...and past which the client, not reading its answers, is disconnected. */
#define CTL_MAX_BACKLOG (4 * 1024 * 1024)
#define CTL_MAX_CLIENTS 256

/**
 * ctl_server_start() - listen on the unix socket @path (mode 0600; only root and zinit's own
 * uid may talk to it). The parent directory is created; a stale socket file is replaced,
 * but if a live zinit answers on @path this fails, writing why into @err.
 * Return: 0 or a negative errno.
 */
int ctl_server_start(uv_loop_t *loop, const char *path, char *err, size_t errlen);

/** ctl_server_close() - close the listener and every connection; remove the socket file. */
void ctl_server_close(void);

#endif
