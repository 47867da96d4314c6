/* SPDX-License-Identifier: MIT */
/* `zinit probe redis|unix|mount TARGET [FS]`: readiness tests for units' `test:`, bounded to 1 s. */
#include "qsfs/probe.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "qsfs/addr.h"
#include "qsfs/mountinfo.h"
#include "qsfs/resp.h"
#include "qsfs/unixdiag.h"

#define MOUNTINFO "/proc/self/mountinfo"
/* The probe's own timeouts end this much before the SIGALRM backstop, so that a slow peer is
 * reported by what it failed to do rather than by the backstop's generic line. */
#define BACKSTOP_MARGIN_MS 100

struct probe_target {
	struct qsfs_addr addr; /* redis, unix */
	const char *path;      /* mount */
	const char *fs;        /* mount: the filesystem wanted on top of path, or NULL for any */
};

struct probe_kind {
	const char *name;
	const char *operand; /* what the usage message asks for */
	const char *option;  /* an optional second operand (its name), or NULL */
	int (*parse)(const char *arg, struct probe_target *t, const char **why);
	/* 0 when ready; -1 with the reason in @why */
	int (*run)(const struct probe_target *t, const struct timespec *deadline, char *why,
		   size_t len);
};

/* ---- the deadline and its backstop ---------------------------------------------------- */

static struct timespec deadline_in(long ms)
{
	struct timespec d;
	clock_gettime(CLOCK_MONOTONIC, &d);
	d.tv_sec += ms / 1000;
	d.tv_nsec += (ms % 1000) * 1000000L;
	if (d.tv_nsec >= 1000000000L) {
		d.tv_sec++;
		d.tv_nsec -= 1000000000L;
	}
	return d;
}

/* Milliseconds left before @d, at least 1 (hiredis and poll read 0 as "no limit"/"now"). */
static long remaining_ms(const struct timespec *d)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (long)(d->tv_sec - now.tv_sec) * 1000 + (d->tv_nsec - now.tv_nsec) / 1000000L;
	return ms < 1 ? 1 : ms;
}

static char backstop_line[512];
static size_t backstop_len;

static void backstop_fire(int sig)
{
	(void)sig;
	ssize_t w = write(STDERR_FILENO, backstop_line, backstop_len);
	(void)w;
	_exit(CLI_FAILED);
}

/* Whatever blocks where no timeout reaches (name resolution, a path walk), the probe ends
 * with exit 1 and one line once the budget is spent: SIGALRM, whose handler only writes. */
static void arm_backstop(const char *kind, const char *arg, const char *fs)
{
	int n = snprintf(backstop_line, sizeof(backstop_line),
			 "zinit: probe %s %s%s%s: no answer within %d ms\n", kind, arg,
			 fs ? " " : "", fs ? fs : "", QSFS_PROBE_BUDGET_MS);
	backstop_len = n < 0 ? 0 : (size_t)n >= sizeof(backstop_line) ? sizeof(backstop_line) - 1
									: (size_t)n;
	struct sigaction sa = { .sa_handler = backstop_fire };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { .it_value = { QSFS_PROBE_BUDGET_MS / 1000,
					       (QSFS_PROBE_BUDGET_MS % 1000) * 1000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The probe has its answer: no second line (and no other verdict) from a late backstop. */
static void disarm_backstop(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
}

/* ---- redis: PING answered +PONG ------------------------------------------------------- */

static int parse_addr(const char *arg, struct probe_target *t, const char **why)
{
	return qsfs_addr_parse(arg, &t->addr, why);
}

static int run_redis(const struct probe_target *t, const struct timespec *deadline, char *why,
		     size_t len)
{
	redisContext *c = qsfs_resp_connect(&t->addr, remaining_ms(deadline), why, len);
	if (!c)
		return -1;
	int rc = -1;
	redisReply *r = NULL;
	if (qsfs_resp_set_timeout(c, remaining_ms(deadline)) < 0) {
		snprintf(why, len, "%s", c->errstr);
		goto out;
	}
	r = redisCommand(c, "PING");
	if (!r) {
		if (qsfs_resp_timed_out(c))
			snprintf(why, len, "no reply to PING within %d ms",
				 QSFS_PROBE_BUDGET_MS - BACKSTOP_MARGIN_MS);
		else
			snprintf(why, len, "%s", c->errstr);
		goto out;
	}
	if (r->type == REDIS_REPLY_STATUS && strcmp(r->str, "PONG") == 0) {
		rc = 0;
		goto out;
	}
	char reply[256];
	qsfs_resp_describe(r, reply, sizeof(reply));
	snprintf(why, len, "PING answered %s", reply);
out:
	if (r)
		freeReplyObject(r);
	redisFree(c);
	return rc;
}

/* ---- unix: a stream socket listens there ---------------------------------------------- */

static int parse_unix(const char *arg, struct probe_target *t, const char **why)
{
	return qsfs_addr_unix(arg, &t->addr, why);
}

/* Waits for a non-blocking connect on @fd to finish; 0 or -errno. */
static int finish_connect(int fd, const struct timespec *deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int n;
	while ((n = poll(&p, 1, (int)remaining_ms(deadline))) < 0 && errno == EINTR)
		;
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	int err = 0;
	socklen_t elen = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -errno;
	return -err;
}

/*
 * What the kernel's list of this network namespace's unix sockets (sock_diag) says of the file
 * at @path (enum unixdiag_verdict: listening, not listening yet, absent from the list), or
 * -errno where the list cannot be read (no sock_diag for unix sockets) or @path is not a
 * socket. The list names the file each socket is bound
 * to by device and inode, so no connection is made: zstor logs every client that says
 * nothing as an ERROR ("failed to read msg length prefix: early eof"), which a connecting
 * probe made it write at every start (docs/QSFS.md). A path alone would not do: a network
 * namespace shared with the host (--network host) lists other mount namespaces' sockets at
 * the same path.
 */
static int listed_state(const char *path, const struct timespec *deadline)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	unsigned char req[UNIXDIAG_REQUEST_BYTES];
	static long answer[8192]; /* 64 KiB, aligned for netlink headers */
	unixdiag_request(req);
	int r = -EIO;
	if (send(fd, req, sizeof(req), 0) == (ssize_t)sizeof(req)) {
		do {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			if (poll(&p, 1, (int)remaining_ms(deadline)) <= 0) {
				r = -ETIMEDOUT; /* EINTR too: the SIGALRM backstop is near */
				break;
			}
			ssize_t n = recv(fd, answer, sizeof(answer), 0);
			r = n > 0 ? unixdiag_scan(answer, (size_t)n, st.st_dev, st.st_ino) : -EIO;
		} while (r == UNIXDIAG_MORE);
	}
	close(fd);
	return r;
}

/*
 * Ready when a socket listens on the file at the path. A socket of this network namespace
 * bound there but not listening yet (between the server's bind() and listen()) is not ready,
 * and is not connected to: the listen() could come before the connect, and the server would
 * see a client that says nothing. Where the list does not have the socket (a listener in
 * another network namespace, such as the host's docker.sock, or a stale file) or cannot be
 * read, a connect decides, as it did before.
 */
static int run_unix(const struct probe_target *t, const struct timespec *deadline, char *why,
		    size_t len)
{
	int listed = listed_state(t->addr.path, deadline);
	if (listed == UNIXDIAG_LISTENING)
		return 0;
	if (listed == UNIXDIAG_NOT_LISTENING) {
		snprintf(why, len, "a socket is bound to it but does not listen yet");
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, len, "socket: %s", strerror(errno));
		return -1;
	}
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	memcpy(sun.sun_path, t->addr.path, strlen(t->addr.path) + 1);
	int rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ? 0 : -errno;
	if (rc == -EINPROGRESS)
		rc = finish_connect(fd, deadline);
	close(fd);
	if (rc == -EAGAIN)
		snprintf(why, len, "its listen backlog is full (the server is not accepting)");
	else if (rc < 0)
		snprintf(why, len, "%s", strerror(-rc));
	return rc < 0 ? -1 : 0;
}

/* ---- mount: PATH is a mount point ----------------------------------------------------- */

static int parse_mount(const char *arg, struct probe_target *t, const char **why)
{
	if (!*arg) {
		*why = "empty path";
		return -EINVAL;
	}
	if (strlen(arg) >= PATH_MAX) {
		*why = "path too long";
		return -EINVAL;
	}
	t->path = arg;
	return 0;
}

/*
 * The absolute path of @path as /proc/self/mountinfo spells it. Only the parent directory is
 * resolved: the last component is not looked up, so a FUSE daemon that is busy or dead
 * cannot block the probe (and a symlink there is not a mount point, as mountpoint(1) says).
 */
static int canonical_path(const char *path, char *out, size_t outlen)
{
	char copy[PATH_MAX], parent[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", path);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *slash = strrchr(copy, '/');
	const char *base = slash ? slash + 1 : copy;
	if (strcmp(copy, "/") == 0 || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return realpath(copy, out) ? 0 : -errno;
	if (slash)
		*slash = '\0';
	const char *dir = !slash ? "." : slash == copy ? "/" : copy;
	if (!realpath(dir, parent))
		return -errno;
	int w = snprintf(out, outlen, "%s/%s", strcmp(parent, "/") == 0 ? "" : parent, base);
	return w < 0 || (size_t)w >= outlen ? -ENAMETOOLONG : 0;
}

struct top_mount {
	char type[256];
	char source[PATH_MAX];
	bool known; /* type and source could be read from its line */
};

/*
 * 1 if @path is a mount point listed in @f, with the type and source of its topmost mount (the
 * last line for it: a mount stacked on another is listed after it) in @top; 0 if not.
 */
static int listed(FILE *f, const char *path, struct top_mount *top)
{
	char *line = NULL, point[PATH_MAX];
	size_t cap = 0;
	int found = 0;
	struct top_mount m;
	while (getline(&line, &cap, f) >= 0) {
		if (mountinfo_mount_point(line, point, sizeof(point)) != 0 || strcmp(point, path) != 0)
			continue;
		m.known = mountinfo_filesystem(line, m.type, sizeof(m.type), m.source,
					       sizeof(m.source)) == 0;
		*top = m;
		found = 1;
	}
	free(line);
	return found;
}

/* @fs names the mount: its type, its subtype (fuse.FS) or its source (a FUSE daemon's fsname). */
static bool names_mount(const char *fs, const struct top_mount *top)
{
	const char *dot = strchr(top->type, '.');
	return strcmp(top->type, fs) == 0 || (dot && strcmp(dot + 1, fs) == 0) ||
	       strcmp(top->source, fs) == 0;
}

static int run_mount(const struct probe_target *t, const struct timespec *deadline, char *why,
		     size_t len)
{
	(void)deadline; /* local reads only; the backstop bounds them */
	char path[PATH_MAX];
	int rc = canonical_path(t->path, path, sizeof(path));
	if (rc < 0) {
		snprintf(why, len, "%s", strerror(-rc));
		return -1;
	}
	FILE *f = fopen(MOUNTINFO, "re");
	if (!f) {
		snprintf(why, len, "cannot read " MOUNTINFO ": %s", strerror(errno));
		return -1;
	}
	struct top_mount top;
	int found = listed(f, path, &top);
	fclose(f);
	if (!found) {
		snprintf(why, len, "not a mount point (%s is not in " MOUNTINFO ")", path);
		return -1;
	}
	if (t->fs && !top.known) {
		snprintf(why, len, "the mount on top cannot be read from " MOUNTINFO);
		return -1;
	}
	if (t->fs && !names_mount(t->fs, &top)) {
		snprintf(why, len, "the mount on top is %s from %s, not %s", top.type, top.source,
			 t->fs);
		return -1;
	}
	return 0;
}

/* ---- the verb -------------------------------------------------------------------------- */

static const struct probe_kind kinds[] = {
	{ "redis", "HOST:PORT or unix:PATH", NULL, parse_addr, run_redis },
	{ "unix", "a socket path", NULL, parse_unix, run_unix },
	{ "mount", "a path", "FS", parse_mount, run_mount },
};

static const struct probe_kind *find_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int qsfs_probe_main(const struct cli_opts *o, int argc, char **argv)
{
	(void)o;
	if (argc < 2)
		return cli_usage_error("probe needs a kind: redis, unix or mount");
	const struct probe_kind *k = find_kind(argv[1]);
	if (!k)
		return cli_usage_error("probe: unknown kind '%s' (redis, unix or mount)", argv[1]);
	if (argc < 3)
		return cli_usage_error("probe %s needs %s", k->name, k->operand);
	int max_argc = k->option ? 4 : 3;
	if (argc > max_argc)
		return cli_usage_error("probe %s: unexpected argument '%s'", k->name,
				       argv[max_argc]);
	struct probe_target t = { .path = NULL, .fs = argc == 4 ? argv[3] : NULL };
	const char *bad;
	if (k->parse(argv[2], &t, &bad) < 0)
		return cli_usage_error("probe %s: bad argument '%s': %s", k->name, argv[2], bad);
	if (t.fs && !*t.fs)
		return cli_usage_error("probe %s: bad argument '': empty %s", k->name, k->option);
	signal(SIGPIPE, SIG_IGN); /* a peer that closes first is a failure, not a death */
	arm_backstop(k->name, argv[2], t.fs);
	struct timespec deadline = deadline_in(QSFS_PROBE_BUDGET_MS - BACKSTOP_MARGIN_MS);
	char why[512];
	int rc = k->run(&t, &deadline, why, sizeof(why));
	disarm_backstop(); /* until here the backstop may end the probe, with its one line */
	if (rc == 0)
		return CLI_OK;
	fprintf(stderr, "zinit: probe %s %s%s%s: %s\n", k->name, argv[2], t.fs ? " " : "",
		t.fs ? t.fs : "", why);
	return CLI_FAILED;
}
