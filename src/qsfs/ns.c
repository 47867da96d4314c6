/* SPDX-License-Identifier: MIT */
/* `zinit ns [ADDR]`: the ns oneshot, creating zdbfs's namespaces in zdb over RESP. */
#include "qsfs/ns.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_EXISTS_ERROR "This namespace is not available" /* zdb's NSNEW on an existing name */
#define NAME_SEPARATORS " \t\n"

enum qsfs_ns_outcome qsfs_ns_outcome(const redisReply *r)
{
	if (r->type == REDIS_REPLY_STATUS && r->len == 2 && memcmp(r->str, "OK", 2) == 0)
		return QSFS_NS_CREATED;
	if (r->type == REDIS_REPLY_ERROR && r->len == strlen(NS_EXISTS_ERROR) &&
	    memcmp(r->str, NS_EXISTS_ERROR, r->len) == 0)
		return QSFS_NS_EXISTS;
	return QSFS_NS_FAILED;
}

/* NSNEW @name on @c: prints the outcome; 0, or 1 after one line on stderr. */
static int create_one(redisContext *c, const char *addr, const char *name)
{
	redisReply *r = redisCommand(c, "NSNEW %s", name);
	if (!r) {
		if (qsfs_resp_timed_out(c))
			fprintf(stderr, "zinit: ns: NSNEW %s: no reply from zdb at %s within %d s\n",
				name, addr, QSFS_NS_TIMEOUT_MS / 1000);
		else
			fprintf(stderr, "zinit: ns: NSNEW %s: zdb at %s: %s\n", name, addr, c->errstr);
		return CLI_FAILED;
	}
	int rc = CLI_OK;
	switch (qsfs_ns_outcome(r)) {
	case QSFS_NS_CREATED:
		printf("ns: %s created\n", name);
		break;
	case QSFS_NS_EXISTS:
		printf("ns: %s already exists\n", name);
		break;
	default: {
		char reply[256];
		qsfs_resp_describe(r, reply, sizeof(reply));
		fprintf(stderr, "zinit: ns: NSNEW %s: zdb at %s replied %s\n", name, addr, reply);
		rc = CLI_FAILED;
	}
	}
	freeReplyObject(r);
	return rc;
}

/* Creates every name of @list (blank-separated) in order; stops at the first failure. */
static int create_all(redisContext *c, const char *addr, const char *list)
{
	char *names = strdup(list), *save = NULL;
	if (!names) {
		fprintf(stderr, "zinit: ns: out of memory\n");
		return CLI_FAILED;
	}
	int rc = CLI_OK;
	for (char *n = strtok_r(names, NAME_SEPARATORS, &save); n && rc == CLI_OK;
	     n = strtok_r(NULL, NAME_SEPARATORS, &save))
		rc = create_one(c, addr, n);
	free(names);
	return rc;
}

int qsfs_ns_main(const struct cli_opts *o, int argc, char **argv)
{
	(void)o;
	if (argc > 2)
		return cli_usage_error("ns: unexpected argument '%s'", argv[2]);
	const char *addr = argc == 2 ? argv[1] : QSFS_NS_DEFAULT_ADDR, *why;
	struct qsfs_addr a;
	if (qsfs_addr_parse(addr, &a, &why) < 0)
		return cli_usage_error("ns: bad address '%s': %s", addr, why);
	const char *list = getenv("QSFS_NS_CREATE");
	if (!list)
		list = QSFS_NS_DEFAULT_LIST;
	if (list[strspn(list, NAME_SEPARATORS)] == '\0') {
		fprintf(stderr, "zinit: ns: QSFS_NS_CREATE names no namespace\n");
		return CLI_FAILED;
	}
	signal(SIGPIPE, SIG_IGN); /* a write to a closed connection is an error, not a death */
	setvbuf(stdout, NULL, _IOLBF, 0);
	char err[256];
	redisContext *c = qsfs_resp_connect(&a, QSFS_NS_TIMEOUT_MS, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "zinit: ns: cannot connect to zdb at %s: %s\n", addr, err);
		return CLI_FAILED;
	}
	int rc = create_all(c, addr, list);
	redisFree(c);
	return rc;
}
