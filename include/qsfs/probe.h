/* SPDX-License-Identifier: MIT */
/* `zinit probe redis|unix|mount TARGET`: readiness tests for units' `test:`, bounded to 1 s. */
#ifndef ZINIT_QSFS_PROBE_H
#define ZINIT_QSFS_PROBE_H

#include "cli.h"

#define QSFS_PROBE_BUDGET_MS 1000 /* the whole probe, connect and reply included */

/**
 * qsfs_probe_main() - `probe redis HOST:PORT|unix:PATH` (PING answered +PONG), `probe unix
 * PATH` (a stream connect succeeds), `probe mount PATH` (PATH is a mount point in
 * /proc/self/mountinfo; the mounted filesystem itself is never touched).
 * Return: 0 silently; 1 with one line on stderr saying why (including a timeout);
 * 2 on a wrong command line, naming the bad argument.
 */
int qsfs_probe_main(const struct cli_opts *o, int argc, char **argv);

#endif
