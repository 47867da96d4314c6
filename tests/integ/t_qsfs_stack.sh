# SPDX-License-Identifier: MIT
# The QSFS stack of etc/zinit/ on the stand-ins: ordered start, data written through zdbfs until
# zdb's files roll over, a docker-stop-style drain in order after which every file has a
# verified remote copy, a restart that replaces nothing and reads the same data.
[ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
. "$(dirname "$0")/qsfs_stack.sh"

stack_start
assert_eq "$(sed -n 's/^zinit: INFO \([a-z_]*\) \(started\|succeeded\).*/\1/p' "$T/out" | tr '\n' ' ')" \
	"zstor wait_hooks zdb ns fs " "start order"
# nothing to resume on a fresh volume: said once, not twice; and no drain in the status
assert_eq "$(count_lines '^\[\+\] wait_hooks: wait_hooks: resume ')" 1 "resume lines on a fresh volume"
zctl qsfs status >"$T/st.out" || fail "zinit qsfs status: $(cat "$T/st.out")"
assert_no_line '^drain:' "$T/st.out"
# zstor's own log (a file) in zinit's output, through zstor-log, which starts before zstor
wait_line '^\[\+\] zstor-log: .* INFO MONITOR started' "$T/out" 20
[ "$(line_no '^zinit: INFO zstor-log started')" -gt 0 ] || fail "zstor-log did not start"
[ "$(line_no '^zinit: INFO zstor-log started')" -lt "$(line_no '^zinit: INFO zstor started')" ] ||
	fail "zstor started before zstor-log"
write_file a.bin 400000
write_file b.bin 400000
[ "$(data_files)" -ge 2 ] || fail "zdbfs-data did not roll over"
# a.bin rewritten after the rollover: zdbfs rewrites its blocks in place, in entries of the
# closed zdbfs-data/i0, which zdb marks dirty (the namespace-closing hooks list it). write_data:
# a real zdbfs rewrites the inode in place, and zdbfs-meta may not grow for it
write_data a.bin 400000
stack_stop
assert_eq "$STATUS" 0 "exit status after the drain"
assert_eq "$(sed -n 's/^zinit: INFO stopping \([a-z_]*\):.*/\1/p' "$T/out" | tr '\n' ' ')" \
	"fs zdb wait_hooks zstor " "stop order"
[ "$(line_no '^zinit: INFO stopping zstor-log:')" -gt "$(line_no '^zinit: INFO stopping zstor:')" ] ||
	fail "zstor-log was not stopped after zstor"
assert_line '^\[\+\] zstor-log: .* INFO STORE-DONE key=' # the drain's uploads, in zstor's log
assert_line '^\[\+\] zstor-log: .* INFO MONITOR drained, exiting' # zstor's last line, at its exit
# zstor logs an ERROR for every client that connects and says nothing: zinit's readiness probe
# finds zstor listening in the kernel's list of sockets instead of connecting
assert_no_line 'zstor-log: .*early eof'
assert_line '^\[\+\] wait_hooks: wait_hooks: drain done: every file has a verified remote copy'
assert_uploaded

stack_start
same_file a.bin || fail "a.bin differs after the restart"
same_file b.bin || fail "b.bin differs after the restart"
write_file c.bin 100000
stack_stop
assert_eq "$STATUS" 0 "exit status after the second drain"
assert_uploaded
