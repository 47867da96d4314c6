/* SPDX-License-Identifier: MIT */
/* Hex encoding of blake2b-128 digests and parsing of `zstor check` output. */
#include "qsfs/digest.h"

#include <errno.h>
#include <string.h>

#include "qsfs/hexdigit.h"

void digest_to_hex(const unsigned char d[DIGEST_LEN], char out[DIGEST_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < DIGEST_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[DIGEST_HEX_LEN] = '\0';
}

int digest_from_hex(const char *s, size_t n, unsigned char d[DIGEST_LEN])
{
	if (n != DIGEST_HEX_LEN)
		return -EINVAL;
	for (size_t i = 0; i < DIGEST_LEN; i++) {
		int hi = hex_digit_value(s[2 * i]), lo = hex_digit_value(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		d[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int digest_parse_check(const char *out, unsigned char d[DIGEST_LEN])
{
	static const char ws[] = " \t\r\n";
	const char *p = out + strspn(out, ws);
	if (!*p)
		return 0;
	size_t n = strcspn(p, ws);
	return digest_from_hex(p, n, d) == 0 ? 1 : -EPROTO;
}
