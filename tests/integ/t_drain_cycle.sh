# A dependency cycle (a <-> b, and a unit after itself) never holds up the drain: the normal
# service is stopped and zinit exits 0 promptly (deviation from zinit, whose shutdown hangs).
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

start_zinit
wait_line '^zinit: ERROR dependency cycle: (ca -> cb -> ca|cb -> ca -> cb); its members will not start$'
wait_line '^zinit: ERROR dependency cycle: self -> self; its members will not start$'
wait_file "$T/normal.up"
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
assert_no_line 'leftover'
