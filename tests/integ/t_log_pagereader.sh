# A reader that takes zinit's stdout one page at a time, as Docker's containerd-shim does (4 KiB
# per read, from a pipe zinit keeps full): zinit must not answer every page with a wake-up and a
# write of its own. When the pipe wakes it with little room, it waits a moment and writes what
# was read meanwhile in one go (output.c, OUTPUT_SETTLE_MS): here at most half as many writes
# as the reader's reads (one write per read before). No line is lost or mangled.
. "$(dirname "$0")/lib.sh"

N=100000
unit flood <<YAML
exec: sh -c "while [ ! -e $T/go ]; do sleep 0.02; done; seq -f 'flood %08g xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' 1 $N; exec sleep 100000"
log: stdout
YAML

mkfifo "$T/fifo"
page_reader "$T/fifo" "$T/out"
ZINIT_STDOUT=$T/fifo start_zinit
wait_until 10 eval 'zctl list 2>/dev/null | grep -q "^flood: Running$"' || fail "flood not Running"

# system calls of zinit and of the reader (/proc/PID/io) over the flood
syscalls() { sed -n "s/^$2: //p" "/proc/$1/io"; }
zw0=$(syscalls "$ZPID" syscw)
rr0=$(syscalls "$RPID" syscr)
t0=$(date +%s%N)
touch "$T/go"
wait_until 120 eval "grep -a -q -E '^\[\+\] flood: flood $(printf %08d $N) x{64}\$' '$T/out'" ||
	fail "the last line never reached the reader"
us=$((($(date +%s%N) - t0) / 1000))
zinit_writes=$(($(syscalls "$ZPID" syscw) - zw0))
reader_reads=$(($(syscalls "$RPID" syscr) - rr0))
echo "zinit: $zinit_writes writes; the reader: $reader_reads reads of 4 KiB at most, $((us / reader_reads)) us apart"
[ "$reader_reads" -ge $((N * 90 / 4096)) ] || fail "the reader took more than a page at a time ($reader_reads reads)"
# The bound holds while the reader takes a page well within zinit's 1 ms settle (0.35 ms
# apart when the machine is idle); a reader slowed to a page per ms or more by a loaded machine
# frees a page per settle, and only "never more writes than reads" can be asked then.
if [ $((us / reader_reads)) -le 600 ]; then
	[ $((zinit_writes * 2)) -le "$reader_reads" ] ||
		fail "zinit wrote $zinit_writes times for $reader_reads page reads: a write per page"
else
	[ "$zinit_writes" -le "$reader_reads" ] ||
		fail "zinit wrote $zinit_writes times for $reader_reads page reads of a slow reader"
fi

lines=$(grep -a -c -E '^\[\+\] flood: flood [0-9]{8} x{64}$' "$T/out")
assert_eq "$lines" "$N" "whole flood lines on stdout"
grep -a '^\[+\] flood: ' "$T/out" | cut -d' ' -f4 >"$T/flood.seq"
seq -f '%08g' 1 "$N" | cmp -s - "$T/flood.seq" || fail "flood's lines missing, repeated or reordered"
