# The window t_qsfs_term_storm hits by chance, made certain: sigwindow.py (ptrace) stops each
# zstor child of wait_hooks before its first instruction and sends it SIGTERM there, as a stop
# signal to wait_hooks' group would between fork() and the child's setpgid(). The signal is
# pending, blocked (wait_hooks blocks SIGTERM for its signalfd); the child must discard it,
# not die of it: every store and check of the drain succeeds on its first try.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"
export QSFS_CLOSING_GRACE_MS=0
SIGWINDOW=$(dirname "$0")/sigwindow.py

setsid "$ZINIT" wait-hooks >"$T/wh.out" 2>&1 &
WH=$!
wait_line '^wait_hooks: ready: zdb may start' "$T/wh.out" 60
files=("$D/d0" "$D/d1" "$I/i0" "$I/i1") # written after the start's sweep: the drain stores them
for f in "${files[@]}"; do bytes 3000 >"$f"; done
python3 "$SIGWINDOW" "$WH" TERM 8 >"$T/sw.out" 2>&1 &
SW=$!
wait_line '^attached$' "$T/sw.out" 20
kill -TERM "$WH"
wait_until 60 eval '! kill -0 $WH 2>/dev/null' || fail "wait-hooks did not exit: $(tail -n 5 "$T/wh.out")"
wait "$WH"
assert_eq "$?" 0 "wait-hooks' exit status"
wait "$SW" || fail "sigwindow: $(cat "$T/sw.out")"
assert_eq "$(grep -c '^signalled' "$T/sw.out")" 8 "zstor children signalled"
assert_no_line 'killed by signal' "$T/wh.out"
assert_no_line 'retrying' "$T/wh.out"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh.out"
same_remote "${files[@]}" || fail "not every file has its remote copy"
