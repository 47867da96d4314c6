/* SPDX-License-Identifier: MIT */
/* Tests for cmdline_split(): the shlex 1.1.0 rules zinit applies to exec/test. */
#include <errno.h>

#include "cmdline.h"
#include "runner.h"

/* expect_split() - assert that @s splits into exactly the NULL-terminated list @want. */
static void expect_split(const char *s, const char *const *want)
{
	char **argv = (char **)1;
	size_t argc = 99, n = 0;

	ASSERT_EQ(cmdline_split(s, &argv, &argc), 0);
	while (want[n])
		n++;
	ASSERT_EQ(argc, n);
	for (size_t i = 0; i < n; i++)
		ASSERT_STR_EQ(argv[i], want[i]);
	ASSERT(argv[n] == NULL);
	cmdline_free(argv);
}

static void expect_error(const char *s)
{
	char **argv = NULL;
	size_t argc = 42;

	ASSERT_EQ(cmdline_split(s, &argv, &argc), -EINVAL);
	ASSERT(argv == NULL);
	ASSERT_EQ(argc, 42);
}

#define SPLIT(s, ...) expect_split((s), (const char *const[]){ __VA_ARGS__, NULL })
#define SPLIT_NONE(s) expect_split((s), (const char *const[]){ NULL })

TEST(cmdline_plain_words)
{
	SPLIT("sleep 1000", "sleep", "1000");
	SPLIT("/bin/true", "/bin/true");
	SPLIT("foo$baz", "foo$baz");
}

TEST(cmdline_separators)
{
	SPLIT("  a   b\t\tc\n\nd  ", "a", "b", "c", "d");
	SPLIT("   foo \nbar", "foo", "bar");
	SPLIT("\ta\n", "a");
}

TEST(cmdline_cr_is_ordinary)
{
	SPLIT("a\rb c\r", "a\rb", "c\r");
	SPLIT("\r", "\r");
}

TEST(cmdline_empty)
{
	SPLIT_NONE("");
	SPLIT_NONE(" ");
	SPLIT_NONE(" \t\n \n");
}

TEST(cmdline_single_quotes)
{
	SPLIT("'a  b' c", "a  b", "c");
	SPLIT("'$HOME \"x\" #y'", "$HOME \"x\" #y");
	/* Inside single quotes a backslash is an ordinary character (shlex >= 1.0). */
	SPLIT("'baz\\$b'", "baz\\$b");
	SPLIT("'a\\nb'", "a\\nb");
	SPLIT("'a\\'", "a\\");
	SPLIT("'multi\nline'", "multi\nline");
}

TEST(cmdline_double_quotes)
{
	SPLIT("\"a  b\" c", "a  b", "c");
	SPLIT("\"\\$x \\`y\\` \\\"q\\\" \\\\\"", "$x `y` \"q\" \\");
	SPLIT("\"foo\\\nbar\"", "foobar");
	SPLIT("\"\\x\"", "\\x");
	SPLIT("\"\\n\\t\\'\"", "\\n\\t\\'");
	SPLIT("\"it's\"", "it's");
	SPLIT("\"#not a comment\"", "#not a comment");
}

TEST(cmdline_adjacent_parts_join)
{
	SPLIT("a\"b\"'c'", "abc");
	SPLIT("foo\"bar\"baz", "foobarbaz");
	SPLIT("foo \"bar\"baz", "foo", "barbaz");
	SPLIT("--opt='x y'", "--opt=x y");
}

TEST(cmdline_empty_quoted_word)
{
	SPLIT("\"\"", "");
	SPLIT("''", "");
	SPLIT("a \"\" b ''", "a", "", "b", "");
}

TEST(cmdline_comments)
{
	SPLIT("echo a #b", "echo", "a");
	SPLIT("foo #bar", "foo");
	SPLIT("a#b", "a#b");
	SPLIT("foo #bar\nbaz", "foo", "baz");
	SPLIT("#x\ny #z\n#w", "y");
	SPLIT("echo $HOME #c", "echo", "$HOME");
	SPLIT_NONE("#x");
	SPLIT_NONE("  # only a comment 'unterminated");
	SPLIT("a # \"x\ny", "a", "y");
}

TEST(cmdline_bare_backslash)
{
	SPLIT("a\\ b", "a b");
	SPLIT("\\$x \\\"", "$x", "\"");
	SPLIT("\\#x", "#x");
	SPLIT("\\\\", "\\");
	SPLIT("\\'a", "'a");
}

TEST(cmdline_backslash_newline)
{
	SPLIT("foo\\\nbar", "foobar");
	SPLIT("a\\\n", "a");
	/* A word made only of backslash-newline is an empty word, exactly as in shlex 1.1.0. */
	SPLIT("a \\\n b", "a", "", "b");
}

TEST(cmdline_errors)
{
	expect_error("\\");
	expect_error("a \\");
	expect_error("\"");
	expect_error("'");
	expect_error("\"\\");
	expect_error("'\\");
	expect_error("sh -c \"unterminated");
	expect_error("foo\"#bar");
	expect_error("ok 'open");
}

TEST(cmdline_sh_c)
{
	SPLIT("sh -c \"echo 'a  b' $HOME; echo \\\"q\\\"\"", "sh", "-c",
	      "echo 'a  b' $HOME; echo \"q\"");
}

TEST(cmdline_free_null)
{
	cmdline_free(NULL);
}
