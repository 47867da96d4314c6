# Control bytes from unit content in zinit's own messages are escaped (log.c, where every
# message passes): an `after` name holding a newline and ESC, an unparsable exec holding ESC and
# a C1 CSI, shown as \x0a, \x1b, \u009b; no forged line, no raw ESC. Service output stays
# byte-exact: a service's ESC reaches the `[+] NAME: ` line as it is.
. "$(dirname "$0")/lib.sh"

unit a <<'YAML'
exec: sleep 1000
after: ["ghost\nzinit: ERROR forged line\e[31m"]
YAML
unit b <<'YAML'
exec: "sh -c 'unterminated\e[31m\x9b"
YAML
unit c <<'YAML'
exec: printf 'out\033[32mgreen\n'
log: stdout
oneshot: true
YAML

start_zinit
wait_line '^zinit: INFO [0-9]+ units loaded from '
wait_line '^zinit: ERROR b failed to start: cannot parse command: '
wait_line '^zinit: INFO oneshot c succeeded'
wait_line '^\[\+\] c: out'

assert_line '^zinit: WARN a is after ghost\\x0azinit: ERROR forged line\\x1b\[31m, which is not a unit \(no .*/ghost\\x0azinit: ERROR forged line\\x1b\[31m\.yaml\): a stays Blocked$'
assert_line "^zinit: ERROR b failed to start: cannot parse command: sh -c 'unterminated\\\\x1b\\[31m\\\\u009b\$"
assert_no_line '^zinit: ERROR forged'
esc=$(printf '\033')
c1=$(printf '\302\233')
grep '^zinit: ' "$T/out" | grep -q -e "$esc" -e "$c1" && fail "a raw ESC or CSI in zinit's messages"
assert_eq "$(grep '^\[+\] c: ' "$T/out")" "[+] c: out${esc}[32mgreen" "service output, byte-exact"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
