/* SPDX-License-Identifier: MIT */
/* One child process of the daemon: spawned, watched by the reaper, its output logged, timed. */
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "list.h"
#include "log.h"
#include "logstream.h"
#include "reaper.h"
#include "spawn.h"
#include "xalloc.h"

struct child {
	pid_t pid;
	child_exit_fn on_exit;
	child_timeout_fn on_timeout;
	void *ctx;
	bool timed_out;
	uint64_t writer;        /* its log streams' name for it (logstream_writer_gone()) */
	uv_timer_t *timer;      /* the timeout, NULL when none (allocated apart: most have none) */
	struct list_node link;  /* in children until it ends or is abandoned */
	char tag[];
};

static uv_loop_t *loop;
static struct list_node children = LIST_INIT(children);
static uint64_t writers; /* the last writer number given to a child's log streams */

void child_init(uv_loop_t *l)
{
	loop = l;
}

void child_signal_group(pid_t pid, int sig)
{
	if (pid > 0 && kill(-pid, sig) < 0 && errno == ESRCH)
		kill(pid, sig);
}

/* "x failed to start: exec /nonexistent: No such file or directory" */
static void log_spawn_error(const char *tag, const struct spawn_error *why)
{
	log_error("%s failed to start: %s %s: %s", tag, why->step, why->subject,
		  strerror(why->err));
}

static void on_timer_closed(uv_handle_t *h)
{
	free(h);
}

/* Unlinks and frees @c; its timer, closed, is freed by the loop. Its log streams are read to
 * their end from now on, whatever zinit's output does (it is gone, or killed and abandoned). */
static void child_free(struct child *c)
{
	logstream_writer_gone(c->writer);
	list_unlink(&c->link);
	if (c->timer)
		uv_close((uv_handle_t *)c->timer, on_timer_closed);
	free(c);
}

static void finish(struct child *c, const struct child_exit *ex)
{
	child_exit_fn fn = c->on_exit;
	void *ctx = c->ctx;
	child_free(c);
	fn(ctx, ex);
}

static void on_reaped(void *owner, pid_t pid, int status)
{
	struct child *c = owner;
	struct child_exit ex = { pid, status, true, c->timed_out };
	finish(c, &ex);
}

static struct child *find(pid_t pid)
{
	struct list_node *pos;
	list_for_each(pos, &children) {
		struct child *c = container_of(pos, struct child, link);
		if (c->pid == pid)
			return c;
	}
	return NULL;
}

/* A child of a spawn batch could not chdir or exec after all: it exits 127, unwatched. */
static void on_spawn_failed(void *owner, pid_t pid, const struct spawn_error *why)
{
	(void)owner;
	reaper_unwatch(pid);
	struct child *c = find(pid);
	if (!c)
		return; /* abandoned meanwhile (a test stopped by its service's own failure) */
	log_spawn_error(c->tag, why);
	struct child_exit ex = { pid, 0, false, false };
	finish(c, &ex);
}

static void on_timeout(uv_timer_t *t)
{
	struct child *c = t->data;
	c->timed_out = true;
	if (c->on_timeout)
		c->on_timeout(c->ctx, c->pid);
	child_signal_group(c->pid, SIGKILL); /* its exit arrives through on_reaped */
}

static struct child *child_new(const struct child_opts *o, pid_t pid, uint64_t writer)
{
	size_t taglen = strlen(o->tag) + 1;
	struct child *c = xcalloc(1, sizeof(*c) + taglen);
	memcpy(c->tag, o->tag, taglen);
	c->pid = pid;
	c->writer = writer;
	c->on_exit = o->on_exit;
	c->on_timeout = o->on_timeout;
	c->ctx = o->ctx;
	list_push_front(&children, &c->link);
	if (o->timeout_ms > 0) {
		c->timer = xmalloc(sizeof(*c->timer));
		uv_timer_init(loop, c->timer);
		c->timer->data = c;
		uv_timer_start(c->timer, on_timeout, o->timeout_ms, 0);
	}
	return c;
}

pid_t child_start(const struct child_opts *o, struct child **handle)
{
	uint64_t writer = ++writers;
	int out = logstream_open(o->tag, 1, o->log, o->tty, writer);
	int err = out >= 0 ? logstream_open(o->tag, 2, o->log, false, writer) : out;
	pid_t pid = err;
	struct spawn_error why = { "pipe", o->argv[0], -err };
	if (err >= 0) {
		struct spawn_req req = { o->argv, o->envp, o->dir, out, err, on_spawn_failed, NULL };
		pid = spawn_start(&req, &why);
	}
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	if (pid < 0) {
		logstream_writer_gone(writer);
		log_spawn_error(o->tag, &why);
		return pid;
	}
	struct child *c = child_new(o, pid, writer);
	reaper_watch(pid, on_reaped, c);
	if (handle)
		*handle = c;
	return pid;
}

void child_abandon(struct child *c)
{
	child_signal_group(c->pid, SIGKILL);
	reaper_unwatch(c->pid); /* reaped as an orphan from now on */
	child_free(c);
}

void child_close_all(void)
{
	while (!list_empty(&children)) {
		struct child *c = container_of(children.next, struct child, link);
		reaper_unwatch(c->pid);
		child_free(c);
	}
}
