/* SPDX-License-Identifier: MIT */
/* zstor stand-in: store, retrieve and check against the remote dir, with the test knobs applied. */
#ifndef ZSTOR_OBJECTS_H
#define ZSTOR_OBJECTS_H

/*
 * Each function re-reads the knobs file, runs to completion in the calling thread and returns
 * 0 or -1 with the error text in *e (check: 1 = found, 0 = nothing stored). Order of a file
 * store, as in zstor's Store handler and pipeline (`process_file`, which reads the file twice):
 * stat the path, then per file: key, stat, the checksum of a first read (open, hash, close),
 * store_delay_ms, gate, the second read (the file opened again by its path: what is stored),
 * then the "backend" (fail / hang knobs), skip when the stored metadata has the first read's
 * checksum, else write the object (crash_after_stores), then its metadata with the first
 * read's checksum, and delete with -d. A file that changes between the two reads is stored
 * with the checksum of its old content, as zstor does: check answers the metadata, retrieve
 * returns the object.
 */

#include "zstor_ops.h"

static inline int zfail(struct zerr *e, const char *op, const char *key)
{
	zlog("INFO", "INJECTED %s failure key=%s (knob fail)", op, key);
	return zerr_set(e, "error during storage: stand-in: injected %s failure for %s", op, key);
}

static inline int zstor_err_storage(struct zerr *e, const char *what, const char *path, int err)
{
	return zerr_set(e, "error during storage: stand-in: %s %s: %s (os error %d)", what, path,
			strerror(-err), -err);
}

/* zstore_commit: renames the complete temp file TMP into the object path of KEY. */
static inline int zstore_commit(const struct zconf *c, const char *tmp, const char *key,
				struct zerr *e)
{
	char obj[PATH_MAX], dir[PATH_MAX];
	int rc;

	if (zobj_path(c, key, obj, sizeof(obj)) < 0)
		return zstor_err_storage(e, "object path too long for", key, -ENAMETOOLONG);
	snprintf(dir, sizeof(dir), "%s", obj);
	rc = zmkdirs(dirname(dir));
	if (rc == 0 && rename(tmp, obj) < 0)
		rc = -errno;
	return rc ? zstor_err_storage(e, "cannot place object", obj, rc) : 0;
}

/* zstore_write: copies FD (SIZE bytes) into a temp file, then into place as KEY's object. */
static inline int zstore_write(const struct zconf *c, const struct zknobs *k, int fd, off_t size,
			       const char *key, struct zerr *e)
{
	char tmp[PATH_MAX];
	long nth;
	int out, rc;

	snprintf(tmp, sizeof(tmp), "%s/tmp", c->remote);
	rc = zmkdirs(tmp);
	if (rc)
		return zstor_err_storage(e, "cannot create", tmp, rc);
	snprintf(tmp, sizeof(tmp), "%s/tmp/%d.%d.%u", c->remote, (int)getpid(), (int)gettid(),
		 atomic_fetch_add(&ztmp_seq, 1));
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0)
		return zstor_err_storage(e, "cannot create", tmp, -errno);
	nth = zcount_bump(c);
	rc = lseek(fd, 0, SEEK_SET) < 0 ? -errno : 0;
	if (rc == 0 && k->crash_after_stores > 0 && nth == k->crash_after_stores) {
		rc = zcopy(fd, out, (long long)size / 2);
		fsync(out);
		zlog("ERROR", "CRASH store #%ld key=%s: abort half-way (knob crash_after_stores)", nth, key);
		abort();
	}
	if (rc == 0)
		rc = zcopy(fd, out, -1);
	if (rc == 0 && fsync(out) < 0)
		rc = -errno;
	close(out);
	if (rc == 0)
		return zstore_commit(c, tmp, key, e) ? (unlink(tmp), -1) : 0;
	unlink(tmp);
	return zstor_err_storage(e, "cannot write", tmp, rc);
}

/* zstore_same: whether KEY's metadata records checksum SUM (zstor compares the metadata). */
static inline bool zstore_same(const struct zconf *c, const char *key, const uint8_t *sum)
{
	uint8_t stored[ZSTOR_CHECKSUM_LEN];

	return zmeta_read(c, key, stored) == 1 && !memcmp(stored, sum, ZSTOR_CHECKSUM_LEN);
}

/* zstore_backend: the "backend" part of a file store: knobs, skip-if-equal, write the object
 * from FD (the second read) and its metadata with SUM (the first read's checksum). */
static inline int zstore_backend(const struct zconf *c, const struct zknobs *k, int fd,
				 const uint8_t *sum, const char *key, struct zerr *e)
{
	char hex[2 * ZSTOR_CHECKSUM_LEN + 1];
	struct stat st;
	int rc;

	if (zknobs_fails(k, ZKNOB_STORE, key))
		return zfail(e, "store", key);
	if (k->hang[0] && fnmatch(k->hang, key, 0) == 0) {
		zlog("INFO", "HANG store key=%s (knob hang)", key);
		for (;;)
			pause();
	}
	zhex(sum, hex);
	if (zstore_same(c, key, sum)) {
		zlog("INFO", "STORE-SKIP key=%s b2=%s (already uploaded)", key, hex);
		return 0;
	}
	if (fstat(fd, &st) < 0)
		return zerr_io(e, "could not load file metadata", errno);
	if (zstore_write(c, k, fd, st.st_size, key, e))
		return -1;
	rc = zmeta_write(c, key, sum);
	if (rc)
		return zstor_err_storage(e, "cannot write the metadata of", key, rc);
	zlog("INFO", "STORE-DONE key=%s bytes=%lld b2=%s", key, (long long)st.st_size, hex);
	return 0;
}

/* zstore_first_read: the checksum of FILE as zstor's `checksum()` takes it: its own open. */
static inline int zstore_first_read(const char *file, uint8_t *sum, struct zerr *e)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return zerr_io(e, "could not open file", errno);
	rc = zhash_fd(fd, sum);
	close(fd);
	return rc ? zerr_io(e, "could not get file hash", -rc) : 0;
}

/* zstore_file: uploads one regular file (the body of zstor's per-file loop). */
static inline int zstore_file(const struct zconf *c, const char *file, const char *key_dir,
			      bool delete, struct zerr *e)
{
	uint8_t sum[ZSTOR_CHECKSUM_LEN];
	char key[PATH_MAX];
	struct zknobs k;
	struct stat st;
	int fd, rc;

	zknobs_load(c->knobs, &k);
	if (zkey_for_store(file, key_dir, key, e))
		return -1;
	if (stat(file, &st) < 0)
		return zerr_io(e, "could not load file metadata", errno);
	if (!S_ISREG(st.st_mode))
		return zerr_set(e, "error during accessing local storage for only files can be stored: "
				   "invalid data");
	if (zstore_first_read(file, sum, e))
		return -1;
	zsleep_ms(k.store_delay_ms);
	if (k.gate[0] && access(k.gate, F_OK) != 0) {
		zlog("INFO", "GATE store file=%s key=%s waits for %s (knob gate)", file, key, k.gate);
		while (access(k.gate, F_OK) != 0)
			zsleep_ms(20);
	}
	fd = open(file, O_RDONLY | O_CLOEXEC); /* the second read: what is encoded and stored */
	if (fd < 0)
		return zerr_io(e, "could not open file to encode", errno);
	rc = zstore_backend(c, &k, fd, sum, key, e);
	close(fd);
	if (rc == 0 && delete && unlink(file) < 0) /* best effort, as zstor */
		zlog("ERROR", "Failed to delete file \"%s\": %s (os error %d)", file, strerror(errno), errno);
	return rc;
}

/* zstore_dir_entries: the regular files directly in DIR (readdir order); *out is malloc'ed. */
static inline int zstore_dir_entries(const char *dir, char ***out, size_t *n, struct zerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;

	*n = 0;
	if (!d)
		return zerr_io(e, "Could not load dir entries", errno);
	while ((de = readdir(d))) {
		char path[PATH_MAX], **nv;
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue; /* DirEntry::file_type does not follow symlinks */
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv || !(nv[*n] = strdup(path))) {
			v = nv ? nv : v;
			break;
		}
		v = nv;
		++*n;
	}
	closedir(d);
	*out = v;
	return 0;
}

static inline void zstore_save_failure(const struct zconf *c, const struct zstor_cmd *cmd)
{
	char path[PATH_MAX], line[3 * PATH_MAX];
	int fd, n;

	snprintf(path, sizeof(path), "%s/.failures", c->remote);
	n = snprintf(line, sizeof(line), "%s\t%s\t%d\n", cmd->file, cmd->key_path ? cmd->key_path : "-",
		     cmd->delete);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0 && write(fd, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1)) < 0)
		zlog("ERROR", "cannot record the failure in %s", path);
	if (fd >= 0)
		close(fd);
}

static inline int zstore_dir(const struct zconf *c, const struct zstor_cmd *cmd, struct zerr *e)
{
	char **files;
	size_t n;
	int rc = zstore_dir_entries(cmd->file, &files, &n, e);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) /* the first failing file aborts the command */
			rc = zstore_file(c, files[i], cmd->key_path, cmd->delete, e);
		free(files[i]);
	}
	free(files);
	return rc;
}

/* zstore_cmd: a whole Store command (a file, or the regular files of a dir). */
static inline int zstore_cmd(const struct zconf *c, const struct zstor_cmd *cmd, struct zerr *e)
{
	struct stat st;
	int rc;

	if (stat(cmd->file, &st) < 0)
		rc = zerr_io(e, "Could not load file metadata", errno);
	else if (S_ISREG(st.st_mode))
		rc = zstore_file(c, cmd->file, cmd->key_path, cmd->delete, e);
	else if (S_ISDIR(st.st_mode))
		rc = zstore_dir(c, cmd, e);
	else
		rc = zerr_set(e, "error during accessing local storage for Unsupported file type: "
				 "Unsupported file type");
	if (rc && cmd->save_failure)
		zstore_save_failure(c, cmd);
	return rc;
}

static inline int zno_metadata(struct zerr *e)
{
	return zerr_set(e, "error during accessing local storage for no metadata found for file: "
			   "entity not found");
}

/* zretrieve_into: streams OBJ (SIZE bytes) into PATH itself: truncating and not atomic. */
static inline int zretrieve_into(const struct zknobs *k, int obj, off_t size, const char *path,
				 const char *key, struct zerr *e)
{
	char dir[PATH_MAX];
	int out, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	if (strchr(dir, '/') && (rc = zmkdirs(dirname(dir))) < 0)
		return zerr_io(e, "could not create recovered file parent dir", -rc);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (out < 0)
		return zerr_io(e, "could not create output file", errno);
	rc = zcopy(obj, out, (long long)size / 2);
	if (rc == 0 && k->retrieve_delay_ms > 0)
		zsleep_ms(k->retrieve_delay_ms);
	if (rc == 0 && k->retrieve_partial) {
		close(out);
		zlog("INFO", "PARTIAL retrieve key=%s: half written (knob retrieve_partial)", key);
		return zerr_set(e, "error during storage: stand-in: injected partial retrieve of %s", key);
	}
	if (rc == 0)
		rc = zcopy(obj, out, -1);
	close(out);
	return rc ? zerr_set(e, "error during compression: %s (os error %d)", strerror(-rc), -rc) : 0;
}

/* zretrieve: a Retrieve command: the object for key PATH is written to PATH. */
static inline int zretrieve(const struct zconf *c, const char *path, struct zerr *e)
{
	uint8_t sum[ZSTOR_CHECKSUM_LEN];
	char key[PATH_MAX];
	struct zknobs k;
	struct stat st;
	int obj, rc;

	zknobs_load(c->knobs, &k);
	if (zkey_clean(path, key, sizeof(key)) < 0)
		return zno_metadata(e);
	if (zknobs_fails(&k, ZKNOB_RETRIEVE, key))
		return zfail(e, "retrieve", key);
	if (zmeta_read(c, key, sum) != 1)
		return zno_metadata(e);
	obj = zobj_open(c, key);
	if (obj < 0) /* metadata without its data: zstor's load_data fails */
		return zerr_set(e, "error during storage: stand-in: the data of %s is gone", key);
	rc = fstat(obj, &st) < 0 ? zerr_io(e, "could not load file metadata", errno)
				 : zretrieve_into(&k, obj, st.st_size, path, key, e);
	close(obj);
	if (rc == 0)
		zlog("INFO", "RETRIEVE-DONE key=%s bytes=%lld", key, (long long)st.st_size);
	return rc;
}

/* zcheck: a Check command: 1 and *sum (the checksum in KEY's metadata, i.e. of the first read
 * of its last store, whatever the object holds) when something is stored, 0 when nothing is. */
static inline int zcheck(const struct zconf *c, const char *path, uint8_t *sum, struct zerr *e)
{
	char key[PATH_MAX];
	struct zknobs k;
	int rc;

	zknobs_load(c->knobs, &k);
	zsleep_ms(k.check_delay_ms);
	if (zkey_clean(path, key, sizeof(key)) < 0)
		return 0;
	if (zknobs_fails(&k, ZKNOB_CHECK, key))
		return zfail(e, "check", key);
	rc = zmeta_read(c, key, sum);
	if (rc < 0)
		return zerr_set(e, "error during storage: stand-in: cannot read the metadata of %s: %s",
				key, strerror(-rc));
	return rc;
}

#endif
