/* SPDX-License-Identifier: MIT */
/* `zinit init`: owns the loop, the services and their graph; starts, restarts and drains. */
#ifndef ZINIT_SUPERVISOR_H
#define ZINIT_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ctl_err.h"

struct supervisor_opts {
	const char *config_dir; /* must exist */
	const char *socket;     /* control socket path */
	size_t ring_lines;      /* `-b`, lines kept for `zinit log` */
	bool container;         /* exit after the drain instead of powering off */
};

/* Grace given to processes left over once every service is down, before SIGKILL. */
#define SUPERVISOR_LEFTOVER_GRACE_MS 2000
/* At exit, how long zinit keeps reading the pipes of exited services (output still flowing). */
#define SUPERVISOR_FLUSH_MS 5000

/**
 * supervisor_run() - run the supervisor until a drain completes.
 * Return: the exit status: 0 when every service stopped within its shutdown_timeout, 1 when
 * any had to be killed, 2 when the loop could not be set up.
 */
int supervisor_run(const struct supervisor_opts *opts);

/* ---- the control API (for the socket server; call only from loop callbacks) ---- */

/* What `list` and `status` show of one service. */
struct sup_info {
	const char *name;
	pid_t pid;          /* 0 when no process */
	char state[96];     /* "Running", "Error(Exited(Pid(42), 1))", ... */
	bool target_up;
	bool oneshot;
};

typedef void (*sup_info_fn)(void *ctx, const struct sup_info *info);
typedef void (*sup_dep_fn)(void *ctx, const char *dep, const char *state);
/* Told when an asynchronous operation (stop, restart) has completed. */
typedef void (*sup_done_fn)(void *ctx, enum ctl_err err);

/** supervisor_list() - call @fn for every service, in name order. */
void supervisor_list(sup_info_fn fn, void *ctx);
/** supervisor_info() - fill @info for @name; @dep_fn (may be NULL) gets each `after` entry. */
enum ctl_err supervisor_info(const char *name, struct sup_info *info, sup_dep_fn dep_fn,
			     void *ctx);
/** supervisor_start() - target Up; a stopped, failed or finished service starts again. */
enum ctl_err supervisor_start(const char *name);
/**
 * supervisor_stop() - target Down and the stop signal to its group (SIGKILL after its
 * shutdown_timeout). On CTL_OK, @done runs once the process has exited (at once if none).
 */
enum ctl_err supervisor_stop(const char *name, sup_done_fn done, void *ctx);
/** supervisor_restart() - stop, wait for the exit, start; @done runs after the start. */
enum ctl_err supervisor_restart(const char *name, sup_done_fn done, void *ctx);
/** supervisor_monitor() - load NAME.yaml from the config directory and start it. */
enum ctl_err supervisor_monitor(const char *name);
/** supervisor_forget() - drop a service whose target is Down and that has no process. */
enum ctl_err supervisor_forget(const char *name);
/** supervisor_kill() - send @signal (a full name, any case) to the service's group. */
enum ctl_err supervisor_kill(const char *name, const char *signal);
/** supervisor_shutdown() - begin the drain (as on SIGTERM); then reboot if @reboot. */
enum ctl_err supervisor_shutdown(bool reboot);
/** supervisor_draining() - whether the drain has begun. */
bool supervisor_draining(void);

#endif
