/* SPDX-License-Identifier: MIT */
/* The QSFS built-ins' settings, read from the environment (docs/QSFS.md "Settings"); pure. */
#ifndef QSFS_SETTINGS_H
#define QSFS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#define QSFS_PATH_MAX 1024 /* longest directory or file setting */
#define QSFS_MAX_NS 16     /* namespaces in QSFS_NAMESPACES */
#define QSFS_NS_MAX 128    /* longest namespace name */

struct qsfs_settings {
	char index_dir[QSFS_PATH_MAX];     /* QSFS_INDEX_DIR, absolute, no trailing '/' */
	char data_dir[QSFS_PATH_MAX];      /* QSFS_DATA_DIR */
	char state_dir[QSFS_PATH_MAX];     /* QSFS_STATE_DIR */
	char zstor[QSFS_PATH_MAX];         /* QSFS_ZSTOR: program, PATH lookup */
	char zstor_config[QSFS_PATH_MAX];  /* QSFS_ZSTOR_CONFIG */
	char ready_socket[108];            /* QSFS_READY_SOCKET (fits sun_path) */
	unsigned retrieve_timeout_ms;      /* QSFS_RETRIEVE_TIMEOUT (seconds in the env) */
	unsigned store_timeout_ms;         /* QSFS_STORE_TIMEOUT (seconds) */
	unsigned drain_timeout_ms;         /* QSFS_DRAIN_TIMEOUT (seconds) */
	unsigned closing_grace_ms;         /* QSFS_CLOSING_GRACE_MS */
	size_t n_ns;
	const char *ns[QSFS_MAX_NS];       /* QSFS_NAMESPACES, pointing into ns_buf */
	char ns_buf[QSFS_MAX_NS * (QSFS_NS_MAX + 1)];
};

/* Returns the value of an environment variable, or NULL (getenv, or a test's table). */
typedef const char *(*qsfs_getenv_fn)(const char *name);

/**
 * qsfs_settings_load() - fill @s from the variables @get returns; unset or empty variables
 * take their defaults. Directories must be absolute paths (trailing '/' removed), times
 * whole numbers, namespace names free of '/'. Returns 0, or -EINVAL with a one-line
 * reason naming the variable in @err.
 */
int qsfs_settings_load(struct qsfs_settings *s, qsfs_getenv_fn get, char *err, size_t errlen);

/** qsfs_settings_from_env() - qsfs_settings_load() from this process's environment. */
int qsfs_settings_from_env(struct qsfs_settings *s, char *err, size_t errlen);

/** qsfs_settings_has_ns() - whether @ns is one of QSFS_NAMESPACES. */
bool qsfs_settings_has_ns(const struct qsfs_settings *s, const char *ns);

#endif
