/* SPDX-License-Identifier: MIT */
/* The per-service state machine: (state, event) -> actions, restart backoff, test pacing; pure. */
#include "service.h"

#include <stdio.h>
#include <sys/wait.h>

#include "signame.h"

void svc_init(struct svc *s, bool oneshot, bool has_test)
{
	*s = (struct svc){
		.state = SVC_STATE_UNKNOWN,
		.phase = SVC_PHASE_IDLE,
		.target_up = true,
		.oneshot = oneshot,
		.has_test = has_test && !oneshot, /* zinit ignores a oneshot's test */
	};
}

static uint64_t restart_delay(struct svc *s, uint64_t now_ms)
{
	if (now_ms - s->started_ms >= SVC_STABLE_MS)
		s->quick_deaths = 0;
	unsigned n = s->quick_deaths++;
	if (n < SVC_RESTART_FREE)
		return SVC_RESTART_DELAY_MS;
	unsigned shift = n - SVC_RESTART_FREE + 1;
	if (shift >= 5)
		return SVC_RESTART_MAX_MS;
	uint64_t d = (uint64_t)SVC_RESTART_DELAY_MS << shift;
	return d < SVC_RESTART_MAX_MS ? d : SVC_RESTART_MAX_MS;
}

static struct svc_result on_spawned(struct svc *s, const struct svc_input *in)
{
	s->phase = SVC_PHASE_UP;
	s->pid = s->last_pid = in->pid;
	s->started_ms = in->now_ms;
	s->killed = false;
	s->died = false;
	if (s->has_test) {
		s->state = SVC_STATE_SPAWNED;
		return (struct svc_result){ SVC_ACT_START_TEST | SVC_ACT_KICK, 0 };
	}
	s->state = SVC_STATE_RUNNING;
	return (struct svc_result){ SVC_ACT_KICK, 0 };
}

static struct svc_result on_exited(struct svc *s, const struct svc_input *in)
{
	struct svc_result r = { SVC_ACT_STOP_TEST | SVC_ACT_KICK, 0 };
	bool ok = WIFEXITED(in->status) && WEXITSTATUS(in->status) == 0;
	s->state = ok ? SVC_STATE_SUCCESS : SVC_STATE_ERROR;
	s->status = in->status;
	s->pid = 0;
	if (s->phase == SVC_PHASE_STOPPING && s->target_up && !s->draining) {
		s->phase = SVC_PHASE_IDLE; /* started again while it was stopping */
		r.actions |= SVC_ACT_CANCEL_TIMER;
		return r;
	}
	if (s->phase == SVC_PHASE_UP && !s->oneshot && s->draining)
		r.actions |= SVC_ACT_STOP_LOST; /* it died before its turn to stop */
	if (s->phase == SVC_PHASE_STOPPING || s->oneshot || !s->target_up || s->draining) {
		r.actions |= SVC_ACT_CANCEL_TIMER;
		s->phase = SVC_PHASE_DONE;
		return r;
	}
	s->died = true;
	s->phase = SVC_PHASE_BACKOFF;
	r.actions |= SVC_ACT_ARM_TIMER;
	r.timer_ms = restart_delay(s, in->now_ms);
	return r;
}

static struct svc_result on_stop(struct svc *s, const struct svc_input *in)
{
	s->target_up = false;
	s->died = false; /* stopped on purpose: its death no longer waits for a restart */
	switch (s->phase) {
	case SVC_PHASE_UP:
		s->phase = SVC_PHASE_STOPPING;
		s->killed = false;
		/* no more readiness tests for a service on its way down */
		return (struct svc_result){ SVC_ACT_STOP_TEST | SVC_ACT_SIGNAL_STOP |
					    SVC_ACT_ARM_TIMER, in->stop_timeout_ms };
	case SVC_PHASE_BACKOFF:
	case SVC_PHASE_IDLE:
		s->phase = SVC_PHASE_DONE;
		return (struct svc_result){ SVC_ACT_CANCEL_TIMER | SVC_ACT_KICK, 0 };
	default:
		return (struct svc_result){ 0, 0 };
	}
}

static struct svc_result on_timer(struct svc *s)
{
	if (s->phase == SVC_PHASE_BACKOFF) {
		s->phase = SVC_PHASE_IDLE;
		return (struct svc_result){ SVC_ACT_KICK, 0 };
	}
	if (s->phase == SVC_PHASE_STOPPING) {
		s->killed = true;
		return (struct svc_result){ SVC_ACT_SIGKILL, 0 };
	}
	return (struct svc_result){ 0, 0 };
}

static struct svc_result on_start(struct svc *s)
{
	s->target_up = true;
	if (s->phase == SVC_PHASE_DONE && !s->draining) {
		s->phase = SVC_PHASE_IDLE;
		s->quick_deaths = 0;
	}
	return (struct svc_result){ SVC_ACT_KICK, 0 };
}

/* Nothing starts any more: no restart, no spawn, no further readiness test. A unit that died
 * and waits for its restart (its backoff, or its dependencies after it) never gets its stop. */
static struct svc_result on_drain(struct svc *s)
{
	s->draining = true;
	if (s->phase == SVC_PHASE_IDLE || s->phase == SVC_PHASE_BACKOFF) {
		bool lost = s->died; /* set only on the way to a restart, cleared by a stop */
		s->phase = SVC_PHASE_DONE;
		return (struct svc_result){ SVC_ACT_CANCEL_TIMER | (lost ? SVC_ACT_STOP_LOST : 0), 0 };
	}
	return (struct svc_result){ s->phase == SVC_PHASE_UP ? SVC_ACT_STOP_TEST : 0, 0 };
}

struct svc_result svc_handle(struct svc *s, enum svc_event ev, const struct svc_input *in)
{
	struct svc_result none = { 0, 0 };
	switch (ev) {
	case SVC_EV_DEPS_READY:
		return s->phase == SVC_PHASE_IDLE && s->target_up && !s->draining
			       ? (struct svc_result){ SVC_ACT_SPAWN, 0 } : none;
	case SVC_EV_DEPS_BLOCKED:
		if (s->phase == SVC_PHASE_IDLE)
			s->state = SVC_STATE_BLOCKED;
		return none;
	case SVC_EV_SPAWNED:
		return on_spawned(s, in);
	case SVC_EV_SPAWN_FAILED:
		s->state = SVC_STATE_FAILURE;
		s->phase = SVC_PHASE_DONE;
		s->pid = 0;
		return (struct svc_result){ SVC_ACT_CANCEL_TIMER | SVC_ACT_STOP_TEST | SVC_ACT_KICK, 0 };
	case SVC_EV_TEST_PASSED:
		if (!svc_alive(s) || s->state == SVC_STATE_RUNNING)
			return none;
		s->state = SVC_STATE_RUNNING;
		return (struct svc_result){ SVC_ACT_KICK, 0 };
	case SVC_EV_TEST_UNSPAWNABLE:
		if (svc_alive(s))
			s->state = SVC_STATE_TEST_FAILURE;
		return none;
	case SVC_EV_EXITED:
		return on_exited(s, in);
	case SVC_EV_TIMER:
		return on_timer(s);
	case SVC_EV_START:
		return on_start(s);
	case SVC_EV_STOP:
		return on_stop(s, in);
	case SVC_EV_DRAIN:
		return on_drain(s);
	}
	return none;
}

bool svc_satisfies_dependents(const struct svc *s)
{
	return (s->state == SVC_STATE_RUNNING && !s->oneshot) || s->state == SVC_STATE_SUCCESS;
}

uint64_t svc_test_retry_ms(unsigned attempt)
{
	uint64_t ms = SVC_TEST_FIRST_RETRY_MS;
	while (attempt-- > 0 && ms < SVC_TEST_MAX_RETRY_MS)
		ms *= 2;
	return ms < SVC_TEST_MAX_RETRY_MS ? ms : SVC_TEST_MAX_RETRY_MS;
}

const char *svc_state_name(enum svc_state st)
{
	static const char *const names[] = {
		[SVC_STATE_UNKNOWN] = "Unknown",       [SVC_STATE_BLOCKED] = "Blocked",
		[SVC_STATE_SPAWNED] = "Spawned",       [SVC_STATE_RUNNING] = "Running",
		[SVC_STATE_SUCCESS] = "Success",       [SVC_STATE_ERROR] = "Error",
		[SVC_STATE_TEST_FAILURE] = "TestFailure", [SVC_STATE_FAILURE] = "Failure",
	};
	return names[st];
}

void svc_state_format(const struct svc *s, char *buf, size_t len)
{
	if (s->state != SVC_STATE_ERROR) {
		snprintf(buf, len, "%s", svc_state_name(s->state));
	} else if (WIFSIGNALED(s->status)) {
		const char *name = signame_name(WTERMSIG(s->status));
		char num[16];
		if (!name) {
			snprintf(num, sizeof(num), "%d", WTERMSIG(s->status));
			name = num;
		}
		snprintf(buf, len, "Error(Signaled(Pid(%d), %s, %s))", (int)s->last_pid, name,
			 WCOREDUMP(s->status) ? "true" : "false");
	} else {
		snprintf(buf, len, "Error(Exited(Pid(%d), %d))", (int)s->last_pid,
			 WEXITSTATUS(s->status));
	}
}
