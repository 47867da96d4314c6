/* SPDX-License-Identifier: MIT */
/* The only waitpid() in zinit: reaps every child on SIGCHLD and hands exits to their owners. */
#include "reaper.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

/* pid -> owner, an open-addressing table; pid 0 marks an empty slot, -1 a deleted one. */
struct watch {
	pid_t pid;
	reaper_fn fn;
	void *owner;
};

static struct watch *table;
static size_t table_cap;  /* a power of two */
static size_t table_used; /* live + deleted slots */
static size_t table_live;
static uv_signal_t sigchld;
static uv_check_t reap_check; /* one reap pass per loop iteration, however many SIGCHLDs */
static void (*idle_cb)(void);

static size_t slot_of(pid_t pid)
{
	return ((size_t)pid * 2654435761u) & (table_cap - 1);
}

static struct watch *lookup(pid_t pid)
{
	if (table_cap == 0)
		return NULL;
	for (size_t i = slot_of(pid), n = 0; n < table_cap; i = (i + 1) & (table_cap - 1), n++) {
		if (table[i].pid == pid)
			return &table[i];
		if (table[i].pid == 0)
			return NULL;
	}
	return NULL;
}

static void insert(pid_t pid, reaper_fn fn, void *owner)
{
	size_t i = slot_of(pid);
	while (table[i].pid > 0)
		i = (i + 1) & (table_cap - 1);
	if (table[i].pid == 0)
		table_used++;
	table_live++;
	table[i] = (struct watch){ pid, fn, owner };
}

static void grow(void)
{
	struct watch *old = table;
	size_t old_cap = table_cap;
	/* rehash in place when deleted slots, not live ones, filled the table */
	if (table_cap == 0 || table_live * 4 >= table_cap)
		table_cap = table_cap ? table_cap * 2 : 64;
	table = xcalloc(table_cap, sizeof(*table));
	table_used = table_live = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].pid > 0)
			insert(old[i].pid, old[i].fn, old[i].owner);
	free(old);
}

void reaper_watch(pid_t pid, reaper_fn fn, void *owner)
{
	if ((table_used + 1) * 2 > table_cap)
		grow();
	insert(pid, fn, owner);
}

void reaper_unwatch(pid_t pid)
{
	struct watch *w = lookup(pid);
	if (w) {
		w->pid = -1;
		table_live--;
	}
}

static void dispatch(pid_t pid, int status)
{
	struct watch *w = lookup(pid);
	if (!w) {
		log_debug("reaped orphan %d", (int)pid);
		return;
	}
	struct watch copy = *w;
	w->pid = -1;
	table_live--;
	copy.fn(copy.owner, pid, status);
}

void reaper_reap(void)
{
	bool children;
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			dispatch(pid, status);
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		children = pid == 0;
		break;
	}
	if (!children && idle_cb)
		idle_cb();
}

static void on_reap_check(uv_check_t *h)
{
	uv_check_stop(h);
	reaper_reap();
}

/*
 * libuv calls this once per SIGCHLD it read from its signal pipe: 10,000 exiting orphans
 * mean thousands of calls in one iteration, and every waitpid(-1) walks all our children.
 * So only note it here; the check phase, right after the signals are dispatched, reaps.
 */
static void on_sigchld(uv_signal_t *h, int signum)
{
	(void)h;
	(void)signum;
	uv_check_start(&reap_check, on_reap_check);
}

int reaper_init(uv_loop_t *loop)
{
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		log_warn("cannot become a child subreaper: orphans will not be reaped");
	uv_check_init(loop, &reap_check);
	int r = uv_signal_init(loop, &sigchld);
	if (r == 0)
		r = uv_signal_start(&sigchld, on_sigchld, SIGCHLD);
	if (r == 0)
		uv_unref((uv_handle_t *)&sigchld);
	return r;
}

void reaper_close(void)
{
	uv_close((uv_handle_t *)&sigchld, NULL);
	uv_close((uv_handle_t *)&reap_check, NULL);
	free(table);
	table = NULL;
	table_cap = table_used = table_live = 0;
	idle_cb = NULL;
}

void reaper_set_idle_cb(void (*cb)(void))
{
	idle_cb = cb;
}
