/* SPDX-License-Identifier: MIT */
/* The service engine: the services and their graph; starts, tests, restarts and drains them. */
#ifndef ZINIT_SUPERVISOR_H
#define ZINIT_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <uv.h>

#include "service.h"

struct supervisor_opts {
	const char *config_dir; /* must exist */
	/* Told once, when every service is down after the drain began (at @drain_start_ms). */
	void (*on_drained)(uint64_t drain_start_ms);
};

/**
 * supervisor_init() - the engine runs on @loop; reads zinit's environment and
 * /etc/environment for the children. Call the child runner's child_init() first.
 */
void supervisor_init(uv_loop_t *loop, const struct supervisor_opts *opts);
/** supervisor_load() - load the units of the config directory; they start once the loop runs. */
void supervisor_load(void);
/**
 * supervisor_drain_bound_s() - the longest a drain of the loaded units can take, in seconds:
 * the largest sum of shutdown_timeouts along a dependency chain (each unit stops once its
 * dependents are down), every unit counted (a finished oneshot too), not counting the up to
 * 5 s each SIGKILLed group may take to go.
 */
uint64_t supervisor_drain_bound_s(void);
/** supervisor_free() - free the services, once the loop has closed their handles. */
void supervisor_free(void);

/**
 * supervisor_drain() - begin the drain: stop every service in reverse dependency order.
 * Return: 0, or -ESHUTDOWN when it had already begun.
 */
int supervisor_drain(const char *reason);
/**
 * supervisor_exit_status() - 0 while every service stopped within its shutdown_timeout in
 * the drain, 1 once any had to be killed.
 */
int supervisor_exit_status(void);
/** supervisor_reboot_requested() - the drain was asked for by `zinit reboot`. */
bool supervisor_reboot_requested(void);

/*
 * ---- the control API (for the socket's methods; call only from loop callbacks) ----
 * Each returns 0 or a negative errno: -ENOENT no such service, -ESHUTDOWN the drain has
 * begun, and as documented below; the control server turns them into protocol errors.
 */

/* What `list` and `status` show of one service. */
struct sup_info {
	const char *name;
	pid_t pid;              /* 0 when no process */
	enum svc_state state;
	char state_text[96];    /* as shown: "Running", "Error(Exited(Pid(42), 1))", ... */
	bool target_up;
	bool oneshot;
};

typedef void (*sup_info_fn)(void *ctx, const struct sup_info *info);
/* One `after` entry and its state as shown ("Unknown" for a name that is not a unit). */
typedef void (*sup_dep_fn)(void *ctx, const char *dep, const char *state_text);
/* Told when an asynchronous operation (stop, restart) has completed: 0 or a negative errno. */
typedef void (*sup_done_fn)(void *ctx, int err);

/** supervisor_list() - call @fn for every service, in name order. */
void supervisor_list(sup_info_fn fn, void *ctx);
/** supervisor_info() - fill @info for @name; @dep_fn (may be NULL) gets each `after` entry. */
int supervisor_info(const char *name, struct sup_info *info, sup_dep_fn dep_fn, void *ctx);
/**
 * supervisor_unit_env() - the value of @key in the `env:` of unit @name, or NULL (no such
 * unit, or no such key). Owned by the unit: valid until the next call into the engine.
 */
const char *supervisor_unit_env(const char *name, const char *key);
/** supervisor_config_dir() - the directory the unit files are loaded from. */
const char *supervisor_config_dir(void);
/** supervisor_start() - target Up; a stopped, failed or finished service starts again. */
int supervisor_start(const char *name);
/**
 * supervisor_stop() - target Down and the stop signal to its group (SIGKILL after its
 * shutdown_timeout). On success, @done runs once the process has exited (at once if none).
 */
int supervisor_stop(const char *name, sup_done_fn done, void *ctx);
/** supervisor_restart() - stop, wait for the exit, start; @done runs after the start. */
int supervisor_restart(const char *name, sup_done_fn done, void *ctx);
/**
 * supervisor_monitor() - load NAME.yaml from the config directory and start it. -EEXIST:
 * already a service; -EINVAL: a name that is not a file name, or a unit that does not load
 * (why, as logged, "FILE:LINE:COLUMN: message", in @why).
 */
int supervisor_monitor(const char *name, char *why, size_t whylen);
/** supervisor_forget() - drop a service whose target is Down and that has no process (else -EBUSY). */
int supervisor_forget(const char *name);
/**
 * supervisor_kill() - send @signal (a full name, any case) to the service's group. -EINVAL:
 * not a signal name; -ESRCH: the service has no process.
 */
int supervisor_kill(const char *name, const char *signal);
/** supervisor_shutdown() - begin the drain (as on SIGTERM); then reboot if @reboot. */
int supervisor_shutdown(bool reboot);

#endif
