# Process set-up: own session+group (service and test), fds 0-2 only, clean signals, zinit's stdin, exec/chdir errors (never retried, also when found late), PATH lookup.
. "$(dirname "$0")/lib.sh"

# start_zinit_stdin FILE: start_zinit, with zinit's stdin read from FILE (start_zinit uses
# /dev/null, which could not tell "inherited" from "reopened"): a wrapper execs zinit.
start_zinit_stdin() {
	printf '#!/bin/sh\nexec "%s" "$@" <"%s"\n' "$ZINIT" "$1" >"$T/zinit-stdin"
	chmod +x "$T/zinit-stdin"
	shift
	ZINIT=$T/zinit-stdin start_zinit "$@"
}

# The facts a shell records about itself: sid/pgid and its open fds (listed by a background
# `ls`: dash applies the redirection of a foreground command in the shell itself, parking the
# old stdout on fd 10; a background job redirects in the child).
facts() { # PREFIX
	echo "ps -o sid=,pgid= -p \$\$ > $T/$1.ids; echo \$\$ > $T/$1.pid; ls /proc/\$\$/fd > $T/$1.fds & wait; touch $T/$1.done"
}

unit svc <<YAML
exec: sh -c "$(facts svc); exec sleep 1000"
test: sh -c "$(facts test); echo tested"
log: stdout
YAML
# Signal masks are read by a grep exec'd by zinit itself (dash briefly blocks every signal
# around its own forks and waits, so a shell's mask read from outside is racy).
unit sig <<YAML
exec: grep -E '^Sig(Blk|Ign)' /proc/self/status
oneshot: true
log: stdout
YAML
unit sigt <<YAML
exec: sleep 1000
test: grep -E '^Sig(Blk|Ign)' /proc/self/status
log: stdout
YAML
unit stdin <<YAML
exec: sh -c 'stat -L -c %d:%i /proc/\$\$/fd/0 > $T/stdin.ino; read -r l; echo "\$l" > $T/stdin.got'
oneshot: true
YAML
unit noexec <<YAML
exec: /nonexistent
YAML
unit nodir <<YAML
exec: sleep 1000
dir: /nonexistent
YAML
# executable files the kernel cannot run (ENOEXEC): found only by the exec itself, which in
# the start pass is settled at the end of the pass (spawn batch)
printf 'not a program\n' >"$T/badexe"
chmod +x "$T/badexe"
unit badexe <<YAML
exec: $T/badexe
YAML
unit badtest <<YAML
exec: sleep 1000
test: $T/badexe
YAML
# both fail late: the service's failure stops its test, which is not reported as a second
# failure of the service
unit bothbad <<YAML
exec: $T/badexe
test: $T/badexe
YAML
unit envu <<YAML
exec: printenv PROCMARK
oneshot: true
log: stdout
env:
  PROCMARK: found-by-path
YAML

printf 'line-from-zinit-stdin\nsecond\n' >"$T/stdin.txt"
exec 7</dev/null # a non-CLOEXEC fd zinit inherits: its services must not
start_zinit_stdin "$T/stdin.txt"

# exec and chdir failures: one line each, with the errno text
wait_line '^zinit: ERROR noexec failed to start: exec /nonexistent: No such file or directory$'
wait_line '^zinit: ERROR nodir failed to start: chdir /nonexistent: No such file or directory$'
wait_line "^zinit: ERROR badexe failed to start: exec $T/badexe: Exec format error\$"
t_fail=$(date +%s%N)
# a test that cannot exec is a failed test: retried, the service stays Running but not ready
badtest_failed_twice() {
	[ "$(count_lines "^zinit: ERROR badtest/test failed to start: exec $T/badexe: Exec format error\$")" -ge 2 ]
}
wait_until 10 badtest_failed_twice || fail "badtest/test: not two exec failures"

# the service and its test
wait_line '^zinit: INFO svc is ready: its test passed'
assert_line '^\[\+\] svc/test: tested$'
wait_file "$T/svc.done"
wait_file "$T/test.done"
spid=$(cat "$T/svc.pid")
tpid=$(cat "$T/test.pid")
assert_line "^zinit: INFO svc started \\(pid $spid\\)$"
# each leads its own session and process group
assert_eq "$(tr -s ' \n' '  ' <"$T/svc.ids" | sed 's/^ //; s/ $//')" "$spid $spid" "service sid pgid"
assert_eq "$(tr -s ' \n' '  ' <"$T/test.ids" | sed 's/^ //; s/ $//')" "$tpid $tpid" "test sid pgid"
[ "$tpid" != "$spid" ] || fail "test and service share a pid"

# preconditions that make the next checks meaningful: zinit itself has fd 7 and ignored
# signals (SIGPIPE, and SIGINT/SIGQUIT inherited from a background job)
[ -e "/proc/$ZPID/fd/7" ] || fail "precondition: zinit did not inherit fd 7"
zign=$(awk '/^SigIgn:/{print $2}' "/proc/$ZPID/status")
[ "$zign" != 0000000000000000 ] || fail "precondition: zinit ignores no signal"
for who in svc test; do
	assert_eq "$(tr '\n' ' ' <"$T/$who.fds")" "0 1 2 " "$who open fds"
done
wait_line '^zinit: INFO oneshot sig succeeded'
wait_line '^zinit: INFO sigt is ready'
for tag in sig sigt/test; do
	assert_eq "$(grep -F "[+] $tag: Sig" "$T/out" | tr '\t\n' '  ')" \
		"[+] $tag: SigBlk: 0000000000000000 [+] $tag: SigIgn: 0000000000000000 " "$tag signal masks"
done
# the same fd check sees a leaked fd (negative control)
bash -c 'exec 7</dev/null; sh -c "ls /proc/\$\$/fd > '"$T"'/ctl.fds & wait"'
grep -qx 7 "$T/ctl.fds" || fail "control: the fd check cannot see a leaked fd"

# stdin is zinit's own stdin (same open file, not a fresh /dev/null)
wait_line '^zinit: INFO oneshot stdin succeeded'
assert_eq "$(cat "$T/stdin.got")" line-from-zinit-stdin "line read from stdin"
assert_eq "$(cat "$T/stdin.ino")" "$(stat -L -c %d:%i "$T/stdin.txt")" "service stdin"

# argv[0] looked up in PATH
wait_line '^zinit: INFO oneshot envu succeeded'
assert_line '^\[\+\] envu: found-by-path$'

# failures are not retried: nothing more for 3 s after the failure lines
while [ $((($(date +%s%N) - t_fail) / 1000000)) -lt 3000 ]; do sleep 0.1; done
assert_eq "$(count_lines '^zinit: .*noexec (failed|started)')" 1 "noexec lines"
assert_eq "$(count_lines '^zinit: .*nodir (failed|started)')" 1 "nodir lines"
assert_eq "$(count_lines '^zinit: ERROR badexe failed')" 1 "badexe failures"
assert_eq "$(count_lines '^zinit: ERROR bothbad failed')" 1 "bothbad failures"
assert_eq "$(zctl status bothbad | sed -n 's/^state: //p')" Failure "bothbad state"
assert_eq "$(count_lines '^zinit: INFO badexe started')" 1 "badexe spawns"
assert_eq "$(zctl status badexe | sed -n 's/^state: //p')" Failure "badexe state"
assert_no_line '^zinit: INFO badtest is ready'
# the failed children were reaped (as orphans): no zombie left under zinit (badtest's test
# still fails once a second: one that has just exited may be seen before it is reaped)
no_zombies() { [ "$(ps -o stat= --ppid "$ZPID" | grep -c Z)" = 0 ]; }
wait_until 10 no_zombies || fail "zombies under zinit: $(ps -o pid=,stat=,args= --ppid "$ZPID")"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
