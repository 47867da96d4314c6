# SPDX-License-Identifier: MIT
# The state volume fills up during a jump-index snapshot (issue 9): the hook fails, zdb keeps
# its dirty list and goes on serving; once there is room again, nothing announced is lost:
# the drain uploads every file and a restart reads every write back.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"
mkdir -p "$H/qsfs"
mount -t tmpfs -o size=2m qsfs-state "$H/qsfs" || fail "cannot mount a small tmpfs"
# detached before cleanup's rm -rf, which cannot remove a mount point (it left $T behind)
trap 'umount -l "$H/qsfs" 2>/dev/null; cleanup' EXIT

stack_start
write_file a.bin 300000
head -c 4m /dev/zero >"$H/qsfs/filler" 2>/dev/null # the state volume is full now
bytes 400000 >"$T/b.bin.ref"
in_ns cp "$T/b.bin.ref" "$MNT/b.bin"
wait_until 30 eval '[ "$(zdb_hook_status "$PORT" jump-index)" = 1 ]' || fail "zdb never saw a jump-index hook fail"
wait_line '^\[-\] zdb: zdb-hook: jump-index .*No space left on device' "$T/err"
rm -f "$H/qsfs/filler"
write_file c.bin 400000
fs_running || fail "fs went down"
stack_stop 60
assert_eq "$STATUS" 0 "exit status"
assert_uploaded

stack_start
for f in a.bin b.bin c.bin; do same_file $f || fail "$f lost"; done
stack_stop
assert_eq "$STATUS" 0 "exit status of the last drain"
assert_uploaded
