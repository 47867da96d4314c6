/* SPDX-License-Identifier: MIT */
/* Tests for UTF-8 validation: valid sequences, and every kind of invalid one. */
#include "runner.h"
#include "utf8.h"

TEST(utf8_valid_text)
{
	ASSERT(utf8_valid(""));
	ASSERT(utf8_valid("redis-server"));
	ASSERT(utf8_valid("caf\xc3\xa9"));             /* é */
	ASSERT(utf8_valid("\xe2\x82\xac"));            /* € */
	ASSERT(utf8_valid("\xf0\x9f\x98\x80"));        /* U+1F600 */
	ASSERT_EQ(utf8_seq((const unsigned char *)"\xe2\x82\xac", 3), 3);
}

TEST(utf8_invalid_text)
{
	ASSERT(!utf8_valid("bad\xff"));
	ASSERT(!utf8_valid("\xc3"));                   /* truncated */
	ASSERT(!utf8_valid("\xc0\xaf"));               /* overlong '/' */
	ASSERT(!utf8_valid("\xed\xa0\x80"));           /* surrogate */
	ASSERT(!utf8_valid("\xf4\x90\x80\x80"));       /* past U+10FFFF */
	ASSERT(!utf8_valid("\x80"));                   /* lone continuation byte */
	ASSERT_EQ(utf8_seq((const unsigned char *)"\xe2\x82", 2), 0);
}
