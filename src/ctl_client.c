/* SPDX-License-Identifier: MIT */
/* A blocking JSON-RPC client of the control socket, for the CLI: no event loop. */
#include "ctl_client.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "fdio.h"
#include "strbuf.h"
#include "xalloc.h"

int ctl_client_connect(struct ctl_client *c, const char *path, char *err, size_t errlen)
{
	*c = (struct ctl_client){ .fd = -1, .next_id = 1 };
	signal(SIGPIPE, SIG_IGN); /* a closed connection is an error to report, not a silent death */
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(err, errlen, "socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot connect to %s: %s (is `zinit init` running with -s %s?)",
			 path, strerror(e), path);
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		return -e;
	}
	return 0;
}

int ctl_client_queue(struct ctl_client *c, const char *method, json_t *params)
{
	int id = c->next_id++;
	json_t *req = json_pack("{s:s, s:i, s:s}", "jsonrpc", "2.0", "id", id, "method", method);
	if (params)
		json_object_set_new(req, "params", params);
	size_t len;
	char *s = ctl_encode(req, true, &len);
	strbuf_add(&c->out, s, len);
	free(s);
	json_decref(req);
	return id;
}

int ctl_client_send(struct ctl_client *c, const char *method, json_t *params)
{
	int id = ctl_client_queue(c, method, params);
	int rc = write_all(c->fd, c->out.s, c->out.len);
	c->out.len = 0;
	return rc < 0 ? rc : id;
}

json_t *ctl_client_read(struct ctl_client *c)
{
	for (;;) {
		char *nl = c->buf ? memchr(c->buf, '\n', c->len) : NULL;
		if (nl) {
			size_t n = (size_t)(nl - c->buf);
			json_t *msg = json_loadb(c->buf, n, JSON_ALLOW_NUL, NULL);
			memmove(c->buf, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			if (msg)
				return msg;
			continue;
		}
		if (c->len + 65536 > c->cap) {
			c->cap = c->len + 65536;
			c->buf = xrealloc(c->buf, c->cap);
		}
		ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return NULL;
		c->len += (size_t)r;
	}
}

json_t *ctl_client_call(struct ctl_client *c, const char *method, json_t *params, char *err,
			size_t errlen)
{
	int id = ctl_client_send(c, method, params);
	json_t *msg;
	/* Even when the request could not be sent whole, zinit may have said why it closed (an
	 * error without an id: too many clients, a request too large). */
	while ((msg = ctl_client_read(c))) {
		json_t *mid = json_object_get(msg, "id");
		if ((json_is_integer(mid) && json_integer_value(mid) == id) ||
		    (json_is_null(mid) && json_object_get(msg, "error")))
			break;
		json_decref(msg); /* a notification or another answer */
	}
	if (!msg) {
		if (id < 0)
			snprintf(err, errlen, "cannot send the request to zinit: %s (it closed the "
					      "connection)", strerror(-id));
		else
			snprintf(err, errlen, "the connection to zinit closed before it answered");
		return NULL;
	}
	json_t *result = json_object_get(msg, "result");
	json_t *error = json_object_get(msg, "error");
	if (error || !result) {
		ctl_client_error_text(error, err, errlen);
		json_decref(msg);
		return NULL;
	}
	json_incref(result);
	json_decref(msg);
	return result;
}

void ctl_client_error_text(const json_t *error, char *buf, size_t len)
{
	const char *m = json_string_value(json_object_get(error, "message"));
	const json_t *causes = json_object_get(json_object_get(error, "data"), "cause_chain");
	size_t i, n = (size_t)snprintf(buf, len, "%s", m ? m : "malformed answer");
	json_t *cause;
	json_array_foreach(causes, i, cause)
		if (json_is_string(cause) && n < len)
			n += (size_t)snprintf(buf + n, len - n, ": %s", json_string_value(cause));
}

void ctl_client_close(struct ctl_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->buf);
	strbuf_free(&c->out);
	*c = (struct ctl_client){ .fd = -1 };
}
