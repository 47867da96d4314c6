# A signal sent to zinit's process group while a service is being started (after the clone,
# before the child's setsid) is pending in the child, blocked by the mask it inherits, and must
# be discarded, not delivered once the child unblocks it: it was meant for zinit, not for the
# service. The window is microseconds wide, so sigwindow.py (ptrace) stops each new child before
# its first instruction and sends it SIGTERM there, which makes the hit certain.
. "$(dirname "$0")/lib.sh"
SIGWINDOW=$(dirname "$0")/sigwindow.py

unit first <<YAML
exec: sh -c 'echo \$\$ >> $T/first.pids; exec sleep 1000'
YAML
start_zinit
wait_pidfile "$T/first.pids"
wait_until 10 eval 'zctl list 2>/dev/null | grep -q "^first: Running$"' || fail "first not Running"

python3 "$SIGWINDOW" "$ZPID" TERM 2 >"$T/sw.out" 2>&1 &
SW=$!
wait_line '^attached$' "$T/sw.out" 20
for s in a b; do
	unit "$s" <<YAML
exec: sh -c 'echo \$\$ >> $T/$s.pids; exec sleep 1000'
YAML
	zctl monitor "$s" >/dev/null 2>&1 || fail "monitor $s"
done
wait_until 30 eval '! kill -0 $SW 2>/dev/null' || fail "sigwindow never saw two children: $(cat "$T/sw.out")"
wait "$SW" || fail "sigwindow: $(cat "$T/sw.out")"
assert_eq "$(grep -c '^signalled' "$T/sw.out")" 2 "children signalled"
for s in a b; do
	wait_pidfile "$T/$s.pids" 20
	wait_until 10 eval "zctl list 2>/dev/null | grep -q '^$s: Running\$'" || fail "$s not Running"
done
# a child that died of the signal would be restarted 2 s later: its first start must be its only one
absent_for 2.5 "a service died of the signal meant for zinit's group" \
	eval "has_line 'exited: killed by SIGTERM' || [ \$(cat $T/a.pids $T/b.pids | wc -l) -ne 2 ]"
assert_eq "$(count_lines '^zinit: INFO (a|b) started')" 2 "starts of a and b"
zinit_alive || fail "zinit died"
stop_zinit
assert_eq "$STATUS" 0 "zinit's exit status"
