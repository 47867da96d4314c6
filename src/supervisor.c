/* SPDX-License-Identifier: MIT */
/* The service engine: the services and their graph; starts, tests, restarts and drains them. */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uv.h>

#include "child.h"
#include "cmdline.h"
#include "config.h"
#include "env.h"
#include "graph.h"
#include "log.h"
#include "readfile.h"
#include "service.h"
#include "signame.h"
#include "spawn.h"
#include "strbuf.h"
#include "xalloc.h"

extern char **environ;

struct service {
	struct unit *unit;
	struct svc fsm;
	int node;               /* graph id */
	uv_timer_t timer;       /* restart backoff, or SIGKILL after the stop signal */
	uv_timer_t test_timer;  /* test retry */
	struct child *test;     /* the test running, NULL when none */
	unsigned test_attempt;
	uint64_t stop_ms;       /* when the stop signal was sent */
	bool drain_stop;        /* ... by the drain: how it ends counts in zinit's exit status */
	bool lingering;         /* stopping: its main process exited, others of its group live */
	int linger_status;      /* ... and the main process's wait status */
	uint64_t linger_ms;     /* ... since then; said in the log once it is LINGER_POLL_MS */
	bool linger_said;
	struct waiter *waiters; /* told when the process has exited (stop, restart) */
	size_t nwaiters;
	int open_handles;       /* timers not yet closed, once forgotten */
};

struct waiter {
	sup_done_fn fn;
	void *ctx;
	bool restart;           /* start the service again before telling */
};

static struct {
	uv_loop_t *loop;
	struct supervisor_opts opts;
	struct config cfg;
	struct graph *graph;
	struct service **by_node; /* graph id -> service */
	int *order;               /* start order (graph ids) */
	size_t norder;
	struct env base_env;
	uv_idle_t kick;
	uv_timer_t linger_timer;  /* looks whether lingering groups are gone yet */
	uint64_t linger_poll_ms;  /* ... in this long (doubling up to LINGER_POLL_MS) */
	bool draining;
	bool drained;             /* every service is down after the drain began */
	bool reboot;
	uint64_t drain_start_ms;
	int exit_status;
	char **cycles;            /* the cycles reported so far: each is reported once */
	size_t ncycles;
} sup;

static void apply(struct service *s, enum svc_event ev, pid_t pid, int status);
static void notify_waiters(struct service *s);

static uint64_t now_ms(void)
{
	return uv_now(sup.loop);
}

static void on_kick(uv_idle_t *h);

/* Asks for one evaluation pass over every service once the current callback returns. */
static void supervisor_kick(void)
{
	uv_idle_start(&sup.kick, on_kick);
}

static const char *name_of(const struct service *s)
{
	return s->unit->name;
}

static const char *signal_name(int sig)
{
	const char *n = signame_name(sig);
	return n ? n : "signal";
}

/* "exit status 3" / "exit status 143 (128 + SIGTERM)" / "killed by SIGKILL" */
static void describe_status(int status, char *buf, size_t len)
{
	int code = WEXITSTATUS(status);
	const char *answered = code > 128 ? signame_name(code - 128) : NULL;
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s", signal_name(WTERMSIG(status)));
	else if (answered) /* a shell's (or zdb's) answer to a signal */
		snprintf(buf, len, "exit status %d (128 + %s)", code, answered);
	else
		snprintf(buf, len, "exit status %d", code);
}

/* ---- processes ------------------------------------------------------------------------- */

/* The environment of a child: zinit's, then /etc/environment, then the unit's env. */
static void child_env(const struct unit *u, struct env *e)
{
	env_copy(e, &sup.base_env);
	for (size_t i = 0; i < u->nenv; i++)
		env_set(e, u->env[i].key, u->env[i].value);
}

/*
 * Starts @cmd of @s's unit as a child described by @o (tag, callbacks, timeout), with the
 * unit's environment, directory and log mode. Returns the pid, or a negative errno once the
 * reason (a command that does not parse, a failed chdir or exec, no fork) is logged. In a
 * start pass a late exec failure arrives through o->on_exit.
 */
static pid_t start_command(struct service *s, const char *cmd, struct child_opts *o,
			   struct child **handle)
{
	const struct unit *u = s->unit;
	char **argv = NULL;
	size_t argc = 0;
	int split = cmdline_split(cmd, &argv, &argc);
	const char *problem = cmdline_problem(split, argc);
	if (problem) {
		log_error("%s failed to start: %s: %s", o->tag, problem, cmd);
		cmdline_free(argv);
		return -EINVAL;
	}
	struct env e;
	child_env(u, &e);
	char *dir = config_work_dir(sup.opts.config_dir, u->dir);
	o->argv = argv;
	o->envp = e.vars;
	o->dir = dir;
	o->log = u->log;
	o->ctx = s;
	pid_t pid = child_start(o, handle);
	free(dir);
	env_free(&e);
	cmdline_free(argv);
	return pid;
}

/* ---- tests ----------------------------------------------------------------------------- */

static void on_test_exit(void *ctx, const struct child_exit *ex);

static void test_stop(struct service *s)
{
	uv_timer_stop(&s->test_timer);
	if (s->test) {
		child_abandon(s->test); /* SIGKILL; reaped as an orphan from now on */
		s->test = NULL;
	}
}

static void on_test_timer(uv_timer_t *t);

static void test_retry_later(struct service *s)
{
	uv_timer_start(&s->test_timer, on_test_timer, svc_test_retry_ms(s->test_attempt++), 0);
}

static void on_test_timeout(void *ctx, pid_t pid)
{
	(void)pid;
	log_warn("%s/test still running after %ds: killed, counted as a failure",
		 name_of((struct service *)ctx), SVC_TEST_TIMEOUT_MS / 1000);
}

static void test_start(struct service *s)
{
	char tag[300];
	snprintf(tag, sizeof(tag), "%s/test", name_of(s));
	struct child_opts o = { .tag = tag, .on_exit = on_test_exit,
				.timeout_ms = SVC_TEST_TIMEOUT_MS, .on_timeout = on_test_timeout };
	if (start_command(s, s->unit->test, &o, &s->test) < 0) {
		apply(s, SVC_EV_TEST_UNSPAWNABLE, 0, 0);
		test_retry_later(s);
	}
}

static void on_test_timer(uv_timer_t *t)
{
	test_start(t->data);
}

static void on_test_exit(void *ctx, const struct child_exit *ex)
{
	struct service *s = ctx;
	s->test = NULL;
	if (!ex->started) {
		apply(s, SVC_EV_TEST_UNSPAWNABLE, 0, 0);
		test_retry_later(s);
	} else if (WIFEXITED(ex->status) && WEXITSTATUS(ex->status) == 0) {
		s->test_attempt = 0;
		log_info("%s is ready: its test passed", name_of(s));
		apply(s, SVC_EV_TEST_PASSED, 0, 0);
	} else if (svc_alive(&s->fsm)) {
		test_retry_later(s);
	}
}

/* ---- the main process ------------------------------------------------------------------ */

static void on_service_exit(void *ctx, const struct child_exit *ex);

static void service_spawn(struct service *s)
{
	struct child_opts o = { .tag = name_of(s), .on_exit = on_service_exit,
				.tty = s->unit->tty };
	pid_t pid = start_command(s, s->unit->exec, &o, NULL);
	if (pid < 0) {
		apply(s, SVC_EV_SPAWN_FAILED, 0, 0);
		return;
	}
	log_info("%s started (pid %d)", name_of(s), (int)pid);
	s->test_attempt = 0;
	apply(s, SVC_EV_SPAWNED, pid, 0);
}

static void log_oneshot_failure(struct service *s, const char *how)
{
	const int *deps;
	size_t n = graph_dependents(sup.graph, s->node, &deps);
	char names[512] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
					 graph_name(sup.graph, deps[i]));
	if (n)
		log_warn("oneshot %s failed (%s): its dependents stay Blocked: %s", name_of(s), how,
			 names);
	else
		log_warn("oneshot %s failed (%s)", name_of(s), how);
}

/*
 * stopped_cleanly() - whether @status is a clean answer to @s's stop signal: exit status 0,
 * death by that signal, or exit status 128 + that signal (what a shell does, and zdb's 143 on
 * SIGTERM). Anything else (wait_hooks' exit 1 when its drain did not finish, a crash, a
 * SIGKILL) means the stop lost something.
 */
static bool stopped_cleanly(const struct service *s, int status)
{
	int sig = s->unit->stop_signal;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == sig;
	return WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 128 + sig;
}

static void log_exit(struct service *s, int status)
{
	char how[64];
	describe_status(status, how, sizeof(how));
	if (s->fsm.phase == SVC_PHASE_STOPPING) {
		double secs = (double)(now_ms() - s->stop_ms) / 1000.0;
		log_info("%s stopped: %s, %.2fs after %s", name_of(s), how, secs,
			 signal_name(s->unit->stop_signal));
		if (s->drain_stop && !stopped_cleanly(s, status)) {
			if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
				log_warn("%s did not stop cleanly (%s): zinit will exit with status 1",
					 name_of(s), how);
			sup.exit_status = 1;
		}
	} else if (s->unit->oneshot) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			log_info("oneshot %s succeeded", name_of(s));
		else
			log_oneshot_failure(s, how);
	} else if (!s->fsm.target_up || sup.draining) {
		log_info("%s exited: %s", name_of(s), how);
	}
}

/* Whether a process of the group @pgid still exists (a zombie not reaped yet counts). */
static bool group_alive(pid_t pgid)
{
	return pgid > 0 && (kill(-pgid, 0) == 0 || errno == EPERM);
}

static void stopped(struct service *s, int status);

/* While a stopping unit's group outlives its main process, it is looked at after 1 ms, then
 * at doubling intervals up to LINGER_POLL_MS: the unit is down once the whole group is (its
 * processes are reaped by zinit, as orphans, or elsewhere). Most often the rest of the group
 * got the same signal and is a zombie about to be reaped: the first looks catch it at once
 * (a shell's `sleep` child cost every stop of a shell-wrapped service 50 ms). */
#define LINGER_POLL_MS 50
/* A group still there this long after its SIGKILL (a process stuck in the kernel) is taken as
 * down: the drain must end; the leftover sweep at the very end tries again. */
#define LINGER_AFTER_KILL_MS 5000

static bool linger_over(const struct service *s)
{
	if (!group_alive(s->fsm.pid))
		return true;
	uint64_t killed_ms = s->stop_ms + s->unit->shutdown_timeout * 1000;
	if (!s->fsm.killed || now_ms() < killed_ms + LINGER_AFTER_KILL_MS)
		return false;
	log_warn("%s: process group %d still has processes %ds after SIGKILL: taken as stopped",
		 name_of(s), (int)s->fsm.pid, LINGER_AFTER_KILL_MS / 1000);
	return true;
}

static void on_linger_timer(uv_timer_t *t);

static void say_lingering(struct service *s)
{
	char how[64];
	describe_status(s->linger_status, how, sizeof(how));
	log_info("%s: its main process exited (%s); waiting for the rest of its process group %d",
		 name_of(s), how, (int)s->fsm.pid);
	s->linger_said = true;
}

/* Looks at the lingering groups again in @ms, then at doubling intervals. */
static void linger_poll_in(uint64_t ms)
{
	sup.linger_poll_ms = ms < LINGER_POLL_MS ? ms : LINGER_POLL_MS;
	uv_timer_start(&sup.linger_timer, on_linger_timer, sup.linger_poll_ms, 0);
}

static void on_linger_timer(uv_timer_t *t)
{
	(void)t;
	bool any = false;
	for (size_t id = 0; id < graph_capacity(sup.graph); id++) {
		struct service *s = sup.by_node[id];
		if (!s || !s->lingering)
			continue;
		if (!linger_over(s)) {
			any = true;
			if (!s->linger_said && now_ms() >= s->linger_ms + LINGER_POLL_MS)
				say_lingering(s);
			continue;
		}
		s->lingering = false;
		stopped(s, s->linger_status);
	}
	if (any)
		linger_poll_in(sup.linger_poll_ms * 2);
}

static void on_service_exit(void *ctx, const struct child_exit *ex)
{
	struct service *s = ctx;
	if (!ex->started) {
		apply(s, SVC_EV_SPAWN_FAILED, 0, 0); /* a late exec failure, logged */
		return;
	}
	if (s->fsm.phase == SVC_PHASE_STOPPING && group_alive(s->fsm.pid)) {
		/* its stop is not over: a dependency must wait, the SIGKILL timer still runs; said
		 * in the log only if the group outlives the first looks (a shell's child most
		 * often goes at once, having had the same signal) */
		s->lingering = true;
		s->linger_status = ex->status;
		s->linger_ms = now_ms();
		s->linger_said = false;
		linger_poll_in(1);
		return;
	}
	stopped(s, ex->status);
}

/* @s's main process is gone for good (and, when it was stopped, its whole group). */
static void stopped(struct service *s, int status)
{
	log_exit(s, status);
	apply(s, SVC_EV_EXITED, 0, status);
	notify_waiters(s);
	if (s->fsm.phase == SVC_PHASE_BACKOFF) {
		char how[64];
		describe_status(status, how, sizeof(how));
		log_info("%s exited: %s; restarting in %.1fs", name_of(s), how,
			 (double)uv_timer_get_due_in(&s->timer) / 1000.0);
	}
}

static void on_service_timer(uv_timer_t *t)
{
	apply(t->data, SVC_EV_TIMER, 0, 0);
}

/* Carries out what the state machine decided for @s. */
static void apply(struct service *s, enum svc_event ev, pid_t pid, int status)
{
	struct svc_input in = {
		.now_ms = now_ms(),
		.pid = pid,
		.status = status,
		.stop_timeout_ms = s->unit->shutdown_timeout * 1000,
	};
	pid_t victim = s->fsm.pid;
	struct svc_result r = svc_handle(&s->fsm, ev, &in);
	if (r.actions & SVC_ACT_STOP_LOST) { /* its stop (wait_hooks: the upload) never runs */
		log_warn("%s %s: its stop never ran; zinit will exit with status 1", name_of(s),
			 ev == SVC_EV_DRAIN ? "was down, waiting to be restarted after it died, when "
					      "the shutdown began"
					    : "died during the shutdown, before its turn to stop");
		sup.exit_status = 1;
	}
	if (r.actions & SVC_ACT_CANCEL_TIMER)
		uv_timer_stop(&s->timer);
	if (r.actions & SVC_ACT_STOP_TEST)
		test_stop(s);
	if (r.actions & SVC_ACT_SIGNAL_STOP) {
		s->stop_ms = now_ms();
		s->drain_stop = sup.draining; /* a `zinit stop` before the drain does not count */
		log_info("stopping %s: %s to process group %d (timeout %llus)", name_of(s),
			 signal_name(s->unit->stop_signal), (int)victim,
			 (unsigned long long)s->unit->shutdown_timeout);
		child_signal_group(victim, s->unit->stop_signal);
	}
	if (r.actions & SVC_ACT_SIGKILL) {
		log_warn("%s still running %llus after %s: sending SIGKILL to process group %d",
			 name_of(s), (unsigned long long)s->unit->shutdown_timeout,
			 signal_name(s->unit->stop_signal), (int)victim);
		child_signal_group(victim, SIGKILL);
		if (s->drain_stop)
			sup.exit_status = 1; /* the drain could not stop everything gracefully */
	}
	if (r.actions & SVC_ACT_ARM_TIMER)
		uv_timer_start(&s->timer, on_service_timer, r.timer_ms, 0);
	if (r.actions & SVC_ACT_KICK)
		supervisor_kick();
	if (r.actions & SVC_ACT_SPAWN)
		service_spawn(s);
	if (r.actions & SVC_ACT_START_TEST)
		test_start(s);
}

/* ---- starting in dependency order ------------------------------------------------------ */

static bool deps_satisfied(const struct service *s)
{
	const char *const *unknown;
	if (graph_unknown_deps(sup.graph, s->node, &unknown) > 0)
		return false;
	const int *deps;
	size_t n = graph_deps(sup.graph, s->node, &deps);
	for (size_t i = 0; i < n; i++)
		if (!svc_satisfies_dependents(&sup.by_node[deps[i]]->fsm))
			return false;
	return true;
}

static void evaluate(struct service *s, bool startable)
{
	if (s->fsm.phase != SVC_PHASE_IDLE || !s->fsm.target_up)
		return;
	bool ready = startable && deps_satisfied(s);
	apply(s, ready ? SVC_EV_DEPS_READY : SVC_EV_DEPS_BLOCKED, 0, 0);
}

static void start_pass(void)
{
	/* In start order, so a chain of services without tests starts in one pass. */
	for (size_t i = 0; i < sup.norder; i++)
		evaluate(sup.by_node[sup.order[i]], true);
	for (size_t id = 0; id < graph_capacity(sup.graph); id++)
		if (sup.by_node[id] && (graph_in_cycle(sup.graph, (int)id) ||
					sup.by_node[id]->fsm.state == SVC_STATE_UNKNOWN))
			evaluate(sup.by_node[id], false);
}

/* ---- the drain ------------------------------------------------------------------------- */

/*
 * Whether no unit that depends on @s, directly or through others, still has a process: a
 * finished oneshot in the middle of a chain must not let its dependency stop early, nor may a
 * unit forgotten there (the graph keeps its edges for this). Units on a cycle (one made by
 * `zinit monitor` after they had started) do not wait for each other: they stop together.
 */
static bool dependents_down(const struct service *s)
{
	size_t cap = graph_capacity(sup.graph);
	int *stack = xmalloc((cap + 1) * sizeof(*stack));
	bool *seen = xcalloc(cap + 1, sizeof(*seen));
	size_t top = 0;
	bool down = true;
	stack[top++] = s->node;
	seen[s->node] = true;
	while (top > 0 && down) {
		const int *deps;
		size_t n = graph_drain_dependents(sup.graph, stack[--top], &deps);
		for (size_t i = 0; i < n && down; i++) {
			if (seen[deps[i]])
				continue;
			seen[deps[i]] = true;
			down = !svc_alive(&sup.by_node[deps[i]]->fsm);
			stack[top++] = deps[i];
		}
	}
	free(stack);
	free(seen);
	return down;
}

static void drain_pass(void)
{
	bool alive = false;
	for (size_t id = 0; id < graph_capacity(sup.graph); id++) {
		struct service *s = sup.by_node[id];
		if (!s)
			continue;
		if (s->fsm.phase == SVC_PHASE_UP && dependents_down(s))
			apply(s, SVC_EV_STOP, 0, 0);
		alive = alive || svc_alive(&s->fsm);
	}
	if (!alive && !sup.drained) {
		sup.drained = true;
		log_info("all services are down after %.2fs",
			 (double)(now_ms() - sup.drain_start_ms) / 1000.0);
		sup.opts.on_drained(sup.drain_start_ms);
	}
}

static void on_kick(uv_idle_t *h)
{
	uv_idle_stop(h);
	if (sup.draining) {
		drain_pass();
	} else {
		spawn_batch_begin(); /* fork the next service while the last one execs */
		start_pass();
		spawn_batch_end();
	}
}

int supervisor_drain(const char *reason)
{
	if (sup.draining)
		return -ESHUTDOWN;
	sup.draining = true;
	sup.drain_start_ms = now_ms();
	log_info("shutting down (%s): stopping services in reverse dependency order", reason);
	for (size_t id = 0; id < graph_capacity(sup.graph); id++) {
		struct service *s = sup.by_node[id];
		if (!s)
			continue;
		apply(s, SVC_EV_DRAIN, 0, 0);
	}
	supervisor_kick();
	return 0;
}

/* ---- loading --------------------------------------------------------------------------- */

static void on_load_error(void *ctx, const char *msg)
{
	(void)ctx;
	log_error("%s", msg);
}

static void on_load_warning(void *ctx, const char *msg)
{
	(void)ctx;
	log_warn("%s", msg);
}

static void on_cycle(void *ctx, const char *cycle)
{
	(void)ctx;
	for (size_t i = 0; i < sup.ncycles; i++)
		if (strcmp(sup.cycles[i], cycle) == 0)
			return; /* found again when a unit is monitored or forgotten */
	sup.cycles = xrealloc(sup.cycles, (sup.ncycles + 1) * sizeof(*sup.cycles));
	sup.cycles[sup.ncycles++] = xstrdup(cycle);
	log_error("dependency cycle: %s; its members will not start", cycle);
}

/* /etc/environment past this is skipped: it holds a few lines. */
#define ETC_ENVIRONMENT_MAX (1024 * 1024)

/* zinit's own environment overlaid with /etc/environment (a FIFO or a huge file is skipped). */
static void load_base_env(void)
{
	const char *path = "/etc/environment";
	char *text, why[128];
	size_t len;
	int r;

	env_init(&sup.base_env);
	env_add_vector(&sup.base_env, environ);
	r = readfile_regular(path, ETC_ENVIRONMENT_MAX, &text, &len);
	if (r == -ENOENT) {
		log_debug("skipping %s: %s", path, strerror(-r));
		return;
	}
	if (r < 0) {
		log_warn("skipping %s: %s", path,
			 readfile_error(r, ETC_ENVIRONMENT_MAX, why, sizeof(why)));
		return;
	}
	env_parse_etc_environment(&sup.base_env, text, len);
	free(text);
}

static struct service *service_new(struct unit *u, int node)
{
	struct service *s = xcalloc(1, sizeof(*s));
	s->unit = u;
	s->node = node;
	svc_init(&s->fsm, u->oneshot, u->test != NULL);
	uv_timer_init(sup.loop, &s->timer);
	uv_timer_init(sup.loop, &s->test_timer);
	s->timer.data = s->test_timer.data = s;
	return s;
}

/* Warns about each dependency of node @id that names no unit. */
static void warn_unknown_deps_of(int id)
{
	const char *const *names;
	size_t n = graph_exists(sup.graph, id) ? graph_unknown_deps(sup.graph, id, &names) : 0;
	for (size_t i = 0; i < n; i++) {
		char *why = config_unknown_dep(sup.opts.config_dir, names[i]);
		log_warn("%s is after %s, %s: %s stays Blocked", graph_name(sup.graph, id),
			 names[i], why, graph_name(sup.graph, id));
		free(why);
	}
}

static void warn_unknown_deps(void)
{
	for (size_t id = 0; id < graph_capacity(sup.graph); id++)
		warn_unknown_deps_of((int)id);
}

static void log_start_order(void)
{
	struct strbuf order = { 0 };
	graph_describe_order(sup.graph, &order);
	log_info("%zu units loaded from %s; start order: %s", sup.cfg.n, sup.opts.config_dir,
		 strbuf_str(&order));
	strbuf_free(&order);
}

static void load_units(void)
{
	config_load_dir(sup.opts.config_dir, &sup.cfg, on_load_error, on_load_warning, NULL);
	sup.graph = graph_new();
	for (size_t i = 0; i < sup.cfg.n; i++) {
		struct unit *u = sup.cfg.units[i];
		graph_add(sup.graph, u->name, (const char *const *)u->after, u->nafter);
	}
	graph_analyze(sup.graph, on_cycle, NULL);
	warn_unknown_deps();
	sup.by_node = xcalloc(graph_capacity(sup.graph) + 1, sizeof(*sup.by_node));
	for (size_t i = 0; i < sup.cfg.n; i++) {
		int node = graph_find(sup.graph, sup.cfg.units[i]->name);
		sup.by_node[node] = service_new(sup.cfg.units[i], node);
	}
	sup.order = xcalloc(graph_capacity(sup.graph) + 1, sizeof(*sup.order));
	sup.norder = graph_start_order(sup.graph, sup.order);
	log_start_order();
}

/* ---- set-up and tear-down -------------------------------------------------------------- */

void supervisor_init(uv_loop_t *loop, const struct supervisor_opts *opts)
{
	sup.loop = loop;
	sup.opts = *opts;
	uv_idle_init(loop, &sup.kick);
	uv_timer_init(loop, &sup.linger_timer);
	load_base_env();
}

void supervisor_load(void)
{
	load_units();
	supervisor_kick();
}

/* down_by() - the latest @id can be down after the drain begins, in seconds: its dependents'
 * latest, then its own shutdown_timeout; memoised in @memo as that plus one (0: not known). */
static uint64_t down_by(int id, uint64_t *memo)
{
	if (memo[id])
		return memo[id] - 1;
	const int *dependents;
	size_t n = graph_drain_dependents(sup.graph, id, &dependents);
	uint64_t start = 0;
	for (size_t k = 0; k < n; k++) {
		uint64_t t = down_by(dependents[k], memo);
		start = t > start ? t : start;
	}
	struct service *s = sup.by_node[id];
	uint64_t t = start + (s ? s->unit->shutdown_timeout : 0);
	memo[id] = t + 1;
	return t;
}

uint64_t supervisor_drain_bound_s(void)
{
	size_t cap = graph_capacity(sup.graph);
	uint64_t *memo = xcalloc(cap + 1, sizeof(*memo));
	uint64_t bound = 0;
	for (size_t id = 0; id < cap; id++) {
		if (!graph_exists(sup.graph, (int)id))
			continue;
		uint64_t t = down_by((int)id, memo);
		bound = t > bound ? t : bound;
	}
	free(memo);
	return bound;
}

void supervisor_free(void)
{
	for (size_t id = 0; sup.graph && id < graph_capacity(sup.graph); id++)
		if (sup.by_node[id]) {
			free(sup.by_node[id]->waiters);
			free(sup.by_node[id]);
		}
	free(sup.by_node);
	free(sup.order);
	for (size_t i = 0; i < sup.ncycles; i++)
		free(sup.cycles[i]);
	free(sup.cycles);
	graph_free(sup.graph);
	config_free(&sup.cfg);
	env_free(&sup.base_env);
}

int supervisor_exit_status(void)
{
	return sup.exit_status;
}

bool supervisor_reboot_requested(void)
{
	return sup.reboot;
}

/* ---- the control API ------------------------------------------------------------------- */

static struct service *find(const char *name)
{
	int id = name && sup.graph ? graph_find(sup.graph, name) : -1;
	return id >= 0 ? sup.by_node[id] : NULL;
}

static void notify_waiters(struct service *s)
{
	if (svc_alive(&s->fsm) || s->nwaiters == 0)
		return;
	struct waiter *w = s->waiters;
	size_t n = s->nwaiters;
	s->waiters = NULL;
	s->nwaiters = 0;
	for (size_t i = 0; i < n; i++) {
		int err = 0;
		if (w[i].restart)
			err = supervisor_start(name_of(s));
		w[i].fn(w[i].ctx, err);
	}
	free(w);
}

static void fill_info(const struct service *s, struct sup_info *info)
{
	info->name = name_of(s);
	info->pid = s->fsm.pid;
	info->state = s->fsm.state;
	svc_state_format(&s->fsm, info->state_text, sizeof(info->state_text));
	info->target_up = s->fsm.target_up;
	info->oneshot = s->unit->oneshot;
}

static int by_unit_name(const void *a, const void *b)
{
	const struct service *const *x = a, *const *y = b;
	return strcmp(name_of(*x), name_of(*y));
}

void supervisor_list(sup_info_fn fn, void *ctx)
{
	size_t cap = graph_capacity(sup.graph), n = 0;
	struct service **all = xmalloc((cap + 1) * sizeof(*all));
	for (size_t id = 0; id < cap; id++)
		if (sup.by_node[id])
			all[n++] = sup.by_node[id];
	qsort(all, n, sizeof(*all), by_unit_name);
	for (size_t i = 0; i < n; i++) {
		struct sup_info info;
		fill_info(all[i], &info);
		fn(ctx, &info);
	}
	free(all);
}

const char *supervisor_unit_env(const char *name, const char *key)
{
	struct service *s = find(name);
	for (size_t i = 0; s && i < s->unit->nenv; i++)
		if (strcmp(s->unit->env[i].key, key) == 0)
			return s->unit->env[i].value;
	return NULL;
}

const char *supervisor_config_dir(void)
{
	return sup.opts.config_dir;
}

int supervisor_info(const char *name, struct sup_info *info, sup_dep_fn dep_fn, void *ctx)
{
	struct service *s = find(name);
	if (!s)
		return -ENOENT;
	fill_info(s, info);
	for (size_t i = 0; dep_fn && i < s->unit->nafter; i++) {
		struct service *d = find(s->unit->after[i]);
		char state[96] = "Unknown";
		if (d)
			svc_state_format(&d->fsm, state, sizeof(state));
		dep_fn(ctx, s->unit->after[i], state);
	}
	return 0;
}

int supervisor_start(const char *name)
{
	struct service *s = find(name);
	if (sup.draining)
		return -ESHUTDOWN;
	if (!s)
		return -ENOENT;
	apply(s, SVC_EV_START, 0, 0);
	return 0;
}

static void add_waiter(struct service *s, sup_done_fn done, void *ctx, bool restart)
{
	s->waiters = xrealloc(s->waiters, (s->nwaiters + 1) * sizeof(*s->waiters));
	s->waiters[s->nwaiters++] = (struct waiter){ done, ctx, restart };
	notify_waiters(s); /* at once if there is no process */
}

int supervisor_stop(const char *name, sup_done_fn done, void *ctx)
{
	struct service *s = find(name);
	if (!s)
		return -ENOENT;
	apply(s, SVC_EV_STOP, 0, 0);
	add_waiter(s, done, ctx, false);
	return 0;
}

int supervisor_restart(const char *name, sup_done_fn done, void *ctx)
{
	struct service *s = find(name);
	if (sup.draining)
		return -ESHUTDOWN;
	if (!s)
		return -ENOENT;
	apply(s, SVC_EV_STOP, 0, 0);
	add_waiter(s, done, ctx, true);
	return 0;
}

int supervisor_kill(const char *name, const char *signal)
{
	int sig = signame_parse(signal); /* before the name, as zinit: `kill ghost FOO` is -EINVAL */
	if (sig < 0)
		return -EINVAL;
	struct service *s = find(name);
	if (!s)
		return -ENOENT;
	if (!svc_alive(&s->fsm))
		return -ESRCH;
	log_info("sending %s to %s (process group %d)", signal_name(sig), name_of(s),
		 (int)s->fsm.pid);
	child_signal_group(s->fsm.pid, sig);
	return 0;
}

static void reanalyze(void)
{
	graph_analyze(sup.graph, on_cycle, NULL);
	size_t cap = graph_capacity(sup.graph) + 1;
	sup.by_node = xrealloc(sup.by_node, cap * sizeof(*sup.by_node));
	sup.order = xrealloc(sup.order, cap * sizeof(*sup.order));
	sup.norder = graph_start_order(sup.graph, sup.order);
}


int supervisor_monitor(const char *name, char *why, size_t whylen)
{
	if (sup.draining)
		return -ESHUTDOWN;
	if (find(name))
		return -EEXIST;
	if (config_name_problem(name))
		return -EINVAL;
	char *path = config_unit_path(sup.opts.config_dir, name);
	char err[1024];
	struct unit *u;
	int r = unit_load(path, &u, err, sizeof(err), on_load_warning, NULL);
	free(path);
	if (r < 0) {
		log_error("%s", err);
		snprintf(why, whylen, "%s", err);
		return -EINVAL;
	}
	sup.cfg.units = xrealloc(sup.cfg.units, (sup.cfg.n + 1) * sizeof(*sup.cfg.units));
	sup.cfg.units[sup.cfg.n++] = u;
	size_t old_cap = graph_capacity(sup.graph);
	int node = graph_add(sup.graph, u->name, (const char *const *)u->after, u->nafter);
	reanalyze();
	for (size_t id = old_cap; id < graph_capacity(sup.graph); id++)
		sup.by_node[id] = NULL;
	sup.by_node[node] = service_new(u, node);
	log_info("%s monitored", name);
	warn_unknown_deps_of(node); /* a new unit makes no other unit's dependency unknown */
	supervisor_kick();
	return 0;
}

static void on_forgotten_timer_closed(uv_handle_t *h)
{
	struct service *s = h->data;
	if (--s->open_handles > 0)
		return;
	unit_free(s->unit);
	free(s->waiters);
	free(s);
}

int supervisor_forget(const char *name)
{
	struct service *s = find(name);
	if (!s)
		return -ENOENT;
	if (s->fsm.target_up || svc_alive(&s->fsm) || s->test)
		return -EBUSY;
	for (size_t i = 0; i < sup.cfg.n; i++)
		if (sup.cfg.units[i] == s->unit)
			sup.cfg.units[i] = sup.cfg.units[--sup.cfg.n];
	graph_forget(sup.graph, s->node); /* its edges still order the drain */
	sup.by_node[s->node] = NULL;
	reanalyze();
	s->open_handles = 2;
	uv_close((uv_handle_t *)&s->timer, on_forgotten_timer_closed);
	uv_close((uv_handle_t *)&s->test_timer, on_forgotten_timer_closed);
	log_info("%s forgotten", name);
	supervisor_kick();
	return 0;
}

int supervisor_shutdown(bool reboot)
{
	if (sup.draining)
		return -ESHUTDOWN;
	sup.reboot = reboot;
	return supervisor_drain(reboot ? "zinit reboot" : "zinit shutdown");
}
