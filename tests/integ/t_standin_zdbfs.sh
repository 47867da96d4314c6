# SPDX-License-Identifier: MIT
# The zdbfs stand-in keeps 0-db-fs' stop behaviour (QSFS.md §4): flush into zdb on SIGTERM, data back after a restart, exit 0 with the data lost when zdb is gone, cache lost on SIGKILL, auto_unmount.
# Its own mount namespace, so that no tmpfs outlives the scenario.
if [ -z "${STANDIN_MNTNS:-}" ]; then
	STANDIN_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/standin_lib.sh"

# Runs outside zinit: the same in both MODEs.
PORT=$(free_port 1)
MNT=$T/mnt
mkdir -p "$MNT"
mounted() { awk -v m="$MNT" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo; }
last_flush() { grep -o 'flushed, [0-9]* entries written' "$T/zdbfs.log" | tail -n 1; }

zdb_up() {
	ZDB=$(waited zdb "$STANDINS/zdb" --mode seq --data "$T/data" --index "$T/index" --port "$PORT")
	wait_until 20 cli PING >/dev/null || fail "zdb does not answer"
}
# fs_up SYNC_S DELAY_MS: zdbfs as the image runs it, on $MNT, until the mount is there. Not its
# "ready" line: its log goes through stdio, which a file (as a pipe) gets in blocks or at its exit.
fs_up() {
	ZFS=$(waited zdbfs env ZDBFS_STANDIN_SYNC_S="$1" ZDBFS_STANDIN_FLUSH_DELAY_MS="$2" \
		"$STANDINS/zdbfs" -o allow_other -o auto_unmount -o "port=$PORT" "$MNT")
	wait_until 30 mounted || fail "zdbfs not ready"
}

zdb_up
for ns in zdbfs-meta zdbfs-data zdbfs-temp; do assert_eq "$(cli NSNEW $ns)" OK "NSNEW $ns"; done

# ---- SIGTERM: a slow flush into zdb, before the unmount; exit 0 ----
fs_up 0 1000
mounted || fail "nothing mounted on $MNT"
assert_eq "$(findmnt -n -o FSTYPE "$MNT")" tmpfs "mount type"
wait_until 10 eval '[ -n "$(pgrep -P "$ZFS")" ]' || fail "no auto_unmount helper"
head -c 1048576 /dev/urandom >"$T/big.ref"
cp "$T/big.ref" "$MNT/big.bin"
echo alpha >"$MNT/a.txt"
echo beta >"$MNT/b.txt"
kill -TERM "$ZFS"
# within the 3 x 1 s flush: still running, still mounted
absent_for 0.3 "zdbfs did not take its time to flush, or unmounted before it" eval '! alive "$ZFS" || ! mounted'
assert_eq "$(status_of zdbfs)" "exit 0" "zdbfs after SIGTERM"
assert_eq "$(last_flush)" "flushed, 3 entries written" "flush at stop"
mounted && fail "still mounted after the stop"
assert_eq "$(cli -n zdbfs-meta DBSIZE)" 4 "metadata entries (3 and the superblock)"
assert_eq "$(cli -n zdbfs-data DBSIZE)" 18 "data chunks (16 + 1 + 1)"

# ---- both restarted: the files are back ----
kill -TERM "$ZDB"
assert_eq "$(status_of zdb)" "exit 143" "zdb after SIGTERM"
zdb_up
fs_up 0 0
cmp -s "$MNT/big.bin" "$T/big.ref" || fail "big.bin differs after the restart"
assert_eq "$(cat "$MNT/a.txt")" alpha "a.txt after the restart"

# ---- a changed file's blocks and the superblock are rewritten in place, as zdbfs does (zdb
# then marks their old index files dirty): no new data key, one new metadata entry ----
head -c 1048576 /dev/urandom >"$T/big.ref"
cp "$T/big.ref" "$MNT/big.bin"
kill -TERM "$ZFS"
assert_eq "$(status_of zdbfs)" "exit 0" "zdbfs after SIGTERM"
assert_eq "$(last_flush)" "flushed, 1 entries written" "flush of the changed file"
assert_eq "$(cli -n zdbfs-data DBSIZE)" 18 "data chunks after the rewrite"
assert_eq "$(cli -n zdbfs-meta DBSIZE)" 5 "metadata entries after the rewrite"
fs_up 0 0
cmp -s "$MNT/big.bin" "$T/big.ref" || fail "big.bin differs after its rewrite"

# ---- zdb stopped first: zdbfs flushes nothing, says so, and still exits 0 ----
head -c 1048576 /dev/urandom >"$MNT/late.bin"
kill -TERM "$ZDB"
assert_eq "$(status_of zdb)" "exit 143" "zdb after SIGTERM"
kill -TERM "$ZFS"
assert_eq "$(status_of zdbfs)" "exit 0" "zdbfs with zdb gone"
assert_eq "$(last_flush)" "flushed, 0 entries written" "flush with zdb gone"
assert_line 'could not write to zdb' "$T/zdbfs.log"
mounted && fail "still mounted after the stop"
zdb_up
fs_up 0 0
[ -e "$MNT/late.bin" ] && fail "late.bin survived although zdb was gone"
cmp -s "$MNT/big.bin" "$T/big.ref" || fail "big.bin lost"

# ---- SIGKILL: the helper unmounts, the cached write is lost ----
echo cached >"$MNT/cached.txt"
kill -KILL "$ZFS"
assert_eq "$(status_of zdbfs)" "signal 9" "zdbfs after SIGKILL"
wait_until 20 eval '! mounted' || fail "auto_unmount did not unmount"
fs_up 0 0
[ -e "$MNT/cached.txt" ] && fail "cached.txt survived SIGKILL"

# ---- the periodic sync makes a write survive SIGKILL ----
kill -TERM "$ZFS"
assert_eq "$(status_of zdbfs)" "exit 0" "zdbfs after SIGTERM"
fs_up 1 0
meta=$(cli -n zdbfs-meta DBSIZE)
echo synced >"$MNT/synced.txt"
wait_until 20 eval '[ "$(cli -n zdbfs-meta DBSIZE)" -gt "$meta" ]' || fail "no periodic sync"
kill -KILL "$ZFS"
wait_until 20 eval '! mounted' || fail "auto_unmount did not unmount"
fs_up 0 0
assert_eq "$(cat "$MNT/synced.txt")" synced "synced.txt after SIGKILL"

# ---- a deletion is flushed too ----
rm "$MNT/big.bin"
kill -TERM "$ZFS"
assert_eq "$(status_of zdbfs)" "exit 0" "zdbfs after SIGTERM"
assert_eq "$(last_flush)" "flushed, 1 entries written" "deletion flushed"
fs_up 0 0
[ -e "$MNT/big.bin" ] && fail "big.bin back after its deletion"
assert_eq "$(cat "$MNT/a.txt")" alpha "a.txt"
kill -TERM "$ZFS"
assert_eq "$(status_of zdbfs)" "exit 0" "zdbfs after SIGTERM"

# ---- no zdb: zdbfs does not start ----
kill -TERM "$ZDB"
assert_eq "$(status_of zdb)" "exit 143" "zdb after SIGTERM"
waited zdbfs "$STANDINS/zdbfs" -o "port=$PORT" "$MNT" >/dev/null
assert_eq "$(status_of zdbfs)" "exit 1" "zdbfs without zdb"
mounted && fail "mounted without zdb"
true
