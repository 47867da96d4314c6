/* SPDX-License-Identifier: MIT */
/* Tests for unitjson: JSON written as a unit file reads back as the same unit, and a unit as JSON. */
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "unitjson.h"

/* parse() - unitjson_to_yaml(@json) through unit_parse(); NULL (and @err) if it is no unit. */
static struct unit *parse(const char *json, char *err, size_t errlen)
{
	json_t *content = json_loads(json, 0, NULL);
	char *yaml = content ? unitjson_to_yaml(content) : NULL;
	struct unit *u = NULL;
	err[0] = '\0';
	if (yaml && unit_parse("t.yaml", "t", yaml, strlen(yaml), &u, err, errlen, NULL, NULL) < 0)
		u = NULL;
	free(yaml);
	json_decref(content);
	return u;
}

/* same_json() - whether @v equals the JSON text @want. */
static bool same_json(const json_t *v, const char *want)
{
	json_t *w = json_loads(want, 0, NULL);
	bool same = w && json_equal(v, w);
	json_decref(w);
	return same;
}

TEST(unitjson_yaml_shape)
{
	json_t *c = json_loads("{\"exec\": \"redis-server\", \"after\": [\"db\"], "
			       "\"env\": {\"K\": \"v\"}, \"oneshot\": false, \"test\": null, "
			       "\"x\": {\"y\": [1, {\"z\": 2}]}, \"signal\": {}}", 0, NULL);
	char *y = unitjson_to_yaml(c);
	ASSERT_STR_EQ(y, "exec: \"redis-server\"\n"
			 "after:\n  - \"db\"\n"
			 "env:\n  K: \"v\"\n"
			 "oneshot: false\n"
			 "test: null\n"
			 "x:\n  \"y\":\n    - 1\n    -\n      z: 2\n" /* y alone: a YAML 1.1 boolean */
			 "signal: {}\n");
	free(y);
	json_decref(c);
	json_t *a = json_array();
	ASSERT(unitjson_to_yaml(a) == NULL);
	json_decref(a);
}

TEST(unitjson_every_key_round_trips)
{
	char err[1024];
	const char *full = "{\"exec\": \"sh -c 'echo a: b # c'\", \"test\": \"test -e /x\", "
			   "\"oneshot\": true, \"shutdown_timeout\": 7, \"after\": [\"db\", \"cache\"], "
			   "\"signal\": {\"stop\": \"SIGINT\"}, \"log\": \"stdout\", "
			   "\"env\": {\"A\": \"1\", \"B\": \"x y\"}, \"dir\": \"/srv\", \"tty\": true}";
	struct unit *u = parse(full, err, sizeof(err));
	ASSERT(u != NULL);
	json_t *back = unitjson_of_unit(u);
	ASSERT(same_json(back, full));
	/* and once more: unitjson_of_unit()'s output is itself a unit */
	char *text = json_dumps(back, 0);
	struct unit *again = parse(text, err, sizeof(err));
	ASSERT(again != NULL);
	json_t *twice = unitjson_of_unit(again);
	ASSERT(json_equal(back, twice));
	json_decref(twice);
	unit_free(again);
	free(text);
	json_decref(back);
	unit_free(u);
}

TEST(unitjson_defaults_filled_in)
{
	char err[1024];
	struct unit *u = parse("{\"exec\": \"sleep 1\"}", err, sizeof(err));
	ASSERT(u != NULL);
	json_t *j = unitjson_of_unit(u);
	ASSERT(same_json(j, "{\"exec\": \"sleep 1\", \"test\": null, \"oneshot\": false, "
			    "\"shutdown_timeout\": 10, \"after\": [], \"signal\": {\"stop\": \"SIGTERM\"}, "
			    "\"log\": \"ring\", \"env\": {}, \"dir\": null, \"tty\": false}"));
	json_decref(j);
	unit_free(u);
}

/* Strings YAML would read as something else if written plain, and keys likewise: all kept. */
TEST(unitjson_strings_and_keys_keep_their_text)
{
	static const char *const values[] = { "yes", "no", "on", "null", "~", "123", "0x1f",
					      "1e3", "- item", "#hash", "a: b", "[x]", "{y}",
					      "&anchor", "*alias", "!tag", "|", ">", "%", "@", "`",
					      "'q'", "\"dq\"", "back\\slash", "line\nbreak",
					      "tab\there", " lead", "trail ", "", "é ✓", "\x01",
					      /* DEL, C1, NEL, LS, PS, BOM, U+FFFE/F: escaped */
					      "a\x7f", "\xc2\x80\xc2\x9f", "x\xc2\x85y",
					      "\xe2\x80\xa8\xe2\x80\xa9", "\xef\xbb\xbf",
					      "\xef\xbf\xbe\xef\xbf\xbf", "\xf0\x9f\x98\x80" };
	static const char *const keys[] = { "yes", "No", "ON", "true", "null", "y", "1a",
					    "a:b", "a b", "-x", "é", "#k", "k\x7f", "" };
	json_t *env = json_object();
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char key[16];
		snprintf(key, sizeof(key), "V%zu", i);
		json_object_set_new(env, key, json_string(values[i]));
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i][0]) /* an empty variable name is refused by the unit parser */
			json_object_set_new(env, keys[i], json_string(keys[i]));
	json_t *c = json_pack("{s:s, s:o}", "exec", "true", "env", env);
	char *text = json_dumps(c, 0), err[1024];
	struct unit *u = parse(text, err, sizeof(err));
	ASSERT(u != NULL);
	json_t *back = unitjson_of_unit(u);
	ASSERT(json_equal(json_object_get(back, "env"), json_object_get(c, "env")));
	json_decref(back);
	unit_free(u);
	free(text);
	json_decref(c);
}

/* YAML reads an implicit key of at most 1024 characters: a longer one is written explicitly. */
TEST(unitjson_long_keys_and_deep_nesting)
{
	char key[3000], err[1024];
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	json_t *c = json_pack("{s:s, s:{s:s}, s:{s:[{s:i}]}}", "exec", "true", "env", key, "v",
			      key, key, key, 1);
	char *text = json_dumps(c, 0);
	struct unit *u = parse(text, err, sizeof(err));
	ASSERT(u != NULL); /* the unknown top-level key is only a warning */
	ASSERT_EQ(u->nenv, 1);
	ASSERT_STR_EQ(u->env[0].key, key);
	unit_free(u);
	free(text);
	json_decref(c);

	json_t *deep = json_array(), *inner = deep;
	for (int i = 0; i < UNITJSON_MAX_DEPTH + 1; i++) {
		json_t *next = json_array();
		json_array_append_new(inner, next);
		inner = next;
	}
	c = json_pack("{s:s, s:o}", "exec", "true", "x", deep);
	ASSERT(unitjson_to_yaml(c) == NULL);
	json_decref(c);
}

TEST(unitjson_types_are_kept_so_errors_show)
{
	char err[1024];
	/* a quoted "true" stays a string, which oneshot refuses, as zinit does */
	ASSERT(parse("{\"exec\": \"x\", \"oneshot\": \"true\"}", err, sizeof(err)) == NULL);
	ASSERT_CONTAINS(err, "oneshot");
	ASSERT(parse("{\"exec\": \"x\", \"shutdown_timeout\": \"5\"}", err, sizeof(err)) == NULL);
	ASSERT_CONTAINS(err, "shutdown_timeout");
	ASSERT(parse("{\"exec\": \"x\", \"after\": \"db\"}", err, sizeof(err)) == NULL);
	ASSERT(parse("{}", err, sizeof(err)) == NULL);
	ASSERT_CONTAINS(err, "exec");
	ASSERT(parse("{\"exec\": \"\"}", err, sizeof(err)) == NULL);
}
