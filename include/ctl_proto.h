/* SPDX-License-Identifier: MIT */
/* The control protocols, encoded and decoded: zinit's v0.2 line protocol and JSON-RPC 2.0; pure. */
#ifndef ZINIT_CTL_PROTO_H
#define ZINIT_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "ctl_err.h"

/* Limits on what one client may send. */
#define CTL_MAX_LINE 4096               /* a line-protocol command */
#define CTL_MAX_MESSAGE (1024 * 1024)   /* a JSON-RPC message or batch */
#define CTL_MAX_BATCH 128               /* requests in one batch */

enum ctl_method {
	CTL_M_LIST,
	CTL_M_STATUS,
	CTL_M_START,
	CTL_M_STOP,
	CTL_M_RESTART,
	CTL_M_MONITOR,
	CTL_M_FORGET,
	CTL_M_KILL,
	CTL_M_STATS,
	CTL_M_SHUTDOWN,
	CTL_M_REBOOT,
	CTL_M_HEALTH,
	CTL_M_DISCOVER,
	CTL_M_LOGS_CURRENT,     /* stream_currentLogs: a snapshot as an array */
	CTL_M_LOGS_SUBSCRIBE,   /* stream_subscribeLogs: live lines as notifications */
	CTL_M_LOGS_UNSUBSCRIBE,
	CTL_M_LOG_FOLLOW,       /* line protocol `log`: the ring, then live lines, raw */
	CTL_M_LOG_SNAPSHOT,     /* line protocol `log snapshot`: the ring, raw, then EOF */
	CTL_M_QSFS_STATUS,      /* qsfs_status: wait_hooks' status.json and its unit's state */
	CTL_M_CREATE,           /* service_create: a unit file written from JSON, not monitored */
	CTL_M_DELETE,           /* service_delete: the unit file removed, the service kept */
	CTL_M_GET,              /* service_get: the unit file as JSON */
};

/* One decoded request, whichever protocol carried it. */
struct ctl_request {
	enum ctl_method method;
	char *name;        /* service name or log filter; NULL when absent */
	char *signal;      /* kill: the signal name as given (default "SIGTERM") */
	json_t *id;        /* JSON-RPC id (a reference held), NULL on the line protocol */
	bool notification; /* JSON-RPC request without id: no reply */
	json_int_t sub;    /* unsubscribe: the subscription id */
	json_t *content;   /* service_create: the unit as a JSON object (a reference held) */
};

/** ctl_request_clear() - release what @req holds and zero it. */
void ctl_request_clear(struct ctl_request *req);

/**
 * ctl_err_from_errno() - the protocol error for the supervisor's @err (0 or a negative errno):
 * -ENOENT not found, -EEXIST already monitored, -EBUSY up, -ESRCH down, -ESHUTDOWN shutting
 * down, -EINVAL @invalid (what was invalid depends on the method), anything else internal.
 */
enum ctl_err ctl_err_from_errno(int err, enum ctl_err invalid);

/** ctl_is_jsonrpc() - whether a connection whose first non-blank byte is @c speaks JSON-RPC. */
static inline bool ctl_is_jsonrpc(char c)
{
	return c == '{' || c == '[';
}

/* ---- the v0.2 line protocol: one command, one JSON answer, EOF ---- */

/**
 * ctl_line_parse() - decode one command line, the @n bytes of @line (without its newline),
 * split like zinit.
 * Return: 0, or -1 with *@err set to zinit's error body: "invalid command syntax",
 * "unknown command", or "unknown command 'X' or wrong arguments count" (in @buf); or ours,
 * naming the first bad byte and its offset (in @buf): "the command contains a NUL byte (at
 * offset N)", "the command is not valid UTF-8 (byte 0xXX at offset N)".
 */
int ctl_line_parse(const char *line, size_t n, struct ctl_request *req, char *buf, size_t len,
		   const char **err);

/** ctl_line_ok() - `{"state":"ok","body":BODY}` (malloc'd); takes @body (NULL: null). */
char *ctl_line_ok(json_t *body);
/** ctl_line_error() - `{"state":"error","body":"MSG"}` (malloc'd). */
char *ctl_line_error(const char *msg);
/** ctl_line_error_text() - zinit v0.2's message for @err about service @name, in @buf. */
const char *ctl_line_error_text(enum ctl_err err, const char *name, char *buf, size_t len);

/* ---- JSON-RPC 2.0: framed by bracket balance, answers end in "\n" ---- */

/* Finds message boundaries in a byte stream; zero-initialise, reset after each message. */
struct ctl_framer {
	size_t pos;     /* bytes of the buffer already scanned */
	size_t start;   /* where the current message starts */
	int depth;
	size_t items;   /* a batch: top-level elements begun so far */
	bool started, in_string, escaped, batch;
};

/**
 * ctl_frame() - scan @buf (the bytes received and not yet consumed; the same buffer grows
 * between calls) for the end of the first JSON value.
 * Return: its length counted from *@start, 0 if more bytes are needed, -1 if the stream
 * does not start with '{' or '[' (after blanks), or -E2BIG as soon as a batch has more than
 * CTL_MAX_BATCH elements (refused before the rest is read).
 */
long ctl_frame(struct ctl_framer *f, const char *buf, size_t len, size_t *start);

/**
 * ctl_rpc_parse() - decode one JSON-RPC request object @msg.
 * Return: 0, or an error code with *@message set (a static string) for an error reply.
 */
int ctl_rpc_parse(json_t *msg, struct ctl_request *req, const char **message);

/** ctl_rpc_result() - a response object; takes @result (NULL: null). */
json_t *ctl_rpc_result(json_t *id, json_t *result);
/** ctl_rpc_error() - an error response object with code and message. */
json_t *ctl_rpc_error(json_t *id, int code, const char *message);
/** ctl_rpc_error_with() - an error response object; takes @error (ctl_rpcerr_new()'s). */
json_t *ctl_rpc_error_with(json_t *id, json_t *error);
/** ctl_rpc_log_notification() - a stream_subscribeLogs notification carrying @line. */
json_t *ctl_rpc_log_notification(json_int_t sub, const char *line, size_t len);
/**
 * ctl_rpc_log_end() - the last notification of subscription @sub: the server ends it, for
 * @reason. The shape jsonrpsee gives a subscription the server closes (params `subscription`
 * and `error`), so that its clients end the subscription instead of taking it for a line.
 */
json_t *ctl_rpc_log_end(json_int_t sub, const char *reason);

/**
 * ctl_rpc_array_open() - the start of a response whose result is an array, up to and with
 * its '[': what ctl_encode(ctl_rpc_result(@id, array)) writes before the first element, so
 * that an answer can be written element by element (each ctl_encode()d, ',' between them)
 * and closed with CTL_RPC_ARRAY_CLOSE. Malloc'd; *@len is its length.
 */
char *ctl_rpc_array_open(json_t *id, size_t *len);
#define CTL_RPC_ARRAY_CLOSE "]}\n"
/** ctl_encode() - @value as compact JSON, malloc'd, with a "\n" if @newline. */
char *ctl_encode(const json_t *value, bool newline, size_t *len);

/**
 * ctl_json_line() - a JSON string holding @line; bytes that are not valid UTF-8 become
 * U+FFFD, so binary output cannot break the protocol.
 */
json_t *ctl_json_line(const char *line, size_t len);

/* ---- shapes shared by the server and the CLI ---- */

struct ctl_dep {
	const char *name;
	const char *state;  /* "Unknown" for a name that is not a unit */
};

struct ctl_status {
	const char *name;
	pid_t pid;          /* 0 when not running */
	const char *state;  /* as svc_state_format() */
	bool target_up;
	const struct ctl_dep *after;
	size_t nafter;
};

/** ctl_status_json() - {name, pid, state, target, after: {dep: state}}, zinit's key order. */
json_t *ctl_status_json(const struct ctl_status *st);

/** ctl_discover() - the OpenRPC document describing our methods. */
json_t *ctl_discover(void);

#endif
