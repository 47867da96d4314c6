# SPDX-License-Identifier: MIT
# Regression 4 of issue 9 (QSFS.md §5.3): the original namespace-closing hooks outlived zdb
# holding its port and .lockfiles, so a restart of zdb failed. Here the hooks of a stopped zdb
# are held in flight (hooks.lock taken as the drain takes it) while zdb starts again: it comes
# up at once, and once the hooks finish, their files are uploaded by the running wait_hooks
# (zdb alone stopped, not the stack; fs restarted after it: zdbfs does not reconnect).
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"
zdb_state() { zctl status zdb | sed -n 's/^state: //p'; }

stack_start
write_file a.bin 400000
hold_hooks
zctl stop zdb >"$T/stop.out" 2>&1 || fail "zinit stop zdb: $(cat "$T/stop.out")"
wait_until 20 has_hooks namespace-closing 2 || fail "no namespace-closing hooks in flight"
wait_until 20 hooks_waiting 2 || fail "the namespace-closing hooks never waited on hooks.lock"
zctl start zdb >/dev/null || fail "zinit start zdb"
wait_until 30 eval '[ "$(zdb_state)" = Running ]' || fail "zdb did not come back while the hooks ran"
has_hooks namespace-closing 2 || fail "the hooks ended before zdb was back: the scenario tests nothing"
assert_no_line 'Address already in use|an instance of zdb is already using'
release_hooks
wait_until 30 eval '! has_hooks namespace-closing 1' || fail "the hooks did not finish"
# zdb's files of the stopped run reach the remote without a stack stop (the new zdb's ready
# tells wait_hooks the old one is gone)
closed_uploaded() { same_remote "$H/index/zdbfs-data/i0" "$H/data/zdbfs-data/d0"; }
wait_until 30 closed_uploaded || fail "the files of the stopped zdb were not uploaded"
zctl restart fs >/dev/null || fail "zinit restart fs" # zdbfs does not reconnect to a new zdb
wait_until 30 fs_running || fail "fs did not come back"
write_file b.bin 100000
stack_stop
assert_eq "$STATUS" 0 "exit status"
assert_uploaded
