/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a JSON-RPC byte stream, delivered in reads of varying size (the first byte
 * chooses the size), framed with ctl_frame() and every message (and batch element) decoded
 * with ctl_rpc_parse(), as the control server does.
 */
#include <stdint.h>
#include <string.h>

#include "ctl_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void decode(const char *msg, size_t len)
{
	json_t *v = json_loadb(msg, len, JSON_DISABLE_EOF_CHECK, NULL), *item;
	struct ctl_request req;
	const char *message;
	size_t i;

	if (!v)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (i == CTL_MAX_BATCH)
				break;
			memset(&req, 0, sizeof(req));
			ctl_rpc_parse(item, &req, &message);
			ctl_request_clear(&req);
		}
	} else {
		memset(&req, 0, sizeof(req));
		ctl_rpc_parse(v, &req, &message);
		ctl_request_clear(&req);
	}
	json_decref(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_framer f = { 0 };
	size_t chunk, have, base = 0, start = 0;
	const char *buf;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] % 16 + 1;
	buf = (const char *)data + 1;
	size--;
	/* The server's buffer grows by one read at a time; consumed messages are dropped. */
	for (have = 0; have < size;) {
		long n;

		have = have + chunk < size ? have + chunk : size;
		while ((n = ctl_frame(&f, buf + base, have - base, &start)) > 0) {
			decode(buf + base + start, (size_t)n);
			base += start + (size_t)n; /* ctl_frame() has reset the framer */
		}
		if (n < 0)
			return 0;
	}
	return 0;
}
