# A dependency cycle (a <-> b, and a unit after itself) never holds up the drain: the normal
# service is stopped and zinit exits 0 promptly (deviation from zinit, whose shutdown hangs).
# Nor does a cycle that `zinit monitor` closes through units already running (lo stopped,
# forgotten and monitored again after hi, with hi after mid after lo): they stop together,
# once top, which is after one of them (hi), is down: mid waits for it too.
. "$(dirname "$0")/lib.sh"

unit ca <<YAML
exec: sh -c "touch $T/ca.ran; exec sleep 1000"
after: [cb]
YAML
unit cb <<YAML
exec: sh -c "touch $T/cb.ran; exec sleep 1000"
after: [ca]
YAML
unit self <<YAML
exec: sh -c "touch $T/self.ran; exec sleep 1000"
after: [self]
YAML
unit normal <<YAML
exec: sh -c "trap 'touch $T/normal.term; exit 0' TERM; touch $T/normal.up; while :; do sleep 0.05; done"
YAML
# depends on a cycle member: Blocked forever, must not hold up the drain either
unit dep <<YAML
exec: sh -c "touch $T/dep.ran; exec sleep 1000"
after: [ca]
YAML
# lo <- mid <- hi, all running; then lo comes back after hi
chain() {
	unit "$1" <<YAML
exec: sh -c "trap 'date +%s%N > $T/$1.term; ${3:-}exit 0' TERM; touch $T/$1.up; while :; do sleep 0.05; done"
after: [$2]
YAML
}
chain lo ""
chain mid lo
chain hi mid
chain top hi "sleep 0.3; date +%s%N > $T/top.exit; "

start_zinit
wait_line '^zinit: ERROR dependency cycle: (ca -> cb -> ca|cb -> ca -> cb); its members will not start$'
wait_line '^zinit: ERROR dependency cycle: self -> self; its members will not start$'
wait_file "$T/normal.up"
for n in lo mid hi top; do wait_file "$T/$n.up"; done
out=$(zctl stop lo 2>&1) || fail "zinit stop lo: $out"
out=$(zctl forget lo 2>&1) || fail "zinit forget lo: $out"
chain lo hi
out=$(zctl monitor lo 2>&1) || fail "zinit monitor lo: $out"
wait_line '^zinit: ERROR dependency cycle: [a-z >-]*lo[a-z >-]*; its members will not start$'
t0=$(date +%s%N)
stop_zinit TERM 10
ms=$((($(date +%s%N) - t0) / 1000000))
assert_eq "$STATUS" 0 "exit status"
test -e "$T/normal.term" || fail "normal did not get SIGTERM"
[ "$ms" -lt $((5000 * SCALE)) ] || fail "drain took ${ms}ms with a cycle present"
secs=$(sed -nE 's/^zinit: INFO drain complete in ([0-9]+\.[0-9]{2})s: exiting with status 0$/\1/p' "$T/out")
[ -n "$secs" ] || fail "no drain complete line"
awk -v s="$secs" 'BEGIN { exit !(s < 2.0) }' || fail "drain took ${secs}s by zinit's clock"
assert_no_line '^zinit: INFO (ca|cb|self|dep) started'
assert_no_line '^zinit: INFO stopping (ca|cb|self|dep):'
for f in ca cb self dep; do
	test ! -e "$T/$f.ran" || fail "$f ran"
done
test -e "$T/mid.term" && test -e "$T/hi.term" || fail "mid and hi did not both get SIGTERM"
for n in mid hi; do
	[ "$(cat "$T/$n.term")" -gt "$(cat "$T/top.exit")" ] || fail "$n got SIGTERM before top, after hi, exited"
done
assert_eq "$(count_lines '^zinit: INFO lo started')" 1 "lo starts"
assert_no_line 'leftover'
