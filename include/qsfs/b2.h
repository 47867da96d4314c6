/* SPDX-License-Identifier: MIT */
/* blake2b-128 of a file (16 bytes): what `b2sum -l 128` prints. */
#ifndef QSFS_B2_H
#define QSFS_B2_H

#include <sys/stat.h>

#include "qsfs/digest.h"

/**
 * b2_file() - the digest of the file @path in @d, and in @st (may be NULL) its stat. If
 * the file's size or mtime changed while it was read, returns -EAGAIN (the digest is of no
 * single version). 0 or -errno.
 */
int b2_file(const char *path, unsigned char d[DIGEST_LEN], struct stat *st);

#endif
