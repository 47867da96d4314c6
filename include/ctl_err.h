/* SPDX-License-Identifier: MIT */
/* The errors of control operations, shared by the protocols, the control server and the CLI. */
#ifndef ZINIT_CTL_ERR_H
#define ZINIT_CTL_ERR_H

/* Values are zinit's JSON-RPC error codes where zinit has one. */
enum ctl_err {
	CTL_OK = 0,
	CTL_E_NOT_FOUND = -32000,     /* service name "x" unknown */
	CTL_E_MONITORED = -32001,     /* service "x" already monitored */
	CTL_E_UP = -32002,            /* service "x" is up (forget) */
	CTL_E_DOWN = -32003,          /* service "x" is down (kill) */
	CTL_E_SIGNAL = -32004,        /* invalid signal */
	CTL_E_CONFIG = -32005,        /* failed to load service config (monitor) */
	CTL_E_SHUTTING_DOWN = -32006, /* zinit is shutting down */
	CTL_E_EXISTS = -32007,        /* service_create: the unit file exists already */
	CTL_E_FILE = -32008,          /* a unit file could not be written, read or removed */
	CTL_E_BUSY = -32050,          /* too many control clients (ours) */
	CTL_E_OVER_BUDGET = -32051,   /* answers fill the control plane's memory budget (ours) */
	CTL_E_PARSE = -32700,
	CTL_E_INVALID_REQUEST = -32600,
	CTL_E_NO_METHOD = -32601,
	CTL_E_INVALID_PARAMS = -32602,
	CTL_E_INTERNAL = -32603,
};

/* The message of CTL_E_OVER_BUDGET, the same in both protocols. */
#define CTL_OVER_BUDGET_TEXT \
	"control answers fill zinit's 32 MiB budget (clients not reading them): try again"

#endif
