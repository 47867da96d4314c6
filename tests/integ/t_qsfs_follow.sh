# SPDX-License-Identifier: MIT
# `zinit follow FILE...` as a unit (the image's zstor-log): only what is appended from now on;
# a file that appears later from its start; a roll (renamed away, created again) without a
# line lost, the old file's rest first; whole lines only; a file cut short read again; a file
# it cannot read said once on stderr; at SIGTERM every file read to its end, exit status 0.
# (Its command-line errors: t_qsfs_follow_ready.)
. "$(dirname "$0")/lib.sh"

printf 'old line, before the start\n' >"$T/a.log"
mkdir "$T/dir" "$T/sub"
printf 'old line, before the start\n' >"$T/sub/real.log"
ln -s sub/real.log "$T/l.log" # in another directory than its link: watched as a file too
# c.log is created by the follower's own process just before it runs (a program that starts
# with it and logs before its first look): born since the follower started, read from its start
unit follow <<YAML
exec: sh -c "echo early >>$T/c.log; exec $ZINIT follow $T/a.log $T/b.log $T/c.log $T/dir $T/l.log"
log: stdout
YAML
# the same follower where no inotify instance can be had: it looks every 200 ms instead
POLLING=0
if (no_inotify true) 2>/dev/null; then
	POLLING=1
	unit polling <<YAML
exec: $NO_INOTIFY $ZINIT follow $T/p.log
log: stdout
YAML
fi
# a.log must be older than the follower by more than its 1 s of slack on birth times (where
# the filesystem of $T keeps none, %W is 0: the follower cannot tell c.log is new, and the
# "early" check below is skipped)
old_enough() { [ $(($(date +%s) - $(stat -c %W "$T/a.log"))) -ge 2 ]; }
wait_until 5 old_enough || fail "a.log is not getting older"
btime=$(stat -c %W "$T/a.log")
# the directory fails, and is said once per start, after the files were opened: so its line
# says that the follower has taken its start positions
looked() {
	[ "$(count_lines "^\\[-\\] follow: zinit follow: $T/dir: Is a directory\$" "$T/err")" -ge "$1" ]
}
start_zinit
wait_until 10 looked 1 || fail "follow did not start"
[ "$btime" = 0 ] || wait_line '^\[\+\] follow: early$'

echo a1 >>"$T/a.log"
wait_line '^\[\+\] follow: a1$'
assert_no_line 'old line'
echo b1 >"$T/b.log" # did not exist at the start: followed from its start
wait_line '^\[\+\] follow: b1$'

# a roll: the writer's last line in the old file, then the new file
echo a2 >>"$T/a.log"
mv "$T/a.log" "$T/a.log.1"
echo a2-late >>"$T/a.log.1" # still written through an fd open before the roll
echo a3 >"$T/a.log"
wait_line '^\[\+\] follow: a3$'
assert_eq "$(sed -n 's/^\[+\] follow: \(a.*\)/\1/p' "$T/out" | tr '\n' ' ')" "a1 a2 a2-late a3 " \
	"a.log's lines across the roll"

# whole lines only: a line of b.log written in two pieces, with a line of a.log in between, is
# one line, after a.log's
printf 'par' >>"$T/b.log"
absent_for 0.6 "a partial line went out" has_line 'follow: par'
echo between >>"$T/a.log"
wait_line '^\[\+\] follow: between$'
printf 'tial\n' >>"$T/b.log"
wait_line '^\[\+\] follow: partial$'

# cut short in place (copytruncate): read again from the start
: >"$T/b.log"
echo cut >>"$T/b.log" # shorter than what was read: that is how a cut is seen
wait_line '^\[\+\] follow: cut$'

# idle, the follower sleeps until inotify wakes it (it looked 5 times a second before)
FPID=$(host_pid "$(zctl status follow | sed -n 's/^pid: //p')")
w0=$(sleeps_woken "$FPID")
woke() { [ "$(sleeps_woken "$FPID")" -gt $((w0 + 2)) ]; }
absent_for 1.5 "the idle follower woke up more than twice in 1.5 s" woke
echo via-link >>"$T/sub/real.log"
wait_line '^\[\+\] follow: via-link$'
has_inotify "$FPID" || fail "the follower has no inotify instance"
if [ "$POLLING" = 1 ]; then
	echo p1 >"$T/p.log"
	wait_line '^\[\+\] polling: p1$'
	echo p2 >>"$T/p.log"
	wait_line '^\[\+\] polling: p2$'
	PPID_=$(host_pid "$(zctl status polling | sed -n 's/^pid: //p')")
	! has_inotify "$PPID_" || fail "the polling follower has an inotify instance"
else
	echo "t_qsfs_follow: no user namespaces here: the follower without inotify not tested" >&2
fi

# a line longer than 64 KiB goes out in pieces of 64 KiB (the follower keeps no more)
head -c 150000 /dev/zero | tr '\0' x >>"$T/b.log"
echo >>"$T/b.log"
wait_until 10 eval '[ "$(count_lines "^\[\+\] follow: x+\$")" -ge 3 ]' || fail "the long line"
assert_eq "$(sed -n 's/^\[+\] follow: \(x*\)$/\1/p' "$T/out" | awk '{ printf "%d ", length }')" \
	"65536 65536 18928 " "the long line's pieces"

# SIGTERM right after a write: the line is read before the exit (3 times: no luck involved).
# Each restart follows the files from their end: the files must first be older than the
# follower's second of slack on birth times, or a restart reads them from their start.
older() { [ $(($(date +%s) - $(stat -c %W "$1"))) -ge 2 ]; }
wait_until 5 older "$T/a.log" && wait_until 5 older "$T/b.log" || fail "the logs are not getting older"
stopped() { [ "$(count_lines '^zinit: INFO follow stopped: exit status 0')" -ge "$1" ]; }
for i in 1 2 3; do
	echo "last-$i" >>"$T/b.log"
	zctl stop follow >/dev/null
	wait_until 10 stopped "$i" || fail "follow did not stop with exit status 0 ($i)"
	assert_line "^\\[\\+\\] follow: last-$i\$"
	stop_line=$(grep -n 'follow stopped: exit status 0' "$T/out" | sed -n "${i}p" | cut -d: -f1)
	[ "$(line_no "follow: last-$i\$")" -lt "$stop_line" ] || fail "last-$i after stop $i"
	if [ "$i" -lt 3 ]; then
		zctl start follow >/dev/null
		wait_until 10 looked $((i + 1)) || fail "follow not started again"
	fi
done
assert_eq "$(count_lines "zinit follow: $T/dir" "$T/err")" 3 "the directory's error, once per start"
# (c.log gets "early" at every start, and may be young enough to be read again: not counted)
assert_eq "$(count_lines '^\[\+\] follow: [^e]')" 15 \
	"lines shown (a1 b1 a2 a2-late a3 between partial cut via-link, 3 pieces, 3 x last)"
stop_zinit TERM 30
assert_eq "$STATUS" 0 "exit status"

