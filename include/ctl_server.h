/* SPDX-License-Identifier: MIT */
/* The control socket inside `zinit init`: transport (protocols, clients, limits) and dispatch. */
#ifndef ZINIT_CTL_SERVER_H
#define ZINIT_CTL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "ctl_proto.h"

/* A connection with a partial request and no progress for this long is closed. */
#define CTL_STALL_TIMEOUT_MS 10000
/* Bytes waiting to be written to one client past which log lines to it are dropped... */
#define CTL_LOG_BACKLOG (256 * 1024)
/* ...and past which, besides its largest answer, the client, not reading its answers, is
 * disconnected. */
#define CTL_MAX_BACKLOG (4 * 1024 * 1024)
#define CTL_MAX_CLIENTS 256
/* What every control client together may hold in PID 1: partial requests read and answers
 * not yet written. Past it, the client holding the most is disconnected to make room (not the
 * one being answered), and log lines to followers are dropped (counted). */
#define CTL_MEMORY_BUDGET (32 * 1024 * 1024)
/* An answer this small is sent even past the budget; a larger one is then refused
 * ("try again") until the disconnected clients' memory is back. */
#define CTL_SMALL_ANSWER (64 * 1024)

/* One request in flight, whichever protocol carried it: where its answer goes. */
struct ctl_call;

/*
 * A method's handler. A synchronous one returns CTL_OK, with *@result (taken; NULL answers
 * null), or an error; the answer is sent at once. An asynchronous one returns an error
 * (answered at once), or CTL_OK once it has taken charge of @call: it then ends it later
 * with ctl_call_finish() or ctl_call_stream_log().
 */
typedef enum ctl_err (*ctl_handler_fn)(struct ctl_call *call, const struct ctl_request *req,
				       json_t **result);

/* One row of the method table. */
struct ctl_handler {
	enum ctl_method method;
	ctl_handler_fn run;
	bool async;
};

/**
 * ctl_call_set_cause() - why @call failed, beyond zinit's message (a unit file's error): a
 * JSON-RPC error then carries it in data.cause_chain, which the CLI prints.
 */
void ctl_call_set_cause(struct ctl_call *call, const char *cause);
/** ctl_call_finish() - answer @call: @result (taken) on CTL_OK, else the error @err. */
void ctl_call_finish(struct ctl_call *call, enum ctl_err err, json_t *result);
/**
 * ctl_call_subscribe() - send every log line matching @filter (NULL: all) from now on to the
 * caller's connection as JSON-RPC notifications, until it closes or unsubscribes.
 * Return: the subscription id, or 0 if the connection is already closing.
 */
uint64_t ctl_call_subscribe(struct ctl_call *call, const char *filter);
/** ctl_call_unsubscribe() - end the caller's subscription @id; false if it has none such. */
bool ctl_call_unsubscribe(struct ctl_call *call, json_int_t id);
/**
 * ctl_call_answer_log() - answer @call with the ring's lines matching @filter (NULL: all) as
 * a JSON array, written in 64 KiB pieces as the ring is walked instead of built whole. A
 * request in a batch gets the whole document built, as its answer goes inside the batch's,
 * or -32051 once the batch's answers would not fit the budget; a notification gets nothing
 * built. Ends @call.
 */
void ctl_call_answer_log(struct ctl_call *call, const char *filter);
/**
 * ctl_call_stream_log() - the line protocol's `log` (@follow) and `log snapshot`: the ring's
 * lines raw, then live lines or EOF. Ends @call without an answer.
 */
void ctl_call_stream_log(struct ctl_call *call, bool follow);

/**
 * ctl_server_start() - listen on the unix socket @path (mode 0600; only root and zinit's own
 * uid may talk to it) and serve the @n methods of @methods (kept, not copied). The parent
 * directory is created; a stale socket file is replaced, but if a live zinit answers on
 * @path this fails, writing why into @err.
 * Return: 0 or a negative errno.
 */
int ctl_server_start(uv_loop_t *loop, const char *path, const struct ctl_handler *methods,
		     size_t n, char *err, size_t errlen);

/**
 * ctl_server_end_followers() - zinit is exiting and every service line has been read: stop
 * listening (the socket file goes), and end every log subscription: each follower gets the
 * lines already queued for it, the count of those it missed, a last notification per JSON-RPC
 * subscription (ctl_rpc_log_end(): "zinit is exiting"), then EOF. @done is called once every
 * follower has been written all that (at once if there is none; possibly from inside this
 * call); a follower that does not read holds it up until ctl_server_close(), which the caller
 * bounds with its own deadline. Nothing more is read from an ended follower. A subscription
 * made afterwards (a client connected before) is ended as soon as it is answered. Other
 * clients are left alone.
 */
void ctl_server_end_followers(void (*done)(void));

/** ctl_server_close() - close the listener and every connection; remove the socket file. */
void ctl_server_close(void);

#endif
