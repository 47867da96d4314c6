/* SPDX-License-Identifier: MIT */
/* zstor stand-in: the config file (a TOML subset) and the test knobs file. */
#ifndef ZSTOR_CONF_H
#define ZSTOR_CONF_H

/*
 * Config: only top-level `socket`, `pid_file` and the stand-in's own `[standin]` section
 * (`remote`, `knobs`) are used. Every other key, table and array of tables ([[groups]],
 * [meta], [encryption]...) is skipped, including multi-line arrays and inline tables. Values
 * the stand-in uses must be basic ("...") or literal ('...') strings.
 *
 * Knobs: `key=value` lines, re-read on every operation; a missing file or key means "off".
 */

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct zconf {
	char socket[PATH_MAX];   /* "" = no socket: commands run in-process */
	char pid_file[PATH_MAX]; /* "" = /var/run/zstor.pid */
	char remote[PATH_MAX - 256]; /* [standin] remote: where objects live (room for suffixes) */
	char knobs[PATH_MAX];    /* [standin] knobs, default <remote>/.knobs */
};

enum zknob_op { ZKNOB_STORE = 1, ZKNOB_RETRIEVE = 2, ZKNOB_CHECK = 4 };

struct zknobs {
	long store_delay_ms;    /* sleep per file store, between its two reads of the file */
	char gate[PATH_MAX];    /* then a file store waits until this path exists; "" = none */
	long retrieve_delay_ms; /* sleep per retrieve, after half of the file is written */
	long check_delay_ms;    /* sleep per check, before it looks */
	char fail[PATH_MAX];    /* fnmatch pattern on the key; "" = none */
	unsigned fail_ops;      /* ZKNOB_* set; default ZKNOB_STORE */
	long long fail_until;   /* epoch seconds; failures only before it; 0 = always */
	char hang[PATH_MAX];    /* a store whose key matches blocks forever */
	long crash_after_stores; /* the Nth store (counted across processes) aborts half-way */
	bool retrieve_partial;  /* retrieve writes half the file, then fails */
	long retry_pause_ms;    /* pause before retrying a failed --notblocking store (200) */
};

/* TOML basic string (with the common escapes) or literal string starting at *p. */
static inline int zconf_string(const char *p, char *out, size_t cap)
{
	char q = *p++;
	size_t n = 0;

	if (q != '"' && q != '\'')
		return -EINVAL;
	for (; *p && *p != q; p++) {
		char c = *p;

		if (q == '"' && c == '\\') {
			c = *++p;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c != '\\' && c != '"')
				return -EINVAL;
		}
		if (n + 1 >= cap)
			return -ENAMETOOLONG;
		out[n++] = c;
	}
	if (*p != q)
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

/* Bracket depth change of one line, ignoring brackets inside strings and comments. */
static inline int zconf_depth_delta(const char *s)
{
	int d = 0;
	char q = 0;

	for (; *s; s++) {
		if (q) {
			if (*s == '\\' && q == '"' && s[1])
				s++;
			else if (*s == q)
				q = 0;
		} else if (*s == '"' || *s == '\'') {
			q = *s;
		} else if (*s == '#') {
			break;
		} else if (*s == '[' || *s == '{') {
			d++;
		} else if (*s == ']' || *s == '}') {
			d--;
		}
	}
	return d;
}

static inline char *zconf_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* One `key = value` line of the top level ("") or of [standin]. */
static inline int zconf_assign(struct zconf *c, const char *section, char *line)
{
	char *eq = strchr(line, '='), *key, *val;
	char *dst = NULL;
	size_t cap = PATH_MAX;

	if (!eq)
		return -EINVAL;
	*eq = '\0';
	key = zconf_trim(line);
	val = zconf_trim(eq + 1);
	if (!strcmp(section, "")) {
		if (!strcmp(key, "socket"))
			dst = c->socket;
		else if (!strcmp(key, "pid_file"))
			dst = c->pid_file;
	} else if (!strcmp(section, "standin")) {
		if (!strcmp(key, "remote")) {
			dst = c->remote;
			cap = sizeof(c->remote);
		}
		else if (!strcmp(key, "knobs"))
			dst = c->knobs;
	}
	return dst ? zconf_string(val, dst, cap) : 0;
}

/* zconf_parse_line: one physical line; *depth carries multi-line arrays/inline tables. */
static inline int zconf_parse_line(struct zconf *c, char *section, size_t seccap, char *raw,
				   int *depth)
{
	char *line = zconf_trim(raw);
	int start = *depth;

	*depth += zconf_depth_delta(line);
	if (start > 0 || *line == '#' || *line == '\0')
		return 0;
	if (line[0] == '[') {
		bool arr = line[1] == '[';
		char *name = line + (arr ? 2 : 1), *end = strchr(name, ']');

		*depth = 0;
		if (!end || (size_t)(end - name) >= seccap)
			return -EINVAL;
		*end = '\0';
		snprintf(section, seccap, "%s", zconf_trim(name));
		if (arr) /* [[groups]]: an array of tables; never ours */
			snprintf(section, seccap, "[[%s]]", name);
		return 0;
	}
	return zconf_assign(c, section, line);
}

/* zconf_load: parses PATH; *lineno = the failing line. -errno (open) or -EINVAL (syntax). */
static inline int zconf_load(const char *path, struct zconf *c, int *lineno)
{
	char buf[8192], section[256] = "";
	int rc = 0, depth = 0;
	FILE *f = fopen(path, "re");

	memset(c, 0, sizeof(*c));
	*lineno = 0;
	if (!f)
		return -errno;
	while (rc == 0 && fgets(buf, sizeof(buf), f)) {
		++*lineno;
		rc = zconf_parse_line(c, section, sizeof(section), buf, &depth);
	}
	fclose(f);
	if (rc == 0 && c->remote[0] && !c->knobs[0])
		snprintf(c->knobs, sizeof(c->knobs), "%s/.knobs", c->remote);
	return rc;
}

static inline unsigned zknobs_ops(const char *v)
{
	unsigned ops = 0;

	if (strstr(v, "store"))
		ops |= ZKNOB_STORE;
	if (strstr(v, "retrieve"))
		ops |= ZKNOB_RETRIEVE;
	if (strstr(v, "check"))
		ops |= ZKNOB_CHECK;
	return ops;
}

static inline void zknobs_set(struct zknobs *k, const char *key, const char *v)
{
	if (!strcmp(key, "store_delay_ms"))
		k->store_delay_ms = atol(v);
	else if (!strcmp(key, "gate"))
		snprintf(k->gate, sizeof(k->gate), "%s", v);
	else if (!strcmp(key, "retrieve_delay_ms"))
		k->retrieve_delay_ms = atol(v);
	else if (!strcmp(key, "check_delay_ms"))
		k->check_delay_ms = atol(v);
	else if (!strcmp(key, "fail"))
		snprintf(k->fail, sizeof(k->fail), "%s", v);
	else if (!strcmp(key, "fail_ops"))
		k->fail_ops = zknobs_ops(v);
	else if (!strcmp(key, "fail_until"))
		k->fail_until = atoll(v);
	else if (!strcmp(key, "hang"))
		snprintf(k->hang, sizeof(k->hang), "%s", v);
	else if (!strcmp(key, "crash_after_stores"))
		k->crash_after_stores = atol(v);
	else if (!strcmp(key, "retrieve_partial"))
		k->retrieve_partial = atoi(v) != 0;
	else if (!strcmp(key, "retry_pause_ms"))
		k->retry_pause_ms = atol(v);
}

/* zknobs_load: reads the knobs file (absent = every knob off). */
static inline void zknobs_load(const char *path, struct zknobs *k)
{
	char buf[PATH_MAX + 64];
	FILE *f;

	memset(k, 0, sizeof(*k));
	k->fail_ops = ZKNOB_STORE;
	k->retry_pause_ms = 200;
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(buf, sizeof(buf), f)) {
		char *line = zconf_trim(buf), *eq = strchr(line, '=');

		if (*line == '#' || !eq)
			continue;
		*eq = '\0';
		zknobs_set(k, zconf_trim(line), zconf_trim(eq + 1));
	}
	fclose(f);
}

/* zknobs_fails: whether operation OP on KEY must fail now. */
static inline bool zknobs_fails(const struct zknobs *k, enum zknob_op op, const char *key)
{
	if (!k->fail[0] || !(k->fail_ops & op) || fnmatch(k->fail, key, 0) != 0)
		return false;
	return k->fail_until == 0 || (long long)time(NULL) < k->fail_until;
}

#endif
