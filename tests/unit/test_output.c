/* SPDX-License-Identifier: MIT */
/* Tests for zinit's own output: messages dropped on a stuck stdout are counted, and the count
 * goes out as soon as the output moves again, not only at exit. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <uv.h>

#include "output.h"
#include "runner.h"

#define NOTE_BYTES 1000
#define NOTES 7000 /* 7 MB: past the 1 MiB pipe and the 4 MiB the queue keeps for notes */

/* Reads what is in the pipe: counts the note lines (their newline follows an 'x'), and
 * keeps the last TAIL bytes read, NUL-terminated, in @tail. */
#define TAIL 256
static size_t read_some(int fd, size_t *notes, char tail[TAIL])
{
	char buf[TAIL + 65536];
	size_t old = strlen(tail);
	memcpy(buf, tail, old);
	ssize_t n = read(fd, buf + old, sizeof(buf) - old);
	if (n <= 0)
		return 0;
	for (size_t i = old; i < old + (size_t)n; i++)
		if (buf[i] == '\n' && i >= 1 && buf[i - 1] == 'x')
			(*notes)++;
	size_t all = old + (size_t)n, keep = all < TAIL - 1 ? all : TAIL - 1;
	memmove(tail, buf + all - keep, keep);
	tail[keep] = '\0';
	return (size_t)n;
}

static void never(uv_timer_t *t)
{
	(void)t;
}

/* A stdout that nobody reads yet (its read end @rd, non-blocking) and the output on a loop. */
struct rig {
	int rd;
	uv_loop_t loop;
	uv_timer_t alive; /* zinit's loop always has handles; the output's own are unref'd */
};

static void rig_open(struct rig *r)
{
	int p[2];
	ASSERT(pipe(p) == 0);
	ASSERT(dup2(p[1], 1) == 1);
	close(p[1]);
	r->rd = p[0];
	ASSERT(fcntl(r->rd, F_SETFL, O_NONBLOCK) == 0);
	ASSERT(uv_loop_init(&r->loop) == 0);
	uv_timer_init(&r->loop, &r->alive);
	uv_timer_start(&r->alive, never, 3600 * 1000, 0);
	output_init(&r->loop, NULL);
}

/* Reads stdout, the loop running between reads, until what was in the pipe when @needle was
 * read is read too (true), or for about 4 s; the note lines read are counted in *@notes, the
 * last bytes read kept in @tail. */
static bool rig_read_until(struct rig *r, const char *needle, size_t *notes, char tail[TAIL])
{
	bool seen = false;
	for (int round = 0; round < 20000 && !seen; round++) {
		while (read_some(r->rd, notes, tail) > 0)
			seen = seen || strstr(tail, needle) != NULL;
		uv_run(&r->loop, UV_RUN_NOWAIT);
		usleep(200);
	}
	return seen;
}

static void rig_close(struct rig *r)
{
	output_close(0);
	uv_close((uv_handle_t *)&r->alive, NULL);
	uv_run(&r->loop, UV_RUN_NOWAIT);
	ASSERT(uv_loop_close(&r->loop) == 0);
	close(r->rd);
}

TEST(output_dropped_count_goes_out_once_the_output_moves)
{
	struct rig r;
	rig_open(&r);
	char note[NOTE_BYTES];
	memset(note, 'x', sizeof(note));
	for (int i = 0; i < NOTES; i++)
		output_note(1, note, sizeof(note)); /* nobody reads: most are queued, some dropped */

	size_t notes = 0;
	char tail[TAIL] = "";
	/* before output_close(): the output moved, so the count went out */
	ASSERT(rig_read_until(&r, "zinit messages dropped", &notes, tail));
	const char *at = strstr(tail, "WARN ");
	ASSERT(at);
	unsigned long dropped = strtoul(at + 5, NULL, 10);
	ASSERT(dropped > 0);
	ASSERT_EQ(notes + dropped, NOTES);
	rig_close(&r);
}

/* The lines of an exited service (output_line2_bounded) stop going to a stuck output at
 * OUTPUT_ORPHAN_LIMIT pending, whole; zinit's own messages still have room behind them. */
TEST(output_orphan_lines_bounded_notes_still_go)
{
	struct rig r;
	rig_open(&r);
	char line[NOTE_BYTES];
	memset(line, 'y', sizeof(line));
	size_t queued = 0, refused = 0;
	for (int i = 0; i < NOTES; i++) {
		if (output_line2_bounded(1, "[+] a: ", 7, line, sizeof(line)))
			queued++;
		else
			refused++;
	}
	ASSERT(refused > 0);
	size_t pipe_bytes = (size_t)fcntl(r.rd, F_GETPIPE_SZ);
	ASSERT(queued * (7 + NOTE_BYTES + 1) <= pipe_bytes + OUTPUT_ORPHAN_LIMIT + 2 * NOTE_BYTES);
	output_note(1, "zinit: WARN still here", 22);

	size_t notes = 0;
	char tail[TAIL] = "";
	/* the message, queued behind the lines, was not dropped */
	ASSERT(rig_read_until(&r, "still here", &notes, tail));
	rig_close(&r);
}
