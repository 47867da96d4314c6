# The drain is as fast as the services allow: a chain of 5 services that die at once on SIGTERM
# drains in well under a second (bounds are generous: this catches a fixed tick or sleep of
# >= 1 s per unit, which would need >= 4 s, not a benchmark).
. "$(dirname "$0")/lib.sh"

prev=""
for i in 1 2 3 4 5; do
	unit "s$i" <<YAML
exec: sleep 1000
after: [$prev]
YAML
	prev=s$i
done

start_zinit
for i in 1 2 3 4 5; do wait_line "^zinit: INFO s$i started "; done
t0=$(date +%s%N)
stop_zinit TERM
ms=$((($(date +%s%N) - t0) / 1000000))
assert_eq "$STATUS" 0 "exit status"
[ "$ms" -lt $((5000 * SCALE)) ] || fail "drain of 5 prompt services took ${ms}ms"
# zinit's own clock: not scaled, a sanitizer build does not add seconds to 5 kills and reaps
secs=$(sed -nE 's/^zinit: INFO drain complete in ([0-9]+\.[0-9]{2})s: exiting with status 0$/\1/p' "$T/out")
[ -n "$secs" ] || fail "no drain complete line"
awk -v s="$secs" 'BEGIN { exit !(s < 3.0) }' || fail "drain took ${secs}s by zinit's clock"
# still in order, one after the other
prev=0
for i in 5 4 3 2 1; do
	s=$(line_no "^zinit: INFO stopping s$i: ")
	e=$(line_no "^zinit: INFO s$i stopped: killed by SIGTERM, [0-9]+\.[0-9]{2}s after SIGTERM$")
	[ "$s" -gt "$prev" ] && [ "$e" -gt "$s" ] || fail "s$i: drain lines missing or out of order"
	prev=$e
done
assert_no_line 'leftover' # nothing but the services ran: no leftover phase
