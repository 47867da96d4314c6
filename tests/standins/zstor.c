/* SPDX-License-Identifier: MIT */
/* Test stand-in for zstor (0-stor_v2 v0.4.0): CLI, exit codes, monitor socket, queue, local dir. */

/*
 * `zstor [-c|--config PATH] [-d|--debug] [--log_file PATH] SUBCOMMAND`, SUBCOMMAND one of
 * store, retrieve, check, monitor, test (rebuild and status exist but are not implemented:
 * exit 1). Objects live in the directory named by the config's [standin] remote (see
 * zstor_ops.h for the layout), test knobs in the knobs file (zstor_conf.h). With `socket` in
 * the config every command but monitor goes to the daemon (zstor_monitor.h); without it,
 * the command runs in-process and is always synchronous. Exit status: 0 success, 1 any error
 * (config, connection, daemon "Zstor error: ...", CLI usage), 101 when the log file cannot be
 * opened (zstor v0.4.0 panics), 134 for the crash_after_stores knob (SIGABRT).
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zstor_cli.h"
#include "zstor_monitor.h"

#define ZSTOR_VERSION "zstor_v2 0.4.0"
#define ZSTOR_PID_FILE "/var/run/zstor.pid"

static const char usage_top[] = "zstor [FLAGS] [OPTIONS] <SUBCOMMAND>";

enum zsub_id { SUB_STORE, SUB_RETRIEVE, SUB_CHECK, SUB_REBUILD, SUB_MONITOR, SUB_TEST, SUB_STATUS };

struct zsub {
	const char *name, *usage;
	struct zopt opts[6];
	size_t nopts;
};

static struct zsub zsubs[] = {
	[SUB_STORE] = { "store", "zstor store [FLAGS] [OPTIONS] --file <file>",
			{ { 'f', "file", "file", true, NULL, false },
			  { 'k', "key-path", "key-path", false, NULL, false },
			  { 'e', "error-on-failure", NULL, false, NULL, false },
			  { 's', "save-failure", NULL, false, NULL, false },
			  { 'd', "delete", NULL, false, NULL, false },
			  { 'n', "notblocking", NULL, false, NULL, false } }, 6 },
	[SUB_RETRIEVE] = { "retrieve", "zstor retrieve --file <file>",
			   { { 'f', "file", "file", true, NULL, false } }, 1 },
	[SUB_CHECK] = { "check", "zstor check --file <file>",
			{ { 'f', "file", "file", true, NULL, false } }, 1 },
	[SUB_REBUILD] = { "rebuild", "zstor rebuild [OPTIONS]",
			  { { 'f', "file", "file", false, NULL, false },
			    { 'k', "key", "key", false, NULL, false } }, 2 },
	[SUB_MONITOR] = { "monitor", "zstor monitor", { { 0 } }, 0 },
	[SUB_TEST] = { "test", "zstor test", { { 0 } }, 0 },
	[SUB_STATUS] = { "status", "zstor status", { { 0 } }, 0 },
};

static const struct zopt *zsub_opt(const struct zsub *s, const char *l)
{
	for (size_t i = 0; i < s->nopts; i++)
		if (!strcmp(s->opts[i].l, l))
			return &s->opts[i];
	return NULL;
}

static void zcli_help(const char *usage, const struct zopt *opts, size_t n, bool subcommands)
{
	char name[128];

	printf("%s\nzstor stand-in (tests)\n\nUSAGE:\n    %s\n\nFLAGS AND OPTIONS:\n", ZSTOR_VERSION,
	       usage);
	printf("    -h, --help\n");
	for (size_t i = 0; i < n; i++)
		printf("    %s%c%s%s\n", opts[i].s ? "-" : "", opts[i].s ? opts[i].s : ' ',
		       opts[i].s ? ", " : "   ", zcli_name(&opts[i], name, sizeof(name)));
	if (!subcommands)
		return;
	printf("\nSUBCOMMANDS:\n");
	for (size_t i = 0; i < sizeof(zsubs) / sizeof(zsubs[0]); i++)
		printf("    %s\n", zsubs[i].name);
}

/* zcli_done: the exit status for a parse that did not end in ZCLI_OK. */
static int zcli_done(int rc, const char *usage, const struct zopt *opts, size_t n, bool top)
{
	if (rc == ZCLI_HELP)
		zcli_help(usage, opts, n, top);
	else if (rc == ZCLI_VERSION)
		printf("%s\n", ZSTOR_VERSION);
	return rc == ZCLI_ERR ? 1 : 0;
}

/* main() returning Err: logged, then printed by Rust's Termination, exit 1. */
static int zmain_err(const struct zerr *e)
{
	zlog("ERROR", "%s", e->msg);
	fprintf(stderr, "Error: %s\n", e->msg);
	return 1;
}

/* A panic (v0.4.0 unwinds: exit 101). */
static void zpanic(const char *what)
{
	fprintf(stderr, "thread 'main' panicked at '%s', zstor/src/main.rs\n"
			"note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
		what);
	exit(101);
}

/* The rolling log file (log4rs, append); zstor unwrap()s the appender, so failure panics. */
static void zlog_open(const char *path)
{
	char dir[PATH_MAX], what[PATH_MAX + 128];

	snprintf(dir, sizeof(dir), "%s", path);
	if (strchr(dir, '/'))
		zmkdirs(dirname(dir));
	zlog_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (zlog_fd >= 0)
		return;
	snprintf(what, sizeof(what), "called `Result::unwrap()` on an `Err` value: Os { code: %d, "
		 "message: \"%s\" }", errno, strerror(errno));
	zpanic(what);
}

static int zconfig(const char *path, struct zconf *c, struct zerr *e)
{
	int line, rc = zconf_load(path, c, &line);

	if (rc < 0 && line == 0)
		return zerr_io(e, "could not open config file", -rc);
	if (rc < 0)
		return zerr_set(e, "error during configuration: %s:%d: not in the stand-in's TOML "
				   "subset", path, line);
	if (!c->remote[0])
		return zerr_set(e, "error during configuration: stand-in: %s has no [standin] remote", path);
	return 0;
}

/* Client-side IO failure (ZstorError::new_io): "early eof" when the daemon closed first. */
static int zclient_fail(const char *what, int err)
{
	struct zerr e;

	if (err == -EPIPE)
		zerr_set(&e, "error during accessing local storage for %s: early eof", what);
	else
		zerr_io(&e, what, -err);
	return zmain_err(&e);
}

static int zclient_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -EINVAL;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* zclient_answer: prints the daemon's answer; the exit status. */
static int zclient_answer(const uint8_t *buf, size_t n)
{
	struct zstor_resp r;
	char hex[2 * ZSTOR_CHECKSUM_LEN + 1];

	if (zstor_resp_decode(buf, n, &r) < 0)
		zpanic("Failed to decode reply from socket");
	if (r.type == ZSTOR_RESP_CHECKSUM) {
		zhex(r.checksum, hex);
		printf("%s\n", hex);
	} else if (r.type == ZSTOR_RESP_ERR) {
		zlog("ERROR", "Zstor error: %s", r.err);
		fprintf(stderr, "Zstor error: %s\n", r.err);
		zstor_resp_free(&r);
		return 1;
	}
	zstor_resp_free(&r);
	return 0;
}

/* zclient_run: one request over the daemon socket (zs:main.rs handle_command). */
static int zclient_run(const struct zconf *c, const struct zstor_cmd *cmd)
{
	static uint8_t buf[2 + UINT16_MAX];
	size_t len;
	int fd, rc;

	zlog("DEBUG", "Sending command to zstor daemon");
	if (zstor_cmd_encode(cmd, buf + 2, sizeof(buf) - 2, &len) < 0 || zstor_frame_header(len, buf) < 0)
		zpanic("Failed to encode command");
	fd = zclient_connect(c->socket);
	if (fd < 0)
		return zclient_fail("Could not connect to daemon socket", fd);
	rc = zmon_write_full(fd, buf, 2);
	if (rc < 0)
		rc = zclient_fail("Could not write command length to socket", rc);
	else if ((rc = zmon_write_full(fd, buf + 2, len)) < 0)
		rc = zclient_fail("Could not write command to socket", rc);
	else if ((rc = zmon_read_full(fd, buf, 2)) < 0)
		rc = zclient_fail("Could not read response length from socket", rc);
	else if ((rc = zmon_read_full(fd, buf + 2, zstor_frame_len(buf))) < 0)
		rc = zclient_fail("Could not read response from socket", rc);
	else
		rc = zclient_answer(buf + 2, zstor_frame_len(buf));
	close(fd);
	return rc;
}

/* zinproc_run: the command in this process, synchronously (blocking is ignored). */
static int zinproc_run(const struct zconf *c, const struct zstor_cmd *cmd)
{
	uint8_t sum[ZSTOR_CHECKSUM_LEN];
	char hex[2 * ZSTOR_CHECKSUM_LEN + 1];
	struct zerr e;
	int rc = -1;

	zlog("DEBUG", "No zstor daemon socket found, running command in process");
	if (cmd->type == ZSTOR_CMD_STORE)
		rc = zstore_cmd(c, cmd, &e);
	else if (cmd->type == ZSTOR_CMD_RETRIEVE)
		rc = zretrieve(c, cmd->file, &e);
	else if (cmd->type == ZSTOR_CMD_CHECK)
		rc = zcheck(c, cmd->file, sum, &e);
	if (rc < 0)
		return zmain_err(&e);
	if (rc == 1) {
		zhex(sum, hex);
		printf("%s\n", hex);
	}
	return 0;
}

static int zread_small(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, buf, cap - 1);
	close(fd);
	if (r < 0)
		return -EIO;
	buf[r] = '\0';
	return 0;
}

/* write_pid_file: refuses when the pid file names a live process with our comm. */
static int zmon_pidfile(const char *path, struct zerr *e)
{
	char pid[64], procp[128], comm[64], mine[64];
	int fd;

	if (zread_small(path, pid, sizeof(pid)) == 0) {
		snprintf(procp, sizeof(procp), "/proc/%s/comm", pid);
		if (zread_small(procp, comm, sizeof(comm)) == 0 &&
		    zread_small("/proc/self/comm", mine, sizeof(mine)) == 0 && !strcmp(comm, mine))
			return zerr_set(e, "error during accessing local storage for socket: another "
					   "daemon instance is running");
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return zerr_io(e, "pid file", errno);
	dprintf(fd, "%d", (int)getpid());
	close(fd);
	return 0;
}

static int zmon_listen(const char *path, struct zerr *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return zerr_io(e, "Failed to bind unix socket", ENAMETOOLONG);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return zerr_io(e, "Failed to bind unix socket", errno);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1024) < 0) {
		int err = errno;

		close(fd);
		return zerr_io(e, "Failed to bind unix socket", err);
	}
	return fd;
}

/* zmon_loop: accept() and signals until SIGTERM/SIGINT; returns the signal. */
static int zmon_loop(int lfd, int sfd)
{
	struct pollfd p[2] = { { .fd = lfd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
	struct signalfd_siginfo si;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno != EINTR)
				zlog("ERROR", "poll: %s", strerror(errno));
			continue;
		}
		if ((p[1].revents & POLLIN) && read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo != SIGUSR1)
				return (int)si.ssi_signo;
			zlog("INFO", "Reloading config after receiving SIGUSR1");
		}
		if (p[0].revents & POLLIN)
			zmon_accept(lfd);
	}
}

/* `zstor monitor` (zs:main.rs Cmd::Monitor). */
static int zmonitor_run(const struct zconf *c)
{
	const char *pid_path = c->pid_file[0] ? c->pid_file : ZSTOR_PID_FILE;
	sigset_t set;
	pthread_t worker;
	struct zerr e;
	int lfd, sfd, sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread inherits it */
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		return zerr_io(&e, "signal handlers", errno), zmain_err(&e);
	if (zmon_pidfile(pid_path, &e) < 0)
		return zmain_err(&e);
	if (!c->socket[0]) {
		fprintf(stderr, "Missing \"socket\" argument in config\n");
		return 1;
	}
	lfd = zmon_listen(c->socket, &e);
	if (lfd < 0)
		return zmain_err(&e);
	zmon.conf = c;
	if (pthread_create(&worker, NULL, zmon_worker, NULL) != 0)
		return zerr_set(&e, "error during waiting for async task completion: no worker"), zmain_err(&e);
	zlog("INFO", "MONITOR started socket=%s pid_file=%s pid=%d", c->socket, pid_path, (int)getpid());
	sig = zmon_loop(lfd, sfd);
	zlog("INFO", "Shutting down zstor daemon after receiving %s",
	     sig == SIGINT ? "SIGINT" : "SIGTERM");
	zmon_drain(sig);
	unlink(c->socket);
	unlink(pid_path);
	zlog("INFO", "MONITOR drained, exiting");
	exit(0); /* the worker and any handler threads end with the process */
}

static struct zstor_cmd zcmd_from(enum zsub_id id)
{
	const struct zsub *s = &zsubs[id];
	struct zstor_cmd c = { .type = ZSTOR_CMD_CHECK, .file = (char *)zsub_opt(s, "file")->val };

	if (id == SUB_RETRIEVE)
		c.type = ZSTOR_CMD_RETRIEVE;
	if (id != SUB_STORE)
		return c;
	c.type = ZSTOR_CMD_STORE;
	c.key_path = (char *)zsub_opt(s, "key-path")->val;
	c.save_failure = zsub_opt(s, "save-failure")->set;
	c.delete = zsub_opt(s, "delete")->set;
	c.blocking = !zsub_opt(s, "notblocking")->set;
	return c;
}

static int zdispatch(enum zsub_id id, const struct zconf *c)
{
	struct zstor_cmd cmd;
	struct zerr e;

	switch (id) {
	case SUB_MONITOR:
		return zmonitor_run(c);
	case SUB_TEST:
		return zmkdirs(c->remote) < 0 ? (zerr_io(&e, "remote", errno), zmain_err(&e)) : 0;
	case SUB_REBUILD:
	case SUB_STATUS:
		fprintf(stderr, "zstor stand-in: %s is not implemented\n", zsubs[id].name);
		return 1;
	default:
		cmd = zcmd_from(id);
		return c->socket[0] ? zclient_run(c, &cmd) : zinproc_run(c, &cmd);
	}
}

/* zsub_parse: the subcommand word at argv[*i] and its options; its id, or -1 with *status. */
static int zsub_parse(int argc, char **argv, int *i, int *status)
{
	int rc;

	if (*i >= argc) {
		zcli_error(usage_top, "'zstor' requires a subcommand, but one was not provided");
		*status = 1;
		return -1;
	}
	for (size_t id = 0; id < sizeof(zsubs) / sizeof(zsubs[0]); id++) {
		struct zsub *s = &zsubs[id];

		if (strcmp(argv[*i], s->name))
			continue;
		++*i;
		rc = zcli_parse(argc, argv, i, s->opts, s->nopts, false, s->usage);
		if (rc == ZCLI_OK)
			return (int)id;
		*status = zcli_done(rc, s->usage, s->opts, s->nopts, false);
		return -1;
	}
	if (!strcmp(argv[*i], "help"))
		*status = zcli_done(ZCLI_HELP, usage_top, NULL, 0, true);
	else
		*status = zcli_done(zcli_error(usage_top, "Found argument '%s' which wasn't expected, "
					       "or isn't valid in this context", argv[*i]),
				    usage_top, NULL, 0, true);
	return -1;
}

int main(int argc, char **argv)
{
	struct zopt g[] = {
		{ 'c', "config", "config", false, NULL, false },
		{ 'd', "debug", NULL, false, NULL, false },
		{ 0, "log_file", "log_file", false, NULL, false },
	};
	static struct zconf conf;
	struct zerr e;
	int i = 1, rc, id;

	rc = zcli_parse(argc, argv, &i, g, 3, true, usage_top);
	if (rc != ZCLI_OK)
		return zcli_done(rc, usage_top, g, 3, true);
	id = zsub_parse(argc, argv, &i, &rc);
	if (id < 0)
		return rc;
	signal(SIGPIPE, SIG_IGN); /* as the Rust runtime does */
	if (sodium_init() < 0)
		zpanic("sodium_init failed");
	zlog_debug = g[1].set;
	zlog_open(g[2].val ? g[2].val : "zstor.log");
	if (zconfig(g[0].val ? g[0].val : "zstor_config.toml", &conf, &e) < 0)
		return zmain_err(&e);
	return zdispatch((enum zsub_id)id, &conf);
}
