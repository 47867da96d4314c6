/* SPDX-License-Identifier: MIT */
/* Tests for unit_parse()/unit_load(): zinit's unit YAML schema, errors at FILE:LINE:COLUMN. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "runner.h"
#include "unit.h"

#define PATH "/etc/zinit/t.yaml"

/* Warnings collected by the callback. */
struct warns {
	int n;
	char msg[8][512];
};

static void collect(void *ctx, const char *msg)
{
	struct warns *w = ctx;

	if (w->n < 8)
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", msg);
	w->n++;
}

/* ok() - parse @yaml, which must succeed; warnings go to @w (may be NULL: then none allowed). */
static struct unit *ok_w(const char *yaml, struct warns *w)
{
	struct warns none = { 0 };
	struct unit *u = NULL;
	char err[512] = "";
	int r = unit_parse(PATH, "t", yaml, strlen(yaml), &u, err, sizeof(err), collect,
			   w ? w : &none);

	if (r != 0)
		fprintf(stderr, "unexpected error: %s\n", err);
	ASSERT_EQ(r, 0);
	ASSERT(u != NULL);
	if (!w)
		ASSERT_EQ(none.n, 0);
	return u;
}

static struct unit *ok(const char *yaml)
{
	return ok_w(yaml, NULL);
}

/* fails() - parse @yaml, which must fail with exactly the message PATH ":" @want. */
static void fails(const char *yaml, const char *want)
{
	struct unit *u = (struct unit *)1;
	char err[512] = "", full[512];

	ASSERT_EQ(unit_parse(PATH, "t", yaml, strlen(yaml), &u, err, sizeof(err), NULL, NULL),
		  -EINVAL);
	ASSERT(u == (struct unit *)1);
	snprintf(full, sizeof(full), PATH ":%s", want);
	ASSERT_STR_EQ(err, full);
}

TEST(unit_defaults)
{
	struct unit *u = ok("exec: sleep 1000\n");

	ASSERT_STR_EQ(u->name, "t");
	ASSERT_STR_EQ(u->path, PATH);
	ASSERT_STR_EQ(u->exec, "sleep 1000");
	ASSERT(u->test == NULL);
	ASSERT(u->oneshot == false);
	ASSERT(u->tty == false);
	ASSERT_EQ(u->shutdown_timeout, UNIT_DEFAULT_SHUTDOWN_TIMEOUT);
	ASSERT_EQ(u->shutdown_timeout, 10);
	ASSERT_EQ(u->stop_signal, SIGTERM);
	ASSERT_EQ(u->log, UNIT_LOG_RING);
	ASSERT_EQ(u->nafter, 0);
	ASSERT_EQ(u->nenv, 0);
	ASSERT(u->dir == NULL);
	unit_free(u);
}

TEST(unit_all_keys)
{
	struct unit *u = ok("exec: /bin/server --port 80\n"
			    "test: \"test -f /tmp/ready\"\n"
			    "oneshot: true\n"
			    "shutdown_timeout: 30\n"
			    "after:\n  - db\n  - \"cache\"\n"
			    "signal:\n  stop: SIGINT\n"
			    "log: stdout\n"
			    "env:\n  A: one\n  B: \"two words\"\n"
			    "dir: /srv\n");

	ASSERT_STR_EQ(u->exec, "/bin/server --port 80");
	ASSERT_STR_EQ(u->test, "test -f /tmp/ready");
	ASSERT(u->oneshot);
	ASSERT_EQ(u->shutdown_timeout, 30);
	ASSERT_EQ(u->nafter, 2);
	ASSERT_STR_EQ(u->after[0], "db");
	ASSERT_STR_EQ(u->after[1], "cache");
	ASSERT_EQ(u->stop_signal, SIGINT);
	ASSERT_EQ(u->log, UNIT_LOG_STDOUT);
	ASSERT_EQ(u->nenv, 2);
	ASSERT_STR_EQ(u->env[0].key, "A");
	ASSERT_STR_EQ(u->env[0].value, "one");
	ASSERT_STR_EQ(u->env[1].key, "B");
	ASSERT_STR_EQ(u->env[1].value, "two words");
	ASSERT_STR_EQ(u->dir, "/srv");
	unit_free(u);
}

TEST(unit_flow_style_and_crlf)
{
	struct unit *u = ok("{exec: x, oneshot: false, after: [a, b], signal: {stop: sighup}}");

	ASSERT_STR_EQ(u->exec, "x");
	ASSERT_EQ(u->nafter, 2);
	ASSERT_EQ(u->stop_signal, SIGHUP);
	unit_free(u);

	u = ok("\xEF\xBB\xBF# utf-8 BOM and CRLF\r\nexec: a b\r\noneshot: true\r\n");
	ASSERT_STR_EQ(u->exec, "a b");
	ASSERT(u->oneshot);
	unit_free(u);
}

TEST(unit_exec_any_scalar)
{
	struct unit *u = ok("exec: 123\n");

	ASSERT_STR_EQ(u->exec, "123");
	unit_free(u);
	u = ok("exec: true\n");
	ASSERT_STR_EQ(u->exec, "true");
	unit_free(u);
	u = ok("exec: 'echo $HOME #c'\n");
	ASSERT_STR_EQ(u->exec, "echo $HOME #c");
	unit_free(u);
	u = ok("exec: |\n  sh -c 'a'\n");
	ASSERT_STR_EQ(u->exec, "sh -c 'a'\n");
	unit_free(u);
	/* YAML eats a plain " #c": a comment. */
	u = ok("exec: echo a #c\n");
	ASSERT_STR_EQ(u->exec, "echo a");
	unit_free(u);
	/* Only len bytes are read: the text need not be NUL-terminated. */
	u = NULL;
	ASSERT_EQ(unit_parse(PATH, "t", "exec: abcdef", 8, &u, NULL, 0, NULL, NULL), 0);
	ASSERT_STR_EQ(u->exec, "ab");
	unit_free(u);
}

TEST(unit_missing_exec)
{
	fails("test: \"true\"\n", "1:1: missing exec directive");
	fails("# header\n\n  test: x\n  oneshot: true\n", "3:3: missing exec directive");
	fails("{}", "1:1: missing exec directive");
	fails("exec: ~\n", "1:7: exec: missing exec directive (the command is empty)");
	fails("exec: null\n", "1:7: exec: missing exec directive (the command is empty)");
	fails("exec:\nlog: ring\n", "1:6: exec: missing exec directive (the command is empty)");
	fails("exec: \"\"\n", "1:7: exec: missing exec directive (the command is empty)");
	fails("exec: [a, b]\n", "1:7: exec: expected a string, got a sequence");
	fails("exec: {a: b}\n", "1:7: exec: expected a string, got a mapping");
	fails("exec: \"a\\0b\"\n", "1:7: exec: the value contains a NUL byte");
}

TEST(unit_syntax_errors)
{
	fails("exec: a\n b: c\n",
	      "2:3: YAML syntax error: mapping values are not allowed in this context");
	fails("exec: \"abc\n",
	      "2:1: YAML syntax error: found unexpected end of stream "
	      "(while scanning a quoted scalar started at line 1 column 7)");
	fails("exec: a\nlog: *nope\n", "2:6: YAML syntax error: found undefined alias");
	/* A reader error carries only a byte offset: the position is computed from it. */
	fails("exec: a\nlog: \x01\n", "2:6: YAML syntax error: control characters are not allowed");
	fails("exec: a\n\xff\n", "2:1: YAML syntax error: invalid leading UTF-8 octet");
}

TEST(unit_empty_and_not_mapping)
{
	fails("", "1:1: unit file is empty");
	fails("# only a comment\n\n", "1:1: unit file is empty");
	fails("---\n", "2:1: unit file is empty");
	fails("- exec: a\n",
	      "1:1: expected a mapping of keys (such as \"exec: ...\"), got a sequence");
	fails("sleep 1000\n",
	      "1:1: expected a mapping of keys (such as \"exec: ...\"), got \"sleep 1000\"");
	fails("? [a]\n: b\nexec: x\n", "1:3: expected a key name, got a sequence");
}

TEST(unit_several_documents)
{
	struct unit *u;

	fails("exec: a\n---\nexec: b\n", "2:1: unit file holds more than one YAML document");
	fails("exec: a\n---\n", "2:1: unit file holds more than one YAML document");
	/* A syntax error in a later document is still reported. */
	fails("exec: a\n---\n b: c: d\n",
	      "3:6: YAML syntax error: mapping values are not allowed in this context");
	u = ok("---\nexec: a\n...\n");
	ASSERT_STR_EQ(u->exec, "a");
	unit_free(u);
}

TEST(unit_duplicate_keys)
{
	struct warns w = { 0 };
	struct unit *u;

	fails("exec: a\nlog: ring\nexec: b\n", "3:1: duplicate key \"exec\" (first given at line 1)");
	fails("exec: a\nafter: []\n\"after\": [b]\n",
	      "3:1: duplicate key \"after\" (first given at line 2)");
	fails("exec: a\nsignal:\n  stop: SIGINT\n  stop: SIGHUP\n",
	      "4:3: duplicate key \"signal.stop\" (first given at line 3)");
	/* zinit ignores unknown keys entirely, so a repeated unknown key is not an error. */
	u = ok_w("exec: a\nname: x\nname: y\n", &w);
	ASSERT_EQ(w.n, 2);
	unit_free(u);
}

TEST(unit_unknown_key_warning)
{
	struct warns w = { 0 };
	struct unit *u = ok_w("exec: a\nfoo: bar\n  # c\nsignal: {stop: SIGUSR2, restart: x}\n", &w);

	ASSERT_EQ(w.n, 2);
	ASSERT_STR_EQ(w.msg[0], PATH ":2:1: unknown key \"foo\" ignored");
	ASSERT_STR_EQ(w.msg[1], PATH ":4:25: unknown key \"signal.restart\" ignored");
	ASSERT_EQ(u->stop_signal, SIGUSR2);
	unit_free(u);

	/* No callback: warnings are dropped. */
	u = NULL;
	ASSERT_EQ(unit_parse(PATH, "t", "exec: a\nfoo: 1\n", 15, &u, NULL, 0, NULL, NULL), 0);
	unit_free(u);
}

TEST(unit_oneshot)
{
	struct unit *u = ok("exec: a\noneshot: false\n");

	ASSERT(!u->oneshot);
	unit_free(u);
	fails("exec: a\noneshot: yes\n",
	      "2:10: oneshot: expected a boolean (true or false), got \"yes\"");
	fails("exec: a\noneshot: \"true\"\n",
	      "2:10: oneshot: expected a boolean (true or false), got the quoted string \"true\"");
	fails("exec: a\noneshot: True\n",
	      "2:10: oneshot: expected a boolean (true or false), got \"True\"");
	fails("exec: a\noneshot: 1\n", "2:10: oneshot: expected a boolean (true or false), got \"1\"");
	fails("exec: a\noneshot:\n",
	      "2:9: oneshot: expected a boolean (true or false), got an empty value");
	fails("exec: a\noneshot: [true]\n",
	      "2:10: oneshot: expected a boolean (true or false), got a sequence");
}

TEST(unit_tty)
{
	struct unit *u = ok("exec: a\ntty: true\n");

	ASSERT(u->tty);
	ASSERT(!u->oneshot);
	unit_free(u);
	u = ok("exec: a\ntty: false\n");
	ASSERT(!u->tty);
	unit_free(u);
	fails("exec: a\ntty: yes\n", "2:6: tty: expected a boolean (true or false), got \"yes\"");
	fails("exec: a\ntty: true\ntty: false\n",
	      "3:1: duplicate key \"tty\" (first given at line 2)");
}

static uint64_t timeout_of(const char *value)
{
	char yaml[128];
	struct unit *u;
	uint64_t t;

	snprintf(yaml, sizeof(yaml), "exec: a\nshutdown_timeout: %s\n", value);
	u = ok(yaml);
	t = u->shutdown_timeout;
	unit_free(u);
	return t;
}

TEST(unit_shutdown_timeout)
{
	ASSERT_EQ(timeout_of("0"), 0);
	ASSERT_EQ(timeout_of("3"), 3);
	ASSERT_EQ(timeout_of("+5"), 5);
	ASSERT_EQ(timeout_of("0x10"), 16);
	ASSERT_EQ(timeout_of("0xfF"), 255);
	ASSERT_EQ(timeout_of("0o10"), 8);
	ASSERT_EQ(timeout_of("0b101"), 5);
	ASSERT_EQ(timeout_of("007"), 7);
	ASSERT_EQ(timeout_of("1000000000"), 1000000000);
	ASSERT(timeout_of("1000000001") == UNIT_MAX_SHUTDOWN_TIMEOUT);
	ASSERT(timeout_of("18446744073709551615") == UNIT_MAX_SHUTDOWN_TIMEOUT);
	ASSERT(timeout_of("0xffffffffffffffff") == UNIT_MAX_SHUTDOWN_TIMEOUT);
}

TEST(unit_shutdown_timeout_errors)
{
	fails("exec: a\nshutdown_timeout: -1\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"-1\"");
	fails("exec: a\nshutdown_timeout: 1.5\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"1.5\"");
	fails("exec: a\nshutdown_timeout: \"10\"\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, "
	      "got the quoted string \"10\"");
	fails("exec: a\nshutdown_timeout:\n",
	      "2:18: shutdown_timeout: expected a non-negative integer, got an empty value");
	fails("exec: a\nshutdown_timeout: 18446744073709551616\n",
	      "2:19: shutdown_timeout: \"18446744073709551616\" is too large");
	fails("exec: a\nshutdown_timeout: 0x\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"0x\"");
	fails("exec: a\nshutdown_timeout: 0b102\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"0b102\"");
	fails("exec: a\nshutdown_timeout: 1_000\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"1_000\"");
	fails("exec: a\nshutdown_timeout: 10s\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"10s\"");
	fails("exec: a\nshutdown_timeout: {}\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got a mapping");
}

TEST(unit_after)
{
	struct unit *u = ok("exec: a\nafter: [x, \"y\", 'z', 42]\n");

	ASSERT_EQ(u->nafter, 4);
	ASSERT_STR_EQ(u->after[0], "x");
	ASSERT_STR_EQ(u->after[1], "y");
	ASSERT_STR_EQ(u->after[2], "z");
	ASSERT_STR_EQ(u->after[3], "42");
	unit_free(u);
	u = ok("exec: a\nafter: []\n");
	ASSERT_EQ(u->nafter, 0);
	unit_free(u);
	fails("exec: a\nafter: db\n",
	      "2:8: after: expected a sequence of unit names, got \"db\"");
	fails("exec: a\nafter:\n",
	      "2:7: after: expected a sequence of unit names, got an empty value");
	fails("exec: a\nafter: {db: 1}\n",
	      "2:8: after: expected a sequence of unit names, got a mapping");
	fails("exec: a\nafter:\n  - db\n  - [x]\n",
	      "4:5: after: expected a unit name, got a sequence");
	fails("exec: a\nafter:\n  - db\n  -\n",
	      "4:4: after: expected a unit name, got an empty value");
	fails("exec: a\nafter: [\"\"]\n",
	      "2:9: after: expected a unit name, got the quoted string \"\"");
}

TEST(unit_signal)
{
	struct unit *u = ok("exec: a\nsignal:\n  stop: sigusr1\n");

	ASSERT_EQ(u->stop_signal, SIGUSR1);
	unit_free(u);
	u = ok("exec: a\nsignal: {}\n");
	ASSERT_EQ(u->stop_signal, SIGTERM);
	unit_free(u);
	fails("exec: a\nsignal:\n  stop: TERM\n",
	      "3:9: signal.stop: unknown signal \"TERM\" (use a full name such as SIGTERM)");
	fails("exec: a\nsignal: {stop: 15}\n",
	      "2:16: signal.stop: unknown signal \"15\" (use a full name such as SIGTERM)");
	fails("exec: a\nsignal: {stop: SIGRTMIN+1}\n",
	      "2:16: signal.stop: unknown signal \"SIGRTMIN+1\" (use a full name such as SIGTERM)");
	fails("exec: a\nsignal: {stop: }\n",
	      "2:16: signal.stop: expected a signal name such as SIGTERM, got an empty value");
	fails("exec: a\nsignal: {stop: [x]}\n",
	      "2:16: signal.stop: expected a string, got a sequence");
	fails("exec: a\nsignal: SIGTERM\n",
	      "2:9: signal: expected a mapping such as {stop: SIGTERM}, got \"SIGTERM\"");
	fails("exec: a\nsignal:\n",
	      "2:8: signal: expected a mapping such as {stop: SIGTERM}, got an empty value");
}

TEST(unit_log)
{
	static const struct {
		const char *v;
		enum unit_log want;
	} cases[] = {
		{ "ring", UNIT_LOG_RING }, { "stdout", UNIT_LOG_STDOUT }, { "none", UNIT_LOG_NONE },
		{ "null", UNIT_LOG_NONE }, { "~", UNIT_LOG_NONE },	  { "\"none\"", UNIT_LOG_NONE },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char yaml[64];
		struct unit *u;

		snprintf(yaml, sizeof(yaml), "exec: a\nlog: %s\n", cases[i].v);
		u = ok(yaml);
		ASSERT_EQ(u->log, cases[i].want);
		unit_free(u);
	}
	fails("exec: a\nlog: Ring\n", "2:6: log: unknown value \"Ring\", expected ring, stdout or none");
	fails("exec: a\nlog: NULL\n", "2:6: log: unknown value \"NULL\", expected ring, stdout or none");
	fails("exec: a\nlog: file\n", "2:6: log: unknown value \"file\", expected ring, stdout or none");
	fails("exec: a\nlog:\n", "2:5: log: expected one of ring, stdout or none, got an empty value");
	fails("exec: a\nlog: [ring]\n", "2:6: log: expected one of ring, stdout or none, got a sequence");
}

TEST(unit_env)
{
	struct warns w = { 0 };
	struct unit *u = ok_w("exec: a\nenv:\n  Z: 1\n  A: \"x y\"\n  N: ~\n  E:\n  B: true\n"
			      "  Z: 2\n  Q: '\"q\"'\n",
			      &w);

	ASSERT_EQ(u->nenv, 6);
	ASSERT_STR_EQ(u->env[0].key, "Z");
	ASSERT_STR_EQ(u->env[0].value, "2");
	ASSERT_STR_EQ(u->env[1].value, "x y");
	ASSERT_STR_EQ(u->env[2].key, "N");
	ASSERT_STR_EQ(u->env[2].value, "");
	ASSERT_STR_EQ(u->env[3].value, "");
	ASSERT_STR_EQ(u->env[4].value, "true");
	ASSERT_STR_EQ(u->env[5].value, "\"q\"");
	ASSERT_EQ(w.n, 1);
	ASSERT_STR_EQ(w.msg[0], PATH ":8:3: env: duplicate variable \"Z\", the last value wins");
	unit_free(u);
	u = ok("exec: a\nenv: {}\n");
	ASSERT_EQ(u->nenv, 0);
	unit_free(u);
	fails("exec: a\nenv:\n",
	      "2:5: env: expected a mapping of variable names to values, got an empty value");
	fails("exec: a\nenv: [A=1]\n",
	      "2:6: env: expected a mapping of variable names to values, got a sequence");
	fails("exec: a\nenv:\n  A: [1]\n", "3:6: env.A: expected a string, got a sequence");
	fails("exec: a\nenv:\n  A=B: 1\n",
	      "3:3: env: expected a variable name (not empty, without '='), got \"A=B\"");
	fails("exec: a\nenv: {\"\": 1}\n",
	      "2:7: env: expected a variable name (not empty, without '='), "
	      "got the quoted string \"\"");
	fails("exec: a\nenv: {[A]: 1}\n", "2:7: env: expected a string, got a sequence");
}

TEST(unit_test_and_dir)
{
	struct unit *u = ok("exec: a\ntest: \"\"\ndir: \"\"\n");

	ASSERT(u->test == NULL);
	ASSERT(u->dir == NULL);
	unit_free(u);
	u = ok("exec: a\ntest: ~\ndir:\n");
	ASSERT(u->test == NULL);
	ASSERT(u->dir == NULL);
	unit_free(u);
	u = ok("exec: a\ntest: 0\ndir: relative/dir\n");
	ASSERT_STR_EQ(u->test, "0");
	ASSERT_STR_EQ(u->dir, "relative/dir");
	unit_free(u);
	fails("exec: a\ndir: [a]\n", "2:6: dir: expected a string, got a sequence");
	fails("exec: a\ntest: {a: 1}\n", "2:7: test: expected a string, got a mapping");
}

/* Commands that give zinit nothing to run load (the service fails at its start, as in zinit),
 * and unit_command_problems() names each at its value for `zinit check`. */
TEST(unit_command_problems)
{
	struct warns w = { 0 };
	struct unit *u = ok("exec: sleep \"100\ntest:   '# nothing'\n");

	ASSERT_EQ(u->exec_at.line, 1);
	ASSERT_EQ(u->exec_at.column, 7);
	ASSERT_EQ(unit_command_problems(u, collect, &w), 2);
	ASSERT_EQ(w.n, 2);
	ASSERT_STR_EQ(w.msg[0], PATH ":1:7: exec: cannot parse command: sleep \"100");
	ASSERT_STR_EQ(w.msg[1], PATH ":2:9: test: empty command: # nothing");
	unit_free(u);
	/* a oneshot's test never runs: not a problem */
	memset(&w, 0, sizeof(w));
	u = ok("oneshot: true\nexec: echo \\\ntest: \"a 'b\"\n");
	ASSERT_EQ(unit_command_problems(u, collect, &w), 1);
	ASSERT_STR_EQ(w.msg[0], PATH ":2:7: exec: cannot parse command: echo \\");
	unit_free(u);
	memset(&w, 0, sizeof(w));
	u = ok("exec: sleep '1'\ntest: \"true # ok\"\n");
	ASSERT_EQ(unit_command_problems(u, collect, &w), 0);
	ASSERT_EQ(w.n, 0);
	unit_free(u);
}

TEST(unit_anchors_and_aliases)
{
	struct warns w = { 0 };
	struct unit *u = ok_w("base: &b {A: 1}\nexec: &e sleep 1\ntest: *e\nenv: *b\n", &w);

	ASSERT_STR_EQ(u->exec, "sleep 1");
	ASSERT_STR_EQ(u->test, "sleep 1");
	ASSERT_EQ(u->nenv, 1);
	ASSERT_STR_EQ(u->env[0].value, "1");
	ASSERT_EQ(w.n, 1);
	unit_free(u);

	/* A self-referencing node must not send the parser into a loop. */
	memset(&w, 0, sizeof(w));
	u = ok_w("r: &r {loop: *r}\nexec: x\nsignal: *r\n", &w);
	ASSERT_EQ(w.n, 2);
	ASSERT_CONTAINS(w.msg[1], "unknown key \"signal.loop\" ignored");
	unit_free(u);
	fails("&r {exec: x, after: *r}",
	      "1:1: after: expected a sequence of unit names, got a mapping");
	fails("&r [*r]", "1:1: expected a mapping of keys (such as \"exec: ...\"), got a sequence");
}

/* Deep nesting is refused at a small depth, before libyaml's scanner (quadratic in the depth)
 * gets far: a 1 MiB file of '[' used to block PID 1 for minutes. */
TEST(unit_deep_nesting_refused)
{
	size_t n = 1024 * 1024;
	char *text = malloc(n + 16);
	struct unit *u = NULL;
	char err[256];

	ASSERT(text != NULL);
	memcpy(text, "exec: ", 6);
	memset(text + 6, '[', n);
	text[6 + n] = '\0';
	ASSERT_EQ(unit_parse("deep.yaml", "deep", text, strlen(text), &u, err, sizeof(err), NULL,
			     NULL), -EINVAL);
	ASSERT_STR_EQ(err, "deep.yaml:1:38: YAML nested too deeply");
	free(text);
	/* 31 levels below the root are still fine (the root mapping is the first). */
	fails("exec: a\nx: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	      "2:35: YAML nested too deeply");
	{
		struct warns w = { 0 };

		u = ok_w("exec: a\nx: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
			 &w);
		ASSERT_EQ(w.n, 1); /* x is an unknown key */
		unit_free(u);
	}
}

/* An alias fan-out (one big anchored scalar referenced thousands of times) is refused before
 * the loader copies it: 5000 x 200 KB took PID 1 to 1.7 GB. */
TEST(unit_alias_fanout_refused)
{
	size_t big = 200 * 1000, keys = 5000, cap = big + keys * 32 + 64, o = 0;
	char *text = malloc(cap);
	struct unit *u = NULL;
	char err[256];

	ASSERT(text != NULL);
	o += (size_t)snprintf(text + o, cap - o, "exec: a\nx: &a \"");
	memset(text + o, 'v', big);
	o += big;
	o += (size_t)snprintf(text + o, cap - o, "\"\nenv:\n");
	for (size_t i = 0; i < keys; i++)
		o += (size_t)snprintf(text + o, cap - o, "  K%zu: *a\n", i);
	ASSERT_EQ(unit_parse("fan.yaml", "fan", text, o, &u, err, sizeof(err), NULL, NULL),
		  -EINVAL);
	ASSERT_CONTAINS(err, "YAML aliases expand too far");
	ASSERT_CONTAINS(err, "fan.yaml:");
	free(text);
	/* A few aliases of a small anchor stay fine. */
	u = ok("exec: &e sleep 1\ntest: *e\n");
	unit_free(u);
}

TEST(unit_error_buffer)
{
	struct unit *u = NULL;
	char small[12];

	ASSERT_EQ(unit_parse(PATH, "t", "", 0, &u, NULL, 0, NULL, NULL), -EINVAL);
	ASSERT_EQ(unit_parse(PATH, "t", "", 0, &u, small, sizeof(small), NULL, NULL), -EINVAL);
	ASSERT_STR_EQ(small, "/etc/zinit/");
	ASSERT_EQ(unit_parse(PATH, "t", NULL, 0, &u, small, sizeof(small), NULL, NULL), -EINVAL);
	ASSERT(u == NULL);
	unit_free(NULL);
}

/* ZINIT-COMPAT.md §8 items 3-6. */
TEST(unit_compat_cases)
{
	struct warns w = { 0 };
	struct unit *u = ok_w("exec: \"sleep 1000\"\nfoo: bar\nname: x\n", &w);

	ASSERT_STR_EQ(u->name, "t"); /* the name is the file stem, not `name:` */
	ASSERT_EQ(w.n, 2);
	unit_free(u);

	u = ok("exec: a\nlog: null\n"); /* a documented deviation: zinit rejects it */
	ASSERT_EQ(u->log, UNIT_LOG_NONE);
	unit_free(u);
	u = ok("exec: a\nlog: none\n");
	ASSERT_EQ(u->log, UNIT_LOG_NONE);
	unit_free(u);

	fails("exec: a\nsignal: {stop: TERM}\n",
	      "2:16: signal.stop: unknown signal \"TERM\" (use a full name such as SIGTERM)");
	u = ok("exec: a\nsignal: {stop: sigusr1}\n");
	ASSERT_EQ(u->stop_signal, SIGUSR1);
	unit_free(u);

	fails("exec: a\noneshot: yes\n",
	      "2:10: oneshot: expected a boolean (true or false), got \"yes\"");
	fails("exec: a\nshutdown_timeout: -1\n",
	      "2:19: shutdown_timeout: expected a non-negative integer, got \"-1\"");
	u = ok("exec: 123\n");
	ASSERT_STR_EQ(u->exec, "123");
	unit_free(u);
}

/* write_file() - create @dir/@name holding @text; returns the malloc'd path. */
static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	int fd;

	ASSERT(path != NULL);
	sprintf(path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT(fd >= 0);
	ASSERT_EQ(write(fd, text, strlen(text)), (long long)strlen(text));
	close(fd);
	return path;
}

static void load_name(const char *dir, const char *file, const char *want)
{
	char *path = write_file(dir, file, "exec: sleep 1\n");
	struct unit *u = NULL;
	char err[256] = "";

	ASSERT_EQ(unit_load(path, &u, err, sizeof(err), NULL, NULL), 0);
	ASSERT_STR_EQ(u->name, want);
	ASSERT_STR_EQ(u->path, path);
	ASSERT_STR_EQ(u->exec, "sleep 1");
	unit_free(u);
	unlink(path);
	free(path);
}

TEST(unit_load_files)
{
	char dir[] = "/tmp/zinit-unit-test-XXXXXX";
	struct warns w = { 0 };
	struct unit *u = NULL;
	char err[512] = "", want[512], *path;

	ASSERT(mkdtemp(dir) != NULL);
	load_name(dir, "redis.yaml", "redis");
	load_name(dir, "a.b.yaml", "a.b");
	load_name(dir, "Case.yaml", "Case");
	load_name(dir, ".hidden.yaml", ".hidden");
	load_name(dir, ".yaml", ".yaml");
	load_name(dir, "noext", "noext");

	path = write_file(dir, "bad.yaml", "# bad\nexec: a\nfoo: 1\noneshot: yes\n");
	ASSERT_EQ(unit_load(path, &u, err, sizeof(err), collect, &w), -EINVAL);
	snprintf(want, sizeof(want), "%s:4:10: oneshot: expected a boolean (true or false), "
				     "got \"yes\"", path);
	ASSERT_STR_EQ(err, want);
	ASSERT_EQ(w.n, 1);
	snprintf(want, sizeof(want), "%s:3:1: unknown key \"foo\" ignored", path);
	ASSERT_STR_EQ(w.msg[0], want);
	unlink(path);
	free(path);

	snprintf(want, sizeof(want), "%s/missing.yaml", dir);
	ASSERT_EQ(unit_load(want, &u, err, sizeof(err), NULL, NULL), -ENOENT);
	ASSERT_CONTAINS(err, want);
	ASSERT_CONTAINS(err, ": No such file or directory");
	ASSERT_EQ(unit_load(dir, &u, err, sizeof(err), NULL, NULL), -EISDIR);
	ASSERT_CONTAINS(err, ": Is a directory");
	ASSERT(u == NULL);

	/* past 1 MiB: the message says the limit */
	char *big = malloc(1024 * 1024 + 2);
	memset(big, '#', 1024 * 1024 + 1);
	big[1024 * 1024 + 1] = '\0';
	path = write_file(dir, "big.yaml", big);
	free(big);
	ASSERT_EQ(unit_load(path, &u, err, sizeof(err), NULL, NULL), -EFBIG);
	snprintf(want, sizeof(want), "%s: larger than 1 MiB", path);
	ASSERT_STR_EQ(err, want);
	unlink(path);
	free(path);
	ASSERT_EQ(rmdir(dir), 0);
}

/* many_entries() - "exec: x\n" then @key holding @n entries, one a line from line 3 on. */
static char *many_entries(const char *key, int n)
{
	size_t cap = 64 + (size_t)n * 24, o = 0;
	char *y = malloc(cap);

	o += (size_t)snprintf(y + o, cap - o, "exec: x\n%s:\n", key);
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(y + o, cap - o, strcmp(key, "env") ? "  - u%d\n" : "  V%d: x\n",
				      i);
	return y;
}

/* At most UNIT_MAX_ENV env and UNIT_MAX_AFTER after entries: the duplicate checks stay bounded. */
TEST(unit_env_after_limits)
{
	char *y = many_entries("env", UNIT_MAX_ENV);
	struct unit *u = ok(y);

	ASSERT_EQ(u->nenv, UNIT_MAX_ENV);
	unit_free(u);
	free(y);
	y = many_entries("after", UNIT_MAX_AFTER);
	u = ok(y);
	ASSERT_EQ(u->nafter, UNIT_MAX_AFTER);
	unit_free(u);
	free(y);
	y = many_entries("env", UNIT_MAX_ENV + 1);
	fails(y, "3:3: env: 1025 variables, at most 1024 are allowed");
	free(y);
	y = many_entries("after", UNIT_MAX_AFTER + 1);
	fails(y, "3:3: after: 1025 entries, at most 1024 are allowed");
	free(y);
}
