/* SPDX-License-Identifier: MIT */
/* The control protocols, encoded and decoded: zinit's v0.2 line protocol and JSON-RPC 2.0; pure. */
#include "ctl_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "utf8.h"
#include "xalloc.h"

void ctl_request_clear(struct ctl_request *req)
{
	free(req->name);
	free(req->signal);
	json_decref(req->id);
	json_decref(req->content);
	*req = (struct ctl_request){ 0 };
}

enum ctl_err ctl_err_from_errno(int err, enum ctl_err invalid)
{
	switch (err) {
	case 0:
		return CTL_OK;
	case -ENOENT:
		return CTL_E_NOT_FOUND;
	case -EEXIST:
		return CTL_E_MONITORED;
	case -EBUSY:
		return CTL_E_UP;
	case -ESRCH:
		return CTL_E_DOWN;
	case -ESHUTDOWN:
		return CTL_E_SHUTTING_DOWN;
	case -EINVAL:
		return invalid;
	default:
		return CTL_E_INTERNAL;
	}
}

/* ---- line protocol ---------------------------------------------------------------------- */

struct line_cmd {
	const char *verb;
	enum ctl_method method;
	int nargs; /* -1: any number, ignored */
};

static const struct line_cmd line_cmds[] = {
	{ "list", CTL_M_LIST, -1 },       { "status", CTL_M_STATUS, 1 },
	{ "start", CTL_M_START, 1 },      { "stop", CTL_M_STOP, 1 },
	{ "forget", CTL_M_FORGET, 1 },    { "monitor", CTL_M_MONITOR, 1 },
	{ "kill", CTL_M_KILL, 2 },        { "shutdown", CTL_M_SHUTDOWN, -1 },
	{ "reboot", CTL_M_REBOOT, -1 },   { "log", CTL_M_LOG_FOLLOW, -1 },
};

static int line_log(char **argv, size_t argc, struct ctl_request *req, const char **err)
{
	if (argc == 1)
		return 0;
	if (argc == 2 && strcmp(argv[1], "snapshot") == 0) {
		req->method = CTL_M_LOG_SNAPSHOT;
		return 0;
	}
	*err = "invalid log command arguments";
	return -1;
}

/* Why the @n bytes of @line cannot be a command (a NUL byte, bytes that are not UTF-8), in
 * @buf; NULL if they can. The first problem is named, with its offset. */
static const char *line_problem(const char *line, size_t n, char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)line;
	for (size_t i = 0, k; i < n; i += k) {
		if (u[i] == '\0') {
			snprintf(buf, len, "the command contains a NUL byte (at offset %zu)", i);
			return buf;
		}
		if ((k = utf8_seq(u + i, n - i)) == 0) {
			snprintf(buf, len, "the command is not valid UTF-8 (byte 0x%02x at offset %zu)",
				 u[i], i);
			return buf;
		}
	}
	return NULL;
}

int ctl_line_parse(const char *line, size_t n, struct ctl_request *req, char *buf, size_t len,
		   const char **err)
{
	char **argv;
	size_t argc;
	*req = (struct ctl_request){ 0 };
	if ((*err = line_problem(line, n, buf, len)))
		return -1;
	char *text = xstrndup(line, n); /* no NUL inside: the whole command */
	int split = cmdline_split(text, &argv, &argc);
	free(text);
	if (split < 0) {
		*err = "invalid command syntax";
		return -1;
	}
	int r = -1;
	if (argc == 0) {
		*err = "unknown command";
		goto out;
	}
	for (size_t i = 0; i < sizeof(line_cmds) / sizeof(line_cmds[0]); i++) {
		const struct line_cmd *c = &line_cmds[i];
		if (strcmp(argv[0], c->verb) != 0 || (c->nargs >= 0 && argc != (size_t)c->nargs + 1))
			continue;
		req->method = c->method;
		if (c->nargs >= 1)
			req->name = xstrdup(argv[1]);
		if (c->nargs >= 2)
			req->signal = xstrdup(argv[2]);
		r = c->method == CTL_M_LOG_FOLLOW ? line_log(argv, argc, req, err) : 0;
		goto out;
	}
	snprintf(buf, len, "unknown command '%s' or wrong arguments count", argv[0]);
	*err = buf;
out:
	cmdline_free(argv);
	if (r < 0)
		ctl_request_clear(req);
	return r;
}

static char *line_reply(const char *state, json_t *body)
{
	json_t *o = json_object();
	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "body", body ? body : json_null());
	char *s = ctl_encode(o, false, NULL);
	json_decref(o);
	return s;
}

char *ctl_line_ok(json_t *body)
{
	return line_reply("ok", body);
}

char *ctl_line_error(const char *msg)
{
	return line_reply("error", ctl_json_line(msg, strlen(msg))); /* never null: U+FFFD */
}

const char *ctl_line_error_text(enum ctl_err err, const char *name, char *buf, size_t len)
{
	switch (err) {
	case CTL_E_NOT_FOUND:
		snprintf(buf, len, "service name \"%s\" unknown", name);
		break;
	case CTL_E_MONITORED:
		snprintf(buf, len, "service \"%s\" already monitored", name);
		break;
	case CTL_E_UP:
		snprintf(buf, len, "service \"%s\" is up", name);
		break;
	case CTL_E_DOWN:
		snprintf(buf, len, "service \"%s\" is down", name);
		break;
	case CTL_E_SIGNAL:
		return "EINVAL: Invalid argument";
	case CTL_E_CONFIG:
		return "failed to load service config";
	case CTL_E_INVALID_PARAMS: /* ours: monitor's name is a path, "..", control bytes */
		snprintf(buf, len, "invalid service name \"%s\" (zinit's log says why)", name);
		break;
	case CTL_E_SHUTTING_DOWN:
		return "zinit is shutting down";
	case CTL_E_OVER_BUDGET:
		return CTL_OVER_BUDGET_TEXT;
	default:
		return "internal error";
	}
	return buf;
}

/* ---- JSON-RPC framing ------------------------------------------------------------------- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Advances through one byte inside a started value; returns true when the value ends. */
static bool frame_step(struct ctl_framer *f, char c)
{
	if (f->in_string) {
		if (f->escaped)
			f->escaped = false;
		else if (c == '\\')
			f->escaped = true;
		else if (c == '"')
			f->in_string = false;
		return false;
	}
	if (c == '"')
		f->in_string = true;
	else if (c == ',' && f->depth == 1 && f->batch)
		f->items++;
	else if (c == '{' || c == '[')
		f->depth++;
	else if (c == '}' || c == ']')
		return --f->depth == 0;
	return false;
}

long ctl_frame(struct ctl_framer *f, const char *buf, size_t len, size_t *start)
{
	for (; f->pos < len; f->pos++) {
		char c = buf[f->pos];
		if (!f->started) {
			if (blank(c))
				continue;
			if (c != '{' && c != '[')
				return -1;
			f->started = true;
			f->start = f->pos;
			f->batch = c == '[';
			f->items = 1;
		}
		if (frame_step(f, c)) {
			long n = (long)(f->pos + 1 - f->start);
			*start = f->start;
			*f = (struct ctl_framer){ 0 };
			return n;
		}
		if (f->items > CTL_MAX_BATCH)
			return -E2BIG; /* refused before the rest is even read, let alone parsed */
	}
	return 0;
}

/* ---- JSON-RPC requests ------------------------------------------------------------------ */

enum param { P_NONE, P_NAME, P_OPT_NAME, P_FILTER, P_KILL, P_SUB, P_CREATE };

struct rpc_method {
	const char *name;
	enum ctl_method method;
	enum param params;
};

static const struct rpc_method rpc_methods[] = {
	{ "service_list", CTL_M_LIST, P_NONE },
	{ "service_status", CTL_M_STATUS, P_NAME },
	{ "service_start", CTL_M_START, P_NAME },
	{ "service_stop", CTL_M_STOP, P_NAME },
	{ "service_restart", CTL_M_RESTART, P_NAME },
	{ "service_monitor", CTL_M_MONITOR, P_NAME },
	{ "service_forget", CTL_M_FORGET, P_NAME },
	{ "service_kill", CTL_M_KILL, P_KILL },
	{ "service_stats", CTL_M_STATS, P_NAME },
	{ "system_shutdown", CTL_M_SHUTDOWN, P_NONE },
	{ "system_reboot", CTL_M_REBOOT, P_NONE },
	{ "system_health", CTL_M_HEALTH, P_NONE },
	{ "rpc.discover", CTL_M_DISCOVER, P_NONE },
	{ "stream_currentLogs", CTL_M_LOGS_CURRENT, P_OPT_NAME },
	{ "stream_subscribeLogs", CTL_M_LOGS_SUBSCRIBE, P_FILTER },
	{ "stream_unsubscribeLogs", CTL_M_LOGS_UNSUBSCRIBE, P_SUB },
	{ "qsfs_status", CTL_M_QSFS_STATUS, P_NONE },
	{ "service_create", CTL_M_CREATE, P_CREATE },
	{ "service_delete", CTL_M_DELETE, P_NAME },
	{ "service_get", CTL_M_GET, P_NAME },
};

/* Parameter @index (positional) or @key (named, or @alt) of @params; NULL if absent. */
static json_t *param(json_t *params, size_t index, const char *key, const char *alt)
{
	if (json_is_array(params))
		return json_array_get(params, index);
	if (!json_is_object(params))
		return NULL;
	json_t *v = json_object_get(params, key);
	return v || !alt ? v : json_object_get(params, alt);
}

static size_t param_count(json_t *params)
{
	return json_is_array(params) ? json_array_size(params)
	       : json_is_object(params) ? json_object_size(params) : 0;
}

/* A string parameter into *@out; returns false if present with another type or if required
 * and missing. */
static bool string_param(json_t *v, bool required, char **out)
{
	if (!v || json_is_null(v))
		return !required;
	if (!json_is_string(v))
		return false;
	*out = xstrdup(json_string_value(v));
	return true;
}

static bool parse_params(enum param kind, json_t *params, struct ctl_request *req)
{
	size_t n = param_count(params);
	switch (kind) {
	case P_NONE:
		return true;
	case P_NAME:
		return n <= 1 && string_param(param(params, 0, "name", NULL), true, &req->name);
	case P_OPT_NAME:
		return n <= 1 && string_param(param(params, 0, "name", NULL), false, &req->name);
	case P_FILTER:
		return n <= 1 && string_param(param(params, 0, "filter", "name"), false, &req->name);
	case P_KILL:
		if (n > 2 || !string_param(param(params, 0, "name", NULL), true, &req->name) ||
		    !string_param(param(params, 1, "signal", NULL), false, &req->signal))
			return false;
		if (!req->signal)
			req->signal = xstrdup("SIGTERM");
		return true;
	case P_CREATE: {
		json_t *v = param(params, 1, "content", NULL);
		if (n != 2 || !json_is_object(v) ||
		    !string_param(param(params, 0, "name", NULL), true, &req->name))
			return false;
		req->content = json_incref(v);
		return true;
	}
	case P_SUB: {
		json_t *v = param(params, 0, "subscription", "id");
		req->sub = json_is_integer(v) ? json_integer_value(v) : 0;
		return n == 1 && json_is_integer(v);
	}
	}
	return false;
}

static bool valid_id(json_t *id)
{
	return json_is_string(id) || json_is_number(id) || json_is_null(id);
}

int ctl_rpc_parse(json_t *msg, struct ctl_request *req, const char **message)
{
	*req = (struct ctl_request){ 0 };
	json_t *id = json_object_get(msg, "id");
	json_t *version = json_object_get(msg, "jsonrpc");
	json_t *method = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	if (json_is_null(params)) /* as jsonrpsee reads it (zinit): no params */
		params = NULL;
	req->id = id && valid_id(id) ? json_incref(id) : NULL;
	req->notification = json_is_object(msg) && !id;
	if (!json_is_object(msg) || !json_is_string(version) ||
	    strcmp(json_string_value(version), "2.0") != 0 || !json_is_string(method) ||
	    (id && !valid_id(id)) || (params && !json_is_array(params) && !json_is_object(params))) {
		*message = "Invalid Request";
		return CTL_E_INVALID_REQUEST;
	}
	for (size_t i = 0; i < sizeof(rpc_methods) / sizeof(rpc_methods[0]); i++) {
		if (strcmp(json_string_value(method), rpc_methods[i].name) != 0)
			continue;
		req->method = rpc_methods[i].method;
		if (parse_params(rpc_methods[i].params, params, req))
			return 0;
		*message = "Invalid params";
		return CTL_E_INVALID_PARAMS;
	}
	*message = "Method not found";
	return CTL_E_NO_METHOD;
}

static json_t *rpc_envelope(json_t *id)
{
	json_t *o = json_object();
	json_object_set_new(o, "jsonrpc", json_string("2.0"));
	json_object_set(o, "id", id ? id : json_null());
	return o;
}

json_t *ctl_rpc_result(json_t *id, json_t *result)
{
	json_t *o = rpc_envelope(id);
	json_object_set_new(o, "result", result ? result : json_null());
	return o;
}

json_t *ctl_rpc_error(json_t *id, int code, const char *message)
{
	return ctl_rpc_error_with(id, json_pack("{s:i, s:s}", "code", code, "message", message));
}

json_t *ctl_rpc_error_with(json_t *id, json_t *error)
{
	json_t *o = rpc_envelope(id);
	json_object_set_new(o, "error", error);
	return o;
}

/* A stream_subscribeLogs notification for subscription @sub whose params hold @key: @value. */
static json_t *log_notification(json_int_t sub, const char *key, json_t *value)
{
	json_t *o = json_object();
	json_object_set_new(o, "jsonrpc", json_string("2.0"));
	json_object_set_new(o, "method", json_string("stream_subscribeLogs"));
	json_t *p = json_object();
	json_object_set_new(p, "subscription", json_integer(sub));
	json_object_set_new(p, key, value);
	json_object_set_new(o, "params", p);
	return o;
}

json_t *ctl_rpc_log_notification(json_int_t sub, const char *line, size_t len)
{
	return log_notification(sub, "result", ctl_json_line(line, len));
}

json_t *ctl_rpc_log_end(json_int_t sub, const char *reason)
{
	return log_notification(sub, "error", json_string(reason));
}

char *ctl_rpc_array_open(json_t *id, size_t *len)
{
	json_t *empty = ctl_rpc_result(id, json_array());
	char *s = ctl_encode(empty, false, len);
	json_decref(empty);
	*len -= 2; /* the encoder's "]}": the elements go before it */
	s[*len] = '\0';
	return s;
}

char *ctl_encode(const json_t *value, bool newline, size_t *len)
{
	char *s = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		abort(); /* only on out-of-memory: every string we build is valid UTF-8 */
	size_t n = strlen(s);
	if (newline) {
		s = xrealloc(s, n + 2);
		s[n++] = '\n';
		s[n] = '\0';
	}
	if (len)
		*len = n;
	return s;
}

json_t *ctl_json_line(const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line;
	char *out = xmalloc(len * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_seq(p + i, len - i);
		if (k == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
			i++;
		} else {
			memcpy(out + o, p + i, k);
			o += k;
			i += k;
		}
	}
	json_t *s = json_stringn(out, o);
	free(out);
	return s;
}

/* ---- shapes ----------------------------------------------------------------------------- */

json_t *ctl_status_json(const struct ctl_status *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(st->name));
	json_object_set_new(o, "pid", json_integer(st->pid));
	json_object_set_new(o, "state", json_string(st->state));
	json_object_set_new(o, "target", json_string(st->target_up ? "Up" : "Down"));
	json_t *after = json_object();
	for (size_t i = 0; i < st->nafter; i++)
		json_object_set_new(after, st->after[i].name, json_string(st->after[i].state));
	json_object_set_new(o, "after", after);
	return o;
}

/* The OpenRPC document (https://spec.open-rpc.org), built from the method table. */
static json_t *discover_params(enum param kind)
{
	json_t *a = json_array();
	static const struct {
		enum param kind;
		const char *name;
		int required;
		const char *type;
	} defs[] = {
		{ P_NAME, "name", 1, "string" },     { P_OPT_NAME, "name", 0, "string" },
		{ P_FILTER, "filter", 0, "string" }, { P_KILL, "name", 1, "string" },
		{ P_KILL, "signal", 0, "string" },   { P_SUB, "subscription", 1, "integer" },
		{ P_CREATE, "name", 1, "string" },   { P_CREATE, "content", 1, "object" },
	};
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (defs[i].kind == kind)
			json_array_append_new(a, json_pack("{s:s, s:b, s:{s:s}}", "name",
							   defs[i].name, "required",
							   defs[i].required, "schema", "type",
							   defs[i].type));
	return a;
}

json_t *ctl_discover(void)
{
	json_t *methods = json_array();
	for (size_t i = 0; i < sizeof(rpc_methods) / sizeof(rpc_methods[0]); i++)
		json_array_append_new(methods,
				      json_pack("{s:s, s:o, s:{s:s, s:{}}}", "name",
						rpc_methods[i].name, "params",
						discover_params(rpc_methods[i].params), "result",
						"name", "result", "schema"));
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o}", "openrpc", "1.2.6", "info", "title",
			 "zinit", "version", "0.2", "description",
			 "zinit control API (C implementation); errors -32000..-32008 as zinit",
			 "methods", methods);
}
