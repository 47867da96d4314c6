# CLI stop/start/restart: stop returns only once the process has exited (deviation from
# zinit v0.2.10, which returns at once), or after SIGKILL at its shutdown_timeout (zinit never
# escalates); the whole process group is stopped; custom stop signal; restart gives a new pid;
# a start while a stop is in progress brings the service back; a SIGKILL by a manual stop does
# not make the later, clean drain exit 1 (§8 cases 21-24). Runs ~5.5 s: the services
# deliberately take 1 s and 2 s to stop, and slow is stopped four times.
. "$(dirname "$0")/lib.sh"

ms() { echo $(($(date +%s%N) / 1000000)); }
state_of() { zctl status "$1" | sed -n 's/^state: //p'; }

# takes 1 s to exit after SIGTERM
unit slow <<YAML
exec: sh -c "trap 'sleep 1; while [ -e $T/slow.hold ]; do sleep 0.05; done; exit 0' TERM; echo \$\$ >> $T/slow.pids; while :; do sleep 0.05; done"
YAML
# ignores SIGTERM: killed after its shutdown_timeout
unit stubborn <<YAML
exec: sh -c "trap '' TERM; echo \$\$ > $T/stubborn.pid; while :; do sleep 0.05; done"
shutdown_timeout: 2
YAML
# two children in the service's process group
N1=$((7000000 + $$ % 100000 * 10 + 1))
N2=$((N1 + 1))
unit grp <<YAML
exec: sh -c 'sleep $N1 & sleep $N2 & wait'
YAML
# stops on SIGUSR1 only
unit usr <<YAML
exec: sh -c "trap 'echo \$\$ > $T/usr.got; exit 0' USR1; trap 'touch $T/usr.term' TERM; echo \$\$ >> $T/usr.pids; while :; do sleep 0.05; done"
signal:
  stop: SIGUSR1
YAML
unit re <<YAML
exec: sh -c 'echo \$\$ >> $T/re.pids; exec sleep 1000'
YAML

# the host pids of our sleeps N1/N2, among zinit's descendants
sleeps() {
	local p
	for p in $(descendants "$UPID"); do
		case $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline") in
		"sleep $N1 " | "sleep $N2 ") echo "$p" ;;
		esac
	done
}
nsleeps() { sleeps | wc -l; }
two_sleeps() { [ "$(nsleeps)" -eq 2 ]; }
no_sleeps() { [ "$(nsleeps)" -eq 0 ]; }

start_zinit
for f in slow.pids stubborn.pid usr.pids re.pids; do wait_pidfile "$T/$f"; done
wait_until 10 two_sleeps || fail "grp's two sleeps are not running: $(sleeps)"
wait_until 10 eval '[ "$(state_of grp)" = Running ]' || fail "grp not Running"

# stop of a service ignoring SIGTERM (in the background): SIGKILL after 2 s, then it returns
(
	t0=$(ms)
	zctl stop stubborn >"$T/stub.out" 2>&1
	echo "$? $(($(ms) - t0))" >"$T/stub.res"
	state_of stubborn >"$T/stub.state"
) &
bg=$!

# stop of a service taking 1 s to exit: returns after it exited, not Running any more
t0=$(ms)
zctl stop slow >"$T/slow.out" 2>&1
rc=$?
dt=$(($(ms) - t0))
st=$(zctl status slow)
assert_eq "$rc" 0 "stop slow exit status"
assert_eq "$(cat "$T/slow.out")" "" "stop slow output"
[ "$dt" -ge 800 ] || fail "stop slow returned after ${dt} ms, before the service exited"
assert_eq "$st" "---
name: slow
pid: 0
state: Success
target: Down
after: {}" "status right after stop returned"
assert_line '^zinit: INFO stopping slow: SIGTERM to process group [0-9]+ \(timeout 10s\)$'
assert_line '^zinit: INFO slow stopped: exit status 0, [0-9]+\.[0-9]+s after SIGTERM$'

# process group: both sleeps die with their leader
gp=$(zctl status grp | sed -n 's/^pid: //p')
zctl stop grp
assert_eq "$?" 0 "stop grp"
wait_until 10 no_sleeps || fail "sleeps of grp survived its stop: $(sleeps)"
assert_eq "$(zctl status grp | sed -n '3,5p')" "pid: 0
state: \"Error(Signaled(Pid($gp), SIGTERM, false))\"
target: Down" "grp after stop"

# custom stop signal: SIGUSR1, not SIGTERM
zctl stop usr
assert_eq "$?" 0 "stop usr"
assert_eq "$(cat "$T/usr.got" 2>/dev/null)" "$(head -n 1 "$T/usr.pids")" "usr got SIGUSR1 before stop returned"
[ ! -e "$T/usr.term" ] || fail "usr got SIGTERM"
assert_eq "$(state_of usr)" "Success" "usr after stop"
assert_line '^zinit: INFO stopping usr: SIGUSR1 to process group'

# the stubborn one: SIGKILLed ~2 s after SIGTERM; stop returned only then
wait "$bg"
read -r rc dt <"$T/stub.res"
assert_eq "$rc" 0 "stop stubborn exit status"
assert_eq "$(cat "$T/stub.out")" "" "stop stubborn output"
[ "$dt" -ge 1800 ] || fail "stop stubborn returned after ${dt} ms, before the SIGKILL"
[ "$dt" -le $((9000 * SCALE)) ] || fail "stop stubborn took ${dt} ms"
assert_eq "$(cat "$T/stub.state")" "\"Error(Signaled(Pid($(cat "$T/stubborn.pid")), SIGKILL, false))\"" "stubborn after stop"
assert_line '^zinit: WARN stubborn still running 2s after SIGTERM: sending SIGKILL to process group [0-9]+$'
assert_eq "$(zctl status stubborn | sed -n 5p)" "target: Down" "stubborn target"

# stop of a service that is already down: at once, ok
t0=$(ms)
zctl stop stubborn
assert_eq "$?" 0 "stop of a stopped service"
[ $(($(ms) - t0)) -lt $((2000 * SCALE)) ] || fail "stop of a stopped service took long"

# restart of a running service: a new pid, Up, Running
old=$(zctl status re | sed -n 's/^pid: //p')
zctl restart re
assert_eq "$?" 0 "restart re"
wait_until 10 eval '[ "$(wc -l <"$T/re.pids")" -eq 2 ]' || fail "re was not started again"
new=$(tail -n 1 "$T/re.pids")
[ "$new" != "$old" ] || fail "restart kept pid $old"
assert_eq "$old" "$(head -n 1 "$T/re.pids")" "pid of re before restart"
wait_until 10 eval '[ "$(state_of re)" = Running ]' || fail "re not Running after restart"
assert_eq "$(zctl status re | sed -n '3p;5p')" "pid: $new
target: Up" "re after restart"

# restart of a stopped service starts it; restart of a running slow one waits for its exit
zctl restart slow
assert_eq "$?" 0 "restart of stopped slow"
wait_until 10 eval '[ "$(wc -l <"$T/slow.pids")" -eq 2 ]' || fail "slow was not started by restart"
assert_eq "$(zctl status slow | sed -n '3,5p')" "pid: $(tail -n 1 "$T/slow.pids")
state: Running
target: Up" "slow after restart of a stopped service"
stops=$(count_lines '^zinit: INFO slow stopped: exit status 0, [0-9]+\.[0-9]+s after SIGTERM$')
t0=$(ms)
zctl restart slow
assert_eq "$?" 0 "restart of running slow"
dt=$(($(ms) - t0))
[ "$dt" -ge 800 ] || fail "restart returned after ${dt} ms, before the old process exited"
wait_until 10 eval '[ "$(wc -l <"$T/slow.pids")" -eq 3 ]' || fail "slow was not started again"
assert_eq "$(count_lines '^zinit: INFO slow stopped: exit status 0, [0-9]+\.[0-9]+s after SIGTERM$')" \
	$((stops + 1)) "clean stops of slow after its restart"

# start of a stopped service: Up again with a new process
zctl start usr
assert_eq "$?" 0 "start usr"
wait_until 10 eval '[ "$(wc -l <"$T/usr.pids")" -eq 2 ]' || fail "usr was not started again"
assert_eq "$(zctl status usr | sed -n '3,5p')" "pid: $(tail -n 1 "$T/usr.pids")
state: Running
target: Up" "usr after start"
# start of a running service: a no-op
zctl start usr
assert_eq "$?" 0 "start of a running service"
absent_for 1 "start of a running service spawned another" eval '[ "$(wc -l <"$T/usr.pids")" -gt 2 ]'

# start while a stop is in progress: the target is Up again, so once the old process has
# exited the service must run again (zinit v0.2.10: its loop sees target Up and respawns).
# slow's stop lasts until the test removes slow.hold: a loaded machine must not end it first
wait_until 10 eval '[ "$(state_of slow)" = Running ]' || fail "slow not Running"
touch "$T/slow.hold"
zctl stop slow &
sp=$!
wait_until 10 eval '[ "$(zctl status slow | sed -n 5p)" = "target: Down" ]' || fail "stop slow not seen"
assert_eq "$(state_of slow)" "Running" "slow while its stop is in progress"
zctl start slow
assert_eq "$?" 0 "start during a stop"
rm "$T/slow.hold"
wait "$sp"
assert_eq "$(zctl status slow | sed -n 5p)" "target: Up" "slow's target after start during a stop"
# (failures from here on are collected, so that the exit-status check below still runs)
failed=
wait_until 10 eval '[ "$(wc -l <"$T/slow.pids")" -eq 4 ]' ||
	failed="start during a stop: slow never ran again ($(zctl status slow | sed -n 4p), target Up)"
[ -n "$failed" ] || wait_until 10 eval '[ "$(state_of slow)" = Running ]' ||
	failed="slow not Running after start during a stop"

# the drain itself stops everything in time: exit 0, although a manual stop (long before
# the shutdown) had to SIGKILL stubborn
stop_zinit TERM
[ "$STATUS" = 0 ] || failed="${failed:+$failed; }exit status of a drain that killed nothing: expected 0, got $STATUS"
[ -z "$failed" ] || fail "$failed"
