# SPDX-License-Identifier: MIT
# Regression 7 of issue 9 (QSFS.md §5.3): zdb was stopped before zdbfs had flushed its cache,
# and the last writes were lost. Here zdbfs flushes only at its stop, slowly (the stand-in, 200
# ms per entry; the real zdbfs flushes the inodes of files written just before the stop there):
# zdb is stopped only after fs has exited, and every file written reads back after a restart.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"
UNIT_TWEAKS='printf "env:\n  ZDBFS_STANDIN_SYNC_S: \"0\"\n  ZDBFS_STANDIN_FLUSH_DELAY_MS: \"200\"\n" >>"$D/fs.yaml"'

stack_start
for i in 1 2 3 4 5 6; do
	bytes 20000 >"$T/f$i.ref"
	in_ns cp "$T/f$i.ref" "$MNT/f$i"
done
stack_stop 60
assert_eq "$STATUS" 0 "exit status"
assert_line '^\[\+\] fs: \[\+\] cache: flushed, [1-9][0-9]* entries written' # (the real zdbfs counts inodes)
[ "$(line_no '^zinit: INFO fs stopped')" -lt "$(line_no '^zinit: INFO stopping zdb')" ] ||
	fail "zdb was stopped before fs had exited"
assert_uploaded

UNIT_TWEAKS=
stack_start
for i in 1 2 3 4 5 6; do in_ns cmp -s "$MNT/f$i" "$T/f$i.ref" || fail "f$i lost"; done
stack_stop
assert_eq "$STATUS" 0 "exit status of the last drain"
assert_uploaded
