/* SPDX-License-Identifier: MIT */
/* One line of /proc/PID/mountinfo: its mount point, type and source, escapes undone (pure). */
#include "qsfs/mountinfo.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define FIELDS_BEFORE_SEPARATOR 6 /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS */
#define FIELDS_AFTER_SEPARATOR 3  /* FSTYPE SOURCE SUPEROPTS */
#define MAX_FIELDS 64

struct field {
	const char *start;
	size_t len;
};

/* Splits @line at single spaces (the kernel's separator) into at most MAX_FIELDS fields. */
static int split_fields(const char *line, struct field *f)
{
	size_t end = strcspn(line, "\n");
	int n = 0;
	for (size_t i = 0; i < end;) {
		size_t len = strcspn(line + i, " \n");
		if (len == 0 || n == MAX_FIELDS)
			return -EINVAL; /* an empty field: two spaces, or a leading/trailing one */
		f[n++] = (struct field){ line + i, len };
		i += len;
		if (line[i] == ' ')
			i++;
		if (i == end && line[end - 1] == ' ')
			return -EINVAL;
	}
	return n;
}

static bool all_digits(const struct field *f, size_t from, size_t to)
{
	if (from >= to)
		return false;
	for (size_t i = from; i < to; i++)
		if (f->start[i] < '0' || f->start[i] > '9')
			return false;
	return true;
}

/* The fixed fields are well formed and exactly one "-" separator sits before the last three. */
static bool shape_ok(const struct field *f, int n)
{
	if (n < FIELDS_BEFORE_SEPARATOR + 1 + FIELDS_AFTER_SEPARATOR)
		return false;
	const char *colon = memchr(f[2].start, ':', f[2].len);
	if (!all_digits(&f[0], 0, f[0].len) || !all_digits(&f[1], 0, f[1].len) || !colon)
		return false;
	size_t c = (size_t)(colon - f[2].start);
	if (!all_digits(&f[2], 0, c) || !all_digits(&f[2], c + 1, f[2].len))
		return false;
	if (f[4].start[0] != '/')
		return false;
	int sep = n - FIELDS_AFTER_SEPARATOR - 1;
	return f[sep].len == 1 && f[sep].start[0] == '-';
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Undoes the kernel's "\ooo" escapes of @f into @out (NUL-terminated). */
static int unescape(const struct field *f, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < f->len; i++) {
		char c = f->start[i];
		if (c == '\\') {
			if (i + 3 >= f->len || !is_octal(f->start[i + 1]) ||
			    !is_octal(f->start[i + 2]) || !is_octal(f->start[i + 3]))
				return -EINVAL;
			int v = (f->start[i + 1] - '0') * 64 + (f->start[i + 2] - '0') * 8 +
				(f->start[i + 3] - '0');
			if (v == 0 || v > 255)
				return -EINVAL;
			c = (char)v;
			i += 3;
		}
		if (o + 1 >= outlen)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int mountinfo_mount_point(const char *line, char *out, size_t outlen)
{
	struct field f[MAX_FIELDS];
	int n = split_fields(line, f);
	if (n < 0 || !shape_ok(f, n))
		return -EINVAL;
	return unescape(&f[4], out, outlen);
}

int mountinfo_filesystem(const char *line, char *type, size_t typelen, char *source,
			 size_t sourcelen)
{
	struct field f[MAX_FIELDS];
	int n = split_fields(line, f);
	if (n < 0 || !shape_ok(f, n))
		return -EINVAL;
	int rc = unescape(&f[n - FIELDS_AFTER_SEPARATOR], type, typelen);
	return rc < 0 ? rc : unescape(&f[n - FIELDS_AFTER_SEPARATOR + 1], source, sourcelen);
}
