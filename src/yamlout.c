/* SPDX-License-Identifier: MIT */
/* YAML output the way zinit's serde_yaml prints it: `---`, plain or double-quoted scalars; pure. */
#include "yamlout.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* yaml-rust 0.4.5's list (serde_yaml 0.8, Rust zinit's `list`): exact spellings only, and not
 * y/Y/n/N, which it leaves bare on purpose, as libyaml does. */
static bool is_keyword(const char *s)
{
	static const char *const words[] = { "yes", "Yes", "YES", "no", "No", "NO", "true", "True",
					     "TRUE", "false", "False", "FALSE", "on", "On", "ON",
					     "off", "Off", "OFF", "null", "Null", "NULL", "~" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

static size_t digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* What Rust's i64 or f64 parse accepts: [+-] then inf, infinity or nan (any case), or digits
 * with an optional fraction (at least one digit in all) and exponent. No hex, no blanks. */
static bool is_number(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!strcasecmp(s, "inf") || !strcasecmp(s, "infinity") || !strcasecmp(s, "nan"))
		return true;
	size_t whole = digits(s), frac = 0;
	s += whole;
	if (*s == '.') {
		frac = digits(s + 1);
		s += 1 + frac;
	}
	if (whole + frac == 0)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		size_t exp = digits(s);
		if (exp == 0)
			return false;
		s += exp;
	}
	return *s == '\0';
}

static bool yaml_needs_quotes(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || strchr("&*?|-<>=!%@.", s[0]) ||
	    strncmp(s, "0x", 2) == 0 || is_keyword(s) || is_number(s))
		return true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (strchr(":{}[],#`\"'\\", *p) || *p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

void yaml_write_scalar(FILE *f, const char *s)
{
	if (!yaml_needs_quotes(s)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}
