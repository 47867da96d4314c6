/* SPDX-License-Identifier: MIT */
/* `zinit follow FILE...`: the new lines of log files a program writes and rolls, on stdout. */
#include "qsfs/follow.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linebuf.h"
#include "procstat.h"
#include "qsfs/fsutil.h"
#include "xalloc.h"

struct followed {
	const char *path;
	int fd;          /* -1: not open (missing or unreadable) */
	dev_t dev;
	ino_t ino;
	char *part;      /* the last line read, still without its newline */
	size_t plen;
	int error;       /* the errno last said on stderr, 0 if none */
};

static void out(const char *data, size_t len)
{
	if (len && fs_write_all(STDOUT_FILENO, data, len) < 0)
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

static void close_file(struct followed *f)
{
	flush_part(f);
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
		}
	}
	if (f->fd < 0) {
		open_file(f, first);
		if (f->fd >= 0)
			read_new(f);
	}
}

int qsfs_follow_main(const struct cli_opts *o, int argc, char **argv)
{
	(void)o;
	if (argc < 2)
		return cli_usage_error("%s needs at least one FILE", argv[0]);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' || argv[i][0] == '\0')
			return cli_usage_error("%s: '%s' is not a file name (no options)", argv[0],
					       argv[i]);
	note_start();
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	int n = argc - 1;
	struct followed *files = xcalloc((size_t)n, sizeof(*files));
	for (int i = 0; i < n; i++) {
		files[i] = (struct followed){ .path = argv[i + 1], .fd = -1 };
		files[i].part = xmalloc(LINEBUF_MAX_LINE + 1);
		look(&files[i], true);
	}
	const struct timespec tick = { 0, FOLLOW_POLL_MS * 1000000L };
	int sig;
	do {
		sig = sigtimedwait(&stop, NULL, &tick);
		for (int i = 0; i < n; i++)
			look(&files[i], false); /* after a stop signal too: to the end of each file */
	} while (sig < 0);
	for (int i = 0; i < n; i++) {
		if (files[i].fd >= 0)
			close_file(&files[i]);
		free(files[i].part);
	}
	free(files);
	return 0;
}
