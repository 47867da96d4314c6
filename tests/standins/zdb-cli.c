/* SPDX-License-Identifier: MIT */
/* Test helper: a tiny redis-cli for the zdb stand-in (and real zdb), with binary-safe keys and values. */

/*
 * zdb-cli [-h HOST] [-p PORT] [-s SOCKET] [-n NS [-a PASSWORD]] [-r N] [-o FILE] [-t SECS]
 *         CMD [ARG...]
 * An ARG "u64:N" is sent as the 8-byte little-endian key N (a seq-mode key), "file:PATH" as
 * the contents of PATH; any other ARG as it is. -n SELECTs a namespace first; -r repeats the
 * command N times; -o writes a bulk reply raw into FILE; -t bounds connect and replies.
 * Prints: status and text bulk replies as they are, an 8-byte binary bulk as "u64:N", other
 * binary as "hex:...", integers, "(nil)", arrays one element a line (an array in an array on
 * one line, its items separated by spaces, deeper arrays in brackets), errors as "(error) MSG".
 * Exit: 0, 1 if any reply was an error, 2 if the connection or I/O failed.
 */
#include <ctype.h>
#include <errno.h>
#include <hiredis/hiredis.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARGS_MAX 16

static struct {
	const char *host, *socket, *ns, *password, *out;
	int port, repeat, timeout;
} opt = { .host = "127.0.0.1", .port = 9900, .repeat = 1 };

static void usage(void)
{
	fprintf(stderr, "usage: zdb-cli [-h HOST] [-p PORT] [-s SOCKET] [-n NS [-a PASSWORD]] [-r N]\n"
			"               [-o FILE] [-t SECS] CMD [ARG...]\n");
	exit(2);
}

/* read_file: the whole file, malloc'd; NULL (errno set) on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size) {
		*len = (size_t)size;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* encode_arg: an argument's bytes into *out (malloc'd). */
static int encode_arg(const char *arg, char **out, size_t *len)
{
	if (strncmp(arg, "u64:", 4) == 0) {
		uint64_t key = strtoull(arg + 4, NULL, 10);
		*out = malloc(8);
		if (*out)
			memcpy(*out, &key, 8);
		*len = 8;
	} else if (strncmp(arg, "file:", 5) == 0) {
		*out = read_file(arg + 5, len);
		if (!*out)
			fprintf(stderr, "zdb-cli: %s: %s\n", arg + 5, strerror(errno));
	} else {
		*out = strdup(arg);
		*len = strlen(arg);
	}
	return *out ? 0 : -1;
}

static int printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isprint((unsigned char)s[i]) && !isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* print_bulk: a bulk string as text, "u64:N" or "hex:...", followed by @end. */
static void print_bulk(const char *s, size_t len, const char *end)
{
	if (printable(s, len)) {
		printf("%.*s%s", (int)len, s, end);
	} else if (len == 8) {
		uint64_t key;
		memcpy(&key, s, 8);
		printf("u64:%llu%s", (unsigned long long)key, end);
	} else {
		printf("hex:");
		for (size_t i = 0; i < len; i++)
			printf("%02x", (unsigned char)s[i]);
		printf("%s", end);
	}
}

/* print_scalar: a reply that is not an array, followed by @end; 1 if it is an error. */
static int print_scalar(const redisReply *r, const char *end)
{
	switch (r->type) {
	case REDIS_REPLY_ERROR: printf("(error) %s%s", r->str, end); return 1;
	case REDIS_REPLY_STATUS: printf("%s%s", r->str, end); break;
	case REDIS_REPLY_INTEGER: printf("%lld%s", r->integer, end); break;
	case REDIS_REPLY_NIL: printf("(nil)%s", end); break;
	default: print_bulk(r->str, r->len, end);
	}
	return 0;
}

/* print_inline: an array inside an array, on one line: items separated by spaces, an array in
 * it in brackets (HOOKS: "jump-index [ARG ARG ARG] PID CREATED FINISHED STATUS"). Returns 1
 * if an item is an error, as print_reply() does. */
static int print_inline(const redisReply *r)
{
	int err = 0;

	for (size_t i = 0; i < r->elements; i++) {
		const redisReply *e = r->element[i];
		if (i > 0)
			putchar(' ');
		if (e->type == REDIS_REPLY_ARRAY) {
			putchar('[');
			err |= print_inline(e);
			putchar(']');
		} else {
			err |= print_scalar(e, "");
		}
	}
	return err;
}

/* write_out: a bulk reply into the -o file; 0 or 2. */
static int write_out(const char *data, size_t len)
{
	FILE *f = fopen(opt.out, "wb");
	int ok = f && fwrite(data, 1, len, f) == len;

	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "zdb-cli: %s: %s\n", opt.out, strerror(errno));
	return ok ? 0 : 2;
}

/* print_reply: 0, 1 if the reply (or an element) is an error, 2 if -o failed. */
static int print_reply(const redisReply *r)
{
	int err = 0;

	if (r->type == REDIS_REPLY_STRING && opt.out)
		return write_out(r->str, r->len);
	if (r->type != REDIS_REPLY_ARRAY)
		return print_scalar(r, "\n");
	for (size_t i = 0; i < r->elements; i++) {
		int e;
		if (r->element[i]->type == REDIS_REPLY_ARRAY) {
			e = print_inline(r->element[i]);
			putchar('\n');
		} else {
			e = print_reply(r->element[i]);
		}
		err = e > err ? e : err;
	}
	return err;
}

static redisReply *command(redisContext *ctx, int argc, const char **argv, const size_t *len)
{
	redisReply *r = redisCommandArgv(ctx, argc, argv, len);

	if (!r)
		fprintf(stderr, "zdb-cli: %s\n", ctx->errstr);
	return r;
}

static redisContext *connect_zdb(void)
{
	struct timeval tv = { .tv_sec = opt.timeout };
	redisContext *ctx;

	if (opt.socket)
		ctx = opt.timeout ? redisConnectUnixWithTimeout(opt.socket, tv) : redisConnectUnix(opt.socket);
	else
		ctx = opt.timeout ? redisConnectWithTimeout(opt.host, opt.port, tv)
				  : redisConnect(opt.host, opt.port);
	if (!ctx || ctx->err) {
		fprintf(stderr, "Could not connect to %s:%d: %s\n", opt.socket ? opt.socket : opt.host,
			opt.socket ? 0 : opt.port, ctx ? ctx->errstr : "out of memory");
		redisFree(ctx);
		return NULL;
	}
	if (opt.timeout)
		redisSetTimeout(ctx, tv);
	return ctx;
}

/* select_ns: 0, 1 (error reply, printed) or 2 (I/O). */
static int select_ns(redisContext *ctx)
{
	const char *argv[3] = { "SELECT", opt.ns, opt.password };
	size_t len[3] = { 6, strlen(opt.ns), opt.password ? strlen(opt.password) : 0 };
	redisReply *r = command(ctx, opt.password ? 3 : 2, argv, len);
	int err = r ? 0 : 2;

	if (r && r->type == REDIS_REPLY_ERROR) {
		printf("(error) %s\n", r->str);
		err = 1;
	}
	if (r)
		freeReplyObject(r);
	return err;
}

static void parse_opts(int argc, char **argv)
{
	int o;

	while ((o = getopt(argc, argv, "+h:p:s:n:a:r:o:t:")) != -1) {
		switch (o) {
		case 'h': opt.host = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 's': opt.socket = optarg; break;
		case 'n': opt.ns = optarg; break;
		case 'a': opt.password = optarg; break;
		case 'r': opt.repeat = atoi(optarg); break;
		case 'o': opt.out = optarg; break;
		case 't': opt.timeout = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind >= argc || argc - optind > ARGS_MAX)
		usage();
}

int main(int argc, char **argv)
{
	const char *args[ARGS_MAX];
	char *bufs[ARGS_MAX];
	size_t len[ARGS_MAX];
	redisContext *ctx = NULL;
	int n = 0, err = 2;

	parse_opts(argc, argv);
	for (int i = optind; i < argc; i++, n++) {
		if (encode_arg(argv[i], &bufs[n], &len[n]) < 0)
			goto out;
		args[n] = bufs[n];
	}
	if (!(ctx = connect_zdb()) || (opt.ns && (err = select_ns(ctx)) != 0))
		goto out;
	err = 0;
	for (int i = 0; i < opt.repeat && err < 2; i++) {
		redisReply *r = command(ctx, n, args, len);
		int rc = r ? print_reply(r) : 2;
		err = rc > err ? rc : err;
		if (r)
			freeReplyObject(r);
	}
out:
	for (int i = 0; i < n; i++)
		free(bufs[i]);
	redisFree(ctx);
	return err;
}
