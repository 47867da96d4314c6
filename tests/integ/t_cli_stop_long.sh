# SPDX-License-Identifier: MIT
# A `zinit stop` that waits longer than the control socket's stall timeout (10 s) still gets
# its answer: the newline after a complete JSON-RPC request is not half of a next request.
# Runs ~12 s: the service takes 11 s to stop.
. "$(dirname "$0")/lib.sh"

unit slow <<YAML
exec: sh -c "trap 'sleep 11; exit 0' TERM; touch $T/trap.set; while :; do sleep 0.05; done"
shutdown_timeout: 30
YAML
start_zinit
wait_file "$T/trap.set" # the trap is set: SIGTERM before it would kill sh at once
zctl stop slow >"$T/stop.out" 2>&1 || fail "zinit stop failed: $(cat "$T/stop.out")"
assert_line '^zinit: INFO slow stopped: exit status 0'
assert_no_line 'stalled: disconnected'
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
