# SPDX-License-Identifier: MIT
# A unit is stopped once its whole process group is gone, not when its main process exits:
# app's main process dies at once on SIGTERM while a helper of its group still flushes, and
# db, which app runs after, gets its SIGTERM only once the helper is done (DESIGN.md: a
# dependency is signalled after every dependent has exited). A helper that ignores SIGTERM
# gets the group's SIGKILL at app's shutdown_timeout, which makes the exit status 1 (it was
# left to the 2 s leftover sweep at the very end, with db already stopped, and exit 0).
. "$(dirname "$0")/lib.sh"

# units HELPER-TRAP [APP LINE]
units() {
	unit db <<YAML
exec: sh -c "trap 'touch $T/db.term; exit 0' TERM; touch $T/db.up; while :; do sleep 0.05; done"
YAML
	unit app <<YAML
exec: sh -c '($1 touch $T/helper.up; while :; do sleep 0.05; done) & exec sleep 1000'
after: [db]
${2:-}
YAML
}
units "trap \"touch $T/helper.term; while [ ! -e $T/go ]; do sleep 0.05; done; touch $T/helper.done; exit 0\" TERM;"
start_zinit
wait_file "$T/db.up"
wait_file "$T/helper.up"
kill -TERM "$ZPID"
wait_file "$T/helper.term"
absent_for 1.5 "db was stopped while app's helper still ran" test -e "$T/db.term"
assert_line '^zinit: INFO app: its main process exited \(killed by SIGTERM\); waiting for the rest of its process group [0-9]+$'
# meanwhile app is still being stopped, as before its main process exited: status shows the
# group's id as its pid (0 would tell a client, such as zinit's `restart`, that it is down),
# Running, target Down
grp=$(sed -nE 's/^zinit: INFO app: its main process exited .* process group ([0-9]+)$/\1/p' "$T/out")
out=$(zctl status app 2>&1) || fail "zinit status app: $out"
echo "$out" | grep -qx "pid: $grp" || fail "status while app's group lingers, not pid $grp: $out"
echo "$out" | grep -qx 'state: Running' && echo "$out" | grep -qx 'target: Down' ||
	fail "status while app's group lingers: $out"
touch "$T/go"
wait_file "$T/helper.done"
wait_file "$T/db.term"
wait_exit
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO app stopped: killed by SIGTERM, '
[ "$(line_no '^zinit: INFO app stopped')" -lt "$(line_no '^zinit: INFO stopping db')" ] ||
	fail "db was stopped before app's group was gone"
assert_no_line 'leftover'

new_instance
units "trap \"touch $T/helper.term\" TERM;" "shutdown_timeout: 2"
start_zinit
wait_file "$T/db.up"
wait_file "$T/helper.up"
kill -TERM "$ZPID"
wait_file "$T/helper.term"
wait_line '^zinit: WARN app still running 2s after SIGTERM: sending SIGKILL to process group [0-9]+$'
wait_exit
assert_eq "$STATUS" 1 "exit status when app's group needed its SIGKILL"
[ "$(line_no '^zinit: WARN app still running')" -lt "$(line_no '^zinit: INFO stopping db')" ] ||
	fail "db was stopped before app's group was killed"
[ -e "$T/db.term" ] || fail "db never got its SIGTERM"
