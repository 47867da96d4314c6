/* SPDX-License-Identifier: MIT */
/* The control socket inside `zinit init`: transport (protocols, clients, limits) and dispatch. */
#include "ctl_server.h"

#include <dirent.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <malloc.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl_proto.h"
#include "ctl_rpcerr.h"
#include "list.h"
#include "log.h"
#include "logbus.h"
#include "strbuf.h"
#include "xalloc.h"

enum conn_proto { PROTO_UNKNOWN, PROTO_LINE, PROTO_RPC };

#define CTL_TRIM_BYTES (64 * 1024) /* a connection that buffered more gives memory back */
#define CTL_FD_RESERVE 16          /* descriptors kept free for the services (pipes, pidfds) */
#define CTL_PEER_CHECK_MS 1000     /* how often a half-closed follower is checked for its going */

struct sub;

struct conn {
	uv_pipe_t pipe;
	uv_timer_t stall;          /* closes a connection stuck in a partial request */
	char *in;                  /* received, not yet consumed */
	size_t len, cap;
	enum conn_proto proto;
	size_t blanks;             /* while proto is unknown: the leading blanks scanned */
	struct ctl_framer framer;
	int refs;                  /* the connection itself, pending replies, open handles */
	bool closing;
	bool close_when_written;   /* line protocol: EOF after the answer */
	bool eof;                  /* the client has sent EOF: closed once nothing is owed to it */
	bool ended;                /* a follower told that zinit exits: what it sends is ignored */
	bool ending;               /* and its last lines not yet written: closed once they are */
	unsigned long dropped;     /* log lines dropped while the client lagged */
	size_t queued;             /* bytes of answers not yet written (a batch's built ones too) */
	size_t biggest;            /* the largest answer queued since the queue was last empty */
	size_t calls;              /* requests in flight (a batch's among them) */
	size_t releasing;          /* while closing: of what it holds, what goes without waiting */
	struct list_node batches;  /* its batches still waiting on a request */
	struct sub **subs;
	size_t nsubs;
	struct list_node link;     /* in conns until closed */
};

/* A log subscription: raw lines (line protocol) or JSON-RPC notifications. */
struct sub {
	struct conn *c;
	char *filter;
	uint64_t id;
	bool raw;
};

/* One request in flight: where its answer goes. */
struct ctl_call {
	struct conn *c;
	json_t *id;
	bool line, notification;
	struct batch *batch;
	size_t slot;
	enum ctl_method method;
	bool refused; /* before its method ran: a protocol error, without zinit's data */
	char *name, *signal, *cause;
};

/* A batch's answers, each encoded when its request ends; written together after the last. */
struct batch_slot {
	char *text; /* NULL: no answer (a notification) */
	size_t len;
};

struct batch {
	struct conn *c;
	struct list_node link; /* in c->batches until its last request ends */
	struct batch_slot *slots;
	size_t n, pending;
	size_t bytes; /* of the slots' texts: counted in the budget as the connection's queued */
};

static const struct ctl_handler *methods;
static size_t nmethods;
static uv_pipe_t server;
static bool listening;
static char *socket_path;
static struct list_node conns = LIST_INIT(conns);
static size_t nconns;
static size_t client_cap = CTL_MAX_CLIENTS; /* lower while descriptors run short */
static char read_buf[64 * 1024];
static size_t held_bytes; /* every connection's input buffer and queued answers */
static size_t releasing;  /* of held_bytes, what the connections closing give back this turn */
static size_t ending;     /* followers told that zinit exits, their last lines not yet written */
static bool followers_ended; /* zinit is exiting: a subscription is ended as soon as it is made */
static void (*on_followers_ended)(void);

static void conn_close(struct conn *c);
static void warn_limited(const char *what);
static void batch_write(struct batch *b);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);
static void end_late_follower(struct conn *c);

/* ---- connection lifetime --------------------------------------------------------------- */

static void conn_unref(struct conn *c)
{
	if (--c->refs > 0)
		return;
	bool big = c->cap > CTL_TRIM_BYTES;
	held_bytes -= c->cap;
	releasing -= c->releasing; /* its input buffer, if it was counted */
	free(c->in);
	free(c->subs);
	free(c);
	if (big)
		malloc_trim(0); /* a burst (a huge request) must not keep PID 1's RSS up for good */
}

static void on_handle_closed(uv_handle_t *h)
{
	conn_unref(h->data);
}

static void sub_free(struct sub *s)
{
	logbus_unsubscribe(s->id);
	free(s->filter);
	free(s);
}

/* What @c gives back when it is closed without waiting: its unwritten answers (libuv cancels
 * them when the pipe closes, at the end of the loop's turn), its batches' built answers (freed
 * at once), and its input buffer unless a request is still in flight (a stop may hold it for
 * its shutdown_timeout). */
static size_t conn_releasable(const struct conn *c)
{
	return c->queued + (c->calls == 0 ? c->cap : 0);
}

/* The answers @c's batches have built so far go at once: nobody will read them. The batches
 * themselves stay until their last request ends (batch_done), answering nothing more. */
static void drop_batches(struct conn *c)
{
	for (struct list_node *n = c->batches.next; n != &c->batches; n = n->next) {
		struct batch *b = container_of(n, struct batch, link);
		for (size_t i = 0; i < b->n; i++) {
			free(b->slots[i].text);
			b->slots[i].text = NULL;
		}
		c->queued -= b->bytes;
		held_bytes -= b->bytes;
		b->bytes = 0;
	}
}

static void conn_close(struct conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	drop_batches(c);
	c->releasing = conn_releasable(c);
	releasing += c->releasing;
	for (size_t i = 0; i < c->nsubs; i++)
		sub_free(c->subs[i]);
	c->nsubs = 0;
	list_unlink(&c->link);
	nconns--;
	c->refs++; /* two handles to close, one reference already held by the connection */
	uv_close((uv_handle_t *)&c->pipe, on_handle_closed);
	uv_close((uv_handle_t *)&c->stall, on_handle_closed);
	if (c->ending && --ending == 0 && on_followers_ended)
		on_followers_ended();
}

/* Drops the reference an answer held (a request in flight, a write queued). A client that has
 * sent its EOF is closed once that was the last thing owed to it (its own reference is left). */
static void answer_unref(struct conn *c)
{
	if (c->eof && c->refs == 2 && c->nsubs == 0)
		conn_close(c);
	conn_unref(c);
}

struct write_req {
	uv_write_t req;
	struct conn *c;
	size_t len;
	char data[];
};

/* The other client that would give back the most, if more than a small answer's worth (a
 * follower that keeps up with its lines is never worth evicting). */
static struct conn *biggest_holder(const struct conn *c)
{
	struct conn *big = NULL;
	for (struct list_node *n = conns.next; n != &conns; n = n->next) {
		struct conn *o = container_of(n, struct conn, link);
		if (o != c && conn_releasable(o) > CTL_SMALL_ANSWER &&
		    (!big || conn_releasable(o) > conn_releasable(big)))
			big = o;
	}
	return big;
}

/* Brings what the clients hold, with @more bytes for @c, within CTL_MEMORY_BUDGET: the
 * other clients holding the most are disconnected (their memory goes once libuv has
 * cancelled their writes). Memory that the clients already closing give back this turn is
 * not made room for twice, and nobody is evicted when those who could go would not give back
 * enough (a connection waiting on a stop holds its input buffer until the stop ends): the
 * answer is refused instead. */
static void within_budget(const struct conn *c, size_t more)
{
	size_t need = held_bytes - releasing + more;
	if (need <= CTL_MEMORY_BUDGET)
		return;
	size_t over = need - CTL_MEMORY_BUDGET, could = 0;
	for (struct list_node *n = conns.next; n != &conns; n = n->next) {
		struct conn *o = container_of(n, struct conn, link);
		if (o != c && conn_releasable(o) > CTL_SMALL_ANSWER)
			could += conn_releasable(o);
	}
	if (could < over)
		return; /* evicting would not make room: the answer is refused (or, small, goes) */
	while (over > 0) {
		struct conn *big = biggest_holder(c);
		if (!big)
			return;
		warn_limited("control clients hold more than 32 MiB of requests and answers: the one "
			     "holding the most is disconnected");
		over -= conn_releasable(big) < over ? conn_releasable(big) : over;
		conn_close(big);
	}
}

/* Whether an answer of @len bytes to @c, at most @bound once written whole, may be queued:
 * small ones always (root's `list` gets through), large ones within the budget once the
 * others made room. The memory of the clients disconnected for it goes at the end of the
 * loop's turn, so until then a large answer is refused rather than queued past the budget. */
static bool answer_fits_as(const struct conn *c, size_t len, size_t bound)
{
	within_budget(c, len);
	return bound <= CTL_SMALL_ANSWER || held_bytes + len <= CTL_MEMORY_BUDGET;
}

static bool answer_fits(const struct conn *c, size_t len)
{
	return answer_fits_as(c, len, len);
}

static void on_written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	struct conn *c = w->c;
	c->queued -= w->len;
	held_bytes -= w->len;
	if (c->closing) { /* a write cancelled by the close: counted in releasing */
		size_t d = w->len < c->releasing ? w->len : c->releasing;
		c->releasing -= d;
		releasing -= d;
	}
	if (c->pipe.write_queue_size == 0)
		c->biggest = 0;
	if (status < 0 || (c->close_when_written && c->pipe.write_queue_size == 0))
		conn_close(c);
	answer_unref(c);
	free(w);
}

/* Queues @len bytes, whatever the client has not read yet: a piece of an answer being
 * written, which the budget checks admitted as a whole; the other clients make room for it
 * if @make_room (not for a batch's answer: admitted as it was built, nobody is evicted for
 * it). */
static void conn_queue(struct conn *c, const char *data, size_t len, bool make_room)
{
	if (c->closing)
		return;
	if (make_room)
		within_budget(c, len);
	struct write_req *w = xmalloc(sizeof(*w) + len);
	memcpy(w->data, data, len);
	w->c = c;
	w->len = len;
	c->refs++;
	uv_buf_t buf = uv_buf_init(w->data, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &buf, 1, on_written) < 0) {
		free(w);
		conn_close(c); /* before the unref: the connection's own reference keeps c */
		conn_unref(c);
		return;
	}
	c->queued += len;
	held_bytes += len;
}

static void answer_queued(struct conn *c, size_t len)
{
	if (len > c->biggest)
		c->biggest = len;
}

/* Whether @c has stopped reading its answers, and is disconnected for it (or is closing):
 * more than CTL_MAX_BACKLOG pending besides its largest answer. One answer may be as big as
 * the ring's JSON (6 times the ring for ESC bytes), and a reading client may ask for the next
 * before it has read it: `zinit log` asks for the ring and the subscription at once. Asked
 * before every answer, log answers too: they are queued piece by piece (conn_queue), and a
 * client asking for a small ring of ESC bytes again and again without reading held 91 MB. */
static bool conn_backlogged(struct conn *c)
{
	if (c->closing)
		return true;
	if (c->pipe.write_queue_size <= CTL_MAX_BACKLOG + c->biggest)
		return false;
	log_warn("control client not reading its answers: disconnected");
	conn_close(c);
	return true;
}

/* Queues an answer of @len bytes, unless @c stopped reading its answers (conn_backlogged). */
static void conn_write(struct conn *c, const char *data, size_t len)
{
	if (conn_backlogged(c))
		return;
	conn_queue(c, data, len, true);
	answer_queued(c, len);
}

/* A final answer: stop reading, close once it is written. */
static void conn_finish(struct conn *c)
{
	c->close_when_written = true;
	uv_read_stop((uv_stream_t *)&c->pipe);
	c->len = 0;
}

static void conn_write_json(struct conn *c, json_t *msg)
{
	size_t len;
	char *s = ctl_encode(msg, true, &len);
	if (!answer_fits(c, len)) {
		free(s);
		json_t *id = json_is_object(msg) ? json_object_get(msg, "id") : NULL;
		json_t *err = ctl_rpc_error_with(id, ctl_rpcerr_new(NULL, CTL_E_OVER_BUDGET));
		s = ctl_encode(err, true, &len);
		json_decref(err);
	}
	conn_write(c, s, len);
	free(s);
	json_decref(msg);
}

/* ---- replies --------------------------------------------------------------------------- */

static struct ctl_call *call_new(struct conn *c, struct ctl_request *req, struct batch *b,
				 size_t slot)
{
	struct ctl_call *r = xcalloc(1, sizeof(*r));
	r->c = c;
	c->refs++;
	c->calls++;
	r->id = req->id ? json_incref(req->id) : NULL;
	r->line = c->proto == PROTO_LINE;
	r->notification = req->notification;
	r->batch = b;
	r->slot = slot;
	r->method = req->method;
	r->name = req->name ? xstrdup(req->name) : NULL;
	r->signal = req->signal ? xstrdup(req->signal) : NULL;
	return r;
}

/* Whether @b's answer may grow by @more bytes: a batch's answers are one answer, admitted as
 * answer_fits() admits one as they are built (what they hold is in held_bytes meanwhile),
 * without disconnecting anyone: a batch asking for the ring 128 times gets -32051 for the
 * requests past the budget instead of making room for them. */
static bool batch_may_grow(const struct batch *b, size_t more)
{
	return b->bytes + more <= CTL_SMALL_ANSWER || held_bytes + more <= CTL_MEMORY_BUDGET;
}

static void batch_done(struct batch *b)
{
	struct conn *c = b->c;
	bool any = false;
	list_unlink(&b->link);
	c->queued -= b->bytes; /* queued again as the answer is written */
	held_bytes -= b->bytes;
	for (size_t i = 0; i < b->n; i++)
		any = any || b->slots[i].text;
	if (any && !c->closing)
		batch_write(b); /* admitted slot by slot as it was built: nobody evicted for it */
	for (size_t i = 0; i < b->n; i++)
		free(b->slots[i].text); /* those batch_write() did not queue (the client is gone) */
	end_late_follower(c); /* a subscription of the batch's, behind the batch's answer */
	answer_unref(c);
	free(b->slots);
	free(b);
}

/* Slot @slot of @b is answered with @text (taken; NULL: no answer). The text of a batch whose
 * connection is closing goes at once: nobody will read it. */
static void batch_answer(struct batch *b, size_t slot, char *text, size_t len)
{
	if (b->c->closing) {
		free(text);
		text = NULL;
		len = 0;
	}
	b->slots[slot] = (struct batch_slot){ text, len };
	b->bytes += len;
	b->c->queued += len;
	held_bytes += len;
	if (--b->pending == 0)
		batch_done(b);
}

/* Slot @slot of @b is answered with @msg (taken; NULL: no answer), or with -32051 when it
 * would take the batch's answer past the budget. */
static void batch_answer_msg(struct batch *b, size_t slot, json_t *msg)
{
	size_t len = 0;
	char *text = msg ? ctl_encode(msg, false, &len) : NULL;
	if (text && !batch_may_grow(b, len)) {
		json_t *err = ctl_rpc_error_with(json_object_get(msg, "id"),
						 ctl_rpcerr_new(NULL, CTL_E_OVER_BUDGET));
		free(text);
		text = ctl_encode(err, false, &len); /* a few bytes: always admitted */
		json_decref(err);
	}
	json_decref(msg);
	batch_answer(b, slot, text, len);
}

static void call_free(struct ctl_call *r)
{
	struct conn *c = r->c;
	c->calls--;
	json_decref(r->id);
	free(r->name);
	free(r->signal);
	free(r->cause);
	free(r);
	answer_unref(c);
}

/* The error object of @r's answer: zinit's, for the method that failed, unless @r was refused
 * before its method ran. */
static json_t *call_error(const struct ctl_call *r, enum ctl_err err)
{
	struct ctl_failure f = { r->method, r->name, r->signal, r->cause };
	return ctl_rpcerr_new(r->refused ? NULL : &f, err);
}

void ctl_call_set_cause(struct ctl_call *r, const char *cause)
{
	free(r->cause);
	r->cause = xstrdup(cause);
}

void ctl_call_finish(struct ctl_call *r, enum ctl_err err, json_t *result)
{
	struct conn *c = r->c;
	char buf[512];
	if (r->line) {
		char *s = err ? ctl_line_error(ctl_line_error_text(err, r->name, buf, sizeof(buf)))
			      : ctl_line_ok(result);
		if (err)
			json_decref(result);
		if (!answer_fits(c, strlen(s))) {
			free(s);
			s = ctl_line_error(ctl_line_error_text(CTL_E_OVER_BUDGET, NULL, buf,
							       sizeof(buf)));
		}
		c->close_when_written = true;
		conn_write(c, s, strlen(s));
		free(s);
	} else {
		json_t *msg = NULL;
		if (!r->notification)
			msg = err ? ctl_rpc_error_with(r->id, call_error(r, err))
				  : ctl_rpc_result(r->id, json_incref(result));
		json_decref(result);
		if (r->batch)
			batch_answer_msg(r->batch, r->slot, msg);
		else if (msg)
			conn_write_json(c, msg);
	}
	call_free(r);
}

/* ---- log subscriptions ----------------------------------------------------------------- */

static void send_log_line(struct sub *s, const char *line, size_t len)
{
	if (s->raw) {
		char *buf = xmalloc(len + 1);
		memcpy(buf, line, len);
		buf[len] = '\n';
		conn_write(s->c, buf, len + 1);
		free(buf);
	} else {
		conn_write_json(s->c, ctl_rpc_log_notification((json_int_t)s->id, line, len));
	}
}

/* Tells @s's client how many lines it missed, if any. Whether @s is still there (a failed
 * write frees it with the connection's subscriptions). */
static bool send_dropped_note(struct sub *s)
{
	struct conn *c = s->c;
	if (c->dropped) {
		char note[64];
		int n = snprintf(note, sizeof(note), "[-] zinit: %lu lines dropped", c->dropped);
		c->dropped = 0;
		send_log_line(s, note, (size_t)n);
	}
	return !c->closing;
}

/*
 * Writes one log line to a subscriber, or counts it as dropped if the client lags. Once it
 * catches up it is told how many it missed, whatever its filter (zinit shows that line only
 * to unfiltered followers).
 */
static void on_log_line(void *ctx, const char *line, size_t len)
{
	struct sub *s = ctx;
	struct conn *c = s->c;
	if (!logbus_line_matches(line, len, s->filter))
		return;
	if (c->pipe.write_queue_size > CTL_LOG_BACKLOG || held_bytes > CTL_MEMORY_BUDGET) {
		c->dropped++;
		return;
	}
	if (send_dropped_note(s))
		send_log_line(s, line, len);
}

/* Returns the subscription id, or 0 if the connection is already closing. */
static uint64_t subscribe(struct conn *c, const char *filter, bool raw)
{
	if (c->closing)
		return 0;
	struct sub *s = xcalloc(1, sizeof(*s));
	s->c = c;
	s->filter = filter ? xstrdup(filter) : NULL;
	s->raw = raw;
	s->id = logbus_subscribe(on_log_line, s);
	c->subs = xrealloc(c->subs, (c->nsubs + 1) * sizeof(*c->subs));
	c->subs[c->nsubs++] = s;
	return s->id;
}

static bool unsubscribe(struct conn *c, json_int_t id)
{
	for (size_t i = 0; i < c->nsubs; i++) {
		if ((json_int_t)c->subs[i]->id != id)
			continue;
		sub_free(c->subs[i]);
		c->subs[i] = c->subs[--c->nsubs];
		return true;
	}
	return false;
}

uint64_t ctl_call_subscribe(struct ctl_call *call, const char *filter)
{
	return subscribe(call->c, filter, false);
}

bool ctl_call_unsubscribe(struct ctl_call *call, json_int_t id)
{
	return unsubscribe(call->c, id);
}

/* The JSON of a log answer is at most this many times the ring: an ESC byte is `\u001b`. */
#define LOG_JSON_GROWTH 6

/* A log answer (the ring), written piece by piece in one turn of the loop: admitted as a whole
 * by answer_fits_as(), its pieces are queued whatever the client has read of them so far (the
 * JSON of a ring of ESC bytes is 6 times the ring, a --buffer-bytes of 16 MiB holds 16). */
#define ANSWER_PIECE (64 * 1024)

struct log_answer {
	struct conn *c;
	const char *filter;
	char *buf;
	size_t len, n;
	size_t total; /* bytes of the answer so far */
	bool batch;   /* a batch's answer: admitted as it was built, no room made for it */
};

static void piece_add(struct log_answer *a, const char *s, size_t n)
{
	a->total += n;
	if (a->len + n > ANSWER_PIECE && a->len) {
		conn_queue(a->c, a->buf, a->len, !a->batch);
		a->len = 0;
	}
	if (n > ANSWER_PIECE) {
		conn_queue(a->c, s, n, !a->batch);
		return;
	}
	memcpy(a->buf + a->len, s, n);
	a->len += n;
}

/* Queues what is left in the piece buffer, and frees it: the answer is whole. */
static void pieces_end(struct log_answer *a)
{
	if (a->len)
		conn_queue(a->c, a->buf, a->len, !a->batch);
	answer_queued(a->c, a->total);
	free(a->buf);
}

/* Writes @b's answers as one array: the first byte like any answer (a client not reading its
 * answers is disconnected), the rest piece by piece like a log answer, each slot freed once
 * queued, so that the answer is never copied whole. */
static void batch_write(struct batch *b)
{
	if (conn_backlogged(b->c))
		return; /* its slots are freed by batch_done() */
	struct log_answer a = { .c = b->c, .buf = xmalloc(ANSWER_PIECE), .batch = true };
	conn_queue(b->c, "[", 1, false);
	for (size_t i = 0; i < b->n; i++) {
		if (!b->slots[i].text)
			continue;
		if (a.n++)
			piece_add(&a, ",", 1);
		piece_add(&a, b->slots[i].text, b->slots[i].len);
		free(b->slots[i].text);
		b->slots[i].text = NULL;
	}
	piece_add(&a, "]\n", 2);
	pieces_end(&a);
}

/* @line as a JSON string, encoded (malloc'd, *@n bytes). */
static char *line_json(const char *line, size_t len, size_t *n)
{
	json_t *s = ctl_json_line(line, len);
	char *e = ctl_encode(s, false, n);
	json_decref(s);
	return e;
}

static void answer_line(void *ctx, const char *line, size_t len)
{
	struct log_answer *a = ctx;
	if (!logbus_line_matches(line, len, a->filter))
		return;
	size_t n;
	char *e = line_json(line, len, &n);
	if (a->n++)
		piece_add(a, ",", 1);
	piece_add(a, e, n);
	free(e);
}

/* A log answer inside a batch: built in memory (the batch's answer goes once all its requests
 * are answered), and given up as soon as the batch's answer could not take it. */
struct batch_log {
	const struct batch *b;
	const char *filter;
	struct strbuf text;
	size_t n;
	bool over;
};

static void batch_log_line(void *ctx, const char *line, size_t len)
{
	struct batch_log *t = ctx;
	if (t->over || !logbus_line_matches(line, len, t->filter))
		return;
	size_t n;
	char *e = line_json(line, len, &n);
	if (t->n++)
		strbuf_add(&t->text, ",", 1);
	strbuf_add(&t->text, e, n);
	free(e);
	t->over = !batch_may_grow(t->b, t->text.len);
}

static void batch_answer_log(struct ctl_call *call, const char *filter)
{
	struct batch_log t = { .b = call->batch, .filter = filter };
	size_t len;
	if (call->c->closing) { /* nobody to read it: the ring is not built */
		batch_answer(call->batch, call->slot, NULL, 0);
		call_free(call);
		return;
	}
	char *open = ctl_rpc_array_open(call->id, &len);
	strbuf_add(&t.text, open, len);
	free(open);
	t.over = !batch_may_grow(t.b, logbus_bytes()); /* the ring's size, as answer_fits() */
	if (!t.over)
		logbus_snapshot(batch_log_line, &t);
	if (t.over) {
		strbuf_free(&t.text);
		ctl_call_finish(call, CTL_E_OVER_BUDGET, NULL);
		return;
	}
	strbuf_add(&t.text, "]}", 2); /* CTL_RPC_ARRAY_CLOSE without the newline: in the array */
	batch_answer(call->batch, call->slot, t.text.s, t.text.len);
	call_free(call);
}

void ctl_call_answer_log(struct ctl_call *call, const char *filter)
{
	struct log_answer a = { .c = call->c, .filter = filter };
	if (call->notification) { /* no answer: nothing to build */
		ctl_call_finish(call, CTL_OK, NULL);
		return;
	}
	if (call->batch) {
		batch_answer_log(call, filter);
		return;
	}
	if (conn_backlogged(call->c)) { /* not read, or gone: nothing built */
		call_free(call);
		return;
	}
	/* small only if its JSON is (a ring under 11 KiB); a larger ring is admitted for its own
	 * size, and the pieces past it make room as they are queued (conn_queue) */
	size_t raw = logbus_bytes();
	if (!answer_fits_as(call->c, raw, LOG_JSON_GROWTH * raw)) {
		ctl_call_finish(call, CTL_E_OVER_BUDGET, NULL);
		return;
	}
	a.buf = xmalloc(ANSWER_PIECE);
	char *open = ctl_rpc_array_open(call->id, &a.len);
	memcpy(a.buf, open, a.len); /* a few bytes: the envelope and the id */
	free(open);
	logbus_snapshot(answer_line, &a);
	piece_add(&a, CTL_RPC_ARRAY_CLOSE, strlen(CTL_RPC_ARRAY_CLOSE));
	pieces_end(&a);
	call_free(call);
}

static void raw_answer_line(void *ctx, const char *line, size_t len)
{
	piece_add(ctx, line, len);
	piece_add(ctx, "\n", 1);
}

/* The line protocol's `log` and `log snapshot`: the ring's raw lines (all of them, as an
 * answer: not dropped as a lagging follower's lines are), then EOF or the lines to come. */
void ctl_call_stream_log(struct ctl_call *call, bool follow)
{
	struct conn *c = call->c;
	if (conn_backlogged(c)) { /* not read, or gone: nothing built */
		call_free(call);
		return;
	}
	if (!answer_fits(c, logbus_bytes())) {
		ctl_call_finish(call, CTL_E_OVER_BUDGET, NULL);
		return;
	}
	struct log_answer a = { .c = c, .buf = xmalloc(ANSWER_PIECE) };
	logbus_snapshot(raw_answer_line, &a);
	pieces_end(&a);
	if (!c->closing) { /* else a write failed */
		if (follow) {
			subscribe(c, NULL, true);
			/* read on, to see the client go: its bytes are ignored (on_read) */
			uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
		} else if (c->pipe.write_queue_size == 0)
			conn_close(c);
		else
			c->close_when_written = true;
	}
	call_free(call);
}

/* ---- dispatch -------------------------------------------------------------------------- */

static const struct ctl_handler *method_of(enum ctl_method m)
{
	for (size_t i = 0; i < nmethods; i++)
		if (methods[i].method == m)
			return &methods[i];
	return NULL;
}

static void dispatch(struct conn *c, struct ctl_request *req, struct batch *b, size_t slot)
{
	const struct ctl_handler *m = method_of(req->method);
	struct ctl_call *call = call_new(c, req, b, slot);
	json_t *result = NULL;
	enum ctl_err err = m ? m->run(call, req, &result) : CTL_E_INTERNAL;
	if (err || !m->async)
		ctl_call_finish(call, err, result);
}

/* ---- reading requests ------------------------------------------------------------------ */

static void rpc_error_now(struct conn *c, struct ctl_request *req, int code, struct batch *b,
			  size_t slot)
{
	struct ctl_call *r = call_new(c, req, b, slot);
	r->refused = true;
	if (code == CTL_E_INVALID_REQUEST)
		r->notification = false; /* an invalid request is answered even without an id */
	ctl_call_finish(r, code, NULL);
}

static void rpc_request(struct conn *c, json_t *msg, struct batch *b, size_t slot)
{
	struct ctl_request req;
	const char *why;
	int code = ctl_rpc_parse(msg, &req, &why);
	if (code)
		rpc_error_now(c, &req, code, b, slot);
	else
		dispatch(c, &req, b, slot);
	ctl_request_clear(&req);
}

static void rpc_batch(struct conn *c, json_t *msgs)
{
	size_t n = json_array_size(msgs);
	struct ctl_request none = { 0 };
	if (n == 0 || n > CTL_MAX_BATCH) {
		rpc_error_now(c, &none, CTL_E_INVALID_REQUEST, NULL, 0);
		return;
	}
	struct batch *b = xcalloc(1, sizeof(*b));
	b->c = c;
	c->refs++;
	list_push_back(&c->batches, &b->link);
	b->slots = xcalloc(n, sizeof(*b->slots));
	b->n = b->pending = n;
	for (size_t i = 0; i < n; i++)
		rpc_request(c, json_array_get(msgs, i), b, i);
}

static void rpc_message(struct conn *c, const char *text, size_t len)
{
	json_error_t jerr;
	json_t *msg = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
	struct ctl_request none = { 0 };
	if (!msg)
		rpc_error_now(c, &none, CTL_E_PARSE, NULL, 0);
	else if (json_is_array(msg))
		rpc_batch(c, msg);
	else
		rpc_request(c, msg, NULL, 0);
	json_decref(msg);
}

static void consume(struct conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->len - n);
	c->len -= n;
}

static void process_rpc(struct conn *c)
{
	while (!c->closing && !c->close_when_written && c->len > 0) { /* not past its end */
		size_t start;
		long n = ctl_frame(&c->framer, c->in, c->len, &start);
		if (n == -E2BIG) {
			conn_write_json(c, ctl_rpc_error(NULL, CTL_E_INVALID_REQUEST,
							 "batch too large: more than 128 requests"));
			conn_finish(c);
			return;
		}
		if (n < 0) {
			struct ctl_request none = { 0 };
			rpc_error_now(c, &none, CTL_E_PARSE, NULL, 0);
			conn_finish(c);
			return;
		}
		if (n == 0) {
			if (!c->framer.started) { /* only blanks after the last message */
				consume(c, c->framer.pos);
				c->framer.pos = 0;
			}
			if (c->len > CTL_MAX_MESSAGE) {
				conn_write_json(c, ctl_rpc_error(NULL, CTL_E_INVALID_REQUEST,
								 "request too large"));
				conn_finish(c);
			}
			return;
		}
		rpc_message(c, c->in + start, (size_t)n);
		consume(c, start + (size_t)n);
	}
}

/* The line protocol: one command, answered, then EOF. */
static void process_line(struct conn *c, bool eof)
{
	char *nl = memchr(c->in, '\n', c->len);
	if (!nl && !eof) {
		if (c->len > CTL_MAX_LINE) {
			char *s = ctl_line_error("request too long");
			conn_finish(c);
			conn_write(c, s, strlen(s));
			free(s);
		}
		return;
	}
	size_t n = nl ? (size_t)(nl - c->in) : c->len;
	if (n > 0 && c->in[n - 1] == '\r')
		n--;
	struct ctl_request req;
	char buf[CTL_MAX_LINE + 64];
	const char *err;
	int parsed = ctl_line_parse(c->in, n, &req, buf, sizeof(buf), &err); /* NUL bytes too */
	conn_finish(c); /* one command per connection; the answer (or the log) ends it */
	c->close_when_written = false;
	if (parsed < 0) {
		char *s = ctl_line_error(err);
		c->close_when_written = true;
		conn_write(c, s, strlen(s));
		free(s);
	} else {
		dispatch(c, &req, NULL, 0);
	}
	ctl_request_clear(&req);
}

/*
 * The first non-blank byte picks the protocol; a blank first line is a (bad) line command.
 * The blanks before it are scanned once each, and count towards a command's size: past
 * CTL_MAX_LINE of them the client speaks the line protocol, and its command is too long.
 */
static void pick_protocol(struct conn *c, bool eof)
{
	while (c->blanks < c->len &&
	       (c->in[c->blanks] == ' ' || c->in[c->blanks] == '\t' || c->in[c->blanks] == '\r'))
		c->blanks++;
	if (c->blanks == c->len && !eof && c->len <= CTL_MAX_LINE)
		return;
	c->proto = c->blanks < c->len && ctl_is_jsonrpc(c->in[c->blanks]) ? PROTO_RPC : PROTO_LINE;
}

static void process(struct conn *c, bool eof)
{
	if (c->proto == PROTO_UNKNOWN)
		pick_protocol(c, eof);
	if (c->proto == PROTO_UNKNOWN)
		return;
	if (c->proto == PROTO_RPC)
		process_rpc(c);
	else
		process_line(c, eof);
	end_late_follower(c);
}

static void on_stalled(uv_timer_t *t)
{
	struct conn *c = t->data;
	log_warn("control client %s and stalled: disconnected",
		 c->proto == PROTO_UNKNOWN && c->len == 0 ? "sent nothing" : "sent half a request");
	conn_close(c);
}

/* A partial request, or nothing at all since the connection opened, must be complete within
 * CTL_STALL_TIMEOUT_MS of its first byte (of the connection), whatever its byte rate. */
static void arm_stall_timer(struct conn *c)
{
	if (!((c->len > 0 || c->proto == PROTO_UNKNOWN) && !c->closing && !c->ended))
		uv_timer_stop(&c->stall);
	else if (!uv_is_active((uv_handle_t *)&c->stall)) /* not re-armed by each byte that trickles in */
		uv_timer_start(&c->stall, on_stalled, CTL_STALL_TIMEOUT_MS, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)h;
	(void)suggested;
	*buf = uv_buf_init(read_buf, sizeof(read_buf));
}

/* Whether @c's client has closed its end for good. A unix stream socket polls POLLHUP only
 * once the peer has shut both directions (closed, or died); a shutdown(SHUT_WR) alone (`nc -N`,
 * socat) gives EOF but leaves a client that still reads what zinit sends. */
static bool peer_gone(struct conn *c)
{
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)&c->pipe, &fd) < 0)
		return true;
	struct pollfd p = { .fd = fd, .events = 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

static void on_peer_check(uv_timer_t *t)
{
	struct conn *c = t->data;
	if (peer_gone(c))
		conn_close(c);
}

/*
 * EOF (or a read error) from @c's client. A client that has gone (closed, or died) is closed
 * at once, whatever is still owed to it: nothing can reach it, and a client killed while it
 * waited on a stop held its slot and descriptor until the stop ended (256 of them lock root's
 * CLI out); answers that end later find it closing. A follower is never evicted to make room,
 * so this is where its going is seen. One that only half-closed keeps its lines and answers;
 * libuv watches a stream no more after its EOF, and a second watcher on the same socket is not
 * supported (uv_poll_t's docs), so while something is still owed to it its going is checked
 * every CTL_PEER_CHECK_MS, with the stall timer it no longer needs.
 */
static void on_eof(struct conn *c)
{
	if (c->nsubs == 0 && !c->ended &&
	    (c->proto == PROTO_LINE || (c->proto == PROTO_UNKNOWN && c->len > 0)))
		process(c, true); /* a line-protocol `log` has had its command */
	uv_read_stop((uv_stream_t *)&c->pipe);
	c->eof = true; /* answers still owed (refs) are written, then answer_unref() closes */
	if (c->closing)
		return;
	if (peer_gone(c))
		conn_close(c);
	else if (c->nsubs > 0 || c->refs > 1)
		uv_timer_start(&c->stall, on_peer_check, CTL_PEER_CHECK_MS, CTL_PEER_CHECK_MS);
	else if (!c->close_when_written)
		conn_close(c);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = stream->data;
	if (nread < 0) {
		on_eof(c);
		return;
	}
	if ((c->proto == PROTO_LINE && c->nsubs > 0) || c->ended)
		return; /* a line-protocol `log`, or an ended follower: only its going matters */
	if (c->len + (size_t)nread > c->cap) {
		size_t cap = c->len + (size_t)nread + 4096;
		within_budget(c, cap - c->cap);
		held_bytes += cap - c->cap;
		c->cap = cap;
		c->in = xrealloc(c->in, c->cap);
	}
	memcpy(c->in + c->len, buf->base, (size_t)nread);
	c->len += (size_t)nread;
	process(c, false);
	/* a big request answered: its buffer goes (a closing one's goes with the connection: it
	 * may be counted in releasing) */
	if (c->len == 0 && c->cap > CTL_TRIM_BYTES && !c->closing) {
		held_bytes -= c->cap;
		free(c->in);
		c->in = NULL;
		c->cap = 0;
		malloc_trim(0);
	}
	arm_stall_timer(c);
}

/* ---- accepting ------------------------------------------------------------------------- */

static bool peer_allowed(uv_pipe_t *p)
{
	uv_os_fd_t fd;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (uv_fileno((uv_handle_t *)p, &fd) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	return cred.uid == 0 || cred.uid == getuid();
}

/* Whether @c's peer has sent bytes that zinit has not read yet (a client accepted in the
 * same turn as others has not been read: it is not idle). */
static bool has_unread(struct conn *c)
{
	uv_os_fd_t fd;
	int n = 0;
	return uv_fileno((uv_handle_t *)&c->pipe, &fd) == 0 && ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

/* The connection that has done nothing for the longest: nothing sent (read or not), no
 * request in progress, no subscription. The list has the newest first. */
static struct conn *oldest_idle(const struct conn *except)
{
	for (struct list_node *n = conns.prev; n != &conns; n = n->prev) {
		struct conn *c = container_of(n, struct conn, link);
		if (c != except && c->len == 0 && c->nsubs == 0 && c->refs <= 1 && !c->closing &&
		    !c->close_when_written && !has_unread(c))
			return c;
	}
	return NULL;
}

/* Whether the descriptor a new connection took leaves too few for the services: the kernel
 * hands out the lowest free one, so every fd below it is in use. libuv's answer to EMFILE is
 * to accept and close every pending connection (root's CLI among them), so zinit caps the
 * clients at what it has then, and makes room within that cap. */
static bool fds_short(uv_pipe_t *p)
{
	struct rlimit rl;
	uv_os_fd_t fd;
	if (uv_fileno((uv_handle_t *)p, &fd) < 0 || getrlimit(RLIMIT_NOFILE, &rl) < 0 ||
	    rl.rlim_cur == RLIM_INFINITY)
		return false;
	return (rlim_t)fd + CTL_FD_RESERVE >= rl.rlim_cur;
}

/* The clients the descriptors allow now, a new one (just accepted) among them: those open
 * and one more for each descriptor free beyond the reserve, counted in /proc/self/fd (the fd
 * numbers do not tell: an evicted client's leaves a hole below the others). @cap unchanged
 * where /proc is not mounted, or no descriptor is left to read it. */
static size_t cap_from_headroom(size_t cap)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return cap;
	if (rl.rlim_cur == RLIM_INFINITY)
		return CTL_MAX_CLIENTS;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return cap;
	rlim_t open = 0; /* the directory's own, ".", ".." not counted */
	for (struct dirent *e; (e = readdir(d));)
		open += e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d);
	closedir(d);
	if (open + CTL_FD_RESERVE > rl.rlim_cur)
		return cap; /* as fds_short() would say if the new one had no hole below it */
	rlim_t allowed = nconns + (rl.rlim_cur - CTL_FD_RESERVE - open);
	return allowed < CTL_MAX_CLIENTS ? (size_t)allowed : CTL_MAX_CLIENTS;
}

/* One WARN per cause every 10 s at most, with the count since the last one. */
static void warn_limited(const char *what)
{
	static uint64_t last_ms;
	static unsigned long since;
	static const char *last_what;
	uint64_t now = uv_now(server.loop);
	since++;
	if (what == last_what && last_ms && now - last_ms < 10000)
		return;
	log_warn("%s (%lu time%s in the last 10 s)", what, since, since == 1 ? "" : "s");
	last_ms = now;
	last_what = what;
	since = 0;
}

/* Over a limit (clients, or descriptors): the oldest idle client makes room, so idle clients
 * cannot lock root's CLI out; when every client is busy, @c is told so and closed. Whether @c
 * stays. */
static bool make_room(struct conn *c, bool fds)
{
	struct conn *idle = oldest_idle(c);
	if (idle) {
		warn_limited(fds ? "few file descriptors left: the oldest idle control client is "
				   "disconnected" :
				   "more than 256 control clients: the oldest idle one is disconnected");
		conn_close(idle);
		return true;
	}
	warn_limited(fds ? "few file descriptors left and every control client busy: connection "
			   "refused" :
			   "more than 256 control clients, all busy: connection refused");
	conn_write_json(c, ctl_rpc_error(NULL, CTL_E_BUSY, "too many control clients, all busy: "
							 "try again"));
	conn_finish(c);
	return false;
}

static void on_connection(uv_stream_t *srv, int status)
{
	if (status < 0)
		return;
	struct conn *c = xcalloc(1, sizeof(*c));
	uv_pipe_init(srv->loop, &c->pipe, 0);
	uv_timer_init(srv->loop, &c->stall);
	c->pipe.data = c->stall.data = c;
	c->refs = 1;
	list_init(&c->batches);
	list_push_front(&conns, &c->link);
	nconns++;
	if (uv_accept(srv, (uv_stream_t *)&c->pipe) < 0) {
		conn_close(c);
		return;
	}
	if (!peer_allowed(&c->pipe)) {
		log_warn("control client with another uid refused");
		conn_close(c);
		return;
	}
	/* The cap goes down to the clients open when a new one takes one of the last descriptors,
	 * and back up (towards 256) as soon as a connection over it finds descriptors free again
	 * (clients gone, services forgotten). */
	if (fds_short(&c->pipe)) {
		if (nconns - 1 < client_cap)
			client_cap = nconns > 1 ? nconns - 1 : 1; /* what the descriptor limit allows */
	} else if (nconns > client_cap && client_cap < CTL_MAX_CLIENTS) {
		client_cap = cap_from_headroom(client_cap);
	}
	if (nconns > client_cap && !make_room(c, client_cap < CTL_MAX_CLIENTS))
		return;
	uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
	arm_stall_timer(c);
}

/* ---- the listening socket -------------------------------------------------------------- */

static int mkdir_parents(const char *path)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			int err = -errno;
			free(dir);
			return err;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

/* Removes a stale socket at @path; fails if a live zinit answers there. */
static int clear_stale(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -EEXIST;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	int live = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	if (fd >= 0)
		close(fd);
	if (live) {
		snprintf(err, errlen, "another zinit is already running: it answers on %s", path);
		return -EADDRINUSE;
	}
	return unlink(path) < 0 ? -errno : 0;
}

int ctl_server_start(uv_loop_t *loop, const char *path, const struct ctl_handler *table,
		     size_t n, char *err, size_t errlen)
{
	struct sockaddr_un addr;
	int r;
	methods = table;
	nmethods = n;
	snprintf(err, errlen, "control socket %s", path);
	if (strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(err, errlen, "control socket path too long (%zu bytes, at most %zu): %s",
			 strlen(path), sizeof(addr.sun_path) - 1, path);
		return -ENAMETOOLONG;
	}
	if ((r = mkdir_parents(path)) < 0 || (r = clear_stale(path, err, errlen)) < 0) {
		if (r != -EEXIST && r != -EADDRINUSE)
			snprintf(err, errlen, "control socket %s: %s", path, strerror(-r));
		return r;
	}
	uv_pipe_init(loop, &server, 0);
	mode_t old = umask(0177); /* the socket is born 0600: no window for other users */
	r = uv_pipe_bind(&server, path);
	umask(old);
	if (r == 0)
		/* the system's limit, not libuv's usual 128: a burst of clients queues in the kernel
		 * instead of failing with EAGAIN while zinit is busy */
		r = uv_listen((uv_stream_t *)&server, SOMAXCONN, on_connection);
	if (r < 0) {
		snprintf(err, errlen, "control socket %s: %s", path, uv_strerror(r));
		uv_close((uv_handle_t *)&server, NULL);
		return r;
	}
	chmod(path, 0600);
	socket_path = xstrdup(path);
	listening = true;
	return 0;
}

static void stop_listening(void)
{
	if (!listening)
		return;
	uv_close((uv_handle_t *)&server, NULL);
	unlink(socket_path);
	free(socket_path);
	socket_path = NULL;
	listening = false;
}

/* Ends @c's subscriptions: what it missed, a last notification for each JSON-RPC one (the
 * line protocol's raw lines have none: their EOF is the end), then EOF once all is written.
 * What its client sends from now on is read and ignored: it would be answered after the end (a
 * raw `log` client's bytes, or its EOF, taken for a new command; a JSON-RPC one subscribing
 * again on a connection about to close). It is read all the same, to see the client go, and
 * so that the close finds nothing unread (the client would get ECONNRESET, not EOF). */
static void end_follower(struct conn *c)
{
	for (size_t i = 0; i < c->nsubs && !c->closing; i++) {
		struct sub *s = c->subs[i];
		if (send_dropped_note(s) && !s->raw)
			conn_write_json(c, ctl_rpc_log_end((json_int_t)s->id, "zinit is exiting"));
	}
	if (c->closing)
		return; /* a write failed, or the client had stopped reading: disconnected */
	for (size_t i = 0; i < c->nsubs; i++)
		sub_free(c->subs[i]);
	c->nsubs = 0;
	c->close_when_written = true; /* and process_rpc() takes no request past this one */
	c->ended = true;
	if (!c->eof) /* after its EOF the timer watches its going (on_peer_check): kept */
		uv_timer_stop(&c->stall); /* half a request is not waited for */
	if (c->pipe.write_queue_size == 0) {
		conn_close(c); /* what it was sent is in the socket: the client reads it, then EOF */
		return;
	}
	c->ending = true; /* on_written() closes it once its queue is empty */
	ending++;
}

/* A subscription made once zinit ends its followers (a client connected before, asking
 * during the wait for their last lines) is ended at once, behind its answer (and the ring, for
 * `zinit log` and the line protocol's `log`): it would never get its end otherwise. A batch's
 * is ended once the batch is answered. */
static void end_late_follower(struct conn *c)
{
	if (followers_ended && c->nsubs > 0 && !c->closing && list_empty(&c->batches))
		end_follower(c);
}

/* The first connection with a subscription, NULL if none is left. */
static struct conn *first_follower(void)
{
	for (struct list_node *n = conns.next; n != &conns; n = n->next) {
		struct conn *c = container_of(n, struct conn, link);
		if (c->nsubs > 0)
			return c;
	}
	return NULL;
}

void ctl_server_end_followers(void (*done)(void))
{
	stop_listening();
	followers_ended = true;
	on_followers_ended = NULL;
	struct conn *c;
	while ((c = first_follower())) /* from the start each time: a write may evict others */
		end_follower(c);
	if (ending == 0)
		done();
	else
		on_followers_ended = done;
}

void ctl_server_close(void)
{
	on_followers_ended = NULL;
	while (!list_empty(&conns))
		conn_close(container_of(conns.next, struct conn, link));
	stop_listening();
}
