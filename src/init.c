/* SPDX-License-Identifier: MIT */
/* `zinit init`, the composition root: sets up the loop and every module, runs, tears down. */
#include "init.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include <uv.h>

#include "child.h"
#include "ctl_methods.h"
#include "ctl_server.h"
#include "log.h"
#include "logbus.h"
#include "logstream.h"
#include "output.h"
#include "procstat.h"
#include "reaper.h"
#include "signame.h"
#include "spawn.h"
#include "supervisor.h"

/* What `docker stop` gives a container before its SIGKILL, unless told otherwise. */
#define DOCKER_STOP_GRACE_S 10

/* After the drain: leftovers get SIGTERM, then SIGKILL until none is left, then exit. */
enum final_phase { FINAL_NONE, FINAL_TERM, FINAL_KILL, FINAL_DONE };

static struct {
	uv_loop_t loop;
	uv_signal_t signals[3];
	uv_timer_t final_timer;
	enum final_phase final;
	bool streams_read;   /* at the exit: every service pipe read to its end */
	uint64_t drain_start_ms;
	uint64_t exit_deadline_ms; /* set once every process is gone: one budget for the way out */
} init;

static uint64_t now_ms(void)
{
	return uv_now(&init.loop);
}

static void on_signal(uv_signal_t *h, int signum)
{
	(void)h;
	if (supervisor_drain(signame_name(signum)) < 0)
		log_info("%s received: the drain is already under way (each service is bounded by "
			 "its shutdown_timeout)", signame_name(signum));
}

/* ---- after the drain ------------------------------------------------------------------- */

/*
 * Signals the processes left over below zinit once every service is down (re-parented
 * orphans, daemons that left their group, their children); returns how many. Processes
 * already dying (zombies, SIGKILL pending: killed tests, killed groups) are not leftovers.
 * As PID 1 every process of the namespace descends from zinit.
 */
static int signal_leftovers(int sig)
{
	pid_t *pids;
	size_t n = procstat_descendants(getpid(), false, &pids);
	int count = 0;
	for (size_t i = 0; i < n; i++)
		if (!procstat_dying(pids[i]) && kill(pids[i], sig) == 0)
			count++;
	free(pids);
	return count;
}

static void stop_loop(void)
{
	uv_stop(&init.loop);
}

static void on_flush_timeout(uv_timer_t *t)
{
	(void)t;
	if (init.streams_read)
		log_warn("log followers did not read their last lines within %dms: disconnected",
			 INIT_FLUSH_MS);
	else
		log_warn("output of exited services still unread after %dms: closing their pipes",
			 INIT_FLUSH_MS);
	stop_loop();
}

/* Every line is in the ring: the followers get theirs, then EOF (within the same bound). */
static void on_streams_read(void)
{
	init.streams_read = true;
	ctl_server_end_followers(stop_loop);
}

/* Every process is gone: read their pipes to the end (output keeps flowing), write the log
 * followers what they are owed, then stop; all within INIT_FLUSH_MS. */
static void finish(void)
{
	init.final = FINAL_DONE;
	reaper_set_idle_cb(NULL);
	log_info("drain complete in %.2fs: exiting with status %d",
		 (double)(now_ms() - init.drain_start_ms) / 1000.0, supervisor_exit_status());
	init.exit_deadline_ms = now_ms() + INIT_FLUSH_MS;
	uv_timer_start(&init.final_timer, on_flush_timeout, INIT_FLUSH_MS, 0);
	logstream_on_idle(on_streams_read);
}

static void on_final_timer(uv_timer_t *t)
{
	init.final = FINAL_KILL;
	int n = signal_leftovers(SIGKILL);
	if (n > 0)
		log_warn("%d leftover processes still running: SIGKILL", n);
	uv_timer_start(t, on_final_timer, 200, 0); /* re-parented stragglers, until none is left */
}

/* Every service is down: the leftovers, then the exit. */
static void on_drained(uint64_t drain_start_ms)
{
	init.drain_start_ms = drain_start_ms;
	init.final = FINAL_TERM;
	reaper_set_idle_cb(finish);
	reaper_reap();
	if (init.final == FINAL_DONE)
		return; /* nothing left at all */
	int n = signal_leftovers(SIGTERM);
	if (n > 0)
		log_info("sending SIGTERM to %d leftover processes; SIGKILL in %dms", n,
			 INIT_LEFTOVER_GRACE_MS);
	/* dying processes are reaped as they go; the timer catches whatever stays */
	uv_timer_start(&init.final_timer, on_final_timer, INIT_LEFTOVER_GRACE_MS, 0);
}

/* ---- set-up and tear-down -------------------------------------------------------------- */

static void on_output_pressure(bool congested)
{
	logstream_pause(congested);
}

static int setup(const struct init_opts *opts)
{
	int r = uv_loop_init(&init.loop);
	if (r < 0)
		return r;
	signal(SIGPIPE, SIG_IGN); /* writes to a closed reader fail with EPIPE instead */
	sigset_t none; /* a mask inherited from the launcher would hold SIGCHLD and SIGTERM for good */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	spawn_raise_fd_limit();
	output_init(&init.loop, on_output_pressure);
	r = reaper_init(&init.loop);
	if (r < 0)
		return r;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++) {
		uv_signal_init(&init.loop, &init.signals[i]);
		r = uv_signal_start(&init.signals[i], on_signal, sigs[i]);
		if (r < 0)
			return r;
	}
	uv_timer_init(&init.loop, &init.final_timer);
	logbus_init(opts->ring_lines, opts->ring_bytes);
	logstream_init(&init.loop);
	child_init(&init.loop);
	struct supervisor_opts sopts = { opts->config_dir, on_drained };
	supervisor_init(&init.loop, &sopts);
	return 0;
}

static void close_handle(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void teardown(void)
{
	ctl_server_close();
	child_close_all();
	logstream_close_all();
	/* What is left of the INIT_FLUSH_MS after the services' pipes were read: a stuck stdout
	 * delays the exit once, not twice. */
	uint64_t now = now_ms();
	output_close(!init.exit_deadline_ms ? INIT_FLUSH_MS :
		     init.exit_deadline_ms > now ? (int)(init.exit_deadline_ms - now) : 0);
	reaper_close();
	spawn_free();
	uv_walk(&init.loop, close_handle, NULL);
	uv_run(&init.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&init.loop) != 0)
		fprintf(stderr, "zinit: WARN event loop closed with handles still open\n");
	supervisor_free();
	logbus_close();
}

static void power_off(bool reboot_requested)
{
	sync();
	if (getpid() != 1)
		return;
	reboot(reboot_requested ? RB_AUTOBOOT : RB_POWER_OFF);
	fprintf(stdout, "zinit: ERROR %s failed: %s; exiting instead\n",
		reboot_requested ? "reboot" : "power off", strerror(errno));
}

int init_run(const struct init_opts *opts)
{
	int r = setup(opts);
	if (r < 0) {
		log_error("cannot set up the event loop: %s", uv_strerror(r));
		return 2;
	}
	char why[512];
	if (ctl_server_start(&init.loop, opts->socket, ctl_methods, ctl_methods_count, why,
			     sizeof(why)) < 0) {
		fprintf(stderr, "zinit: %s\n", why);
		teardown();
		return 2;
	}
	supervisor_load();
	uint64_t bound = supervisor_drain_bound_s();
	if (opts->container && bound > DOCKER_STOP_GRACE_S)
		log_info("a drain may take up to %llus (the shutdown_timeouts of the longest "
			 "dependency chain): give the container that much grace to stop "
			 "(docker stop -t %llu, compose stop_grace_period), Docker's default is %ds",
			 (unsigned long long)bound, (unsigned long long)bound, DOCKER_STOP_GRACE_S);
	uv_run(&init.loop, UV_RUN_DEFAULT);
	int status = supervisor_exit_status();
	bool reboot_requested = supervisor_reboot_requested();
	teardown();
	if (!opts->container)
		power_off(reboot_requested);
	return status;
}
