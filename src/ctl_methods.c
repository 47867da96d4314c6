/* SPDX-License-Identifier: MIT */
/* The control methods: one handler per method, on the supervisor's API, and their table. */
#include "ctl_methods.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "logbus.h"
#include "procstat.h"
#include "readfile.h"
#include "supervisor.h"
#include "unitjson.h"
#include "xalloc.h"

/* ---- services -------------------------------------------------------------------------- */

static void add_to_object(void *ctx, const struct sup_info *info)
{
	json_object_set_new(ctx, info->name, json_string(info->state_text));
}

static enum ctl_err m_list(struct ctl_call *call, const struct ctl_request *req, json_t **result)
{
	(void)call;
	(void)req;
	*result = json_object();
	supervisor_list(add_to_object, *result);
	return CTL_OK;
}

struct status_ctx {
	struct ctl_dep *deps;
	char **states;
	size_t n;
};

static void collect_dep(void *ctx, const char *dep, const char *state_text)
{
	struct status_ctx *s = ctx;
	s->deps = xrealloc(s->deps, (s->n + 1) * sizeof(*s->deps));
	s->states = xrealloc(s->states, (s->n + 1) * sizeof(*s->states));
	s->states[s->n] = xstrdup(state_text);
	s->deps[s->n] = (struct ctl_dep){ dep, s->states[s->n] };
	s->n++;
}

static enum ctl_err m_status(struct ctl_call *call, const struct ctl_request *req,
			     json_t **result)
{
	(void)call;
	struct status_ctx sc = { 0 };
	struct sup_info info;
	enum ctl_err err = ctl_err_from_errno(supervisor_info(req->name, &info, collect_dep, &sc),
					      CTL_E_INTERNAL);
	if (err == CTL_OK) {
		struct ctl_status st = { info.name, info.pid, info.state_text, info.target_up,
					 sc.deps, sc.n };
		*result = ctl_status_json(&st);
	}
	for (size_t i = 0; i < sc.n; i++)
		free(sc.states[i]);
	free(sc.states);
	free(sc.deps);
	return err;
}

static json_t *stats_entry(pid_t pid)
{
	struct procstat st = { pid, 0, 0.0, 0.0 };
	procstat_read(pid, &st);
	return json_pack("{s:i, s:I, s:f}", "pid", (int)pid, "memory_usage",
			 (json_int_t)st.memory, "cpu_usage", st.cpu);
}

static enum ctl_err m_stats(struct ctl_call *call, const struct ctl_request *req,
			    json_t **result)
{
	(void)call;
	struct sup_info info;
	enum ctl_err err = ctl_err_from_errno(supervisor_info(req->name, &info, NULL, NULL),
					      CTL_E_INTERNAL);
	if (err)
		return err;
	if (info.pid == 0)
		return CTL_E_DOWN;
	json_t *self = stats_entry(info.pid);
	json_t *o = json_pack("{s:s}", "name", info.name); /* zinit's key order: name first */
	json_object_update(o, self);
	json_decref(self);
	pid_t *kids;
	size_t n = procstat_descendants(info.pid, true, &kids);
	json_t *children = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(children, stats_entry(kids[i]));
	free(kids);
	json_object_set_new(o, "children", children);
	*result = o;
	return CTL_OK;
}

static enum ctl_err m_start(struct ctl_call *call, const struct ctl_request *req,
			    json_t **result)
{
	(void)call;
	(void)result;
	return ctl_err_from_errno(supervisor_start(req->name), CTL_E_INTERNAL);
}

/* The end of an asynchronous stop or restart. */
static void on_done(void *ctx, int err)
{
	ctl_call_finish(ctx, ctl_err_from_errno(err, CTL_E_INTERNAL), NULL);
}

static enum ctl_err m_stop(struct ctl_call *call, const struct ctl_request *req, json_t **result)
{
	(void)result;
	return ctl_err_from_errno(supervisor_stop(req->name, on_done, call), CTL_E_INTERNAL);
}

static enum ctl_err m_restart(struct ctl_call *call, const struct ctl_request *req,
			      json_t **result)
{
	(void)result;
	return ctl_err_from_errno(supervisor_restart(req->name, on_done, call), CTL_E_INTERNAL);
}

/* A name that cannot be a unit's (a path, "..", control bytes): refused (-32602) before any
 * file is looked for, by monitor as by create, get and delete; a client's mistake, named in
 * the log (escaped) as in the answer. */
static bool bad_unit_name(const char *name)
{
	const char *problem = config_name_problem(name);
	if (problem)
		log_warn("unit name \"%s\" refused: the unit name %s", name, problem);
	return problem != NULL;
}

static enum ctl_err m_monitor(struct ctl_call *call, const struct ctl_request *req,
			      json_t **result)
{
	(void)result;
	char why[1024] = "";
	if (bad_unit_name(req->name))
		return CTL_E_INVALID_PARAMS;
	enum ctl_err err = ctl_err_from_errno(supervisor_monitor(req->name, why, sizeof(why)),
					      CTL_E_CONFIG);
	if (err == CTL_E_CONFIG && why[0])
		ctl_call_set_cause(call, why);
	return err;
}

static enum ctl_err m_forget(struct ctl_call *call, const struct ctl_request *req,
			     json_t **result)
{
	(void)call;
	(void)result;
	return ctl_err_from_errno(supervisor_forget(req->name), CTL_E_INTERNAL);
}

static enum ctl_err m_kill(struct ctl_call *call, const struct ctl_request *req, json_t **result)
{
	(void)call;
	(void)result;
	return ctl_err_from_errno(supervisor_kill(req->name, req->signal), CTL_E_SIGNAL);
}

/* ---- unit files (service_create, service_delete, service_get) --------------------------- */

static void log_unit_warning(void *ctx, const char *msg)
{
	(void)ctx;
	log_warn("%s", msg);
}

/*
 * service_create: the JSON object @content written as the unit file NAME.yaml, once it has
 * parsed as a unit (the error, FILE:LINE:COLUMN, goes to zinit's log, as monitor's do). Not
 * monitored: `monitor NAME` loads it.
 */
static enum ctl_err m_create(struct ctl_call *call, const struct ctl_request *req,
			     json_t **result)
{
	(void)call;
	if (bad_unit_name(req->name))
		return CTL_E_INVALID_PARAMS;
	const char *dir = supervisor_config_dir();
	char *path = config_unit_path(dir, req->name), *text = unitjson_to_yaml(req->content);
	char err[1024];
	size_t len = text ? strlen(text) : 0;
	struct unit *u = NULL;
	enum ctl_err e = CTL_OK;

	if (!text) {
		log_error("service_create %s: the content nests more than %d levels deep",
			  req->name, UNITJSON_MAX_DEPTH);
		e = CTL_E_CONFIG;
	} else if (unit_parse(path, req->name, text, len, &u, err, sizeof(err),
			      log_unit_warning, NULL) < 0) {
		log_error("service_create %s: %s", req->name, err);
		e = CTL_E_CONFIG;
	} else {
		int r = config_create_unit(dir, req->name, text, len);
		if (r < 0 && r != -EEXIST)
			log_error("service_create: cannot write %s: %s", path, strerror(-r));
		e = r == -EEXIST ? CTL_E_EXISTS : r < 0 ? CTL_E_FILE : CTL_OK;
	}
	if (e == CTL_OK) {
		log_info("%s: unit file created", path);
		*result = json_sprintf("Service '%s' created successfully", req->name);
	}
	unit_free(u);
	free(text);
	free(path);
	return e;
}

/* service_delete: the unit file removed; a monitored service keeps running (forget ends it). */
static enum ctl_err m_delete(struct ctl_call *call, const struct ctl_request *req,
			     json_t **result)
{
	(void)call;
	if (bad_unit_name(req->name))
		return CTL_E_INVALID_PARAMS;
	int r = config_remove_unit(supervisor_config_dir(), req->name);
	if (r == -ENOENT)
		return CTL_E_NOT_FOUND;
	if (r < 0) {
		log_error("service_delete %s: %s", req->name, strerror(-r));
		return CTL_E_FILE;
	}
	log_info("%s: unit file deleted", req->name);
	*result = json_sprintf("Service '%s' deleted successfully", req->name);
	return CTL_OK;
}

/* service_get: the unit file as zinit reads it, every key with its value or default. */
static enum ctl_err m_get(struct ctl_call *call, const struct ctl_request *req, json_t **result)
{
	(void)call;
	if (bad_unit_name(req->name))
		return CTL_E_INVALID_PARAMS;
	char *path = config_unit_path(supervisor_config_dir(), req->name), err[1024];
	struct unit *u;
	int r = unit_load(path, &u, err, sizeof(err), NULL, NULL);
	free(path);
	if (r == -ENOENT)
		return CTL_E_NOT_FOUND;
	if (r < 0) {
		log_error("service_get %s: %s", req->name, err);
		return r == -EINVAL ? CTL_E_CONFIG : CTL_E_FILE;
	}
	*result = unitjson_of_unit(u);
	unit_free(u);
	return CTL_OK;
}

/* ---- the system ------------------------------------------------------------------------ */

static enum ctl_err m_shutdown(struct ctl_call *call, const struct ctl_request *req,
			       json_t **result)
{
	(void)call;
	(void)result;
	return ctl_err_from_errno(supervisor_shutdown(req->method == CTL_M_REBOOT),
				  CTL_E_INTERNAL);
}

static void check_health(void *ctx, const struct sup_info *info)
{
	json_t *bad = ctx;
	enum svc_state want = info->oneshot ? SVC_STATE_SUCCESS : SVC_STATE_RUNNING;
	if (info->state != want)
		json_array_append_new(bad, json_pack("{s:s, s:s}", "name", info->name, "state",
						     info->state_text));
}

static enum ctl_err m_health(struct ctl_call *call, const struct ctl_request *req,
			     json_t **result)
{
	(void)call;
	(void)req;
	json_t *bad = json_array();
	supervisor_list(check_health, bad);
	*result = json_pack("{s:b, s:o}", "healthy", json_array_size(bad) == 0, "unhealthy", bad);
	return CTL_OK;
}

static enum ctl_err m_discover(struct ctl_call *call, const struct ctl_request *req,
			       json_t **result)
{
	(void)call;
	(void)req;
	*result = ctl_discover();
	return CTL_OK;
}

/* ---- logs ------------------------------------------------------------------------------ */

static enum ctl_err m_logs_current(struct ctl_call *call, const struct ctl_request *req,
				   json_t **result)
{
	(void)result;
	ctl_call_answer_log(call, req->name);
	return CTL_OK;
}

static enum ctl_err m_logs_subscribe(struct ctl_call *call, const struct ctl_request *req,
				     json_t **result)
{
	*result = json_integer((json_int_t)ctl_call_subscribe(call, req->name));
	return CTL_OK;
}

static enum ctl_err m_logs_unsubscribe(struct ctl_call *call, const struct ctl_request *req,
				       json_t **result)
{
	*result = json_boolean(ctl_call_unsubscribe(call, req->sub));
	return CTL_OK;
}

static enum ctl_err m_log_raw(struct ctl_call *call, const struct ctl_request *req,
			      json_t **result)
{
	(void)result;
	ctl_call_stream_log(call, req->method == CTL_M_LOG_FOLLOW);
	return CTL_OK;
}

/* ---- QSFS ------------------------------------------------------------------------------ */

/* The unit whose `env:` says where the QSFS state is, and the defaults of docs/QSFS.md. */
#define QSFS_UNIT "wait_hooks"
#define QSFS_DEFAULT_STATE_DIR "/data/qsfs"
/* status.json is a few hundred bytes; anything past this is not ours. */
#define QSFS_STATUS_MAX (64 * 1024)

/*
 * read_status() - the JSON object in @path; NULL with @why set. Read without blocking and with
 * a bound (readfile_regular): a FIFO at the path blocked PID 1's loop with a plain fopen().
 */
static json_t *read_status(const char *path, char *why, size_t whylen)
{
	char *buf, reason[128];
	json_t *v;
	size_t n;
	int r = readfile_regular(path, QSFS_STATUS_MAX, &buf, &n);

	if (r < 0) {
		snprintf(why, whylen, "cannot read %s: %s", path,
			 readfile_error(r, QSFS_STATUS_MAX, reason, sizeof(reason)));
		return NULL;
	}
	v = json_loadb(buf, n, 0, NULL);
	free(buf);
	if (!json_is_object(v)) {
		json_decref(v);
		v = NULL;
		snprintf(why, whylen, "%s is not a JSON object", path);
	}
	return v;
}

/*
 * qsfs_status: PID 1 runs no storage code, it only shows what wait_hooks wrote: its
 * status.json (found through the wait_hooks unit's QSFS_STATE_DIR), plus the unit's state.
 * Without the file the answer still comes, with "status_error" saying why.
 */
static enum ctl_err m_qsfs_status(struct ctl_call *call, const struct ctl_request *req,
				  json_t **result)
{
	(void)call;
	(void)req;
	const char *dir = supervisor_unit_env(QSFS_UNIT, "QSFS_STATE_DIR");
	struct sup_info info;
	char path[4096], why[4200];
	json_t *o;

	if (!dir || !dir[0])
		dir = QSFS_DEFAULT_STATE_DIR;
	snprintf(path, sizeof(path), "%s/status.json", dir);
	o = read_status(path, why, sizeof(why));
	if (!o)
		o = json_pack("{s:s}", "status_error", why);
	json_object_set_new(o, "state_file", json_string(path));
	json_object_set_new(o, "wait_hooks",
			    supervisor_info(QSFS_UNIT, &info, NULL, NULL) == 0
				    ? json_string(info.state_text) : json_null());
	*result = o;
	return CTL_OK;
}

/* ---- the table ------------------------------------------------------------------------- */

const struct ctl_handler ctl_methods[] = {
	{ CTL_M_LIST, m_list, false },
	{ CTL_M_STATUS, m_status, false },
	{ CTL_M_STATS, m_stats, false },
	{ CTL_M_START, m_start, false },
	{ CTL_M_STOP, m_stop, true },
	{ CTL_M_RESTART, m_restart, true },
	{ CTL_M_MONITOR, m_monitor, false },
	{ CTL_M_FORGET, m_forget, false },
	{ CTL_M_KILL, m_kill, false },
	{ CTL_M_SHUTDOWN, m_shutdown, false },
	{ CTL_M_REBOOT, m_shutdown, false },
	{ CTL_M_HEALTH, m_health, false },
	{ CTL_M_DISCOVER, m_discover, false },
	{ CTL_M_LOGS_CURRENT, m_logs_current, true },
	{ CTL_M_LOGS_SUBSCRIBE, m_logs_subscribe, false },
	{ CTL_M_LOGS_UNSUBSCRIBE, m_logs_unsubscribe, false },
	{ CTL_M_LOG_FOLLOW, m_log_raw, true },
	{ CTL_M_LOG_SNAPSHOT, m_log_raw, true },
	{ CTL_M_QSFS_STATUS, m_qsfs_status, false },
	{ CTL_M_CREATE, m_create, false },
	{ CTL_M_DELETE, m_delete, false },
	{ CTL_M_GET, m_get, false },
};

const size_t ctl_methods_count = sizeof(ctl_methods) / sizeof(ctl_methods[0]);
