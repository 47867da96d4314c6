# SPDX-License-Identifier: MIT
# `zinit log` shows a service's lines byte for byte, NUL included (the CLI took the \u0000 of
# zinit's answer for a malformed message: `log -s` waited forever and follow mode lost the
# whole snapshot); and it sends its two requests, the snapshot and the subscription, in one
# write, so that zinit reads them in one go and no line falls between them.
. "$(dirname "$0")/lib.sh"

unit n <<YAML
exec: sh -c 'printf "before\\\\n"; printf "a\\\\0b\\\\n"; printf "after\\\\n"; while [ ! -e $T/more ]; do sleep 0.05; done; printf "x\\\\0y\\\\n"; echo later; exec sleep 1000'
log: ring
YAML
start_zinit
# in the ring: asked through the line protocol, whose client is not the one under test
ring_has_after() { sc "$S" 's:log snapshot\n' eof 2>/dev/null | grep -aq 'n: after$'; }
wait_until 20 ring_has_after || fail "'after' never reached the ring"
assert_eq "$(timeout 10 "$ZINIT" -s "$S" log -s n | od -An -c | tr -s ' \n' ' ')" \
	"$(printf '[+] n: before\n[+] n: a\0b\n[+] n: after\n' | od -An -c | tr -s ' \n' ' ')" "log -s n, byte for byte"

strace -f -o "$T/strace" -e trace=write -s 300 "$ZINIT" -s "$S" log n >"$T/follow" 2>"$T/follow.err" &
FOLLOWER=$!
wait_until 20 at_least "$T/follow" 3 || fail "follow mode never showed the snapshot: $(cat -v "$T/follow" "$T/follow.err")"
touch "$T/more"
wait_until 20 at_least "$T/follow" 5 || fail "follow mode never showed the later lines: $(cat -v "$T/follow")"
kill $(pgrep -P "$FOLLOWER") # the traced `zinit log`; strace then ends with it
wait "$FOLLOWER" 2>/dev/null
assert_eq "$(od -An -c "$T/follow" | tr -s ' \n' ' ')" \
	"$(printf '[+] n: before\n[+] n: a\0b\n[+] n: after\n[+] n: x\0y\n[+] n: later\n' | od -An -c | tr -s ' \n' ' ')" "log n, byte for byte"
grep 'stream_currentLogs' "$T/strace" | grep -q 'stream_subscribeLogs' ||
	fail "the snapshot and the subscription went in separate writes: $(grep stream_ "$T/strace")"
stop_zinit TERM
