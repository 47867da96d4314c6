/* SPDX-License-Identifier: MIT */
/* Tests for qsfs/addr: "HOST:PORT", "[V6ADDR]:PORT" and "unix:PATH" parsing. */
#include <errno.h>

#include "qsfs/addr.h"
#include "runner.h"

static void tcp_ok(const char *text, const char *host, int port)
{
	struct qsfs_addr a;
	const char *why = NULL;
	ASSERT_EQ(qsfs_addr_parse(text, &a, &why), 0);
	ASSERT_EQ(a.kind, QSFS_ADDR_TCP);
	ASSERT_STR_EQ(a.host, host);
	ASSERT_EQ(a.port, port);
}

static void bad(const char *text, const char *reason)
{
	struct qsfs_addr a;
	const char *why = NULL;
	ASSERT_EQ(qsfs_addr_parse(text, &a, &why), -EINVAL);
	ASSERT_CONTAINS(why, reason);
}

TEST(addr_tcp)
{
	tcp_ok("localhost:9900", "localhost", 9900);
	tcp_ok("127.0.0.1:1", "127.0.0.1", 1);
	tcp_ok("zdb.example:65535", "zdb.example", 65535);
	tcp_ok("[::1]:9900", "::1", 9900);
	tcp_ok("[fe80::1%eth0]:9900", "fe80::1%eth0", 9900);
}

TEST(addr_unix)
{
	struct qsfs_addr a;
	const char *why = NULL;
	ASSERT_EQ(qsfs_addr_parse("unix:/var/run/zdb.sock", &a, &why), 0);
	ASSERT_EQ(a.kind, QSFS_ADDR_UNIX);
	ASSERT_STR_EQ(a.path, "/var/run/zdb.sock");
	ASSERT_EQ(qsfs_addr_parse("unix:relative:with:colons", &a, &why), 0);
	ASSERT_STR_EQ(a.path, "relative:with:colons");
	ASSERT_EQ(qsfs_addr_unix("/s", &a, &why), 0);
	ASSERT_STR_EQ(a.path, "/s");
}

TEST(addr_unix_length)
{
	char path[QSFS_ADDR_PATH_MAX + 2];
	struct qsfs_addr a;
	const char *why = NULL;
	memset(path, 'p', QSFS_ADDR_PATH_MAX);
	path[QSFS_ADDR_PATH_MAX] = '\0';
	ASSERT_EQ(qsfs_addr_unix(path, &a, &why), 0); /* 107 bytes + NUL fill sun_path */
	ASSERT_EQ(strlen(a.path), QSFS_ADDR_PATH_MAX);
	path[QSFS_ADDR_PATH_MAX] = 'p';
	path[QSFS_ADDR_PATH_MAX + 1] = '\0';
	ASSERT_EQ(qsfs_addr_unix(path, &a, &why), -EINVAL);
	ASSERT_CONTAINS(why, "longer than 107");
	ASSERT_EQ(qsfs_addr_unix("", &a, &why), -EINVAL);
	ASSERT_CONTAINS(why, "empty");
	bad("unix:", "empty");
}

TEST(addr_bad_port)
{
	const char *ports[] = { "h:",    "h:0",  "h:65536", "h:-1", "h:+1", "h: 1",
				"h:1 ", "h:99999999999999999999", "h:0x10", "h:9900a" };
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		bad(ports[i], "port");
}

TEST(addr_bad_host)
{
	bad("localhost", "HOST:PORT");
	bad("", "HOST:PORT");
	bad(":9900", "bad host");
	bad("a b:9900", "bad host");
	bad("a/b:9900", "bad host");
	bad("::1:9900", "brackets");
	bad("[::1:9900", "no ']'");
	bad("[::1]9900", "no ':PORT'");
	bad("[]:9900", "bad host");
	bad("[a]b]:1", "no ':PORT'");
	bad("unx:/path", "port");
}

TEST(addr_host_length)
{
	char text[QSFS_ADDR_HOST_MAX + 16];
	memset(text, 'h', QSFS_ADDR_HOST_MAX);
	strcpy(text + QSFS_ADDR_HOST_MAX, ":1");
	struct qsfs_addr a;
	const char *why = NULL;
	ASSERT_EQ(qsfs_addr_parse(text, &a, &why), 0);
	ASSERT_EQ(strlen(a.host), QSFS_ADDR_HOST_MAX);
	memset(text, 'h', QSFS_ADDR_HOST_MAX + 1);
	strcpy(text + QSFS_ADDR_HOST_MAX + 1, ":1");
	bad(text, "bad host");
}
