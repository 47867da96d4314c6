/* SPDX-License-Identifier: MIT */
/* An environment being built for a child: ordered KEY=VALUE entries, later settings replace. */
#include "env.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void env_init(struct env *e)
{
	e->n = 0;
	e->cap = 8;
	e->vars = xcalloc(e->cap, sizeof(*e->vars));
}

void env_free(struct env *e)
{
	if (!e->vars)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->vars[i]);
	free(e->vars);
	e->vars = NULL;
	e->n = e->cap = 0;
}

void env_copy(struct env *dst, const struct env *src)
{
	dst->n = src->n;
	dst->cap = src->n + 1;
	dst->vars = xcalloc(dst->cap, sizeof(*dst->vars));
	for (size_t i = 0; i < src->n; i++)
		dst->vars[i] = xstrdup(src->vars[i]);
}

/* find() - the index of the entry whose key is the @klen bytes at @key, or -1. */
static long find(const struct env *e, const char *key, size_t klen)
{
	for (size_t i = 0; i < e->n; i++) {
		const char *v = e->vars[i];

		if (strncmp(v, key, klen) == 0 && v[klen] == '=')
			return (long)i;
	}
	return -1;
}

/* set_n() - set the key made of the @klen bytes at @key to the @vlen bytes at @value. */
static void set_n(struct env *e, const char *key, size_t klen, const char *value, size_t vlen)
{
	char *entry = xmalloc(klen + vlen + 2);
	long i = find(e, key, klen);

	memcpy(entry, key, klen);
	entry[klen] = '=';
	memcpy(entry + klen + 1, value, vlen);
	entry[klen + 1 + vlen] = '\0';
	if (i >= 0) {
		free(e->vars[i]);
		e->vars[i] = entry;
		return;
	}
	if (e->n + 1 >= e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->vars = xrealloc(e->vars, e->cap * sizeof(*e->vars));
	}
	e->vars[e->n++] = entry;
	e->vars[e->n] = NULL;
}

void env_set(struct env *e, const char *key, const char *value)
{
	set_n(e, key, strlen(key), value, strlen(value));
}

void env_add_vector(struct env *e, char *const *vec)
{
	for (; vec && *vec; vec++) {
		const char *eq = strchr(*vec, '=');

		if (eq)
			set_n(e, *vec, (size_t)(eq - *vec), eq + 1, strlen(eq + 1));
	}
}

const char *env_get(const struct env *e, const char *key)
{
	size_t klen = strlen(key);
	long i = find(e, key, klen);

	return i < 0 ? NULL : e->vars[i] + klen + 1;
}

/* is_space() - ASCII whitespace as Rust's str::trim() sees it (\t \n \v \f \r and space). */
static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * parse_line() - apply one line of /etc/environment (without its '\n'). A line holding a NUL
 * byte is skipped: it cannot become a C environment entry (zinit's spawn would fail on it).
 */
static void parse_line(struct env *e, const char *s, size_t len)
{
	const char *eq;

	while (len && is_space(*s)) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	if (len == 0 || s[0] == '#' || memchr(s, '\0', len))
		return;
	eq = memchr(s, '=', len);
	if (!eq) {
		set_n(e, s, len, "", 0);
		return;
	}
	set_n(e, s, (size_t)(eq - s), eq + 1, len - (size_t)(eq - s) - 1);
}

void env_parse_etc_environment(struct env *e, const char *text, size_t len)
{
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;

		parse_line(e, text, n);
		if (!nl)
			break;
		text += n + 1;
		len -= n + 1;
	}
}
