/* SPDX-License-Identifier: MIT */
/* Where every service line goes: the ring of recent lines and the live subscribers; pure. */
#include "logbus.h"

#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "xalloc.h"

struct sub {
	uint64_t id; /* 0 once unsubscribed, until the next push sweeps it away */
	logbus_fn fn;
	void *ctx;
};

static struct ring *ring;
static struct sub *subs;
static size_t nsubs, cap_subs;
static uint64_t next_id = 1;
static int pushing;

static char *joined; /* prefix + line, built only when someone subscribes */
static size_t joined_cap;

void logbus_init(size_t ring_lines, size_t ring_bytes)
{
	ring = ring_new(ring_lines, ring_bytes);
}

void logbus_close(void)
{
	ring_free(ring);
	ring = NULL;
	free(subs);
	subs = NULL;
	nsubs = cap_subs = 0;
	free(joined);
	joined = NULL;
	joined_cap = 0;
}

static void sweep(void)
{
	size_t kept = 0;
	for (size_t i = 0; i < nsubs; i++)
		if (subs[i].id)
			subs[kept++] = subs[i];
	nsubs = kept;
}

void logbus_push(const char *pre, size_t plen, const char *line, size_t len)
{
	ring_push2(ring, pre, plen, line, len);
	if (nsubs == 0)
		return;
	size_t n = plen + len;
	if (n > joined_cap) {
		joined_cap = n + 1024;
		joined = xrealloc(joined, joined_cap);
	}
	if (plen)
		memcpy(joined, pre, plen);
	memcpy(joined + plen, line, len);
	pushing++;
	for (size_t i = 0; i < nsubs; i++)
		if (subs[i].id)
			subs[i].fn(subs[i].ctx, joined, n);
	if (--pushing == 0)
		sweep();
}

size_t logbus_bytes(void)
{
	return ring ? ring_bytes(ring) : 0;
}

void logbus_snapshot(logbus_fn fn, void *ctx)
{
	ring_foreach(ring, fn, ctx);
}

uint64_t logbus_subscribe(logbus_fn fn, void *ctx)
{
	if (nsubs == cap_subs) {
		cap_subs = cap_subs ? cap_subs * 2 : 8;
		subs = xrealloc(subs, cap_subs * sizeof(*subs));
	}
	subs[nsubs++] = (struct sub){ next_id, fn, ctx };
	return next_id++;
}

void logbus_unsubscribe(uint64_t id)
{
	for (size_t i = 0; i < nsubs; i++)
		if (subs[i].id == id)
			subs[i].id = 0;
	if (!pushing)
		sweep();
}

int logbus_line_matches(const char *line, size_t len, const char *name)
{
	if (!name)
		return 1;
	size_t n = strlen(name);
	return len >= 4 + n + 1 && memcmp(line + 4, name, n) == 0 && line[4 + n] == ':';
}
