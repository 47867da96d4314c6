# Soak (shortened; `make soak` runs the full 1000/10,000): crash cycles of a oneshot, restart
# and kill requests, control connections dropped mid-request and log subscribers coming and
# going leave zinit's open fds and RSS where they were after the first tenth.
. "$(dirname "$0")/lib.sh"

unit crash <<YAML
exec: sh -c "echo crashing; exit 3"
oneshot: true
YAML
unit steady <<YAML
exec: sleep 1000
log: stdout
YAML
# Log lines keep flowing, as in any real stack: a subscriber that went away is noticed when
# the next line cannot be written to it (an EOF alone may be a half-close of a client that
# still reads its notifications, so it does not end a subscription).
unit ticker <<YAML
exec: sh -c "while :; do echo tick; sleep 0.02; done"
YAML
start_zinit
wait_line '^zinit: INFO steady started'
python3 "$(dirname "$0")/../soak/soak.py" "$S" "$ZPID" "${SOAK_CYCLES:-200}" \
	"${SOAK_SUBSCRIBERS:-1000}" >"$T/soak.out" 2>&1 || fail "soak: $(cat "$T/soak.out")"
cat "$T/soak.out"
assert_eq "$(grep -c ' ok$' "$T/soak.out")" 4 "loops that stayed flat"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
