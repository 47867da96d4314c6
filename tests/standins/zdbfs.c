/* SPDX-License-Identifier: MIT */
/* Test stand-in for 0-db-fs (zdbfs 0.1.x): a tmpfs write cache flushed into zdb, with zdbfs' stop behaviour (QSFS.md §4). */

/*
 * zdbfs [-o opt[,opt]]... MOUNTPOINT   options: host=, port= (localhost:9900), unix=,
 * auto_unmount; allow_other, background and any other fuse-style option are accepted and
 * ignored. Env: ZDBFS_STANDIN_SYNC_S (periodic flush, default 1, 0 = only at stop),
 * ZDBFS_STANDIN_FLUSH_DELAY_MS (sleep before each entry flushed, default 0),
 * ZDBFS_STANDIN_MOUNT_DELAY_MS (sleep before the mount appears on the mountpoint, default 0).
 *
 * The mount is a tmpfs, filled from zdb before it appears on the mountpoint (FUSE serves every
 * file at once): what users write there is the "cache". Each flush writes every new or
 * changed top-level regular file into zdb (64 KiB chunks into zdbfs-data, then one metadata
 * entry SET "" into zdbfs-meta) and a deletion entry for every file gone. As the real zdbfs
 * rewrites blocks and inodes in place (so zdb marks old index files dirty, QSFS.md §1.3), a
 * changed file's chunks overwrite its old keys (SET KEY) before new ones are added, and every
 * flush that wrote something rewrites zdbfs-meta's key 0, a superblock "ZFSSB <generation>"
 * made on a fresh namespace (zdb answers nil to a SET of the payload a key already has, and
 * that is no error). At start the mount is rebuilt from the entries of zdbfs-meta (the last
 * entry per name wins; the superblock is none).
 * Metadata entry: "ZFS1 <size> <deleted 0|1> <nkeys> <key>...\n<name>" (keys as numbers).
 * SIGTERM/SIGINT/SIGHUP: flush, unmount, exit 0, even when the flush failed because zdb is
 * gone: the cached data is then lost, as with the real zdbfs. SIGKILL loses the cache too.
 * Without the privilege to mount (EPERM), the plain directory stands in for the mount.
 * Its log lines go through stdio unflushed, as zdbfs's: at once to a terminal, in 4 KiB blocks
 * or at the exit to a pipe or file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (64 * 1024)
#define NS_META 0
#define NS_DATA 1
#define NS_TEMP 2

/* A file as last written to (or read back from) zdb. */
struct known {
	char name[NAME_MAX + 1];
	struct stat st;
	int seen;      /* during a scan */
	uint64_t *keys; /* its chunks' keys in zdbfs-data, rewritten when it changes */
	size_t nkeys;
};

/* One metadata entry, parsed. */
struct meta {
	uint64_t size;
	int deleted;
	size_t nkeys;
	uint64_t *keys;
	char name[NAME_MAX + 1];
};

static struct {
	const char *host, *unix_path, *mountpoint;
	int port, auto_unmount;
	unsigned sync_s, delay_ms, mount_delay_ms;
	redisContext *zdb[3]; /* meta, data, temp: one connection each, as zdbfs */
	int mounted;          /* a tmpfs of ours is on the mountpoint (else: plain directory) */
	int rootfd;           /* the mount's root, readable even after a lazy unmount */
	int helper_fd;        /* write end of the auto_unmount helper's pipe, or -1 */
	pid_t helper;
	struct known *files;
	size_t n, cap;
	uint64_t generation; /* of the superblock, zdbfs-meta key 0 */
	int no_superblock;   /* key 0 is something else: never rewritten */
} fs = { .host = "localhost", .port = 9900, .sync_s = 1, .rootfd = -1, .helper_fd = -1 };

static const char *const ns_names[3] = { "zdbfs-meta", "zdbfs-data", "zdbfs-temp" };

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- zdb ---- */

static redisContext *zdb_open(int ns)
{
	redisContext *c = fs.unix_path ? redisConnectUnix(fs.unix_path) : redisConnect(fs.host, fs.port);
	redisReply *r = NULL;

	if (!c || c->err) {
		say("[-] zdb: connect: %s", c ? c->errstr : "out of memory");
		goto error;
	}
	r = ns == NS_TEMP ? redisCommand(c, "SELECT %s %s", ns_names[ns], "hello")
			  : redisCommand(c, "SELECT %s", ns_names[ns]);
	if (!r || r->type == REDIS_REPLY_ERROR) {
		say("[-] zdb: select %s: %s", ns_names[ns], r ? r->str : c->errstr);
		goto error;
	}
	freeReplyObject(r);
	return c;
error:
	if (r)
		freeReplyObject(r);
	if (c)
		redisFree(c);
	return NULL;
}

/* zdb_set: SET "" value in namespace ns (the new sequential key in *key), or with *old, SET
 * that existing key (rewritten in place). 0 or -EIO. */
static int zdb_set(int ns, const void *val, size_t len, const uint64_t *old, uint64_t *key)
{
	redisContext *c = fs.zdb[ns];
	redisReply *r = redisCommand(c, "SET %b %b", (const char *)old, old ? (size_t)8 : 0, val, len);
	int err = 0;

	if (old && r && r->type == REDIS_REPLY_NIL) {
		*key = *old; /* zdb: the same payload as stored, nothing written */
	} else if (!r || r->type != REDIS_REPLY_STRING || r->len != 8) {
		say("[-] zdb: set in %s: %s", ns_names[ns],
		    r && r->str ? r->str : r ? "unexpected reply" : c->errstr);
		err = -EIO;
	} else {
		memcpy(key, r->str, 8);
	}
	if (r)
		freeReplyObject(r);
	return err;
}

/* zdb_get: the reply to GET <8-byte key> (NULL on a connection error). */
static redisReply *zdb_get(int ns, uint64_t key)
{
	redisReply *r = redisCommand(fs.zdb[ns], "GET %b", (char *)&key, (size_t)8);

	if (!r)
		say("[-] zdb: get in %s: %s", ns_names[ns], fs.zdb[ns]->errstr);
	return r;
}

/* ---- metadata entries ---- */

static int meta_parse(const char *buf, size_t len, struct meta *m)
{
	char *end;
	const char *nl = memchr(buf, '\n', len);

	memset(m, 0, sizeof *m);
	if (!nl || len < 5 || memcmp(buf, "ZFS1 ", 5) != 0)
		return -EINVAL;
	size_t name_len = len - (size_t)(nl + 1 - buf);
	if (name_len == 0 || name_len > NAME_MAX)
		return -EINVAL;
	memcpy(m->name, nl + 1, name_len);
	m->size = strtoull(buf + 5, &end, 10);
	m->deleted = (int)strtol(end, &end, 10);
	m->nkeys = strtoull(end, &end, 10);
	if (m->nkeys > len || !(m->keys = calloc(m->nkeys + 1, sizeof *m->keys)))
		return -EINVAL;
	for (size_t i = 0; i < m->nkeys; i++)
		m->keys[i] = strtoull(end, &end, 10);
	return end <= nl ? 0 : -EINVAL;
}

/* meta_write: one metadata entry into zdbfs-meta. */
static int meta_write(const char *name, uint64_t size, int deleted, const uint64_t *keys, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	uint64_t key;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	fprintf(f, "ZFS1 %llu %d %zu", (unsigned long long)size, deleted, n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " %llu", (unsigned long long)keys[i]);
	fprintf(f, "\n%s", name);
	fclose(f);
	int err = zdb_set(NS_META, buf, len, NULL, &key);
	free(buf);
	return err;
}

/* superblock_write: "ZFSSB <generation>" as zdbfs-meta's key 0, a new key or (@rewrite) in place. */
static int superblock_write(int rewrite)
{
	char buf[64];
	uint64_t zero = 0, key;
	int len = snprintf(buf, sizeof(buf), "ZFSSB %" PRIu64, fs.generation);
	return zdb_set(NS_META, buf, (size_t)len, rewrite ? &zero : NULL, &key);
}

/* superblock_load: zdbfs-meta's key 0, made on a fresh namespace, its generation read
 * otherwise; each flush that wrote something then rewrites it in place (superblock_next). */
static int superblock_load(void)
{
	char buf[64];
	redisReply *r = zdb_get(NS_META, 0);
	int fresh = r && r->type == REDIS_REPLY_NIL;
	int ours = r && r->type == REDIS_REPLY_STRING && r->len < sizeof(buf) && r->len > 6 &&
		   memcmp(r->str, "ZFSSB ", 6) == 0;
	if (ours) {
		memcpy(buf, r->str, r->len);
		buf[r->len] = '\0';
		sscanf(buf, "ZFSSB %" SCNu64, &fs.generation);
	}
	int bad = !r || r->type == REDIS_REPLY_ERROR;
	if (r)
		freeReplyObject(r);
	if (bad)
		return -EIO;
	if (fresh)
		return superblock_write(0);
	fs.no_superblock = !ours; /* a namespace of an older stand-in: left as it is */
	return 0;
}

static int superblock_next(void)
{
	fs.generation++;
	return superblock_write(1);
}

/* ---- the table of flushed files ---- */

static struct known *known_find(const char *name)
{
	for (size_t i = 0; i < fs.n; i++)
		if (strcmp(fs.files[i].name, name) == 0)
			return &fs.files[i];
	return NULL;
}

static struct known *known_put(const char *name, const struct stat *st)
{
	struct known *k = known_find(name);

	if (!k) {
		if (fs.n == fs.cap) {
			size_t cap = fs.cap ? 2 * fs.cap : 32;
			struct known *f = realloc(fs.files, cap * sizeof *f);
			if (!f)
				return NULL;
			fs.files = f;
			fs.cap = cap;
		}
		k = &fs.files[fs.n++];
		memset(k, 0, sizeof *k);
		snprintf(k->name, sizeof k->name, "%s", name);
	}
	k->st = *st;
	k->seen = 1;
	return k;
}

/* known_keys: @k's chunks are now @keys (taken over). */
static void known_keys(struct known *k, uint64_t *keys, size_t n)
{
	free(k->keys);
	k->keys = keys;
	k->nkeys = n;
}

static int same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* ---- restore at start ---- */

/* restore_file: the file of one metadata entry, its data fetched from zdbfs-data. */
static int restore_file(const struct meta *m)
{
	struct stat st;
	int err = 0;
	int fd = openat(fs.rootfd, m->name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < m->nkeys && err == 0; i++) {
		redisReply *r = zdb_get(NS_DATA, m->keys[i]);
		if (!r || r->type != REDIS_REPLY_STRING || write(fd, r->str, r->len) != (ssize_t)r->len)
			err = -EIO;
		if (r)
			freeReplyObject(r);
	}
	struct known *k = NULL;
	if (err == 0 && fstat(fd, &st) == 0 && !(k = known_put(m->name, &st)))
		err = -ENOMEM;
	uint64_t *keys = k && m->nkeys ? malloc(m->nkeys * sizeof *keys) : NULL;
	if (k && keys) {
		memcpy(keys, m->keys, m->nkeys * sizeof *keys);
		known_keys(k, keys, m->nkeys);
	}
	close(fd);
	return err;
}

/* restore_entry: the file of metadata key `seq` (the newest entry of its name). */
static int restore_entry(uint64_t seq)
{
	redisReply *r = zdb_get(NS_META, seq);
	struct meta m = { 0 };
	int err = -EIO;

	if (r && r->type == REDIS_REPLY_STRING && meta_parse(r->str, r->len, &m) == 0) {
		err = m.deleted ? 1 : restore_file(&m);
		if (err < 0)
			say("[-] restore %s: %s", m.name, strerror(-err));
	}
	free(m.keys);
	if (r)
		freeReplyObject(r);
	return err;
}

struct latest {
	char name[NAME_MAX + 1];
	uint64_t seq;
};

/* latest_note: entry `seq` is the newest one of `name` so far. */
static int latest_note(struct latest **latest, size_t *n, const char *name, uint64_t seq)
{
	size_t i = 0;

	while (i < *n && strcmp((*latest)[i].name, name) != 0)
		i++;
	if (i == *n) {
		struct latest *l = realloc(*latest, (*n + 1) * sizeof *l);
		if (!l)
			return -ENOMEM;
		*latest = l;
		snprintf(l[i].name, sizeof l[i].name, "%s", name);
		(*n)++;
	}
	(*latest)[i].seq = seq;
	return 0;
}

/*
 * restore: reads zdbfs-meta keys 0, 1, 2... until nil; the newest entry of each name wins
 * (a first pass finds it, a second writes the file).
 */
static int restore(void)
{
	struct latest *latest = NULL;
	size_t n = 0, files = 0;
	uint64_t seq;
	int err = 0;

	for (seq = 0;; seq++) {
		redisReply *r = zdb_get(NS_META, seq);
		struct meta m = { 0 };
		if (!r || (r->type != REDIS_REPLY_NIL && r->type != REDIS_REPLY_STRING))
			err = -EIO;
		else if (r->type == REDIS_REPLY_STRING && meta_parse(r->str, r->len, &m) == 0)
			err = latest_note(&latest, &n, m.name, seq);
		int end = err < 0 || r->type == REDIS_REPLY_NIL;
		free(m.keys);
		if (r)
			freeReplyObject(r);
		if (end)
			break;
	}
	for (size_t i = 0; i < n && err >= 0; i++)
		if ((err = restore_entry(latest[i].seq)) == 0)
			files++;
	free(latest);
	if (err < 0)
		return err;
	say("[+] restore: %zu files from %llu metadata entries", files, (unsigned long long)seq);
	return 0;
}

/* ---- flush ---- */

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	if (ms)
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
}

static void flush_delay(void)
{
	sleep_ms(fs.delay_ms);
}

/* flush_file: the file's data in 64 KiB chunks, then its metadata entry. */
static int flush_file(const char *name, const struct stat *st)
{
	uint64_t *keys = NULL;
	size_t n = 0;
	ssize_t got;
	char *chunk = malloc(CHUNK);
	int err = 0, fd = openat(fs.rootfd, name, O_RDONLY);

	if (fd < 0 || !chunk) {
		err = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	flush_delay();
	const struct known *old = known_find(name);
	while (err == 0 && (got = read(fd, chunk, CHUNK)) > 0) {
		uint64_t *k = realloc(keys, (n + 1) * sizeof *keys);
		if (!k) {
			err = -ENOMEM;
			break;
		}
		keys = k;
		const uint64_t *reuse = old && n < old->nkeys ? &old->keys[n] : NULL;
		err = zdb_set(NS_DATA, chunk, (size_t)got, reuse, &keys[n]);
		n++;
	}
	if (err == 0)
		err = meta_write(name, (uint64_t)st->st_size, 0, keys, n);
	/* the old keys past the new end stay the file's, for when it grows again (a flush that
	 * caught a copy half done must not leave the rest of its blocks to new keys) */
	size_t kept = old && old->nkeys > n ? old->nkeys : n;
	if (err == 0 && kept > n) {
		uint64_t *k = realloc(keys, kept * sizeof *keys);
		if (!k)
			err = -ENOMEM;
		else {
			memcpy(k + n, old->keys + n, (kept - n) * sizeof *k);
			keys = k;
		}
	}
	struct known *k = err == 0 ? known_put(name, st) : NULL;
	if (err == 0 && !k)
		err = -ENOMEM;
	if (k) {
		known_keys(k, keys, kept);
		keys = NULL;
	}
out:
	if (fd >= 0)
		close(fd);
	free(chunk);
	free(keys);
	return err;
}

/* flush_deleted: a deletion entry for every flushed file no longer in the cache. */
static int flush_deleted(int *written)
{
	for (size_t i = 0; i < fs.n;) {
		if (fs.files[i].seen) {
			i++;
			continue;
		}
		flush_delay();
		int err = meta_write(fs.files[i].name, 0, 1, NULL, 0);
		if (err < 0)
			return err;
		(*written)++;
		free(fs.files[i].keys);
		fs.files[i] = fs.files[--fs.n];
	}
	return 0;
}

/* flush: every new or changed top-level regular file, then the deletions; *written counts
 * the entries written. 0, or -errno at the first failure (what was written stays written). */
static int flush(int *written)
{
	int err = 0, dfd = dup(fs.rootfd);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;

	*written = 0;
	if (!dir)
		return -errno;
	rewinddir(dir);
	for (size_t i = 0; i < fs.n; i++)
		fs.files[i].seen = 0;
	while (err == 0 && (de = readdir(dir))) {
		struct stat st;
		if (fstatat(fs.rootfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		struct known *k = known_find(de->d_name);
		if (k)
			k->seen = 1;
		if (k && same_stat(&k->st, &st))
			continue;
		if ((err = flush_file(de->d_name, &st)) < 0)
			say("[-] cache: flush %s: %s", de->d_name, strerror(-err));
		else
			(*written)++;
	}
	closedir(dir);
	if (err == 0)
		err = flush_deleted(written);
	if (err == 0 && *written > 0 && !fs.no_superblock)
		err = superblock_next();
	return err;
}

/* ---- the mount ---- */

/* wipe: the top-level regular files of the plain directory (the "unmount" without a mount). */
static void wipe(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *de;

	while (dir && (de = readdir(dir)))
		if (de->d_type == DT_REG)
			unlinkat(dirfd(dir), de->d_name, 0);
	if (dir)
		closedir(dir);
}

/* unmount_cache: a plain unmount (lazy if busy), or at once lazy as fusermount3 -u -z. */
static void unmount_cache(const char *why, int lazy)
{
	if (!fs.mounted) {
		wipe(fs.mountpoint);
		return;
	}
	if ((lazy || umount2(fs.mountpoint, 0) < 0) && umount2(fs.mountpoint, MNT_DETACH) < 0)
		say("[-] fuse: unmount %s: %s", fs.mountpoint, strerror(errno));
	else
		say("[+] fuse: %s unmounted (%s)", fs.mountpoint, why);
}

/* mount_cache: a tmpfs on a private staging directory, where restore() fills it before
 * show_cache() binds it onto the mountpoint: like the real zdbfs, whose FUSE mount serves
 * every file from zdb the moment it exists, no reader ever sees a half-restored mount. */
static char staging[] = "/tmp/zdbfs-standin.XXXXXX";

static int open_root(const char *dir)
{
	if ((fs.rootfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0) {
		say("[-] fuse: %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void drop_staging(void)
{
	if (fs.mounted) {
		umount2(staging, MNT_DETACH);
		rmdir(staging);
	}
}

static int mount_cache(void)
{
	if (!mkdtemp(staging)) {
		say("[-] fuse: %s: %s", staging, strerror(errno));
		return -1;
	}
	if (mount("zdbfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") == 0) {
		fs.mounted = 1;
		return open_root(staging);
	}
	rmdir(staging);
	if (errno == EPERM) {
		say("[-] fuse: mount %s: %s: the plain directory stands in", fs.mountpoint,
		    strerror(errno));
		wipe(fs.mountpoint);
		return open_root(fs.mountpoint);
	}
	say("[-] fuse: mount %s: %s", fs.mountpoint, strerror(errno));
	return -1;
}

/* show_cache: the filled tmpfs onto the mountpoint; the staging directory goes away. */
static int show_cache(void)
{
	if (!fs.mounted)
		return 0;
	int rc = mount(staging, fs.mountpoint, NULL, MS_BIND, NULL);
	if (rc < 0)
		say("[-] fuse: mount %s: %s", fs.mountpoint, strerror(errno));
	drop_staging();
	return rc;
}

/*
 * start_unmount_helper: the fusermount3 helper of -o auto_unmount, a child that unmounts
 * lazily when zdbfs dies: it waits for EOF on a pipe whose write end only zdbfs holds (the
 * same moment PR_SET_PDEATHSIG would fire, without its race). A clean exit writes a byte
 * first, and the helper then leaves the mount alone.
 */
static void start_unmount_helper(void)
{
	int p[2];
	char c;

	if (pipe(p) < 0 || (fs.helper = fork()) < 0) {
		say("[-] auto_unmount: %s", strerror(errno));
		return;
	}
	if (fs.helper == 0) {
		__fpurge(stdout); /* zdbfs's pending lines are not the helper's (fusermount3 execs) */
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		for (int fd = 3; fd < 1024; fd++)
			if (fd != p[0])
				close(fd);
		prctl(PR_SET_NAME, "zdbfs-unmount");
		ssize_t n;
		while ((n = read(p[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			unmount_cache("zdbfs died", 1);
		_exit(0);
	}
	close(p[0]);
	fs.helper_fd = p[1];
}

static void stop_unmount_helper(void)
{
	if (fs.helper_fd < 0)
		return;
	ssize_t w = write(fs.helper_fd, "q", 1);
	(void)w;
	close(fs.helper_fd);
	waitpid(fs.helper, NULL, 0);
}

/* ---- command line, main loop ---- */

static void parse_option(char *opt)
{
	if (strncmp(opt, "host=", 5) == 0)
		fs.host = opt + 5;
	else if (strncmp(opt, "port=", 5) == 0)
		fs.port = atoi(opt + 5);
	else if (strncmp(opt, "unix=", 5) == 0)
		fs.unix_path = opt + 5;
	else if (strcmp(opt, "auto_unmount") == 0)
		fs.auto_unmount = 1;
}

static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *list = NULL;
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			list = argv[++i];
		else if (strncmp(argv[i], "-o", 2) == 0)
			list = argv[i] + 2;
		else if (argv[i][0] != '-')
			fs.mountpoint = argv[i];
		for (char *save, *o = list ? strtok_r(list, ",", &save) : NULL; o;
		     o = strtok_r(NULL, ",", &save))
			parse_option(o);
	}
	if (!fs.mountpoint) {
		fprintf(stderr, "usage: zdbfs [-o opt[,opt]]... MOUNTPOINT\n");
		exit(1);
	}
	const char *s = getenv("ZDBFS_STANDIN_SYNC_S"), *d = getenv("ZDBFS_STANDIN_FLUSH_DELAY_MS");
	const char *m = getenv("ZDBFS_STANDIN_MOUNT_DELAY_MS");
	if (s)
		fs.sync_s = (unsigned)atoi(s);
	if (d)
		fs.delay_ms = (unsigned)atoi(d);
	if (m)
		fs.mount_delay_ms = (unsigned)atoi(m);
}

/* run: flushes every sync_s seconds until SIGTERM/SIGINT/SIGHUP (blocked, taken here). */
static void run(const sigset_t *stop)
{
	int dirty = 0;
	for (;;) {
		struct timespec ts = { fs.sync_s, 0 };
		int sig = fs.sync_s ? sigtimedwait(stop, NULL, &ts) : sigwaitinfo(stop, NULL);
		if (sig > 0)
			return;
		if (errno != EAGAIN)
			continue;
		int written;
		if (flush(&written) < 0 || written > 0) {
			say("[+] cache: periodic sync, %d entries written", written);
			dirty = 1;
		} else if (dirty) { /* the first sync with nothing left: all of it is in zdb */
			say("[+] cache: periodic sync, clean");
			dirty = 0;
		}
	}
}

int main(int argc, char **argv)
{
	sigset_t stop;

	parse_args(argc, argv);
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	say("[+] initializing zdbfs stand-in, zdb %s:%d", fs.unix_path ? fs.unix_path : fs.host,
	    fs.unix_path ? 0 : fs.port);
	for (int ns = 0; ns < 3; ns++)
		if (!(fs.zdb[ns] = zdb_open(ns)))
			return 1;
	if (superblock_load() < 0)
		return 1;
	if (mount_cache() < 0)
		return 1;
	if (restore() < 0) {
		say("[-] fuse: cannot initialize %s", fs.mountpoint);
		drop_staging();
		return 1;
	}
	sleep_ms(fs.mount_delay_ms);
	if (show_cache() < 0)
		return 1;
	if (fs.auto_unmount)
		start_unmount_helper();
	say("[+] fuse: ready, waiting events: %s", fs.mountpoint);
	run(&stop);
	say("[+] fuse: stopping filesystem");
	say("[+] cache: forcing cache flush");
	int written, err = flush(&written);
	say("[+] cache: flushed, %d entries written", written);
	if (err < 0)
		say("[-] filesystem: release: could not write to zdb: %s", strerror(-err));
	unmount_cache("stop", 0);
	stop_unmount_helper();
	close(fs.rootfd);
	for (int ns = 0; ns < 3; ns++)
		redisFree(fs.zdb[ns]);
	for (size_t i = 0; i < fs.n; i++)
		free(fs.files[i].keys);
	free(fs.files);
	return 0;
}
