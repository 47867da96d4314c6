# SPDX-License-Identifier: MIT
# zstor failing every store for 5 s, then recovering (issue 9): the uploads of a rollover are
# retried with backoff without blocking one another, and all succeed once zstor is back; a stop
# while it still fails drains them all.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"

stack_start
write_file a.bin 400000
knobs 'fail=*' # from just before the rollover, until the test has seen a failure: a slow
write_file b.bin 400000 # write (ASan, a loaded machine) must not outlast the window
[ "$(data_files)" -ge 2 ] || fail "zdbfs-data did not roll over"
wait_line 'wait_hooks: upload failed, retrying in' "$T/out" 20
kill -TERM "$ZPID" # the stop while zstor still fails: the drain retries until it is back
wait_line '^\[\+\] wait_hooks: wait_hooks: drain [0-9]+/[0-9]+ files, [1-9][0-9]* failed, retrying$' "$T/out" 60
knobs # zstor is back
wait_exit 90
assert_eq "$STATUS" 0 "exit status"
assert_line '^\[\+\] wait_hooks: wait_hooks: drain done: every file has a verified remote copy'
assert_uploaded
