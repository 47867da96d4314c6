/* SPDX-License-Identifier: MIT */
/* zstor stand-in: the monitor socket's wire format (u16 BE frame, bincode 1 command/response). */
#ifndef ZSTOR_PROTO_H
#define ZSTOR_PROTO_H

/*
 * bincode 1 `serialize` (the legacy options zstor uses): little-endian fixed-width integers,
 * enum variant = u32 tag, String/PathBuf = u64 length + UTF-8 bytes, Option = u8 tag (0 None,
 * 1 Some) + value, bool = u8, [u8; 16] = 16 raw bytes. Trailing bytes are allowed on decode.
 * Each frame on the socket is a u16 big-endian payload length followed by the payload; one
 * request and one response per connection (zs:src/main.rs handle_client / handle_command).
 *
 * Everything here is `static inline`: the header is shared by the stand-in program and its unit
 * test, and each includer uses only part of it. Errors are 0 / negative errno.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum zstor_cmd_type {
	ZSTOR_CMD_STORE = 0,
	ZSTOR_CMD_RETRIEVE = 1,
	ZSTOR_CMD_REBUILD = 2, /* v0.4.0: { file: Option<PathBuf>, key: Option<String> } */
	ZSTOR_CMD_CHECK = 3,
};

/* A ZstorCommand. Strings are owned (decode mallocs them; zstor_cmd_free releases them). */
struct zstor_cmd {
	enum zstor_cmd_type type;
	char *file;     /* Store.file, Retrieve.file, Check.path, Rebuild.file (NULL = None) */
	char *key_path; /* Store.key_path (NULL = None) */
	char *key;      /* Rebuild.key (NULL = None) */
	bool save_failure, delete, blocking;
};

enum zstor_resp_type { ZSTOR_RESP_SUCCESS = 0, ZSTOR_RESP_ERR = 1, ZSTOR_RESP_CHECKSUM = 2 };

#define ZSTOR_CHECKSUM_LEN 16

struct zstor_resp {
	enum zstor_resp_type type;
	char *err; /* ZSTOR_RESP_ERR: owned message */
	uint8_t checksum[ZSTOR_CHECKSUM_LEN];
};

/* A bounded output buffer: an overflow sets err and later writes are dropped. */
struct zbuf {
	uint8_t *p;
	size_t cap, len;
	int err;
};

/* A bounded input cursor. */
struct zcur {
	const uint8_t *p;
	size_t len, off;
};

static inline bool zstor_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = u[i], need, min, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; cp = c & 0x07; }
		else return false;
		if (n - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (u[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

static inline void zbuf_put(struct zbuf *b, const void *src, size_t n)
{
	if (b->err)
		return;
	if (b->cap - b->len < n) {
		b->err = -ENOSPC;
		return;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static inline void zbuf_u8(struct zbuf *b, uint8_t v)
{
	zbuf_put(b, &v, 1);
}

static inline void zbuf_le(struct zbuf *b, uint64_t v, unsigned width)
{
	uint8_t tmp[8];

	for (unsigned i = 0; i < width; i++)
		tmp[i] = (uint8_t)(v >> (8 * i));
	zbuf_put(b, tmp, width);
}

static inline void zbuf_str(struct zbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (!zstor_utf8_valid(s, n)) {
		if (!b->err)
			b->err = -EILSEQ;
		return;
	}
	zbuf_le(b, n, 8);
	zbuf_put(b, s, n);
}

static inline void zbuf_opt_str(struct zbuf *b, const char *s)
{
	zbuf_u8(b, s != NULL);
	if (s)
		zbuf_str(b, s);
}

/* zstor_cmd_encode: bincode(cmd) into buf[cap]; *len = bytes used. -ENOSPC, -EILSEQ, -EINVAL. */
static inline int zstor_cmd_encode(const struct zstor_cmd *c, uint8_t *buf, size_t cap,
				   size_t *len)
{
	struct zbuf b = { .p = buf, .cap = cap };

	zbuf_le(&b, (uint32_t)c->type, 4);
	switch (c->type) {
	case ZSTOR_CMD_STORE:
		zbuf_str(&b, c->file);
		zbuf_opt_str(&b, c->key_path);
		zbuf_u8(&b, c->save_failure);
		zbuf_u8(&b, c->delete);
		zbuf_u8(&b, c->blocking);
		break;
	case ZSTOR_CMD_RETRIEVE:
	case ZSTOR_CMD_CHECK:
		zbuf_str(&b, c->file);
		break;
	case ZSTOR_CMD_REBUILD:
		zbuf_opt_str(&b, c->file);
		zbuf_opt_str(&b, c->key);
		break;
	default:
		return -EINVAL;
	}
	*len = b.len;
	return b.err;
}

/* zstor_resp_encode: bincode(resp) into buf[cap]; *len = bytes used. */
static inline int zstor_resp_encode(const struct zstor_resp *r, uint8_t *buf, size_t cap,
				    size_t *len)
{
	struct zbuf b = { .p = buf, .cap = cap };

	zbuf_le(&b, (uint32_t)r->type, 4);
	if (r->type == ZSTOR_RESP_ERR)
		zbuf_str(&b, r->err ? r->err : "");
	else if (r->type == ZSTOR_RESP_CHECKSUM)
		zbuf_put(&b, r->checksum, ZSTOR_CHECKSUM_LEN);
	else if (r->type != ZSTOR_RESP_SUCCESS)
		return -EINVAL;
	*len = b.len;
	return b.err;
}

static inline int zcur_take(struct zcur *c, void *dst, size_t n)
{
	if (c->len - c->off < n)
		return -EBADMSG;
	memcpy(dst, c->p + c->off, n);
	c->off += n;
	return 0;
}

static inline int zcur_le(struct zcur *c, unsigned width, uint64_t *v)
{
	uint8_t tmp[8];
	int rc = zcur_take(c, tmp, width);

	*v = 0;
	for (unsigned i = 0; rc == 0 && i < width; i++)
		*v |= (uint64_t)tmp[i] << (8 * i);
	return rc;
}

/* bool and Option tags: bincode rejects anything but 0 and 1. */
static inline int zcur_bool(struct zcur *c, bool *v)
{
	uint64_t t;
	int rc = zcur_le(c, 1, &t);

	if (rc == 0 && t > 1)
		rc = -EBADMSG;
	*v = t == 1;
	return rc;
}

static inline int zcur_str(struct zcur *c, char **out)
{
	uint64_t n;
	int rc = zcur_le(c, 8, &n);

	*out = NULL;
	if (rc)
		return rc;
	if (n > c->len - c->off || !zstor_utf8_valid((const char *)c->p + c->off, n))
		return -EBADMSG;
	if (memchr(c->p + c->off, '\0', n)) /* a C path cannot hold NUL */
		return -EBADMSG;
	*out = malloc(n + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, c->p + c->off, n);
	(*out)[n] = '\0';
	c->off += n;
	return 0;
}

static inline int zcur_opt_str(struct zcur *c, char **out)
{
	bool some;
	int rc = zcur_bool(c, &some);

	*out = NULL;
	if (rc == 0 && some)
		rc = zcur_str(c, out);
	return rc;
}

static inline void zstor_cmd_free(struct zstor_cmd *c)
{
	free(c->file);
	free(c->key_path);
	free(c->key);
	memset(c, 0, sizeof(*c));
}

static inline int zstor_cmd_decode_body(struct zcur *cur, struct zstor_cmd *c)
{
	int rc;

	switch (c->type) {
	case ZSTOR_CMD_STORE:
		rc = zcur_str(cur, &c->file);
		if (!rc)
			rc = zcur_opt_str(cur, &c->key_path);
		if (!rc)
			rc = zcur_bool(cur, &c->save_failure);
		if (!rc)
			rc = zcur_bool(cur, &c->delete);
		if (!rc)
			rc = zcur_bool(cur, &c->blocking);
		return rc;
	case ZSTOR_CMD_RETRIEVE:
	case ZSTOR_CMD_CHECK:
		return zcur_str(cur, &c->file);
	case ZSTOR_CMD_REBUILD:
		rc = zcur_opt_str(cur, &c->file);
		return rc ? rc : zcur_opt_str(cur, &c->key);
	}
	return -EBADMSG;
}

/* zstor_cmd_decode: bincode bytes -> *c (owned strings). -EBADMSG on malformed input. */
static inline int zstor_cmd_decode(const uint8_t *buf, size_t len, struct zstor_cmd *c)
{
	struct zcur cur = { .p = buf, .len = len };
	uint64_t tag;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = zcur_le(&cur, 4, &tag);
	if (rc)
		return rc;
	if (tag > ZSTOR_CMD_CHECK)
		return -EBADMSG;
	c->type = (enum zstor_cmd_type)tag;
	rc = zstor_cmd_decode_body(&cur, c);
	if (rc)
		zstor_cmd_free(c);
	return rc;
}

static inline void zstor_resp_free(struct zstor_resp *r)
{
	free(r->err);
	r->err = NULL;
}

/* zstor_resp_decode: bincode bytes -> *r. -EBADMSG on malformed input. */
static inline int zstor_resp_decode(const uint8_t *buf, size_t len, struct zstor_resp *r)
{
	struct zcur cur = { .p = buf, .len = len };
	uint64_t tag;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = zcur_le(&cur, 4, &tag);
	if (rc)
		return rc;
	r->type = (enum zstor_resp_type)tag;
	if (tag == ZSTOR_RESP_SUCCESS)
		return 0;
	if (tag == ZSTOR_RESP_ERR)
		return zcur_str(&cur, &r->err);
	if (tag == ZSTOR_RESP_CHECKSUM)
		return zcur_take(&cur, r->checksum, ZSTOR_CHECKSUM_LEN);
	return -EBADMSG;
}

/* zstor_frame_header: the u16 big-endian length prefix; -EMSGSIZE if len does not fit. */
static inline int zstor_frame_header(size_t len, uint8_t hdr[2])
{
	if (len > UINT16_MAX)
		return -EMSGSIZE;
	hdr[0] = (uint8_t)(len >> 8);
	hdr[1] = (uint8_t)len;
	return 0;
}

static inline size_t zstor_frame_len(const uint8_t hdr[2])
{
	return ((size_t)hdr[0] << 8) | hdr[1];
}

#endif
