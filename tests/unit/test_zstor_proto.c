/* SPDX-License-Identifier: MIT */
/* Tests for the zstor stand-in's wire format: the exact bytes of QSFS.md §3.2, and round trips. */
#include "../standins/zstor_proto.h"
#include "runner.h"

/* store --notblocking -s --file /data/data/zdbfs-data/d3, framed (QSFS.md §3.2). */
static const uint8_t store_example[] = {
	0x00, 0x28,             /* u16 BE length: 40 */
	0x00, 0x00, 0x00, 0x00, /* Store */
	0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 24 */
	'/', 'd', 'a', 't', 'a', '/', 'd', 'a', 't', 'a', '/', 'z', 'd', 'b', 'f', 's', '-',
	'd', 'a', 't', 'a', '/', 'd', '3',
	0x00, /* key_path: None */
	0x01, /* save_failure */
	0x00, /* delete */
	0x00, /* blocking: false */
};

static size_t frame(uint8_t *buf, size_t cap, const struct zstor_cmd *c)
{
	size_t len = 0;

	ASSERT_EQ(zstor_cmd_encode(c, buf + 2, cap - 2, &len), 0);
	ASSERT_EQ(zstor_frame_header(len, buf), 0);
	return len + 2;
}

TEST(zstor_proto_store_example_bytes)
{
	struct zstor_cmd c = { .type = ZSTOR_CMD_STORE, .file = "/data/data/zdbfs-data/d3",
			       .save_failure = true };
	uint8_t buf[256];
	size_t n = frame(buf, sizeof(buf), &c);

	ASSERT_EQ(n, sizeof(store_example));
	ASSERT(memcmp(buf, store_example, n) == 0);
}

TEST(zstor_proto_store_example_decodes)
{
	struct zstor_cmd c;

	ASSERT_EQ(zstor_frame_len(store_example), 40);
	ASSERT_EQ(zstor_cmd_decode(store_example + 2, 40, &c), 0);
	ASSERT_EQ(c.type, ZSTOR_CMD_STORE);
	ASSERT_STR_EQ(c.file, "/data/data/zdbfs-data/d3");
	ASSERT(c.key_path == NULL);
	ASSERT(c.save_failure && !c.delete && !c.blocking);
	zstor_cmd_free(&c);
}

TEST(zstor_proto_success_bytes)
{
	static const uint8_t want[] = { 0x00, 0x04, 0x00, 0x00, 0x00, 0x00 };
	struct zstor_resp r = { .type = ZSTOR_RESP_SUCCESS };
	uint8_t buf[16];
	size_t len = 0;

	ASSERT_EQ(zstor_resp_encode(&r, buf + 2, sizeof(buf) - 2, &len), 0);
	ASSERT_EQ(zstor_frame_header(len, buf), 0);
	ASSERT_EQ(len + 2, sizeof(want));
	ASSERT(memcmp(buf, want, sizeof(want)) == 0);
	ASSERT_EQ(zstor_resp_decode(want + 2, 4, &r), 0);
	ASSERT_EQ(r.type, ZSTOR_RESP_SUCCESS);
}

TEST(zstor_proto_key_path_some_and_flags)
{
	struct zstor_cmd c = { .type = ZSTOR_CMD_STORE, .file = "/tmp/x", .key_path = "/k",
			       .delete = true, .blocking = true }, d;
	static const uint8_t want[] = { 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, '/', 't', 'm', 'p', '/', 'x',
					1, 2, 0, 0, 0, 0, 0, 0, 0, '/', 'k', 0, 1, 1 };
	uint8_t buf[64];
	size_t len = 0;

	ASSERT_EQ(zstor_cmd_encode(&c, buf, sizeof(buf), &len), 0);
	ASSERT_EQ(len, sizeof(want));
	ASSERT(memcmp(buf, want, len) == 0);
	ASSERT_EQ(zstor_cmd_decode(buf, len, &d), 0);
	ASSERT_STR_EQ(d.key_path, "/k");
	ASSERT(!d.save_failure && d.delete && d.blocking);
	zstor_cmd_free(&d);
}

TEST(zstor_proto_retrieve_check_rebuild)
{
	struct zstor_cmd r = { .type = ZSTOR_CMD_RETRIEVE, .file = "/a" };
	struct zstor_cmd k = { .type = ZSTOR_CMD_CHECK, .file = "/a" };
	struct zstor_cmd b = { .type = ZSTOR_CMD_REBUILD, .key = "k" }, d;
	static const uint8_t want_r[] = { 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, '/', 'a' };
	static const uint8_t want_b[] = { 2, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 'k' };
	uint8_t buf[64];
	size_t len = 0;

	ASSERT_EQ(zstor_cmd_encode(&r, buf, sizeof(buf), &len), 0);
	ASSERT(len == sizeof(want_r) && memcmp(buf, want_r, len) == 0);
	ASSERT_EQ(zstor_cmd_encode(&k, buf, sizeof(buf), &len), 0);
	ASSERT_EQ(buf[0], 3);
	ASSERT_EQ(zstor_cmd_decode(buf, len, &d), 0);
	ASSERT_EQ(d.type, ZSTOR_CMD_CHECK);
	ASSERT_STR_EQ(d.file, "/a");
	zstor_cmd_free(&d);
	ASSERT_EQ(zstor_cmd_encode(&b, buf, sizeof(buf), &len), 0);
	ASSERT(len == sizeof(want_b) && memcmp(buf, want_b, len) == 0);
	ASSERT_EQ(zstor_cmd_decode(buf, len, &d), 0);
	ASSERT(d.file == NULL);
	ASSERT_STR_EQ(d.key, "k");
	zstor_cmd_free(&d);
}

TEST(zstor_proto_responses)
{
	struct zstor_resp e = { .type = ZSTOR_RESP_ERR, .err = "boom" }, d;
	struct zstor_resp s = { .type = ZSTOR_RESP_CHECKSUM };
	static const uint8_t want_e[] = { 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 'b', 'o', 'o', 'm' };
	uint8_t buf[64];
	size_t len = 0;

	ASSERT_EQ(zstor_resp_encode(&e, buf, sizeof(buf), &len), 0);
	ASSERT(len == sizeof(want_e) && memcmp(buf, want_e, len) == 0);
	ASSERT_EQ(zstor_resp_decode(buf, len, &d), 0);
	ASSERT_STR_EQ(d.err, "boom");
	zstor_resp_free(&d);
	for (int i = 0; i < ZSTOR_CHECKSUM_LEN; i++)
		s.checksum[i] = (uint8_t)(0xa0 + i);
	ASSERT_EQ(zstor_resp_encode(&s, buf, sizeof(buf), &len), 0);
	ASSERT_EQ(len, 4 + ZSTOR_CHECKSUM_LEN); /* [u8; 16]: no length prefix */
	ASSERT_EQ(buf[0], 2);
	ASSERT_EQ(buf[4], 0xa0);
	ASSERT_EQ(zstor_resp_decode(buf, len, &d), 0);
	ASSERT_EQ(d.type, ZSTOR_RESP_CHECKSUM);
	ASSERT_EQ(d.checksum[15], 0xaf);
}

TEST(zstor_proto_rejects_malformed)
{
	struct zstor_cmd c;
	struct zstor_resp r;
	uint8_t buf[64];
	size_t len = 0;

	ASSERT_EQ(zstor_cmd_decode(store_example + 2, 39, &c), -EBADMSG);  /* truncated */
	memcpy(buf, store_example + 2, 40);
	buf[0] = 4;                                                         /* no variant 4 */
	ASSERT_EQ(zstor_cmd_decode(buf, 40, &c), -EBADMSG);
	buf[0] = 0;
	buf[36] = 2;                                                        /* Option tag 2 */
	ASSERT_EQ(zstor_cmd_decode(buf, 40, &c), -EBADMSG);
	buf[36] = 0;
	buf[37] = 7;                                                        /* bool 7 */
	ASSERT_EQ(zstor_cmd_decode(buf, 40, &c), -EBADMSG);
	buf[37] = 1;
	buf[4] = 0xff;                                                      /* length past the end */
	ASSERT_EQ(zstor_cmd_decode(buf, 40, &c), -EBADMSG);
	buf[4] = 0x18;
	buf[13] = 0xff;                                                     /* not UTF-8 */
	ASSERT_EQ(zstor_cmd_decode(buf, 40, &c), -EBADMSG);
	ASSERT_EQ(zstor_resp_decode((const uint8_t *)"\x03\0\0\0", 4, &r), -EBADMSG);
	ASSERT_EQ(zstor_resp_decode((const uint8_t *)"\x02\0\0\0\1", 5, &r), -EBADMSG);
	c = (struct zstor_cmd){ .type = ZSTOR_CMD_CHECK, .file = "\xff" };
	ASSERT_EQ(zstor_cmd_encode(&c, buf, sizeof(buf), &len), -EILSEQ);
	c.file = "/a/rather/long/path/that/does/not/fit/in/the/buffer/at/all/really";
	ASSERT_EQ(zstor_cmd_encode(&c, buf, 16, &len), -ENOSPC);
	ASSERT_EQ(zstor_frame_header(70000, buf), -EMSGSIZE);
}
