/* SPDX-License-Identifier: MIT */
/* Tests for the control protocol codec: line commands, JSON-RPC framing and parsing, replies. */
#include "ctl_proto.h"

#include <errno.h>
#include <stdio.h>

#include "runner.h"

static char *line_ok_err(const char *line, struct ctl_request *req, const char **err)
{
	static char buf[256];
	*err = NULL;
	return ctl_line_parse(line, strlen(line), req, buf, sizeof(buf), err) == 0 ? "ok" : NULL;
}

TEST(ctl_line_commands)
{
	struct ctl_request r;
	const char *err;
	ASSERT(line_ok_err("list", &r, &err));
	ASSERT_EQ(r.method, CTL_M_LIST);
	ctl_request_clear(&r);
	ASSERT(line_ok_err("list extra args", &r, &err)); /* ignored, as zinit */
	ctl_request_clear(&r);
	ASSERT(line_ok_err("status redis", &r, &err));
	ASSERT_EQ(r.method, CTL_M_STATUS);
	ASSERT_STR_EQ(r.name, "redis");
	ASSERT(r.id == NULL);
	ctl_request_clear(&r);
	ASSERT(line_ok_err("kill \"my svc\" sigusr1", &r, &err));
	ASSERT_EQ(r.method, CTL_M_KILL);
	ASSERT_STR_EQ(r.name, "my svc");
	ASSERT_STR_EQ(r.signal, "sigusr1");
	ctl_request_clear(&r);
	ASSERT(line_ok_err("log", &r, &err));
	ASSERT_EQ(r.method, CTL_M_LOG_FOLLOW);
	ctl_request_clear(&r);
	ASSERT(line_ok_err("log snapshot", &r, &err));
	ASSERT_EQ(r.method, CTL_M_LOG_SNAPSHOT);
	ctl_request_clear(&r);
}

TEST(ctl_line_errors_as_zinit)
{
	struct ctl_request r;
	const char *err;
	ASSERT(!line_ok_err("frobnicate", &r, &err));
	ASSERT_STR_EQ(err, "unknown command 'frobnicate' or wrong arguments count");
	ASSERT(!line_ok_err("status", &r, &err));
	ASSERT_STR_EQ(err, "unknown command 'status' or wrong arguments count");
	ASSERT(!line_ok_err("kill x", &r, &err));
	ASSERT_STR_EQ(err, "unknown command 'kill' or wrong arguments count");
	ASSERT(!line_ok_err("", &r, &err));
	ASSERT_STR_EQ(err, "unknown command");
	ASSERT(!line_ok_err("start \"x", &r, &err));
	ASSERT_STR_EQ(err, "invalid command syntax");
	ASSERT(!line_ok_err("log follow", &r, &err));
	ASSERT_STR_EQ(err, "invalid log command arguments");
}

/* Issue 11: `status <invalid UTF-8>` answered {"state":"error","body":null}. */
TEST(ctl_line_invalid_utf8_is_named)
{
	struct ctl_request r;
	const char *err;
	ASSERT(!line_ok_err("status a\xff" "b", &r, &err));
	ASSERT_STR_EQ(err, "the command is not valid UTF-8 (byte 0xff at offset 8)");
	char *reply = ctl_line_error("service name \"\xff\" unknown");
	ASSERT_STR_EQ(reply, "{\"state\":\"error\",\"body\":\"service name \\\"\xef\xbf\xbd\\\" unknown\"}");
	free(reply);
}

/* A NUL byte truncated the command: `status a\0junk` ran as `status a`, and `\0\1\xff` was
 * an empty command ("unknown command"). The length is carried; a NUL is named. */
TEST(ctl_line_nul_byte_is_named)
{
	struct ctl_request r;
	char buf[256];
	const char *err = NULL;
	ASSERT_EQ(ctl_line_parse("status a\0junk", 13, &r, buf, sizeof(buf), &err), -1);
	ASSERT_STR_EQ(err, "the command contains a NUL byte (at offset 8)");
	ASSERT(r.name == NULL);
	ASSERT_EQ(ctl_line_parse("\0\1\xff", 3, &r, buf, sizeof(buf), &err), -1);
	ASSERT_STR_EQ(err, "the command contains a NUL byte (at offset 0)");
	ASSERT_EQ(ctl_line_parse("\1\xff\0", 3, &r, buf, sizeof(buf), &err), -1);
	ASSERT_STR_EQ(err, "the command is not valid UTF-8 (byte 0xff at offset 1)");
	/* the length, not a NUL, ends the command */
	ASSERT_EQ(ctl_line_parse("status abc", 8, &r, buf, sizeof(buf), &err), 0);
	ASSERT_STR_EQ(r.name, "a");
	ctl_request_clear(&r);
}

TEST(ctl_line_replies)
{
	char *s = ctl_line_ok(NULL);
	ASSERT_STR_EQ(s, "{\"state\":\"ok\",\"body\":null}");
	free(s);
	s = ctl_line_ok(json_pack("{s:s}", "a", "Running"));
	ASSERT_STR_EQ(s, "{\"state\":\"ok\",\"body\":{\"a\":\"Running\"}}");
	free(s);
	s = ctl_line_error("unknown command");
	ASSERT_STR_EQ(s, "{\"state\":\"error\",\"body\":\"unknown command\"}");
	free(s);
	char buf[128];
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_NOT_FOUND, "x", buf, sizeof(buf)),
		      "service name \"x\" unknown");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_UP, "x", buf, sizeof(buf)), "service \"x\" is up");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_DOWN, "x", buf, sizeof(buf)),
		      "service \"x\" is down");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_MONITORED, "x", buf, sizeof(buf)),
		      "service \"x\" already monitored");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_SHUTTING_DOWN, "x", buf, sizeof(buf)),
		      "zinit is shutting down");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_SIGNAL, "x", buf, sizeof(buf)),
		      "EINVAL: Invalid argument");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_CONFIG, "x", buf, sizeof(buf)),
		      "failed to load service config");
	ASSERT_STR_EQ(ctl_line_error_text(CTL_E_INVALID_PARAMS, "../x", buf, sizeof(buf)),
		      "invalid service name \"../x\" (zinit's log says why)");
}

/* Feeds @text in one go and returns the first frame as a string ("" if incomplete). */
static long frame_all(const char *text, size_t *start)
{
	struct ctl_framer f = { 0 };
	return ctl_frame(&f, text, strlen(text), start);
}

TEST(ctl_frame_balances_brackets_and_strings)
{
	size_t start;
	ASSERT_EQ(frame_all("{\"a\":1}", &start), 7);
	ASSERT_EQ(start, 0);
	ASSERT_EQ(frame_all("  \n{\"a\":\"}{][\"}  {", &start), 12);
	ASSERT_EQ(start, 3);
	ASSERT_EQ(frame_all("{\"a\":\"\\\"}\"}", &start), 11); /* escaped quote inside a string */
	ASSERT_EQ(frame_all("[{},{}]", &start), 7);
	ASSERT_EQ(frame_all("{\"a\":[1,2", &start), 0);
	ASSERT_EQ(frame_all("list\n", &start), -1);
	ASSERT_EQ(frame_all("   ", &start), 0);
}

/* Issue 11: a 10,000-request batch was parsed whole before being refused. */
TEST(ctl_frame_refuses_big_batches_early)
{
	struct { char b[8192]; size_t n; } m = { .n = 0 };
	size_t start;
	m.b[m.n++] = '[';
	for (int i = 0; i < 200; i++)
		m.n += (size_t)snprintf(m.b + m.n, sizeof(m.b) - m.n, "%s{\"a\":[1,2]}", i ? "," : "");
	struct ctl_framer f = { 0 };
	/* still incomplete, but past 128 elements: refused */
	ASSERT_EQ(ctl_frame(&f, m.b, m.n, &start), -E2BIG);
	/* 128 elements pass; commas inside elements or in objects do not count */
	char ok[4096];
	size_t n = 0;
	ok[n++] = '[';
	for (int i = 0; i < 128; i++)
		n += (size_t)snprintf(ok + n, sizeof(ok) - n, "%s{\"a\":\",\",\"b\":2}", i ? "," : "");
	ok[n++] = ']';
	f = (struct ctl_framer){ 0 };
	ASSERT_EQ(ctl_frame(&f, ok, n, &start), (long)n);
	char obj[4096];
	n = 0;
	obj[n++] = '{';
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(obj + n, sizeof(obj) - n, "%s\"k%d\":1", i ? "," : "", i);
	obj[n++] = '}';
	f = (struct ctl_framer){ 0 };
	ASSERT_EQ(ctl_frame(&f, obj, n, &start), (long)n);
}

TEST(ctl_frame_incremental)
{
	const char *msg = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_list\"}";
	struct ctl_framer f = { 0 };
	size_t start, n = strlen(msg);
	for (size_t i = 1; i < n; i++)
		ASSERT_EQ(ctl_frame(&f, msg, i, &start), 0);
	ASSERT_EQ(ctl_frame(&f, msg, n, &start), (long)n);
	ASSERT_EQ(start, 0);
	/* the framer was reset: scanning the next message starts from zero */
	ASSERT_EQ(f.pos, 0);
}

static int parse(const char *text, struct ctl_request *r)
{
	json_t *msg = json_loads(text, 0, NULL);
	ASSERT(msg);
	const char *why;
	int code = ctl_rpc_parse(msg, r, &why);
	json_decref(msg);
	return code;
}

TEST(ctl_rpc_params_positional_and_named)
{
	struct ctl_request r;
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_status\",\"params\":[\"redis\"]}", &r), 0);
	ASSERT_EQ(r.method, CTL_M_STATUS);
	ASSERT_STR_EQ(r.name, "redis");
	ASSERT_EQ(json_integer_value(r.id), 1);
	ASSERT(!r.notification);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"service_kill\",\"params\":{\"name\":\"x\",\"signal\":\"SIGUSR1\"}}", &r), 0);
	ASSERT_STR_EQ(r.name, "x");
	ASSERT_STR_EQ(r.signal, "SIGUSR1");
	ASSERT_STR_EQ(json_string_value(r.id), "a");
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service_kill\",\"params\":[\"x\"]}", &r), 0);
	ASSERT_STR_EQ(r.signal, "SIGTERM");
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"method\":\"service_list\"}", &r), 0);
	ASSERT(r.notification);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"stream_subscribeLogs\",\"params\":{\"name\":\"x\"}}", &r), 0);
	ASSERT_STR_EQ(r.name, "x");
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"stream_unsubscribeLogs\",\"params\":[7]}", &r), 0);
	ASSERT_EQ(r.sub, 7);
	ctl_request_clear(&r);
}

TEST(ctl_rpc_create_params)
{
	struct ctl_request r;
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_create\",\"params\":[\"web\",{\"exec\":\"x\"}]}", &r), 0);
	ASSERT_EQ(r.method, CTL_M_CREATE);
	ASSERT_STR_EQ(r.name, "web");
	ASSERT_STR_EQ(json_string_value(json_object_get(r.content, "exec")), "x");
	ctl_request_clear(&r);
	ASSERT(r.content == NULL);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_create\",\"params\":{\"content\":{},\"name\":\"web\"}}", &r), 0);
	ASSERT_STR_EQ(r.name, "web");
	ASSERT(json_is_object(r.content));
	ctl_request_clear(&r);
	static const char *const bad[] = {
		"[\"web\"]", "[\"web\",\"exec: x\"]", "[\"web\",[]]", "[\"web\",{},1]",
		"[1,{}]", "{\"name\":\"web\"}", "{\"name\":\"web\",\"content\":null}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char msg[256];
		snprintf(msg, sizeof(msg), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_create\",\"params\":%s}", bad[i]);
		ASSERT_EQ(parse(msg, &r), CTL_E_INVALID_PARAMS);
		ctl_request_clear(&r);
	}
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_get\",\"params\":[\"web\"]}", &r), 0);
	ASSERT_EQ(r.method, CTL_M_GET);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_delete\",\"params\":{\"name\":\"web\"}}", &r), 0);
	ASSERT_EQ(r.method, CTL_M_DELETE);
	ctl_request_clear(&r);
}

TEST(ctl_rpc_errors)
{
	struct ctl_request r;
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}", &r), CTL_E_NO_METHOD);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"service_list\"}", &r), CTL_E_INVALID_REQUEST);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"id\":1,\"method\":\"service_list\"}", &r), CTL_E_INVALID_REQUEST);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"service_list\"}", &r), CTL_E_INVALID_REQUEST);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_status\"}", &r), CTL_E_INVALID_PARAMS);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_status\",\"params\":[1]}", &r), CTL_E_INVALID_PARAMS);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_status\",\"params\":[\"a\",\"b\"]}", &r), CTL_E_INVALID_PARAMS);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_status\",\"params\":\"a\"}", &r), CTL_E_INVALID_REQUEST);
	ctl_request_clear(&r);
	/* "params": null is no params, as jsonrpsee (zinit) reads it */
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_list\",\"params\":null}", &r), 0);
	ASSERT_EQ(r.method, CTL_M_LIST);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service_status\",\"params\":null}", &r), CTL_E_INVALID_PARAMS);
	ctl_request_clear(&r);
	ASSERT_EQ(parse("[1]", &r), CTL_E_INVALID_REQUEST);
	ctl_request_clear(&r);
}

static void assert_encoded(json_t *v, const char *want)
{
	char *s = ctl_encode(v, false, NULL);
	ASSERT_STR_EQ(s, want);
	free(s);
	json_decref(v);
}

TEST(ctl_rpc_replies)
{
	json_t *id = json_integer(4);
	assert_encoded(ctl_rpc_result(id, NULL), "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":null}");
	assert_encoded(ctl_rpc_error(NULL, CTL_E_PARSE, "Parse error"),
		       "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
	json_decref(id);
	assert_encoded(ctl_rpc_log_notification(3, "[+] x: hi", 9),
		       "{\"jsonrpc\":\"2.0\",\"method\":\"stream_subscribeLogs\",\"params\":{\"subscription\":3,\"result\":\"[+] x: hi\"}}");
	assert_encoded(ctl_rpc_log_end(3, "zinit is exiting"),
		       "{\"jsonrpc\":\"2.0\",\"method\":\"stream_subscribeLogs\",\"params\":{\"subscription\":3,\"error\":\"zinit is exiting\"}}");
	size_t len;
	char *s = ctl_encode(json_null(), true, &len);
	ASSERT_STR_EQ(s, "null\n");
	ASSERT_EQ(len, 5);
	free(s);
}

/* An array answer written piece by piece is byte for byte the document ctl_encode() makes. */
TEST(ctl_rpc_array_in_pieces)
{
	json_t *ids[] = { json_integer(7), json_string("a\"b"), NULL };
	for (size_t i = 0; i < 3; i++) {
		json_t *arr = json_array();
		json_array_append_new(arr, ctl_json_line("[+] x: one", 10));
		json_array_append_new(arr, ctl_json_line("[+] x: \"two\"\x01\xff", 14));
		json_t *whole = ctl_rpc_result(ids[i], arr);
		char *want = ctl_encode(whole, true, NULL);
		json_decref(whole);

		size_t len;
		char *open = ctl_rpc_array_open(ids[i], &len);
		ASSERT_EQ(len, strlen(open));
		json_t *a = ctl_json_line("[+] x: one", 10), *b = ctl_json_line("[+] x: \"two\"\x01\xff", 14);
		char *ea = ctl_encode(a, false, NULL), *eb = ctl_encode(b, false, NULL);
		char got[512];
		snprintf(got, sizeof(got), "%s%s,%s%s", open, ea, eb, CTL_RPC_ARRAY_CLOSE);
		ASSERT_STR_EQ(got, want);
		free(open);
		open = ctl_rpc_array_open(ids[i], &len); /* no element */
		snprintf(got, sizeof(got), "%s%s", open, CTL_RPC_ARRAY_CLOSE);
		json_t *none = ctl_rpc_result(ids[i], json_array());
		char *empty = ctl_encode(none, true, NULL);
		ASSERT_STR_EQ(got, empty);
		json_decref(none);
		free(empty);
		free(open);
		free(ea);
		free(eb);
		json_decref(a);
		json_decref(b);
		free(want);
		json_decref(ids[i]);
	}
}

TEST(ctl_json_line_replaces_invalid_utf8)
{
	assert_encoded(ctl_json_line("a\377b", 3), "\"a\xef\xbf\xbd" "b\"");
	assert_encoded(ctl_json_line("\xc3\xa9", 2), "\"\xc3\xa9\"");
	assert_encoded(ctl_json_line("\xed\xa0\x80", 3), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_encoded(ctl_json_line("\xe2\x82", 2), "\"\xef\xbf\xbd\xef\xbf\xbd\"");
}

TEST(ctl_status_shape)
{
	struct ctl_dep deps[] = { { "db", "Running" }, { "ghost", "Unknown" } };
	struct ctl_status st = { "api", 42, "Spawned", true, deps, 2 };
	assert_encoded(ctl_status_json(&st),
		       "{\"name\":\"api\",\"pid\":42,\"state\":\"Spawned\",\"target\":\"Up\",\"after\":{\"db\":\"Running\",\"ghost\":\"Unknown\"}}");
	struct ctl_status down = { "x", 0, "Success", false, NULL, 0 };
	assert_encoded(ctl_status_json(&down),
		       "{\"name\":\"x\",\"pid\":0,\"state\":\"Success\",\"target\":\"Down\",\"after\":{}}");
}

TEST(ctl_discover_lists_methods)
{
	json_t *d = ctl_discover();
	ASSERT_STR_EQ(json_string_value(json_object_get(d, "openrpc")), "1.2.6");
	json_t *methods = json_object_get(d, "methods");
	ASSERT(json_array_size(methods) >= 15);
	char *s = ctl_encode(d, false, NULL);
	ASSERT_CONTAINS(s, "\"service_status\"");
	ASSERT_CONTAINS(s, "\"stream_subscribeLogs\"");
	ASSERT_CONTAINS(s, "\"service_create\"");
	ASSERT_CONTAINS(s, "{\"name\":\"content\",\"required\":true,\"schema\":{\"type\":\"object\"}}");
	free(s);
	json_decref(d);
}

TEST(ctl_err_from_supervisor_errno)
{
	ASSERT_EQ(ctl_err_from_errno(0, CTL_E_SIGNAL), CTL_OK);
	ASSERT_EQ(ctl_err_from_errno(-ENOENT, CTL_E_SIGNAL), CTL_E_NOT_FOUND);
	ASSERT_EQ(ctl_err_from_errno(-EEXIST, CTL_E_SIGNAL), CTL_E_MONITORED);
	ASSERT_EQ(ctl_err_from_errno(-EBUSY, CTL_E_SIGNAL), CTL_E_UP);
	ASSERT_EQ(ctl_err_from_errno(-ESRCH, CTL_E_SIGNAL), CTL_E_DOWN);
	ASSERT_EQ(ctl_err_from_errno(-ESHUTDOWN, CTL_E_SIGNAL), CTL_E_SHUTTING_DOWN);
	ASSERT_EQ(ctl_err_from_errno(-EINVAL, CTL_E_SIGNAL), CTL_E_SIGNAL);
	ASSERT_EQ(ctl_err_from_errno(-EINVAL, CTL_E_CONFIG), CTL_E_CONFIG);
	ASSERT_EQ(ctl_err_from_errno(-ENOMEM, CTL_E_CONFIG), CTL_E_INTERNAL);
}
