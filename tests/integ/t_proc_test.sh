# Readiness tests: gating, quick notice, no re-run after passing, capped retry pacing (deviation from zinit: not a fixed 2 s), oneshot test ignored, NAME/test output, test killed with its service.
. "$(dirname "$0")/lib.sh"

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

unit db <<YAML
exec: sleep 1000
test: sh -c 'echo x >> $T/db.count; echo checking; echo checking-err >&2; test -e $T/ready'
log: stdout
YAML
unit api <<YAML
exec: sleep 1000
after: [db]
YAML
unit never <<YAML
exec: sleep 1000
test: sh -c 'echo x >> $T/never.count; exit 1'
YAML
unit never_dep <<YAML
exec: sleep 1000
after: [never]
YAML
unit os <<YAML
exec: "true"
oneshot: true
test: sh -c 'touch $T/os.tested; exit 1'
YAML
unit os_dep <<YAML
exec: sleep 1000
after: [os]
YAML
# exits (once) when tx.quit appears, while its test hangs
unit tx <<YAML
exec: sh -c 'while [ ! -e $T/tx.quit ]; do sleep 0.05; done; rm $T/tx.quit; exit 0'
test: sh -c 'echo \$\$ >> $T/tx.testpids; exec sleep 100000'
YAML

start_zinit
wait_line '^zinit: INFO never started'
t_never=$(date +%s%N)

# gating: api waits for db's test, which fails until the marker exists
wait_line '^zinit: INFO db started'
# touched ~0.35 s in (4th run), when the retry interval has grown to 400 ms
wait_until 10 at_least "$T/db.count" 4 || fail "db's test did not run 4 times"
assert_no_line '^zinit: INFO api started'
t_touch=$(date +%s%N)
touch "$T/ready"
wait_line '^zinit: INFO api started'
elapsed=$(ms_since "$t_touch")
[ "$elapsed" -le $((2000 * SCALE)) ] || fail "api started ${elapsed}ms after the marker appeared"
a=$(line_no '^zinit: INFO db is ready: its test passed$')
b=$(line_no '^zinit: INFO api started')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "api started before 'db is ready'"
# test output is tagged NAME/test
assert_line '^\[\+\] db/test: checking$'
wait_line '^\[-\] db/test: checking-err$' "$T/err"
db_runs=$(lines_of "$T/db.count")

# a oneshot's test is ignored: it succeeds although its test would fail, and is never run
wait_line '^zinit: INFO os_dep started'
assert_line '^zinit: INFO oneshot os succeeded$'
[ ! -e "$T/os.tested" ] || fail "a oneshot's test was run"
assert_no_line '^zinit: INFO os is ready'

# the service exits while its test hangs: the test process is killed at once
wait_until 10 at_least "$T/tx.testpids" 1 || fail "tx's test did not start"
tx_test=$(host_pid "$(tail -n 1 "$T/tx.testpids")")
[ -n "$tx_test" ] && ! gone "$tx_test" || fail "tx's test process not found"
timeouts=$(count_lines 'tx/test still running')
touch "$T/tx.quit"
wait_line '^zinit: INFO tx exited: exit status 0; restarting in 2.0s$'
wait_until 5 gone "$tx_test" || fail "tx's test process outlived tx"
# (and it was not the 10 s test timeout that killed it)
assert_eq "$(count_lines 'tx/test still running')" "$timeouts" "test timeouts"

# a test that never passes: retried at a growing interval capped at 1 s (about 8 runs in
# 4 s: neither a busy loop nor a fixed 2 s interval); its dependent never starts
while [ "$(ms_since "$t_never")" -lt 4000 ]; do sleep 0.05; done
n=$(lines_of "$T/never.count")
[ "$n" -ge 5 ] && [ "$n" -le 30 ] || fail "never's test ran $n times in 4 s"
assert_no_line '^zinit: INFO never is ready'
assert_no_line '^zinit: INFO never_dep started'
# db's test was not run again once it passed (3 s later)
assert_eq "$(lines_of "$T/db.count")" "$db_runs" "db test runs after it passed"

# tx is back (2 s after it exited; a loaded machine may get here sooner): a stop while it waits
# to be restarted would end with status 1 (BEHAVIOUR.md), which is not this test's subject
tx_back() { [ "$(count_lines '^zinit: INFO tx started')" -ge 2 ]; }
wait_until 10 tx_back || fail "tx was not restarted"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
