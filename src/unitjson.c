/* SPDX-License-Identifier: MIT */
/* Unit files and JSON, for the control methods service_create and service_get; pure. */
#include "unitjson.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "signame.h"
#include "strbuf.h"

/*
 * The length of a character at @s that YAML may not hold raw but JSON leaves so (only inside
 * strings, where an escape means the same to both), else 0: DEL and the C1 controls, which
 * YAML refuses, NEL, LS and PS, which it reads as line breaks, the BOM, U+FFFE and U+FFFF.
 */
static size_t needs_escape(const unsigned char *s, unsigned *code)
{
	if (s[0] == 0x7f) {
		*code = 0x7f;
		return 1;
	}
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*code = s[1];
		return 2;
	}
	if ((s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) ||
	    (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) ||
	    (s[0] == 0xef && s[1] == 0xbf && (s[2] == 0xbe || s[2] == 0xbf))) {
		*code = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	return 0;
}

/* @v as one line of JSON ("a", 10, true, null, {"k": "v"}, ["x", "y"]): YAML too, once the
 * characters YAML reads otherwise are escaped as \uXXXX. */
static void add_json(struct strbuf *t, const json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY); /* ", " and ": " between items, no newline */
	const unsigned char *c = (const unsigned char *)(s ? s : "null"), *run = c;

	for (; *c; c++) {
		unsigned code;
		size_t n = needs_escape(c, &code);
		if (n == 0)
			continue;
		char esc[8];
		strbuf_add(t, (const char *)run, (size_t)(c - run));
		snprintf(esc, sizeof(esc), "\\u%04x", code);
		strbuf_addstr(t, esc);
		c += n - 1;
		run = c + 1;
	}
	strbuf_addstr(t, (const char *)run);
	free(s);
}

/* Whether @key can stand unquoted: a plain word that YAML does not read as anything else. */
static bool plain_key(const char *key)
{
	static const char *const special[] = { "true", "false", "null", "yes", "no", "on",
					       "off", "y", "n" };
	if (!((key[0] >= 'A' && key[0] <= 'Z') || (key[0] >= 'a' && key[0] <= 'z') || key[0] == '_'))
		return false;
	for (const char *c = key; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
			return false;
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (strcasecmp(key, special[i]) == 0)
			return false;
	return true;
}

static void add_spaces(struct strbuf *t, size_t n)
{
	static const char spaces[] = "                                ";
	for (; n > 0; n -= n < 32 ? n : 32)
		strbuf_add(t, spaces, n < 32 ? n : 32);
}

/* A key longer than this is written as an explicit one ("? KEY" then ": VALUE"): YAML reads an
 * implicit key of at most 1024 characters. */
#define IMPLICIT_KEY_MAX 1000

/* "KEY:" at @indent, the key plain where it can be, else as a JSON string. */
static void add_key(struct strbuf *t, size_t indent, const char *key)
{
	struct strbuf k = { 0 };
	if (plain_key(key)) {
		strbuf_addstr(&k, key);
	} else {
		json_t *j = json_string(key);
		add_json(&k, j);
		json_decref(j);
	}
	add_spaces(t, indent);
	if (k.len > IMPLICIT_KEY_MAX) {
		strbuf_addstr(t, "? ");
		strbuf_add(t, k.s, k.len);
		strbuf_addstr(t, "\n");
		add_spaces(t, indent);
	} else {
		strbuf_add(t, k.s, k.len);
	}
	strbuf_addstr(t, ":");
	strbuf_free(&k);
}

static bool is_filled(const json_t *v)
{
	return (json_is_object(v) && json_object_size(v) > 0) ||
	       (json_is_array(v) && json_array_size(v) > 0);
}

static void add_value(struct strbuf *t, const json_t *v, size_t indent);

/* Each "KEY: VALUE" of the object @o, at @indent. */
static void add_entries(struct strbuf *t, const json_t *o, size_t indent)
{
	const char *key;
	const json_t *item;
	json_object_foreach((json_t *)o, key, item) {
		add_key(t, indent, key);
		add_value(t, item, indent + 2);
	}
}

/* What follows "KEY:" or "-": a scalar or an empty collection on the same line, else the
 * collection's entries in block style on the lines below, at @indent. */
static void add_value(struct strbuf *t, const json_t *v, size_t indent)
{
	if (!is_filled(v)) {
		strbuf_addstr(t, " ");
		add_json(t, v);
		strbuf_addstr(t, "\n");
		return;
	}
	strbuf_addstr(t, "\n");
	if (json_is_object(v)) {
		add_entries(t, v, indent);
		return;
	}
	size_t i;
	const json_t *item;
	json_array_foreach(v, i, item) {
		add_spaces(t, indent);
		strbuf_addstr(t, "-");
		add_value(t, item, indent + 2);
	}
}

/* Whether @v nests no deeper than @depth levels of collections. */
static bool shallow(const json_t *v, int depth)
{
	const char *key;
	json_t *item;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v))
		return true;
	if (depth == 0)
		return false;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, item)
			if (!shallow(item, depth - 1))
				return false;
		return true;
	}
	json_array_foreach(v, i, item)
		if (!shallow(item, depth - 1))
			return false;
	return true;
}

char *unitjson_to_yaml(const json_t *content)
{
	struct strbuf t = { 0 };

	if (!json_is_object(content) || !shallow(content, UNITJSON_MAX_DEPTH))
		return NULL;
	strbuf_add(&t, "", 0);
	if (json_object_size(content) == 0)
		strbuf_addstr(&t, "{}\n");
	add_entries(&t, content, 0);
	return t.s;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *unitjson_of_unit(const struct unit *u)
{
	static const char *const log_names[] = { [UNIT_LOG_RING] = "ring",
						 [UNIT_LOG_STDOUT] = "stdout",
						 [UNIT_LOG_NONE] = "none" };
	const char *sig = signame_name(u->stop_signal);
	json_t *after = json_array(), *env = json_object();

	for (size_t i = 0; i < u->nafter; i++)
		json_array_append_new(after, json_string(u->after[i]));
	for (size_t i = 0; i < u->nenv; i++)
		json_object_set_new(env, u->env[i].key, json_string(u->env[i].value));
	return json_pack("{s:s, s:o, s:b, s:I, s:o, s:{s:o}, s:s, s:o, s:o, s:b}", "exec", u->exec,
			 "test", string_or_null(u->test), "oneshot", u->oneshot,
			 "shutdown_timeout", (json_int_t)u->shutdown_timeout, "after", after,
			 "signal", "stop", sig ? json_string(sig) : json_integer(u->stop_signal),
			 "log", log_names[u->log], "env", env, "dir", string_or_null(u->dir),
			 "tty", u->tty);
}
