/* SPDX-License-Identifier: MIT */
/* The QSFS built-ins' entry points in the multi-call binary (each its own process). */
#ifndef QSFS_QSFS_H
#define QSFS_QSFS_H

#include "cli.h"

/**
 * qsfs_hook_main() - `zdb-hook EVENT ID ARGS...` (argv[0] basename zdb-hook, or the verb
 * `zinit zdb-hook`): the 0-db --hook handler. @argv[1] is the event. Exit status 0/1.
 */
int qsfs_hook_main(int argc, char **argv);

/** qsfs_hook_verb() - the `zdb-hook` verb: qsfs_hook_main() (global options unused). */
int qsfs_hook_verb(const struct cli_opts *o, int argc, char **argv);

/** qsfs_wait_hooks_verb() - `zinit wait-hooks`: restore, continuous upload, drain. */
int qsfs_wait_hooks_verb(const struct cli_opts *o, int argc, char **argv);

#endif
