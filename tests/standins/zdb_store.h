/* SPDX-License-Identifier: MIT */
/* zdb stand-in, part 2 of 3: namespaces, index and data files, rollover (included once by zdb.c). */
#ifndef ZDB_STORE_H
#define ZDB_STORE_H

/*
 * On-disk layout (the stand-in's own format, not 0-db's):
 *   <index>/<ns>/zdb-namespace  text descriptor, "key=value" lines (password, public...)
 *   <index>/<ns>/i<k>           header "SZI1" + u32 k, then entries:
 *                               u8 keylen, u8 flags (1 = deleted), key, u32 data id,
 *                               u32 payload offset, u32 payload length
 *   <data>/<ns>/d<k>            header "SZD1" + u32 k, then records: u8 keylen, u32 length, key,
 *                               payload
 * Integers are little-endian (host order on x86). Index entries are appended; a seq-mode
 * overwrite and a DEL rewrite the existing entry in place, in whatever i<k> holds it, and
 * mark k dirty (0-db's index_set/index_entry_delete). At start every i<k> is replayed in order.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#define NS_MAX 64
#define NS_NAME_MAX 128
#define KEY_MAX 255
#define DIRTY_MAX 4096 /* index file ids tracked in the dirty bitmap */
#define HDR_SIZE 8
#define ENTRY_FIXED 14 /* an index entry without its key */
#define RECORD_FIXED 5 /* a data record without its key and payload */
#define PROPS_MAX 8
#define DIR_MAX 1024 /* <root>/<ns>: the roots are checked to fit at start */

struct entry {
	uint8_t klen;
	uint8_t deleted;
	unsigned char key[KEY_MAX];
	uint32_t index_id, index_off; /* where the entry itself lives */
	uint32_t data_id, data_off, len;
};

struct prop {
	char name[16];
	char value[128];
};

struct ns {
	char name[NS_NAME_MAX + 1];
	char index_dir[DIR_MAX], data_dir[DIR_MAX];
	char index_path[PATH_MAX], data_path[PATH_MAX]; /* current i<k> and d<k> */
	int index_fd, data_fd;
	uint32_t index_id, data_id;
	uint64_t index_size, data_size;
	uint64_t dirty[DIRTY_MAX / 64];
	struct prop props[PROPS_MAX];
	int nprops;
	struct entry *entries;
	size_t n, cap;
};

/*
 * The namespaces, in slot order. The signal handlers read this table, so a slot is filled
 * completely before `nns` counts it.
 */
static struct ns namespaces[NS_MAX];
static volatile sig_atomic_t nns;

static const char *const prop_names[] = { "maxsize", "password", "public", "worm",
					   "mode",    "lock",     "freeze", NULL };

static const char *ns_prop(const struct ns *ns, const char *name)
{
	for (int i = 0; i < ns->nprops; i++)
		if (strcmp(ns->props[i].name, name) == 0)
			return ns->props[i].value;
	return NULL;
}

static int ns_set_prop(struct ns *ns, const char *name, const char *value)
{
	int i = 0;

	while (i < ns->nprops && strcmp(ns->props[i].name, name) != 0)
		i++;
	if (i == PROPS_MAX)
		return -ENOSPC;
	if (i == ns->nprops)
		ns->nprops++;
	snprintf(ns->props[i].name, sizeof ns->props[i].name, "%s", name);
	snprintf(ns->props[i].value, sizeof ns->props[i].value, "%s", value);
	return 0;
}

static struct ns *ns_find(const char *name)
{
	for (int i = 0; i < nns; i++)
		if (strcmp(namespaces[i].name, name) == 0)
			return &namespaces[i];
	return NULL;
}

/* ---- dirty bitmap ---- */

static void dirty_set(struct ns *ns, uint32_t id)
{
	if (id < DIRTY_MAX)
		ns->dirty[id / 64] |= 1ULL << (id % 64);
}

/* dirty_format: "0 3 7" (ids in increasing order) or "": no malloc, usable from a handler. */
static void dirty_format(const struct ns *ns, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (uint32_t id = 0; id < DIRTY_MAX; id++) {
		if (!(ns->dirty[id / 64] & (1ULL << (id % 64))))
			continue;
		int n = snprintf(out + len, size - len, "%s%u", len ? " " : "", id);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
}

/* ---- files ---- */

static int write_all_at(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void file_path(char *out, const char *dir, char kind, uint32_t id)
{
	snprintf(out, PATH_MAX, "%s/%c%u", dir, kind, id);
}

/* file_open: opens (creating, with its header) i<id> or d<id>; fd or -errno. No O_CLOEXEC. */
static int file_open(const char *path, const char *magic, uint32_t id, uint64_t *size)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT, 0644);

	if (fd < 0 || fstat(fd, &st) < 0) {
		int err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	*size = (uint64_t)st.st_size;
	if (st.st_size == 0) {
		unsigned char hdr[HDR_SIZE];
		memcpy(hdr, magic, 4);
		memcpy(hdr + 4, &id, 4);
		int err = write_all_at(fd, hdr, HDR_SIZE, 0);
		if (err < 0) {
			close(fd);
			return err;
		}
		*size = HDR_SIZE;
	}
	return fd;
}

/* file_reopen: opens path as the new file behind `*fd`, keeping the fd number (dup2). */
static int file_reopen(int *fd, char *cur_path, const char *path, const char *magic, uint32_t id,
		       uint64_t *size)
{
	int nfd = file_open(path, magic, id, size);

	if (nfd < 0)
		return nfd;
	if (*fd >= 0) {
		dup2(nfd, *fd);
		close(nfd);
	} else {
		*fd = nfd;
	}
	snprintf(cur_path, PATH_MAX, "%s", path);
	return 0;
}

static int ns_open_index(struct ns *ns, uint32_t id)
{
	char path[PATH_MAX];

	file_path(path, ns->index_dir, 'i', id);
	ns->index_id = id;
	return file_reopen(&ns->index_fd, ns->index_path, path, "SZI1", id, &ns->index_size);
}

static int ns_open_data(struct ns *ns, uint32_t id)
{
	char path[PATH_MAX];

	file_path(path, ns->data_dir, 'd', id);
	ns->data_id = id;
	return file_reopen(&ns->data_fd, ns->data_path, path, "SZD1", id, &ns->data_size);
}

/* ---- descriptor ---- */

static int ns_write_descriptor(const struct ns *ns)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];

	snprintf(path, sizeof path, "%s/zdb-namespace", ns->index_dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# zdb stand-in namespace descriptor\nname=%s\n", ns->name);
	for (int i = 0; i < ns->nprops; i++)
		fprintf(f, "%s=%s\n", ns->props[i].name, ns->props[i].value);
	int err = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -errno;
	if (fclose(f) != 0 && err == 0)
		err = -errno;
	if (err == 0 && rename(tmp, path) < 0)
		err = -errno;
	return err;
}

static void ns_read_descriptor(struct ns *ns)
{
	char path[PATH_MAX], line[256];

	snprintf(path, sizeof path, "%s/zdb-namespace", ns->index_dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *eq = strchr(line, '=');
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		if (strcmp(line, "name") != 0)
			ns_set_prop(ns, line, eq + 1);
	}
	fclose(f);
}

/* ---- the key map ---- */

static uint64_t key_seq(const unsigned char *key)
{
	uint64_t seq;

	memcpy(&seq, key, 8);
	return seq;
}

static struct entry *entry_find(struct ns *ns, const unsigned char *key, size_t klen)
{
	if (cfg.seq_mode) {
		if (klen != 8 || key_seq(key) >= ns->n)
			return NULL;
		return &ns->entries[key_seq(key)];
	}
	for (size_t i = ns->n; i-- > 0;)
		if (ns->entries[i].klen == klen && memcmp(ns->entries[i].key, key, klen) == 0)
			return &ns->entries[i];
	return NULL;
}

static struct entry *entry_add(struct ns *ns)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;
		struct entry *e = realloc(ns->entries, cap * sizeof *e);
		if (!e)
			return NULL;
		ns->entries = e;
		ns->cap = cap;
	}
	memset(&ns->entries[ns->n], 0, sizeof ns->entries[0]);
	return &ns->entries[ns->n++];
}

/* entry_apply: one entry read back from i<id> at off; a later one for the same key wins. */
static int entry_apply(struct ns *ns, uint32_t id, uint32_t off, const unsigned char *raw)
{
	uint8_t klen = raw[0];
	struct entry *e = entry_find(ns, raw + 2, klen);

	if (!e && cfg.seq_mode && (klen != 8 || key_seq(raw + 2) != ns->n))
		return -EINVAL; /* a hole in the sequence: not a file this program wrote */
	if (!e && !(e = entry_add(ns)))
		return -ENOMEM;
	e->klen = klen;
	e->deleted = raw[1] & 1;
	memcpy(e->key, raw + 2, klen);
	e->index_id = id;
	e->index_off = off;
	memcpy(&e->data_id, raw + 2 + klen, 4);
	memcpy(&e->data_off, raw + 6 + klen, 4);
	memcpy(&e->len, raw + 10 + klen, 4);
	return 0;
}

/* ns_replay_index: reads i<id> into the key map; *good = the size of its complete part. */
static int ns_replay_index(struct ns *ns, uint32_t id, uint64_t *good)
{
	char path[PATH_MAX];
	struct stat st;
	int err = 0;

	file_path(path, ns->index_dir, 'i', id);
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		err = -errno;
		goto out;
	}
	unsigned char *buf = malloc((size_t)st.st_size + 1);
	if (!buf || pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
		err = buf ? -EIO : -ENOMEM;
		free(buf);
		goto out;
	}
	size_t off = HDR_SIZE, size = (size_t)st.st_size;
	while (err == 0 && off + ENTRY_FIXED <= size && off + ENTRY_FIXED + buf[off] <= size) {
		err = entry_apply(ns, id, (uint32_t)off, buf + off);
		off += ENTRY_FIXED + buf[off];
	}
	*good = off < size ? off : size;
	free(buf);
out:
	if (fd >= 0)
		close(fd);
	return err;
}

/* ns_load: the key map from every i<k> (contiguous from i0), then the current files open. */
static int ns_load(struct ns *ns)
{
	char path[PATH_MAX];
	uint32_t id = 0;
	uint64_t good = 0;
	int err;

	file_path(path, ns->index_dir, 'i', 0);
	while (access(path, F_OK) == 0) {
		if ((err = ns_replay_index(ns, id, &good)) < 0) {
			say("[-] index: %s: replay of i%u failed: %s", ns->name, id, strerror(-err));
			return err;
		}
		file_path(path, ns->index_dir, 'i', ++id);
	}
	id = id ? id - 1 : 0;
	if ((err = ns_open_index(ns, id)) < 0 || (err = ns_open_data(ns, id)) < 0)
		return err;
	if (good > HDR_SIZE && good < ns->index_size) { /* a torn last entry: drop it */
		if (ftruncate(ns->index_fd, (off_t)good) == 0)
			ns->index_size = good;
	}
	say("[+] namespace: %s loaded, %zu entries, current id %u", ns->name, ns->n, id);
	return 0;
}

/* ns_setup: the next free slot for `name` (paths filled in), not yet counted in nns. */
static struct ns *ns_setup(const char *name)
{
	if (nns >= NS_MAX)
		return NULL;
	struct ns *ns = &namespaces[nns];
	memset(ns, 0, sizeof *ns);
	snprintf(ns->name, sizeof ns->name, "%s", name);
	snprintf(ns->index_dir, sizeof ns->index_dir, "%s/%s", cfg.index_root, name);
	snprintf(ns->data_dir, sizeof ns->data_dir, "%s/%s", cfg.data_root, name);
	ns->index_fd = ns->data_fd = -1;
	return ns;
}

static void ns_release(struct ns *ns)
{
	if (ns->index_fd >= 0)
		close(ns->index_fd);
	if (ns->data_fd >= 0)
		close(ns->data_fd);
	free(ns->entries);
	memset(ns, 0, sizeof *ns);
}

/* ns_create: directories, descriptor and i0/d0 of a new namespace (NSNEW, or default). */
static struct ns *ns_create(const char *name)
{
	struct ns *ns;
	int err;

	if (!(ns = ns_setup(name)))
		return NULL;
	ns_set_prop(ns, "public", "1");
	if ((mkdir(ns->index_dir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(ns->data_dir, 0755) < 0 && errno != EEXIST))
		err = -errno;
	else if ((err = ns_write_descriptor(ns)) == 0)
		err = ns_load(ns);
	if (err < 0) {
		say("[-] namespace: cannot create %s: %s", name, strerror(-err));
		ns_release(ns);
		return NULL;
	}
	nns = nns + 1;
	return ns;
}

/* ns_open: the existing namespace @name (its descriptor, index and data); NULL if it has none. */
static struct ns *ns_open(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s/zdb-namespace", cfg.index_root, name);
	if (nns >= NS_MAX || stat(path, &st) < 0)
		return NULL;
	struct ns *ns = ns_setup(name);
	ns_read_descriptor(ns);
	if (ns_load(ns) < 0) {
		ns_release(ns);
		return NULL;
	}
	nns = nns + 1;
	return ns;
}

/*
 * namespaces_load: default first (created if it does not exist), then every other
 * <index>/<ns>/zdb-namespace in readdir() order, as 0-db's namespace_scanload(): after a
 * restart the slot order, and so the order of the namespace-closing hooks, is the directory's,
 * not the order of creation.
 */
static int namespaces_load(void)
{
	struct dirent *de;

	if (!ns_open("default") && !ns_create("default"))
		return -EIO;
	DIR *dir = opendir(cfg.index_root);
	while (dir && (de = readdir(dir)))
		if (de->d_name[0] != '.' && strcmp(de->d_name, "default") != 0)
			ns_open(de->d_name);
	if (dir)
		closedir(dir);
	return 0;
}

/* ---- operations ---- */

/*
 * ns_jump: the rollover. i<k+1> is opened first and the synchronous jump-index hook gets the
 * closed index, the new one and the dirty list (status 0 clears the list); then d<k+1> is
 * opened and jump-data is forked (0-db index.c:341-399, data.c:413-447).
 */
static int ns_jump(struct ns *ns)
{
	char old_index[PATH_MAX], old_data[PATH_MAX], dirty[DIRTY_MAX * 5];
	uint32_t next = ns->index_id + 1;
	int err;

	snprintf(old_index, sizeof old_index, "%s", ns->index_path);
	snprintf(old_data, sizeof old_data, "%s", ns->data_path);
	if ((err = ns_open_index(ns, next)) < 0) {
		say("[-] index: %s: cannot open i%u: %s", ns->name, next, strerror(-err));
		return err;
	}
	say("[+] index: %s: jump to %s", ns->name, ns->index_path);
	dirty_format(ns, dirty, sizeof dirty);
	if (hook_run_sync("jump-index", (const char *[]){ old_index, ns->index_path, dirty, NULL }) ==
	    0)
		memset(ns->dirty, 0, sizeof ns->dirty);
	if ((err = ns_open_data(ns, next)) < 0) {
		say("[-] data: %s: cannot open d%u: %s", ns->name, next, strerror(-err));
		return err;
	}
	say("[+] data: %s: jump to %s", ns->name, ns->data_path);
	hook_run_async("jump-data", (const char *[]){ old_data, ns->data_path, NULL });
	return 0;
}

/* index_entry_write: the entry's bytes, at its place in i<index_id> (append or in place). */
static int index_entry_write(struct ns *ns, const struct entry *e)
{
	unsigned char raw[ENTRY_FIXED + KEY_MAX];
	char path[PATH_MAX];
	int fd = ns->index_fd, err;

	raw[0] = e->klen;
	raw[1] = e->deleted;
	memcpy(raw + 2, e->key, e->klen);
	memcpy(raw + 2 + e->klen, &e->data_id, 4);
	memcpy(raw + 6 + e->klen, &e->data_off, 4);
	memcpy(raw + 10 + e->klen, &e->len, 4);
	if (e->index_id != ns->index_id) {
		file_path(path, ns->index_dir, 'i', e->index_id);
		if ((fd = open(path, O_WRONLY)) < 0)
			return -errno;
	}
	err = write_all_at(fd, raw, ENTRY_FIXED + e->klen, e->index_off);
	if (fd != ns->index_fd)
		close(fd);
	if (err == 0 && e->index_off == ns->index_size && e->index_id == ns->index_id)
		ns->index_size += ENTRY_FIXED + e->klen;
	return err;
}

/* data_append: one record at the end of the current d<k>; fills e's data location. */
static int data_append(struct ns *ns, struct entry *e, const void *val, size_t len)
{
	unsigned char head[RECORD_FIXED + KEY_MAX];
	uint32_t len32 = (uint32_t)len;
	int err;

	head[0] = e->klen;
	memcpy(head + 1, &len32, 4);
	memcpy(head + RECORD_FIXED, e->key, e->klen);
	size_t hlen = RECORD_FIXED + e->klen;
	if ((err = write_all_at(ns->data_fd, head, hlen, ns->data_size)) < 0 ||
	    (err = write_all_at(ns->data_fd, val, len, ns->data_size + hlen)) < 0)
		return err;
	e->data_id = ns->data_id;
	e->data_off = (uint32_t)(ns->data_size + hlen);
	e->len = len32;
	ns->data_size += hlen + len;
	return 0;
}

/*
 * store_set: SET. seq mode: an empty key makes the next sequential key, an existing 8-byte key
 * is overwritten (its old entry rewritten in place: dirty); user mode: the key as given, a new
 * entry appended. A payload that would push d<k> past --datasize first rolls over.
 * Returns 0 with the key in key_out/klen_out, or -errno (-EINVAL: invalid key).
 */
static int store_set(struct ns *ns, const unsigned char *key, size_t klen, const void *val,
		     size_t len, unsigned char *key_out, size_t *klen_out)
{
	struct entry *old = NULL, fresh = { 0 };
	int err;

	if (cfg.seq_mode && klen != 0 && !(old = entry_find(ns, key, klen)))
		return -EINVAL;
	if (!cfg.seq_mode && (klen == 0 || klen > KEY_MAX))
		return -EINVAL;
	if (cfg.seq_mode && !old) {
		uint64_t seq = ns->n;
		fresh.klen = 8;
		memcpy(fresh.key, &seq, 8);
	} else if (!cfg.seq_mode) {
		fresh.klen = (uint8_t)klen;
		memcpy(fresh.key, key, klen);
	} else {
		fresh = *old;
	}
	size_t need = RECORD_FIXED + fresh.klen + len;
	if (ns->data_size > HDR_SIZE && ns->data_size + need > cfg.datasize &&
	    (err = ns_jump(ns)) < 0)
		return err;
	if ((err = data_append(ns, &fresh, val, len)) < 0)
		return err;
	fresh.deleted = 0;
	if (!old) { /* a new entry at the end of the current index */
		fresh.index_id = ns->index_id;
		fresh.index_off = (uint32_t)ns->index_size;
	}
	if ((err = index_entry_write(ns, &fresh)) < 0)
		return err;
	if (old)
		dirty_set(ns, fresh.index_id);
	struct entry *slot = old ? old : (cfg.seq_mode ? NULL : entry_find(ns, key, klen));
	if (!slot && !(slot = entry_add(ns)))
		return -ENOMEM;
	*slot = fresh;
	memcpy(key_out, fresh.key, fresh.klen);
	*klen_out = fresh.klen;
	return 0;
}

/* store_del: marks the entry deleted, in place in its index file; that file becomes dirty. */
static int store_del(struct ns *ns, const unsigned char *key, size_t klen)
{
	struct entry *e = entry_find(ns, key, klen);
	int err;

	if (!e || e->deleted)
		return -ENOENT;
	e->deleted = 1;
	if ((err = index_entry_write(ns, e)) < 0) {
		e->deleted = 0;
		return err;
	}
	dirty_set(ns, e->index_id);
	return 0;
}

/* data_open_old: a non-current d<k>; ENOENT runs the synchronous missing-data hook, and on
 * status 0 the open is retried once (0-db data.c:109-159). */
static int data_open_old(struct ns *ns, uint32_t id)
{
	char path[PATH_MAX];

	file_path(path, ns->data_dir, 'd', id);
	int fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT) {
		say("[-] data: %s: %s", path, strerror(errno));
		if (hook_run_sync("missing-data", (const char *[]){ path, NULL }) == 0)
			fd = open(path, O_RDONLY);
	}
	return fd < 0 ? -errno : fd;
}

/* store_get: the payload (malloc'd) of a live key; -ENOENT, or -EIO for an unreadable file. */
static int store_get(struct ns *ns, const unsigned char *key, size_t klen, char **val, size_t *len)
{
	struct entry *e = entry_find(ns, key, klen);
	int fd, err = 0;

	if (!e || e->deleted)
		return -ENOENT;
	fd = e->data_id == ns->data_id ? ns->data_fd : data_open_old(ns, e->data_id);
	if (fd < 0)
		return -EIO;
	*val = malloc(e->len ? e->len : 1);
	if (!*val || pread(fd, *val, e->len, e->data_off) != (ssize_t)e->len) {
		free(*val);
		*val = NULL;
		err = -EIO;
	}
	*len = e->len;
	if (fd != ns->data_fd)
		close(fd);
	return err;
}

static size_t ns_live_entries(const struct ns *ns)
{
	size_t live = 0;

	for (size_t i = 0; i < ns->n; i++)
		live += !ns->entries[i].deleted;
	return live;
}

#endif
