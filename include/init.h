/* SPDX-License-Identifier: MIT */
/* `zinit init`, the composition root: sets up the loop and every module, runs, tears down. */
#ifndef ZINIT_INIT_H
#define ZINIT_INIT_H

#include <stdbool.h>
#include <stddef.h>

struct init_opts {
	const char *config_dir; /* must exist */
	const char *socket;     /* control socket path */
	size_t ring_lines;      /* `-b`, lines kept for `zinit log` */
	size_t ring_bytes;      /* `--buffer-bytes`, their total size at most */
	bool container;         /* exit after the drain instead of powering off */
};

/* Grace given to processes left over once every service is down, before SIGKILL. */
#define INIT_LEFTOVER_GRACE_MS 2000
/* At exit, how long zinit keeps reading the pipes of exited services (output still flowing). */
#define INIT_FLUSH_MS 5000

/**
 * init_run() - run the supervisor until a drain completes, then power off (or reboot) when
 * PID 1 and not @opts->container.
 * Return: the exit status: 0 when every service stopped within its shutdown_timeout, 1 when
 * any had to be killed, 2 when the loop or the control socket could not be set up.
 */
int init_run(const struct init_opts *opts);

#endif
