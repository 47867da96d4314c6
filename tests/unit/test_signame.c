/* SPDX-License-Identifier: MIT */
/* Tests for signame: the nix 0.22 Linux signal names, case-insensitive, SIG prefix required. */
#include <signal.h>

#include "runner.h"
#include "signame.h"

TEST(signame_parse_canonical)
{
	ASSERT_EQ(signame_parse("SIGHUP"), SIGHUP);
	ASSERT_EQ(signame_parse("SIGINT"), SIGINT);
	ASSERT_EQ(signame_parse("SIGKILL"), SIGKILL);
	ASSERT_EQ(signame_parse("SIGTERM"), 15);
	ASSERT_EQ(signame_parse("SIGUSR1"), SIGUSR1);
	ASSERT_EQ(signame_parse("SIGUSR2"), SIGUSR2);
	ASSERT_EQ(signame_parse("SIGSTKFLT"), SIGSTKFLT);
	ASSERT_EQ(signame_parse("SIGCHLD"), SIGCHLD);
	ASSERT_EQ(signame_parse("SIGWINCH"), SIGWINCH);
	ASSERT_EQ(signame_parse("SIGIO"), SIGIO);
	ASSERT_EQ(signame_parse("SIGPWR"), SIGPWR);
	ASSERT_EQ(signame_parse("SIGSYS"), SIGSYS);
}

TEST(signame_parse_case_insensitive)
{
	ASSERT_EQ(signame_parse("sigterm"), SIGTERM);
	ASSERT_EQ(signame_parse("sigusr1"), SIGUSR1);
	ASSERT_EQ(signame_parse("SigHup"), SIGHUP);
}

TEST(signame_parse_rejects)
{
	ASSERT_EQ(signame_parse("TERM"), -1);
	ASSERT_EQ(signame_parse("USR1"), -1);
	ASSERT_EQ(signame_parse("15"), -1);
	ASSERT_EQ(signame_parse("SIGRTMIN"), -1);
	ASSERT_EQ(signame_parse("SIGRTMIN+1"), -1);
	ASSERT_EQ(signame_parse("SIGIOT"), -1);
	ASSERT_EQ(signame_parse("SIGPOLL"), -1);
	ASSERT_EQ(signame_parse("SIGCLD"), -1);
	ASSERT_EQ(signame_parse("SIG"), -1);
	ASSERT_EQ(signame_parse(" SIGTERM"), -1);
	ASSERT_EQ(signame_parse("SIGTERM "), -1);
	ASSERT_EQ(signame_parse(""), -1);
	ASSERT_EQ(signame_parse(NULL), -1);
}

TEST(signame_name_roundtrip)
{
	ASSERT_STR_EQ(signame_name(15), "SIGTERM");
	ASSERT_STR_EQ(signame_name(SIGKILL), "SIGKILL");
	ASSERT_STR_EQ(signame_name(SIGSTKFLT), "SIGSTKFLT");
	ASSERT(signame_name(0) == NULL);
	ASSERT(signame_name(-1) == NULL);
	ASSERT(signame_name(SIGRTMIN) == NULL);
	ASSERT(signame_name(64) == NULL);
	for (int s = 1; s <= 31; s++) {
		const char *n = signame_name(s);

		ASSERT(n != NULL);
		ASSERT_EQ(signame_parse(n), s);
	}
}
