# SPDX-License-Identifier: MIT
# A missing-data retrieve that outlasts QSFS_RETRIEVE_TIMEOUT: the hook kills its zstor CLI and
# fails, but zstor's monitor runs the retrieve itself and finishes it for nobody, so the file
# appears after the hook gave up on it: cut short (the monitor killed at the container's grace
# limit, a full disk) or whole. Its intent is kept: the drain removes the file instead of
# storing it over the good remote copy, a sweep never uploads it, the next missing-data fetches
# it again instead of taking it as local, and the next start removes file and intent once
# zstor answers. Here the monitor's one worker is held by a store waiting at a gate, with the
# retrieve queued behind it; the gate opens after the hook's 1 s timeout. Then: intents naming
# paths outside the index and data directories are ignored; a start whose zstor check gets no
# answer keeps the intents; a retrieve still running (its intent locked) is left alone and
# waited for, and a stop ends the restore's wait for it; the restore fetches again a file a
# given-up intent names.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"

monitor_start
for f in "$I/zdb-namespace" "$I/i0" "$I/i1" "$D/d1"; do bytes 2000 >"$f"; done
bytes 3000 >"$D/d0"
cp "$D/d0" "$T/d0.whole"
bytes 100 >"$T/blocker"
start_and_drain "$T/wh1.out" 0 # every file stored
same_remote "$D/d0" || fail "d0 not stored"

# block_monitor: the monitor's one worker held by a store of $T/blocker waiting at the gate
# $T/gate (its CLI's pid in $blocker) until unblock_monitor.
block_monitor() {
	local gates
	gates=$(count_lines "GATE store file=$T/blocker " "$MLOG")
	rm -f "$T/gate"
	knobs "gate=$T/gate"
	"$STANDINS/zstor" -c "$QSFS_ZSTOR_CONFIG" store -f "$T/blocker" &
	blocker=$!
	wait_until 10 eval '[ "$(count_lines "GATE store file=$T/blocker " "$MLOG")" -gt $gates ]' ||
		fail "the blocking store never reached the gate"
}
unblock_monitor() {
	touch "$T/gate"
	wait "$blocker" || fail "the blocking store failed"
}
# hold_hooks_lock: hooks.lock held shared, as by a hook of a previous zdb still running, until
# $T/unlock appears: a start keeps the leftovers of retrieves.
hold_hooks_lock() {
	rm -f "$T/locked" "$T/unlock"
	sh -c 'exec 9<"$3" && flock -s 9 && touch "$1" || exit 1
		while [ ! -e "$2" ]; do sleep 0.05; done' sh "$T/locked" "$T/unlock" "$H/state/hooks.lock" &
	wait_file "$T/locked"
}

# late_retrieve PARTIAL: missing-data of d0 gives up at its 1 s timeout, then the monitor
# writes d0 for nobody: its first half only (PARTIAL=1, as a monitor cut off) or all of it.
late_retrieve() {
	local retrieves
	retrieves=$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d0[: ]" "$MLOG")
	rm -f "$D/d0"
	block_monitor
	QSFS_RETRIEVE_TIMEOUT=1 "$HOOK" missing-data id "$D/d0" 2>"$T/hook.err"
	assert_eq "$?" 1 "missing-data past its timeout"
	assert_line 'zstor retrieve: no answer in 1 s, killed' "$T/hook.err"
	[ ! -e "$D/d0" ] || fail "d0 exists after the timeout"
	knobs "retrieve_partial=$1"
	unblock_monitor
	wait_until 10 eval '[ "$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d0[: ]" "$MLOG")" -gt $retrieves ]' ||
		fail "the monitor never ran the retrieve given up"
	knobs
	[ -f "$D/d0" ] || fail "the monitor did not write d0 late"
}
intents() { ls -A "$H/state/retrieve" 2>/dev/null | wc -l; }

# 1. a late short d0 while wait-hooks runs: the drain must not store it over the good copy
"$ZINIT" wait-hooks >"$T/wh2.out" 2>&1 &
wh=$!
wait_line '^wait_hooks: ready: zdb may start' "$T/wh2.out" 60
late_retrieve 1
assert_eq "$(stat -c %s "$D/d0")" 1500 "the late d0's size"
kill -TERM "$wh"
wh_exit "$wh" "$T/wh2.out" 0
assert_eq "$(b2 "$(remote "$D/d0")")" "$(b2 "$T/d0.whole")" "the remote d0 after the drain"
[ ! -e "$D/d0" ] || fail "the short d0 was kept as local"
assert_line '^wait_hooks: removed 1 partially retrieved file\(s\)$' "$T/wh2.out"
assert_eq "$(intents)" 1 "intents kept by the drain"

# 2. a start while a hook holds hooks.lock keeps the leftovers: its sweep must skip the short
# d0 under the intent; the drain then removes it, and keeps the intent
head -c 1500 "$T/d0.whole" >"$D/d0"
hold_hooks_lock
start_and_drain "$T/wh3.out" 0 eval 'touch "$T/unlock"'
assert_line '^wait_hooks: hooks still running; leftovers are kept for now$' "$T/wh3.out"
assert_eq "$(b2 "$(remote "$D/d0")")" "$(b2 "$T/d0.whole")" "the remote d0 after the resume's sweep"
[ ! -e "$D/d0" ] || fail "the short d0 was kept as local"

# 3. the start removes what zstor wrote late (here whole) and, as zstor answered a command sent
# after it, the intent
assert_eq "$(intents)" 1 "intents kept by the drains"
cp "$T/d0.whole" "$D/d0"
start_and_drain "$T/wh4.out" 0
assert_line '^wait_hooks: removed 1 partially retrieved file\(s\)$' "$T/wh4.out"
assert_eq "$(intents)" 0 "intents left after the start"
[ ! -e "$D/d0" ] || fail "d0 of a retrieve given up was kept as local"

# 4. a late short d0 is not taken as local by the next missing-data: fetched again, whole;
# the intents of the retrieves given up go with it
late_retrieve 1
"$HOOK" missing-data id "$D/d0" 2>"$T/hook.err"
assert_eq "$?" 0 "missing-data of a d0 left by a retrieve given up"
assert_eq "$(b2 "$D/d0")" "$(b2 "$T/d0.whole")" "d0 after missing-data"
assert_eq "$(intents)" 0 "intents left after a verified retrieve"


# 5. intents naming a path outside QSFS_INDEX_DIR and QSFS_DATA_DIR, or with a "..": the state
# volume may come from elsewhere, so neither a start nor a drain removes what they name
echo keep >"$T/victim"
echo keep >"$H/victim2"
craft() {
	printf '%s\n' "$T/victim" >"$H/state/retrieve/00000000000000000001-1"
	printf '%s\n' "$D/../../victim2" >"$H/state/retrieve/00000000000000000002-2"
}
craft
start_and_drain "$T/wh5.out" 0 craft
[ -f "$T/victim" ] && [ -f "$H/victim2" ] || fail "a file outside the namespaces was removed"
assert_eq "$(count_lines '^wait_hooks: 2 retrieve intent\(s\) name no path under QSFS_INDEX_DIR or QSFS_DATA_DIR' "$T/wh5.out")" 2 "intents ignored by the start and the drain"
rm -f "$H/state/retrieve"/*

# 6. a start when zstor does not answer (the CLI missing, then the monitor's worker busy past
# QSFS_RETRIEVE_TIMEOUT): the file under a given-up intent goes, the intent stays, said so
# (the restore then fails on its own zstor check)
given_up() {
	printf '%s\n' "$D/d0" >"$H/state/retrieve/00000000000000000003-3"
	head -c 1500 "$T/d0.whole" >"$D/d0"
}
start_fails() {
	"$ZINIT" wait-hooks >"$1" 2>&1 &
	wh_exit $! "$1" 1
	assert_line '^wait_hooks: restore of .* failed: ' "$1"
}
given_up
QSFS_ZSTOR=$T/no-zstor start_fails "$T/wh6.out"
assert_eq "$(intents)" 1 "intents kept when the zstor CLI cannot run"
assert_line '^wait_hooks: 1 retrieve intent\(s\) kept \(zstor did not answer: cannot run .*\): ' "$T/wh6.out"
[ ! -e "$D/d0" ] || fail "d0 of a retrieve given up was kept as local"
given_up
block_monitor # the check is queued behind it: no answer in time (an answer forgets the intent)
QSFS_RETRIEVE_TIMEOUT=1 start_fails "$T/wh7.out"
unblock_monitor
knobs
assert_eq "$(intents)" 1 "intents kept when zstor does not answer in time"
assert_line '^wait_hooks: 1 retrieve intent\(s\) kept \(zstor did not answer: zstor check: no answer in 1 s, killed\)' "$T/wh7.out"
[ ! -e "$D/d0" ] || fail "d0 of a retrieve given up was kept as local"
rm -f "$H/state/retrieve"/*

# 7. a retrieve still running (another process holds its intent locked): a start leaves it
# and its half-written d0 alone, and a journal upload of d0 is done without a store; a
# missing-data of d0 waits for it instead of removing d0 under it, then takes d0 as local
live="$H/state/retrieve/00000000000000000004-4"
# hold_live WHOLE FILE: a retrieve of FILE still running, as a process of its own holds it: the
# intent $live locked until $T/finish appears, then FILE written from WHOLE and the intent
# removed. In the background (its pid in $holder), one shell (flock only takes the lock on its
# fd): a failed test's cleanup kills it.
hold_live() {
	sh -c 'exec 9<"$5" && flock -x 9 && touch "$1" || exit 1
		while [ ! -e "$2" ]; do sleep 0.05; done
		cp "$3" "$4.part" && mv "$4.part" "$4" && rm -f "$5"' sh \
		"$T/live" "$T/finish" "$1" "$2" "$live" &
	holder=$!
}
printf '%s\n' "$D/d0" >"$live"
head -c 1500 "$T/d0.whole" >"$D/d0"
hold_live "$T/d0.whole" "$D/d0"
wait_file "$T/live"
"$HOOK" jump-data id "$D/d0" || fail "jump-data of d0"
start_and_drain "$T/wh8.out" 0
assert_eq "$(stat -c %s "$D/d0")" 1500 "d0 under a live retrieve after a start"
assert_eq "$(intents)" 1 "the live intent after a start"
assert_line '^wait_hooks: 1 retrieve\(s\) still running \(intent locked\): left alone$' "$T/wh8.out"
assert_line "^wait_hooks: $D/d0 is not uploaded: a retrieve intent names it" "$T/wh8.out"
retrieves=$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d0[: ]" "$MLOG")
QSFS_RETRIEVE_TIMEOUT=5 "$HOOK" missing-data id "$D/d0" 2>"$T/hook.err" &
hook=$!
wait_line "^qsfs: $D/d0 is being retrieved by another process; waiting for it$" "$T/hook.err"
touch "$T/finish"
wait "$holder" || fail "the live retrieve's stand-in failed"
wait "$hook"
assert_eq "$?" 0 "missing-data of d0 after the live retrieve ended"
assert_eq "$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d0[: ]" "$MLOG")" "$retrieves" "retrieves of d0 by the waiting hook"
assert_eq "$(b2 "$D/d0")" "$(b2 "$T/d0.whole")" "d0 after the live retrieve"
assert_eq "$(intents)" 0 "intents at the end"

# 8. the restore of d1 (d<last>, missing) while a retrieve of it still runs (an orphaned
# missing-data hook): it waits for it, then counts d1 as there, without a retrieve of its own
cp "$D/d1" "$T/d1.whole"
rm -f "$D/d1" "$T/live" "$T/finish"
printf '%s\n' "$D/d1" >"$live"
hold_live "$T/d1.whole" "$D/d1"
wait_file "$T/live"
retrieves=$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d1[: ]" "$MLOG")
"$ZINIT" wait-hooks >"$T/wh9.out" 2>&1 &
wh=$!
wait_line "^qsfs: $D/d1 is being retrieved by another process; waiting for it$" "$T/wh9.out"
touch "$T/finish"
wait "$holder" || fail "the live retrieve's stand-in failed"
wait_line '^wait_hooks: ready: zdb may start' "$T/wh9.out" 60
kill -TERM "$wh"
wh_exit "$wh" "$T/wh9.out" 0
assert_eq "$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d1[: ]" "$MLOG")" "$retrieves" "retrieves of d1 by the restore"
assert_eq "$(b2 "$D/d1")" "$(b2 "$T/d1.whole")" "d1 after the restore"
assert_line '^wait_hooks: restore done: 0 file\(s\) restored$' "$T/wh9.out"
assert_eq "$(intents)" 0 "intents at the end"

# 9. a stop while the restore waits for a retrieve of d1 still running: the wait ends at once
# (the build before waited up to twice QSFS_RETRIEVE_TIMEOUT, 65 s here, deaf to the SIGTERM),
# said so, and the stop drains as a stop in the restore does; the live retrieve's intent and
# file are left to it
rm -f "$D/d1" "$T/live" "$T/finish"
printf '%s\n' "$D/d1" >"$live"
hold_live "$T/d1.whole" "$D/d1"
wait_file "$T/live"
QSFS_RETRIEVE_TIMEOUT=30 "$ZINIT" wait-hooks >"$T/wh10.out" 2>&1 &
wh=$!
wait_line "^qsfs: $D/d1 is being retrieved by another process; waiting for it$" "$T/wh10.out"
kill -TERM "$wh"
wh_exit "$wh" "$T/wh10.out" 0 10
assert_line "^wait_hooks: restore of $D/d1 stopped: stopped waiting for another process's retrieve of $D/d1 \(left to it\)$" "$T/wh10.out"
assert_line '^wait_hooks: stopped before zdb was allowed to start' "$T/wh10.out"
kill -0 "$holder" 2>/dev/null || fail "the live retrieve's stand-in is gone"
[ -f "$live" ] || fail "the live retrieve's intent was removed"
[ ! -e "$D/d1" ] || fail "the restore wrote d1 under a live retrieve"
touch "$T/finish"
wait "$holder" || fail "the live retrieve's stand-in failed"
assert_eq "$(b2 "$D/d1")" "$(b2 "$T/d1.whole")" "d1 written by the live retrieve"
assert_eq "$(intents)" 0 "intents after the live retrieve"

# 10. a start whose clean-up is skipped (a hook holds hooks.lock) finds d1 (d<last>) cut short
# under a given-up intent: the restore does not keep it as local but fetches it again, verified,
# and drops the intent
head -c 1000 "$T/d1.whole" >"$D/d1"
printf '%s\n' "$D/d1" >"$H/state/retrieve/00000000000000000005-5"
hold_hooks_lock
start_and_drain "$T/wh11.out" 0 eval 'touch "$T/unlock"'
assert_line '^wait_hooks: hooks still running; leftovers are kept for now$' "$T/wh11.out"
assert_line "^wait_hooks: restored $D/d1$" "$T/wh11.out"
assert_eq "$(b2 "$D/d1")" "$(b2 "$T/d1.whole")" "d1 after the restore"
assert_eq "$(intents)" 0 "intents after the restore"

assert_eq "$(b2 "$(remote "$D/d0")")" "$(b2 "$T/d0.whole")" "the remote d0 at the end"
