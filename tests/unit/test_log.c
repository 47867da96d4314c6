/* SPDX-License-Identifier: MIT */
/* Tests for log_escape(): what a terminal would act on in zinit's own messages is made visible. */
#include "log.h"
#include "runner.h"

static const char *esc(const char *in, size_t len, size_t cap)
{
	static char out[512];

	ASSERT(cap <= sizeof(out));
	ASSERT_EQ(log_escape(in, len, out, cap), strlen(out));
	return out;
}

#define ESC(s) esc(s, sizeof(s) - 1, 512)

TEST(log_escape_c0_del_tab)
{
	ASSERT_STR_EQ(ESC("plain text, \\ and \"quotes\""), "plain text, \\ and \"quotes\"");
	ASSERT_STR_EQ(ESC("a\tb"), "a\tb");
	ASSERT_STR_EQ(ESC("ghost\nzinit: ERROR forged\r\x1b[31m"),
		      "ghost\\x0azinit: ERROR forged\\x0d\\x1b[31m");
	ASSERT_STR_EQ(ESC("\x01\x1f\x7f"), "\\x01\\x1f\\x7f");
	ASSERT_STR_EQ(ESC("nul\0byte"), "nul\\x00byte");
}

TEST(log_escape_c1)
{
	/* U+0080..U+009F encoded in UTF-8: escaped; U+00A0 and up: kept. */
	ASSERT_STR_EQ(ESC("csi \xc2\x9b" "31m \xc2\x80\xc2\x9f"), "csi \\u009b31m \\u0080\\u009f");
	ASSERT_STR_EQ(ESC("\xc2\xa0 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		      "\xc2\xa0 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* Bytes 0x80-0x9f outside valid UTF-8 (C1 to an 8-bit terminal): escaped; other invalid
	 * bytes pass as they are. */
	ASSERT_STR_EQ(ESC("\x9b" "31m \xff \xe2\x82"), "\\x9b31m \xff \xe2\\x82");
}

TEST(log_escape_bounded)
{
	/* The output holds cap - 1 bytes and its NUL; an escape is never cut in two. */
	ASSERT_STR_EQ(esc("ab\x1b" "cd", 5, 6), "ab");
	ASSERT_STR_EQ(esc("ab\x1b" "cd", 5, 7), "ab\\x1b");
	ASSERT_STR_EQ(esc("ab\xc2\x9b", 4, 8), "ab");
	ASSERT_STR_EQ(esc("ab\xc2\x9b", 4, 9), "ab\\u009b");
	ASSERT_STR_EQ(esc("abc", 3, 1), "");
	ASSERT_EQ(log_escape("abc", 3, NULL, 0), 0);
}
