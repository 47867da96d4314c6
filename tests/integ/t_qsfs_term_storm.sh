# A stop signal to wait_hooks' process group must never kill one of its zstor children. Each
# child leaves the group first thing after fork(); one signalled before that has the signal
# pending, blocked (wait_hooks blocks SIGTERM for its signalfd), and must discard it, not die
# of it once it unblocks. One SIGTERM hitting that window killed a restore's `zstor check`
# in CI (t_qsfs_reg_term_during_init under ASan); here a loop sends SIGTERM after SIGTERM to
# the group while the drain forks a store and a check for each of 120 files, so that the
# window is hit: the build before the fix lost 50-80 stores so, every run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"
export QSFS_CLOSING_GRACE_MS=0

setsid "$ZINIT" wait-hooks >"$T/wh.out" 2>&1 & # its own group (no fork: not a group leader)
WH=$!
wait_line '^wait_hooks: ready: zdb may start' "$T/wh.out" 60
files=() # written after the start's sweep: the drain stores and checks each one
for k in $(seq 0 59); do files+=("$D/d$k" "$I/i$k"); done
for f in "${files[@]}"; do bytes 2000 >"$f"; done
assert_eq "$(awk '{ print $5 }' "/proc/$WH/stat")" "$WH" "wait-hooks' process group"
# storm: SIGTERM to the group as fast as a loop can send it, until the group is gone
storm() { exec python3 -c 'import os, sys
while True: os.killpg(int(sys.argv[1]), 15)' "$WH" 2>/dev/null; }
storm &
wait_until 60 eval "! kill -0 $WH 2>/dev/null || grep -q 'killed by signal' '$T/wh.out'" ||
	fail "wait-hooks did not exit: $(grep -v "SIGTERM again" "$T/wh.out" | tail -n 5)"
assert_no_line 'killed by signal' "$T/wh.out"
wait "$WH"
assert_eq "$?" 0 "wait-hooks' exit status under a storm of SIGTERMs"
assert_line '^wait_hooks: SIGTERM again: ignored, the drain goes on' "$T/wh.out"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh.out"
same_remote "${files[@]}" || fail "not every file has its remote copy"
