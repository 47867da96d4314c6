/* SPDX-License-Identifier: MIT */
/* `zinit follow FILE...`: the new lines of log files a program writes and rolls, on stdout. */
#ifndef ZINIT_QSFS_FOLLOW_H
#define ZINIT_QSFS_FOLLOW_H

#include "cli.h"

#define FOLLOW_POLL_MS 200 /* how often the files are looked at where inotify cannot watch them */

/**
 * qsfs_follow_main() - `follow FILE...`: what is appended to each FILE from now on, whole
 * lines, on stdout, as `tail -F -n 0` does: a FILE that exists is followed from its end
 * (unless its birth time says it was created since this process was forked, less a second:
 * then from its start), one that appears later (or replaces it: renamed away by a roll, then
 * created again) from its start, after the rest of the old one; a FILE cut short is read
 * again from its start. A line longer than LINEBUF_MAX_LINE goes out in pieces of that
 * size, as zinit cuts them. A missing FILE is waited for without a word; any other error is
 * said once on stderr. On SIGTERM, SIGINT or SIGHUP every FILE is read to its end (what its
 * writer wrote before it exited is not lost), then it exits 0.
 * Return: 0; 2 on a wrong command line.
 */
int qsfs_follow_main(const struct cli_opts *o, int argc, char **argv);

#endif
