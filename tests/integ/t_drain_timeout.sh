# shutdown_timeout: a service ignoring SIGTERM gets SIGKILL to its whole process group ~2 s after
# SIGTERM (background children included, no leftovers), its dependency is stopped only after
# that, and zinit exits with status 1 (deviation from zinit: no SIGKILL there, exit always 0).
# Runs ~2.5 s: the timeout itself is 2 s.
. "$(dirname "$0")/lib.sh"

unit base <<YAML
exec: sh -c "trap 'date +%s%N > $T/base.stop; exit 0' TERM; touch $T/base.up; while :; do sleep 0.05; done"
YAML
# stubborn ignores SIGTERM, and so do its two background children (SIG_IGN is inherited)
cat >"$T/stubborn.sh" <<'SH'
T=$1
trap '' TERM
for i in 1 2; do
	sh -c 'echo $$ > "$1/child$2.pid"; while :; do sleep 0.1; done' "zinit-drain-child-$T" "$T" "$i" &
done
echo $$ > "$T/stubborn.pid"
touch "$T/stubborn.up"
while :; do sleep 0.1; done
SH
unit stubborn <<YAML
exec: sh $T/stubborn.sh $T
after: [base]
shutdown_timeout: 2
YAML

start_zinit
wait_file "$T/stubborn.up"
wait_pidfile "$T/child1.pid"
wait_pidfile "$T/child2.pid"
pgrep -f "zinit-drain-child-$T" >/dev/null || fail "the background children are not visible from the host"
t0=$(date +%s%N)
stop_zinit TERM
assert_eq "$STATUS" 1 "exit status when a service had to be SIGKILLed"

assert_line '^zinit: INFO stopping stubborn: SIGTERM to process group [0-9]+ \(timeout 2s\)$'
assert_line '^zinit: WARN stubborn still running 2s after SIGTERM: sending SIGKILL to process group [0-9]+$'
line=$(grep -E '^zinit: INFO stubborn stopped: killed by SIGKILL, [0-9]+\.[0-9]{2}s after SIGTERM$' "$T/out") ||
	fail "no 'stubborn stopped: killed by SIGKILL' line"
secs=${line##*, }; secs=${secs%%s after*}
awk -v s="$secs" -v k="$SCALE" 'BEGIN { exit !(s >= 1.95 && s < 2 + 2 * k) }' ||
	fail "stubborn killed ${secs}s after SIGTERM, expected ~2s"
# base only after stubborn was killed
w=$(line_no '^zinit: INFO stubborn stopped:'); b=$(line_no '^zinit: INFO stopping base:')
[ "$w" -gt 0 ] && [ "$b" -gt "$w" ] || fail "base stopped before stubborn was gone"
[ $(($(cat "$T/base.stop") - t0)) -ge 1900000000 ] || fail "base got SIGTERM less than 2 s into the drain"
assert_line '^zinit: INFO base stopped: exit status 0'
assert_line '^zinit: INFO drain complete in [0-9]+\.[0-9]{2}s: exiting with status 1$'

# the whole group died with the SIGKILL: nothing left for the final phase to SIGKILL (had only
# the main process been killed, its TERM-ignoring children would need the leftover SIGKILL),
# none on the host
assert_no_line 'leftover processes still running'
! pgrep -f "zinit-drain-child-$T" >/dev/null || fail "background children of stubborn survived the drain"
if [ "$MODE" = subreaper ]; then # pids in the files are host pids only here
	for f in stubborn child1 child2; do
		! kill -0 "$(cat "$T/$f.pid")" 2>/dev/null || fail "$f still alive after the drain"
	done
fi
