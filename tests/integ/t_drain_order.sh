# Drain order: a chain stops web, api, db, each only after the previous one exited; siblings get
# their stop signal together and their dependency only after both exited; a finished oneshot in
# the middle of a chain does not let its dependency stop early, nor does a unit stopped and
# forgotten there; signal.stop is honoured.
. "$(dirname "$0")/lib.sh"

# svc NAME AFTER DELAY: on SIGTERM records the time (NAME.stop), waits DELAY, records NAME.exit.
svc() {
	unit "$1" <<YAML
exec: sh -c "trap 'date +%s%N > $T/$1.stop; sleep $3; date +%s%N > $T/$1.exit; exit 0' TERM; touch $T/$1.up; while :; do sleep 0.05; done"
after: [$2]
log: stdout
YAML
}
# chain db <- api <- web
svc db "" 0.3
svc api db 0.3
svc web api 0.3
# siblings sa, sb after base: each exits only once the other got its SIGTERM too, so a drain
# that stops them one after the other never sees the first exit (it kills it at its timeout).
# NAME.stop appears by a rename once it holds its time: the file a redirection creates is
# there before date has written (a CI run saw the other sibling's exit time come first).
svc base "" 0
sibling() {
	unit "$1" <<YAML
exec: sh -c "trap 'date +%s%N > $T/$1.stop.new; mv $T/$1.stop.new $T/$1.stop; while [ ! -e $T/$2.stop ]; do sleep 0.05; done; date +%s%N > $T/$1.exit; exit 0' TERM; touch $T/$1.up; while :; do sleep 0.05; done"
after: [base]
log: stdout
YAML
}
sibling sa sb
sibling sb sa
# zdb <- ns (a oneshot, finished) <- fs
svc zdb "" 0
unit ns <<YAML
exec: touch $T/ns.done
oneshot: true
after: [zdb]
YAML
svc fs ns 0.5
# zdb2 <- ns2 <- fs2, ns2 stopped and forgotten before the drain
svc zdb2 "" 0
svc ns2 zdb2 0
svc fs2 ns2 0.5
# custom stop signal
unit usr <<YAML
exec: sh -c "trap 'touch $T/usr.usr1; exit 0' USR1; trap 'touch $T/usr.term; exit 0' TERM; touch $T/usr.up; while :; do sleep 0.05; done"
signal:
  stop: SIGUSR1
YAML

start_zinit
for n in db api web base sa sb zdb fs usr zdb2 ns2 fs2; do wait_file "$T/$n.up"; done
wait_line '^zinit: INFO oneshot ns succeeded$'
out=$(zctl stop ns2 2>&1) || fail "zinit stop ns2: $out"
out=$(zctl forget ns2 2>&1) || fail "zinit forget ns2: $out"
wait_line '^zinit: INFO ns2 forgotten$'
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"

t() { cat "$T/$1" 2>/dev/null || fail "missing $1"; }
# the chain: each stop only after the dependent's exit
[ "$(t api.stop)" -ge "$(t web.exit)" ] || fail "api got SIGTERM before web exited"
[ "$(t db.stop)" -ge "$(t api.exit)" ] || fail "db got SIGTERM before api exited"
a=$(line_no '^zinit: INFO web stopped:'); b=$(line_no '^zinit: INFO stopping api:')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "stopping api logged before web stopped"
a=$(line_no '^zinit: INFO api stopped:'); b=$(line_no '^zinit: INFO stopping db:')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "stopping db logged before api stopped"

# siblings: both signalled before either exits; base only after both exited
s1=$(line_no '^zinit: INFO stopping sa:'); s2=$(line_no '^zinit: INFO stopping sb:')
e1=$(line_no '^zinit: INFO sa stopped:'); e2=$(line_no '^zinit: INFO sb stopped:')
[ "$s1" -gt 0 ] && [ "$s2" -gt 0 ] && [ "$e1" -gt 0 ] && [ "$e2" -gt 0 ] || fail "sibling lines missing"
for s in "$s1" "$s2"; do
	[ "$s" -lt "$e1" ] && [ "$s" -lt "$e2" ] || fail "siblings sa and sb not stopped in parallel"
done
[ "$(t sa.stop)" -lt "$(t sb.exit)" ] && [ "$(t sb.stop)" -lt "$(t sa.exit)" ] ||
	fail "one sibling got SIGTERM only after the other exited"
[ "$(t base.stop)" -ge "$(t sa.exit)" ] && [ "$(t base.stop)" -ge "$(t sb.exit)" ] ||
	fail "base got SIGTERM before both siblings exited"
b=$(line_no '^zinit: INFO stopping base:')
[ "$b" -gt "$e1" ] && [ "$b" -gt "$e2" ] || fail "stopping base logged before both siblings stopped"

# transitive through a finished oneshot: zdb only after fs exited
[ "$(t zdb.stop)" -ge "$(t fs.exit)" ] || fail "zdb got SIGTERM before fs exited (through finished oneshot ns)"
a=$(line_no '^zinit: INFO fs stopped:'); b=$(line_no '^zinit: INFO stopping zdb:')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "stopping zdb logged before fs stopped"
assert_no_line '^zinit: INFO stopping ns:'

# through a forgotten unit: zdb2 only after fs2 exited, as if ns2 were still loaded
[ "$(t zdb2.stop)" -ge "$(t fs2.exit)" ] || fail "zdb2 got SIGTERM before fs2 exited (through forgotten ns2)"
a=$(line_no '^zinit: INFO fs2 stopped:'); b=$(line_no '^zinit: INFO stopping zdb2:')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "stopping zdb2 logged before fs2 stopped"

# signal.stop: SIGUSR1, not SIGTERM
test -e "$T/usr.usr1" || fail "usr did not receive SIGUSR1"
test ! -e "$T/usr.term" || fail "usr received SIGTERM"
assert_line '^zinit: INFO stopping usr: SIGUSR1 to process group [0-9]+ \(timeout 10s\)$'
assert_line '^zinit: INFO usr stopped: exit status 0, [0-9]+\.[0-9]{2}s after SIGUSR1$'
assert_no_line 'leftover'
