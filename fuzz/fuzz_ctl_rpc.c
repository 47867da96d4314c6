/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a JSON-RPC byte stream, delivered in reads of varying size (the first byte
 * chooses the size), framed with ctl_frame() and every message (and batch element) decoded
 * with ctl_rpc_parse(), as the control server does. A service_create's content also goes
 * through unitjson_to_yaml() and unit_parse(): whatever the JSON, the YAML written for it must
 * never be a YAML syntax error (it may be no valid unit).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"
#include "unitjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_create(const struct ctl_request *req)
{
	char *yaml = unitjson_to_yaml(req->content), err[1024];
	struct unit *u = NULL;
	int at = 0;

	if (!yaml)
		return; /* nested too deep: refused before any YAML is written */

	/* "f.yaml:LINE:COLUMN: YAML syntax error..." (not a key or value that says so) */
	if (unit_parse("f.yaml", "f", yaml, strlen(yaml), &u, err, sizeof(err), NULL, NULL) < 0 &&
	    sscanf(err, "f.yaml:%*u:%*u: %n", &at) >= 0 && at > 0 &&
	    strncmp(err + at, "YAML syntax error", 17) == 0)
		abort(); /* the emitter wrote something YAML cannot read */
	unit_free(u);
	free(yaml);
}

/* One request, as the server decodes it. */
static void decode_one(json_t *msg)
{
	struct ctl_request req;
	const char *message;

	memset(&req, 0, sizeof(req));
	if (ctl_rpc_parse(msg, &req, &message) == 0 && req.method == CTL_M_CREATE)
		check_create(&req);
	ctl_request_clear(&req);
}

static void decode(const char *msg, size_t len)
{
	json_t *v = json_loadb(msg, len, JSON_DISABLE_EOF_CHECK, NULL), *item;
	size_t i;

	if (!v)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (i == CTL_MAX_BATCH)
				break;
			decode_one(item);
		}
	} else {
		decode_one(v);
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
