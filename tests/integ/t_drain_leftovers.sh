# Leftovers: processes outside every service's group (detached with setsid) get SIGTERM once all
# services are down, SIGKILL 2 s later if still alive, then zinit exits 0; none survives zinit.
# Runs ~2.5 s: the leftover grace itself is 2 s.
. "$(dirname "$0")/lib.sh"

# the service detaches two processes into their own sessions, then runs until SIGTERM:
# lo1 ignores SIGTERM (and so does its sleep), lo2 records SIGTERM and exits
cat >"$T/svc.sh" <<'SH'
T=$1
setsid sh -c 'trap "" TERM; echo $$ > "$1/lo1.pid"; sleep 1000.$2' "zinit-leftover-$T" "$T" "$2" &
setsid sh -c 'trap "touch \"$1/lo2.term\"; exit 0" TERM; echo $$ > "$1/lo2.pid"; while :; do sleep 0.05; done' "zinit-leftover-$T" "$T" &
touch "$T/svc.up"
exec sleep 1000
SH
unit svc <<YAML
exec: sh $T/svc.sh $T $$
YAML

lo1re="^sleep 1000\.$$\$" # lo1's sleep, unique to this script
start_zinit
wait_file "$T/svc.up"
wait_until 10 test -s "$T/lo1.pid" || fail "lo1 did not start"
wait_until 10 test -s "$T/lo2.pid" || fail "lo2 did not start"
wait_until 10 pgrep -f "$lo1re" >/dev/null || fail "lo1's sleep not visible from the host"
[ "$(pgrep -f "zinit-leftover-$T" | wc -l)" -eq 2 ] || fail "leftovers not visible from the host"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status (leftovers are not services)"
# the grace between the leftovers' SIGTERM and SIGKILL, by zinit's own clock
down=$(sed -nE 's/^zinit: INFO all services are down after ([0-9.]+)s$/\1/p' "$T/out")
done_=$(sed -nE 's/^zinit: INFO drain complete in ([0-9.]+)s: exiting with status 0$/\1/p' "$T/out")
[ -n "$down" ] && [ -n "$done_" ] || fail "drain timing lines missing"
awk -v a="$down" -v b="$done_" 'BEGIN { exit !(b - a >= 1.95) }' ||
	fail "leftover grace was $down..${done_}s, expected >= 2s between SIGTERM and SIGKILL"

assert_line '^zinit: INFO sending SIGTERM to [0-9]+ leftover processes; SIGKILL in 2000ms$'
assert_line '^zinit: WARN [0-9]+ leftover processes still running: SIGKILL$'
a=$(line_no '^zinit: INFO svc stopped: killed by SIGTERM')
b=$(line_no '^zinit: INFO all services are down after')
c=$(line_no '^zinit: INFO sending SIGTERM to [0-9]+ leftover processes')
d=$(line_no '^zinit: WARN [0-9]+ leftover processes still running: SIGKILL')
e=$(line_no '^zinit: INFO drain complete in [0-9.]+s: exiting with status 0$')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] && [ "$c" -lt "$d" ] && [ "$d" -lt "$e" ] ||
	fail "drain lines out of order ($a $b $c $d $e)"
test -e "$T/lo2.term" || fail "lo2 did not receive SIGTERM"
! pgrep -f "zinit-leftover-$T" >/dev/null || fail "a leftover survived zinit"
! pgrep -f "$lo1re" >/dev/null || fail "lo1's sleep survived zinit"
if [ "$MODE" = subreaper ]; then # host pids only here
	for f in lo1 lo2; do
		! kill -0 "$(cat "$T/$f.pid")" 2>/dev/null || fail "$f still alive after zinit exited"
	done
fi
