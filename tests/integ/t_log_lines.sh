# Line integrity with `log: stdout`: a 200000-byte line is cut into pieces of 65536, 65536, 65536
# and 3392 bytes, each prefixed, no byte lost; 4 services writing 20000 lines each at the same
# time never interleave within a line and no line is lost or repeated.
. "$(dirname "$0")/lib.sh"

# 200000 bytes without a newline, deterministic
seq 1 50000 | tr -d '\n' | head -c 200000 >"$T/long.bin"
assert_eq "$(wc -c <"$T/long.bin" | tr -d ' ')" 200000 "payload size"
unit long <<YAML
exec: sh -c "cat $T/long.bin; sleep 0.2; printf '\\\\n'"
log: stdout
oneshot: true
YAML
# wN: waits for $T/go, then prints "wN 000001 <80 times a letter>" ... "wN 020000 ..."
for i in 1 2 3 4; do
	letter=$(echo abcd | cut -c$i)
	pad=$(printf "%080d" 0 | tr 0 "$letter")
	unit "w$i" <<YAML
exec: sh -c "while [ ! -e $T/go ]; do sleep 0.02; done; seq -f 'w$i %06g $pad' 1 20000"
log: stdout
oneshot: true
YAML
done

start_zinit
for i in 1 2 3 4; do wait_line "^zinit: INFO w$i started"; done
touch "$T/go"
for i in 1 2 3 4; do wait_line "^zinit: INFO oneshot w$i succeeded" "$T/out" 30; done
wait_line '^zinit: INFO oneshot long succeeded'
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"

# the long line: 4 prefixed pieces of the exact sizes, together the original bytes
grep -a '^\[+\] long: ' "$T/out" | cut -c 11- >"$T/long.pieces"
assert_eq "$(awk '{ printf "%d ", length($0) }' "$T/long.pieces")" "65536 65536 65536 3392 " \
	"piece sizes"
tr -d '\n' <"$T/long.pieces" | cmp -s - "$T/long.bin" || fail "the pieces differ from the line"

# every stdout line is whole: zinit's own, a long piece, or an exact wN line
bad=$(grep -a -v -E '^(zinit: |\[\+\] long: )' "$T/out" |
	grep -a -c -v -E '^\[\+\] (w1: w1 [0-9]{6} a{80}|w2: w2 [0-9]{6} b{80}|w3: w3 [0-9]{6} c{80}|w4: w4 [0-9]{6} d{80})$')
assert_eq "$bad" 0 "mangled lines on stdout"
# per service: exactly 1..20000, in order
for i in 1 2 3 4; do
	grep -a "^\[+\] w$i: " "$T/out" | cut -d' ' -f4 >"$T/w$i.seq"
	assert_eq "$(wc -l <"$T/w$i.seq" | tr -d ' ')" 20000 "lines of w$i"
	seq -f '%06g' 1 20000 | cmp -s - "$T/w$i.seq" || fail "w$i lines missing, repeated or reordered"
done
