/* SPDX-License-Identifier: MIT */
/* `zinit ns [ADDR]`: the ns oneshot, creating zdbfs's namespaces in zdb over RESP. */
#ifndef ZINIT_QSFS_NS_H
#define ZINIT_QSFS_NS_H

#include "cli.h"
#include "qsfs/resp.h"

#define QSFS_NS_DEFAULT_ADDR "localhost:9900"
#define QSFS_NS_DEFAULT_LIST "zdbfs-meta zdbfs-data zdbfs-temp" /* env QSFS_NS_CREATE */
#define QSFS_NS_TIMEOUT_MS 5000 /* the connect, and each NSNEW */

enum qsfs_ns_outcome { QSFS_NS_CREATED, QSFS_NS_EXISTS, QSFS_NS_FAILED };

/**
 * qsfs_ns_outcome() - what zdb's reply @r to `NSNEW` means: "+OK" created, the error
 * "This namespace is not available" already there, anything else a failure.
 */
enum qsfs_ns_outcome qsfs_ns_outcome(const redisReply *r);

/**
 * qsfs_ns_main() - `ns [HOST:PORT | unix:PATH]` (default localhost:9900): NSNEW each name of
 * QSFS_NS_CREATE in order, print "ns: NAME created" or "ns: NAME already exists" per name.
 * Return: 0; 1 at the first failure (one line on stderr naming the namespace and the
 * reply or the connection error); 2 on a wrong command line.
 */
int qsfs_ns_main(const struct cli_opts *o, int argc, char **argv);

#endif
