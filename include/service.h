/* SPDX-License-Identifier: MIT */
/* The per-service state machine: (state, event) -> actions, restart backoff, test pacing; pure. */
#ifndef ZINIT_SERVICE_H
#define ZINIT_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The states zinit shows (`zinit list`). */
enum svc_state {
	SVC_STATE_UNKNOWN,      /* loaded, not evaluated yet */
	SVC_STATE_BLOCKED,      /* a dependency is not Running/Success */
	SVC_STATE_SPAWNED,      /* started, its test has not passed yet */
	SVC_STATE_RUNNING,      /* test passed or no test; a oneshot while it runs */
	SVC_STATE_SUCCESS,      /* exited 0 */
	SVC_STATE_ERROR,        /* exited non-zero or was killed (see svc.status) */
	SVC_STATE_TEST_FAILURE, /* the test command could not be started */
	SVC_STATE_FAILURE,      /* the exec command could not be started */
};

/* Where the service is in its life; what the supervisor may do next. */
enum svc_phase {
	SVC_PHASE_IDLE,     /* no process; starts once its dependencies allow */
	SVC_PHASE_UP,       /* the main process is alive */
	SVC_PHASE_STOPPING, /* stop signal sent; timer armed for SIGKILL */
	SVC_PHASE_BACKOFF,  /* exited; timer armed for the restart */
	SVC_PHASE_DONE,     /* stays down until started again */
};

enum svc_event {
	SVC_EV_DEPS_READY,      /* IDLE and every dependency is satisfied */
	SVC_EV_DEPS_BLOCKED,    /* IDLE and some dependency is not */
	SVC_EV_SPAWNED,         /* in.pid started (its exec happened) */
	SVC_EV_SPAWN_FAILED,    /* the exec command could not be started (also after SPAWNED) */
	SVC_EV_TEST_PASSED,
	SVC_EV_TEST_UNSPAWNABLE,
	SVC_EV_EXITED,          /* the main process ended with in.status */
	SVC_EV_TIMER,           /* the service timer fired */
	SVC_EV_START,           /* asked to run (target Up) */
	SVC_EV_STOP,            /* asked to stop (target Down) */
	SVC_EV_DRAIN,           /* the shutdown drain began: cancel what has not started */
};

/* Actions for the supervisor to carry out, in this order. */
enum svc_action {
	SVC_ACT_CANCEL_TIMER = 1 << 0,
	SVC_ACT_SPAWN        = 1 << 1,
	SVC_ACT_START_TEST   = 1 << 2,
	SVC_ACT_STOP_TEST    = 1 << 3, /* kill the test process group, cancel retries */
	SVC_ACT_SIGNAL_STOP  = 1 << 4, /* send the unit's stop signal to the group */
	SVC_ACT_SIGKILL      = 1 << 5, /* send SIGKILL to the group */
	SVC_ACT_ARM_TIMER    = 1 << 6, /* (re)arm the service timer for timer_ms */
	SVC_ACT_KICK         = 1 << 7, /* others may now start or stop: re-evaluate */
	SVC_ACT_STOP_LOST    = 1 << 8, /* the drain will never send its stop: it died first */
};

struct svc_input {
	uint64_t now_ms;
	pid_t pid;              /* SVC_EV_SPAWNED */
	int status;             /* SVC_EV_EXITED: a wait status */
	uint64_t stop_timeout_ms;
};

struct svc_result {
	unsigned actions;       /* enum svc_action bits */
	uint64_t timer_ms;      /* for SVC_ACT_ARM_TIMER */
};

/* Restart pacing: the first restarts after 2 s, then doubling up to 30 s for a service that
 * keeps dying within 10 s of its start; staying up 10 s resets it. */
#define SVC_RESTART_DELAY_MS 2000
#define SVC_RESTART_MAX_MS 30000
#define SVC_RESTART_FREE 3
#define SVC_STABLE_MS 10000
/* Test pacing: retries from 50 ms doubling to 1 s; a test running 10 s is killed. */
#define SVC_TEST_FIRST_RETRY_MS 50
#define SVC_TEST_MAX_RETRY_MS 1000
#define SVC_TEST_TIMEOUT_MS 10000

struct svc {
	enum svc_state state;
	enum svc_phase phase;
	bool target_up;
	bool oneshot;
	bool has_test;
	bool killed;            /* the last stop needed SIGKILL */
	bool draining;          /* the shutdown drain began: never start again */
	bool died;              /* waits for its restart after its process died on its own */
	pid_t pid;              /* main process, 0 when none */
	pid_t last_pid;         /* the last main process, for Error(...) */
	int status;             /* last wait status */
	uint64_t started_ms;
	unsigned quick_deaths;  /* exits within SVC_STABLE_MS of the start, in a row */
};

/** svc_init() - a freshly loaded service: UNKNOWN, IDLE, target Up. */
void svc_init(struct svc *s, bool oneshot, bool has_test);

/** svc_handle() - apply @ev to @s and return what the supervisor must do. */
struct svc_result svc_handle(struct svc *s, enum svc_event ev, const struct svc_input *in);

/** svc_satisfies_dependents() - Running (non-oneshot) or Success: dependents may start. */
bool svc_satisfies_dependents(const struct svc *s);

/** svc_alive() - whether the main process exists (UP or STOPPING). */
static inline bool svc_alive(const struct svc *s)
{
	return s->phase == SVC_PHASE_UP || s->phase == SVC_PHASE_STOPPING;
}

/** svc_test_retry_ms() - the pause before test attempt number @attempt + 1. */
uint64_t svc_test_retry_ms(unsigned attempt);

/** svc_state_name() - the state's name as zinit shows it: "Running", "Error", "TestFailure"... */
const char *svc_state_name(enum svc_state st);

/**
 * svc_state_format() - the state as zinit prints it: "Running", "Blocked",
 * "Error(Exited(Pid(42), 1))", "Error(Signaled(Pid(42), SIGTERM, false))".
 */
void svc_state_format(const struct svc *s, char *buf, size_t len);

#endif
