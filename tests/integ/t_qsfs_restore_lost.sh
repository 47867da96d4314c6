# SPDX-License-Identifier: MIT
# The restore before zdb starts leaves every file zdb needs in place, or fails the start naming
# the first one lost (QSFS.md §5.4, namespaces-init): zdb-namespace, each i<k> up to the last
# one, and d<last>. zdb stops loading at a hole in its indexes and later appends to the newer
# index past it; it makes a missing d<last> empty. A namespace with no file anywhere is new.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"

N=0
# start_wh: wait-hooks until it is ready (then a SIGTERM) or has failed; its exit in STATUS,
# its output in $T/wh$N.out.
start_wh() {
	N=$((N + 1))
	"$ZINIT" wait-hooks >"$T/wh$N.out" 2>&1 &
	WH=$!
	wait_until 30 eval "grep -q '^wait_hooks: ready: zdb may start' '$T/wh$N.out' || ! kill -0 $WH 2>/dev/null" ||
		fail "wait-hooks neither ready nor failed: $(cat "$T/wh$N.out")"
	kill -TERM "$WH" 2>/dev/null
	wait "$WH"
	STATUS=$?
}
# lost_start FILE: the start failed, naming FILE, and zdb was never let start.
lost_start() {
	[ "$STATUS" -ne 0 ] || fail "start $N went ahead with $1 lost: $(cat "$T/wh$N.out")"
	assert_line "^wait_hooks: restore failed: $1 is neither local nor stored" "$T/wh$N.out"
	assert_no_line '^wait_hooks: ready' "$T/wh$N.out"
	# and says why in status.json, which `zinit qsfs status` shows
	grep -qF "\"phase\":\"failed\"" "$QSFS_STATE_DIR/status.json" || fail "phase after start $N"
	grep -qF "\"last_error\":\"restore failed: $1 is neither local nor stored" "$QSFS_STATE_DIR/status.json" ||
		fail "last_error after start $N: $(cat "$QSFS_STATE_DIR/status.json")"
}

# a fresh volume: nothing local, nothing stored
start_wh
assert_eq "$STATUS" 0 "exit status of a fresh start"

# a hole: i1 lost below the local i2
for f in "$I/zdb-namespace" "$I/i0" "$I/i2" "$D/d2"; do bytes 1000 >"$f"; done
start_wh
lost_start "$I/i1"
[ ! -e "$I/i1" ] || fail "something made an i1"
# stored, it is brought back and the start goes ahead
bytes 900 >"$T/i1"
put_remote "$I/i1" "$T/i1"
start_wh
assert_eq "$STATUS" 0 "exit status with i1 stored"
assert_line "^wait_hooks: restored $I/i1$" "$T/wh$N.out"

# the data file of the last index: lost (the drain of the last start had stored it), then stored
rm "$D/d2" && rm_remote "$D/d2"
start_wh
lost_start "$D/d2"
bytes 900 >"$T/d2"
put_remote "$D/d2" "$T/d2"
start_wh
assert_eq "$STATUS" 0 "exit status with d2 stored"
assert_line "^wait_hooks: restored $D/d2$" "$T/wh$N.out"

# the namespace's descriptor, and an index with none: either is a namespace zdb cannot load
rm "$I/zdb-namespace" && rm_remote "$I/zdb-namespace"
start_wh
lost_start "$I/zdb-namespace"
M=$H/index/zdbfs-meta
bytes 100 >"$I/zdb-namespace"
bytes 100 >"$M/zdb-namespace"
start_wh
lost_start "$M/i0"

# what a failed start restored stays in the manifest: zdbfs-meta, restored whole, then
# zdbfs-data with its descriptor lost (the next start would hash and store them again)
rm -f "$M/zdb-namespace"
for f in "$M/zdb-namespace" "$M/i0" "$H/data/zdbfs-meta/d0"; do
	bytes 300 >"$T/meta" && put_remote "$f" "$T/meta"
done
rm "$I/zdb-namespace" && rm_remote "$I/zdb-namespace"
start_wh
lost_start "$I/zdb-namespace"
assert_line "^wait_hooks: restored $M/i0$" "$T/wh$N.out"
grep -q " $M/i0\$" "$H/state/manifest" || fail "the restored $M/i0 is not in the manifest: $(cat "$H/state/manifest")"
