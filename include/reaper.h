/* SPDX-License-Identifier: MIT */
/* The only waitpid() in zinit: reaps every child on SIGCHLD and hands exits to their owners. */
#ifndef ZINIT_REAPER_H
#define ZINIT_REAPER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <uv.h>

/* Receives the wait status of a watched pid. The pid is no longer watched when this runs. */
typedef void (*reaper_fn)(void *owner, pid_t pid, int status);

/**
 * reaper_init() - watch SIGCHLD on @loop. When zinit is not PID 1 it becomes a child
 * subreaper, so orphans of its services are re-parented to it and reaped the same way.
 * Return: 0 or a negative errno.
 */
int reaper_init(uv_loop_t *loop);

/** reaper_close() - stop watching SIGCHLD and forget every pid. */
void reaper_close(void);

/** reaper_watch() - send the exit of @pid to @fn(@owner, ...). Call right after fork. */
void reaper_watch(pid_t pid, reaper_fn fn, void *owner);

/** reaper_unwatch() - forget @pid: its exit will be reaped as an orphan's. */
void reaper_unwatch(pid_t pid);

/** reaper_reap() - reap every child that has exited now (also run on each SIGCHLD). */
void reaper_reap(void);

/** reaper_set_idle_cb() - @cb runs after a reap pass that finds no child left at all. */
void reaper_set_idle_cb(void (*cb)(void));

#endif
