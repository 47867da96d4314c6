/* SPDX-License-Identifier: MIT */
/* Reads a child's stdout or stderr (pipe or pseudo-terminal) line by line into the ring and output. */
#include "logstream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "linebuf.h"
#include "list.h"
#include "logbus.h"
#include "log.h"
#include "output.h"
#include "xalloc.h"

struct logstream {
	uv_pipe_t pipe;
	struct linebuf lines;
	char *prefix;         /* "[+] TAG: " */
	size_t prefix_len;
	int out_fd;           /* 1 or 2 for `log: stdout`, 0 for the ring only */
	bool tty;             /* read from a pseudo-terminal, not a pipe */
	bool reading;
	uint64_t writer;      /* the caller's name for the process writing to it */
	bool writer_gone;     /* that process has exited: read on whatever the back-pressure */
	unsigned long dropped; /* its lines since then that the stuck output could not take */
	struct list_node link; /* in streams */
};

static uv_loop_t *loop;
static struct list_node streams = LIST_INIT(streams);
static int paused;
static void (*idle_cb)(void);
#define LOGSTREAM_PIPE_BYTES (1024 * 1024)

/* One read buffer for every stream: callbacks never overlap. */
static char read_buf[256 * 1024];

void logstream_init(uv_loop_t *l)
{
	loop = l;
}

/* One line: the prefix and the line go straight from the read buffer into the ring and the
 * output queue, one copy each (issue 12: no staging copy per line). A stream whose writer has
 * exited is read on while the output is stuck: its lines go to the output only while it holds
 * less than OUTPUT_ORPHAN_LIMIT, the others are counted (they are in the ring). */
static void on_line(void *ctx, const char *line, size_t len)
{
	struct logstream *s = ctx;
	logbus_push(s->prefix, s->prefix_len, line, len);
	if (!s->out_fd)
		return;
	if (!s->writer_gone)
		output_line2(s->out_fd, s->prefix, s->prefix_len, line, len);
	else if (!output_line2_bounded(s->out_fd, s->prefix, s->prefix_len, line, len))
		s->dropped++;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	*buf = uv_buf_init(read_buf, sizeof(read_buf));
}

static void on_closed(uv_handle_t *h)
{
	struct logstream *s = h->data;
	linebuf_free(&s->lines);
	free(s->prefix);
	free(s);
}

static void stream_close(struct logstream *s)
{
	linebuf_flush(&s->lines, on_line, s);
	if (s->dropped) /* the prefix is "[+] TAG: " */
		log_warn("%.*s: %lu lines of its output dropped from %s, stuck after it exited "
			 "(they went to the ring only)", (int)(s->prefix_len - 6), s->prefix + 4,
			 s->dropped, s->out_fd == 1 ? "stdout" : "stderr");
	if (s->out_fd)
		output_flush();
	list_unlink(&s->link);
	uv_close((uv_handle_t *)&s->pipe, on_closed);
	if (list_empty(&streams) && idle_cb) {
		void (*cb)(void) = idle_cb;
		idle_cb = NULL;
		cb();
	}
}

/*
 * What a pseudo-terminal still holds once its last writer has gone. libuv reports the end at
 * the hang-up as soon as a read came back shorter than its buffer, which for a pipe means
 * drained; a terminal hands out at most 4 KiB per read, so up to its whole buffer (64 KiB)
 * would be lost. Read until it says EIO (empty, no writer left), within a bound in case
 * someone reopened it.
 */
static void drain_tty(struct logstream *s)
{
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)&s->pipe, &fd) < 0)
		return;
	for (int i = 0; i < 256; i++) {
		ssize_t n = read(fd, read_buf, sizeof(read_buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		linebuf_feed(&s->lines, read_buf, (size_t)n, on_line, s);
	}
}

static void on_read(uv_stream_t *h, ssize_t nread, const uv_buf_t *buf)
{
	struct logstream *s = h->data;
	if (nread > 0) {
		linebuf_feed(&s->lines, buf->base, (size_t)nread, on_line, s);
		if (s->out_fd)
			output_flush();
	} else if (nread < 0) {
		if (s->tty)
			drain_tty(s);
		stream_close(s);
	}
}

static void set_reading(struct logstream *s, bool on)
{
	if (on && !s->reading)
		s->reading = uv_read_start((uv_stream_t *)&s->pipe, on_alloc, on_read) == 0;
	else if (!on && s->reading) {
		uv_read_stop((uv_stream_t *)&s->pipe);
		s->reading = false;
	}
}

static char *make_prefix(const char *tag, int stdfd, size_t *len)
{
	size_t n = strlen(tag) + 7;
	char *p = xmalloc(n);
	*len = (size_t)snprintf(p, n, "[%c] %s: ", stdfd == 1 ? '+' : '-', tag);
	return p;
}

/* A pipe grown to LOGSTREAM_PIPE_BYTES: a busy service's output is read in fewer, larger
 * reads (issue 12). Where the limits refuse it, the default pipe does. */
static int open_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	(void)fcntl(fds[0], F_SETPIPE_SZ, LOGSTREAM_PIPE_BYTES);
	return 0;
}

/* A pseudo-terminal in raw mode (no \r added, no echo): fds[0] the side zinit reads, fds[1]
 * the terminal the child writes to. Not made anyone's controlling terminal (O_NOCTTY). */
static int open_pty(int fds[2])
{
	int unlock = 0;
	struct termios t;
	fds[0] = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fds[0] < 0)
		return -errno;
	fds[1] = -1;
	if (ioctl(fds[0], TIOCSPTLCK, &unlock) == 0)
		fds[1] = ioctl(fds[0], TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fds[1] >= 0 && tcgetattr(fds[1], &t) == 0) {
		cfmakeraw(&t);
		if (tcsetattr(fds[1], TCSANOW, &t) == 0)
			return 0;
	}
	int err = -errno;
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return err;
}

/* A pseudo-terminal for @tty, else (or where none can be had) a pipe: 1 for a pseudo-terminal,
 * 0 for a pipe, or a negative errno. */
static int open_channel(const char *tag, bool tty, int fds[2])
{
	if (tty) {
		int r = open_pty(fds);
		if (r == 0)
			return 1;
		log_warn("%s: no pseudo-terminal for its stdout (%s): a pipe instead, which "
			 "programs using stdio write to in blocks", tag, strerror(-r));
	}
	return open_pipe(fds);
}

/* Whether @s is read now: a stream whose lines go to zinit's stdout waits while that is
 * congested; one kept in the ring only never does (its service must not block on a reader of
 * zinit's stdout it does not write to: its stop would hang until its SIGKILL), nor one whose
 * writer has exited (nobody to slow down: waiting would only keep its pipe and descriptor, one
 * more at each restart for as long as the output is stuck). */
static bool reading_wanted(const struct logstream *s)
{
	return !paused || !s->out_fd || s->writer_gone;
}

int logstream_open(const char *tag, int stdfd, enum unit_log mode, bool tty, uint64_t writer)
{
	if (mode == UNIT_LOG_NONE) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	int fds[2];
	int r = open_channel(tag, tty, fds);
	if (r < 0)
		return r;
	struct logstream *s = xcalloc(1, sizeof(*s));
	s->tty = r == 1;
	s->writer = writer;
	uv_pipe_init(loop, &s->pipe, 0);
	s->pipe.data = s;
	s->prefix = make_prefix(tag, stdfd, &s->prefix_len);
	r = uv_pipe_open(&s->pipe, fds[0]);
	if (r < 0) {
		close(fds[0]);
		close(fds[1]);
		uv_close((uv_handle_t *)&s->pipe, on_closed);
		return r;
	}
	s->out_fd = mode == UNIT_LOG_STDOUT ? stdfd : 0;
	list_push_front(&streams, &s->link);
	set_reading(s, reading_wanted(s));
	return fds[1];
}

void logstream_pause(int on)
{
	paused = on;
	struct list_node *pos;
	list_for_each(pos, &streams) {
		struct logstream *s = container_of(pos, struct logstream, link);
		set_reading(s, reading_wanted(s));
	}
}

void logstream_writer_gone(uint64_t writer)
{
	struct list_node *pos;
	list_for_each(pos, &streams) {
		struct logstream *s = container_of(pos, struct logstream, link);
		if (s->writer != writer || s->writer_gone)
			continue;
		s->writer_gone = true;
		set_reading(s, true);
	}
}

void logstream_on_idle(void (*cb)(void))
{
	idle_cb = cb;
	if (cb && list_empty(&streams)) {
		idle_cb = NULL;
		cb();
	}
}

void logstream_close_all(void)
{
	idle_cb = NULL;
	while (!list_empty(&streams))
		stream_close(container_of(streams.next, struct logstream, link));
}
