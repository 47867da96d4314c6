/* SPDX-License-Identifier: MIT */
/* Tests for the QSFS settings: defaults, overrides, validation messages, namespace list. */
#include "qsfs/settings.h"
#include "runner.h"

static const char *const *fake_env;

static const char *fake_getenv(const char *name)
{
	size_t n = strlen(name);
	for (const char *const *e = fake_env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int load(struct qsfs_settings *s, const char *const *env, char *err)
{
	fake_env = env;
	return qsfs_settings_load(s, fake_getenv, err, 256);
}

TEST(qsfs_settings_defaults)
{
	static struct qsfs_settings s;
	char err[256] = "";
	ASSERT_EQ(load(&s, NULL, err), 0);
	ASSERT_STR_EQ(s.index_dir, "/data/index");
	ASSERT_STR_EQ(s.data_dir, "/data/data");
	ASSERT_STR_EQ(s.state_dir, "/data/qsfs");
	ASSERT_STR_EQ(s.zstor, "zstor");
	ASSERT_STR_EQ(s.zstor_config, "/data/zstor.toml");
	ASSERT_STR_EQ(s.ready_socket, "/var/run/wait_hooks.sock");
	ASSERT_EQ(s.retrieve_timeout_ms, 60000);
	ASSERT_EQ(s.store_timeout_ms, 120000);
	ASSERT_EQ(s.drain_timeout_ms, 600000);
	ASSERT_EQ(s.closing_grace_ms, 3000);
	ASSERT_EQ(s.n_ns, 2);
	ASSERT_STR_EQ(s.ns[0], "zdbfs-meta");
	ASSERT_STR_EQ(s.ns[1], "zdbfs-data");
	ASSERT(qsfs_settings_has_ns(&s, "zdbfs-data"));
	ASSERT(!qsfs_settings_has_ns(&s, "zdbfs-temp"));
	ASSERT(!qsfs_settings_has_ns(&s, "default"));
}

TEST(qsfs_settings_overrides)
{
	static struct qsfs_settings s;
	static const char *const env[] = {
		"QSFS_INDEX_DIR=/x/index//", "QSFS_STATE_DIR=/", "QSFS_DATA_DIR=",
		"QSFS_NAMESPACES= a\tb  c ", "QSFS_STORE_TIMEOUT=7", "QSFS_CLOSING_GRACE_MS=0",
		"QSFS_ZSTOR=/bin/fake", NULL,
	};
	char err[256] = "";
	ASSERT_EQ(load(&s, env, err), 0);
	ASSERT_STR_EQ(s.index_dir, "/x/index");
	ASSERT_STR_EQ(s.state_dir, "/");
	ASSERT_STR_EQ(s.data_dir, "/data/data"); /* empty = default */
	ASSERT_EQ(s.n_ns, 3);
	ASSERT_STR_EQ(s.ns[2], "c");
	ASSERT_EQ(s.store_timeout_ms, 7000);
	ASSERT_EQ(s.closing_grace_ms, 0);
	ASSERT_STR_EQ(s.zstor, "/bin/fake");
}

TEST(qsfs_settings_errors)
{
	static struct qsfs_settings s;
	static const struct {
		const char *var;
		const char *msg;
	} bad[] = {
		{ "QSFS_INDEX_DIR=rel/dir", "QSFS_INDEX_DIR: not an absolute path: 'rel/dir'" },
		{ "QSFS_STORE_TIMEOUT=0", "QSFS_STORE_TIMEOUT: not a whole number in range: '0'" },
		{ "QSFS_DRAIN_TIMEOUT=5s", "QSFS_DRAIN_TIMEOUT: not a whole number in range: '5s'" },
		{ "QSFS_RETRIEVE_TIMEOUT=-1", "QSFS_RETRIEVE_TIMEOUT: not a whole number in range: '-1'" },
		{ "QSFS_NAMESPACES=a/b", "QSFS_NAMESPACES: invalid namespace name: 'a/b'" },
		{ "QSFS_NAMESPACES=..", "QSFS_NAMESPACES: invalid namespace name: '..'" },
		{ "QSFS_NAMESPACES=   ", "QSFS_NAMESPACES: no namespace: '   '" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *env[] = { bad[i].var, NULL };
		char err[256] = "";
		ASSERT_EQ(load(&s, env, err), -22);
		ASSERT_STR_EQ(err, bad[i].msg);
	}
	char longsock[200] = "QSFS_READY_SOCKET=/";
	memset(longsock + 19, 'x', 150);
	const char *env[] = { longsock, NULL };
	char err[256] = "";
	ASSERT_EQ(load(&s, env, err), -22);
	ASSERT_CONTAINS(err, "QSFS_READY_SOCKET: too long");
}
