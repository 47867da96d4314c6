# Start in dependency order gated by tests; drain in exact reverse order; exit 0.
. "$(dirname "$0")/lib.sh"

# Each service records when it got SIGTERM, then exits after 0.3 s.
svc() { # name after test
	unit "$1" <<YAML
exec: sh -c "trap 'echo \$1 >> $T/stops; sleep 0.3; exit 0' TERM; echo started; touch $T/$1.up; while :; do sleep 0.05; done" -- $1
after: [$2]
test: ${3:-test -e $T/$1.up}
log: stdout
YAML
}
svc db ""
svc api db
svc web api
start_zinit
wait_line '^zinit: INFO web is ready'
# start order: db before api before web, each after its dependency passed its test
a=$(line_no '^zinit: INFO db is ready'); b=$(line_no '^zinit: INFO api started')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "api started before db was ready"
a=$(line_no '^zinit: INFO api is ready'); b=$(line_no '^zinit: INFO web started')
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] || fail "web started before api was ready"
assert_line '^\[\+\] db: started$'
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_eq "$(tr '\n' ' ' <"$T/stops")" "web api db " "stop order"
assert_line '^zinit: INFO shutting down'
assert_line '^zinit: INFO stopping web: SIGTERM'
assert_line '^zinit: INFO db stopped: exit status 0'
