/* SPDX-License-Identifier: MIT */
/* Unit files and JSON, for the control methods service_create and service_get; pure. */
#ifndef ZINIT_UNITJSON_H
#define ZINIT_UNITJSON_H

#include <jansson.h>

#include "unit.h"

/* Deeper nesting is refused: a unit is three levels deep (root, signal/env/after, scalar). */
#define UNITJSON_MAX_DEPTH 32

/**
 * unitjson_to_yaml() - the unit file text for @content, a JSON object such as
 * {"exec": "redis-server", "after": ["db"]}: block style, keys in the object's order, every
 * string double-quoted the JSON way (which YAML reads alike, so no value changes type; the
 * characters YAML reads otherwise escaped). Whether it is a valid unit is unit_parse()'s to
 * say. Return: malloc'd text, or NULL when @content is not an object or nests collections
 * more than UNITJSON_MAX_DEPTH deep.
 */
char *unitjson_to_yaml(const json_t *content);

/**
 * unitjson_of_unit() - @u as a JSON object with every key a unit file may hold, defaults
 * included: exec, test (null when none), oneshot, shutdown_timeout, after, signal {stop},
 * log, env, dir (null when unset), tty. unitjson_to_yaml() of it gives back the same unit.
 */
json_t *unitjson_of_unit(const struct unit *u);

#endif
