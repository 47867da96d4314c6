# SPDX-License-Identifier: MIT
# Clients killed while they wait on a long stop (`zinit stop` interrupted) are closed at
# their EOF: they kept their slot and descriptor until the stop ended, so 256 of them locked
# root's CLI out for the unit's shutdown_timeout. The stop itself goes on. Runs ~3 s.
. "$(dirname "$0")/lib.sh"

unit slow <<YAML
exec: sh -c "trap 'touch $T/slow.term; while [ ! -e $T/slow.go ]; do sleep 0.05; done; exit 0' TERM; touch $T/slow.up; while :; do sleep 0.05; done"
shutdown_timeout: 60
YAML
start_zinit
wait_file "$T/slow.up"
fds() { ls "/proc/$ZPID/fd" | wc -l; }
base=$(fds)

pids=
for i in 1 2 3 4 5; do
	"$ZINIT" -s "$S" stop slow 2>/dev/null &
	pids="$pids $!"
done
wait_file "$T/slow.term" 10
wait_until 10 eval '[ "$(fds)" -ge $((base + 5)) ]' || fail "the 5 stops never all connected: $(fds) fds, $base before"
{ kill -KILL $pids; wait $pids; } 2>/dev/null
wait_until 10 eval '[ "$(fds)" -le "$base" ]' || fail "the killed clients still hold $(($(fds) - base)) descriptors"
[ ! -e "$T/slow.go" ] && zinit_alive || fail "the stop ended early"
zctl status slow | grep -q '^target: Down' || fail "slow: $(zctl status slow 2>&1)"
out=$(zctl list 2>&1) || fail "zinit list: $out"

# the stop still ends, its answer going nowhere
touch "$T/slow.go"
wait_until 20 eval 'zctl list | grep -q "^slow: Success"' || fail "slow after its stop: $(zctl list 2>&1)"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
