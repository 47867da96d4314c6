# SPDX-License-Identifier: MIT
# Regression 3 of issue 9 (QSFS.md §5.3), and zstor failing forever for one file: the original
# image's failed store was re-queued at the head of zstor's queue forever, wedging every other
# upload and the drain. Here one file's store always fails: every other file is uploaded while
# the stack runs, the drain ends at its deadline (QSFS_DRAIN_TIMEOUT 5 s) with that file
# named, zinit exits 1, and the next start uploads it before zdb starts.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"
UNIT_TWEAKS='sed -i "s/QSFS_DRAIN_TIMEOUT: \"600\"/QSFS_DRAIN_TIMEOUT: \"$((5 * SCALE))\"/" "$D/wait_hooks.yaml" "$D/zdb.yaml"'
BAD=$H/index/zdbfs-data/i0

stack_start
knobs "fail=$BAD"
write_file a.bin 400000
write_file b.bin 400000
[ "$(data_files)" -ge 2 ] || fail "zdbfs-data did not roll over"
# the other file announced (d0, by jump-data) gets through while i0 keeps failing
others_uploaded() { same_remote "$H/data/zdbfs-data/d0"; } # jump-data announced d0
wait_until 30 others_uploaded || fail "one failing file blocked the others"
stack_stop 60
assert_eq "$STATUS" 1 "exit status when the drain could not finish"
assert_line "^\[\+\] wait_hooks: .*$BAD"
assert_line '^zinit: WARN wait_hooks did not stop cleanly'
for f in $(qsfs_files); do
	[ "$f" = "$BAD" ] || same_remote "$f" || fail "$f not uploaded while only $BAD failed"
done
same_remote "$BAD" && fail "$BAD uploaded although every store of it failed"

knobs
stack_start
awk '/zinit: INFO zdb started/{exit} /wait_hooks: resume [0-9]+\/[0-9]+ files, 0 failed/{ok=1} END{exit !ok}' "$T/out" ||
	fail "the next start did not finish the upload before zdb started"
same_remote "$BAD" || fail "$BAD still not uploaded after the next start"
stack_stop
assert_eq "$STATUS" 0 "exit status of the last drain"
assert_uploaded
