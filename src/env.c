/* SPDX-License-Identifier: MIT */
/* An environment being built for a child: ordered KEY=VALUE entries, later settings replace. */
#include "env.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* hash_key() - FNV-1a over the @klen bytes at @key. */
static size_t hash_key(const char *key, size_t klen)
{
	size_t h = 2166136261u;

	for (size_t i = 0; i < klen; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

/* key_len() - the length of the key of entry "KEY=VALUE". */
static size_t key_len(const char *entry)
{
	return (size_t)(strchr(entry, '=') - entry);
}

/* index_put() - record entry @i in the index (open addressing, linear probing). */
static void index_put(struct env *e, size_t i)
{
	size_t mask = e->islots - 1;
	size_t s = hash_key(e->vars[i], key_len(e->vars[i])) & mask;

	while (e->index[s])
		s = (s + 1) & mask;
	e->index[s] = i + 1;
}

/* index_rebuild() - an index of @slots slots (a power of two) over every entry. */
static void index_rebuild(struct env *e, size_t slots)
{
	free(e->index);
	e->islots = slots;
	e->index = xcalloc(slots, sizeof(*e->index));
	for (size_t i = 0; i < e->n; i++)
		index_put(e, i);
}

void env_init(struct env *e)
{
	e->n = 0;
	e->cap = 8;
	e->vars = xcalloc(e->cap, sizeof(*e->vars));
	e->index = NULL;
	index_rebuild(e, 16);
}

void env_free(struct env *e)
{
	if (!e->vars)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->vars[i]);
	free(e->vars);
	free(e->index);
	e->vars = NULL;
	e->index = NULL;
	e->n = e->cap = e->islots = 0;
}

void env_copy(struct env *dst, const struct env *src)
{
	dst->n = src->n;
	dst->cap = src->n + 1;
	dst->vars = xcalloc(dst->cap, sizeof(*dst->vars));
	for (size_t i = 0; i < src->n; i++)
		dst->vars[i] = xstrdup(src->vars[i]);
	dst->index = xcalloc(src->islots, sizeof(*dst->index));
	dst->islots = src->islots;
	memcpy(dst->index, src->index, src->islots * sizeof(*dst->index));
}

/*
 * find() - the index of the entry whose key is the @klen bytes at @key, or -1. Through the
 * hash index: a linear scan made each setting cost the size of the environment, quadratic
 * for a large /etc/environment or unit env, and paid again at every spawn.
 */
static long find(const struct env *e, const char *key, size_t klen)
{
	size_t mask = e->islots - 1;

	for (size_t s = hash_key(key, klen) & mask; e->index[s]; s = (s + 1) & mask) {
		const char *v = e->vars[e->index[s] - 1];

		if (strncmp(v, key, klen) == 0 && v[klen] == '=')
			return (long)(e->index[s] - 1);
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
	if (2 * e->n > e->islots)
		index_rebuild(e, e->islots * 2);
	else
		index_put(e, e->n - 1);
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
