# A log answer as big as the ring, to a client that reads it only as it comes: the line
# protocol's `log snapshot` (raw lines) and `zinit log -s` (JSON-RPC) give every line the ring
# holds. The first dropped what passed 256 KiB unread, as from a lagging follower, and said
# nothing; the second disconnected the client once 4 MiB were unread: the JSON of a ring of
# ESC bytes is 6 times the ring. `zinit log` (follow), which asks for the ring and the
# subscription at once, was disconnected when the subscription's answer came behind the 6 MB
# of the ring's, and printed nothing with exit status 0: it shows the ring, then new lines.
. "$(dirname "$0")/lib.sh"

# 1,900 lines of 520 bytes: the ring's 1 MiB is full
unit big <<YAML
exec: sh -c "x=\$(printf '%512s' | tr ' ' x); i=0; while [ \$i -lt 1900 ]; do i=\$((i + 1)); printf 'big %04d %s\n' \$i \"\$x\"; done; echo big-done; exec sleep 1000"
YAML
start_zinit
wait_until 20 eval 'zctl log -s 2>/dev/null | grep -q "big-done"' || fail "big never printed all its lines"
zctl log -s >"$T/json.log" || fail "zinit log -s failed"
sc "$S" 's:log snapshot\n' eof >"$T/line.log" || fail "no answer then EOF to 'log snapshot'"
n=$(grep -c '^\[+\] big: big [0-9]' "$T/json.log")
[ "$n" -ge 1500 ] || fail "the ring holds only $n of big's lines"
assert_eq "$(grep -c '^\[+\] big: big [0-9]' "$T/line.log")" "$n" "log snapshot's lines of big"
grep -q '^\[+\] big: big-done$' "$T/line.log" || fail "log snapshot lacks the last line"
grep -q 'dropped' "$T/line.log" && fail "log snapshot dropped lines: $(grep dropped "$T/line.log")"
stop_zinit TERM

# 1,000 lines of 1,000 ESC bytes: 1 MB in the ring, 6 MB of JSON
new_instance
unit esc <<YAML
exec: sh -c "x=\$(printf '%1000s' | tr ' ' '\\\\033'); i=0; while [ \$i -lt 1000 ]; do i=\$((i + 1)); echo \"\$x\"; done; echo esc-done; while ! test -e $T/more; do sleep 0.05; done; echo esc-later; exec sleep 1000"
YAML
start_zinit --buffer-bytes 2000000
wait_until 20 eval 'zctl log -s 2>/dev/null | grep -q "esc-done"' || fail "esc never printed all its lines"
zctl log -s >"$T/esc.log" 2>"$T/esc.err" || fail "zinit log -s of a ring of ESC bytes failed: $(cat "$T/esc.err")"
assert_eq "$(grep -c '^\[+\] esc: .\{1000\}$' "$T/esc.log")" 1000 "lines of esc in zinit log -s"
assert_no_line 'not reading its answers'

# follow mode, unfiltered and filtered: the whole ring, then a new line
has_all() { [ "$(grep -c '^\[+\] esc: .\{1000\}$' "$1")" = 1000 ] && grep -q '^\[+\] esc: esc-done$' "$1"; }
"$ZINIT" -s "$S" log >"$T/follow.out" 2>"$T/follow.err" &
FA=$!
"$ZINIT" -s "$S" log esc >"$T/follow-esc.out" 2>"$T/follow-esc.err" &
FE=$!
wait_until 20 has_all "$T/follow.out" ||
	fail "zinit log did not print the ring: $(wc -l <"$T/follow.out") lines, $(cat "$T/follow.err")"
wait_until 20 has_all "$T/follow-esc.out" ||
	fail "zinit log esc did not print the ring: $(wc -l <"$T/follow-esc.out") lines, $(cat "$T/follow-esc.err")"
touch "$T/more"
wait_until 10 grep -q '^\[+\] esc: esc-later$' "$T/follow.out" || fail "zinit log missed a new line"
wait_until 10 grep -q '^\[+\] esc: esc-later$' "$T/follow-esc.out" || fail "zinit log esc missed a new line"
kill -0 "$FA" 2>/dev/null && kill -0 "$FE" 2>/dev/null || fail "a follower ended on its own"
assert_no_line 'not reading its answers'
assert_eq "$(cat "$T/follow.err" "$T/follow-esc.err")" "" "the followers' stderr"

# zinit exiting ends a follower: zinit ends the subscription, and the CLI exits 0, silently
# (an EOF without that end is an error: t_cli_log)
stop_zinit TERM
wait_until 10 gone "$FA" || fail "zinit log did not end when zinit exited"
wait "$FA"
assert_eq "$?" 0 "zinit log's status when zinit exits"
assert_eq "$(cat "$T/follow.err")" "" "zinit log's stderr when zinit exits"
