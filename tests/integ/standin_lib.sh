# SPDX-License-Identifier: MIT
# Helpers for the scenarios that drive the zdb/zdbfs stand-ins directly (sourced after lib.sh).
: "${STANDINS:?STANDINS must name build/standins}"

CTL=$T/ctl    # hook behaviour: hold.EVENT (wait while it exists), rc.EVENT (exit code), do.EVENT (sourced)
H=$T/hooks.log # the logging hook's lines
mkdir -p "$CTL"
: >"$H"
: >"$T/zdb.log"
: >"$T/zdbfs.log"

# free_port: a TCP port no socket uses, derived from this shell's pid.
# Below the kernel's ephemeral range (32768 and up by default), where an outgoing
# connection's local port made zdb's bind fail ("Address already in use", seen in CI); a port
# any socket uses, in any state, is skipped.
free_port() {
	local p=$((20000 + ($$ * 7 + ${1:-0}) % 12000))
	while [ -n "$(ss -tanH "sport = :$p" 2>/dev/null)" ]; do p=$((p + 1)); done
	echo "$p"
}

# The logging hook: FDS (its open fds), START (argv, pid, ppid, pgid, SigBlk), END (rc).
cat >"$T/hook.sh" <<EOF
#!/bin/bash
# builtins only until the mask is read: bash blocks signals around its own forks
read -r _ _ _ ppid pgid _ </proc/\$\$/stat
while read -r key value; do [ "\$key" = SigBlk: ] && blk=\$value; done </proc/\$\$/status
argv=""
for a in "\$0" "\$@"; do argv="\$argv[\$a]"; done
fds=""
for f in /proc/\$\$/fd/*; do fds="\$fds \${f##*/}=\$(readlink "\$f")"; done
echo "FDS pid=\$\$\$fds" >>"$H"
echo "START ev=\$1 pid=\$\$ ppid=\$ppid pgid=\$pgid blk=\$blk argv=\$argv" >>"$H"
i=0
while [ -e "$CTL/hold.\$1" ] && [ \$i -lt 3000 ]; do sleep 0.05; i=\$((i + 1)); done
[ -e "$CTL/do.\$1" ] && . "$CTL/do.\$1"
rc=\$(cat "$CTL/rc.\$1" 2>/dev/null || echo 0)
echo "END ev=\$1 pid=\$\$ rc=\$rc" >>"$H"
exit \$rc
EOF
chmod +x "$T/hook.sh"

# waited NAME CMD...: runs CMD in the background under a perl waiter that records how it ended
# ("exit N" or "signal N") in $T/NAME.status; its pid is in $T/NAME.pid and echoed.
waited() {
	local name=$1
	shift
	rm -f "$T/$name.pid" "$T/$name.status"
	OUT="$T/$name" perl -e '
		my $pid = fork() // die "fork: $!";
		if ($pid == 0) { exec { $ARGV[0] } @ARGV or exit 127; }
		sub put { open(my $f, ">", "$_[0].tmp") or die; print $f "$_[1]\n"; close $f; rename("$_[0].tmp", $_[0]); }
		put("$ENV{OUT}.pid", $pid);
		waitpid($pid, 0);
		put("$ENV{OUT}.status", ($? & 127) ? "signal " . ($? & 127) : "exit " . ($? >> 8));
	' -- "$@" >>"$T/$name.log" 2>&1 &
	wait_pidfile "$T/$name.pid"
	cat "$T/$name.pid"
}

# status_of NAME [SECONDS]: waits until NAME has ended and prints how.
status_of() {
	wait_file "$T/$1.status" "${2:-30}"
	cat "$T/$1.status"
}

alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

cli() { "$STANDINS/zdb-cli" -t 60 -p "$PORT" "$@"; }

# hook_field EVENT FIELD [N]: FIELD (pid, ppid, pgid, blk, argv) of the Nth START of EVENT.
hook_field() {
	grep "^START ev=$1 " "$H" | sed -n "${3:-1}p" | sed -n "s/.* $2=\([^ ]*\).*/\1/p;"
}
hook_argv() { grep "^START ev=$1 " "$H" | sed -n "${2:-1}p" | sed 's/.* argv=//'; }
hook_fds() { grep "^FDS pid=$1 " "$H" | sed 's/^FDS pid=[0-9]* //'; }
starts() { grep -c "^START ev=$1 " "$H" 2>/dev/null || true; }
ends() { grep -c "^END ev=$1 " "$H" 2>/dev/null || true; }
has_starts() { [ "$(starts "$1")" -ge "$2" ]; }
has_ends() { [ "$(ends "$1")" -ge "$2" ]; }
wait_starts() { wait_until "${3:-20}" has_starts "$1" "$2" || fail "fewer than $2 '$1' hooks started"; }
wait_ends() { wait_until "${3:-20}" has_ends "$1" "$2" || fail "fewer than $2 '$1' hooks ended"; }

# blk_is EVENT N MASK: the Nth EVENT hook started with exactly MASK blocked on top of the mask
# the scenario itself runs with (the first namespaces-init hook's).
blk_is() {
	local blk base
	blk=$(hook_field "$1" blk "$2")
	base=$(hook_field namespaces-init blk 1)
	[ -n "$blk" ] && [ $((0x$blk)) -eq $((0x$base | $3)) ]
}

# Reports what the stand-ins said when a scenario fails (replaces lib.sh's zinit dump).
dump() {
	local f
	for f in "$T"/*.log; do
		echo "---- $f ----" >&2
		tail -n 40 "$f" >&2
	done
}

# hooks_running: a hook that logged its START still exists.
hooks_running() {
	local p
	for p in $(sed -n 's/^START ev=[^ ]* pid=\([0-9]*\) .*/\1/p' "$H"); do
		[ -e "/proc/$p" ] && return 0
	done
	return 1
}

# standin_cleanup: opens every gate so held hooks end, kills what the scenario started, and
# lets the hooks finish before lib.sh removes $T.
standin_cleanup() {
	rm -f "$CTL"/hold.*
	local f
	for f in "$T"/*.pid; do
		[ -e "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	wait
	wait_until 10 eval '! hooks_running'
}
trap 'standin_cleanup; cleanup' EXIT
