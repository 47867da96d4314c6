/* SPDX-License-Identifier: MIT */
/* zstor stand-in: command-line parsing with the rules of clap 2 (structopt), as zstor uses them. */
#ifndef ZSTOR_CLI_H
#define ZSTOR_CLI_H

/*
 * What clap 2 accepts and the stand-in therefore accepts too: `--name value`, `--name=value`,
 * `-f value`, `-fvalue`, `-f=value`, grouped short flags (`-ns`, `-sdf PATH`), options in any
 * order. Global options come before the subcommand, subcommand options after it (`-d` before
 * the subcommand is --debug, after `store` it is --delete). Errors: an unknown argument, a
 * repeated option, a missing value (a value may not start with '-'), a missing required option
 * print "error: ..." and a usage on stderr, exit 1. -h/--help prints the usage and
 * -V/--version "zstor_v2 0.4.0", exit 0.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct zopt {
	char s;              /* short name, 0 = none */
	const char *l;       /* long name */
	const char *valname; /* NULL = a flag */
	bool required;
	const char *val;     /* the value given (valued options) */
	bool set;
};

enum { ZCLI_OK = 0, ZCLI_HELP = 1, ZCLI_VERSION = 2, ZCLI_ERR = -1 };

static inline const char *zcli_name(const struct zopt *o, char *buf, size_t cap)
{
	if (o->valname)
		snprintf(buf, cap, "--%s <%s>", o->l, o->valname);
	else
		snprintf(buf, cap, "--%s", o->l);
	return buf;
}

__attribute__((format(printf, 2, 3))) static inline int zcli_error(const char *usage,
								const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\nUSAGE:\n    %s\n\nFor more information try --help\n", usage);
	return ZCLI_ERR;
}

static inline int zcli_set(struct zopt *o, const char *val, const char *usage)
{
	char name[128];

	if (o->set)
		return zcli_error(usage, "The argument '%s' was provided more than once, but cannot "
				  "be used multiple times", zcli_name(o, name, sizeof(name)));
	if (o->valname && (!val || (val[0] == '-' && val[1])))
		return zcli_error(usage, "The argument '%s' requires a value but none was supplied",
				  zcli_name(o, name, sizeof(name)));
	o->set = true;
	o->val = val;
	return ZCLI_OK;
}

static inline struct zopt *zcli_find(struct zopt *opts, size_t n, char s, const char *l,
				      size_t llen)
{
	for (size_t i = 0; i < n; i++) {
		if (s && opts[i].s == s)
			return &opts[i];
		if (l && strlen(opts[i].l) == llen && !strncmp(opts[i].l, l, llen))
			return &opts[i];
	}
	return NULL;
}

/* `--name`, `--name=value`, `--name value`; *i is advanced past a consumed value. */
static inline int zcli_long(int argc, char **argv, int *i, struct zopt *opts, size_t n,
			    const char *usage)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	struct zopt *o;

	if (len == 4 && !strncmp(a, "help", 4))
		return ZCLI_HELP;
	if (len == 7 && !strncmp(a, "version", 7))
		return ZCLI_VERSION;
	o = zcli_find(opts, n, 0, a, len);
	if (!o || (eq && !o->valname))
		return zcli_error(usage, "Found argument '%s' which wasn't expected, or isn't valid in "
				  "this context", argv[*i]);
	if (!o->valname || eq)
		return zcli_set(o, eq ? eq + 1 : NULL, usage);
	if (*i + 1 < argc)
		return zcli_set(o, argv[++*i], usage);
	return zcli_set(o, NULL, usage);
}

/* `-abc`, `-fvalue`, `-f=value`, `-f value`. */
static inline int zcli_short(int argc, char **argv, int *i, struct zopt *opts, size_t n,
			     const char *usage)
{
	const char *a = argv[*i];

	for (size_t k = 1; a[k]; k++) {
		struct zopt *o = zcli_find(opts, n, a[k], NULL, 0);
		const char *rest = a + k + 1;
		int rc;

		if (a[k] == 'h')
			return ZCLI_HELP;
		if (a[k] == 'V')
			return ZCLI_VERSION;
		if (!o)
			return zcli_error(usage, "Found argument '-%c' which wasn't expected, or isn't "
					  "valid in this context", a[k]);
		if (!o->valname) {
			rc = zcli_set(o, NULL, usage);
		} else if (*rest) {
			return zcli_set(o, rest + (*rest == '='), usage);
		} else {
			return zcli_set(o, *i + 1 < argc ? argv[++*i] : NULL, usage);
		}
		if (rc)
			return rc;
	}
	return ZCLI_OK;
}

/*
 * zcli_parse: parses argv[*i...] against OPTS. With STOP_AT_WORD (global options), stops at
 * the first word that is not an option (the subcommand) and leaves *i on it; otherwise any such
 * word is an error. Returns ZCLI_OK, ZCLI_HELP, ZCLI_VERSION or ZCLI_ERR (message printed).
 */
static inline int zcli_parse(int argc, char **argv, int *i, struct zopt *opts, size_t n,
			     bool stop_at_word, const char *usage)
{
	int rc = ZCLI_OK;
	char name[128];

	for (; rc == ZCLI_OK && *i < argc; ++*i) {
		const char *a = argv[*i];

		if (a[0] != '-' || !a[1]) {
			if (stop_at_word)
				return ZCLI_OK;
			return zcli_error(usage, "Found argument '%s' which wasn't expected, or isn't "
					  "valid in this context", a);
		}
		if (!strcmp(a, "--"))
			return *i + 1 < argc ? zcli_error(usage, "Found argument '%s' which wasn't "
							  "expected, or isn't valid in this context",
							  argv[*i + 1])
					     : ZCLI_OK;
		rc = a[1] == '-' ? zcli_long(argc, argv, i, opts, n, usage)
				 : zcli_short(argc, argv, i, opts, n, usage);
	}
	for (size_t k = 0; rc == ZCLI_OK && k < n; k++)
		if (opts[k].required && !opts[k].set)
			rc = zcli_error(usage, "The following required arguments were not provided:\n"
				       "    %s", zcli_name(&opts[k], name, sizeof(name)));
	return rc;
}

#endif
