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
}
