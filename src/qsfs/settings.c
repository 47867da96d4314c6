/* SPDX-License-Identifier: MIT */
/* QSFS settings from the environment: defaults, validation, the namespace list. */
#include "qsfs/settings.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECONDS 1000000u

static const char *value_or(qsfs_getenv_fn get, const char *name, const char *def)
{
	const char *v = get(name);
	return v && *v ? v : def;
}

static int fail(char *err, size_t errlen, const char *name, const char *why, const char *v)
{
	snprintf(err, errlen, "%s: %s: '%s'", name, why, v);
	return -EINVAL;
}

static int load_string(char *dst, size_t size, qsfs_getenv_fn get, const char *name,
		       const char *def, char *err, size_t errlen)
{
	const char *v = value_or(get, name, def);
	if (strlen(v) >= size)
		return fail(err, errlen, name, "too long", v);
	strcpy(dst, v);
	return 0;
}

/* An absolute path without trailing slashes ("/" stays "/"). */
static int load_path(char *dst, size_t size, qsfs_getenv_fn get, const char *name,
		     const char *def, char *err, size_t errlen)
{
	int rc = load_string(dst, size, get, name, def, err, errlen);
	if (rc < 0)
		return rc;
	if (dst[0] != '/')
		return fail(err, errlen, name, "not an absolute path", dst);
	for (size_t n = strlen(dst); n > 1 && dst[n - 1] == '/'; n--)
		dst[n - 1] = '\0';
	return 0;
}

static int load_number(unsigned *out, unsigned scale, unsigned min, unsigned max,
		       qsfs_getenv_fn get, const char *name, const char *def, char *err,
		       size_t errlen)
{
	const char *v = value_or(get, name, def);
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n < min || n > max)
		return fail(err, errlen, name, "not a whole number in range", v);
	*out = (unsigned)n * scale;
	return 0;
}

static int load_namespaces(struct qsfs_settings *s, qsfs_getenv_fn get, char *err, size_t errlen)
{
	const char *name = "QSFS_NAMESPACES";
	const char *v = value_or(get, name, "zdbfs-meta zdbfs-data");
	char *out = s->ns_buf;
	s->n_ns = 0;
	for (const char *p = v; *p;) {
		p += strspn(p, " \t\n");
		size_t n = strcspn(p, " \t\n");
		if (n == 0)
			break;
		if (s->n_ns == QSFS_MAX_NS)
			return fail(err, errlen, name, "too many namespaces", v);
		if (n > QSFS_NS_MAX || memchr(p, '/', n) || (n <= 2 && p[0] == '.' && p[n - 1] == '.'))
			return fail(err, errlen, name, "invalid namespace name", v);
		memcpy(out, p, n);
		out[n] = '\0';
		s->ns[s->n_ns++] = out;
		out += n + 1;
		p += n;
	}
	if (s->n_ns == 0)
		return fail(err, errlen, name, "no namespace", v);
	return 0;
}

enum kind { PATH, STRING, SECONDS, MILLISECONDS };

struct setting {
	const char *name;
	const char *def;
	enum kind kind;
	size_t offset; /* of the field in struct qsfs_settings */
	size_t size;   /* of a string field */
};

#define STR(field) offsetof(struct qsfs_settings, field), sizeof(((struct qsfs_settings *)0)->field)
#define NUM(field) offsetof(struct qsfs_settings, field), 0

static const struct setting table[] = {
	{ "QSFS_INDEX_DIR", "/data/index", PATH, STR(index_dir) },
	{ "QSFS_DATA_DIR", "/data/data", PATH, STR(data_dir) },
	{ "QSFS_STATE_DIR", "/data/qsfs", PATH, STR(state_dir) },
	{ "QSFS_ZSTOR", "zstor", STRING, STR(zstor) },
	{ "QSFS_ZSTOR_CONFIG", "/data/zstor.toml", STRING, STR(zstor_config) },
	{ "QSFS_READY_SOCKET", "/var/run/wait_hooks.sock", PATH, STR(ready_socket) },
	{ "QSFS_RETRIEVE_TIMEOUT", "60", SECONDS, NUM(retrieve_timeout_ms) },
	{ "QSFS_STORE_TIMEOUT", "120", SECONDS, NUM(store_timeout_ms) },
	{ "QSFS_DRAIN_TIMEOUT", "600", SECONDS, NUM(drain_timeout_ms) },
	{ "QSFS_CLOSING_GRACE_MS", "3000", MILLISECONDS, NUM(closing_grace_ms) },
};

static int load_one(struct qsfs_settings *s, const struct setting *t, qsfs_getenv_fn get,
		    char *err, size_t errlen)
{
	char *field = (char *)s + t->offset;
	switch (t->kind) {
	case PATH:
		return load_path(field, t->size, get, t->name, t->def, err, errlen);
	case STRING:
		return load_string(field, t->size, get, t->name, t->def, err, errlen);
	case SECONDS:
		return load_number((unsigned *)(void *)field, 1000, 1, MAX_SECONDS, get, t->name,
				   t->def, err, errlen);
	case MILLISECONDS:
		return load_number((unsigned *)(void *)field, 1, 0, MAX_SECONDS, get, t->name,
				   t->def, err, errlen);
	}
	return -EINVAL;
}

int qsfs_settings_load(struct qsfs_settings *s, qsfs_getenv_fn get, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		int rc = load_one(s, &table[i], get, err, errlen);
		if (rc < 0)
			return rc;
	}
	return load_namespaces(s, get, err, errlen);
}

bool qsfs_settings_has_ns(const struct qsfs_settings *s, const char *ns)
{
	for (size_t i = 0; i < s->n_ns; i++)
		if (strcmp(s->ns[i], ns) == 0)
			return true;
	return false;
}

static const char *process_env(const char *name)
{
	return getenv(name);
}

int qsfs_settings_from_env(struct qsfs_settings *s, char *err, size_t errlen)
{
	return qsfs_settings_load(s, process_env, err, errlen);
}
