/* SPDX-License-Identifier: MIT */
/* One journal job: the text format of $QSFS_STATE_DIR/journal/NAME.job, and job names; pure. */
#ifndef QSFS_JOB_H
#define QSFS_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "qsfs/textfield.h"

#define JOB_VERSION 1
#define JOB_NAME_MAX 48 /* "<20-digit realtime ns>-<pid>" plus a suffix */

/* Upload @src so that zstor stores it under the key path @key: @src == @key for a live file;
 * a spool copy has the same basename as @key and is stored with `-k dirname(key)`. */
struct job_upload {
	char *src;
	char *key;
};

struct job {
	char *event;      /* the zdb event that wrote it (or "drain-left"); NULL if absent */
	char *ns;         /* its namespace, NULL for markers */
	long long time_ns; /* CLOCK_REALTIME when the hook ran */
	long pid;
	struct job_upload *uploads;
	size_t n_uploads;
	size_t cap;
};

/* What job_parse() had to skip. */
struct job_report {
	unsigned bad_lines; /* lines not understood, dropped */
	bool complete;      /* the "end" line was seen (false: torn or cut file) */
	char first_error[160];
};

/** job_add_upload() - append an upload (copies both strings). */
void job_add_upload(struct job *j, const char *src, const char *key);

/**
 * job_format() - the job's text, appended to @out:
 *   qsfs-job 1 / event E / [ns N] / time T / pid P / upload SRC KEY ... / end
 * one item per line; paths escaped with textfield_add().
 */
void job_format(const struct job *j, struct strbuf *out);

/**
 * job_parse() - read a job written by job_format() from @len bytes of @text into @j
 * (zero-initialised by the caller). Tolerant: every valid line is kept, invalid ones are
 * counted in @rep and skipped, a torn last line is ignored. Returns 0, or -EINVAL when the
 * text does not start with a "qsfs-job 1" line (nothing kept).
 */
int job_parse(struct job *j, const char *text, size_t len, struct job_report *rep);

/** job_free() - release everything @j owns and zero it. */
void job_free(struct job *j);

/** job_upload_is_copy() - whether @u uploads a spool copy (stored with -k dirname(key)). */
bool job_upload_is_copy(const struct job_upload *u);

/** job_name() - "<time_ns, 20 digits>-<pid>" into @out (JOB_NAME_MAX bytes). */
void job_name(char *out, long long time_ns, long pid);

/**
 * job_name_parse() - whether @file is "<20 digits>-<pid>.job"; if so, its time in
 * @time_ns (may be NULL).
 */
bool job_name_parse(const char *file, long long *time_ns);

#endif
