/* SPDX-License-Identifier: MIT */
/* One zinit unit file (YAML, libyaml document API, bounded first by yamlguard) -> struct unit, with FILE:LINE:COLUMN errors. */
#include "unit.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cmdline.h"
#include "readfile.h"
#include "signame.h"
#include "strbuf.h"
#include "xalloc.h"
#include "yamlguard.h"

/* unit_load() refuses files larger than this: a unit file is a few lines. */
#define UNIT_MAX_FILE_SIZE (1024 * 1024)
/* Values quoted in messages are cut after this many bytes. */
#define QUOTE_MAX 48

/* The state of one unit_parse() call. */
struct parser {
	const char *path;
	const char *text;
	size_t len;
	yaml_document_t *doc;
	char *err;
	size_t errlen;
	unit_warn_fn warn;
	void *ctx;
	struct unit *u;
	const yaml_node_t *seen[10]; /* key node of each known key met so far, by keys[] index */
};

typedef int (*key_fn)(struct parser *p, const char *key, const yaml_node_t *val);

/* ---- messages ---- */

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		abort();
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* located() - "PATH:LINE:COLUMN: message", malloc'd; @m is libyaml's 0-based mark. */
__attribute__((format(printf, 3, 0)))
static char *located(const struct parser *p, yaml_mark_t m, const char *fmt, va_list ap)
{
	char *msg = vformat(fmt, ap);
	size_t n = strlen(p->path) + strlen(msg) + 64;
	char *s = xmalloc(n);

	snprintf(s, n, "%s:%zu:%zu: %s", p->path, m.line + 1, m.column + 1, msg);
	free(msg);
	return s;
}

/* errorf() - record an error at @m; returns -EINVAL so that callers can `return errorf(...)`. */
__attribute__((format(printf, 3, 4)))
static int errorf(struct parser *p, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = located(p, m, fmt, ap);
	va_end(ap);
	if (p->err && p->errlen)
		snprintf(p->err, p->errlen, "%s", s);
	free(s);
	return -EINVAL;
}

__attribute__((format(printf, 3, 4)))
static void warnf(struct parser *p, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!p->warn)
		return;
	va_start(ap, fmt);
	s = located(p, m, fmt, ap);
	va_end(ap);
	p->warn(p->ctx, s);
	free(s);
}

/* quote() - @s (@len bytes) in double quotes, control bytes escaped, cut after QUOTE_MAX bytes. */
static void quote(char *out, size_t outlen, const char *s, size_t len)
{
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < len && i < QUOTE_MAX && o + 8 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, outlen - o, "\\%c", c);
		else if (c == '\n')
			o += (size_t)snprintf(out + o, outlen - o, "\\n");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	snprintf(out + o, outlen - o, len > QUOTE_MAX ? "\"..." : "\"");
}

static const char *text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* describe() - what a node is, for "expected X, got Y" messages. */
static void describe(const yaml_node_t *n, char *out, size_t outlen)
{
	char q[QUOTE_MAX * 4 + 16];

	if (n->type == YAML_MAPPING_NODE) {
		snprintf(out, outlen, "a mapping");
	} else if (n->type == YAML_SEQUENCE_NODE) {
		snprintf(out, outlen, "a sequence");
	} else if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !n->data.scalar.length) {
		snprintf(out, outlen, "an empty value");
	} else {
		quote(q, sizeof(q), text(n), n->data.scalar.length);
		snprintf(out, outlen, "%s%s",
			 n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
					 n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
				 ? "the quoted string "
				 : "",
			 q);
	}
}

/* type_error() - "KEY: expected WHAT, got DESCRIPTION" at @n (no "KEY: " when @key is NULL). */
static int type_error(struct parser *p, const char *key, const yaml_node_t *n, const char *what)
{
	char d[QUOTE_MAX * 4 + 48];

	describe(n, d, sizeof(d));
	return errorf(p, n->start_mark, "%s%sexpected %s, got %s", key ? key : "", key ? ": " : "",
		      what, d);
}

/* ---- scalar helpers ---- */

/* is_null() - a plain scalar YAML reads as null: empty, ~, null, Null or NULL. */
static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(text(n), nulls[i]) == 0)
			return true;
	return false;
}

static bool is_scalar_text(const yaml_node_t *n, const char *s)
{
	return n->type == YAML_SCALAR_NODE && strlen(text(n)) == n->data.scalar.length &&
	       strcmp(text(n), s) == 0;
}

/*
 * scalar_string() - a copy of any scalar's text in *@out, or NULL for a plain null. A mapping or
 * sequence, or text holding a NUL byte (which no C string or exec argument can carry), is an error.
 */
static int scalar_string(struct parser *p, const char *key, const yaml_node_t *n, char **out)
{
	*out = NULL;
	if (n->type != YAML_SCALAR_NODE)
		return type_error(p, key, n, "a string");
	if (is_null(n))
		return 0;
	if (strlen(text(n)) != n->data.scalar.length)
		return errorf(p, n->start_mark, "%s: the value contains a NUL byte", key);
	*out = xstrndup(text(n), n->data.scalar.length);
	return 0;
}

/* parse_u64() - decimal (optional '+'), 0x, 0o or 0b digits, as serde_yaml 0.8 reads a u64. */
static int parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		s += 2;
	} else if (s[0] == '+') {
		s++;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static const yaml_node_t *node(const struct parser *p, int index)
{
	return yaml_document_get_node(p->doc, index);
}

/* ---- keys ---- */

static struct unit_pos pos(yaml_mark_t m)
{
	return (struct unit_pos){ m.line + 1, m.column + 1 };
}

static int key_exec(struct parser *p, const char *key, const yaml_node_t *v)
{
	int r = scalar_string(p, key, v, &p->u->exec);

	p->u->exec_at = pos(v->start_mark);
	if (r < 0)
		return r;
	if (!p->u->exec || !*p->u->exec)
		return errorf(p, v->start_mark, "exec: missing exec directive (the command is empty)");
	return 0;
}

/* optional_string() - a string key where null and "" both mean unset (NULL). */
static int optional_string(struct parser *p, const char *key, const yaml_node_t *v, char **out)
{
	int r = scalar_string(p, key, v, out);

	if (r == 0 && *out && !**out) {
		free(*out);
		*out = NULL;
	}
	return r;
}

static int key_test(struct parser *p, const char *key, const yaml_node_t *v)
{
	p->u->test_at = pos(v->start_mark);
	return optional_string(p, key, v, &p->u->test);
}

static int key_dir(struct parser *p, const char *key, const yaml_node_t *v)
{
	return optional_string(p, key, v, &p->u->dir);
}

/* boolean() - only the plain scalars true and false, as serde_yaml 0.8 accepts. */
static int boolean(struct parser *p, const char *key, const yaml_node_t *v, bool *out)
{
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (is_scalar_text(v, "true")) {
			*out = true;
			return 0;
		}
		if (is_scalar_text(v, "false")) {
			*out = false;
			return 0;
		}
	}
	return type_error(p, key, v, "a boolean (true or false)");
}

static int key_oneshot(struct parser *p, const char *key, const yaml_node_t *v)
{
	return boolean(p, key, v, &p->u->oneshot);
}

/* key_tty() - our extension (zinit ignores unknown keys): stdout on a pseudo-terminal. */
static int key_tty(struct parser *p, const char *key, const yaml_node_t *v)
{
	return boolean(p, key, v, &p->u->tty);
}

static int key_shutdown_timeout(struct parser *p, const char *key, const yaml_node_t *v)
{
	uint64_t t;
	char q[QUOTE_MAX * 4 + 16];
	int r = -EINVAL;

	if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    strlen(text(v)) == v->data.scalar.length)
		r = parse_u64(text(v), &t);
	if (r == -ERANGE) {
		quote(q, sizeof(q), text(v), v->data.scalar.length);
		return errorf(p, v->start_mark, "%s: %s is too large", key, q);
	}
	if (r < 0)
		return type_error(p, key, v, "a non-negative integer");
	p->u->shutdown_timeout = t > UNIT_MAX_SHUTDOWN_TIMEOUT ? UNIT_MAX_SHUTDOWN_TIMEOUT : t;
	return 0;
}

static int key_after(struct parser *p, const char *key, const yaml_node_t *v)
{
	const yaml_node_item_t *it;
	struct unit *u = p->u;
	size_t n;
	int r;

	if (v->type != YAML_SEQUENCE_NODE)
		return type_error(p, key, v, "a sequence of unit names");
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > UNIT_MAX_AFTER)
		return errorf(p, v->start_mark, "%s: %zu entries, at most %d are allowed", key, n,
			      UNIT_MAX_AFTER);
	u->after = xcalloc(n + 1, sizeof(*u->after));
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		const yaml_node_t *item = node(p, *it);
		char *name;

		if (item->type != YAML_SCALAR_NODE)
			return type_error(p, key, item, "a unit name");
		r = scalar_string(p, key, item, &name);
		if (r < 0)
			return r;
		if (!name || !*name) {
			free(name);
			return type_error(p, key, item, "a unit name");
		}
		u->after[u->nafter++] = name;
	}
	return 0;
}

static int signal_stop(struct parser *p, const yaml_node_t *v)
{
	char *name;
	char q[QUOTE_MAX * 4 + 16];
	int sig, r = scalar_string(p, "signal.stop", v, &name);

	if (r < 0)
		return r;
	if (!name)
		return type_error(p, "signal.stop", v, "a signal name such as SIGTERM");
	sig = signame_parse(name);
	free(name);
	if (sig < 0) {
		quote(q, sizeof(q), text(v), v->data.scalar.length);
		return errorf(p, v->start_mark,
			      "signal.stop: unknown signal %s (use a full name such as SIGTERM)", q);
	}
	p->u->stop_signal = sig;
	return 0;
}

static int key_signal(struct parser *p, const char *key, const yaml_node_t *v)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *seen = NULL;
	char q[QUOTE_MAX * 4 + 16];
	int r;

	if (v->type != YAML_MAPPING_NODE)
		return type_error(p, key, v, "a mapping such as {stop: SIGTERM}");
	for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = node(p, pair->key);

		if (k->type != YAML_SCALAR_NODE)
			return type_error(p, key, k, "a key name");
		if (!is_scalar_text(k, "stop")) {
			/* q is "NAME" quoted; skip its opening quote to print "signal.NAME". */
			quote(q, sizeof(q), text(k), k->data.scalar.length);
			warnf(p, k->start_mark, "unknown key \"signal.%s ignored", q + 1);
			continue;
		}
		if (seen)
			return errorf(p, k->start_mark,
				      "duplicate key \"signal.stop\" (first given at line %zu)",
				      seen->start_mark.line + 1);
		seen = k;
		r = signal_stop(p, node(p, pair->value));
		if (r < 0)
			return r;
	}
	return 0;
}

/* key_log() - ring, stdout, none; null and ~ also mean none (zinit documents null). */
static int key_log(struct parser *p, const char *key, const yaml_node_t *v)
{
	char q[QUOTE_MAX * 4 + 16];

	if (v->type != YAML_SCALAR_NODE ||
	    (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !v->data.scalar.length))
		return type_error(p, key, v, "one of ring, stdout or none");
	if (is_scalar_text(v, "ring"))
		p->u->log = UNIT_LOG_RING;
	else if (is_scalar_text(v, "stdout"))
		p->u->log = UNIT_LOG_STDOUT;
	else if (is_scalar_text(v, "none") || is_scalar_text(v, "null") || is_scalar_text(v, "~"))
		p->u->log = UNIT_LOG_NONE;
	else {
		quote(q, sizeof(q), text(v), v->data.scalar.length);
		return errorf(p, v->start_mark,
			      "%s: unknown value %s, expected ring, stdout or none", key, q);
	}
	return 0;
}

/* env_put() - add KEY=VALUE; a repeated KEY replaces the earlier value in place, with a warning. */
static void env_put(struct parser *p, const yaml_node_t *k, char *key, char *value)
{
	struct unit *u = p->u;
	char q[QUOTE_MAX * 4 + 16];

	for (size_t i = 0; i < u->nenv; i++) {
		if (strcmp(u->env[i].key, key) != 0)
			continue;
		quote(q, sizeof(q), key, strlen(key));
		warnf(p, k->start_mark, "env: duplicate variable %s, the last value wins", q);
		free(u->env[i].value);
		u->env[i].value = value;
		free(key);
		return;
	}
	u->env[u->nenv].key = key;
	u->env[u->nenv++].value = value;
}

static int env_pair(struct parser *p, const yaml_node_pair_t *pair)
{
	const yaml_node_t *k = node(p, pair->key), *v = node(p, pair->value);
	char *key, *value, label[80];
	int r = scalar_string(p, "env", k, &key);

	if (r < 0)
		return r;
	if (!key || !*key || strchr(key, '=')) {
		free(key);
		return type_error(p, "env", k,
				  "a variable name (not empty, without '=')");
	}
	snprintf(label, sizeof(label), "env.%.64s", key);
	r = scalar_string(p, label, v, &value);
	if (r < 0) {
		free(key);
		return r;
	}
	env_put(p, k, key, value ? value : xstrdup(""));
	return 0;
}

static int key_env(struct parser *p, const char *key, const yaml_node_t *v)
{
	const yaml_node_pair_t *pair;
	size_t n;
	int r;

	if (v->type != YAML_MAPPING_NODE)
		return type_error(p, key, v, "a mapping of variable names to values");
	n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	if (n > UNIT_MAX_ENV)
		return errorf(p, v->start_mark, "%s: %zu variables, at most %d are allowed", key, n,
			      UNIT_MAX_ENV);
	p->u->env = xcalloc(n + 1, sizeof(*p->u->env));
	for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
		r = env_pair(p, pair);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct {
	const char *name;
	key_fn fn;
} keys[] = {
	{ "exec", key_exec },	{ "test", key_test },
	{ "oneshot", key_oneshot }, { "shutdown_timeout", key_shutdown_timeout },
	{ "after", key_after }, { "signal", key_signal },
	{ "log", key_log },	{ "env", key_env },
	{ "dir", key_dir },	{ "tty", key_tty },
};

_Static_assert(sizeof(keys) / sizeof(keys[0]) == sizeof(((struct parser *)0)->seen) /
						       sizeof(((struct parser *)0)->seen[0]),
	       "one seen[] slot per known key");

/* ---- document ---- */

static int parse_pair(struct parser *p, const yaml_node_pair_t *pair)
{
	const yaml_node_t *k = node(p, pair->key);
	char q[QUOTE_MAX * 4 + 16];

	if (k->type != YAML_SCALAR_NODE)
		return type_error(p, NULL, k, "a key name");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!is_scalar_text(k, keys[i].name))
			continue;
		if (p->seen[i])
			return errorf(p, k->start_mark, "duplicate key \"%s\" (first given at line %zu)",
				      keys[i].name, p->seen[i]->start_mark.line + 1);
		p->seen[i] = k;
		return keys[i].fn(p, keys[i].name, node(p, pair->value));
	}
	quote(q, sizeof(q), text(k), k->data.scalar.length);
	warnf(p, k->start_mark, "unknown key %s ignored", q);
	return 0;
}

static struct unit *unit_new(const char *path, const char *name)
{
	struct unit *u = xcalloc(1, sizeof(*u));

	u->name = xstrdup(name);
	u->path = xstrdup(path);
	u->shutdown_timeout = UNIT_DEFAULT_SHUTDOWN_TIMEOUT;
	u->stop_signal = SIGTERM;
	u->log = UNIT_LOG_RING;
	return u;
}

static int parse_root(struct parser *p, const yaml_node_t *root)
{
	const yaml_node_pair_t *pair;
	int r;

	if (root->type == YAML_SCALAR_NODE && root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    !root->data.scalar.length)
		return errorf(p, root->start_mark, "unit file is empty");
	if (root->type != YAML_MAPPING_NODE)
		return type_error(p, NULL, root, "a mapping of keys (such as \"exec: ...\")");
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		r = parse_pair(p, pair);
		if (r < 0)
			return r;
	}
	if (!p->u->exec)
		return errorf(p, root->start_mark, "missing exec directive");
	return 0;
}

/* offset_mark() - the line and column of byte @off of the input (libyaml's reader errors carry
 * only an offset). */
static yaml_mark_t offset_mark(const struct parser *p, size_t off)
{
	yaml_mark_t m = { 0 };

	for (size_t i = 0; i < off && i < p->len; i++) {
		if (p->text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else {
			m.column++;
		}
	}
	return m;
}

static int syntax_error(struct parser *p, const yaml_parser_t *yp)
{
	yaml_mark_t m = yp->problem_mark;
	const char *problem = yp->problem ? yp->problem : "invalid YAML";

	if (yp->error == YAML_MEMORY_ERROR)
		abort();
	if (yp->error == YAML_READER_ERROR)
		m = offset_mark(p, yp->problem_offset);
	if (yp->context)
		return errorf(p, m, "YAML syntax error: %s (%s started at line %zu column %zu)",
			      problem, yp->context, yp->context_mark.line + 1,
			      yp->context_mark.column + 1);
	return errorf(p, m, "YAML syntax error: %s", problem);
}

/*
 * load() - load the one document of the stream into @doc. A second document is loaded into
 * @extra only to be refused; both must be yaml_document_delete()d by the caller in any case.
 */
static int load(struct parser *p, yaml_parser_t *yp, yaml_document_t *doc,
		yaml_document_t *extra)
{
	static const yaml_mark_t start = { 0 };
	struct yamlguard_error ge;

	if (yamlguard_check(p->text, p->len, &ge) < 0) {
		yaml_mark_t m = { .line = ge.line, .column = ge.column };
		return errorf(p, m, "%s", ge.problem);
	}
	if (!yaml_parser_load(yp, doc))
		return syntax_error(p, yp);
	if (!yaml_document_get_root_node(doc))
		return errorf(p, start, "unit file is empty");
	if (!yaml_parser_load(yp, extra))
		return syntax_error(p, yp);
	if (yaml_document_get_root_node(extra))
		return errorf(p, extra->start_mark, "unit file holds more than one YAML document");
	return 0;
}

int unit_parse(const char *path, const char *name, const char *text, size_t len,
	       struct unit **out, char *err, size_t errlen, unit_warn_fn warn, void *ctx)
{
	yaml_parser_t yp;
	yaml_document_t doc, extra;
	struct parser p = {
		.path = path ? path : "(unit)", .text = text ? text : "", .len = text ? len : 0,
		.doc = &doc, .err = err, .errlen = errlen, .warn = warn, .ctx = ctx,
	};
	int r;

	memset(&doc, 0, sizeof(doc));
	memset(&extra, 0, sizeof(extra));
	if (!yaml_parser_initialize(&yp))
		abort();
	yaml_parser_set_input_string(&yp, (const unsigned char *)p.text, p.len);
	r = load(&p, &yp, &doc, &extra);
	if (r == 0) {
		p.u = unit_new(p.path, name ? name : "");
		r = parse_root(&p, yaml_document_get_root_node(&doc));
	}
	yaml_document_delete(&extra);
	yaml_document_delete(&doc);
	yaml_parser_delete(&yp);
	if (r < 0) {
		unit_free(p.u);
		return r;
	}
	*out = p.u;
	return 0;
}

/* stem() - the file name without its directory and a trailing ".yaml" (".yaml" itself stays). */
static char *stem(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	return xstrndup(base, n);
}

int unit_load(const char *path, struct unit **out, char *err, size_t errlen,
	      unit_warn_fn warn, void *ctx)
{
	char *buf = NULL, *name;
	size_t len = 0;
	int r = readfile_regular(path, UNIT_MAX_FILE_SIZE, &buf, &len);

	if (r < 0) {
		char why[128];

		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path,
				 readfile_error(r, UNIT_MAX_FILE_SIZE, why, sizeof(why)));
		return r;
	}
	name = stem(path);
	r = unit_parse(path, name, buf, len, out, err, errlen, warn, ctx);
	free(name);
	free(buf);
	return r;
}

/* command_problem() - report command @cmd of key @key at @at if it gives no command; 1 if so. */
static int command_problem(const struct unit *u, const char *key, const char *cmd,
			   struct unit_pos at, unit_warn_fn report, void *ctx)
{
	char **argv = NULL;
	size_t argc = 0;
	int split = cmdline_split(cmd, &argv, &argc);
	const char *problem = cmdline_problem(split, argc);
	struct strbuf msg = { 0 };

	cmdline_free(argv);
	if (!problem)
		return 0;
	strbuf_addf(&msg, "%s:%zu:%zu: %s: %s: %s", u->path, at.line, at.column, key, problem, cmd);
	report(ctx, strbuf_str(&msg));
	strbuf_free(&msg);
	return 1;
}

int unit_command_problems(const struct unit *u, unit_warn_fn report, void *ctx)
{
	int n = command_problem(u, "exec", u->exec, u->exec_at, report, ctx);

	if (u->test && !u->oneshot)
		n += command_problem(u, "test", u->test, u->test_at, report, ctx);
	return n;
}

void unit_free(struct unit *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nafter; i++)
		free(u->after[i]);
	for (size_t i = 0; i < u->nenv; i++) {
		free(u->env[i].key);
		free(u->env[i].value);
	}
	free(u->after);
	free(u->env);
	free(u->name);
	free(u->path);
	free(u->exec);
	free(u->test);
	free(u->dir);
	free(u);
}
