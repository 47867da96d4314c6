/* SPDX-License-Identifier: MIT */
/* JSON-RPC error objects as zinit 0.2.28 builds them: its message prefixes and data; pure. */
#ifndef ZINIT_CTL_RPCERR_H
#define ZINIT_CTL_RPCERR_H

#include <jansson.h>

#include "ctl_err.h"
#include "ctl_proto.h"

/* A method that failed, and the arguments its error names. */
struct ctl_failure {
	enum ctl_method method;
	const char *name;   /* the service; NULL when the method has none (service_list) */
	const char *signal; /* service_kill's signal as given */
	const char *cause;  /* why, beyond zinit's message (monitor: the unit file's error), or NULL */
};

/**
 * ctl_rpcerr_new() - the `error` member of the answer to a request that failed with @err.
 * @f: the method that failed; NULL when the request was refused before a method ran (the
 *     protocol's -32700, -32600, -32601, -32602 "Invalid params").
 *
 * zinit's errors (-32000 to -32008, -32603, and -32602 for a unit name a method refused) are
 * `{code, message, data}` as zinit 0.2.28 sends them (src/app/rpc.rs): the message is
 * "ACTION: WHAT" ("getting status: service 'x' not found"), data is
 * `{action, cause_chain, code_name, hint, retryable, service}` (serde_json's key order), or
 * the four keys zinit gives the errors it builds by hand (an invalid signal, a unit name or a
 * unit file). The protocol's errors and ours (-32050, -32051) are `{code, message}`, as
 * jsonrpsee sends its own.
 */
json_t *ctl_rpcerr_new(const struct ctl_failure *f, enum ctl_err err);

#endif
