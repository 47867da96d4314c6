/* SPDX-License-Identifier: MIT */
/* BLAKE2b (RFC 7693), unkeyed, any digest length up to 64 bytes; pure. */
#ifndef QSFS_BLAKE2B_H
#define QSFS_BLAKE2B_H

#include <stddef.h>
#include <stdint.h>

struct blake2b {
	uint64_t h[8];
	uint64_t t[2];          /* bytes hashed so far (a 128-bit counter) */
	unsigned char buf[128]; /* the block not compressed yet: it may be the last */
	size_t buflen;
	size_t outlen;
};

/** blake2b_init() - start a hash with an @outlen-byte digest (1 to 64). */
void blake2b_init(struct blake2b *s, size_t outlen);
/** blake2b_update() - hash @n more bytes. */
void blake2b_update(struct blake2b *s, const void *data, size_t n);
/** blake2b_final() - the digest, @s->outlen bytes into @out. */
void blake2b_final(struct blake2b *s, unsigned char *out);

#endif
