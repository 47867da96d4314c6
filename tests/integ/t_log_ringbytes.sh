# SPDX-License-Identifier: MIT
# The log ring is bounded in bytes too (issue 11): a service printing 200 MB without a newline
# (cut into 64 KiB lines) used to fill 2000 x 64 KiB pieces (130 MB of RSS) and make one
# `zinit log` answer 125 MB. Now zinit's RSS stays small and the answer is within the ring's
# byte budget (--buffer-bytes, default 1 MiB).
. "$(dirname "$0")/lib.sh"

unit blob <<YAML
exec: sh -c "head -c 200000000 /dev/zero | tr '\\\\0' x; echo; echo done >$T/blob.done; exec sleep 1000"
YAML
start_zinit
wait_file "$T/blob.done" 60
rss=$(awk '/^VmRSS:/{print $2}' "/proc/$ZPID/status")
# (not under ASan, whose quarantine holds every freed line back: LeakSanitizer judges leaks)
[ -n "${SANITIZED:-}" ] || [ "$rss" -lt 40000 ] ||
	fail "zinit's RSS is $rss KiB after 200 MB of unbroken output"
zctl log -s blob >"$T/log.out" 2>&1 || fail "zinit log: $(head -c 300 "$T/log.out")"
size=$(wc -c <"$T/log.out")
[ "$size" -le $((1024 * 1024 + 65536)) ] || fail "zinit log answered $size bytes"
[ "$size" -ge $((512 * 1024)) ] || fail "zinit log answered only $size bytes"
head -c 100 "$T/log.out" | grep -q "^\[+\] blob: xxxxxxxx" || fail "not the service's bytes: $(head -c 100 "$T/log.out")"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"

# a smaller budget, from the command line
new_instance
unit lines <<YAML
exec: sh -c "seq 1 5000 | sed 's/^/line /'; echo done >$T/lines.done; exec sleep 1000"
YAML
start_zinit --buffer-bytes 2000
wait_file "$T/lines.done" 30
zctl log -s lines >"$T/log.out" 2>&1 || fail "zinit log"
[ "$(wc -c <"$T/log.out")" -le 2200 ] || fail "a 2000-byte ring answered $(wc -c <"$T/log.out") bytes"
tail -n 1 "$T/log.out" | grep -q 'line 5000$' || fail "the newest line is missing: $(tail -n 1 "$T/log.out")"
stop_zinit TERM
"$ZINIT" init --buffer-bytes lots 2>"$T/usage.err" && fail "a bad --buffer-bytes was accepted"
grep -q "option --buffer-bytes needs a number of bytes (at most 4 GiB), got 'lots'" "$T/usage.err" ||
	fail "usage error: $(cat "$T/usage.err")"
