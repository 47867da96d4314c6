# Ring capacity through the CLI: `init -b 5`, a service printing 1..20 => `log -s` and the start
# of `log` (follow) show exactly lines 16..20 (§8 case 36).
. "$(dirname "$0")/lib.sh"

unit x <<YAML
exec: sh -c 'i=1; while [ \$i -le 20 ]; do echo \$i; i=\$((i + 1)); done; exec sleep 1000'
YAML

last_is_20() { [ "$(zctl log -s | tail -n 1)" = "[+] x: 20" ]; }
has_20() { grep -qxF '[+] x: 20' "$T/follow.out"; }
expected=$(printf '[+] x: %s\n' 16 17 18 19 20)

start_zinit -b 5
wait_until 10 last_is_20 || fail "log -s never ended with line 20: $(zctl log -s 2>&1)"
assert_eq "$(zctl log -s)" "$expected" "log -s with -b 5"
assert_eq "$(zctl log -s x)" "$expected" "log -s x with -b 5"

zctl log >"$T/follow.out" 2>&1 &
F=$!
wait_until 10 has_20 || fail "log (follow) did not print the ring"
kill "$F"
wait "$F" 2>/dev/null
assert_eq "$(cat "$T/follow.out")" "$expected" "log (follow) with -b 5"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
