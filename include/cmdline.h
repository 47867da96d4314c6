/* SPDX-License-Identifier: MIT */
/* Word splitting of `exec`/`test` strings exactly as zinit does it (shlex 1.1.0): no shell. */
#ifndef ZINIT_CMDLINE_H
#define ZINIT_CMDLINE_H

#include <stddef.h>

/**
 * cmdline_split() - split @s into words the way zinit's shlex does.
 * @s:        the command string.
 * @argv_out: receives a malloc'd, NULL-terminated vector of malloc'd words
 *            (free with cmdline_free()); untouched on error.
 * @argc_out: receives the number of words (may be 0: an empty or comment-only command).
 *
 * Separators are space, TAB and '\n' only. '...' is literal; inside "..." a backslash escapes
 * only $ ` " \ and newline (kept otherwise); a bare backslash escapes the next character and
 * backslash-newline vanishes; '#' at the start of a word comments out the rest of the line.
 * Return: 0, or -EINVAL for an unterminated quote or a trailing backslash.
 */
int cmdline_split(const char *s, char ***argv_out, size_t *argc_out);

/**
 * cmdline_problem() - why a command that cmdline_split() returned @r and @argc for cannot run:
 * "cannot parse command" (@r < 0: an unterminated quote, a trailing backslash) or "empty
 * command" (no word: blank, or only a comment); NULL when it has a word to execute.
 */
const char *cmdline_problem(int r, size_t argc);

/** cmdline_free() - free a vector returned by cmdline_split(); NULL is fine. */
void cmdline_free(char **argv);

#endif
