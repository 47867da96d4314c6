/* SPDX-License-Identifier: MIT */
/* Tests for the manifest (sorted table, text round trip, tolerant reader) and digests. */
#include "qsfs/hexdigit.h"
#include "qsfs/manifest.h"
#include "runner.h"

static const unsigned char D1[DIGEST_LEN] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const unsigned char D2[DIGEST_LEN] = { 1 };

TEST(qsfs_manifest_set_find_format)
{
	struct manifest m = { 0 }, back = { 0 };
	struct strbuf b = { 0 };
	struct manifest_report rep;
	manifest_set(&m, "/d/zdbfs-data/i1", D1, 10, 20);
	manifest_set(&m, "/d/zdbfs-data/d0", D2, 0, 1);
	manifest_set(&m, "/d/with space", D2, 3, 4);
	manifest_set(&m, "/d/zdbfs-data/i1", D2, 11, 21); /* replaces */
	ASSERT_EQ(m.n, 3);
	const struct manifest_entry *e = manifest_find(&m, "/d/zdbfs-data/i1");
	ASSERT(e && e->size == 11 && e->mtime_ns == 21 && e->digest[0] == 1);
	ASSERT(manifest_find(&m, "/d/zdbfs-data/i2") == NULL);
	manifest_format(&m, &b);
	ASSERT_STR_EQ(b.s, "qsfs-manifest 1\n"
			   "01000000000000000000000000000000 3 4 /d/with\\x20space\n"
			   "01000000000000000000000000000000 0 1 /d/zdbfs-data/d0\n"
			   "01000000000000000000000000000000 11 21 /d/zdbfs-data/i1\n");
	ASSERT_EQ(manifest_parse(&back, b.s, b.len, &rep), 0);
	ASSERT_EQ(rep.bad_lines, 0);
	ASSERT_EQ(back.n, 3);
	ASSERT_STR_EQ(back.v[0].key, "/d/with space");
	manifest_free(&m);
	manifest_free(&back);
	strbuf_free(&b);
}

TEST(qsfs_manifest_tolerant_reader)
{
	static const char text[] = "qsfs-manifest 1\n"
				   "00112233445566778899aabbccddeeff 5 6 /a\n"
				   "00112233445566778899aabbccddeef 5 6 /short-digest\n"
				   "00112233445566778899aabbccddeeff x 6 /bad-size\n"
				   "00112233445566778899aabbccddeeff 5 6 relative\n"
				   "00112233445566778899aabbccddeeff 5\n"
				   "00112233445566778899aabbccddeeff 5 9700000000000000000 /huge-mtime\n"
				   "00112233445566778899AABBCCDDEEFF 7 8 /a\n"
				   "00112233445566778899aabbccddeeff 1 2 /torn";
	struct manifest m = { 0 };
	struct manifest_report rep;
	ASSERT_EQ(manifest_parse(&m, text, strlen(text), &rep), 0);
	ASSERT_EQ(m.n, 1);
	ASSERT_EQ(m.v[0].size, 7); /* the later line wins */
	ASSERT(memcmp(m.v[0].digest, D1, DIGEST_LEN) == 0);
	ASSERT_EQ(rep.bad_lines, 6);
	ASSERT_STR_EQ(rep.first_error, "line 3: bad digest");
	manifest_free(&m);

	ASSERT_EQ(manifest_parse(&m, "", 0, &rep), 0);
	ASSERT_EQ(m.n, 0);
	ASSERT_EQ(manifest_parse(&m, "garbage\n", 8, &rep), -22);
	ASSERT_EQ(m.n, 0);
}

TEST(qsfs_hex_digit_value)
{
	const char *digits = "0123456789abcdef", *upper = "ABCDEF";
	for (int i = 0; i < 16; i++)
		ASSERT_EQ(hex_digit_value(digits[i]), i);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(hex_digit_value(upper[i]), 10 + i);
	const char *not_hex = "/:@G`g x";
	for (const char *c = not_hex; *c; c++)
		ASSERT_EQ(hex_digit_value(*c), -1);
}

TEST(qsfs_digest_hex_and_check_output)
{
	char hex[DIGEST_HEX_LEN + 1];
	unsigned char d[DIGEST_LEN];
	digest_to_hex(D1, hex);
	ASSERT_STR_EQ(hex, "00112233445566778899aabbccddeeff");
	ASSERT_EQ(digest_from_hex(hex, 32, d), 0);
	ASSERT(memcmp(d, D1, DIGEST_LEN) == 0);
	ASSERT_EQ(digest_from_hex(hex, 31, d), -22);
	ASSERT_EQ(digest_from_hex("0011223344556677889900aabbccddeg", 32, d), -22);

	ASSERT_EQ(digest_parse_check("", d), 0);
	ASSERT_EQ(digest_parse_check(" \n\t\n", d), 0);
	memset(d, 0, sizeof(d));
	ASSERT_EQ(digest_parse_check("00112233445566778899aabbccddeeff\n", d), 1);
	ASSERT(memcmp(d, D1, DIGEST_LEN) == 0);
	ASSERT_EQ(digest_parse_check("00112233445566778899AABBCCDDEEFF  /data/x\n", d), 1);
	ASSERT_EQ(digest_parse_check("error: no metadata\n", d), -71);
	ASSERT_EQ(digest_parse_check("00112233445566778899aabbccddeeff00\n", d), -71);
}

TEST(qsfs_textfield)
{
	struct strbuf b = { 0 };
	textfield_add(&b, "a b\\c\x7f\x01\xc3\xa9");
	ASSERT_STR_EQ(b.s, "a\\x20b\\x5cc\\x7f\\x01\xc3\xa9");
	char *back = textfield_unescape(b.s, b.len);
	ASSERT_STR_EQ(back, "a b\\c\x7f\x01\xc3\xa9");
	free(back);
	ASSERT(textfield_unescape("a b", 3) == NULL);
	ASSERT(textfield_unescape("a\\x0", 4) == NULL);
	ASSERT(textfield_unescape("a\\x00", 5) == NULL);
	ASSERT(textfield_unescape("a\\y20", 5) == NULL);
	ASSERT(textfield_unescape("", 0) == NULL);
	long long v = -1;
	ASSERT(textfield_number("9223372036854775807", 19, &v) && v == 9223372036854775807LL);
	ASSERT(!textfield_number("9223372036854775808", 19, &v)); /* fuzz_manifest's overflow */
	ASSERT(!textfield_number("12345678901234567890", 20, &v));
	ASSERT(!textfield_number("-1", 2, &v) && !textfield_number("1 ", 2, &v));
	ASSERT(!textfield_number("", 0, &v) && v == 9223372036854775807LL);
	strbuf_free(&b);
}
