/* SPDX-License-Identifier: MIT */
/* The manifest: a sorted key -> (digest, size, mtime) table and its tolerant text form. */
#include "qsfs/manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The index of @key, or of where it would be inserted (*found = 0). */
static size_t position(const struct manifest *m, const char *key, int *found)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[mid].key, key);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *key)
{
	int found;
	size_t i = position(m, key, &found);
	return found ? &m->v[i] : NULL;
}

void manifest_set(struct manifest *m, const char *key, const unsigned char digest[DIGEST_LEN],
		  unsigned long long size, long long mtime_ns)
{
	int found;
	size_t i = position(m, key, &found);
	if (!found) {
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 16;
			m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
		}
		memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(*m->v));
		m->n++;
		m->v[i].key = xstrdup(key);
	}
	memcpy(m->v[i].digest, digest, DIGEST_LEN);
	m->v[i].size = size;
	m->v[i].mtime_ns = mtime_ns;
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
	free(m->v);
	*m = (struct manifest){ 0 };
}

void manifest_format(const struct manifest *m, struct strbuf *out)
{
	strbuf_addf(out, "qsfs-manifest %d\n", MANIFEST_VERSION);
	for (size_t i = 0; i < m->n; i++) {
		char hex[DIGEST_HEX_LEN + 1];
		digest_to_hex(m->v[i].digest, hex);
		strbuf_addf(out, "%s %llu %lld ", hex, m->v[i].size, m->v[i].mtime_ns);
		textfield_add(out, m->v[i].key);
		strbuf_add(out, "\n", 1);
	}
}

/* Splits off the next space-separated word of @line (length *n); NULL when none is left. */
static const char *word(const char **line, const char *end, size_t *n)
{
	const char *w = *line;
	if (w >= end)
		return NULL;
	const char *sp = memchr(w, ' ', (size_t)(end - w));
	*n = sp ? (size_t)(sp - w) : (size_t)(end - w);
	*line = sp ? sp + 1 : end;
	return *n ? w : NULL;
}

static const char *parse_line(struct manifest *m, const char *p, const char *end)
{
	const char *w[4];
	size_t n[4];
	for (int i = 0; i < 3; i++)
		if (!(w[i] = word(&p, end, &n[i])))
			return "too few fields";
	w[3] = p;
	n[3] = (size_t)(end - p);
	unsigned char d[DIGEST_LEN];
	long long size, mtime;
	if (digest_from_hex(w[0], n[0], d) < 0)
		return "bad digest";
	if (!textfield_number(w[1], n[1], &size) || !textfield_number(w[2], n[2], &mtime))
		return "bad size or mtime";
	char *key = textfield_unescape(w[3], n[3]);
	if (!key || key[0] != '/') {
		free(key);
		return "bad key";
	}
	manifest_set(m, key, d, (unsigned long long)size, mtime);
	free(key);
	return NULL;
}

static void report(struct manifest_report *rep, unsigned line, const char *why)
{
	if (rep->bad_lines++ == 0)
		snprintf(rep->first_error, sizeof(rep->first_error), "line %u: %s", line, why);
}

int manifest_parse(struct manifest *m, const char *text, size_t len, struct manifest_report *rep)
{
	*rep = (struct manifest_report){ 0 };
	static const char header[] = "qsfs-manifest 1\n";
	if (len == 0)
		return 0;
	if (len < sizeof(header) - 1 || memcmp(text, header, sizeof(header) - 1) != 0) {
		report(rep, 1, "not a qsfs-manifest 1 file");
		return -EINVAL;
	}
	const char *p = text + sizeof(header) - 1, *stop = text + len;
	for (unsigned line = 2; p < stop; line++) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		if (!nl) {
			report(rep, line, "torn line (no newline)");
			break;
		}
		const char *why = parse_line(m, p, nl);
		if (why)
			report(rep, line, why);
		p = nl + 1;
	}
	return 0;
}
