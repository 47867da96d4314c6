# SPDX-License-Identifier: MIT
# Regression 6 of issue 9 (QSFS.md §5.3): zinit's stop signal to zdb's process group killed the
# original image's jump-index hook half-way, and the closed index file was never announced
# again. Here a jump-index hook is in flight (held on hooks.lock, after it left zdb's group)
# when `zinit stop zdb` signals the group: the hook survives zdb, finishes, and its index
# file reaches the remote.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"

stack_start
write_file a.bin 400000
hold_hooks
bytes 400000 >"$T/b.bin.ref"
in_ns cp "$T/b.bin.ref" "$MNT/b.bin" # rolls zdbfs-data over: jump-index, which waits on the lock
wait_until 30 has_hooks jump-index 1 || fail "no jump-index hook in flight"
HPID=$(hook_pids jump-index | head -n 1)
# the index file it closes ($3 of the event): i0 with the zdbfs stand-in, whichever the real
# zdbfs's block layout has reached
CLOSED=$(tr '\0' '\n' <"/proc/$HPID/cmdline" | sed -n 4p)
case $CLOSED in "$H"/index/zdbfs-data/i[0-9]*) ;; *) fail "jump-index hook argv: $(tr '\0' ' ' <"/proc/$HPID/cmdline")" ;; esac
wait_until 30 hooks_waiting 1 || fail "the jump-index hook never waited on hooks.lock"
zctl stop zdb >"$T/stop.out" 2>&1 &
wait_line '^zinit: INFO zdb stopped' "$T/out" 30
kill -0 "$HPID" 2>/dev/null || fail "the jump-index hook died with zdb's process group"
release_hooks
wait_until 30 eval '! kill -0 $HPID 2>/dev/null' || fail "the jump-index hook did not finish"
# The hook recorded it: a job uploads it, or it went up already. (The job may be the one of
# namespace-closing, which supersedes the hook's snapshot when zdb marked that index dirty, as
# the real zdbfs makes it do by rewriting a block.)
journaled() { grep -q -x "upload .* $CLOSED" "$J"/*.job 2>/dev/null; }
uploaded_closed() { [ -f "$(remote "$CLOSED")" ]; }
wait_until 30 eval 'journaled || uploaded_closed' ||
	fail "$CLOSED is neither in a job nor uploaded after the jump-index hook"
zctl start zdb >/dev/null || fail "zinit start zdb"
zctl restart fs >/dev/null || fail "zinit restart fs" # zdbfs does not reconnect to a new zdb
wait_until 30 fs_running || fail "fs did not come back"
wait_until 30 uploaded_closed || fail "$CLOSED never reached the remote"
stack_stop
assert_eq "$STATUS" 0 "exit status"
assert_uploaded
