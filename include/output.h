/* SPDX-License-Identifier: MIT */
/* zinit's own stdout/stderr: whole lines, non-blocking, bounded, with back-pressure. */
#ifndef ZINIT_OUTPUT_H
#define ZINIT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

/* Buffered bytes past which readers are asked to pause (per stream). Small: the pipe behind
 * (Docker's, grown to 1 MiB) is the buffer; a bigger queue only adds bytes to move and to
 * keep in cache (issue 12: with 1 MiB a flood cost 4-10 % more CPU, at the same speed). */
#define OUTPUT_HIGH_WATER (64 * 1024)

/* Buffered bytes past which zinit's own messages are dropped (and counted) instead of queued. */
#define OUTPUT_NOTES_LIMIT (4 * 1024 * 1024)

/* Buffered bytes past which the lines of an exited service (read on while the output is
 * congested: nothing to pause) are dropped: half the limit of zinit's own messages, which keep
 * room behind them. */
#define OUTPUT_ORPHAN_LIMIT (OUTPUT_NOTES_LIMIT / 2)

/* Told when the output becomes congested (true) and when it has drained (false). */
typedef void (*output_pressure_fn)(bool congested);

/**
 * output_init() - take over fds 1 and 2 for non-blocking writes driven by @loop. Pipes and
 * terminals are reopened through /proc/self/fd so that O_NONBLOCK does not leak into the
 * open file description our parent shares; regular files are written directly.
 * Before this call, and after output_close(), lines are written with blocking writes.
 */
void output_init(uv_loop_t *loop, output_pressure_fn on_pressure);

/**
 * output_line() - queue @len bytes of @line plus a newline on @fd (1 or 2). Lines are never
 * split or interleaved. Call output_flush() after a batch.
 */
void output_line(int fd, const char *line, size_t len);

/** output_line2() - output_line() of @pre followed by @line (a service's prefix and line). */
void output_line2(int fd, const char *pre, size_t plen, const char *line, size_t len);

/**
 * output_line2_bounded() - output_line2() unless more than OUTPUT_ORPHAN_LIMIT is pending on
 * @fd: for lines nothing can be paused for. Return: whether the line was queued.
 */
bool output_line2_bounded(int fd, const char *pre, size_t plen, const char *line, size_t len);

/**
 * output_note() - like output_line() for zinit's own messages: never paused, but dropped
 * (and counted) if the stream is stuck beyond four times the high-water mark.
 */
void output_note(int fd, const char *line, size_t len);

/** output_flush() - write what is queued as far as the fds accept it now. */
void output_flush(void);

/** output_congested() - whether readers should stay paused. */
bool output_congested(void);

/**
 * output_close() - write what is left, waiting at most @timeout_ms for a stuck reader, and
 * release the loop handles (their close callbacks run on the next loop iteration).
 */
void output_close(int timeout_ms);

#endif
