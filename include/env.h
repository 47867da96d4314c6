/* SPDX-License-Identifier: MIT */
/* An environment being built for a child: KEY=VALUE entries, later settings replace earlier ones. */
#ifndef ZINIT_ENV_H
#define ZINIT_ENV_H

#include <stddef.h>

struct env {
	char **vars; /* malloc'd "KEY=VALUE" strings, NULL-terminated (vars[n] == NULL) */
	size_t n;
	size_t cap;
	size_t *index;  /* hash index over the keys: entry i + 1, 0 for an empty slot */
	size_t islots;  /* slots in index: a power of two, at least twice n */
};

/** env_init() - an empty environment (vars is a valid empty vector). */
void env_init(struct env *e);
/** env_free() - release every entry; @e is empty and unusable until env_init() again. */
void env_free(struct env *e);
/** env_copy() - @dst (uninitialised) becomes a deep copy of @src. */
void env_copy(struct env *dst, const struct env *src);
/** env_set() - set KEY to VALUE, replacing an existing KEY. */
void env_set(struct env *e, const char *key, const char *value);
/** env_add_vector() - env_set() every "KEY=VALUE" of a NULL-terminated vector (e.g. environ);
 *  entries without '=' are skipped. */
void env_add_vector(struct env *e, char *const *vec);
/** env_get() - the value of KEY, or NULL. */
const char *env_get(const struct env *e, const char *key);
/**
 * env_parse_etc_environment() - apply the contents of /etc/environment as zinit reads it:
 * each line trimmed of surrounding whitespace; empty lines and lines starting with '#'
 * skipped; split at the first '='; key and value verbatim (no quote removal, no $ expansion,
 * no `export` handling); a line without '=' sets KEY to "".
 */
void env_parse_etc_environment(struct env *e, const char *text, size_t len);

#endif
