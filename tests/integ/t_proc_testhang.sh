# A hanging test is killed after 10 s and retried (deviation from zinit: no timeout there); dependents stay Blocked. Takes ~11 s: the timeout itself is 10 s.
. "$(dirname "$0")/lib.sh"

# host_pid NSPID: the host pid of a process that zinit's children see as NSPID.
host_pid() {
	if [ "$MODE" != pid1 ]; then
		echo "$1"
		return
	fi
	local ns f
	ns=$(readlink "/proc/$ZPID/ns/pid")
	for f in /proc/[0-9]*; do
		[ "$(readlink "$f/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		if awk -v n="$1" '/^NSpid:/ { m = ($NF == n) } END { exit !m }' "$f/status" 2>/dev/null; then
			echo "${f#/proc/}"
			return
		fi
	done
}
lines_of() { if [ -e "$1" ]; then wc -l <"$1"; else echo 0; fi; }
at_least() { [ "$(lines_of "$1")" -ge "$2" ]; }
gone() { [ ! -e "/proc/$1" ]; }

unit hang <<YAML
exec: sleep 1000
test: sh -c 'echo \$\$ >> $T/testpids; exec sleep 100000'
YAML
unit hang_dep <<YAML
exec: sleep 1000
after: [hang]
YAML
start_zinit
wait_until 10 at_least "$T/testpids" 1 || fail "the test did not start"
t_test=$(date +%s%N)
first=$(host_pid "$(sed -n 1p "$T/testpids")")
[ -n "$first" ] && ! gone "$first" || fail "the test process not found"

wait_line '^zinit: WARN hang/test still running after 10s: killed, counted as a failure$' "$T/out" 20
elapsed=$((($(date +%s%N) - t_test) / 1000000))
[ "$elapsed" -ge 9000 ] || fail "the test was killed after ${elapsed}ms, before 10 s"
wait_until 5 gone "$first" || fail "the hanging test process is still there after the kill"
# retried: a second test process runs
wait_until 10 at_least "$T/testpids" 2 || fail "the test was not retried"
second=$(host_pid "$(sed -n 2p "$T/testpids")")
[ -n "$second" ] && [ "$second" != "$first" ] || fail "the retried test process not found"
assert_eq "$(count_lines 'hang/test still running')" 1 "kill lines"
assert_no_line '^zinit: INFO hang is ready'
assert_no_line '^zinit: INFO hang_dep started'

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
# the test process did not outlive its service
gone "$second" || fail "the test process outlived zinit"
