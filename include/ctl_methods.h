/* SPDX-License-Identifier: MIT */
/* The control methods: one handler per method, on the supervisor's API, and their table. */
#ifndef ZINIT_CTL_METHODS_H
#define ZINIT_CTL_METHODS_H

#include <stddef.h>

#include "ctl_server.h"

/* Every method of the control socket, for ctl_server_start(). A new method is one row here
 * (and its name in ctl_proto.c's tables). */
extern const struct ctl_handler ctl_methods[];
extern const size_t ctl_methods_count;

#endif
