# CLI against a zinit with an empty unit directory: `list` prints `---` and `{}`, unknown
# service names fail with exit 1 and one `zinit: ...` line, `shutdown` exits 0 and zinit drains.
. "$(dirname "$0")/lib.sh"

start_zinit
wait_line '^zinit: INFO 0 units loaded'
wait_until 10 test -S "$S" || fail "no control socket"

assert_eq "$(zctl list)" "---
{}" "list of an empty directory"
assert_eq "$("$ZINIT" -s "$S")" "---
{}" "bare zinit (= list) of an empty directory"
assert_eq "$(zctl --json list)" "{}" "--json list of an empty directory"
assert_eq "$(zctl list --json)" "{}" "list --json of an empty directory"
zctl healthcheck >"$T/hc.out" 2>"$T/hc.err"
assert_eq "$?" 0 "healthcheck with no units"
assert_eq "$(cat "$T/hc.out" "$T/hc.err")" "" "healthcheck output when healthy"

# unknown service: exit 1, nothing on stdout, one line on stderr naming it, after what zinit
# was doing (zinit 0.2.28's message; `log NAME` asks for NAME's status first, as zinit's does)
for verb in status start stop restart forget kill "kill SIGUSR1" log "log -s"; do
	set -- $verb
	case $1 in
	status | log) action="getting status" ;;
	start) action="starting service" ;;
	stop) action="stopping service" ;;
	restart) action="restarting service" ;;
	forget) action="forgetting service" ;;
	kill) action="sending signal" ;;
	esac
	zctl "$1" nope ${2:-} >"$T/e.out" 2>"$T/e.err"
	rc=$?
	assert_eq "$rc" 1 "exit status of '$verb nope'"
	assert_eq "$(cat "$T/e.out")" "" "stdout of '$verb nope'"
	assert_eq "$(cat "$T/e.err")" "zinit: $action: service 'nope' not found" "stderr of '$verb nope'"
done
# monitor of a name without a unit file, or of a file that does not load: a config error, exit
# 1, with zinit's message and the reason, which zinit only logs (ours: data.cause_chain)
zctl monitor nope >"$T/e.out" 2>"$T/e.err"
assert_eq "$?" 1 "exit status of 'monitor nope' (no file)"
assert_eq "$(wc -l <"$T/e.err")" 1 "one error line for 'monitor nope'"
assert_eq "$(cat "$T/e.err")" "zinit: monitoring service: failed to load 'nope.yaml': $D/nope.yaml: No such file or directory" "stderr of 'monitor nope'"
printf 'exec: sleep 1\noneshot: maybe\n' >"$D/maybe.yaml"
zctl monitor maybe >"$T/e.out" 2>"$T/e.err"
assert_eq "$?" 1 "exit status of 'monitor maybe' (a bad value)"
assert_line "^zinit: monitoring service: failed to load 'maybe\.yaml': $D/maybe\.yaml:2:10: oneshot: " "$T/e.err"
assert_eq "$(zctl list)" "---
{}" "a failed monitor adds nothing"

# shutdown through the CLI: exit 0, then zinit drains and exits 0
zctl shutdown >"$T/sd.out" 2>"$T/sd.err"
assert_eq "$?" 0 "zinit shutdown exit status"
assert_eq "$(cat "$T/sd.out" "$T/sd.err")" "" "zinit shutdown output"
wait_exit 10
assert_eq "$STATUS" 0 "zinit exit status after zinit shutdown"
assert_line '^zinit: INFO shutting down \(zinit shutdown\)'
assert_line '^zinit: INFO drain complete in [0-9.]+s: exiting with status 0$'
[ ! -e "$S" ] || fail "the socket file is left behind after exit"
