/* SPDX-License-Identifier: MIT */
/* JSON-RPC error objects as zinit 0.2.28 builds them: its message prefixes and data; pure. */
#include "ctl_rpcerr.h"

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* zinit's ACTION per method (rpc.rs), the message's prefix and data's "action". */
static const char *const actions[] = {
	[CTL_M_LIST] = "listing services",
	[CTL_M_STATUS] = "getting status",
	[CTL_M_START] = "starting service",
	[CTL_M_STOP] = "stopping service",
	[CTL_M_RESTART] = "restarting service", /* ours: zinit's CLI restarts by stop and start */
	[CTL_M_MONITOR] = "monitoring service",
	[CTL_M_FORGET] = "forgetting service",
	[CTL_M_KILL] = "sending signal",
	[CTL_M_STATS] = "collecting stats",
	[CTL_M_SHUTDOWN] = "system shutdown",
	[CTL_M_REBOOT] = "system reboot",
	[CTL_M_CREATE] = "creating service",
	[CTL_M_DELETE] = "deleting service",
	[CTL_M_GET] = "getting service",
};

/* What zinit_err_to_rpc() makes of an error: code_name, WHAT (PRE, then the name and POST
 * when POST is set), retryable, hint. */
struct kind {
	enum ctl_err err;
	const char *code_name, *pre, *post;
	bool retryable;
	const char *hint;
};

#define HINT_DEFAULT "Enable verbose logs and inspect cause_chain for details"

static const struct kind kinds[] = {
	{ CTL_E_NOT_FOUND, "ServiceNotFound", "service '", "' not found", false,
	  "Ensure the service is monitored or the name is correct" },
	{ CTL_E_MONITORED, "ServiceAlreadyMonitored", "service '", "' already monitored", true,
	  "The service is already monitored; call service_forget or control it with start/stop" },
	{ CTL_E_UP, "ServiceIsUp", "service '", "' is up", false,
	  "Service is already up; use service_stop or restart" },
	{ CTL_E_DOWN, "ServiceIsDown", "service '", "' is down", true,
	  "Service is down; start it before sending signals or requesting stats" },
	{ CTL_E_SHUTTING_DOWN, "ShuttingDown", "system is shutting down", NULL, false,
	  "Wait for shutdown to complete or avoid mutating operations during shutdown" },
	{ CTL_E_INTERNAL, "InternalError", "internal error", NULL, false, HINT_DEFAULT },
};

/* The errors zinit builds by hand: their own message (PRE, then the name, or the signal for
 * an invalid one, and POST when POST is set) and data of four keys, "service" (or "signal")
 * beside action, code_name and hint. */
struct special {
	enum ctl_method method;
	enum ctl_err err;
	const char *pre, *post;
	const char *action, *code_name, *hint;
};

/* zinit refuses '/', '\' and '.' in a name; we refuse what config_name_problem() names. */
#define HINT_NAME "Name must not be empty, . or .., contain '/' or control characters"
#define HINT_FILE "Check permissions and filesystem availability"

static const struct special specials[] = {
	{ CTL_M_KILL, CTL_E_SIGNAL, "parsing signal: invalid signal '", "'", "parsing signal",
	  "InvalidSignal", "Use a valid POSIX signal like SIGTERM or SIGKILL" },
	{ CTL_M_MONITOR, CTL_E_INVALID_PARAMS, "monitoring service: invalid service name '", "'",
	  "monitoring service", "InvalidServiceName", HINT_NAME },
	{ CTL_M_MONITOR, CTL_E_CONFIG, "monitoring service: failed to load '", ".yaml'",
	  "loading service config", "ConfigError", "Verify the YAML file exists and is valid" },
	{ CTL_M_CREATE, CTL_E_INVALID_PARAMS, "creating service: invalid service name '", "'",
	  "creating service", "InvalidServiceName", HINT_NAME },
	{ CTL_M_CREATE, CTL_E_EXISTS, "creating service: Service '", "' already exists",
	  "creating service file", "ServiceAlreadyExists",
	  "Use a different name or delete the existing service first" },
	{ CTL_M_CREATE, CTL_E_CONFIG, "creating service: failed to convert content to YAML", NULL,
	  "serializing service config", "ConfigError",
	  "Ensure content is valid according to schema" },
	{ CTL_M_CREATE, CTL_E_FILE, "creating service file: failed to create service file", NULL,
	  "creating service file", "ServiceFileError", HINT_FILE },
	{ CTL_M_DELETE, CTL_E_INVALID_PARAMS, "deleting service: invalid service name '", "'",
	  "deleting service", "InvalidServiceName", HINT_NAME },
	{ CTL_M_DELETE, CTL_E_NOT_FOUND, "deleting service: Service '", "' not found",
	  "deleting service file", "ServiceNotFound", "Ensure the service file exists" },
	{ CTL_M_DELETE, CTL_E_FILE, "deleting service file: failed to delete service file", NULL,
	  "deleting service file", "ServiceFileError", HINT_FILE },
	{ CTL_M_GET, CTL_E_INVALID_PARAMS, "getting service: invalid service name '", "'",
	  "getting service", "InvalidServiceName", HINT_NAME },
	{ CTL_M_GET, CTL_E_NOT_FOUND, "getting service: Service '", "' not found",
	  "reading service file", "ServiceNotFound", "Ensure the service file exists" },
	{ CTL_M_GET, CTL_E_FILE, "reading service file: failed to read service file", NULL,
	  "reading service file", "ServiceFileError", HINT_FILE },
	{ CTL_M_GET, CTL_E_CONFIG, "getting service: failed to parse YAML", NULL,
	  "parsing service file", "ConfigError", "Ensure the YAML is valid" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *action_of(enum ctl_method m)
{
	return (size_t)m < COUNT(actions) ? actions[m] : NULL;
}

static const struct kind *kind_of(enum ctl_err err)
{
	for (size_t i = 0; i < COUNT(kinds); i++)
		if (kinds[i].err == err)
			return &kinds[i];
	return NULL;
}

static const struct special *special_of(enum ctl_method m, enum ctl_err err)
{
	for (size_t i = 0; i < COUNT(specials); i++)
		if (specials[i].method == m && specials[i].err == err)
			return &specials[i];
	return NULL;
}

/* The text of the errors that carry no data: the protocol's (jsonrpsee's words) and ours. */
static const char *plain_text(enum ctl_err err)
{
	switch (err) {
	case CTL_E_OVER_BUDGET:
		return CTL_OVER_BUDGET_TEXT;
	case CTL_E_PARSE:
		return "Parse error";
	case CTL_E_INVALID_REQUEST:
		return "Invalid Request";
	case CTL_E_NO_METHOD:
		return "Method not found";
	case CTL_E_INVALID_PARAMS:
		return "Invalid params";
	default:
		return "internal error";
	}
}

/* {code, message: PREFIX PRE [ARG POST]} and, when @data is set, data (taken). */
static json_t *error_object(enum ctl_err err, const char *prefix, const char *pre,
			    const char *arg, const char *post, json_t *data)
{
	struct strbuf m = { 0 };
	if (prefix) {
		strbuf_addstr(&m, prefix);
		strbuf_addstr(&m, ": ");
	}
	strbuf_addstr(&m, pre);
	if (post) {
		strbuf_addstr(&m, arg ? arg : "");
		strbuf_addstr(&m, post);
	}
	json_t *e = json_pack("{s:i, s:s}", "code", (int)err, "message", strbuf_str(&m));
	strbuf_free(&m);
	if (data)
		json_object_set_new(e, "data", data);
	return e;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* zinit_err_to_rpc(): the generic shape, cause_chain null (zinit's errors have no source). */
static json_t *generic_error(const struct ctl_failure *f, const char *action,
			     const struct kind *k)
{
	json_t *data = json_pack("{s:s, s:n, s:s, s:s, s:b, s:o}", "action", action,
				 "cause_chain", "code_name", k->code_name, "hint", k->hint,
				 "retryable", k->retryable, "service", string_or_null(f->name));
	return error_object(k->err, action, k->pre, f->name, k->post, data);
}

/* zinit's four keys, and ours: cause_chain [@f->cause] when zinit's message does not say why
 * (monitor of a unit file that does not load: zinit puts the reason in its log only). */
static json_t *special_error(const struct ctl_failure *f, const struct special *s)
{
	bool sig = s->err == CTL_E_SIGNAL;
	const char *arg = sig ? f->signal : f->name;
	json_t *data = json_pack("{s:s}", "action", s->action);
	if (f->cause)
		json_object_set_new(data, "cause_chain", json_pack("[s]", f->cause));
	json_object_set_new(data, "code_name", json_string(s->code_name));
	json_object_set_new(data, "hint", json_string(s->hint));
	json_object_set_new(data, sig ? "signal" : "service", string_or_null(arg));
	return error_object(s->err, NULL, s->pre, arg, s->post, data);
}

json_t *ctl_rpcerr_new(const struct ctl_failure *f, enum ctl_err err)
{
	const struct special *s = f ? special_of(f->method, err) : NULL;
	const char *action = f ? action_of(f->method) : NULL;
	const struct kind *k = kind_of(err);
	if (s)
		return special_error(f, s);
	if (action && k)
		return generic_error(f, action, k);
	return error_object(err, NULL, plain_text(err), NULL, NULL, NULL);
}
