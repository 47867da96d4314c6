# SPDX-License-Identifier: MIT
# Regression 2 of issue 9 (QSFS.md §5.3): the original namespaces-init hook restored every file
# from zstor, over newer local ones (7 keys became 4). Here a run's last writes never reached
# the remote (the stack was SIGKILLed: no drain); the next start replaces no local file, every
# file reads back, and the next stop uploads them all.
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

stack_start
knobs 'fail=*' # nothing of this run reaches the remote
write_file c.bin 400000
write_file d.bin 100000
stack_crash
uploaded >/dev/null && fail "the remote already had this run's files: the scenario tests nothing"

knobs
stack_start # stack_kept: no local file replaced
for f in a.bin b.bin c.bin d.bin; do same_file $f || fail "$f differs after the restart"; done
stack_stop
assert_eq "$STATUS" 0 "exit status of the last drain"
assert_uploaded
