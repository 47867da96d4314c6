# Service output (ZINIT-COMPAT §8 cases 34, 35, 40): `log: stdout` prefixes stdout lines with
# "[+] NAME: " on zinit's stdout and stderr lines with "[-] NAME: " on its stderr, test output as
# NAME/test; `log: ring` and `log: none` show nothing; a partial line is joined (\r\n ends it) and
# a last line without newline is emitted at exit; invalid UTF-8 passes through and the service
# keeps running (deviation from zinit, which kills it with SIGPIPE).
. "$(dirname "$0")/lib.sh"

# script NAME: the service script $T/NAME.sh from stdin; it gets $T as $1
script() { cat >"$T/$1.sh"; }

script loud <<'EOF2'
echo "out line"
echo "err line" >&2
touch "$1/loud.ran"
exec sleep 1000
EOF2
unit loud <<YAML
exec: sh $T/loud.sh $T
test: sh -c "echo test-out; echo test-err >&2"
log: stdout
YAML
for mode in ring none; do
	script "q$mode" <<'EOF2'
echo "quiet-out $2"
echo "quiet-err $2" >&2
touch "$1/q$2.ran"
exec sleep 1000
EOF2
	unit "q$mode" <<YAML
exec: sh $T/q$mode.sh $T $mode
test: sh -c "echo quiet-test-out; echo quiet-test-err >&2"
log: $mode
YAML
done
script partial <<'EOF2'
printf abc
sleep 0.5
printf 'def\r\n'
touch "$1/partial.done"
exec sleep 1000
EOF2
unit partial <<YAML
exec: sh $T/partial.sh $T
log: stdout
YAML
script nonl <<'EOF2'
printf 'first\nno-newline-out'
printf 'no-newline-err' >&2
EOF2
unit nonl <<YAML
exec: sh $T/nonl.sh $T
log: stdout
oneshot: true
YAML
script utf8 <<'EOF2'
trap 'exit 0' TERM
printf '\377\n'
printf 'caf\303 \200\376x\n' >&2
sleep 0.3
echo ok
touch "$1/utf8.marker"
while :; do sleep 0.05; done
EOF2
unit utf8 <<YAML
exec: sh $T/utf8.sh $T
log: stdout
YAML

start_zinit
wait_line '^zinit: INFO loud is ready'
wait_line '^\[\+\] loud: out line$'
wait_line '^\[-\] loud: err line$' "$T/err"
wait_line '^\[\+\] loud/test: test-out$'
wait_line '^\[-\] loud/test: test-err$' "$T/err"
wait_line '^zinit: INFO qring is ready'
wait_line '^zinit: INFO qnone is ready'
wait_file "$T/qring.ran"
wait_file "$T/qnone.ran"
wait_file "$T/partial.done"
wait_line '^\[\+\] partial: abcdef$'
wait_line '^zinit: INFO oneshot nonl succeeded'
wait_line '^\[\+\] utf8: ok$'
wait_file "$T/utf8.marker"

# stderr lines never reach stdout and vice versa
assert_no_line 'err line|test-err' "$T/out"
assert_no_line 'out line|test-out' "$T/err"
# the partial line came out once, whole, without the \r
assert_eq "$(count_lines '^\[\+\] partial: ' "$T/out")" 1 "partial lines"
assert_eq "$(grep -c $'\r' "$T/out")" 0 "lines with a carriage return"
# a last line without newline is emitted when the service exits
assert_line '^\[\+\] nonl: first$'
assert_line '^\[\+\] nonl: no-newline-out$'
wait_line '^\[-\] nonl: no-newline-err$' "$T/err"
# invalid UTF-8 passes through byte for byte
grep -q -a -x $'\\[+\\] utf8: \377' "$T/out" || fail "the line holding byte 0xff is not on stdout"
grep -q -a -x $'\\[-\\] utf8: caf\303 \200\376x' "$T/err" || fail "the invalid UTF-8 stderr line"
# log: ring and log: none: nothing of theirs anywhere (not even their tests')
assert_no_line 'quiet' "$T/out"
assert_no_line 'quiet' "$T/err"
assert_no_line '^\[.\] q(ring|none)'
# every line of stdout is either zinit's or a prefixed line of a log: stdout unit
bad=$(grep -a -c -v -E '^(zinit: |\[\+\] (loud|loud/test|partial|nonl|utf8): )' "$T/out")
assert_eq "$bad" 0 "stdout lines with an unexpected prefix"
bad=$(grep -a -c -v -E '^\[-\] (loud|loud/test|nonl|utf8): ' "$T/err")
assert_eq "$bad" 0 "stderr lines with an unexpected prefix"

# utf8 kept running: no exit, no restart, and it still answers SIGTERM in the drain
zinit_alive || fail "zinit died"
assert_no_line '^zinit: INFO utf8 (exited|stopped)'
assert_eq "$(count_lines '^zinit: INFO utf8 started')" 1 "utf8 starts"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_line '^zinit: INFO utf8 stopped: exit status 0'
