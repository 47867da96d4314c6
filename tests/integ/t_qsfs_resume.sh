# wait-hooks started or stopped while zdb runs on (zinit restarts wait_hooks alone after a
# crash, an OOM kill, `zinit restart wait_hooks`): a stop during its resume drains what zdb
# wrote meanwhile, within QSFS_DRAIN_TIMEOUT of the signal even when nothing can be stored; with zdb holding its .lockfile the resume
# leaves zdb's live files to the stop's drain; and while running a zstor check has
# QSFS_STORE_TIMEOUT of its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"
monitor_start
export QSFS_CLOSING_GRACE_MS=0 # no namespace-closing jobs to wait for: no zdb here

# ---- a stop during the resume of a wait-hooks that zinit restarted while zdb ran on (a crash,
# `zinit restart wait_hooks`): what zdb wrote meanwhile is drained too, not left for the next
# start. A store takes 1 s, so the resume of the files rewritten here lasts several seconds
knobs store_delay_ms=1000
bytes 100 >"$I/zdb-namespace" # a namespace the restore can start zdb on (t_qsfs_restore_lost)
for k in 0 1 2 3 4 5; do bytes 3000 >"$D/d$k"; done
"$ZINIT" wait-hooks >"$T/wh5.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: resume 0/[0-9]+ files' "$T/wh5.out" 60
bytes 3000 >"$D/d9" # zdb rolled over to d9, and appended to i0
bytes 3000 >>"$I/i0"
kill -TERM "$wh"
wh_exit "$wh" "$T/wh5.out" 0
same_remote "$D/d0" "$D/d5" "$D/d9" "$I/i0" || fail "what zdb wrote during the resume has no remote copy"
assert_line '^wait_hooks: stopped before zdb was allowed to start: draining' "$T/wh5.out"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$T/wh5.out"

# ---- a stop during a resume that cannot finish (zstor refusing every store): the resume ends
# at the signal, and the stop's drain has QSFS_DRAIN_TIMEOUT from the signal. The resume went
# on to its own deadline and the drain had a whole one after it: twice the timeout, past the
# unit's shutdown_timeout, so zinit SIGKILLed wait_hooks before it journaled what was left.
knobs 'fail=*'
for k in 0 1; do bytes 3000 >"$D/d$k"; done
limit=$((6 * SCALE))
QSFS_DRAIN_TIMEOUT=$limit "$ZINIT" wait-hooks >"$T/wh6.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: resume 0/[0-9]+ files' "$T/wh6.out" 60
t0=$(date +%s%N)
kill -TERM "$wh"
wh_exit "$wh" "$T/wh6.out" 1
ms=$((($(date +%s%N) - t0) / 1000000))
assert_no_line '^wait_hooks: resume gave up' "$T/wh6.out"
assert_line '^wait_hooks: drain gave up at its deadline' "$T/wh6.out"
[ "$ms" -lt $((limit * 1500)) ] || fail "wait-hooks exited $ms ms after the signal ($limit s drain deadline)"
# the next start finishes that stop, zstor back
knobs
QSFS_DRAIN_TIMEOUT=$limit start_and_drain "$T/wh6b.out" 0
same_remote "$D/d0" "$D/d1" || fail "the next start did not finish the stop"

# ---- wait-hooks restarted while zdb runs on (zdb holds index/.lockfile; d0 is its live file,
# written all the time): the resume leaves the live files to the stop's drain, which runs once
# zdb is gone. A resume that swept them could never verify d0, and gave up at its deadline
# without ever letting zdb's hooks be uploaded
(exec 9>"$H/index/.lockfile" && flock -x 9 && exec sleep 600) & # zdb's lock, held until killed
locker=$!
wait_until 10 eval 'grep -q " FLOCK .*:$(stat -c %i "$H/index/.lockfile" 2>/dev/null) " /proc/locks' ||
	fail "zdb's lock was not taken"
(while :; do bytes 100 >>"$D/d0"; sleep 0.05; done) &
writer=$!
knobs store_delay_ms=300 # d0 always changes between its hash and zstor's check
# ready before the resume's deadline, without a sweep; then zdb stops
ready_then_zdb_stops() {
	assert_line "^wait_hooks: zdb is running \\($H/index/\\.lockfile is locked\\)" "$T/wh7.out"
	assert_no_line 'gave up' "$T/wh7.out"
	kill "$writer" "$locker"
	wait "$writer" "$locker" 2>/dev/null
}
QSFS_DRAIN_TIMEOUT=5 start_and_drain "$T/wh7.out" 0 ready_then_zdb_stops
same_remote "$D/d0" || fail "zdb's live file has no copy after the stop's drain"

# ---- while zdb runs, a zstor check has QSFS_STORE_TIMEOUT of its own, whatever its store
# took: a 3 s store and a 3 s check with a 5 s timeout (the check got what the store had left,
# was killed, and the file was stored again and again)
knobs store_delay_ms=3000 check_delay_ms=3000
verified_while_running() {
	bytes 3000 >"$D/d8"
	"$HOOK" jump-data tcp://:::9900 "$D/d8" "$D/d10" || fail "jump-data hook"
	wait_until 30 grep -q " $D/d8\$" "$H/state/manifest" ||
		fail "d8 was not verified while running: $(cat "$T/wh8.out")"
	same_remote "$D/d8" || fail "d8's remote copy differs"
	assert_no_line 'no answer' "$T/wh8.out"
}
QSFS_STORE_TIMEOUT=5 start_and_drain "$T/wh8.out" 0 verified_while_running

# ---- a stop that comes during a long zstor call (a store of 3 x the drain's deadline, while
# running): it is noticed then, not when the call returns, and that store is cut at the drain's
# deadline: wait-hooks ends QSFS_DRAIN_TIMEOUT after the signal (it read the signal only after
# the store, then gave the drain a whole deadline)
knobs store_delay_ms=$((limit * 3000))
QSFS_DRAIN_TIMEOUT=$limit "$ZINIT" wait-hooks >"$T/wh9.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: ready: zdb may start' "$T/wh9.out" 60
bytes 3000 >"$D/d11"
"$HOOK" jump-data tcp://:::9900 "$D/d11" "$D/d12" || fail "jump-data hook"
wait_until 30 grep -q "QUEUED .* store file=.*d11 " "$MLOG" || fail "d11's store never started"
t0=$(date +%s%N)
kill -TERM "$wh"
wh_exit "$wh" "$T/wh9.out" 1
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt $((limit * 1500)) ] || fail "wait-hooks exited $ms ms after a signal during a store ($limit s drain deadline)"
assert_line '^wait_hooks: drain gave up at its deadline' "$T/wh9.out"
knobs
