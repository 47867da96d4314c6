# Dependency graph at load: a cycle (a -> b -> a) and a self-cycle are reported in one ERROR line
# each and their members never start (deviation from zinit, which leaves them Blocked silently and
# hangs at shutdown); a unit after an unknown unit, or after one whose file did not load, gets a
# WARN saying which (at load or when monitored) and never starts, and the start order logged at
# load lists it apart, as blocked; a standalone unit starts, and SIGTERM still drains promptly
# with exit 0. The longest chain of shutdown_timeouts is said at load (the grace a container needs).
. "$(dirname "$0")/lib.sh"

# svc NAME AFTER: records that it ran and when it got SIGTERM
svc() {
	unit "$1" <<YAML
exec: sh -c "trap 'touch $T/$1.term; exit 0' TERM; touch $T/$1.ran; while :; do sleep 0.05; done"
after: [$2]
YAML
}
svc a b
svc b a
svc self self
svc dep a
svc orphan ghost
svc solo ""
svc solo2 solo
# after a unit whose file does not load, and after a unit blocked that way
unit syntax <<'YAML'
exec: [
YAML
svc dependsbroken syntax
svc chained orphan

start_zinit
wait_file "$T/solo2.ran"
wait_line '^zinit: INFO solo2 started'
assert_line '^zinit: ERROR dependency cycle: (a -> b -> a|b -> a -> b); its members will not start$'
assert_line '^zinit: ERROR dependency cycle: self -> self; its members will not start$'
assert_eq "$(count_lines '^zinit: ERROR dependency cycle')" 2 "cycle ERROR lines"
assert_line "^zinit: WARN orphan is after ghost, which is not a unit \\(no $D/ghost\\.yaml\\): orphan stays Blocked\$"
# a file that exists but did not load is named as such, not as a missing unit
assert_line "^zinit: WARN dependsbroken is after syntax, whose file $D/syntax\\.yaml is not loaded: dependsbroken stays Blocked\$"
# the start order names only the units that can start; those that wait for ever follow
assert_line "^zinit: INFO 9 units loaded from $D; start order: solo, solo2; blocked: dependsbroken \\(after syntax\\), orphan \\(after ghost\\), chained \\(after orphan\\)\$"
# the longest chain of (default, 10 s) shutdown_timeouts, solo2 then solo, or dep then a: the
# grace a container needs, said at load when it is over Docker's 10 s (not the 70 s of all units)
assert_line '^zinit: INFO a drain may take up to 20s \(the shutdown_timeouts of the longest dependency chain\): .*docker stop -t 20, .*default is 10s$'
# a unit would start in the same pass as solo; watch 1 s more
blocked_started() {
	has_line '^zinit: INFO (a|b|self|dep|orphan|dependsbroken|chained) started' ||
		ls "$T"/{a,b,self,dep,orphan,dependsbroken,chained}.ran 2>/dev/null | grep -q .
}
absent_for 1 "a unit of a cycle or with a missing dependency started" blocked_started
for u in a b self dep orphan dependsbroken chained; do
	assert_no_line "^zinit: INFO $u started"
	[ ! -e "$T/$u.ran" ] || fail "$u ran"
done
# a unit monitored later: its own cycle is reported, the cycles reported at load are not again
printf 'exec: sleep 1000\nafter: [late]\n' >"$D/late.yaml"
zctl monitor late || fail "monitor late"
wait_line '^zinit: ERROR dependency cycle: late -> late; its members will not start$'
assert_eq "$(count_lines '^zinit: ERROR dependency cycle')" 3 "cycle ERROR lines after monitor"
# a unit monitored later after a missing unit gets the WARN (once; the load's are not repeated)
printf 'exec: sleep 1000\nafter: [solo, ghost2]\n' >"$D/late2.yaml"
zctl monitor late2 || fail "monitor late2"
wait_line "^zinit: WARN late2 is after ghost2, which is not a unit \\(no $D/ghost2\\.yaml\\): late2 stays Blocked\$"
assert_eq "$(count_lines '^zinit: WARN orphan is after ghost')" 1 "WARN lines for orphan after monitor"
assert_no_line '^zinit: WARN late2 is after solo'
assert_eq "$(count_lines '^zinit: WARN ')" 3 "WARN lines in all"

stop_zinit TERM 5
assert_eq "$STATUS" 0 "exit status"
[ -e "$T/solo.term" ] && [ -e "$T/solo2.term" ] || fail "solo/solo2 did not get SIGTERM"
a=$(line_no '^zinit: INFO solo2 stopped'); b=$(line_no '^zinit: INFO stopping solo:')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "solo was stopped before solo2 had exited"
assert_line '^zinit: INFO drain complete in [0-2]\.[0-9]+s: exiting with status 0$'
for u in a b self dep orphan dependsbroken chained; do
	assert_no_line "^zinit: INFO (stopping $u|$u stopped)"
done
