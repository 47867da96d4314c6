/* SPDX-License-Identifier: MIT */
/* $QSFS_STATE_DIR/status.json: where wait_hooks stands, for `zinit qsfs status`. */
#ifndef QSFS_STATUS_H
#define QSFS_STATUS_H

#include <stdbool.h>
#include <stddef.h>

struct qsfs_status {
	const char *phase;          /* resuming restoring running draining done failed */
	size_t pending;             /* files without a verified remote copy yet */
	size_t failed;              /* of those, the ones whose last attempt failed */
	const char *last_error;     /* NULL or "" if none */
	const char *last_key;       /* the last verified upload, NULL if none */
	long long last_upload_ns;   /* its time (CLOCK_REALTIME) */
	unsigned long long bytes;   /* bytes uploaded and verified since start */
	unsigned long uploads;      /* files uploaded and verified since start */
	size_t restored;            /* files restored at start */
	bool drain;                 /* a resume or drain is in progress or ended */
	size_t drain_total, drain_done;
	long long drain_deadline_ns; /* CLOCK_REALTIME */
};

/**
 * status_write() - replace status.json atomically (rename; not fsynced: it is a view).
 * 0 or -errno.
 */
int status_write(const char *state_dir, const struct qsfs_status *st);

#endif
