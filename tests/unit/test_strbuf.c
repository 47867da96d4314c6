/* SPDX-License-Identifier: MIT */
/* Tests for strbuf.c: appends of every kind, growth, and reuse after free. */
#include <string.h>

#include "runner.h"
#include "strbuf.h"

TEST(strbuf_appends_and_grows)
{
	struct strbuf b = { 0 };
	ASSERT_STR_EQ(strbuf_str(&b), "");
	strbuf_add(&b, "ab\0cd", 5); /* bytes, a NUL among them */
	ASSERT_EQ(b.len, 5);
	ASSERT(memcmp(b.s, "ab\0cd", 6) == 0);
	strbuf_addstr(&b, "-x");
	strbuf_addf(&b, "%d:%s", 42, "y");
	ASSERT(memcmp(b.s + 5, "-x42:y", 7) == 0);
	strbuf_addf(&b, "%s", ""); /* nothing to add: the text stays as it was */
	ASSERT_EQ(b.len, 11);
	for (int i = 0; i < 2000; i++)
		strbuf_addf(&b, "%04d", i);
	ASSERT_EQ(b.len, 11 + 2000 * 4);
	ASSERT(memcmp(b.s + b.len - 4, "1999", 5) == 0);
	ASSERT(b.cap > b.len);
	size_t cap = b.cap;
	strbuf_reset(&b);
	ASSERT_STR_EQ(strbuf_str(&b), "");
	ASSERT(b.len == 0 && b.cap == cap);
	strbuf_addstr(&b, "z");
	ASSERT_STR_EQ(b.s, "z");
	strbuf_free(&b);
	ASSERT(b.s == NULL && b.len == 0 && b.cap == 0);
	ASSERT_STR_EQ(strbuf_str(&b), "");
	strbuf_addstr(&b, "again");
	ASSERT_STR_EQ(strbuf_str(&b), "again");
	strbuf_free(&b);
}
