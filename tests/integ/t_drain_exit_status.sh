# zinit's exit status tells docker stop's caller whether the drain completed: 0 when every unit
# answered its stop signal cleanly (exit 0, death by that signal, or exit 128 + that signal, as
# zdb's 143), 1 when one did not (wait_hooks' exit 1 when its uploads are not all done), with a
# WARN naming it.
. "$(dirname "$0")/lib.sh"

# svc NAME SIGNAL 'ON-SIGNAL': traps SIGNAL with the given commands.
svc() {
	unit "$1" <<YAML
exec: sh -c "trap '$3' $2; touch $T/$1.up; while :; do sleep 0.05; done"
signal:
  stop: SIG$2
log: stdout
YAML
}
svc zero TERM 'exit 0'
svc code143 TERM 'exit 143'
svc usr1 USR1 'exit 138'
unit dies <<YAML
exec: sh -c "touch $T/dies.up; exec sleep 1000"
YAML
start_zinit
for n in zero code143 usr1 dies; do wait_file "$T/$n.up"; done
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status when every stop was clean"
assert_no_line 'did not stop cleanly'
# an exit status of 128 + N is named as signal N's answer (zdb's 143 reads as a clean stop)
assert_line '^zinit: INFO code143 stopped: exit status 143 \(128 \+ SIGTERM\), [0-9.]+s after SIGTERM$'
assert_line '^zinit: INFO usr1 stopped: exit status 138 \(128 \+ SIGUSR1\), [0-9.]+s after SIGUSR1$'

new_instance
svc zero TERM 'exit 0'
svc drainfail TERM 'exit 1'
start_zinit
for n in zero drainfail; do wait_file "$T/$n.up"; done
stop_zinit TERM
assert_eq "$STATUS" 1 "exit status when a unit's stop failed"
assert_line '^zinit: WARN drainfail did not stop cleanly \(exit status 1\): zinit will exit with status 1$'
assert_eq "$(count_lines 'did not stop cleanly')" 1 "WARN lines"

# A unit that died and waits for its restart when the shutdown begins never runs its stop
# (wait_hooks' upload): that is not a complete drain either.
new_instance
svc zero TERM 'exit 0'
unit crashed <<YAML
exec: sh -c "echo \$\$ >>$T/crashed.pids; exec sleep 1000"
YAML
start_zinit
wait_file "$T/zero.up"
wait_pidfile "$T/crashed.pids"
kill -KILL "$(host_pid "$(head -n 1 "$T/crashed.pids")")"
wait_line '^zinit: INFO crashed exited: killed by SIGKILL; restarting in'
stop_zinit TERM
assert_eq "$STATUS" 1 "exit status when a unit was down for a restart"
assert_line '^zinit: WARN crashed was down, waiting to be restarted after it died, when the shutdown began: its stop never ran; zinit will exit with status 1$'

# ... nor is a unit that dies during the drain before its turn to stop (an OOM kill of
# wait_hooks while zdbfs drains): here db dies while app, which depends on it, is stopping.
# db had died once before and is back, its test failing: from the drain on, no test runs.
new_instance
# pidunit NAME [UNIT LINE]: a service that writes its pid to $T/NAME.pid, then sleeps.
pidunit() {
	unit "$1" <<YAML
exec: sh -c "echo \$\$ >$T/$1.pid.tmp && mv $T/$1.pid.tmp $T/$1.pid; exec sleep 1000"
${2:-}
YAML
}
pidunit db "test: sh -c \"echo >>$T/db.tests; [ -e $T/db.ready ]\""
unit app <<YAML
exec: sh -c "trap 'touch $T/app.term; while [ ! -e $T/go ]; do sleep 0.05; done; exit 0' TERM; touch $T/app.up; while :; do sleep 0.05; done"
after: [db]
YAML
touch "$T/db.ready"
start_zinit
wait_file "$T/app.up"
dbpid=$(host_pid "$(cat "$T/db.pid")")
rm "$T/db.ready" "$T/db.pid"
kill -KILL "$dbpid"
wait_pidfile "$T/db.pid" # back, Spawned
n=$(lines_of "$T/db.tests")
wait_until 20 at_least "$T/db.tests" $((n + 2)) || fail "db's test is not retried"
kill -TERM "$ZPID"
wait_file "$T/app.term" # the drain holds db until app is down
n=$(lines_of "$T/db.tests")
absent_for 2.5 "db's test ran during the drain" at_least "$T/db.tests" $((n + 2))
kill -KILL "$(host_pid "$(cat "$T/db.pid")")"
wait_line '^zinit: INFO db exited: killed by SIGKILL$'
touch "$T/go"
wait_exit
assert_eq "$STATUS" 1 "exit status when a unit died during the drain before its stop"
assert_line '^zinit: WARN db died during the shutdown, before its turn to stop: its stop never ran; zinit will exit with status 1$'
assert_no_line '^zinit: INFO stopping db'

# ... nor is one whose restart waits for its dependency when the shutdown begins: app died,
# its backoff is over, and db, restarted too, has not passed its test again.
new_instance
pidunit db "test: sh -c \"[ -e $T/db.ready ]\""
pidunit app "after: [db]"
touch "$T/db.ready"
start_zinit
wait_line '^zinit: INFO db is ready'
wait_pidfile "$T/app.pid"
rm "$T/db.ready"
kill -KILL "$(host_pid "$(cat "$T/db.pid")")" "$(host_pid "$(cat "$T/app.pid")")"
wait_until 30 eval '[ "$(zctl status app 2>/dev/null | sed -n "s/^state: //p")" = Blocked ]' ||
	fail "app not Blocked after its restart delay: $(zctl status app 2>&1)"
stop_zinit TERM
assert_eq "$STATUS" 1 "exit status when a unit waited for its dependency to restart"
assert_line '^zinit: WARN app was down, waiting to be restarted after it died, when the shutdown began: its stop never ran; zinit will exit with status 1$'

# A stop asked for before the shutdown (`zinit stop`) does not count, even when it ends during
# the drain: here a unit that ignores SIGTERM is killed at its timeout while zinit drains.
new_instance
svc zero TERM 'exit 0'
unit deaf <<YAML
exec: sh -c "trap '' TERM; touch $T/deaf.up; while :; do sleep 0.05; done"
shutdown_timeout: 3
YAML
start_zinit
for n in zero deaf; do wait_file "$T/$n.up"; done
zctl stop deaf &
STOPPER=$!
wait_line '^zinit: INFO stopping deaf: SIGTERM'
stop_zinit TERM 30
wait "$STOPPER"
assert_line '^zinit: WARN deaf still running 3s after SIGTERM: sending SIGKILL'
assert_line '^zinit: INFO shutting down \(SIGTERM\)'
[ "$(line_no '^zinit: INFO shutting down')" -lt "$(line_no '^zinit: WARN deaf still running')" ] ||
	fail "deaf was killed before the drain began: the scenario tests nothing"
assert_eq "$STATUS" 0 "exit status when a stop from before the drain ended in SIGKILL"
