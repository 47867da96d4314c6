# States seen through the CLI: Spawned while the test fails and its dependent Blocked; the
# test never runs again once passed; Error(Exited(..)) between restarts with a new pid; cycle
# members Blocked; every dependency in status; stop while Blocked (stays Blocked, target Down, never starts); stop while
# Spawned (Error(Signaled(.., SIGTERM, false)), not respawned) (§8 cases 12, 16, 18, 20, 21).
# Runs ~4 s: one 2 s restart delay and a 2.5 s window proving nothing (re)starts.
. "$(dirname "$0")/lib.sh"

state_of() { zctl status "$1" | sed -n 's/^state: //p'; }

unit gate <<YAML
exec: sh -c 'echo \$\$ > $T/gate.pid; exec sleep 1000'
test: sh -c 'echo x >> $T/gate.tests; test -e $T/ready'
YAML
unit gapi <<YAML
exec: sleep 1000
after: [gate]
YAML
unit flap <<YAML
exec: sh -c 'echo \$\$ >> $T/flap.pids; exit 1'
YAML
unit c1 <<YAML
exec: touch $T/c1.ran
after: [c2]
YAML
unit c2 <<YAML
exec: touch $T/c2.ran
after: [c1]
YAML
unit cdep <<YAML
exec: touch $T/cdep.ran
after: [c1]
YAML
unit blk <<YAML
exec: touch $T/blk.ran
after: [ghost]
YAML
# many dependencies, none of them a unit: status shows every one
deps=$(seq -s ', ' -f 'd%g' 1 70)
unit many <<YAML
exec: touch $T/many.ran
after: [$deps]
YAML
unit sp <<YAML
exec: sh -c 'echo \$\$ >> $T/sp.pids; exec sleep 1000'
test: "false"
YAML

start_zinit
wait_line '^zinit: ERROR dependency cycle: c1 -> c2 -> c1; its members will not start$'
for f in gate.pid flap.pids sp.pids gate.tests; do wait_pidfile "$T/$f"; done
G=$(cat "$T/gate.pid")
wait_out 10 "---
blk: Blocked
c1: Blocked
c2: Blocked
cdep: Blocked
gapi: Blocked
gate: Spawned
many: Blocked
sp: Spawned" eval 'zctl list | grep -v "^flap: "'
assert_eq "$(zctl status gate | sed -n '3,6p')" "pid: $G
state: Spawned
target: Up
after: {}" "gate while its test fails"
assert_eq "$(zctl status gapi | sed -n '4p;6,$p')" "state: Blocked
after:
  gate: Spawned" "gapi while gate is Spawned"
assert_eq "$(zctl status c1 | sed -n '4p;6,$p')" "state: Blocked
after:
  c2: Blocked" "a cycle member"

# flap exits 1: in its restart delay (where it spends nearly all its time) the state is
# Error(Exited(Pid(N), 1)) with the pid of its last run, and it has no process
flap_waits() {
	[ "$(zctl status flap | sed -n '3,5p')" = "pid: 0
state: \"Error(Exited(Pid($(tail -n 1 "$T/flap.pids")), 1))\"
target: Up" ]
}
wait_until 10 flap_waits || fail "flap never seen in its restart delay: $(zctl status flap)"

# stop while Blocked: ok at once, stays Blocked, target Down
zctl stop blk
assert_eq "$?" 0 "stop blk (Blocked)"
assert_eq "$(zctl status blk | sed -n '3,5p')" "pid: 0
state: Blocked
target: Down" "blk after stop"

# stop while Spawned: the process gets SIGTERM; not respawned
zctl stop sp
assert_eq "$?" 0 "stop sp (Spawned)"
P=$(cat "$T/sp.pids")
assert_eq "$(zctl status sp | sed -n '3,5p')" "pid: 0
state: \"Error(Signaled(Pid($P), SIGTERM, false))\"
target: Down" "sp after stop"

# the gate opens: gate Running, then gapi Running
touch "$T/ready"
wait_out 10 "Running" state_of gapi
assert_eq "$(state_of gate)" "Running" "gate once its test passed"
assert_eq "$(zctl status gapi | tail -n 1)" "  gate: Running" "gapi's dependency"
tests_at_pass=$(lines_of "$T/gate.tests")

# ghost appears: blk was stopped, so it does not start
printf 'exec: sleep 1000\n' >"$D/ghost.yaml"
zctl monitor ghost
assert_eq "$?" 0 "monitor ghost"
wait_out 10 "Running" state_of ghost

# a window in which nothing may (re)start: sp stopped, blk stopped, gate's test passed
restarted() {
	[ "$(lines_of "$T/sp.pids")" -gt 1 ] || [ -e "$T/blk.ran" ] ||
		[ "$(lines_of "$T/gate.tests")" != "$tests_at_pass" ] || ls "$T"/{c1,c2,cdep}.ran 2>/dev/null | grep -q .
}
absent_for 2.5 "a stopped, blocked or passed service ran again" restarted
assert_eq "$(lines_of "$T/sp.pids")" 1 "sp runs after stop"
assert_eq "$(state_of sp)" "\"Error(Signaled(Pid($P), SIGTERM, false))\"" "sp later"
[ ! -e "$T/blk.ran" ] || fail "blk started although stopped"
assert_eq "$(zctl status blk | sed -n '3,5p')" "pid: 0
state: Blocked
target: Down" "blk once ghost runs"
assert_eq "$(lines_of "$T/gate.tests")" "$tests_at_pass" "test runs after it passed"
for f in c1 c2 cdep; do [ ! -e "$T/$f.ran" ] || fail "$f ran"; done
# flap was restarted with a new pid
wait_until 10 eval '[ "$(lines_of "$T/flap.pids")" -ge 2 ]' || fail "flap was not restarted"
[ "$(sed -n 1p "$T/flap.pids")" != "$(sed -n 2p "$T/flap.pids")" ] || fail "flap kept its pid"

# a stopped Blocked service can be forgotten; it leaves the list
zctl forget blk
assert_eq "$?" 0 "forget blk"
zctl list | grep -q '^blk:' && fail "blk still listed after forget"

# start sp again: Spawned with a new process
zctl start sp
assert_eq "$?" 0 "start sp"
wait_until 10 eval '[ "$(lines_of "$T/sp.pids")" -eq 2 ]' || fail "sp not started again"
assert_eq "$(zctl status sp | sed -n '3,5p')" "pid: $(tail -n 1 "$T/sp.pids")
state: Spawned
target: Up" "sp after start"

# status lists all 70 dependencies, in order, each Unknown
assert_eq "$(zctl status many | sed -n '6,$p')" "after:
$(seq -f '  d%g: Unknown' 1 70)" "status of a unit with 70 dependencies"
[ "$(zctl --json status many | grep -o '"d[0-9]*":"Unknown"' | wc -l)" -eq 70 ] ||
	fail "status --json of a unit with 70 dependencies: $(zctl --json status many)"

# flap dies at once after every start: a shutdown that begins in the 2 s after one of its
# exits finds it waiting for a restart, whose stop never runs (docs/BEHAVIOUR.md, exit status)
# (its delay grows to 16 s and then 30 s as it keeps dying: wait for one of those)
wait_next_line '^zinit: INFO flap exited: exit status 1; restarting in' 35
stop_zinit TERM
assert_eq "$STATUS" 1 "exit status with flap down for a restart"
assert_line '^zinit: WARN flap was down, waiting to be restarted after it died, when the shutdown began'
