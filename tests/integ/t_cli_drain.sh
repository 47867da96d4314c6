# CLI shutdown/reboot: exit 0 and zinit drains and exits 0; during a slow drain `list` and
# `status` keep answering and show its progress, while start/restart/monitor/shutdown fail with
# `ACTION: system is shutting down` (zinit 0.2.28's message), exit 1 (§8 case 33; ours does not
# start anything during the drain).
. "$(dirname "$0")/lib.sh"

state_of() { zctl status "$1" | sed -n 's/^state: //p'; }
# each service, on SIGTERM, records it and exits only once the test releases it (its
# shutdown_timeout outlasts the CLI calls made meanwhile, slow under ASan on a loaded machine)
svc() { # name after
	unit "$1" <<YAML
exec: sh -c "trap 'touch $T/$1.term; while ! test -e $T/$1.go; do sleep 0.05; done; exit 0' TERM; touch $T/$1.up; while :; do sleep 0.05; done"
after: [$2]
shutdown_timeout: 300
YAML
}
svc db ""
svc app db
unit off <<YAML
exec: sleep 1000
YAML

start_zinit
wait_file "$T/app.up"
wait_until 10 eval '[ "$(state_of app)" = Running ]' || fail "app not Running"
wait_until 10 eval '[ "$(state_of off)" = Running ]' || fail "off not Running"
OFF=$(zctl status off | sed -n 's/^pid: //p')
zctl stop off
assert_eq "$?" 0 "stop off"
# `off` is a YAML keyword: quoted as a key, as serde_yaml does
OFFST="\"off\": \"Error(Signaled(Pid($OFF), SIGTERM, false))\""
printf 'exec: touch %s/late.ran\n' "$T" >"$D/late.yaml"

zctl shutdown >"$T/sd.out" 2>&1
assert_eq "$?" 0 "zinit shutdown"
assert_eq "$(cat "$T/sd.out")" "" "zinit shutdown output"
wait_file "$T/app.term"

# phase 1: app is stopping (still Running, target Down), db waits for it (Running, Up)
assert_eq "$(zctl status app | sed -n '4,5p')" "state: Running
target: Down" "app while it drains"
assert_eq "$(zctl status db | sed -n '4,5p')" "state: Running
target: Up" "db while app drains"
[ ! -e "$T/db.term" ] || fail "db got SIGTERM while app was still running"
assert_eq "$(zctl list)" "---
app: Running
db: Running
$OFFST" "list while app drains"

# nothing may start now
for cmd in "start off:starting service" "restart off:restarting service" \
	"start app:starting service" "monitor late:monitoring service" \
	"shutdown:system shutdown" "reboot:system reboot"; do
	action=${cmd#*:} cmd=${cmd%%:*}
	# shellcheck disable=SC2086
	zctl $cmd >"$T/e.out" 2>"$T/e.err"
	assert_eq "$?" 1 "'$cmd' during the drain"
	assert_eq "$(cat "$T/e.out")" "" "'$cmd' during the drain: stdout"
	assert_eq "$(cat "$T/e.err")" "zinit: $action: system is shutting down" "'$cmd' during the drain: stderr"
done
zctl status late >/dev/null 2>&1 && fail "late was monitored during the drain"
[ ! -e "$T/late.ran" ] || fail "late ran during the drain"
assert_eq "$(state_of off)" "\"Error(Signaled(Pid($OFF), SIGTERM, false))\"" "off after start during the drain"

# phase 2: app exits, then db is stopped; both visible through the socket
touch "$T/app.go"
wait_file "$T/db.term"
assert_eq "$(zctl list)" "---
app: Success
db: Running
$OFFST" "list while db drains"
assert_eq "$(zctl status db | sed -n '3,5p')" "pid: $(zctl status db | sed -n 's/^pid: //p')
state: Running
target: Down" "db while it drains"
[ "$(zctl status db | sed -n 's/^pid: //p')" -gt 0 ] || fail "db has no pid while it drains"
assert_eq "$(zctl status app | sed -n '3,5p')" "pid: 0
state: Success
target: Down" "app once drained"

touch "$T/db.go"
wait_exit 10
assert_eq "$STATUS" 0 "zinit exit status after zinit shutdown"
assert_line '^zinit: INFO shutting down \(zinit shutdown\): stopping services in reverse dependency order$'
assert_line '^zinit: INFO db stopped: exit status 0'
assert_line '^zinit: INFO drain complete in [0-9.]+s: exiting with status 0$'
# nothing was started after the drain began
n=$(line_no '^zinit: INFO shutting down')
[ "$(tail -n +"$n" "$T/out" | grep -c ' started (pid ')" -eq 0 ] || fail "something started during the drain"

# reboot through the CLI (a new zinit): in container mode it drains and exits 0 as shutdown
rm -f "$D"/*.yaml
unit r <<YAML
exec: sleep 1000
YAML
start_zinit
wait_line '^zinit: INFO r started'
wait_until 10 test -S "$S" || fail "no control socket"
zctl reboot >"$T/rb.out" 2>&1
assert_eq "$?" 0 "zinit reboot"
assert_eq "$(cat "$T/rb.out")" "" "zinit reboot output"
wait_exit 10
assert_eq "$STATUS" 0 "zinit exit status after zinit reboot"
assert_line '^zinit: INFO shutting down \(zinit reboot\)'
assert_line '^zinit: INFO r stopped: killed by SIGTERM'
