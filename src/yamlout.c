/* SPDX-License-Identifier: MIT */
/* YAML output the way zinit's serde_yaml prints it: `---`, plain or double-quoted scalars; pure. */
#include "yamlout.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_keyword(const char *s)
{
	static const char *const words[] = { "yes", "no", "true", "false", "on", "off", "null", "~",
					     "y", "n" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

static bool is_number(const char *s)
{
	char *end;
	strtod(s, &end);
	return *end == '\0';
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
