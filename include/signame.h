/* SPDX-License-Identifier: MIT */
/* Signal names <-> numbers, as zinit spells them ("SIGTERM"); pure. */
#ifndef ZINIT_SIGNAME_H
#define ZINIT_SIGNAME_H

/**
 * signame_parse() - the signal number of a full name such as "SIGTERM" or "sigusr1"
 * (case-insensitive, "SIG" prefix required, as zinit/nix: SIGHUP..SIGSYS, SIGSTKFLT, SIGPWR).
 * Return: the number, or -1 if the name is not one of those.
 */
int signame_parse(const char *name);

/** signame_name() - "SIGTERM" for 15; NULL for a number with no name. */
const char *signame_name(int sig);

#endif
