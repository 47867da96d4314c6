# A second (and third) signal during a slow drain is logged and changes nothing: order kept,
# exit 0. Also checks the drain's log lines: one shutting-down line, one "stopping" per unit,
# one "stopped ... N.NNs after SIGTERM" per exit, "all services are down", "drain complete".
. "$(dirname "$0")/lib.sh"

# svc NAME AFTER: on SIGTERM records its name in stops, waits until the test has sent its
# later signals (the file go), then exits 0.6 s later
svc() {
	unit "$1" <<YAML
exec: sh -c "trap 'echo $1 >> $T/stops; while [ ! -e $T/go ]; do sleep 0.05; done; sleep 0.6; exit 0' TERM; touch $T/$1.up; while :; do sleep 0.05; done"
after: [$2]
YAML
}
svc db ""
svc api db
svc web api

start_zinit
for n in db api web; do wait_file "$T/$n.up"; done
kill -TERM "$ZPID"
wait_line '^zinit: INFO stopping web: '
kill -TERM "$ZPID"
wait_line '^zinit: INFO SIGTERM received: the drain is already under way'
kill -INT "$ZPID"
wait_line '^zinit: INFO SIGINT received: the drain is already under way'
touch "$T/go"
wait_exit
assert_eq "$STATUS" 0 "exit status"
assert_eq "$(tr '\n' ' ' <"$T/stops")" "web api db " "stop order"

assert_eq "$(count_lines '^zinit: INFO shutting down')" 1 "shutting down lines"
assert_line '^zinit: INFO shutting down \(SIGTERM\): stopping services in reverse dependency order$'
assert_eq "$(count_lines 'already under way')" 2 "already-under-way lines"
prev=$(line_no '^zinit: INFO shutting down')
for n in web api db; do
	assert_eq "$(count_lines "^zinit: INFO stopping $n: ")" 1 "stopping $n lines"
	assert_eq "$(count_lines "^zinit: INFO $n stopped: ")" 1 "$n stopped lines"
	s=$(line_no "^zinit: INFO stopping $n: SIGTERM to process group [0-9]+ \(timeout 10s\)$")
	e=$(line_no "^zinit: INFO $n stopped: exit status 0, [0-9]+\.[0-9]{2}s after SIGTERM$")
	[ "$s" -gt "$prev" ] && [ "$e" -gt "$s" ] || fail "$n: drain lines missing or out of order"
	prev=$e
	secs=$(sed -nE "s/^zinit: INFO $n stopped: exit status 0, ([0-9.]+)s after SIGTERM$/\1/p" "$T/out")
	# web waited for go as well: only a lower bound for it
	awk -v s="$secs" -v k="$SCALE" -v n="$n" 'BEGIN { exit !(s >= 0.55 && (n == "web" || s < 0.6 + 2 * k)) }' ||
		fail "$n stopped ${secs}s after SIGTERM, expected ~0.6s"
done
down=$(line_no '^zinit: INFO all services are down after [0-9]+\.[0-9]{2}s$')
done_=$(line_no '^zinit: INFO drain complete in [0-9]+\.[0-9]{2}s: exiting with status 0$')
[ "$down" -gt "$prev" ] && [ "$done_" -gt "$down" ] || fail "final drain lines missing or out of order"
assert_eq "$(count_lines '^zinit: INFO all services are down')" 1 "all-down lines"
assert_eq "$(count_lines '^zinit: INFO drain complete')" 1 "drain complete lines"
secs=$(sed -nE 's/^zinit: INFO all services are down after ([0-9.]+)s$/\1/p' "$T/out")
awk -v s="$secs" 'BEGIN { exit !(s >= 1.75) }' || fail "all services down after ${secs}s, expected >= 1.8s"
assert_no_line 'leftover'
a=$(line_no 'SIGINT received: the drain is already under way'); [ "$a" -lt "$done_" ] || fail "late line"
