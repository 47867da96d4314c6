# SPDX-License-Identifier: MIT
# zinit's stdout a pipe nobody reads (issue 11): the services are stopped at once, and zinit
# exits after one bounded wait (INIT_FLUSH_MS, 5 s), not two in a row (it took 10.05 s: all of
# Docker's default grace), saying on stderr what it could not write. A log follower that does
# not read either (its lines are waited for at the exit) shares that one wait, and is
# disconnected at its end: resumed, it prints what it got and fails, its subscription cut, not
# ended. (zinit's WARN saying so goes to the stuck stdout, lost: t_sock_logend checks it.)
. "$(dirname "$0")/lib.sh"

unit chatty <<YAML
exec: sh -c "while :; do echo 0123456789012345678901234567890123456789012345678901234567890123456789; done"
log: stdout
YAML
# quiet keeps its lines in the ring: it writes 1.3 MB as it stops, and must not block on
# zinit's stuck stdout (it did: its pipe was not read either, and its SIGKILL came at 4 s)
cat >"$T/quiet.sh" <<EOF
trap 'head -c 1300000 /dev/zero | tr "\\000" x | fold -w 100; touch $T/quiet.done; exit 0' TERM
touch $T/quiet.up
while :; do sleep 0.05; done
EOF
unit quiet <<YAML
exec: sh $T/quiet.sh
log: ring
shutdown_timeout: 4
YAML
mkfifo "$T/stuck"
sleep 1000 <"$T/stuck" & # holds the read end open, never reads
READER=$!
exec 8>"$T/stuck"
if [ "$MODE" = pid1 ]; then
	unshare --pid --fork --mount-proc "$ZINIT" -s "$S" init -c "$D" --container >&8 2>"$T/err" </dev/null &
	UPID=$!
	wait_until 10 find_child >/dev/null || fail "zinit did not start under unshare"
	ZPID=$(find_child)
else
	"$ZINIT" -s "$S" init -c "$D" --container >&8 2>"$T/err" </dev/null &
	UPID=$!
	ZPID=$UPID
fi
exec 8>&-
wait_file "$T/quiet.up"
wait_until 10 eval '[ "$(zctl status chatty 2>/dev/null | sed -n "s/^state: //p")" = Running ]' ||
	fail "chatty not running"
# every buffer on the way is full once chatty itself blocks in its write
CPID=$(host_pid "$(zctl status chatty | sed -n 's/^pid: //p')")
wait_until 30 grep -q pipe_write "/proc/$CPID/wchan" || fail "chatty never blocked"
"$ZINIT" -s "$S" log >"$T/follower.out" 2>&1 & # the CLI itself, stopped once it follows
FOLLOWER=$!
wait_until 10 test -s "$T/follower.out" || fail "the follower did not print the ring"
kill -STOP "$FOLLOWER"
start=$(date +%s%N)
kill -TERM "$ZPID"
wait_until 30 eval '! zinit_alive' || fail "zinit did not exit"
ms=$((($(date +%s%N) - start) / 1000000))
wait "$UPID"
STATUS=$?
[ -e "$T/quiet.done" ] || fail "quiet, a ring-only service, blocked on zinit's stuck stdout as it stopped"
assert_eq "$STATUS" 0 "exit status (every stop clean)"
kill "$READER" 2>/dev/null
[ "$ms" -lt 9500 ] || fail "zinit took ${ms} ms to exit with a stuck stdout (one 5 s wait expected, not two)"
kill -CONT "$FOLLOWER"
wait_until 10 gone "$FOLLOWER" || fail "the follower did not end once zinit had exited"
wait "$FOLLOWER"
assert_eq "$?" 1 "the disconnected follower's exit status"
assert_eq "$(tail -n 1 "$T/follower.out")" "zinit: the connection to zinit closed while following the log" "the disconnected follower's last line"
assert_line '^zinit: WARN [0-9]+ bytes of output not written to stdout: nobody read it before the exit deadline$' "$T/err"
