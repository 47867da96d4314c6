/* SPDX-License-Identifier: MIT */
/* blake2b-128 digests as hex text, and the output of `zstor check`; pure. */
#ifndef QSFS_DIGEST_H
#define QSFS_DIGEST_H

#include <stddef.h>

#define DIGEST_LEN 16
#define DIGEST_HEX_LEN (2 * DIGEST_LEN)

/** digest_to_hex() - @d as 32 lowercase hex digits and a NUL in @out. */
void digest_to_hex(const unsigned char d[DIGEST_LEN], char out[DIGEST_HEX_LEN + 1]);

/** digest_from_hex() - exactly 32 hex digits (@n bytes at @s) into @d: 0 or -EINVAL. */
int digest_from_hex(const char *s, size_t n, unsigned char d[DIGEST_LEN]);

/**
 * digest_parse_check() - read what `zstor check -f KEY` printed: nothing (only
 * whitespace) means the key is not stored (returns 0); a first word of 32 hex digits is the
 * stored file's digest (returns 1, @d filled; `b2sum -l 128`'s "HASH  NAME" is accepted);
 * anything else returns -EPROTO.
 */
int digest_parse_check(const char *out, unsigned char d[DIGEST_LEN]);

#endif
