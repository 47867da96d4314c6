/* SPDX-License-Identifier: MIT */
/* Tests for struct env: ordered KEY=VALUE entries and zinit's /etc/environment parsing. */
#include "env.h"
#include "runner.h"

static void parse(struct env *e, const char *text)
{
	env_parse_etc_environment(e, text, strlen(text));
}

TEST(env_init_empty)
{
	struct env e;

	env_init(&e);
	ASSERT(e.vars != NULL);
	ASSERT(e.vars[0] == NULL);
	ASSERT_EQ(e.n, 0);
	ASSERT(env_get(&e, "A") == NULL);
	env_free(&e);
	env_free(&e); /* idempotent */
}

TEST(env_set_get_order)
{
	struct env e;

	env_init(&e);
	for (int i = 0; i < 20; i++) {
		char k[16];

		snprintf(k, sizeof(k), "K%d", i);
		env_set(&e, k, "v");
	}
	env_set(&e, "K3", "replaced");
	env_set(&e, "EMPTY", "");
	ASSERT_EQ(e.n, 21);
	ASSERT_STR_EQ(e.vars[0], "K0=v");
	ASSERT_STR_EQ(e.vars[3], "K3=replaced");
	ASSERT_STR_EQ(e.vars[19], "K19=v");
	ASSERT_STR_EQ(e.vars[20], "EMPTY=");
	ASSERT(e.vars[21] == NULL);
	ASSERT_STR_EQ(env_get(&e, "K3"), "replaced");
	ASSERT_STR_EQ(env_get(&e, "EMPTY"), "");
	ASSERT(env_get(&e, "K") == NULL);
	ASSERT(env_get(&e, "K30") == NULL);
	env_free(&e);
}

TEST(env_set_prefix_keys_distinct)
{
	struct env e;

	env_init(&e);
	env_set(&e, "PATH", "/bin");
	env_set(&e, "PATHX", "x");
	env_set(&e, "PAT", "p");
	ASSERT_EQ(e.n, 3);
	ASSERT_STR_EQ(env_get(&e, "PATH"), "/bin");
	ASSERT_STR_EQ(env_get(&e, "PATHX"), "x");
	ASSERT_STR_EQ(env_get(&e, "PAT"), "p");
	env_free(&e);
}

TEST(env_add_vector_and_copy)
{
	char *vec[] = { "A=1", "NOEQ", "B=x=y", "A=2", "C=", NULL };
	struct env e, c;

	env_init(&e);
	env_add_vector(&e, vec);
	env_add_vector(&e, NULL);
	ASSERT_EQ(e.n, 3);
	ASSERT_STR_EQ(e.vars[0], "A=2");
	ASSERT_STR_EQ(e.vars[1], "B=x=y");
	ASSERT_STR_EQ(e.vars[2], "C=");
	ASSERT(env_get(&e, "NOEQ") == NULL);

	env_copy(&c, &e);
	env_set(&c, "A", "3");
	env_set(&c, "D", "4");
	ASSERT_STR_EQ(env_get(&e, "A"), "2");
	ASSERT(env_get(&e, "D") == NULL);
	ASSERT_STR_EQ(env_get(&c, "A"), "3");
	ASSERT_STR_EQ(c.vars[3], "D=4");
	ASSERT(c.vars[4] == NULL);
	env_free(&c);
	env_free(&e);
}

TEST(env_copy_empty)
{
	struct env e, c;

	env_init(&e);
	env_copy(&c, &e);
	ASSERT(c.vars && c.vars[0] == NULL);
	env_set(&c, "X", "1");
	ASSERT_STR_EQ(c.vars[0], "X=1");
	env_free(&c);
	env_free(&e);
}

TEST(env_etc_environment_basic)
{
	struct env e;

	env_init(&e);
	env_set(&e, "A", "inherited");
	parse(&e, "A=from_file\nB=\"q\"\n# comment\n\n   \nexport C=1\nD=a=b\n");
	ASSERT_EQ(e.n, 4);
	ASSERT_STR_EQ(e.vars[0], "A=from_file");
	ASSERT_STR_EQ(env_get(&e, "B"), "\"q\"");
	ASSERT_STR_EQ(env_get(&e, "export C"), "1");
	ASSERT(env_get(&e, "C") == NULL);
	ASSERT_STR_EQ(env_get(&e, "D"), "a=b");
	env_free(&e);
}

TEST(env_etc_environment_trim_and_verbatim)
{
	struct env e;

	env_init(&e);
	parse(&e, "  A = x y  \n\t#c=1\n  # indented comment\nP=$HOME/bin\nS='s'\nH=a#b\n");
	ASSERT_EQ(e.n, 4);
	/* Only the line is trimmed: the key keeps its trailing space, the value its leading one. */
	ASSERT_STR_EQ(env_get(&e, "A "), " x y");
	ASSERT(env_get(&e, "#c") == NULL);
	ASSERT_STR_EQ(env_get(&e, "P"), "$HOME/bin");
	ASSERT_STR_EQ(env_get(&e, "S"), "'s'");
	ASSERT_STR_EQ(env_get(&e, "H"), "a#b");
	env_free(&e);
}

TEST(env_etc_environment_crlf_and_no_final_newline)
{
	struct env e;

	env_init(&e);
	parse(&e, "A=1\r\nB=2\r\n\r\nC=3");
	ASSERT_EQ(e.n, 3);
	ASSERT_STR_EQ(env_get(&e, "A"), "1");
	ASSERT_STR_EQ(env_get(&e, "B"), "2");
	ASSERT_STR_EQ(env_get(&e, "C"), "3");
	env_free(&e);
}

TEST(env_etc_environment_no_equals)
{
	struct env e;

	env_init(&e);
	parse(&e, "LONELY\nX=1\nX\n=v\n");
	ASSERT_STR_EQ(env_get(&e, "LONELY"), "");
	ASSERT_STR_EQ(env_get(&e, "X"), "");
	ASSERT_STR_EQ(env_get(&e, ""), "v");
	ASSERT_STR_EQ(e.vars[1], "X=");
	env_free(&e);
}

TEST(env_etc_environment_edge_inputs)
{
	struct env e;
	const char nul[] = "A=1\nB=x\0y\nC=3\n";

	env_init(&e);
	env_parse_etc_environment(&e, "", 0);
	parse(&e, "\n\n");
	ASSERT_EQ(e.n, 0);
	/* Only the first len bytes count. */
	env_parse_etc_environment(&e, "K=abcdef", 4);
	ASSERT_STR_EQ(env_get(&e, "K"), "ab");
	/* A line holding a NUL byte is skipped; the others still apply. */
	env_parse_etc_environment(&e, nul, sizeof(nul) - 1);
	ASSERT_STR_EQ(env_get(&e, "A"), "1");
	ASSERT(env_get(&e, "B") == NULL);
	ASSERT_STR_EQ(env_get(&e, "C"), "3");
	env_free(&e);
}

/* Many keys go through the hash index (regrown many times): each is found, a copy keeps them. */
TEST(env_many_keys_indexed)
{
	enum { N = 100000 };
	struct env e, c;
	char k[32], v[32];

	env_init(&e);
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof(k), "V%d", i);
		env_set(&e, k, "x");
	}
	for (int i = 0; i < N; i += 7) {
		snprintf(k, sizeof(k), "V%d", i);
		snprintf(v, sizeof(v), "%d", i);
		env_set(&e, k, v);
	}
	ASSERT_EQ(e.n, N);
	env_copy(&c, &e);
	env_set(&c, "NEW", "1");
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof(k), "V%d", i);
		snprintf(v, sizeof(v), "%d", i);
		ASSERT_STR_EQ(env_get(&c, k), i % 7 ? "x" : v);
	}
	ASSERT_EQ(c.n, N + 1);
	ASSERT_STR_EQ(c.vars[N], "NEW=1");
	ASSERT(env_get(&e, "NEW") == NULL);
	env_free(&c);
	env_free(&e);
}
