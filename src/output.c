/* SPDX-License-Identifier: MIT */
/* zinit's own stdout/stderr: whole lines, non-blocking, bounded, with back-pressure. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "xalloc.h"

struct outq {
	int fd;          /* the fd we write to (maybe a reopened copy of 1 or 2) */
	bool owned;      /* fd is our reopened copy */
	bool pollable;   /* can wait for POLLOUT on the loop */
	bool polling;
	uv_poll_t poll;
	size_t pipe_bytes; /* the capacity of the pipe we write to; 0 if it is not a big pipe */
	bool settling;     /* waiting on @settle instead of POLLOUT */
	uv_timer_t settle;
	char *buf;
	size_t off, len, cap; /* pending bytes are buf[off..len) */
	unsigned long dropped;
};

static struct outq queues[2] = { { .fd = 1 }, { .fd = 2 } };
/* fds 1 and 2 are one pipe or terminal (`2>&1`, `docker run -t`): both streams share the first
 * queue, else a write of one after a short write of the other would land inside a line */
static bool merged;
static bool active;
static bool was_congested;
static output_pressure_fn pressure_cb;

static struct outq *queue_of(int fd)
{
	return &queues[fd == 2 && !merged ? 1 : 0];
}

static size_t pending(const struct outq *q)
{
	return q->len - q->off;
}

static void reserve(struct outq *q, size_t n)
{
	if (q->off > 0 && q->off == q->len)
		q->off = q->len = 0;
	if (q->len + n <= q->cap)
		return;
	if (q->off > 0) {
		memmove(q->buf, q->buf + q->off, q->len - q->off);
		q->len -= q->off;
		q->off = 0;
	}
	size_t cap = q->cap ? q->cap : 64 * 1024;
	while (cap < q->len + n)
		cap *= 2;
	q->buf = xrealloc(q->buf, cap);
	q->cap = cap;
}

/* Queues @pre (may be empty) and @line as one line: one copy, straight into the queue. */
static void append2(struct outq *q, const char *pre, size_t plen, const char *line, size_t len)
{
	reserve(q, plen + len + 1);
	if (plen)
		memcpy(q->buf + q->len, pre, plen);
	memcpy(q->buf + q->len + plen, line, len);
	q->buf[q->len + plen + len] = '\n';
	q->len += plen + len + 1;
}

static void append(struct outq *q, const char *line, size_t len)
{
	append2(q, NULL, 0, line, len);
}

static void on_writable(uv_poll_t *h, int status, int events);

/* Writes what @q holds; returns -EAGAIN when the fd is full, 0 when empty or on error. A short
 * write to a pollable fd (a pipe, a terminal) means that it is full now: no second write only
 * to get EAGAIN. */
static int drain_queue(struct outq *q)
{
	while (pending(q) > 0) {
		size_t want = pending(q);
		ssize_t n = write(q->fd, q->buf + q->off, want);
		if (n > 0) {
			q->off += (size_t)n;
			if ((size_t)n < want && q->pollable && active)
				return -EAGAIN;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			return -EAGAIN;
		} else {
			q->off = q->len; /* the reader is gone: nothing more can be written */
			return 0;
		}
	}
	q->off = q->len = 0;
	return 0;
}

static void update_pressure(void)
{
	bool now = output_congested();
	if (now != was_congested) {
		was_congested = now;
		if (pressure_cb)
			pressure_cb(now);
	}
}

/* Says how many of zinit's messages were dropped while the output was stuck. */
static void dropped_note(struct outq *q)
{
	if (q->dropped == 0)
		return;
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "zinit: WARN %lu zinit messages dropped: output was stuck",
			 q->dropped);
	append(q, msg, (size_t)n);
	q->dropped = 0;
}

static void flush_queue(struct outq *q)
{
	int r = drain_queue(q);
	if (r == 0 && q->dropped) { /* the output moves again: the count goes out now */
		dropped_note(q);
		r = drain_queue(q);
	}
	if (!active || !q->pollable)
		return;
	if (r == -EAGAIN && !q->polling && !q->settling) {
		q->polling = uv_poll_start(&q->poll, UV_WRITABLE, on_writable) == 0;
	} else if (r == 0 && q->polling) {
		uv_poll_stop(&q->poll);
		q->polling = false;
	}
}

/*
 * A reader that takes a page at a time from a full pipe (Docker's shim reads 4 KiB per call)
 * wakes a POLLOUT waiter at every page: one wake-up and one small write per 4 KiB, most of
 * zinit's CPU under `docker logs`. So when a big pipe wakes us with less than
 * OUTPUT_SETTLE_ROOM free, we look again OUTPUT_SETTLE_MS later and write what has been read
 * by then in one go. The pipe still holds hundreds of KiB for its reader meanwhile, and a
 * reader that takes nothing never wakes us: no timer runs until the pipe has room.
 */
#define OUTPUT_SETTLE_ROOM (64 * 1024)
#define OUTPUT_SETTLE_MS 1
#define OUTPUT_SETTLE_PIPE (512 * 1024) /* the smallest pipe worth it */

static size_t pipe_room(const struct outq *q)
{
	int used = 0;
	if (ioctl(q->fd, FIONREAD, &used) < 0 || used < 0 || (size_t)used > q->pipe_bytes)
		return q->pipe_bytes;
	return q->pipe_bytes - (size_t)used;
}

static void on_settled(uv_timer_t *t)
{
	struct outq *q = t->data;
	q->settling = false;
	flush_queue(q);
	update_pressure();
}

static void on_writable(uv_poll_t *h, int status, int events)
{
	(void)events;
	struct outq *q = h->data;
	if (status == 0 && q->pipe_bytes && pipe_room(q) < OUTPUT_SETTLE_ROOM) {
		uv_poll_stop(&q->poll);
		q->polling = false;
		q->settling = uv_timer_start(&q->settle, on_settled, OUTPUT_SETTLE_MS, 0) == 0;
		if (q->settling)
			return;
	}
	flush_queue(q);
	update_pressure();
}

/* Writes what is queued, unless the fd was full at the last try: then POLLOUT or the settle
 * timer will (a write now would only get EAGAIN, or take one page). */
static void flush_unless_waiting(struct outq *q)
{
	if (!q->polling && !q->settling)
		flush_queue(q);
}

void output_flush(void)
{
	flush_unless_waiting(&queues[0]);
	flush_unless_waiting(&queues[1]);
	update_pressure();
}

void output_line2(int fd, const char *pre, size_t plen, const char *line, size_t len)
{
	append2(queue_of(fd), pre, plen, line, len);
	if (!active)
		drain_queue(queue_of(fd));
}

bool output_line2_bounded(int fd, const char *pre, size_t plen, const char *line, size_t len)
{
	if (pending(queue_of(fd)) > OUTPUT_ORPHAN_LIMIT)
		return false;
	output_line2(fd, pre, plen, line, len);
	return true;
}

void output_line(int fd, const char *line, size_t len)
{
	output_line2(fd, NULL, 0, line, len);
}

void output_note(int fd, const char *line, size_t len)
{
	struct outq *q = queue_of(fd);
	if (pending(q) > OUTPUT_NOTES_LIMIT) {
		q->dropped++;
		return;
	}
	output_line(fd, line, len);
	output_flush();
}

bool output_congested(void)
{
	return pending(&queues[0]) >= OUTPUT_HIGH_WATER || pending(&queues[1]) >= OUTPUT_HIGH_WATER;
}

/* A descriptor of our own for @fd, so that O_NONBLOCK stays ours; -1 if none can be had. */
#define OUTPUT_PIPE_BYTES (1024 * 1024)

static int reopen_nonblocking(int fd)
{
	char path[32];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
}

static void setup_queue(uv_loop_t *loop, struct outq *q)
{
	struct stat st;
	if (fstat(q->fd, &st) < 0 || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
		return; /* a file never blocks: plain writes */
	int fd = -1;
	if (S_ISFIFO(st.st_mode)) /* docker's log pipe: fewer, larger writes (best effort) */
		(void)fcntl(q->fd, F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))
		fd = reopen_nonblocking(q->fd);
	if (fd >= 0) {
		q->owned = true;
		q->fd = fd;
	} else {
		fcntl(q->fd, F_SETFL, fcntl(q->fd, F_GETFL) | O_NONBLOCK);
	}
	if (uv_poll_init(loop, &q->poll, q->fd) == 0) {
		q->pollable = true;
		q->poll.data = q;
		uv_unref((uv_handle_t *)&q->poll);
		int size = S_ISFIFO(st.st_mode) ? fcntl(q->fd, F_GETPIPE_SZ) : -1;
		if (size >= OUTPUT_SETTLE_PIPE && uv_timer_init(loop, &q->settle) == 0) {
			q->pipe_bytes = (size_t)size;
			q->settle.data = q;
			uv_unref((uv_handle_t *)&q->settle);
		}
	} else {
		/* not pollable (e.g. /dev/null): writes there never block */
		fcntl(q->fd, F_SETFL, fcntl(q->fd, F_GETFL) & ~O_NONBLOCK);
	}
}

/* Whether fds 1 and 2 are the same pipe or terminal. A regular file is written with blocking
 * writes, whole, so two queues cannot cut each other's lines there. */
static bool same_stream(void)
{
	struct stat out, err;
	return fstat(1, &out) == 0 && fstat(2, &err) == 0 && !S_ISREG(out.st_mode) &&
	       out.st_dev == err.st_dev && out.st_ino == err.st_ino;
}

void output_init(uv_loop_t *loop, output_pressure_fn on_pressure)
{
	pressure_cb = on_pressure;
	merged = same_stream();
	setup_queue(loop, &queues[0]);
	if (!merged)
		setup_queue(loop, &queues[1]);
	active = true;
}

/* Blocking flush with a deadline, for the way out. */
static void drain_with_deadline(struct outq *q, int64_t deadline)
{
	while (drain_queue(q) == -EAGAIN) {
		int64_t left = deadline - monotonic_ms();
		if (left <= 0)
			break;
		struct pollfd p = { .fd = q->fd, .events = POLLOUT };
		poll(&p, 1, (int)left);
	}
}

/* Says on the other stream (best effort, never blocking) what @q could not write. */
static void lost_note(const struct outq *q, int i)
{
	size_t left = q->len - q->off;
	if (left == 0)
		return;
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "zinit: WARN %zu bytes of output not written to %s: "
			 "nobody read it before the exit deadline\n", left, i ? "stderr" : "stdout");
	int other = queues[1 - i].fd;
	int fl = fcntl(other, F_GETFL);
	if (fl >= 0 && fcntl(other, F_SETFL, fl | O_NONBLOCK) == 0) {
		ssize_t w = write(other, msg, (size_t)n);
		(void)w;
		fcntl(other, F_SETFL, fl);
	}
}

void output_close(int timeout_ms)
{
	int64_t deadline = monotonic_ms() + timeout_ms;
	for (int i = 0; i < 2; i++) {
		struct outq *q = &queues[i];
		dropped_note(q);
		drain_with_deadline(q, deadline);
		lost_note(q, i);
		if (q->pollable)
			uv_close((uv_handle_t *)&q->poll, NULL);
		if (q->pipe_bytes)
			uv_close((uv_handle_t *)&q->settle, NULL);
		q->pollable = q->polling = q->settling = false;
		q->pipe_bytes = 0;
		if (q->owned)
			close(q->fd);
		q->fd = i + 1;
		q->owned = false;
		free(q->buf);
		q->buf = NULL;
		q->off = q->len = q->cap = 0;
	}
	active = false;
	merged = false;
	was_congested = false;
}
