# SPDX-License-Identifier: MIT
# zinit under a memory cgroup of 16 MiB (issue 11 item 4), as `docker run --memory 16m` puts
# a container: a service that eats memory is OOM-killed by the kernel again and again, and
# zinit, in the same cgroup, is not: it restarts the hog at its backoff pace (not in a loop),
# answers `list`, reaps and restarts another service, and drains in order on SIGTERM. Uses a
# cgroup v1 memory hierarchy or cgroup v2 (skipped without either, or without write access).
# The sanitizer build gets 128 MiB: ASan's shadow memory alone is bigger than 16 MiB.
. "$(dirname "$0")/lib.sh"

LIMIT_MB=16
[ -n "${SANITIZED:-}" ] && LIMIT_MB=128
if [ -w /sys/fs/cgroup/memory ] && [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
	CG=/sys/fs/cgroup/memory/zinit-test-$$
	mkdir "$CG" || { echo "skip: cannot make a memory cgroup"; exit 0; }
	echo $((LIMIT_MB << 20)) >"$CG/memory.limit_in_bytes"
	echo $((LIMIT_MB << 20)) >"$CG/memory.memsw.limit_in_bytes" 2>/dev/null # no swap either
	ooms() { awk '/^oom_kill /{ print $2 }' "$CG/memory.oom_control"; }
elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
	CG=/sys/fs/cgroup/zinit-test-$$
	mkdir "$CG" || { echo "skip: cannot make a memory cgroup"; exit 0; }
	echo $((LIMIT_MB << 20)) >"$CG/memory.max"
	echo 0 >"$CG/memory.swap.max" 2>/dev/null
	ooms() { awk '/^oom_kill /{ print $2 }' "$CG/memory.events"; }
else
	echo "skip: no writable memory cgroup (v1 or v2)"
	exit 0
fi
# the cgroup is removed once its processes are gone (after zinit's exit)
trap 'cleanup; for i in 1 2 3 4 5 6 7 8 9 10; do rmdir "$CG" 2>/dev/null && break; sleep 0.2; done' EXIT

# the hog: `tail -n 1` keeps a line that never ends in memory until the kernel kills it
unit hog <<YAML
exec: sh -c "echo eating; exec tail -n 1 /dev/zero"
log: stdout
YAML
unit base <<YAML
exec: sh -c "echo \$\$ >$T/base.pid; exec sleep 1000"
YAML
unit top <<YAML
exec: sh -c "echo \$\$ >$T/top.pid; exec sleep 1000"
after: [base]
YAML
PRE_EXEC="echo 0 >$CG/cgroup.procs" # zinit and everything it starts are in the cgroup
start_zinit
wait_line '^zinit: INFO hog exited: killed by SIGKILL; restarting in' "$T/out" 60
[ "$(ooms)" -ge 1 ] || fail "no OOM kill counted in $CG"
grep -q -x "$ZPID" "$CG/cgroup.procs" || fail "zinit is not in the cgroup"
wait_until 60 eval '[ "$(count_lines "^zinit: INFO hog exited: killed by SIGKILL")" -ge 2 ]' ||
	fail "the restarted hog was not killed again"
still_supervises top "$T/top.pid"
paced_restarts hog
zinit_alive || fail "zinit died"
stop_zinit TERM 60
[ "$STATUS" = 0 ] || [ "$STATUS" = 1 ] || fail "exit status $STATUS"
t=$(line_no '^zinit: INFO top stopped') b=$(line_no '^zinit: INFO base stopped')
[ "$t" -gt 0 ] && [ "$b" -gt "$t" ] || fail "not drained in order (top before base): $(cat "$T/out")"
