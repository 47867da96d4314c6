# SPDX-License-Identifier: MIT
# Regression 1 of issue 9 (QSFS.md §5.3): the original hook sent jump-index's store to the
# background, where it escaped the drain and the index file was never uploaded. Here the
# uploads of a rollover are still in flight (held until the stop reaches wait_hooks, then 1 s
# per file) when the stop comes:
# the drain waits for them and every file has a verified remote copy.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"

stack_start
write_file a.bin 400000
# from here every store waits for the file open, created once the stop reaches wait_hooks:
# the rollover's uploads are certainly in flight when the drain begins
knobs store_delay_ms=1000 "gate=$T/open"
write_data b.bin 400000 # not write_file: the real zdbfs's inode flush (10 s) would outlast the uploads
[ "$(data_files)" -ge 2 ] || fail "zdbfs-data did not roll over"
wait_until 10 eval '[ -n "$(job_of jump-index)" ]' || fail "no jump-index job journaled"
kill -TERM "$ZPID"
wait_line '^zinit: INFO stopping wait_hooks:' "$T/out" 60
touch "$T/open"
wait_exit 90
assert_eq "$STATUS" 0 "exit status after the drain"
assert_line '^\[\+\] wait_hooks: wait_hooks: drain done: every file has a verified remote copy'
assert_uploaded
