# SPDX-License-Identifier: MIT
# A missing-data retrieve that outlasts QSFS_RETRIEVE_TIMEOUT: the hook kills its zstor CLI and
# fails, but zstor's monitor runs the retrieve itself and finishes it for nobody, so the file
# appears after the hook gave up on it: cut short (the monitor killed at the container's grace
# limit, a full disk) or whole. Its intent is kept: the drain removes the file instead of
# storing it over the good remote copy, a sweep never uploads it, the next missing-data fetches
# it again instead of taking it as local, and the next start removes file and intent once
# zstor answers. Here the monitor's one worker is held by a store waiting at a gate, with the
# retrieve queued behind it; the gate opens after the hook's 1 s timeout.
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

# late_retrieve PARTIAL: missing-data of d0 gives up at its 1 s timeout, then the monitor
# writes d0 for nobody: its first half only (PARTIAL=1, as a monitor cut off) or all of it.
late_retrieve() {
	local gates retrieves blocker
	gates=$(count_lines "GATE store file=$T/blocker " "$MLOG")
	retrieves=$(count_lines "(PARTIAL retrieve|RETRIEVE-DONE) key=$D/d0[: ]" "$MLOG")
	rm -f "$D/d0" "$T/gate"
	knobs "gate=$T/gate"
	"$STANDINS/zstor" -c "$QSFS_ZSTOR_CONFIG" store -f "$T/blocker" &
	blocker=$!
	wait_until 10 eval '[ "$(count_lines "GATE store file=$T/blocker " "$MLOG")" -gt $gates ]' ||
		fail "the blocking store never reached the gate"
	QSFS_RETRIEVE_TIMEOUT=1 "$HOOK" missing-data id "$D/d0" 2>"$T/hook.err"
	assert_eq "$?" 1 "missing-data past its timeout"
	assert_line 'zstor retrieve: no answer in 1 s, killed' "$T/hook.err"
	[ ! -e "$D/d0" ] || fail "d0 exists after the timeout"
	knobs "retrieve_partial=$1"
	touch "$T/gate"
	wait "$blocker" || fail "the blocking store failed"
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
flock -s "$H/state/hooks.lock" sh -c 'touch "$1"; while [ ! -e "$2" ]; do sleep 0.05; done' sh \
	"$T/locked" "$T/unlock" &
wait_file "$T/locked"
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

assert_eq "$(b2 "$(remote "$D/d0")")" "$(b2 "$T/d0.whole")" "the remote d0 at the end"
