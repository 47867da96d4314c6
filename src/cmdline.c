/* SPDX-License-Identifier: MIT */
/* Word splitting of `exec`/`test` strings, a faithful port of the shlex 1.1.0 crate zinit uses. */
#include "cmdline.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

/* The input cursor and the word being built. */
struct lexer {
	const char *p;
	struct strbuf word;
};

/* A vector of words under construction. */
struct words {
	char **v;
	size_t n, cap;
};

/* next_char() - the next input byte, or -1 at the end (shlex's next_char() returning None). */
static int next_char(struct lexer *lx)
{
	if (*lx->p == '\0')
		return -1;
	return (unsigned char)*lx->p++;
}

static void push(struct lexer *lx, int c)
{
	char byte = (char)c;
	strbuf_add(&lx->word, &byte, 1);
}

static bool is_sep(int c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* parse_single() - after an opening ': everything up to the next ' is literal. */
static int parse_single(struct lexer *lx)
{
	for (;;) {
		int c = next_char(lx);

		if (c < 0)
			return -EINVAL;
		if (c == '\'')
			return 0;
		push(lx, c);
	}
}

/* parse_double() - after an opening ": \ escapes only $ ` " \ and newline (which vanishes). */
static int parse_double(struct lexer *lx)
{
	for (;;) {
		int c = next_char(lx);

		if (c < 0)
			return -EINVAL;
		if (c == '"')
			return 0;
		if (c != '\\') {
			push(lx, c);
			continue;
		}
		c = next_char(lx);
		if (c < 0)
			return -EINVAL;
		if (c == '\n')
			continue;
		if (c != '$' && c != '`' && c != '"' && c != '\\')
			push(lx, '\\');
		push(lx, c);
	}
}

/*
 * parse_word() - build one word starting with @c into lx->word. The separator ending the word is
 * consumed, as in shlex. A word made only of backslash-newline is an empty word, as in shlex.
 */
static int parse_word(struct lexer *lx, int c)
{
	int r = 0;

	strbuf_reset(&lx->word);
	for (; c >= 0 && !is_sep(c); c = next_char(lx)) {
		if (c == '"') {
			r = parse_double(lx);
		} else if (c == '\'') {
			r = parse_single(lx);
		} else if (c == '\\') {
			c = next_char(lx);
			if (c < 0)
				r = -EINVAL;
			else if (c != '\n')
				push(lx, c);
		} else {
			push(lx, c);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* skip_blanks() - skip separators and #-comments; return the first byte of a word or -1. */
static int skip_blanks(struct lexer *lx)
{
	int c;

	while ((c = next_char(lx)) >= 0) {
		if (c == '#') {
			while ((c = next_char(lx)) >= 0 && c != '\n')
				;
			if (c < 0)
				return -1;
		} else if (!is_sep(c)) {
			return c;
		}
	}
	return -1;
}

static void words_add(struct words *w, const char *s)
{
	if (w->n + 1 >= w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n++] = xstrdup(s);
	w->v[w->n] = NULL;
}

int cmdline_split(const char *s, char ***argv_out, size_t *argc_out)
{
	struct lexer lx = { .p = s };
	struct words w = { 0 };
	int c, r = 0;

	w.cap = 1;
	w.v = xcalloc(1, sizeof(*w.v));
	while ((c = skip_blanks(&lx)) >= 0) {
		r = parse_word(&lx, c);
		if (r < 0)
			break;
		words_add(&w, strbuf_str(&lx.word));
	}
	strbuf_free(&lx.word);
	if (r < 0) {
		cmdline_free(w.v);
		return r;
	}
	*argv_out = w.v;
	*argc_out = w.n;
	return 0;
}

const char *cmdline_problem(int r, size_t argc)
{
	if (r < 0)
		return "cannot parse command";
	return argc ? NULL : "empty command";
}

void cmdline_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}
