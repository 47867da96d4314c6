/* SPDX-License-Identifier: MIT */
/* Journal jobs: formatting and a tolerant parser of the line-oriented, versioned text. */
#include "qsfs/job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void job_add_upload(struct job *j, const char *src, const char *key)
{
	if (j->n_uploads == j->cap) {
		j->cap = j->cap ? 2 * j->cap : 4;
		j->uploads = xrealloc(j->uploads, j->cap * sizeof(*j->uploads));
	}
	j->uploads[j->n_uploads++] = (struct job_upload){ xstrdup(src), xstrdup(key) };
}

void job_format(const struct job *j, struct strbuf *out)
{
	strbuf_addf(out, "qsfs-job %d\nevent ", JOB_VERSION);
	textfield_add(out, j->event ? j->event : "unknown");
	if (j->ns) {
		strbuf_add(out, "\nns ", 4);
		textfield_add(out, j->ns);
	}
	strbuf_addf(out, "\ntime %lld\npid %ld\n", j->time_ns, j->pid);
	for (size_t i = 0; i < j->n_uploads; i++) {
		strbuf_add(out, "upload ", 7);
		textfield_add(out, j->uploads[i].src);
		strbuf_add(out, " ", 1);
		textfield_add(out, j->uploads[i].key);
		strbuf_add(out, "\n", 1);
	}
	strbuf_add(out, "end\n", 4);
}

void job_free(struct job *j)
{
	for (size_t i = 0; i < j->n_uploads; i++) {
		free(j->uploads[i].src);
		free(j->uploads[i].key);
	}
	free(j->uploads);
	free(j->event);
	free(j->ns);
	*j = (struct job){ 0 };
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

bool job_upload_is_copy(const struct job_upload *u)
{
	return strcmp(u->src, u->key) != 0;
}

static void report(struct job_report *rep, unsigned line, const char *why)
{
	if (rep->bad_lines++ == 0)
		snprintf(rep->first_error, sizeof(rep->first_error), "line %u: %s", line, why);
}

/* "upload SRC KEY": two absolute paths with the same basename. */
static const char *parse_upload(struct job *j, const char *arg, size_t n)
{
	const char *sp = memchr(arg, ' ', n);
	if (!sp)
		return "upload needs a source and a key";
	char *src = textfield_unescape(arg, (size_t)(sp - arg));
	char *key = textfield_unescape(sp + 1, n - (size_t)(sp - arg) - 1);
	const char *why = NULL;
	if (!src || !key)
		why = "bad path field";
	else if (src[0] != '/' || key[0] != '/')
		why = "path not absolute";
	else if (strcmp(base_name(src), base_name(key)) != 0 || !*base_name(key))
		why = "source and key differ in their file names";
	else
		job_add_upload(j, src, key);
	free(src);
	free(key);
	return why;
}

/* One line (without its newline) after the header; returns why it is invalid, or NULL. */
static const char *parse_line(struct job *j, const char *line, size_t n, bool *end)
{
	const char *sp = memchr(line, ' ', n);
	size_t kw = sp ? (size_t)(sp - line) : n;
	const char *arg = sp ? sp + 1 : line + n;
	size_t an = sp ? n - kw - 1 : 0;
	long long v;
	if (kw == 3 && memcmp(line, "end", 3) == 0 && !sp) {
		*end = true;
		return NULL;
	}
	if (kw == 6 && memcmp(line, "upload", 6) == 0)
		return parse_upload(j, arg, an);
	if (kw == 4 && memcmp(line, "time", 4) == 0 && textfield_number(arg, an, &v)) {
		j->time_ns = v;
		return NULL;
	}
	if (kw == 3 && memcmp(line, "pid", 3) == 0 && textfield_number(arg, an, &v)) {
		j->pid = (long)v;
		return NULL;
	}
	char **field = kw == 5 && memcmp(line, "event", 5) == 0 ? &j->event :
		       kw == 2 && memcmp(line, "ns", 2) == 0 ? &j->ns : NULL;
	if (!field)
		return "unknown or malformed line";
	char *val = textfield_unescape(arg, an);
	if (!val)
		return "bad field";
	free(*field);
	*field = val;
	return NULL;
}

int job_parse(struct job *j, const char *text, size_t len, struct job_report *rep)
{
	*rep = (struct job_report){ 0 };
	static const char header[] = "qsfs-job 1\n";
	if (len < sizeof(header) - 1 || memcmp(text, header, sizeof(header) - 1) != 0) {
		report(rep, 1, "not a qsfs-job 1 file");
		return -EINVAL;
	}
	const char *p = text + sizeof(header) - 1, *stop = text + len;
	bool end = false;
	for (unsigned line = 2; p < stop; line++) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		if (!nl) {
			report(rep, line, "torn line (no newline)");
			break;
		}
		const char *why = end ? "text after end" : parse_line(j, p, (size_t)(nl - p), &end);
		if (why)
			report(rep, line, why);
		p = nl + 1;
	}
	rep->complete = end;
	if (!end && rep->bad_lines == 0)
		snprintf(rep->first_error, sizeof(rep->first_error), "no end line (cut file)");
	return 0;
}

void job_name(char *out, long long time_ns, long pid)
{
	snprintf(out, JOB_NAME_MAX, "%020lld-%ld", time_ns, pid);
}

bool job_name_parse(const char *file, long long *time_ns)
{
	size_t n = strlen(file);
	long long t, pid;
	/* 20 digits, the first one '0' until the year 2262 */
	if (n < 26 || file[0] != '0' || file[20] != '-' || strcmp(file + n - 4, ".job") != 0)
		return false;
	if (!textfield_number(file + 1, 19, &t) || !textfield_number(file + 21, n - 25, &pid))
		return false;
	if (time_ns)
		*time_ns = t;
	return true;
}
