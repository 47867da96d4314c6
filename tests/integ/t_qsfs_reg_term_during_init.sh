# SPDX-License-Identifier: MIT
# Regression 5 of issue 9 (QSFS.md §5.3): the original image restored inside zdb's
# namespaces-init hook, and a SIGTERM then crashed zdb (its stop path walks namespaces that do
# not exist yet). Here the restore of a fresh volume runs in wait_hooks, before zdb exists: a
# docker stop in the middle of it stops the stack cleanly (zdb never started, no crash, no
# partial file left), and the next start restores everything.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"

stack_start
write_file a.bin 400000
write_file b.bin 400000
stack_stop
assert_eq "$STATUS" 0 "exit status of the first drain"
assert_uploaded
qsfs_files >"$T/files"

rm -rf "$H/index" "$H/data" "$H/qsfs" # a fresh, empty /data
knobs retrieve_delay_ms=$((1000 * SCALE)) # the stop must come before the 7 files are back
cp "$T/out" "$T/out.first"
render_units
start_zinit
wait_line '^\[\+\] wait_hooks: wait_hooks: restored ' "$T/out" 30
stack_stop
assert_eq "$STATUS" 0 "exit status of a stop during the restore"
assert_no_line 'zinit: INFO zdb started'
assert_no_line 'segmentation fault|crash'
[ -z "$(find "$H/qsfs/retrieve" -type f 2>/dev/null)" ] || fail "a cut retrieve was left behind"
# (not every file is restored: the count of "restored" lines cannot tell a finished restore)
assert_no_line '^\[\+\] wait_hooks: wait_hooks: restore done' "$T/out"

knobs
stack_start
assert_line '^\[\+\] wait_hooks: wait_hooks: restore done: [1-9][0-9]* file\(s\) restored'
while read -r f; do [ -f "$f" ] || fail "$f not restored"; done <"$T/files"
same_file a.bin || fail "a.bin differs after the restore"
same_file b.bin || fail "b.bin differs after the restore"
stack_stop
assert_eq "$STATUS" 0 "exit status of the last drain"
assert_uploaded
