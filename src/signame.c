/* SPDX-License-Identifier: MIT */
/* Signal names <-> numbers, accepting exactly the names nix 0.22 accepts on Linux. */
#include "signame.h"

#include <signal.h>
#include <stddef.h>
#include <strings.h>

static const struct {
	int sig;
	const char *name;
} signals[] = {
	{ SIGHUP, "SIGHUP" },     { SIGINT, "SIGINT" },       { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" },     { SIGTRAP, "SIGTRAP" },     { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" },     { SIGFPE, "SIGFPE" },       { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" },   { SIGSEGV, "SIGSEGV" },     { SIGUSR2, "SIGUSR2" },
	{ SIGPIPE, "SIGPIPE" },   { SIGALRM, "SIGALRM" },     { SIGTERM, "SIGTERM" },
	{ SIGSTKFLT, "SIGSTKFLT" }, { SIGCHLD, "SIGCHLD" },   { SIGCONT, "SIGCONT" },
	{ SIGSTOP, "SIGSTOP" },   { SIGTSTP, "SIGTSTP" },     { SIGTTIN, "SIGTTIN" },
	{ SIGTTOU, "SIGTTOU" },   { SIGURG, "SIGURG" },       { SIGXCPU, "SIGXCPU" },
	{ SIGXFSZ, "SIGXFSZ" },   { SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" }, { SIGIO, "SIGIO" },         { SIGPWR, "SIGPWR" },
	{ SIGSYS, "SIGSYS" },
};

#define NSIGNALS (sizeof(signals) / sizeof(signals[0]))

int signame_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < NSIGNALS; i++)
		if (strcasecmp(name, signals[i].name) == 0)
			return signals[i].sig;
	return -1;
}

const char *signame_name(int sig)
{
	for (size_t i = 0; i < NSIGNALS; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}
