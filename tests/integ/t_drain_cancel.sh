# Nothing starts once the drain has begun: a unit Blocked on an unknown dependency, a service in
# its restart backoff, and oneshots whose dependency becomes satisfied during the drain (deviation
# from zinit, which can still start them). Runs ~3 s: the drain must outlast the 2 s backoff.
. "$(dirname "$0")/lib.sh"

unit blocked <<YAML
exec: sh -c "touch $T/blocked.ran; exec sleep 1000"
after: [nosuch]
YAML
# exits 1 at once: restarted after 2 s, unless the drain cancels it
unit flappy <<YAML
exec: sh -c "echo run >> $T/flappy.runs; exit 1"
YAML
# a running oneshot that takes 2.5 s to finish on SIGTERM, then exits 0 (Success)
unit slow1 <<YAML
exec: sh -c "trap 'sleep 2.5; exit 0' TERM; touch $T/slow1.up; while :; do sleep 0.05; done"
oneshot: true
YAML
unit late1 <<YAML
exec: touch $T/late1.ran
oneshot: true
after: [slow1]
YAML
# a service whose test only passes once it got SIGTERM; slow to stop too
unit slow2 <<YAML
exec: sh -c "trap 'touch $T/slow2.ready; sleep 2.5; exit 0' TERM; touch $T/slow2.up; while :; do sleep 0.05; done"
test: test -e $T/slow2.ready
YAML
unit late2 <<YAML
exec: touch $T/late2.ran
oneshot: true
after: [slow2]
YAML

start_zinit
wait_line "^zinit: WARN blocked is after nosuch, which is not a unit \\(no $D/nosuch\\.yaml\\): blocked stays Blocked\$"
wait_file "$T/slow1.up"
wait_file "$T/slow2.up"
# the shutdown begins in the 2 s restart delay that one of flappy's exits opens
wait_next_line '^zinit: INFO flappy exited: exit status 1; restarting in 2\.0s$'
stop_zinit TERM
# flappy was down for a restart when the drain began: its stop never ran (docs/BEHAVIOUR.md)
assert_eq "$STATUS" 1 "exit status"
assert_line '^zinit: WARN flappy was down, waiting to be restarted after it died, when the shutdown began'
# the drain lasted over 2 s: long enough for flappy's restart timer to fire during it
for n in slow1 slow2; do
	secs=$(sed -nE "s/^zinit: INFO $n stopped: exit status 0, ([0-9.]+)s after SIGTERM$/\1/p" "$T/out")
	awk -v s="$secs" 'BEGIN { exit !(s >= 2.4) }' || fail "$n stopped ${secs}s after SIGTERM"
done

drain=$(line_no '^zinit: INFO shutting down')
[ "$drain" -gt 0 ] || fail "no shutting down line"
late=$(tail -n +"$drain" "$T/out" | grep -E '^zinit: INFO [^ ]+ started \(pid' || true)
[ -z "$late" ] || fail "started during the drain: $late"
# flappy was in its backoff when the drain began (on a slow machine it may have been restarted
# before the drain: each run exits at once, so it is back in backoff within milliseconds)
last=$(head -n "$drain" "$T/out" | grep -E '^zinit: INFO flappy ' | tail -n 1)
case $last in *'restarting in '*) ;; *) fail "flappy not in backoff at the drain: $last" ;; esac
assert_eq "$(wc -l <"$T/flappy.runs")" "$(count_lines '^zinit: INFO flappy started')" "flappy runs vs started lines"
assert_no_line '^zinit: INFO (blocked|late1|late2) started'
for f in blocked late1 late2; do
	test ! -e "$T/$f.ran" || fail "$f ran"
done
assert_no_line 'oneshot late[12] '
