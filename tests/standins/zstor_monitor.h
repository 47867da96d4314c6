/* SPDX-License-Identifier: MIT */
/* zstor stand-in: `zstor monitor`, the daemon: unix socket, one worker, 3-level queue, drain. */
#ifndef ZSTOR_MONITOR_H
#define ZSTOR_MONITOR_H

/*
 * Threads, mirroring zstor's tasks: the main thread polls accept() and a signalfd; each
 * accepted connection gets a detached handler thread (tokio::spawn(handle_client)); one worker
 * thread (Looper::work) pops the queue. Levels: 0 = blocking commands (retrieve, check,
 * rebuild, store without -n), 1 = store --notblocking, 2 = Finalize. The worker pops the
 * lowest non-empty level, FIFO within a level. A non-blocking store is acknowledged by its
 * handler as soon as it is queued; if it fails it is pushed back at the FRONT of level 1 and
 * retried forever (after knob retry_pause_ms, default 200 ms, so that a wedge does not spin a
 * shared CPU; 0 = zstor's tight loop). SIGTERM/SIGINT: Finalize is pushed at level 2 and the
 * main thread stops polling accept() and the signalfd until the worker pops Finalize (so new
 * clients hang in the backlog and further signals are ignored), then removes the socket and
 * the pid file and exits 0. All shared state is guarded by zmon.mu.
 */

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "zstor_objects.h"

#define ZMON_LEVELS 3

struct zitem {
	struct zitem *next;
	struct zstor_cmd cmd;
	int level;
	bool finalize, blocking, done; /* done: set by the worker for blocking items */
	int rc;                        /* <0 error (err), 0 ok, 1 check found (sum) */
	struct zerr err;
	uint8_t sum[ZSTOR_CHECKSUM_LEN];
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t work; /* the worker waits for an item */
	pthread_cond_t done; /* handlers and the drain wait for their item */
	struct zitem *head[ZMON_LEVELS], *tail[ZMON_LEVELS];
	size_t len[ZMON_LEVELS];
	const struct zconf *conf;
} zmon = {
	.mu = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};

static const char *const zcmd_names[] = { "store", "retrieve", "rebuild", "check" };

/* zq_push: queues IT at the back (or FRONT) of its level and wakes the worker; holds zmon.mu. */
static inline void zq_push(struct zitem *it, bool front)
{
	int l = it->level;

	if (front) {
		it->next = zmon.head[l];
		zmon.head[l] = it;
		if (!zmon.tail[l])
			zmon.tail[l] = it;
	} else {
		it->next = NULL;
		if (zmon.tail[l])
			zmon.tail[l]->next = it;
		else
			zmon.head[l] = it;
		zmon.tail[l] = it;
	}
	zmon.len[l]++;
	pthread_cond_signal(&zmon.work);
}

/* zq_pop: the head of the lowest non-empty level, or NULL; holds zmon.mu. */
static inline struct zitem *zq_pop(void)
{
	for (int l = 0; l < ZMON_LEVELS; l++) {
		struct zitem *it = zmon.head[l];

		if (!it)
			continue;
		zmon.head[l] = it->next;
		if (!zmon.head[l])
			zmon.tail[l] = NULL;
		zmon.len[l]--;
		return it;
	}
	return NULL;
}

static inline void zmon_execute(struct zitem *it)
{
	const struct zconf *c = zmon.conf;
	const struct zstor_cmd *cmd = &it->cmd;

	switch (cmd->type) {
	case ZSTOR_CMD_STORE:
		it->rc = zstore_cmd(c, cmd, &it->err);
		break;
	case ZSTOR_CMD_RETRIEVE:
		it->rc = zretrieve(c, cmd->file, &it->err);
		break;
	case ZSTOR_CMD_CHECK:
		it->rc = zcheck(c, cmd->file, it->sum, &it->err);
		break;
	case ZSTOR_CMD_REBUILD:
		it->rc = zerr_set(&it->err, "error during storage: stand-in: rebuild is not implemented");
		break;
	}
	if (it->rc < 0)
		zlog("ERROR", "%s %s: %s", zcmd_names[cmd->type], cmd->file ? cmd->file : "-", it->err.msg);
}

/* zmon_finish: the worker's bookkeeping after running IT; returns the retry pause in ms. */
static inline long zmon_finish(struct zitem *it)
{
	struct zknobs k;

	if (!it->blocking && it->rc < 0) {
		zlog("ERROR", "RETRY failed to process store command %s, queueing a retry: %s",
		     it->cmd.file, it->err.msg);
		zknobs_load(zmon.conf->knobs, &k);
		pthread_mutex_lock(&zmon.mu);
		zq_push(it, true);
		pthread_mutex_unlock(&zmon.mu);
		return k.retry_pause_ms;
	}
	if (!it->blocking) {
		zstor_cmd_free(&it->cmd);
		free(it);
		return 0;
	}
	pthread_mutex_lock(&zmon.mu);
	it->done = true;
	pthread_cond_broadcast(&zmon.done);
	pthread_mutex_unlock(&zmon.mu);
	return 0;
}

static inline void *zmon_worker(void *arg)
{
	(void)arg;
	for (;;) {
		struct zitem *it;

		pthread_mutex_lock(&zmon.mu);
		while (!(it = zq_pop()))
			pthread_cond_wait(&zmon.work, &zmon.mu);
		if (it->finalize) {
			zlog("INFO", "FINALIZE reached (queue drained) pending=[%zu, %zu, %zu]", zmon.len[0],
			     zmon.len[1], zmon.len[2]);
			it->done = true;
			pthread_cond_broadcast(&zmon.done);
			pthread_mutex_unlock(&zmon.mu);
			continue; /* zstor's Looper keeps running until the process exits */
		}
		pthread_mutex_unlock(&zmon.mu);
		zmon_execute(it);
		zsleep_ms(zmon_finish(it));
	}
	return NULL;
}

/* zmon_read_full: exactly N bytes, or -errno (-EPIPE at end of file). */
static inline int zmon_read_full(int fd, void *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t r = read(fd, (char *)buf + off, n - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		off += (size_t)r;
	}
	return 0;
}

static inline int zmon_write_full(int fd, const void *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = send(fd, (const char *)buf + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	return 0;
}

static inline void zmon_reply(int fd, const struct zitem *it)
{
	struct zstor_resp r = { .type = ZSTOR_RESP_SUCCESS };
	uint8_t buf[2 + sizeof(it->err.msg) + 16];
	size_t len = 0;

	if (it && it->rc < 0) {
		r.type = ZSTOR_RESP_ERR;
		r.err = (char *)it->err.msg;
	} else if (it && it->rc == 1 && it->cmd.type == ZSTOR_CMD_CHECK) {
		r.type = ZSTOR_RESP_CHECKSUM;
		memcpy(r.checksum, it->sum, ZSTOR_CHECKSUM_LEN);
	}
	if (zstor_resp_encode(&r, buf + 2, sizeof(buf) - 2, &len) < 0 ||
	    zstor_frame_header(len, buf) < 0 || zmon_write_full(fd, buf, len + 2) < 0)
		zlog("ERROR", "Error while handeling client: failed to write response");
}

/* zmon_read_cmd: one framed command from FD; -1 (logged) if it cannot be read or decoded. */
static inline int zmon_read_cmd(int fd, struct zstor_cmd *cmd)
{
	uint8_t hdr[2], *buf;
	size_t n;
	int rc = zmon_read_full(fd, hdr, 2);

	if (rc < 0) {
		zlog("ERROR", "Error while handeling client: failed to read msg length prefix: %s",
		     rc == -EPIPE ? "early eof" : strerror(-rc));
		return -1;
	}
	n = zstor_frame_len(hdr);
	buf = malloc(n ? n : 1);
	if (!buf)
		return -1;
	rc = zmon_read_full(fd, buf, n);
	if (rc == 0 && zstor_cmd_decode(buf, n, cmd) < 0)
		rc = -EBADMSG;
	free(buf);
	if (rc < 0)
		zlog("ERROR", "Error while handeling client: %s", rc == -EBADMSG ? "error in the binary wire "
		     "format" : "failed to read exact amount of bytes");
	return rc < 0 ? -1 : 0;
}

/* One client connection: read, queue, answer (at once for store --notblocking). */
static inline void *zmon_client(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct zitem *it = calloc(1, sizeof(*it));

	if (!it || zmon_read_cmd(fd, &it->cmd) < 0) {
		free(it);
		close(fd);
		return NULL;
	}
	it->blocking = it->cmd.type != ZSTOR_CMD_STORE || it->cmd.blocking;
	it->level = it->blocking ? 0 : 1;
	zlog("INFO", "QUEUED prio=%d %s file=%s key_path=%s blocking=%d", it->level,
	     zcmd_names[it->cmd.type], it->cmd.file ? it->cmd.file : "-",
	     it->cmd.key_path ? it->cmd.key_path : "-", it->blocking);
	pthread_mutex_lock(&zmon.mu);
	zq_push(it, false);
	if (!it->blocking) { /* the queue owns it now */
		pthread_mutex_unlock(&zmon.mu);
		zmon_reply(fd, NULL);
		close(fd);
		return NULL;
	}
	while (!it->done)
		pthread_cond_wait(&zmon.done, &zmon.mu);
	pthread_mutex_unlock(&zmon.mu);
	zmon_reply(fd, it);
	close(fd);
	zstor_cmd_free(&it->cmd);
	free(it);
	return NULL;
}

static inline void zmon_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	pthread_attr_t attr;
	pthread_t th;

	if (fd < 0) {
		zlog("ERROR", "Could not accept client connection: %s", strerror(errno));
		return;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &attr, zmon_client, (void *)(intptr_t)fd) != 0) {
		zlog("ERROR", "Could not start a client handler");
		close(fd);
	}
	pthread_attr_destroy(&attr);
}

/* zmon_drain: Finalize at level 2, wait until the worker pops it (levels 0 and 1 empty). */
static inline void zmon_drain(int sig)
{
	struct zitem fin = { .finalize = true, .level = ZMON_LEVELS - 1, .blocking = true };

	pthread_mutex_lock(&zmon.mu);
	zlog("INFO", "MONITOR got signal %d, draining pending=[%zu, %zu, %zu]", sig, zmon.len[0],
	     zmon.len[1], zmon.len[2]);
	zq_push(&fin, false);
	while (!fin.done)
		pthread_cond_wait(&zmon.done, &zmon.mu);
	pthread_mutex_unlock(&zmon.mu);
}

#endif
