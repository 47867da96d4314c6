/* SPDX-License-Identifier: MIT */
/* Tests for the ns oneshot's reading of zdb's NSNEW replies, and of replies in messages. */
#include "qsfs/ns.h"
#include "runner.h"

static redisReply reply(int type, const char *str)
{
	return (redisReply){ .type = type, .str = (char *)str, .len = str ? strlen(str) : 0 };
}

TEST(ns_outcome)
{
	redisReply r = reply(REDIS_REPLY_STATUS, "OK");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_CREATED);
	r = reply(REDIS_REPLY_ERROR, "This namespace is not available");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_EXISTS);
	r = reply(REDIS_REPLY_ERROR, "This name is not allowed");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
	r = reply(REDIS_REPLY_ERROR, "This namespace is not available, sorry");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
	r = reply(REDIS_REPLY_ERROR, "OK");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
	r = reply(REDIS_REPLY_STRING, "OK"); /* a bulk string is not the status +OK */
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
	r = reply(REDIS_REPLY_STATUS, "OKAY");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
	r = reply(REDIS_REPLY_STATUS, "This namespace is not available");
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
	r = reply(REDIS_REPLY_NIL, NULL);
	ASSERT_EQ(qsfs_ns_outcome(&r), QSFS_NS_FAILED);
}

TEST(resp_describe)
{
	char out[300];
	redisReply r = reply(REDIS_REPLY_STATUS, "OK");
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_STR_EQ(out, "+OK");
	r = reply(REDIS_REPLY_ERROR, "ERR boom\r\nx");
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_STR_EQ(out, "-ERR boom??x");
	r = reply(REDIS_REPLY_STRING, "PONG");
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_STR_EQ(out, "$\"PONG\"");
	r = (redisReply){ .type = REDIS_REPLY_INTEGER, .integer = -3 };
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_STR_EQ(out, ":-3");
	r = (redisReply){ .type = REDIS_REPLY_ARRAY, .elements = 2 };
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_STR_EQ(out, "*2 elements");
	r = reply(REDIS_REPLY_NIL, NULL);
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_STR_EQ(out, "nil");
}

TEST(resp_describe_cuts)
{
	char big[1000], out[300];
	memset(big, 'e', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	redisReply r = reply(REDIS_REPLY_ERROR, big);
	qsfs_resp_describe(&r, out, sizeof(out));
	ASSERT_EQ(strlen(out), 201); /* "-" and 200 bytes */
	char small[8];
	qsfs_resp_describe(&r, small, sizeof(small));
	ASSERT_STR_EQ(small, "-eeeeee");
}
