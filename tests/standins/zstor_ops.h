/* SPDX-License-Identifier: MIT */
/* zstor stand-in: the log file, zstor's error texts, keys, and file helpers for the remote dir. */
#ifndef ZSTOR_OPS_H
#define ZSTOR_OPS_H

/*
 * Remote layout: the object for key /a/b/c is <remote>/files/a/b/c. A store writes
 * <remote>/tmp/<pid>.<tid>.<n> and renames it into place only when complete, so a crash never
 * leaves a partial object. Its metadata, <remote>/meta/a/b/c, written (the same way) after the
 * object, holds the hex blake2b-128 (`b2sum -l 128`) that zstor records: that of the store's
 * first read of the file, which need not be the object's content (zstor_objects.h). check and
 * retrieve look at the metadata first, as zstor's LoadMeta: an object without metadata is not
 * stored. <remote>/.failures gets one line per failed store with
 * --save-failure. Every store that writes an object increments the number in
 * <dir of knobs>/.count (flock'ed, shared by all processes).
 *
 * Keys, as in zstor v0.4.0: store uses std::fs::canonicalize(key_dir/basename) (key_dir = the
 * file's parent or --key-path; a missing file is created, canonicalized and removed, like
 * `canonicalize_path`), retrieve and check use a lexical clean of the path as given
 * (`path_clean`), so a relative path never finds an object.
 *
 * Error texts follow ZstorError's Display: "error during <kind>: <cause>", where an OS error
 * reads "<strerror> (os error N)".
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "zstor_conf.h"
#include "zstor_proto.h"

struct zerr {
	char msg[PATH_MAX + 512];
};

static int zlog_fd = -1;
static bool zlog_debug;
static atomic_uint ztmp_seq;

/* zlog: one line "YYYY-mm-dd HH:MM:SS TZ: LEVEL msg" (log4rs pattern), one write(2). */
__attribute__((format(printf, 2, 3))) static inline void zlog(const char *level,
							      const char *fmt, ...)
{
	char line[PATH_MAX * 2 + 512];
	time_t now = time(NULL);
	struct tm tm;
	size_t n;
	va_list ap;

	if (zlog_fd < 0 || (!zlog_debug && !strcmp(level, "DEBUG")))
		return;
	localtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S %Z: ", &tm);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "%s ", level);
	va_start(ap, fmt);
	if (n < sizeof(line))
		n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	line[n++] = '\n';
	if (write(zlog_fd, line, n) < 0) {
		/* nowhere to report it */
	}
}

__attribute__((format(printf, 2, 3))) static inline int zerr_set(struct zerr *e,
								 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ZstorError::new_io(what, os error) */
static inline int zerr_io(struct zerr *e, const char *what, int errnum)
{
	return zerr_set(e, "error during accessing local storage for %s: %s (os error %d)", what,
			strerror(errnum), errnum);
}

static inline void zsleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* zmkdirs: mkdir -p PATH. */
static inline int zmkdirs(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* zkey_clean: lexical normalisation (path_clean): drops ".", "//" and resolves ".." textually. */
static inline int zkey_clean(const char *in, char *out, size_t cap)
{
	char tmp[PATH_MAX], *save = NULL, *parts[PATH_MAX / 2];
	bool abs = in[0] == '/';
	size_t np = 0, n = 0;

	if (snprintf(tmp, sizeof(tmp), "%s", in) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..") && np > 0 && strcmp(parts[np - 1], ".."))
			np--;
		else if (strcmp(c, "..") || !abs) /* "/.." is "/" */
			parts[np++] = c;
	}
	if (cap < 2)
		return -ENAMETOOLONG;
	strcpy(out, abs ? "/" : np ? "" : ".");
	n = strlen(out);
	for (size_t i = 0; i < np; i++) {
		size_t len = strlen(parts[i]) + (i > 0);

		if (n + len + 1 > cap)
			return -ENAMETOOLONG;
		n += (size_t)sprintf(out + n, "%s%s", i > 0 ? "/" : "", parts[i]);
	}
	return 0;
}

/* zkey_canonical: std::fs::canonicalize, creating and removing PATH if it does not exist. */
static inline int zkey_canonical(const char *path, char *out, struct zerr *e)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == 0) {
		if (!realpath(path, out))
			return zerr_io(e, "could not canonicalize path", errno);
		return 0;
	}
	if (errno != ENOENT)
		return zerr_io(e, "could not load file metadata", errno);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return zerr_io(e, "could not create temp file", errno);
	close(fd);
	if (!realpath(path, out)) {
		int err = errno;

		unlink(path);
		return zerr_io(e, "could not canonicalize path", err);
	}
	if (unlink(path) < 0)
		return zerr_io(e, "could not remove temp file", errno);
	return 0;
}

/* zkey_for_store: the key of FILE stored with --key-path KEY_DIR (NULL: FILE's own dir). */
static inline int zkey_for_store(const char *file, const char *key_dir, char *key, struct zerr *e)
{
	char tmp[PATH_MAX], dir[PATH_MAX], joined[PATH_MAX], *base;
	size_t n = strlen(file);

	if (n >= sizeof(tmp))
		return zerr_io(e, "could not load file metadata", ENAMETOOLONG);
	memcpy(tmp, file, n + 1);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	base = strrchr(tmp, '/');
	base = base ? base + 1 : tmp;
	if (!*base || !strcmp(base, ".."))
		return zerr_set(e, "error during accessing local storage for Could not get file name "
				   "of data file: entity not found");
	if (key_dir)
		snprintf(dir, sizeof(dir), "%s", key_dir);
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(base - tmp), tmp);
	if (snprintf(joined, sizeof(joined), "%s%s%s", dir,
		     (!dir[0] || dir[strlen(dir) - 1] == '/') ? "" : "/", base) >= (int)sizeof(joined))
		return zerr_io(e, "could not load file metadata", ENAMETOOLONG);
	return zkey_canonical(joined, key, e);
}

static inline int zobj_path(const struct zconf *c, const char *key, char *out, size_t cap)
{
	if (snprintf(out, cap, "%s/files%s", c->remote, key) >= (int)cap)
		return -ENAMETOOLONG;
	return 0;
}

static inline int zmeta_path(const struct zconf *c, const char *key, char *out, size_t cap)
{
	if (snprintf(out, cap, "%s/meta%s", c->remote, key) >= (int)cap)
		return -ENAMETOOLONG;
	return 0;
}

static inline int zhexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* zmeta_read: 1 and SUM from KEY's metadata, 0 when there is none, or -errno. */
static inline int zmeta_read(const struct zconf *c, const char *key, uint8_t sum[ZSTOR_CHECKSUM_LEN])
{
	char path[PATH_MAX], buf[2 * ZSTOR_CHECKSUM_LEN + 2];
	ssize_t r;
	int fd;

	if (key[0] != '/' || zmeta_path(c, key, path, sizeof(path)) < 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EISDIR ? 0 : -errno;
	r = read(fd, buf, sizeof(buf));
	close(fd);
	if (r < 2 * ZSTOR_CHECKSUM_LEN)
		return r < 0 ? -errno : -EBADMSG;
	for (int i = 0; i < ZSTOR_CHECKSUM_LEN; i++) {
		int hi = zhexval(buf[2 * i]), lo = zhexval(buf[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EBADMSG;
		sum[i] = (uint8_t)(hi << 4 | lo);
	}
	return 1;
}

/* zhash_fd: blake2b-128 of FD's content from offset 0. */
static inline int zhash_fd(int fd, uint8_t sum[ZSTOR_CHECKSUM_LEN])
{
	crypto_generichash_state st;
	uint8_t buf[65536];
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	crypto_generichash_init(&st, NULL, 0, ZSTOR_CHECKSUM_LEN);
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		crypto_generichash_update(&st, buf, (unsigned long long)r);
	}
	crypto_generichash_final(&st, sum, ZSTOR_CHECKSUM_LEN);
	return 0;
}

static inline void zhex(const uint8_t sum[ZSTOR_CHECKSUM_LEN], char out[2 * ZSTOR_CHECKSUM_LEN + 1])
{
	for (int i = 0; i < ZSTOR_CHECKSUM_LEN; i++)
		sprintf(out + 2 * i, "%02x", sum[i]);
}

/* zmeta_write: KEY's metadata records SUM (a temp file renamed into place). */
static inline int zmeta_write(const struct zconf *c, const char *key,
			      const uint8_t sum[ZSTOR_CHECKSUM_LEN])
{
	char path[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX], line[2 * ZSTOR_CHECKSUM_LEN + 2];
	int fd, rc = 0;

	if (zmeta_path(c, key, path, sizeof(path)) < 0)
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%s", path);
	rc = zmkdirs(dirname(dir));
	if (rc == 0) {
		snprintf(tmp, sizeof(tmp), "%s/tmp", c->remote);
		rc = zmkdirs(tmp);
	}
	if (rc)
		return rc;
	snprintf(tmp, sizeof(tmp), "%s/tmp/meta.%d.%d.%u", c->remote, (int)getpid(), (int)gettid(),
		 atomic_fetch_add(&ztmp_seq, 1));
	zhex(sum, line);
	strcat(line, "\n");
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line) || fsync(fd) < 0)
		rc = errno ? -errno : -EIO;
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

/* zobj_open: the object of KEY (a lexically clean absolute path), read-only; -ENOENT if none. */
static inline int zobj_open(const struct zconf *c, const char *key)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (key[0] != '/' || zobj_path(c, key, path, sizeof(path)) < 0)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/* zcopy: copies up to MAX bytes (or to EOF when MAX < 0) from IN to OUT. */
static inline int zcopy(int in, int out, long long max)
{
	uint8_t buf[65536];

	while (max != 0) {
		size_t want = max < 0 || max > (long long)sizeof(buf) ? sizeof(buf) : (size_t)max;
		ssize_t r = read(in, buf, want);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		for (ssize_t off = 0; off < r;) {
			ssize_t w = write(out, buf + off, (size_t)(r - off));

			if (w < 0 && errno != EINTR)
				return -errno;
			off += w > 0 ? w : 0;
		}
		if (max > 0)
			max -= r;
	}
	return 0;
}

/* zcount_bump: increments the cross-process store counter; returns the new value or -errno. */
static inline long zcount_bump(const struct zconf *c)
{
	char dir[PATH_MAX], path[PATH_MAX + 8], buf[32] = "";
	long n;
	int fd;
	ssize_t r;

	snprintf(dir, sizeof(dir), "%s", c->knobs);
	snprintf(path, sizeof(path), "%s/.count", dirname(dir));
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	flock(fd, LOCK_EX);
	r = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[r > 0 ? r : 0] = '\0';
	n = atol(buf) + 1;
	r = snprintf(buf, sizeof(buf), "%ld\n", n);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, (size_t)r, 0) != r)
		n = -EIO;
	close(fd); /* releases the lock */
	return n;
}

#endif
