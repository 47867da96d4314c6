/* SPDX-License-Identifier: MIT */
/* Reads a child's stdout or stderr pipe, line by line, into the ring and zinit's output. */
#ifndef ZINIT_LOGSTREAM_H
#define ZINIT_LOGSTREAM_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "unit.h"

/**
 * logstream_init() - lines will go to the log bus (ring and subscribers) and, for
 * `log: stdout`, to zinit's stdout/stderr through the output module.
 */
void logstream_init(uv_loop_t *loop);

/**
 * logstream_open() - the descriptor to give a child as its fd @stdfd (1 or 2). For
 * UNIT_LOG_NONE it is /dev/null; otherwise the write end of a pipe whose lines are stored as
 * "[+] TAG: line" (stdout) or "[-] TAG: line" (stderr). The stream lives until every writer
 * has closed the pipe. The caller closes the returned fd once the child has it.
 * With @tty the descriptor is the terminal side of a pseudo-terminal in raw mode instead of a
 * pipe, so that stdio line-buffers what the child prints; where none can be had, a pipe and a
 * warning naming @tag. @writer is the caller's name for the process that will write to it,
 * for logstream_writer_gone().
 * Return: the fd, or a negative errno.
 */
int logstream_open(const char *tag, int stdfd, enum unit_log mode, bool tty, uint64_t writer);

/**
 * logstream_writer_gone() - the process named @writer has exited (or never started): its
 * streams are read to their end from now on, even while the output is congested (nothing is
 * left to slow down, and a paused stream would keep its pipe). Their lines go to the ring;
 * to zinit's stdout/stderr while less than OUTPUT_ORPHAN_LIMIT is pending there, else they are
 * counted, and a WARN says how many when the stream ends.
 */
void logstream_writer_gone(uint64_t writer);

/** logstream_pause() - stop or resume reading the pipes whose lines go to zinit's stdout or
 * stderr (output back-pressure); ring-only ones, and those whose writer is gone, are always
 * read. */
void logstream_pause(int paused);

/**
 * logstream_on_idle() - call @cb once no stream is open any more (at once if none is); NULL
 * cancels. Used at exit to read every pipe to its end before closing.
 */
void logstream_on_idle(void (*cb)(void));

/** logstream_close_all() - flush partial lines of every open stream and close them. */
void logstream_close_all(void);

#endif
