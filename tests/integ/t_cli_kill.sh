# CLI kill and forget: signal names (case-insensitive full names; `USR1` rejected), default
# SIGTERM, the target stays Up so the service restarts, a killed dependency restarts while its
# dependent keeps its pid, kill of a stopped service, forget rules (§8 cases 19, 20, 27, 28).
# Runs ~3.5 s: the restart delay after a kill is 2 s.
. "$(dirname "$0")/lib.sh"

state_of() { zctl status "$1" | sed -n 's/^state: //p'; }
pid_of() { zctl status "$1" | sed -n 's/^pid: //p'; }

unit k <<YAML
exec: sh -c "trap 'echo usr1 >> $T/k.usr1' USR1; echo \$\$ >> $T/k.pids; while :; do sleep 0.05; done"
YAML
unit db <<YAML
exec: sh -c 'echo \$\$ >> $T/db.pids; exec sleep 1000'
YAML
unit api <<YAML
exec: sh -c 'echo \$\$ >> $T/api.pids; exec sleep 1000'
after: [db]
YAML
unit f <<YAML
exec: sleep 1000
YAML
unit o <<YAML
exec: "true"
oneshot: true
YAML

start_zinit
for f in k.pids db.pids api.pids; do wait_pidfile "$T/$f"; done
wait_line '^zinit: INFO f started'
wait_line '^zinit: INFO oneshot o succeeded$'
K1=$(cat "$T/k.pids")
D1=$(cat "$T/db.pids")
A1=$(cat "$T/api.pids")
wait_until 10 eval '[ "$(state_of k)" = Running ]' || fail "k not Running"

# lowercase full name: delivered, the service keeps running
zctl kill k sigusr1 >"$T/out1" 2>&1
assert_eq "$?" 0 "kill k sigusr1"
assert_eq "$(cat "$T/out1")" "" "kill output"
wait_file "$T/k.usr1"
assert_eq "$(pid_of k)" "$K1" "k's pid after SIGUSR1"
assert_eq "$(state_of k)" "Running" "k after SIGUSR1"

# a name without the SIG prefix, or unknown: rejected, exit 1, one line; nothing delivered
for sig in USR1 SIGFOO 10; do
	zctl kill k "$sig" >"$T/out1" 2>"$T/err1"
	assert_eq "$?" 1 "kill k $sig"
	assert_eq "$(cat "$T/out1")" "" "kill k $sig: stdout"
	assert_eq "$(wc -l <"$T/err1")" 1 "kill k $sig: stderr lines"
	assert_line '^zinit: ' "$T/err1"
done
assert_eq "$(lines_of "$T/k.usr1")" 1 "SIGUSR1 deliveries"
# the signal is checked before the name, as zinit does: a bad signal to an unknown service is
# an invalid signal (-32004), not an unknown service
zctl kill ghost SIGFOO 2>"$T/err1"
assert_eq "$?" 1 "kill ghost SIGFOO"
assert_eq "$(cat "$T/err1")" "zinit: parsing signal: invalid signal 'SIGFOO'" "kill ghost SIGFOO: stderr"
assert_no_line 'not found' "$T/err1"
# what zinit's error quotes reaches the terminal with its control bytes escaped, as in its log
zctl kill a "$(printf 'SIG\033[31mRED')" 2>"$T/err1"
assert_eq "$(cat "$T/err1")" "zinit: parsing signal: invalid signal 'SIG\x1b[31mRED'" "an escape sequence in an error"

# default SIGTERM; a dependency killed with SIGKILL
t0=$(date +%s%N)
zctl kill k
assert_eq "$?" 0 "kill k"
zctl kill db SIGKILL
assert_eq "$?" 0 "kill db SIGKILL"
wait_line '^zinit: INFO k exited: killed by SIGTERM; restarting in 2\.0s$'
wait_line '^zinit: INFO db exited: killed by SIGKILL; restarting in 2\.0s$'
# during the restart delay: the exit status as state, target still Up, no process
st=$(zctl status k)
if [[ $st == *'state: "Error('* ]]; then # not yet restarted
	assert_eq "$(echo "$st" | sed -n '3,5p')" "pid: 0
state: \"Error(Signaled(Pid($K1), SIGTERM, false))\"
target: Up" "k during its restart delay"
fi
st=$(zctl status db)
if [[ $st == *'state: "Error('* ]]; then
	assert_eq "$(echo "$st" | sed -n '3,5p')" "pid: 0
state: \"Error(Signaled(Pid($D1), SIGKILL, false))\"
target: Up" "db during its restart delay"
fi
# both restart (2 s later), with new pids; api was left alone
wait_until 10 eval '[ "$(lines_of "$T/k.pids")" -eq 2 ]' || fail "k was not restarted"
dt=$((($(date +%s%N) - t0) / 1000000))
[ "$dt" -ge 1500 ] || fail "k restarted ${dt} ms after the kill, expected about 2 s"
wait_until 10 eval '[ "$(lines_of "$T/db.pids")" -eq 2 ]' || fail "db was not restarted"
wait_until 10 eval '[ "$(state_of db)" = Running ]' || fail "db not Running after its restart"
assert_eq "$(pid_of db)" "$(tail -n 1 "$T/db.pids")" "db's new pid"
[ "$(tail -n 1 "$T/db.pids")" != "$D1" ] || fail "db kept its pid"
assert_eq "$(pid_of k)" "$(tail -n 1 "$T/k.pids")" "k's new pid"
assert_eq "$(state_of k)" "Running" "k after its restart"
assert_eq "$(lines_of "$T/api.pids")" 1 "api was restarted when its dependency died"
assert_eq "$(pid_of api)" "$A1" "api's pid"
assert_eq "$(state_of api)" "Running" "api"

# forget: refused while the target is Up (running, or a finished oneshot), ok once stopped
for n in f o; do
	zctl forget "$n" >"$T/out1" 2>"$T/err1"
	assert_eq "$?" 1 "forget $n while Up"
	assert_eq "$(cat "$T/err1")" "zinit: forgetting service: service '$n' is up" "forget $n while Up: stderr"
	assert_eq "$(cat "$T/out1")" "" "forget $n while Up: stdout"
done
zctl stop f
assert_eq "$?" 0 "stop f"
zctl stop o
assert_eq "$?" 0 "stop o (no process)"
# kill of a stopped service: is down
zctl kill f SIGTERM >"$T/out1" 2>"$T/err1"
assert_eq "$?" 1 "kill of a stopped service"
assert_eq "$(cat "$T/err1")" "zinit: sending signal: service 'f' is down" "kill of a stopped service: stderr"
for n in f o; do
	zctl forget "$n"
	assert_eq "$?" 0 "forget $n once stopped"
	zctl status "$n" >/dev/null 2>"$T/err1"
	assert_eq "$?" 1 "status of forgotten $n"
	assert_eq "$(cat "$T/err1")" "zinit: getting status: service '$n' not found" "status of forgotten $n: stderr"
done
assert_line '^zinit: INFO f forgotten$'
assert_eq "$(zctl list)" "---
api: Running
db: Running
k: Running" "list after forget"
# a forgotten name can be monitored again from its file
zctl monitor f
assert_eq "$?" 0 "monitor f after forget"
wait_until 10 eval '[ "$(state_of f)" = Running ]' || fail "f not Running after monitor"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
