/* SPDX-License-Identifier: MIT */
/* Tests for the JSON-RPC error objects: zinit 0.2.28's messages and data, byte for byte. */
#include "ctl_rpcerr.h"

#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* @f's error @err encoded compactly is @want (zinit's: serde_json sorts data's keys). */
static void assert_error(enum ctl_method m, const char *name, const char *signal,
			 enum ctl_err err, const char *want)
{
	struct ctl_failure f = { m, name, signal, NULL };
	json_t *e = ctl_rpcerr_new(&f, err);
	char *s = ctl_encode(e, false, NULL);
	ASSERT_STR_EQ(s, want);
	free(s);
	json_decref(e);
}

/* zinit_err_to_rpc()'s shape: "ACTION: WHAT", data with six keys, cause_chain null. */
TEST(ctl_rpcerr_generic)
{
	assert_error(CTL_M_STATUS, "x", NULL, CTL_E_NOT_FOUND,
		     "{\"code\":-32000,\"message\":\"getting status: service 'x' not found\","
		     "\"data\":{\"action\":\"getting status\",\"cause_chain\":null,"
		     "\"code_name\":\"ServiceNotFound\",\"hint\":\"Ensure the service is monitored "
		     "or the name is correct\",\"retryable\":false,\"service\":\"x\"}}");
	assert_error(CTL_M_MONITOR, "x", NULL, CTL_E_MONITORED,
		     "{\"code\":-32001,\"message\":\"monitoring service: service 'x' already "
		     "monitored\",\"data\":{\"action\":\"monitoring service\",\"cause_chain\":null,"
		     "\"code_name\":\"ServiceAlreadyMonitored\",\"hint\":\"The service is already "
		     "monitored; call service_forget or control it with start/stop\","
		     "\"retryable\":true,\"service\":\"x\"}}");
	assert_error(CTL_M_FORGET, "x", NULL, CTL_E_UP,
		     "{\"code\":-32002,\"message\":\"forgetting service: service 'x' is up\","
		     "\"data\":{\"action\":\"forgetting service\",\"cause_chain\":null,"
		     "\"code_name\":\"ServiceIsUp\",\"hint\":\"Service is already up; use "
		     "service_stop or restart\",\"retryable\":false,\"service\":\"x\"}}");
	assert_error(CTL_M_KILL, "x", "SIGTERM", CTL_E_DOWN,
		     "{\"code\":-32003,\"message\":\"sending signal: service 'x' is down\","
		     "\"data\":{\"action\":\"sending signal\",\"cause_chain\":null,"
		     "\"code_name\":\"ServiceIsDown\",\"hint\":\"Service is down; start it before "
		     "sending signals or requesting stats\",\"retryable\":true,\"service\":\"x\"}}");
	assert_error(CTL_M_START, "x", NULL, CTL_E_SHUTTING_DOWN,
		     "{\"code\":-32006,\"message\":\"starting service: system is shutting down\","
		     "\"data\":{\"action\":\"starting service\",\"cause_chain\":null,"
		     "\"code_name\":\"ShuttingDown\",\"hint\":\"Wait for shutdown to complete or "
		     "avoid mutating operations during shutdown\",\"retryable\":false,"
		     "\"service\":\"x\"}}");
	/* no name: service null */
	assert_error(CTL_M_REBOOT, NULL, NULL, CTL_E_SHUTTING_DOWN,
		     "{\"code\":-32006,\"message\":\"system reboot: system is shutting down\","
		     "\"data\":{\"action\":\"system reboot\",\"cause_chain\":null,"
		     "\"code_name\":\"ShuttingDown\",\"hint\":\"Wait for shutdown to complete or "
		     "avoid mutating operations during shutdown\",\"retryable\":false,"
		     "\"service\":null}}");
	assert_error(CTL_M_STATUS, "x", NULL, CTL_E_INTERNAL,
		     "{\"code\":-32603,\"message\":\"getting status: internal error\","
		     "\"data\":{\"action\":\"getting status\",\"cause_chain\":null,"
		     "\"code_name\":\"InternalError\",\"hint\":\"Enable verbose logs and inspect "
		     "cause_chain for details\",\"retryable\":false,\"service\":\"x\"}}");
}

/* The prefix of each method zinit has (rpc.rs), and ours, service_restart. */
TEST(ctl_rpcerr_actions)
{
	static const struct {
		enum ctl_method m;
		const char *prefix;
	} want[] = {
		{ CTL_M_LIST, "listing services: " },    { CTL_M_STATUS, "getting status: " },
		{ CTL_M_START, "starting service: " },   { CTL_M_STOP, "stopping service: " },
		{ CTL_M_RESTART, "restarting service: " }, { CTL_M_MONITOR, "monitoring service: " },
		{ CTL_M_FORGET, "forgetting service: " }, { CTL_M_KILL, "sending signal: " },
		{ CTL_M_STATS, "collecting stats: " },   { CTL_M_SHUTDOWN, "system shutdown: " },
		{ CTL_M_REBOOT, "system reboot: " },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct ctl_failure f = { want[i].m, "x", NULL, NULL };
		json_t *e = ctl_rpcerr_new(&f, CTL_E_INTERNAL);
		const char *msg = json_string_value(json_object_get(e, "message"));
		const char *action = json_string_value(json_object_get(json_object_get(e, "data"),
									"action"));
		size_t n = strlen(want[i].prefix);
		ASSERT_EQ(strncmp(msg, want[i].prefix, n), 0);
		ASSERT_EQ(strlen(action), n - 2); /* the prefix without its ": " */
		ASSERT_EQ(strncmp(action, want[i].prefix, n - 2), 0);
		json_decref(e);
	}
}

/* The errors zinit builds by hand: their own message, four keys of data. */
TEST(ctl_rpcerr_by_hand)
{
	assert_error(CTL_M_KILL, "x", "USR1", CTL_E_SIGNAL,
		     "{\"code\":-32004,\"message\":\"parsing signal: invalid signal 'USR1'\","
		     "\"data\":{\"action\":\"parsing signal\",\"code_name\":\"InvalidSignal\","
		     "\"hint\":\"Use a valid POSIX signal like SIGTERM or SIGKILL\","
		     "\"signal\":\"USR1\"}}");
	assert_error(CTL_M_MONITOR, "x", NULL, CTL_E_CONFIG,
		     "{\"code\":-32005,\"message\":\"monitoring service: failed to load 'x.yaml'\","
		     "\"data\":{\"action\":\"loading service config\",\"code_name\":\"ConfigError\","
		     "\"hint\":\"Verify the YAML file exists and is valid\",\"service\":\"x\"}}");
	assert_error(CTL_M_MONITOR, "a/b", NULL, CTL_E_INVALID_PARAMS,
		     "{\"code\":-32602,\"message\":\"monitoring service: invalid service name "
		     "'a/b'\",\"data\":{\"action\":\"monitoring service\","
		     "\"code_name\":\"InvalidServiceName\",\"hint\":\"Name must not be empty, . or "
		     ".., contain '/' or control characters\",\"service\":\"a/b\"}}");
	assert_error(CTL_M_CREATE, "x", NULL, CTL_E_EXISTS,
		     "{\"code\":-32007,\"message\":\"creating service: Service 'x' already exists\","
		     "\"data\":{\"action\":\"creating service file\","
		     "\"code_name\":\"ServiceAlreadyExists\",\"hint\":\"Use a different name or "
		     "delete the existing service first\",\"service\":\"x\"}}");
	assert_error(CTL_M_CREATE, "x", NULL, CTL_E_CONFIG,
		     "{\"code\":-32005,\"message\":\"creating service: failed to convert content to "
		     "YAML\",\"data\":{\"action\":\"serializing service config\","
		     "\"code_name\":\"ConfigError\",\"hint\":\"Ensure content is valid according to "
		     "schema\",\"service\":\"x\"}}");
	assert_error(CTL_M_CREATE, "x", NULL, CTL_E_FILE,
		     "{\"code\":-32008,\"message\":\"creating service file: failed to create service "
		     "file\",\"data\":{\"action\":\"creating service file\","
		     "\"code_name\":\"ServiceFileError\",\"hint\":\"Check permissions and filesystem "
		     "availability\",\"service\":\"x\"}}");
	assert_error(CTL_M_DELETE, "x", NULL, CTL_E_NOT_FOUND,
		     "{\"code\":-32000,\"message\":\"deleting service: Service 'x' not found\","
		     "\"data\":{\"action\":\"deleting service file\",\"code_name\":\"ServiceNotFound\","
		     "\"hint\":\"Ensure the service file exists\",\"service\":\"x\"}}");
	assert_error(CTL_M_DELETE, "x", NULL, CTL_E_FILE,
		     "{\"code\":-32008,\"message\":\"deleting service file: failed to delete service "
		     "file\",\"data\":{\"action\":\"deleting service file\","
		     "\"code_name\":\"ServiceFileError\",\"hint\":\"Check permissions and filesystem "
		     "availability\",\"service\":\"x\"}}");
	assert_error(CTL_M_GET, "x", NULL, CTL_E_NOT_FOUND,
		     "{\"code\":-32000,\"message\":\"getting service: Service 'x' not found\","
		     "\"data\":{\"action\":\"reading service file\",\"code_name\":\"ServiceNotFound\","
		     "\"hint\":\"Ensure the service file exists\",\"service\":\"x\"}}");
	assert_error(CTL_M_GET, "x", NULL, CTL_E_FILE,
		     "{\"code\":-32008,\"message\":\"reading service file: failed to read service "
		     "file\",\"data\":{\"action\":\"reading service file\","
		     "\"code_name\":\"ServiceFileError\",\"hint\":\"Check permissions and filesystem "
		     "availability\",\"service\":\"x\"}}");
	assert_error(CTL_M_GET, "x", NULL, CTL_E_CONFIG,
		     "{\"code\":-32005,\"message\":\"getting service: failed to parse YAML\","
		     "\"data\":{\"action\":\"parsing service file\",\"code_name\":\"ConfigError\","
		     "\"hint\":\"Ensure the YAML is valid\",\"service\":\"x\"}}");
}

/* The protocol's errors and ours: code and message, as jsonrpsee sends its own. */
TEST(ctl_rpcerr_plain)
{
	static const struct {
		enum ctl_err err;
		const char *want;
	} refused[] = {
		{ CTL_E_PARSE, "{\"code\":-32700,\"message\":\"Parse error\"}" },
		{ CTL_E_INVALID_REQUEST, "{\"code\":-32600,\"message\":\"Invalid Request\"}" },
		{ CTL_E_NO_METHOD, "{\"code\":-32601,\"message\":\"Method not found\"}" },
		{ CTL_E_INVALID_PARAMS, "{\"code\":-32602,\"message\":\"Invalid params\"}" },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		json_t *e = ctl_rpcerr_new(NULL, refused[i].err);
		char *s = ctl_encode(e, false, NULL);
		ASSERT_STR_EQ(s, refused[i].want);
		free(s);
		json_decref(e);
	}
	/* over budget, whatever the method */
	assert_error(CTL_M_LOGS_CURRENT, NULL, NULL, CTL_E_OVER_BUDGET,
		     "{\"code\":-32051,\"message\":\"control answers fill zinit's 32 MiB budget "
		     "(clients not reading them): try again\"}");
	assert_error(CTL_M_STATUS, "x", NULL, CTL_E_OVER_BUDGET,
		     "{\"code\":-32051,\"message\":\"control answers fill zinit's 32 MiB budget "
		     "(clients not reading them): try again\"}");
	/* a method of ours zinit has no action for */
	assert_error(CTL_M_HEALTH, NULL, NULL, CTL_E_INTERNAL,
		     "{\"code\":-32603,\"message\":\"internal error\"}");
}

/* Ours: monitor's reason, which zinit only logs, as data.cause_chain (in its sorted place). */
TEST(ctl_rpcerr_cause)
{
	struct ctl_failure f = { CTL_M_MONITOR, "x", NULL,
				 "/u/x.yaml:2:10: oneshot: expected a boolean" };
	json_t *e = ctl_rpcerr_new(&f, CTL_E_CONFIG);
	char *s = ctl_encode(e, false, NULL);
	ASSERT_STR_EQ(s, "{\"code\":-32005,\"message\":\"monitoring service: failed to load "
			 "'x.yaml'\",\"data\":{\"action\":\"loading service config\","
			 "\"cause_chain\":[\"/u/x.yaml:2:10: oneshot: expected a boolean\"],"
			 "\"code_name\":\"ConfigError\",\"hint\":\"Verify the YAML file exists and "
			 "is valid\",\"service\":\"x\"}}");
	free(s);
	json_decref(e);
}
