/* SPDX-License-Identifier: MIT */
/* `zinit follow FILE...`: the new lines of log files a program writes and rolls, on stdout. */
#include "qsfs/follow.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fdio.h"
#include "linebuf.h"
#include "procstat.h"
#include "qsfs/fsutil.h"
#include "qsfs/readysock.h"
#include "xalloc.h"

struct followed {
	const char *path;
	char *dir;       /* the directory that holds path's name */
	int dir_wd;      /* its inotify watch (creations, renames, removals), -1 if none */
	int fd;          /* -1: not open (missing or unreadable) */
	int fd_wd;       /* the open file's watch (appends, cuts), -1 if none */
	dev_t dev;
	ino_t ino;
	char *part;      /* the last line read, still without its newline */
	size_t plen;
	int error;       /* the errno last said on stderr, 0 if none */
};

static void out(const char *data, size_t len)
{
	if (len && write_all(STDOUT_FILENO, data, len) < 0)
		exit(1); /* nobody reads us any more */
}

/* Ends the partial line: its writer is gone, or it is as long as a line gets. */
static void flush_part(struct followed *f)
{
	if (f->plen == 0)
		return;
	f->part[f->plen++] = '\n';
	out(f->part, f->plen);
	f->plen = 0;
}

/* Writes the whole lines of @data (after what was kept of the last one), keeps the rest. */
static void take(struct followed *f, const char *data, size_t len)
{
	const char *nl = memrchr(data, '\n', len);
	if (nl) {
		size_t whole = (size_t)(nl - data) + 1;
		out(f->part, f->plen);
		f->plen = 0;
		out(data, whole);
		data += whole;
		len -= whole;
	}
	while (len > 0) {
		size_t room = LINEBUF_MAX_LINE - f->plen;
		size_t n = len < room ? len : room;
		memcpy(f->part + f->plen, data, n);
		f->plen += n;
		data += n;
		len -= n;
		if (f->plen == LINEBUF_MAX_LINE)
			flush_part(f);
	}
}

static void say_error(struct followed *f, int err)
{
	if (err != f->error && err != ENOENT)
		fprintf(stderr, "zinit follow: %s: %s\n", f->path, strerror(err));
	f->error = err;
}

/* Reads @f to its current end. */
static void read_new(struct followed *f)
{
	static char buf[64 * 1024];
	for (;;) {
		ssize_t n = read(f->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			say_error(f, errno);
		if (n <= 0)
			return;
		take(f, buf, (size_t)n);
	}
}

/* When this follower was forked, less a second for the filesystem's coarse timestamps and
 * /proc's ticks: seconds of CLOCK_REALTIME. */
static double started;

static void note_start(void)
{
	struct procstat st;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	started = (double)now.tv_sec + (double)now.tv_nsec / 1e9 - 1.0;
	if (procstat_read(getpid(), &st) == 0)
		started -= st.alive;
}

/* Whether @fd's file was created since this follower was forked: a fresh log file whose first
 * lines came before our first look (the program we follow may start before we run), which
 * belong to this run and are read from its start. No birth time on this filesystem: no. */
static bool born_since_start(int fd)
{
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BTIME, &stx) < 0 || !(stx.stx_mask & STATX_BTIME))
		return false;
	return (double)stx.stx_btime.tv_sec + (double)stx.stx_btime.tv_nsec / 1e9 >= started;
}

/*
 * The follower sleeps until inotify says that something it follows changed: an open file was
 * written or cut (a watch on the file itself, so a FILE that is a symlink works too), or a
 * name appeared in a FILE's directory (a creation, a roll). Where a watch cannot be had (no
 * inotify, a directory that does not exist yet), it looks every FOLLOW_POLL_MS instead.
 */
static int notify_fd = -1;
static struct followed *files;
static int n_files;

static void watch_dir(struct followed *f)
{
	if (notify_fd >= 0 && f->dir_wd < 0)
		f->dir_wd = inotify_add_watch(notify_fd, f->dir, IN_CREATE | IN_MOVED_TO | IN_ATTRIB |
						  IN_MOVE_SELF | IN_ONLYDIR);
}

static void watch_file(struct followed *f)
{
	char self[32];
	if (notify_fd < 0)
		return;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", f->fd); /* the file opened, not the path's */
	f->fd_wd = inotify_add_watch(notify_fd, self, IN_MODIFY);
	if (f->fd_wd < 0)
		f->fd_wd = inotify_add_watch(notify_fd, f->path, IN_MODIFY);
}

/* Drops @f's file watch, unless another FILE has the same file open (inotify gave it the same). */
static void unwatch_file(struct followed *f)
{
	int wd = f->fd_wd;
	f->fd_wd = -1;
	for (int i = 0; i < n_files; i++)
		if (files[i].fd_wd == wd)
			return;
	if (wd >= 0)
		inotify_rm_watch(notify_fd, wd);
}

/* A watch gone (its file or directory removed) or a directory moved away from FILE's path:
 * set up again at the next look. */
static void forget_watch(int wd, bool moved)
{
	for (int i = 0; i < n_files; i++) {
		if (files[i].dir_wd == wd)
			files[i].dir_wd = -1;
		if (files[i].fd_wd == wd)
			files[i].fd_wd = -1;
	}
	if (moved)
		inotify_rm_watch(notify_fd, wd);
}

static void read_events(void)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t len;
	while ((len = read(notify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			if (ev->mask & (IN_IGNORED | IN_MOVE_SELF))
				forget_watch(ev->wd, ev->mask & IN_MOVE_SELF);
			p += sizeof(*ev) + ev->len;
		}
	}
}

/* Whether every change would wake the follower: no need to look on a timer. */
static bool all_watched(void)
{
	for (int i = 0; i < n_files; i++)
		if (files[i].dir_wd < 0 || (files[i].fd >= 0 && files[i].fd_wd < 0))
			return false;
	return true;
}

static void close_file(struct followed *f)
{
	flush_part(f);
	unwatch_file(f);
	close(f->fd);
	f->fd = -1;
}

/* Opens the file @f's path names now: from its end if @at_end, else from its start. */
static void open_file(struct followed *f, bool at_end)
{
	struct stat st;
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (f->fd < 0) {
		say_error(f, errno);
		return;
	}
	int err = 0;
	if (fstat(f->fd, &st) < 0)
		err = errno;
	else if (S_ISDIR(st.st_mode))
		err = EISDIR;
	else if (at_end && !born_since_start(f->fd) && lseek(f->fd, 0, SEEK_END) < 0)
		err = errno;
	if (err) {
		say_error(f, err);
		close(f->fd);
		f->fd = -1;
		return;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->error = 0;
	watch_file(f);
}

/* One look at @f: what was appended, a roll (another file at the path: the rest of the old
 * one first), a cut (shorter than where we are: from its start again). */
static void look(struct followed *f, bool first)
{
	struct stat st;
	if (f->fd >= 0) {
		read_new(f);
		off_t at = lseek(f->fd, 0, SEEK_CUR);
		if (stat(f->path, &st) == 0 && (st.st_dev != f->dev || st.st_ino != f->ino)) {
			close_file(f);
		} else if (fstat(f->fd, &st) == 0 && at >= 0 && st.st_size < at) {
			flush_part(f);
			lseek(f->fd, 0, SEEK_SET);
			read_new(f); /* what was written since the cut: no event may come for it */
		}
	}
	if (f->fd < 0) {
		open_file(f, first);
		if (f->fd >= 0)
			read_new(f);
	}
}

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* SIGTERM, SIGINT and SIGHUP blocked but while waiting; @waiting gets the mask to wait with. */
static void catch_stop_signals(sigset_t *waiting)
{
	static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t stop;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(*stop_signals); i++)
		sigaddset(&stop, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stop, waiting);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(*stop_signals); i++) {
		sigdelset(waiting, stop_signals[i]);
		sigaction(stop_signals[i], &sa, NULL);
	}
}

static char *dir_of(const char *path)
{
	size_t size = strlen(path) + 2; /* "." for a name without a slash */
	char *dir = xmalloc(size);
	fs_parent(path, dir, size);
	return dir;
}

/* The command line: [--ready SOCKET] FILE...; the first FILE's index in @argv, or -1 (said). */
static int parse_args(int argc, char **argv, const char **ready)
{
	int first = 1;
	*ready = NULL;
	if (argc > 1 && strcmp(argv[1], "--ready") == 0) {
		if (argc < 3 || argv[2][0] == '\0') {
			cli_usage_error("%s: --ready needs a socket path", argv[0]);
			return -1;
		}
		*ready = argv[2];
		first = 3;
	}
	if (first >= argc) {
		cli_usage_error("%s needs at least one FILE", argv[0]);
		return -1;
	}
	for (int i = first; i < argc; i++) {
		if (argv[i][0] == '-' || argv[i][0] == '\0') {
			cli_usage_error("%s: '%s' is not a file name (the one option, --ready SOCKET, "
					"comes first)", argv[0], argv[i]);
			return -1;
		}
	}
	return first;
}

int qsfs_follow_main(const struct cli_opts *o, int argc, char **argv)
{
	(void)o;
	const char *ready_path;
	int first = parse_args(argc, argv, &ready_path);
	if (first < 0)
		return CLI_USAGE;
	note_start();
	sigset_t waiting;
	catch_stop_signals(&waiting);
	notify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	n_files = argc - first;
	files = xcalloc((size_t)n_files, sizeof(*files));
	for (int i = 0; i < n_files; i++) {
		struct followed *f = &files[i];
		*f = (struct followed){ .path = argv[first + i], .dir = dir_of(argv[first + i]),
					.fd = -1, .dir_wd = -1, .fd_wd = -1 };
		f->part = xmalloc(LINEBUF_MAX_LINE + 1);
		watch_dir(f);
		look(f, true);
	}
	/* every file has its start position: what is written from now on is shown */
	int rc = 0, ready_fd = ready_path ? ready_listen(ready_path) : -1;
	if (ready_path && ready_fd < 0) {
		fprintf(stderr, "zinit follow: ready socket %s: %s\n", ready_path, strerror(-ready_fd));
		stopping = rc = 1; /* never ready: zinit says so, and starts it again */
	}
	const struct timespec tick = { 0, FOLLOW_POLL_MS * 1000000L };
	struct pollfd p[2] = { { notify_fd, POLLIN, 0 }, { ready_fd, POLLIN, 0 } };
	while (!stopping) {
		if (ppoll(p, 2, all_watched() ? NULL : &tick, &waiting) > 0) {
			if (p[0].revents)
				read_events();
			if (p[1].revents)
				ready_accept_all(ready_fd);
		}
		for (int i = 0; i < n_files; i++) {
			watch_dir(&files[i]); /* a directory that appeared, or came back */
			look(&files[i], false); /* after a stop signal too: to the end of each file */
		}
	}
	ready_close(ready_fd, ready_path);
	for (int i = 0; i < n_files; i++) {
		if (files[i].fd >= 0)
			close_file(&files[i]);
		free(files[i].part);
		free(files[i].dir);
	}
	free(files);
	if (notify_fd >= 0)
		close(notify_fd);
	return rc;
}
