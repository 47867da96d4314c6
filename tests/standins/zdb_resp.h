/* SPDX-License-Identifier: MIT */
/* zdb stand-in, part 3 of 3: client connections, RESP requests and the commands (included once by zdb.c). */
#ifndef ZDB_RESP_H
#define ZDB_RESP_H

#include <ctype.h>
#include <hiredis/hiredis.h>
#include <sys/socket.h>

#define ARGS_MAX 16
#define INLINE_MAX 65536

/*
 * One client. Requests are RESP arrays of bulk strings (what redis-cli and hiredis send),
 * parsed by hiredis' redisReader, or inline lines ("PING\r\n", for a bash /dev/tcp test),
 * decided by the connection's first byte.
 */
struct client {
	int fd;
	int mode; /* CLIENT_UNDECIDED, CLIENT_RESP or CLIENT_INLINE */
	redisReader *reader;
	struct ns *ns; /* the SELECTed namespace */
	size_t inline_len;
	char inline_buf[INLINE_MAX];
};
enum { CLIENT_UNDECIDED, CLIENT_RESP, CLIENT_INLINE };

/* ---- replies: written at once on the blocking socket; MSG_NOSIGNAL since zdb ignores no
 * signal (an ignored SIGPIPE would be inherited by the hooks) ---- */

static void reply_raw(struct client *c, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the read side notices the dead peer */
		p += n;
		len -= (size_t)n;
	}
}

__attribute__((format(printf, 2, 3))) static void reply_fmt(struct client *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		reply_raw(c, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void reply_bulk(struct client *c, const void *data, size_t len)
{
	reply_fmt(c, "$%zu\r\n", len);
	reply_raw(c, data, len);
	reply_raw(c, "\r\n", 2);
}

static void reply_bulk_str(struct client *c, const char *s)
{
	reply_bulk(c, s, strlen(s));
}

/* ---- commands: argv[0] is the command, argv[i] is len[i] bytes (NUL-terminated too) ---- */

typedef void command_fn(struct client *c, int argc, char **argv, size_t *len);

static void cmd_ping(struct client *c, int argc, char **argv, size_t *len)
{
	if (argc == 2)
		reply_bulk(c, argv[1], len[1]);
	else
		reply_fmt(c, "+PONG\r\n");
}

static void cmd_select(struct client *c, int argc, char **argv, size_t *len)
{
	struct ns *ns = ns_find(argv[1]);
	(void)len;

	if (!ns) {
		reply_fmt(c, "-Namespace not found\r\n");
		return;
	}
	const char *pwd = ns_prop(ns, "password");
	const char *pub = ns_prop(ns, "public");
	int protected = pwd && *pwd;
	if (protected && (argc == 3 ? strcmp(argv[2], pwd) != 0 : pub && strcmp(pub, "0") == 0)) {
		reply_fmt(c, "-Access denied\r\n");
		return;
	}
	c->ns = ns;
	reply_fmt(c, "+OK\r\n");
}

static int ns_name_allowed(const char *name, size_t len)
{
	return len > 0 && len <= NS_NAME_MAX && name[0] != '.' && !memchr(name, '/', len) &&
	       strlen(name) == len;
}

static void cmd_nsnew(struct client *c, int argc, char **argv, size_t *len)
{
	(void)argc;
	if (!ns_name_allowed(argv[1], len[1])) {
		reply_fmt(c, "-This name is not allowed\r\n");
		return;
	}
	if (ns_find(argv[1])) {
		reply_fmt(c, "-This namespace is not available\r\n");
		return;
	}
	struct ns *ns = ns_create(argv[1]);
	if (!ns) {
		reply_fmt(c, "-Internal Error\r\n");
		return;
	}
	say("[+] namespace: created %s", ns->name);
	reply_fmt(c, "+OK\r\n");
	hook_run_async("namespace-created", (const char *[]){ ns->name, NULL });
}

static void cmd_nsset(struct client *c, int argc, char **argv, size_t *len)
{
	struct ns *ns = ns_find(argv[1]);
	int known = 0;
	(void)argc, (void)len;

	for (int i = 0; prop_names[i]; i++)
		known |= strcmp(argv[2], prop_names[i]) == 0;
	if (!ns) {
		reply_fmt(c, "-Namespace not found\r\n");
		return;
	}
	if (!known) {
		reply_fmt(c, "-Invalid property\r\n");
		return;
	}
	const char *value = strcmp(argv[2], "password") == 0 && strcmp(argv[3], "*") == 0 ? "" : argv[3];
	if (ns_set_prop(ns, argv[2], value) < 0 || ns_write_descriptor(ns) < 0) {
		reply_fmt(c, "-Internal Error\r\n");
		return;
	}
	reply_fmt(c, "+OK\r\n");
	hook_run_async("namespace-updated", (const char *[]){ ns->name, NULL });
}

static void cmd_nslist(struct client *c, int argc, char **argv, size_t *len)
{
	(void)argc, (void)argv, (void)len;
	reply_fmt(c, "*%d\r\n", (int)nns);
	for (int i = 0; i < nns; i++)
		reply_bulk_str(c, namespaces[i].name);
}

static void cmd_nsinfo(struct client *c, int argc, char **argv, size_t *len)
{
	struct ns *ns = ns_find(argv[1]);
	const char *pwd, *pub;
	char info[4096];
	(void)argc, (void)len;

	if (!ns) {
		reply_fmt(c, "-Namespace not found\r\n");
		return;
	}
	pwd = ns_prop(ns, "password");
	pub = ns_prop(ns, "public");
	snprintf(info, sizeof info,
		 "# namespace\nname: %s\nentries: %zu\npublic: %s\npassword: %s\n"
		 "data_size_bytes: %llu\nindex_size_bytes: %llu\nmode: %s\n"
		 "index_path: %s\ndata_path: %s\nindex_current_id: %u\ndata_current_id: %u\n",
		 ns->name, ns_live_entries(ns), pub && strcmp(pub, "0") == 0 ? "no" : "yes",
		 pwd && *pwd ? "yes" : "no", (unsigned long long)ns->data_size,
		 (unsigned long long)ns->index_size, cfg.seq_mode ? "sequential" : "userkey",
		 ns->index_dir, ns->data_dir, ns->index_id, ns->data_id);
	reply_bulk_str(c, info);
}

static void cmd_nsjump(struct client *c, int argc, char **argv, size_t *len)
{
	struct ns *ns = argc == 2 ? ns_find(argv[1]) : c->ns;
	(void)len;

	if (!ns)
		reply_fmt(c, "-Namespace not found\r\n");
	else if (ns_jump(ns) < 0)
		reply_fmt(c, "-Internal Error\r\n");
	else
		reply_fmt(c, "+OK\r\n");
}

static void cmd_set(struct client *c, int argc, char **argv, size_t *len)
{
	unsigned char key[KEY_MAX];
	size_t klen;
	(void)argc;

	/* 0-db: a key that already holds this payload is left as it is, answered nil ("crc match,
	 * ignoring"): nothing appended, no index file dirty */
	char *old = NULL;
	size_t olen = 0;
	if (len[1] && store_get(c->ns, (unsigned char *)argv[1], len[1], &old, &olen) == 0 &&
	    olen == len[2] && memcmp(old, argv[2], olen) == 0) {
		free(old);
		reply_fmt(c, "$-1\r\n");
		return;
	}
	free(old);
	int err = store_set(c->ns, (unsigned char *)argv[1], len[1], argv[2], len[2], key, &klen);
	if (err == -EINVAL)
		reply_fmt(c, "-Invalid key\r\n");
	else if (err < 0)
		reply_fmt(c, "-Internal Error\r\n");
	else
		reply_bulk(c, key, klen);
}

static void cmd_get(struct client *c, int argc, char **argv, size_t *len)
{
	char *val = NULL;
	size_t vlen = 0;
	(void)argc;

	int err = store_get(c->ns, (unsigned char *)argv[1], len[1], &val, &vlen);
	if (err == -ENOENT)
		reply_fmt(c, "$-1\r\n");
	else if (err < 0)
		reply_fmt(c, "-Internal Error\r\n");
	else
		reply_bulk(c, val, vlen);
	free(val);
}

static void cmd_del(struct client *c, int argc, char **argv, size_t *len)
{
	(void)argc;
	int err = store_del(c->ns, (unsigned char *)argv[1], len[1]);
	if (err == -ENOENT)
		reply_fmt(c, "-Key not found\r\n");
	else if (err < 0)
		reply_fmt(c, "-Internal Error\r\n");
	else
		reply_fmt(c, "+OK\r\n");
}

static void cmd_exists(struct client *c, int argc, char **argv, size_t *len)
{
	struct entry *e = entry_find(c->ns, (unsigned char *)argv[1], len[1]);
	(void)argc;

	reply_fmt(c, ":%d\r\n", e && !e->deleted);
}

static void cmd_dbsize(struct client *c, int argc, char **argv, size_t *len)
{
	(void)argc, (void)argv, (void)len;
	reply_fmt(c, ":%zu\r\n", ns_live_entries(c->ns));
}

/* INDEX DIRTY [RESET]: the ids of the index files rewritten in place since the last reset. */
static void cmd_index(struct client *c, int argc, char **argv, size_t *len)
{
	uint64_t *dirty = c->ns->dirty;
	int count = 0;
	(void)len;

	if (strcasecmp(argv[1], "DIRTY") != 0) {
		reply_fmt(c, "-Unknown subcommand\r\n");
		return;
	}
	if (argc == 3 && strcasecmp(argv[2], "RESET") == 0) {
		memset(c->ns->dirty, 0, sizeof c->ns->dirty);
		reply_fmt(c, "+OK\r\n");
		return;
	}
	for (uint32_t id = 0; id < DIRTY_MAX; id++)
		count += !!(dirty[id / 64] & (1ULL << (id % 64)));
	reply_fmt(c, "*%d\r\n", count);
	for (uint32_t id = 0; id < DIRTY_MAX; id++)
		if (dirty[id / 64] & (1ULL << (id % 64)))
			reply_fmt(c, ":%u\r\n", id);
}

/* HOOKS: every listed hook as [event, [args...], pid, created, finished, status] (0-db
 * commands_system.c; every client is admin, as in a zdb without --admin). */
static void cmd_hooks(struct client *c, int argc, char **argv, size_t *len)
{
	int count = 0;
	(void)argc, (void)argv, (void)len;

	for (int i = 0; i < HOOKS_MAX; i++)
		count += hooks[i].event != NULL;
	reply_fmt(c, "*%d\r\n", count);
	for (int i = 0; i < HOOKS_MAX; i++) {
		const struct hook *h = &hooks[i];
		if (!h->event)
			continue;
		reply_fmt(c, "*6\r\n");
		reply_bulk_str(c, h->event);
		reply_fmt(c, "*%d\r\n", h->nargs);
		for (int a = 0; a < h->nargs; a++)
			reply_bulk_str(c, h->args[a]);
		reply_fmt(c, ":%d\r\n:%lld\r\n:%lld\r\n:%d\r\n", (int)h->pid, (long long)h->created,
			  (long long)h->finished, h->status);
	}
}

static const struct command {
	const char *name;
	int min_argc, max_argc;
	command_fn *fn;
} commands[] = {
	{ "PING", 1, 2, cmd_ping },     { "SELECT", 2, 3, cmd_select }, { "NSNEW", 2, 2, cmd_nsnew },
	{ "NSSET", 4, 4, cmd_nsset },   { "NSLIST", 1, 1, cmd_nslist }, { "NSINFO", 2, 2, cmd_nsinfo },
	{ "NSJUMP", 1, 2, cmd_nsjump }, { "SET", 3, 3, cmd_set },       { "GET", 2, 2, cmd_get },
	{ "DEL", 2, 2, cmd_del },       { "EXISTS", 2, 2, cmd_exists }, { "DBSIZE", 1, 1, cmd_dbsize },
	{ "INDEX", 2, 3, cmd_index },   { "HOOKS", 1, 1, cmd_hooks },
};

static void dispatch(struct client *c, int argc, char **argv, size_t *len)
{
	if (argc == 0)
		return;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *cmd = &commands[i];
		if (strcasecmp(argv[0], cmd->name) != 0)
			continue;
		if (argc < cmd->min_argc || argc > cmd->max_argc)
			reply_fmt(c, "-Invalid arguments\r\n");
		else
			cmd->fn(c, argc, argv, len);
		return;
	}
	reply_fmt(c, "-Command not supported\r\n");
}

/* ---- request parsing ---- */

static struct client *client_new(int fd)
{
	struct client *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->fd = fd;
	c->ns = &namespaces[0]; /* default */
	return c;
}

static void client_free(struct client *c)
{
	if (c->reader)
		redisReaderFree(c->reader);
	close(c->fd);
	free(c);
}

/* feed_resp: every complete RESP request in the reader is run; -1 on a protocol error. */
static int feed_resp(struct client *c, const char *buf, size_t n)
{
	void *reply;

	if (redisReaderFeed(c->reader, buf, n) != REDIS_OK)
		return -1;
	while (redisReaderGetReply(c->reader, &reply) == REDIS_OK) {
		redisReply *r = reply;
		char *argv[ARGS_MAX];
		size_t len[ARGS_MAX];
		int argc = 0, ok = 1;
		if (!r)
			return 0;
		for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
			ok &= r->element[i]->type == REDIS_REPLY_STRING && argc < ARGS_MAX;
			if (ok) {
				argv[argc] = r->element[i]->str;
				len[argc++] = r->element[i]->len;
			}
		}
		if (r->type != REDIS_REPLY_ARRAY || !ok)
			reply_fmt(c, "-Invalid request\r\n");
		else
			dispatch(c, argc, argv, len);
		freeReplyObject(r);
	}
	reply_fmt(c, "-Protocol error\r\n");
	return -1;
}

/* run_inline: one inline request line; words split on blanks, "" quotes an (empty) word. */
static void run_inline(struct client *c, char *line)
{
	char *argv[ARGS_MAX];
	size_t len[ARGS_MAX];
	int argc = 0;

	while (*line && argc < ARGS_MAX) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line)
			break;
		char *end = *line == '"' ? strchr(line + 1, '"') : NULL;
		char *word = end ? line + 1 : line;
		if (!end)
			end = line + strcspn(line, " \t\r");
		argv[argc] = word;
		len[argc++] = (size_t)(end - word);
		line = *end ? end + 1 : end;
		*end = '\0';
	}
	dispatch(c, argc, argv, len);
}

static int feed_inline(struct client *c, const char *buf, size_t n)
{
	char *nl;

	if (n > INLINE_MAX - 1 - c->inline_len)
		return -1;
	memcpy(c->inline_buf + c->inline_len, buf, n);
	c->inline_len += n;
	c->inline_buf[c->inline_len] = '\0';
	while ((nl = memchr(c->inline_buf, '\n', c->inline_len))) {
		*nl = '\0';
		size_t used = (size_t)(nl - c->inline_buf) + 1;
		run_inline(c, c->inline_buf);
		memmove(c->inline_buf, nl + 1, c->inline_len - used);
		c->inline_len -= used;
		c->inline_buf[c->inline_len] = '\0';
	}
	return 0;
}

/* client_read: reads what the socket has and runs the complete requests; -1: close it. */
static int client_read(struct client *c)
{
	char buf[65536];
	ssize_t n = read(c->fd, buf, sizeof buf);

	if (n <= 0)
		return n < 0 && errno == EINTR ? 0 : -1;
	if (c->mode == CLIENT_UNDECIDED) {
		c->mode = buf[0] == '*' ? CLIENT_RESP : CLIENT_INLINE;
		if (c->mode == CLIENT_RESP && !(c->reader = redisReaderCreate()))
			return -1;
	}
	return c->mode == CLIENT_RESP ? feed_resp(c, buf, (size_t)n) : feed_inline(c, buf, (size_t)n);
}

#endif
