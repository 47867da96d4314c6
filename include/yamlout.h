/* SPDX-License-Identifier: MIT */
/* YAML output the way zinit's serde_yaml prints it: `---`, plain or double-quoted scalars; pure. */
#ifndef ZINIT_YAMLOUT_H
#define ZINIT_YAMLOUT_H

#include <stdbool.h>
#include <stdio.h>

/**
 * yaml_write_scalar() - write @s plain, or double-quoted (with escapes) where serde_yaml /
 * yaml-rust would quote it: empty; leading or trailing space; a leading & * ? | - < > = ! %
 * @ or .; a leading "0x"; any of : { } [ ] , # ` " ' \ or a control character; a YAML
 * boolean/null word (yes no true false on off null ~, in any case); or a number.
 */
void yaml_write_scalar(FILE *f, const char *s);

#endif
