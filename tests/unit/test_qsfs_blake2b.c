/* SPDX-License-Identifier: MIT */
/* Tests for BLAKE2b: RFC 7693's vector, and `b2sum -l 128` around the block boundaries. */
#include <stdio.h>

#include "qsfs/blake2b.h"
#include "runner.h"

static void hex_of(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* The @outlen-byte digest of @n bytes of @data, hashed in pieces of @piece bytes, as hex. */
static void hash_hex(const void *data, size_t n, size_t outlen, size_t piece, char *hex)
{
	const unsigned char *p = data;
	unsigned char d[64];
	struct blake2b s;
	blake2b_init(&s, outlen);
	for (size_t at = 0; at < n; at += piece)
		blake2b_update(&s, p + at, n - at < piece ? n - at : piece);
	blake2b_final(&s, d);
	hex_of(d, outlen, hex);
}

TEST(blake2b_rfc7693_abc)
{
	char hex[129];
	hash_hex("abc", 3, 64, 3, hex);
	ASSERT_STR_EQ(hex, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
			   "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
	hash_hex("abc", 3, 16, 3, hex);
	ASSERT_STR_EQ(hex, "cf4ab791c62b8d2b2109c90275287816"); /* printf abc | b2sum -l 128 */
}

/* What `b2sum -l 128` printed for bytes (i * 7 + 3) % 256: empty, one byte short of a block,
 * a whole block (the last one, compressed as such), one more, two blocks, many; in any pieces. */
TEST(blake2b_128_matches_b2sum)
{
	static const struct {
		size_t n;
		const char *want;
	} cases[] = {
		{ 0, "cae66941d9efbd404e4d88758ea67670" },   { 127, "e00ab0ead4d729de8fbe7745d642e416" },
		{ 128, "8e0cf9bb1b36fa6c42aa6490f719b575" }, { 129, "6cefde50e4008690e61cf8225d101256" },
		{ 256, "ac60b0f8b3227af67328401630cd4dfa" }, { 1000, "add263669b4eb2158678a360fa6f007a" },
	};
	const size_t pieces[] = { 1, 7, 128, 129, 1000 };
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)((i * 7 + 3) % 256);
	char hex[33];
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
			hash_hex(data, cases[c].n, 16, pieces[p], hex);
			ASSERT_STR_EQ(hex, cases[c].want);
		}
}
