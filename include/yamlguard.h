/* SPDX-License-Identifier: MIT */
/* Bounds on a YAML text before it is loaded: nesting depth and alias expansion (pure, libyaml events). */
#ifndef ZINIT_YAMLGUARD_H
#define ZINIT_YAMLGUARD_H

#include <stddef.h>

/* Deeper nesting is refused: a unit is three levels deep (root, signal/env/after, scalar). */
#define YAMLGUARD_MAX_DEPTH 32
/* What the document may weigh once every alias is expanded: scalar bytes plus 16 per node. */
#define YAMLGUARD_MAX_WEIGHT (4u * 1024 * 1024)
/* At most this many anchors are remembered; more is refused. */
#define YAMLGUARD_MAX_ANCHORS 256

struct yamlguard_error {
	size_t line, column; /* 0-based, as libyaml's marks */
	const char *problem; /* static text */
};

/**
 * yamlguard_check() - walk @text (@len bytes) with libyaml's event parser, stopping at the
 * first event past YAMLGUARD_MAX_DEPTH levels of nesting or once aliases would expand the
 * document past YAMLGUARD_MAX_WEIGHT, so that neither libyaml's scanner (quadratic in the
 * nesting depth) nor the document loader (which copies every alias target) gets to run on
 * such input. Syntax errors are not reported here: the loader reports them with its own
 * messages.
 * Return: 0, or -E2BIG with @err filled in.
 */
int yamlguard_check(const char *text, size_t len, struct yamlguard_error *err);

#endif
