# CLI shapes: `list` (sorted, `---`, YAML quoting of numbers and Error states), `status`
# (after deps incl. `ghost: Unknown`, `after: {}`), `--json` before/after the verb, bare zinit,
# healthcheck, monitor of a unit added after boot; oneshot states (§8 cases 9-11, 15, 17, 38).
. "$(dirname "$0")/lib.sh"

unit a <<YAML
exec: sh -c 'echo \$\$ > $T/a.pid; exec sleep 1000'
YAML
unit 123 <<YAML
exec: sleep 1000
YAML
# a oneshot whose test never passes (ignored for oneshots), finishing once \$T/go exists
unit init <<YAML
exec: sh -c 'while ! test -e $T/go; do sleep 0.05; done'
oneshot: true
test: "false"
YAML
unit app <<YAML
exec: sleep 1000
after: [init]
YAML
# a oneshot failing with status 3 until \$T/fixed exists; counts its runs
unit bad <<YAML
exec: sh -c 'echo \$\$ >> $T/bad.runs; test -e $T/fixed || exit 3'
oneshot: true
YAML
unit app2 <<YAML
exec: sleep 1000
after: [bad]
YAML
unit web <<YAML
exec: sleep 1000
after: [a, ghost]
YAML

# wait_out SECONDS EXPECTED CMD...: polls until CMD's stdout is EXPECTED, fails showing it.

start_zinit
wait_line '^zinit: WARN oneshot bad failed \(exit status 3\): its dependents stay Blocked: app2$'
bad_failed=$(date +%s%N)
wait_pidfile "$T/a.pid"
A=$(cat "$T/a.pid")
B=$(cat "$T/bad.runs")
wait_out 10 "---
\"123\": Running
a: Running
app: Blocked
app2: Blocked
bad: \"Error(Exited(Pid($B), 3))\"
init: Running
web: Blocked" zctl list
# no verb is list
assert_eq "$("$ZINIT" -s "$S")" "$(zctl list)" "bare zinit vs zinit list"

# status shapes: keys in zinit's order; unknown dependency; after: {}
assert_eq "$(zctl status web)" "---
name: web
pid: 0
state: Blocked
target: Up
after:
  a: Running
  ghost: Unknown" "status of a service blocked on an unknown dependency"
assert_eq "$(zctl status a)" "---
name: a
pid: $A
state: Running
target: Up
after: {}" "status of a running service without dependencies"
assert_eq "$(zctl status app)" "---
name: app
pid: 0
state: Blocked
target: Up
after:
  init: Running" "status of a service waiting for a running oneshot"
assert_eq "$(zctl status bad)" "---
name: bad
pid: 0
state: \"Error(Exited(Pid($B), 3))\"
target: Up
after: {}" "status of a failed oneshot"
assert_eq "$(zctl status 123 | sed -n 2p)" 'name: "123"' "a numeric name is quoted"

# --json before and after the verb: the raw result
exp_json="{\"name\":\"a\",\"pid\":$A,\"state\":\"Running\",\"target\":\"Up\",\"after\":{}}"
assert_eq "$(zctl --json status a)" "$exp_json" "--json status a"
assert_eq "$(zctl status a --json)" "$exp_json" "status a --json"
assert_eq "$(zctl status --json a)" "$exp_json" "status --json a"
assert_eq "$(zctl --json list)" "{\"123\":\"Running\",\"a\":\"Running\",\"app\":\"Blocked\",\"app2\":\"Blocked\",\"bad\":\"Error(Exited(Pid($B), 3))\",\"init\":\"Running\",\"web\":\"Blocked\"}" "--json list"
assert_eq "$(zctl status web --json)" '{"name":"web","pid":0,"state":"Blocked","target":"Up","after":{"a":"Running","ghost":"Unknown"}}' "status web --json"

# healthcheck: exit 1, the unhealthy ones on stderr (sorted), nothing on stdout
zctl healthcheck >"$T/hc.out" 2>"$T/hc.err"
assert_eq "$?" 1 "healthcheck while some are not up"
assert_eq "$(cat "$T/hc.out")" "" "healthcheck stdout"
assert_eq "$(cat "$T/hc.err")" "zinit: unhealthy: app (Blocked), app2 (Blocked), bad (Error(Exited(Pid($B), 3))), init (Running), web (Blocked)" "healthcheck stderr"

# the oneshot finishes (its test "false" is ignored): Success, and its dependent starts
touch "$T/go"
wait_out 10 "---
name: app
state: Running
target: Up
after:
  init: Success" eval 'zctl status app | grep -v "^pid: "'
assert_eq "$(zctl status init | sed -n 4p)" "state: Success" "a oneshot with a failing test"

# monitor a unit file written after boot: it starts, and unblocks web
zctl monitor ghost >"$T/m.out" 2>"$T/m.err"
assert_eq "$?" 1 "monitor before the file exists"
assert_line '^zinit: ' "$T/m.err"
printf 'exec: sleep 1000\n' >"$D/ghost.yaml"
zctl monitor ghost >"$T/m.out" 2>"$T/m.err"
assert_eq "$?" 0 "monitor ghost"
assert_eq "$(cat "$T/m.out" "$T/m.err")" "" "monitor output"
wait_out 10 "state: Running" eval 'zctl status web | sed -n 4p'
assert_eq "$(zctl status web | tail -n 2)" "  a: Running
  ghost: Running" "web's dependencies once ghost is monitored"
for n in ghost a; do
	zctl monitor "$n" >"$T/m.out" 2>"$T/m.err"
	assert_eq "$?" 1 "monitor $n again"
	assert_eq "$(cat "$T/m.err")" "zinit: monitoring service: service '$n' already monitored" "monitor $n again: stderr"
done

# the failed oneshot is not re-run (2.5 s window after its failure), app2 stays Blocked
left=$((2500 - ($(date +%s%N) - bad_failed) / 1000000))
[ "$left" -le 0 ] || sleep "$((left / 1000)).$(printf %03d $((left % 1000)))"
assert_eq "$(wc -l <"$T/bad.runs")" 1 "runs of a failed oneshot"
assert_eq "$(zctl status app2 | sed -n 4p)" "state: Blocked" "dependent of a failed oneshot"

# fix the condition and start it again: it succeeds, app2 starts
touch "$T/fixed"
zctl start bad
assert_eq "$?" 0 "start of a failed oneshot"
wait_out 10 "state: Running" eval 'zctl status app2 | sed -n 4p'
assert_eq "$(zctl status bad | sed -n 4p)" "state: Success" "the oneshot after its second run"
assert_eq "$(wc -l <"$T/bad.runs")" 2 "runs of the oneshot after start"

# now healthy: exit 0, silent
zctl healthcheck >"$T/hc.out" 2>"$T/hc.err"
assert_eq "$?" 0 "healthcheck when all are up"
assert_eq "$(cat "$T/hc.out" "$T/hc.err")" "" "healthcheck output when healthy"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
