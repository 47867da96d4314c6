/* SPDX-License-Identifier: MIT */
/* Tests for YAML scalar output: when zinit's serde_yaml quotes, and how. */
#include "runner.h"
#include "yamlout.h"

static char *render(const char *s)
{
	static char buf[256];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	yaml_write_scalar(f, s);
	fclose(f);
	return buf;
}

TEST(yamlout_plain)
{
	ASSERT_STR_EQ(render("Running"), "Running");
	ASSERT_STR_EQ(render("redis-server"), "redis-server");
	ASSERT_STR_EQ(render("a.b"), "a.b");
	/* left bare by yaml-rust 0.4.5 (Rust zinit's list): y/n, other case forms, hex with X,
	 * what only C's strtod reads as a number */
	ASSERT_STR_EQ(render("y"), "y");
	ASSERT_STR_EQ(render("N"), "N");
	ASSERT_STR_EQ(render("yEs"), "yEs");
	ASSERT_STR_EQ(render("nULL"), "nULL");
	ASSERT_STR_EQ(render("0X1"), "0X1");
	ASSERT_STR_EQ(render("nan(1)"), "nan(1)");
	ASSERT_STR_EQ(render("1e"), "1e");
	ASSERT_STR_EQ(render("1.2.3"), "1.2.3");
}

TEST(yamlout_quoted)
{
	ASSERT_STR_EQ(render("Error(Exited(Pid(31), 1))"), "\"Error(Exited(Pid(31), 1))\"");
	ASSERT_STR_EQ(render(""), "\"\"");
	ASSERT_STR_EQ(render("123"), "\"123\"");
	ASSERT_STR_EQ(render("1.5"), "\"1.5\"");
	ASSERT_STR_EQ(render("yes"), "\"yes\"");
	ASSERT_STR_EQ(render("NULL"), "\"NULL\"");
	ASSERT_STR_EQ(render("~"), "\"~\"");
	ASSERT_STR_EQ(render(".hidden"), "\".hidden\"");
	ASSERT_STR_EQ(render("-x"), "\"-x\"");
	ASSERT_STR_EQ(render("a: b"), "\"a: b\"");
	ASSERT_STR_EQ(render("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
	ASSERT_STR_EQ(render(" lead"), "\" lead\"");
	ASSERT_STR_EQ(render("tab\there"), "\"tab\\there\"");
	/* yaml-rust's exact spellings, and numbers as Rust parses them */
	ASSERT_STR_EQ(render("Yes"), "\"Yes\"");
	ASSERT_STR_EQ(render("OFF"), "\"OFF\"");
	ASSERT_STR_EQ(render("+12"), "\"+12\"");
	ASSERT_STR_EQ(render("1e5"), "\"1e5\"");
	ASSERT_STR_EQ(render("5."), "\"5.\"");
	ASSERT_STR_EQ(render("-inf"), "\"-inf\"");
	ASSERT_STR_EQ(render("NaN"), "\"NaN\"");
	ASSERT_STR_EQ(render("0x1f"), "\"0x1f\"");
}
