# SPDX-License-Identifier: MIT
# `zinit follow --ready SOCKET FILE...`, as the image's zstor-log: SOCKET listens once every
# FILE has its start position, so a unit after the follower, gated by `zinit probe unix
# SOCKET`, starts only then, and the first lines of a log it creates are shown. As PID 1 the
# logs are on ramfs, which keeps no birth times: there the follower cannot tell a file created
# before its first look from an old one, and only the gate saves those lines (the mount needs
# the PID 1 mode's mount namespace). A socket file left by an earlier run does not pass the
# probe; the socket goes at the stop; a socket that cannot be made is said, exit status 1;
# wrong command lines name the argument.
. "$(dirname "$0")/lib.sh"

LOGS=$T/logs
mkdir "$LOGS"
if [ "$MODE" = pid1 ]; then
	PRE_EXEC="mount -t ramfs none $LOGS && echo old >$LOGS/old.log"
else
	echo old >"$LOGS/old.log"
	# older than the follower's second of slack on birth times, or it is read from its start
	old_enough() { [ $(($(date +%s) - $(stat -c %W "$LOGS/old.log"))) -ge 2 ]; }
	wait_until 5 old_enough || fail "old.log is not getting older"
fi
# a socket file left by an earlier run: nothing listens on it
"$PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/ready.sock"
[ -S "$T/ready.sock" ] || fail "no stale socket file to start with"
! "$ZINIT" probe unix "$T/ready.sock" 2>/dev/null || fail "a socket nobody listens on passed the probe"

# the follower starts slowly (1 s before it runs): the writer, after it, must wait for it
unit follow <<YAML
exec: sh -c "sleep 1; exec $ZINIT follow --ready $T/ready.sock $LOGS/new.log $LOGS/old.log"
test: $ZINIT probe unix $T/ready.sock
log: stdout
YAML
unit writer <<YAML
exec: sh -c "stat -c %W $LOGS/old.log >$T/btime; echo first >>$LOGS/new.log; echo second >>$LOGS/new.log; echo appended >>$LOGS/old.log; exec sleep 1000"
after: [follow]
log: stdout
YAML
start_zinit
wait_line '^\[\+\] follow: second$'
wait_line '^\[\+\] follow: appended$'
assert_eq "$(sed -n 's/^\[+\] follow: //p' "$T/out" | tr '\n' ' ')" "first second appended " \
	"the follower's lines (new.log from its start, old.log from its end)"
[ "$(line_no '^zinit: INFO writer started')" -gt "$(line_no '^zinit: INFO follow is ready')" ] ||
	fail "the writer started before the follower was ready"
if [ "$MODE" = pid1 ]; then
	assert_eq "$(cat "$T/btime")" 0 "old.log's birth time on ramfs (none)"
fi
[ -S "$T/ready.sock" ] || fail "no ready socket"

# stopped, the follower removes its socket: the probe fails again
zctl stop follow >/dev/null
wait_line '^zinit: INFO follow stopped: exit status 0'
[ ! -e "$T/ready.sock" ] || fail "the ready socket outlived the follower"
stop_zinit TERM 30
assert_eq "$STATUS" 0 "exit status"

# a socket that cannot be made: said on stderr, exit status 1 (zinit starts it again)
out=$(timeout 10 "$ZINIT" follow --ready /proc/1/no/such/dir/x.sock "$T/x.log" 2>&1)
assert_eq "$?" 1 "follow with an unusable socket path: exit status"
assert_eq "$out" "zinit follow: ready socket /proc/1/no/such/dir/x.sock: No such file or directory" \
	"follow with an unusable socket path"

# a wrong command line names the argument (every one of follow's usage errors)
usage() {
	out=$("$ZINIT" follow "$@" 2>&1)
	assert_eq "$?" 2 "follow $*: exit status"
	assert_eq "$out" "$WANT" "follow $*"
}
WANT="zinit: follow needs at least one FILE (see zinit --help)" usage
WANT="zinit: follow: '-n' is not a file name (the one option, --ready SOCKET, comes first) (see zinit --help)" \
	usage -n 0 "$T/a.log"
WANT="zinit: follow: --ready needs a socket path (see zinit --help)" usage --ready
WANT="zinit: follow needs at least one FILE (see zinit --help)" usage --ready "$T/s.sock"
WANT="zinit: follow: '--ready' is not a file name (the one option, --ready SOCKET, comes first) (see zinit --help)" \
	usage "$T/a.log" --ready "$T/s.sock"
