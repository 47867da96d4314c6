# A blocked signal mask inherited from the launcher (a wrapper that blocked SIGCHLD, SIGTERM,
# SIGINT and SIGHUP, then exec'd zinit) is cleared at start: zinit reaps its children, and a
# SIGTERM drains. Blocked signals survive exec and libuv only installs handlers: before, a
# oneshot stayed a zombie, never "succeeded", and SIGTERM did nothing.
. "$(dirname "$0")/lib.sh"

launch_through masked <<'PYEOF'
import signal
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
PYEOF

unit once <<YAML
exec: touch $T/once.ran
oneshot: true
YAML
unit long <<YAML
exec: sh -c "trap 'touch $T/long.term; exit 0' TERM; touch $T/long.up; while :; do sleep 0.05; done"
YAML
start_zinit
wait_file "$T/long.up"
wait_line '^zinit: INFO oneshot once succeeded$'
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status after the drain"
[ -e "$T/long.term" ] || fail "long never got its SIGTERM"
