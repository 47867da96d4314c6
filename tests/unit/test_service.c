/* SPDX-License-Identifier: MIT */
/* Tests for the per-service state machine: transitions, actions, backoff, test pacing, names. */
#include <signal.h>
#include <sys/wait.h>

#include "runner.h"
#include "service.h"

#define EXIT_STATUS(code) ((code) << 8)

static struct svc_result ev(struct svc *s, enum svc_event e, uint64_t now, pid_t pid,
			    int status)
{
	struct svc_input in = { .now_ms = now, .pid = pid, .status = status,
				.stop_timeout_ms = 10000 };
	return svc_handle(s, e, &in);
}

/* Starts @pid (its exec succeeded); returns what the state machine asked for. */
static struct svc_result spawn(struct svc *s, uint64_t now, pid_t pid)
{
	return ev(s, SVC_EV_SPAWNED, now, pid, 0);
}

TEST(service_starts_when_deps_ready)
{
	struct svc s;
	svc_init(&s, false, false);
	ASSERT_EQ(s.state, SVC_STATE_UNKNOWN);
	ASSERT(s.target_up);
	ev(&s, SVC_EV_DEPS_BLOCKED, 0, 0, 0);
	ASSERT_EQ(s.state, SVC_STATE_BLOCKED);
	struct svc_result r = ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	ASSERT_EQ(r.actions, SVC_ACT_SPAWN);
	r = spawn(&s, 5, 42);
	ASSERT_EQ(s.state, SVC_STATE_RUNNING);
	ASSERT_EQ(s.phase, SVC_PHASE_UP);
	ASSERT_EQ(s.pid, 42);
	ASSERT(r.actions & SVC_ACT_KICK);
	ASSERT(!(r.actions & SVC_ACT_START_TEST));
	ASSERT(svc_satisfies_dependents(&s));
}

TEST(service_test_gates_running)
{
	struct svc s;
	svc_init(&s, false, true);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	struct svc_result r = spawn(&s, 0, 7);
	ASSERT_EQ(s.state, SVC_STATE_SPAWNED);
	ASSERT(r.actions & SVC_ACT_START_TEST);
	ASSERT(!svc_satisfies_dependents(&s));
	ev(&s, SVC_EV_TEST_UNSPAWNABLE, 0, 0, 0);
	ASSERT_EQ(s.state, SVC_STATE_TEST_FAILURE);
	r = ev(&s, SVC_EV_TEST_PASSED, 0, 0, 0);
	ASSERT_EQ(s.state, SVC_STATE_RUNNING);
	ASSERT(r.actions & SVC_ACT_KICK);
	ASSERT(svc_satisfies_dependents(&s));
}

TEST(service_oneshot_ignores_test_and_satisfies_only_on_success)
{
	struct svc s;
	svc_init(&s, true, true);
	ASSERT(!s.has_test);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	struct svc_result r = spawn(&s, 0, 9);
	ASSERT_EQ(s.state, SVC_STATE_RUNNING);
	ASSERT(!(r.actions & SVC_ACT_START_TEST));
	ASSERT(!svc_satisfies_dependents(&s)); /* a running oneshot does not satisfy */
	r = ev(&s, SVC_EV_EXITED, 100, 0, EXIT_STATUS(0));
	ASSERT_EQ(s.state, SVC_STATE_SUCCESS);
	ASSERT_EQ(s.phase, SVC_PHASE_DONE);
	ASSERT(!(r.actions & SVC_ACT_ARM_TIMER));
	ASSERT(svc_satisfies_dependents(&s));
}

TEST(service_oneshot_failure_is_final)
{
	struct svc s;
	svc_init(&s, true, false);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&s, 0, 9);
	ev(&s, SVC_EV_EXITED, 100, 0, EXIT_STATUS(3));
	ASSERT_EQ(s.state, SVC_STATE_ERROR);
	ASSERT_EQ(s.phase, SVC_PHASE_DONE);
	ASSERT(!svc_satisfies_dependents(&s));
	struct svc_result r = ev(&s, SVC_EV_DEPS_READY, 200, 0, 0);
	ASSERT_EQ(r.actions, 0); /* never restarted on its own */
	ev(&s, SVC_EV_START, 300, 0, 0);
	ASSERT_EQ(s.phase, SVC_PHASE_IDLE);
	r = ev(&s, SVC_EV_DEPS_READY, 300, 0, 0);
	ASSERT_EQ(r.actions, SVC_ACT_SPAWN);
}

/* Spawns and lets the service die @after_ms later; returns the restart delay asked for. */
static uint64_t die_after(struct svc *s, uint64_t *now, uint64_t after_ms, int code)
{
	ev(s, SVC_EV_DEPS_READY, *now, 0, 0);
	spawn(s, *now, 100);
	*now += after_ms;
	struct svc_result r = ev(s, SVC_EV_EXITED, *now, 0, EXIT_STATUS(code));
	ASSERT_EQ(s->phase, SVC_PHASE_BACKOFF);
	ASSERT(r.actions & SVC_ACT_ARM_TIMER);
	*now += r.timer_ms;
	ev(s, SVC_EV_TIMER, *now, 0, 0);
	ASSERT_EQ(s->phase, SVC_PHASE_IDLE);
	return r.timer_ms;
}

TEST(service_restart_backoff)
{
	struct svc s;
	svc_init(&s, false, false);
	uint64_t now = 0;
	static const uint64_t want[] = { 2000, 2000, 2000, 4000, 8000, 16000, 30000, 30000 };
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ASSERT_EQ(die_after(&s, &now, 100, 1), want[i]);
	/* staying up 10 s resets the pacing */
	ASSERT_EQ(die_after(&s, &now, SVC_STABLE_MS, 1), 2000);
	ASSERT_EQ(die_after(&s, &now, 100, 0), 2000);
	ASSERT_EQ(s.state, SVC_STATE_SUCCESS);
}

TEST(service_stop_while_up_then_kill_timer)
{
	struct svc s;
	svc_init(&s, false, false);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&s, 0, 55);
	struct svc_result r = ev(&s, SVC_EV_STOP, 10, 0, 0);
	ASSERT_EQ(r.actions, SVC_ACT_STOP_TEST | SVC_ACT_SIGNAL_STOP | SVC_ACT_ARM_TIMER);
	ASSERT_EQ(r.timer_ms, 10000);
	ASSERT_EQ(s.phase, SVC_PHASE_STOPPING);
	ASSERT(!s.target_up);
	ASSERT(svc_alive(&s));
	r = ev(&s, SVC_EV_TIMER, 10010, 0, 0);
	ASSERT_EQ(r.actions, SVC_ACT_SIGKILL);
	ASSERT(s.killed);
	r = ev(&s, SVC_EV_EXITED, 10020, 0, SIGKILL);
	ASSERT_EQ(s.phase, SVC_PHASE_DONE);
	ASSERT_EQ(s.state, SVC_STATE_ERROR);
	ASSERT(r.actions & SVC_ACT_CANCEL_TIMER);
	ASSERT(!(r.actions & SVC_ACT_ARM_TIMER));
	ASSERT(!svc_alive(&s));
}

TEST(service_stop_while_blocked_or_backoff)
{
	struct svc s;
	svc_init(&s, false, false);
	ev(&s, SVC_EV_DEPS_BLOCKED, 0, 0, 0);
	struct svc_result r = ev(&s, SVC_EV_STOP, 0, 0, 0);
	ASSERT_EQ(s.phase, SVC_PHASE_DONE);
	ASSERT_EQ(s.state, SVC_STATE_BLOCKED); /* as zinit: the state stays Blocked */
	ASSERT(!(r.actions & SVC_ACT_SIGNAL_STOP));
	r = ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	ASSERT_EQ(r.actions, 0);

	svc_init(&s, false, false);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&s, 0, 3);
	ev(&s, SVC_EV_EXITED, 5, 0, EXIT_STATUS(1));
	ASSERT_EQ(s.phase, SVC_PHASE_BACKOFF);
	r = ev(&s, SVC_EV_STOP, 6, 0, 0);
	ASSERT(r.actions & SVC_ACT_CANCEL_TIMER);
	ASSERT_EQ(s.phase, SVC_PHASE_DONE);
}

TEST(service_drain_cancels_what_has_not_started)
{
	struct svc idle, backoff, up;
	svc_init(&idle, false, false);
	svc_init(&backoff, false, false);
	svc_init(&up, false, false);
	ev(&backoff, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&backoff, 0, 3);
	ev(&backoff, SVC_EV_EXITED, 1, 0, EXIT_STATUS(1));
	ev(&up, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&up, 0, 4);
	ASSERT_EQ(ev(&idle, SVC_EV_DRAIN, 2, 0, 0).actions & SVC_ACT_STOP_LOST, 0);
	struct svc_result r = ev(&backoff, SVC_EV_DRAIN, 2, 0, 0);
	ASSERT(r.actions & SVC_ACT_CANCEL_TIMER);
	ASSERT(r.actions & SVC_ACT_STOP_LOST); /* it died: its stop will never run */
	r = ev(&up, SVC_EV_DRAIN, 2, 0, 0);
	ASSERT(r.actions & SVC_ACT_STOP_TEST); /* no more readiness tests */
	ASSERT(!(r.actions & SVC_ACT_STOP_LOST));
	ASSERT_EQ(idle.phase, SVC_PHASE_DONE);
	ASSERT_EQ(backoff.phase, SVC_PHASE_DONE);
	ASSERT_EQ(up.phase, SVC_PHASE_UP); /* stopped later, in dependency order */
	ASSERT_EQ(ev(&idle, SVC_EV_DEPS_READY, 3, 0, 0).actions, 0);
	ASSERT_EQ(ev(&backoff, SVC_EV_TIMER, 3, 0, 0).actions, 0);
	ev(&idle, SVC_EV_START, 4, 0, 0);
	ASSERT_EQ(ev(&idle, SVC_EV_DEPS_READY, 4, 0, 0).actions, 0);
	/* a service that dies by itself during the drain is not restarted */
	struct svc_result r2 = ev(&up, SVC_EV_EXITED, 5, 0, EXIT_STATUS(0));
	ASSERT(!(r2.actions & SVC_ACT_ARM_TIMER));
	ASSERT(r2.actions & SVC_ACT_STOP_LOST); /* before its turn to stop: even with status 0 */
	ASSERT_EQ(up.phase, SVC_PHASE_DONE);
}

/* A unit that died and waits for its dependencies (its backoff over, a dependency not ready
 * again) never gets its stop either; one stopped on purpose, or never run, is not lost. */
TEST(service_drain_lost_stop_after_backoff_or_exit)
{
	struct svc blocked, stopped, stopping;
	svc_init(&blocked, false, true);
	ev(&blocked, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&blocked, 0, 3);
	ev(&blocked, SVC_EV_EXITED, 1, 0, (int)SIGKILL);
	ev(&blocked, SVC_EV_TIMER, 2001, 0, 0);
	ASSERT_EQ(blocked.phase, SVC_PHASE_IDLE);
	ev(&blocked, SVC_EV_DEPS_BLOCKED, 2001, 0, 0);
	ASSERT(ev(&blocked, SVC_EV_DRAIN, 2002, 0, 0).actions & SVC_ACT_STOP_LOST);

	svc_init(&stopped, false, false);
	ev(&stopped, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&stopped, 0, 4);
	ev(&stopped, SVC_EV_EXITED, 1, 0, EXIT_STATUS(1));
	ev(&stopped, SVC_EV_STOP, 2, 0, 0); /* zinit stop during its backoff */
	ev(&stopped, SVC_EV_START, 3, 0, 0); /* and start: waiting for its dependencies */
	ASSERT_EQ(stopped.phase, SVC_PHASE_IDLE);
	ASSERT_EQ(ev(&stopped, SVC_EV_DRAIN, 4, 0, 0).actions & SVC_ACT_STOP_LOST, 0);

	svc_init(&stopping, false, false);
	ev(&stopping, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&stopping, 0, 5);
	ev(&stopping, SVC_EV_DRAIN, 1, 0, 0);
	ev(&stopping, SVC_EV_STOP, 2, 0, 0); /* its turn */
	ASSERT_EQ(ev(&stopping, SVC_EV_EXITED, 3, 0, (int)SIGTERM).actions & SVC_ACT_STOP_LOST, 0);
	ASSERT_EQ(stopping.phase, SVC_PHASE_DONE);
}

TEST(service_exit_while_stopped_target_down_no_restart)
{
	struct svc s;
	svc_init(&s, false, false);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&s, 0, 3);
	ev(&s, SVC_EV_STOP, 1, 0, 0);
	struct svc_result r = ev(&s, SVC_EV_EXITED, 2, 0, EXIT_STATUS(0));
	ASSERT(!(r.actions & SVC_ACT_ARM_TIMER));
	ASSERT(r.actions & SVC_ACT_STOP_TEST);
	ASSERT_EQ(s.state, SVC_STATE_SUCCESS);
	ASSERT_EQ(s.pid, 0);
	ASSERT_EQ(s.last_pid, 3);
}

TEST(service_test_passed_ignored_when_not_alive)
{
	struct svc s;
	svc_init(&s, false, true);
	struct svc_result r = ev(&s, SVC_EV_TEST_PASSED, 0, 0, 0);
	ASSERT_EQ(r.actions, 0);
	ASSERT_EQ(s.state, SVC_STATE_UNKNOWN);
}

TEST(service_spawn_failure_is_final_until_start)
{
	struct svc s;
	svc_init(&s, false, false);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	ev(&s, SVC_EV_SPAWN_FAILED, 0, 0, 0);
	ASSERT_EQ(s.state, SVC_STATE_FAILURE);
	ASSERT_EQ(ev(&s, SVC_EV_DEPS_READY, 1, 0, 0).actions, 0);
	ev(&s, SVC_EV_START, 2, 0, 0);
	ASSERT_EQ(ev(&s, SVC_EV_DEPS_READY, 2, 0, 0).actions, SVC_ACT_SPAWN);
}

/* An exec failure found after SPAWNED (end of a start batch): final, and the test stops. */
TEST(service_late_spawn_failure_stops_the_test)
{
	struct svc s;
	svc_init(&s, false, true);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	struct svc_result r = ev(&s, SVC_EV_SPAWNED, 0, 42, 0);
	ASSERT(r.actions & SVC_ACT_START_TEST);
	r = ev(&s, SVC_EV_SPAWN_FAILED, 1, 0, 0);
	ASSERT(r.actions & SVC_ACT_STOP_TEST);
	ASSERT_EQ(s.state, SVC_STATE_FAILURE);
	ASSERT_EQ(s.phase, SVC_PHASE_DONE);
	ASSERT_EQ(s.pid, 0);
	ASSERT(!svc_alive(&s));
}

TEST(service_test_retry_pacing)
{
	ASSERT_EQ(svc_test_retry_ms(0), 50);
	ASSERT_EQ(svc_test_retry_ms(1), 100);
	ASSERT_EQ(svc_test_retry_ms(4), 800);
	ASSERT_EQ(svc_test_retry_ms(5), 1000);
	ASSERT_EQ(svc_test_retry_ms(1000), 1000);
}

TEST(service_state_format)
{
	struct svc s;
	char buf[128];
	svc_init(&s, false, false);
	svc_state_format(&s, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "Unknown");
	s.state = SVC_STATE_TEST_FAILURE;
	svc_state_format(&s, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "TestFailure");
	s.state = SVC_STATE_ERROR;
	s.last_pid = 1234;
	s.status = EXIT_STATUS(1);
	svc_state_format(&s, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "Error(Exited(Pid(1234), 1))");
	s.status = SIGTERM;
	svc_state_format(&s, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "Error(Signaled(Pid(1234), SIGTERM, false))");
	s.status = SIGSEGV | 0x80;
	svc_state_format(&s, buf, sizeof(buf));
	ASSERT_STR_EQ(buf, "Error(Signaled(Pid(1234), SIGSEGV, true))");
}

TEST(service_start_while_stopping_runs_again)
{
	struct svc s;
	svc_init(&s, false, false);
	ev(&s, SVC_EV_DEPS_READY, 0, 0, 0);
	spawn(&s, 0, 5);
	ev(&s, SVC_EV_STOP, 1, 0, 0);
	ev(&s, SVC_EV_START, 2, 0, 0);
	ASSERT_EQ(s.phase, SVC_PHASE_STOPPING);
	struct svc_result r = ev(&s, SVC_EV_EXITED, 3, 0, SIGTERM);
	ASSERT(r.actions & SVC_ACT_CANCEL_TIMER);
	ASSERT(r.actions & SVC_ACT_KICK);
	ASSERT_EQ(s.phase, SVC_PHASE_IDLE);
	ASSERT_EQ(ev(&s, SVC_EV_DEPS_READY, 3, 0, 0).actions, SVC_ACT_SPAWN);
}
