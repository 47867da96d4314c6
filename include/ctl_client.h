/* SPDX-License-Identifier: MIT */
/* A blocking JSON-RPC client of the control socket, for the CLI: no event loop. */
#ifndef ZINIT_CTL_CLIENT_H
#define ZINIT_CTL_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#include "strbuf.h"

struct ctl_client {
	int fd;
	char *buf;        /* received, not yet returned */
	size_t len, cap;
	struct strbuf out; /* requests queued, not yet written */
	int next_id;
};

/**
 * ctl_client_connect() - connect to @path. On failure @err says what went wrong and what
 * to check, e.g. that nothing listens there. Return: 0 or a negative errno.
 */
int ctl_client_connect(struct ctl_client *c, const char *path, char *err, size_t errlen);

/** ctl_client_queue() - queue a request for @method with @params (taken; NULL: none), to go
 * out with the next ctl_client_send() in the same write, so zinit reads them in one go.
 * Return: its id. */
int ctl_client_queue(struct ctl_client *c, const char *method, json_t *params);

/** ctl_client_send() - send the queued requests and one for @method with @params (taken; NULL:
 * none). Return: its id, or -errno when they could not be written whole (zinit closed the
 * connection). */
int ctl_client_send(struct ctl_client *c, const char *method, json_t *params);

/**
 * ctl_client_error_text() - a JSON-RPC error as the CLI says it: its message, then ": " and
 * each string of data.cause_chain (why zinit failed, where it says: a unit file's error).
 */
void ctl_client_error_text(const json_t *error, char *buf, size_t len);

/** ctl_client_read() - the next message from the server (new reference), NULL on EOF/error. */
json_t *ctl_client_read(struct ctl_client *c);

/**
 * ctl_client_call() - send a request and wait for its response.
 * Return: the result (new reference; JSON null for null), or NULL with @err filled from the
 * error's message (or the transport failure).
 */
json_t *ctl_client_call(struct ctl_client *c, const char *method, json_t *params, char *err,
			size_t errlen);

/** ctl_client_close() - close the connection. */
void ctl_client_close(struct ctl_client *c);

#endif
