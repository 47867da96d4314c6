/* SPDX-License-Identifier: MIT */
/* `zinit init`: owns the loop, the services and their graph; starts, restarts and drains. */
#ifndef ZINIT_SUPERVISOR_H
#define ZINIT_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>

struct supervisor_opts {
	const char *config_dir; /* must exist */
	size_t ring_lines;      /* `-b`, lines kept for `zinit log` */
	bool container;         /* exit after the drain instead of powering off */
};

/* Grace given to processes left over once every service is down, before SIGKILL. */
#define SUPERVISOR_LEFTOVER_GRACE_MS 2000

/**
 * supervisor_run() - run the supervisor until a drain completes.
 * Return: the exit status: 0 when every service stopped within its shutdown_timeout, 1 when
 * any had to be killed, 2 when the loop could not be set up.
 */
int supervisor_run(const struct supervisor_opts *opts);

#endif
