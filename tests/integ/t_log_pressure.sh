# Back-pressure: zinit's stdout is a FIFO nobody reads. A `log: stdout` service writing ~5 MB gets
# blocked (zinit buffers a bounded amount, ~1 MiB, and stops reading its pipe) while SIGTERM, the
# stop signals and reaping still work (a second service records its SIGTERM); once a reader
# appears every line arrives, none lost, and zinit exits 0.
# A child that exits while its stream is paused gives its pipe back at once: its lines go to
# the ring (and stdout, up to 2 MiB pending), so a service restarting while stdout is stuck
# does not pile up pipes in PID 1 (each restart kept two until stdout drained); a child's
# descendant flooding its pipe after it exited gets what stdout cannot take dropped and
# counted, in the ring only.
. "$(dirname "$0")/lib.sh"

CATPID=
trap '[ -n "$CATPID" ] && kill "$CATPID" 2>/dev/null; cleanup' EXIT

# big: 100 chunks of 1000 lines "big NNNNNN <pad>" (~4.6 MB in all); ignores SIGTERM (so does
# seq) and records after each chunk how many chunks it has handed to its pipe
cat >"$T/big.sh" <<'EOF2'
trap '' TERM
i=0
while [ $i -lt 100 ]; do
	seq -f 'big %06g xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' $((i * 1000 + 1)) $((i * 1000 + 1000))
	i=$((i + 1))
	echo $i >"$1/big.progress.tmp"
	mv "$1/big.progress.tmp" "$1/big.progress"
done
touch "$1/big.done"
EOF2
unit big <<YAML
exec: sh $T/big.sh $T
log: stdout
shutdown_timeout: 300
YAML
echo 0 >"$T/blip.n"
unit blip <<YAML
exec: sh -c 'n=\$((\$(cat $T/blip.n) + 1)); echo \$n >$T/blip.n; echo "blip \$n"; exec sleep 1000'
log: stdout
YAML
unit rec <<YAML
exec: sh -c "trap 'touch $T/rec.term; exit 0' TERM; touch $T/rec.up; while :; do sleep 0.05; done"
log: stdout
YAML

# like start_zinit, with zinit's stdout on the FIFO $T/fifo
start_fifo_zinit() {
	if [ "$MODE" = pid1 ]; then
		unshare --pid --fork --mount-proc "$ZINIT" -s "$S" init -c "$D" --container \
			>"$T/fifo" 2>"$T/err" </dev/null 3<&- &
		UPID=$!
		wait_until 10 eval '[ -n "$(find_child)" ]' || fail "zinit did not start under unshare"
		ZPID=$(find_child)
	else
		"$ZINIT" -s "$S" init -c "$D" --container >"$T/fifo" 2>"$T/err" </dev/null 3<&- &
		UPID=$!
		ZPID=$UPID
	fi
}
progress() { cat "$T/big.progress" 2>/dev/null || echo 0; }
progress_at_least() { [ "$(progress)" -ge "$1" ]; }

mkfifo "$T/fifo"
exec 3<>"$T/fifo" # holds the FIFO open for reading, never reads: zinit's open does not block
start_fifo_zinit
wait_file "$T/rec.up"
wait_until 10 progress_at_least 10 || fail "big never got going (progress $(progress))"
# big runs into the full pipe: its seq ends up asleep in the kernel's pipe write
big_blocked() {
	local p
	for p in $(pgrep -f '^seq -f big'); do
		case $(cat "/proc/$p/wchan" 2>/dev/null) in *pipe_write*) return 0 ;; esac
	done
	return 1
}
wait_until 20 big_blocked || fail "big never blocked on its full pipe (progress $(progress))"
p=$(progress)
# ~2.6 MB fit in the FIFO (grown to 1 MiB by zinit), zinit's queue (64 KiB, overshot by at most
# one 256 KiB read), big's 1 MiB pipe and the read buffer: about 56 of the 100 chunks; unbounded,
# all 100 would get through
[ "$p" -lt 92 ] || fail "big wrote $p of 100 chunks into a stuck stdout: zinit's buffer is unbounded"

# blip restarted 5 times while its streams are paused: no pipe kept, its lines in the ring.
# fds0 counts run 1's two pipes (stdout, stderr): once blip is stopped, and its last run's
# pipes read to their end, zinit holds two descriptors fewer (one run's pair kept is a leak)
fds() { find "/proc/$ZPID/fd" -mindepth 1 | wc -l; }
fds0=$(fds)
for i in 2 3 4 5 6; do
	zctl restart blip || fail "restart blip"
	wait_until 10 eval '[ "$(cat "$T/blip.n")" = $i ]' || fail "blip's run $i did not start"
done
zctl stop blip || fail "stop blip"
wait_until 10 eval '[ "$(fds)" -le $((fds0 - 2)) ]' ||
	fail "zinit holds $(fds) descriptors after 5 restarts and a stop of blip while stdout is stuck, $fds0 before (with run 1's pipes)"
# (run 1's line went before, in big's flood)
wait_until 10 eval '[ "$(zctl log -s blip | tr "\n" " ")" = "$(seq -f "[+] blip: blip %g" 2 6 | tr "\n" " ")" ]' ||
	fail "the lines of blip's exited runs are not in the ring: $(zctl log -s blip | tr '\n' ' ')"
# flood's main process exits at once, its seq writes 4.5 MB on: read on, 2 MiB go to the
# queue of the stuck stdout, the rest to the ring only (zinit's RSS stays small)
unit flood <<YAML
exec: sh -c "seq -f 'flood %07g' 1 300000 & exit 0"
oneshot: true
log: stdout
YAML
zctl monitor flood || fail "monitor flood"
wait_until 30 eval 'zctl log -s flood | tail -n 1 | grep -qx "\[+\] flood: flood 0300000"' ||
	fail "flood's last line never reached the ring"
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$ZPID/status")
[ -n "${SANITIZED:-}" ] || [ "$rss" -lt 20000 ] || fail "zinit's RSS is $rss kB after flood"

kill -TERM "$ZPID"
wait_file "$T/rec.term" # SIGTERM handled and rec signalled while stdout is stuck
# rec reaped too (not left a zombie): zinit's only child left is big (pgrep lists zombies too)
one_child() { [ "$(pgrep -P "$ZPID" | wc -l)" -eq 1 ]; }
wait_until 10 one_child || fail "rec not reaped while stdout is stuck: $(pgrep -P "$ZPID" | tr '\n' ' ')"
p=$(progress)
[ "$p" -lt 92 ] && [ ! -e "$T/big.done" ] || fail "stdout was not stuck after all"
zinit_alive || fail "zinit exited while big was still writing"

# now read
cat <"$T/fifo" >"$T/out" 3<&- &
CATPID=$!
# close our end only once cat holds the FIFO: with no reader at all zinit's writes would fail
# (EPIPE) and it would rightly give up what it holds
reading() { [ "$(readlink "/proc/$CATPID/fd/0")" = "$T/fifo" ]; }
wait_until 10 reading || fail "the FIFO reader did not start"
exec 3<&-
wait_exit 60
assert_eq "$STATUS" 0 "exit status"
wait_until 10 eval '! kill -0 $CATPID 2>/dev/null' || fail "the FIFO reader never saw EOF"
CATPID=

[ -e "$T/big.done" ] || fail "big did not finish"
assert_line '^zinit: INFO shutting down \(SIGTERM\)'
assert_line '^zinit: INFO rec stopped: exit status 0'
assert_line '^zinit: INFO big stopped: exit status 0'
assert_line '^zinit: INFO drain complete in [0-9.]+s: exiting with status 0$'
assert_no_line 'zinit messages dropped'
n=$(sed -n 's/^zinit: WARN flood: \([0-9]*\) lines of its output dropped from stdout, stuck after it exited (they went to the ring only)$/\1/p' "$T/out")
[ -n "$n" ] || fail "no WARN counting flood's dropped lines"
assert_eq "$(($(count_lines '^\[\+\] flood: flood [0-9]{7}$') + n))" 300000 "flood's lines written plus those counted"
grep -a '^\[+\] flood: ' "$T/out" | cut -d' ' -f4 >"$T/flood.seq"
seq -f '%07g' 1 "$(wc -l <"$T/flood.seq")" | cmp -s - "$T/flood.seq" || fail "flood's lines on stdout not its first ones, in order"
grep -a '^\[+\] blip: ' "$T/out" | cut -d' ' -f4 | tr '\n' ' ' >"$T/blip.seq"
assert_eq "$(cat "$T/blip.seq")" "$(seq 1 6 | tr '\n' ' ')" "blip's lines on stdout"
# the drain start and rec's exit were handled while stdout was stuck: they come before the
# first line of chunk p+2, which big could only write once the reader had appeared
after=$(line_no "^\\[\\+\\] big: big $(printf %06d $(((p + 1) * 1000 + 1))) ")
for l in 'shutting down' 'stopping rec:' 'rec stopped:'; do
	n=$(line_no "^zinit: INFO $l")
	[ "$n" -gt 0 ] && [ "$n" -lt "$after" ] || fail "'$l' logged at line $n, after the reader came (line $after)"
done
# every line of big arrived, whole, once, in order
bad=$(grep -a -v -E '^zinit: |^\[\+\] (blip|flood): ' "$T/out" | grep -a -c -v -E '^\[\+\] big: big [0-9]{6} x{35}$')
assert_eq "$bad" 0 "mangled or foreign lines"
grep -a '^\[+\] big: ' "$T/out" | cut -d' ' -f4 >"$T/big.seq"
assert_eq "$(wc -l <"$T/big.seq" | tr -d ' ')" 100000 "lines of big"
seq -f '%06g' 1 100000 | cmp -s - "$T/big.seq" || fail "big's lines missing, repeated or reordered"
