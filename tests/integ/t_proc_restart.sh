# Restarts: 2 s delay then backoff (deviation from zinit: fixed 2 s there), oneshots never restarted, a failed oneshot blocks its dependents, an externally killed service restarts. Takes ~7 s: the fourth restart delay is only logged ~6 s in.
. "$(dirname "$0")/lib.sh"

count_at_least() { [ "$(count_lines "$1")" -ge "$2" ]; }

unit flap <<YAML
exec: sh -c 'echo hi; exit 1'
log: stdout
YAML
unit os0 <<YAML
exec: sh -c 'echo run >> $T/os0.runs; exit 0'
oneshot: true
YAML
unit os1 <<YAML
exec: sh -c 'echo run >> $T/os1.runs; exit 1'
oneshot: true
YAML
unit init <<YAML
exec: sh -c 'exit 3'
oneshot: true
YAML
unit app <<YAML
exec: sleep 1000
after: [init]
YAML
unit victim <<YAML
exec: sh -c 'echo \$\$ >> $T/victim.pids; exec sleep 1000'
YAML

start_zinit
wait_line '^zinit: INFO flap started'

# a failed oneshot: its dependents stay Blocked, and the log says so
wait_line '^zinit: WARN oneshot init failed \(exit status 3\): its dependents stay Blocked: app$'
wait_line '^zinit: INFO oneshot os0 succeeded$'
wait_line '^zinit: WARN oneshot os1 failed \(exit status 1\)$'

# killed from outside: restarted after 2 s
wait_until 10 at_least "$T/victim.pids" 1 || fail "victim did not start"
v1=$(host_pid "$(sed -n 1p "$T/victim.pids")")
[ -n "$v1" ] || fail "victim's process not found"
kill -KILL "$v1"
wait_line '^zinit: INFO victim exited: killed by SIGKILL; restarting in 2\.0s$'
wait_until 10 at_least "$T/victim.pids" 2 || fail "victim was not restarted"
# zinit says "started" once the exec is done, and the new victim may write its pid first
wait_until 10 eval '[ "$(count_lines "^zinit: INFO victim started")" -ge 2 ]' || fail "no second start line"
assert_eq "$(count_lines '^zinit: INFO victim started')" 2 "victim starts"
[ "$(sed -n 2p "$T/victim.pids")" != "$(sed -n 1p "$T/victim.pids")" ] || fail "same victim pid"

# a service that keeps failing: restarted after 2 s three times, then after 4 s
wait_until 9 count_at_least '^zinit: INFO flap started' 4 || fail "fewer than 4 starts of flap"
wait_line '^zinit: INFO flap exited: exit status 1; restarting in 4\.0s$'
assert_eq "$(grep -E '^zinit: INFO flap exited' "$T/out" | head -n 4 | sed 's/.*restarting in //' | tr '\n' ' ')" \
	"2.0s 2.0s 2.0s 4.0s " "flap restart delays"
[ "$(count_lines '^\[\+\] flap: hi$')" -ge 4 ] || fail "flap's output missing"

# ~6 s in: the oneshots ran once, app never started
assert_eq "$(count_lines '^zinit: INFO os0 started')" 1 "os0 starts"
assert_eq "$(count_lines '^zinit: INFO os1 started')" 1 "os1 starts"
assert_eq "$(count_lines '^zinit: INFO init started')" 1 "init starts"
assert_eq "$(lines_of "$T/os0.runs")" 1 "os0 runs"
assert_eq "$(lines_of "$T/os1.runs")" 1 "os1 runs"
assert_no_line '^zinit: INFO app started'

stop_zinit TERM
# flap was down for a restart when the drain began: its stop never ran (docs/BEHAVIOUR.md)
assert_eq "$STATUS" 1 "exit status"
assert_line '^zinit: WARN flap was down, waiting to be restarted after it died, when the shutdown began'
