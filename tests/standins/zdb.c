/* SPDX-License-Identifier: MIT */
/* Test stand-in for 0-db (zdb 2.0.x): the boot order, hooks, signals and RESP commands of QSFS.md §1-2. */

/*
 * What it reproduces, and why (QSFS.md §1, zdb-traces.txt):
 *  - every hook is a plain fork()+execv() that inherits everything: the flock()ed lockfiles,
 *    the listening socket, the open i<k>/d<k>, the signal mask;
 *  - namespaces-init runs before listen() (connections refused), ready after it (clients wait),
 *    a non-0 ready ends the boot with namespace-closing and exit 0;
 *  - SIGTERM/SIGINT: the stop path runs inside the handler like zdb's, so close, then one
 *    namespace-closing per namespace, inherit the signal blocked; exit(128+sig) follows without
 *    waiting for them; during namespaces-init it ends with close, crash and death by SIGSEGV;
 *  - one thread: a synchronous hook stalls every client;
 *  - after a restart the namespaces are loaded default first, then in readdir() order, and
 *    HOOKS lists the hooks as zdb does.
 * `make check-real` runs its contract test (t_standin_zdb) against a real zdb.
 * The files and the wire replies are this program's own (see zdb_store.h), not 0-db's format.
 */
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/un.h>

#include "zdb_hooks.h"
#include "zdb_store.h"
#include "zdb_resp.h"

#define IDLE_MS 200          /* the idle loop's reaping period (0-db socket_epoll.c) */
#define EVENTS_PER_REAP 100 /* ... or every this many network events */

/* Set once the namespaces exist: before that, the stop path crashes as zdb's does. */
static volatile sig_atomic_t namespaces_ready;

/* ---- the stop paths (signal handlers, like 0-db's zdbd.c:170-226) ---- */

/* namespaces_emergency: per namespace in slot order, namespace-closing is forked, THEN the
 * files are fsynced (0-db namespace.c:701-737). */
static void namespaces_emergency(void)
{
	char dirty[DIRTY_MAX * 5];

	for (int i = 0; i < nns; i++) {
		struct ns *ns = &namespaces[i];
		say("[+] namespaces: flushing: %s", ns->name);
		dirty_format(ns, dirty, sizeof dirty);
		hook_run_async("namespace-closing", (const char *[]){ ns->name, ns->index_path,
								     ns->data_path, dirty, NULL });
		fsync(ns->index_fd);
		fsync(ns->data_fd);
	}
}

/* die_by_segv: the second fault of the real zdb, taken while SIGSEGV is blocked, which the
 * kernel turns into death by SIGSEGV (no core file: the stand-in litters no test dir). */
static void die_by_segv(void)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t segv;

	setrlimit(RLIMIT_CORE, &no_core);
	signal(SIGSEGV, SIG_DFL);
	sigemptyset(&segv);
	sigaddset(&segv, SIGSEGV);
	raise(SIGSEGV);
	sigprocmask(SIG_UNBLOCK, &segv, NULL);
	_exit(139);
}

static void on_segv(int sig)
{
	say("[-] fatal: segmentation fault");
	hook_run_async("crash", NULL);
	say("[+] signal: crashed, trying to clean");
	if (!namespaces_ready)
		die_by_segv();
	namespaces_emergency();
	say_flush();
	_exit(128 + sig);
}

static void on_stop(int sig)
{
	say("[+] signal: request cleaning");
	hook_run_sync("close", NULL);
	if (!namespaces_ready)
		raise(SIGSEGV); /* zdb walks a namespace list that does not exist yet */
	namespaces_emergency();
	say_flush();
	_exit(128 + sig);
}

/* Installed with sa_flags 0 and an empty sa_mask, as zdb does: a second SIGTERM waits, a
 * SIGINT re-enters. */
static void signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
}

/* ---- boot ---- */

/* lock_root: mkdir + <root>/.lockfile flock(LOCK_EX), kept open (and inherited) for life. */
static int lock_root(const char *root)
{
	char path[PATH_MAX];

	if (mkdir(root, 0755) < 0 && errno != EEXIST) {
		say("[-] bootstrap: %s: %s", root, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/.lockfile", root);
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		say("[-] bootstrap: %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		say("[-] bootstrap: an instance of zdb is already using: %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

static int listen_unix(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", cfg.socket);
	unlink(cfg.socket);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0 || listen(fd, 4096) < 0) {
		say("[-] listen: %s: %s", cfg.socket, strerror(errno));
		return -1;
	}
	return fd;
}

/* listen_tcp: --listen/--port, dual stack for "::" (SO_REUSEADDR only, like redis.c). */
static int listen_tcp(void)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	char port[16];
	int fd = -1, one = 1, zero = 0;

	snprintf(port, sizeof port, "%d", cfg.port);
	if (getaddrinfo(cfg.listen, port, &hints, &res) != 0) {
		say("[-] listen: bad address %s", cfg.listen);
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (res->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
	}
	if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 4096) < 0) {
		say("[-] listen: %s: %s", cfg.id, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* ---- the server loop ---- */

static void accept_client(int epfd, int lfd)
{
	int fd = accept(lfd, NULL, NULL);
	struct client *c = fd >= 0 ? client_new(fd) : NULL;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

	if (!c || epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		if (c)
			client_free(c);
		else if (fd >= 0)
			close(fd);
	}
}

static void serve(int lfd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL }, events[64];
	int epfd = epoll_create1(0), since_reap = 0;

	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		say("[-] epoll: %s", strerror(errno));
		exit(1);
	}
	for (;;) {
		int n = epoll_wait(epfd, events, 64, IDLE_MS);
		if (n <= 0 || (since_reap += n) >= EVENTS_PER_REAP) {
			hooks_reap();
			since_reap = 0;
		}
		for (int i = 0; i < n; i++) {
			struct client *c = events[i].data.ptr;
			if (!c) {
				accept_client(epfd, lfd);
			} else if (client_read(c) < 0) {
				epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
				client_free(c);
			}
		}
	}
}

/* ---- command line ---- */

static int parse_size(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	switch (toupper((unsigned char)*end)) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	}
	if (toupper((unsigned char)*end) == 'B' || toupper((unsigned char)*end) == 'I')
		end += strspn(end, "iIbB");
	*out = v;
	return end == s || *end ? -1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: zdb [--mode user|seq] [--data DIR] [--index DIR] [--hook PATH]\n"
			"           [--datasize N] [--listen ADDR] [--port P] [--socket PATH]\n");
	exit(1);
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", 1, NULL, 'm' },     { "data", 1, NULL, 'd' },   { "index", 1, NULL, 'i' },
		{ "hook", 1, NULL, 'h' },     { "datasize", 1, NULL, 's' }, { "listen", 1, NULL, 'l' },
		{ "port", 1, NULL, 'p' },     { "socket", 1, NULL, 'u' },   { NULL, 0, NULL, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'm':
			if (strcmp(optarg, "user") && strcmp(optarg, "seq") && strcmp(optarg, "direct"))
				usage();
			cfg.seq_mode = strcmp(optarg, "user") != 0;
			break;
		case 'd': cfg.data_root = optarg; break;
		case 'i': cfg.index_root = optarg; break;
		case 'h': cfg.hook = optarg; break;
		case 'l': cfg.listen = optarg; break;
		case 'p': cfg.port = atoi(optarg); break;
		case 'u': cfg.socket = optarg; break;
		case 's':
			if (parse_size(optarg, &cfg.datasize) < 0)
				usage();
			break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (cfg.datasize < 512UL << 10 || cfg.datasize >= 4UL << 30) {
		fprintf(stderr, "zdb: --datasize must be at least 512 KiB and below 4 GiB\n");
		exit(1);
	}
	if (strlen(cfg.index_root) + NS_NAME_MAX + 2 > DIR_MAX ||
	    strlen(cfg.data_root) + NS_NAME_MAX + 2 > DIR_MAX) {
		fprintf(stderr, "zdb: --data and --index must be shorter than %d bytes\n",
			DIR_MAX - NS_NAME_MAX - 2);
		exit(1);
	}
	if (strcmp(cfg.data_root, cfg.index_root) == 0) {
		fprintf(stderr, "zdb: --data and --index must differ\n");
		exit(1);
	}
	if (cfg.socket)
		snprintf(cfg.id, sizeof cfg.id, "unix://%s", cfg.socket);
	else
		snprintf(cfg.id, sizeof cfg.id, "tcp://%s:%d", cfg.listen, cfg.port);
}

int main(int argc, char **argv)
{
	atexit(say_flush);
	parse_args(argc, argv);
	say("[*] 0-db stand-in, pid %d, mode %s, datasize %lu", (int)getpid(),
	    cfg.seq_mode ? "sequential keys" : "user keys", cfg.datasize);
	if (lock_root(cfg.index_root) < 0 || lock_root(cfg.data_root) < 0) {
		say("[-] system: database unavailable");
		return 1;
	}
	signals_install();
	hook_run_sync("namespaces-init", (const char *[]){ cfg.index_root, cfg.data_root, NULL });
	if (namespaces_load() < 0) {
		say("[-] system: cannot load the namespaces");
		return 1;
	}
	namespaces_ready = 1;
	int lfd = cfg.socket ? listen_unix() : listen_tcp();
	if (lfd < 0)
		return 1;
	say("[+] listening on %s (fd %d)", cfg.id, lfd);
	if (cfg.hook) {
		int status = hook_run_sync("ready", NULL);
		if (status != 0) {
			say("[-] hook: unsuccessful init hook, stopping (code: %d)", status);
			namespaces_emergency();
			return 0;
		}
	}
	say("[+] ready");
	serve(lfd);
	return 0;
}
