# zinit's stdout and stderr on one pipe (`zinit init 2>&1 | reader`) or one terminal (`docker
# run -t`), read slowly: a service's stdout lines and stderr lines, each written whole, never
# meet inside one line. With a queue per stream, a write of one stream after a short write of
# the other put its lines into the middle of a line. Every line arrives whole, in its stream's
# order.
. "$(dirname "$0")/lib.sh"

N=1500
unit mix <<YAML
exec: sh -c "while [ ! -e $T/go ]; do sleep 0.02; done; a=\$(printf '%3000s' | tr ' ' A); b=\$(printf '%3000s' | tr ' ' B); i=0; while [ \$i -lt $N ]; do i=\$((i + 1)); echo \"\$i \$a\"; echo \"\$i \$b\" >&2; done; exec sleep 100000"
log: stdout
YAML

mkfifo "$T/fifo"
page_reader "$T/fifo" "$T/merged"
ZINIT_STDOUT=$T/fifo ZINIT_STDERR=$T/fifo start_zinit
wait_until 10 eval 'zctl list 2>/dev/null | grep -q "^mix: Running$"' || fail "mix not Running"
touch "$T/go"
# whole STREAM LETTER: the lines of that stream with exactly 3000 of its letter
whole() { awk -v s="[$1]" -v re="^$2+\$" '$1 == s && $2 == "mix:" && $4 ~ re && length($4) == 3000 && NF == 4 { n++ } END { print n + 0 }' "$T/merged"; }
# (whole last lines: the reader writes what it read, which can end inside a line)
wait_until 120 eval "grep -a -q -E '^\[-\] mix: $N B{3000}\$' '$T/merged' && grep -a -q -E '^\[\+\] mix: $N A{3000}\$' '$T/merged'" ||
	fail "the last lines never reached the reader"
mixed=$(grep -a -c -E 'mix: .*mix: ' "$T/merged")
assert_eq "$mixed" 0 "lines holding two lines"
assert_eq "$(whole + A)" "$N" "whole stdout lines"
assert_eq "$(whole - B)" "$N" "whole stderr lines"
grep -a '^\[+\] mix: ' "$T/merged" | cut -d' ' -f3 >"$T/a.seq"
seq 1 "$N" | cmp -s - "$T/a.seq" || fail "stdout's lines missing, repeated or reordered"
grep -a '^\[-\] mix: ' "$T/merged" | cut -d' ' -f3 >"$T/b.seq"
seq 1 "$N" | cmp -s - "$T/b.seq" || fail "stderr's lines missing, repeated or reordered"
