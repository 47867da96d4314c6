# SPDX-License-Identifier: MIT
# Integration-test library: runs the real zinit as PID 1 of a PID namespace (MODE=pid1) or as
# a child subreaper (MODE=subreaper), and synchronises on events with bounded polling.
set -u

: "${ZINIT:?ZINIT must name the zinit binary}"
: "${MODE:=pid1}"
# scratch: a new scratch directory $T, with the units' directory $D and the control socket
# path $S of this test's zinit, none started yet.
scratch() {
	T=$(mktemp -d /tmp/zinit-integ.XXXXXX)
	[ -z "${SCENARIO_T_FILE:-}" ] || echo "$T" >"$SCENARIO_T_FILE" # for the runner's watchdog
	D=$T/units
	mkdir -p "$D"
	S=$T/zinit.sock
	ZPID=
	UPID=
}
scratch
STATUS=
SCALE=${SCALE:-1} # deadlines are multiplied by this (sanitizer builds are slower)

# unit NAME: writes the unit file NAME.yaml from stdin.
unit() {
	cat >"$D/$1.yaml"
}

dump() {
	echo "---- zinit stdout ($MODE) ----" >&2
	tail -n 60 "$T/out" >&2 2>/dev/null
	if [ -n "$ZPID" ] && kill -0 "$ZPID" 2>/dev/null; then
		echo "---- zinit ($ZPID: $(cat /proc/$ZPID/wchan 2>/dev/null)) and its children ----" >&2
		ps -o pid,stat,wchan:24,args --ppid "$ZPID" >&2 2>/dev/null
	fi
	echo "---- zinit stderr ----" >&2
	if grep -q -E 'Sanitizer|runtime error:' "$T/err" 2>/dev/null; then
		grep -m 1 -A 40 -E '==ERROR|runtime error:' "$T/err" >&2 # the report itself, not its legend
	else
		tail -n 20 "$T/err" >&2 2>/dev/null
	fi
}

fail() {
	echo "FAIL: $*" >&2
	dump
	exit 1
}

# Synchronisation is on events (lines, files, states) through wait_until/wait_line/wait_file.
# A window that proves something does NOT happen (no respawn, nothing served while a hook
# runs) is absent_for, which watches for it all along; `sleep N` inside unit commands is the
# services' own behaviour.

# wait_until SECONDS CMD...: polls CMD every 20 ms until it succeeds; fails after SECONDS*SCALE.
wait_until() {
	local limit=$(($1 * SCALE * 50)) i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -ge "$limit" ] && return 1
		sleep 0.02
	done
	return 0
}

# absent_for SECONDS WHAT CMD...: a bounded window in which something must NOT happen: polls
# CMD every 20 ms for SECONDS (fractions allowed, not scaled: the window only has to outlast
# the event it rules out) and fails with "WHAT" as soon as CMD succeeds.
absent_for() {
	local end what=$2
	end=$(($(date +%s%N) + $(awk -v s="$1" 'BEGIN { printf "%.0f", s * 1e9 }')))
	shift 2
	while [ "$(date +%s%N)" -lt "$end" ]; do
		! "$@" || fail "$what"
		sleep 0.02
	done
	! "$@" || fail "$what"
}

has_line() { grep -q -E -- "$1" "${2:-$T/out}" 2>/dev/null; }

# no_inotify CMD...: becomes CMD (exec: run it with & or in a subshell, so that $! is CMD's pid)
# where no inotify instance can be had: see the script $NO_INOTIFY.
NO_INOTIFY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/no_inotify
no_inotify() { exec "$NO_INOTIFY" "$@"; }
# sleeps_woken PID: how many times the process has been woken from a sleep so far (its
# voluntary context switches).
sleeps_woken() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
# has_inotify PID: whether the process holds an inotify instance.
has_inotify() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'anon_inode:inotify'; }

# wait_line REGEX [FILE] [SECONDS]: waits until FILE (zinit's stdout) has a matching line.
wait_line() {
	wait_until "${3:-10}" has_line "$1" "${2:-$T/out}" || fail "no line matching '$1' in ${2:-stdout}"
}

# wait_next_line REGEX [SECONDS]: waits for one more line matching REGEX than stdout holds now.
# For an action that must fall in the window an event opens (the 2 s restart delay after an
# exit): the window starts when the line is printed, not at some earlier one.
wait_next_line() {
	local re=$1 n
	n=$(count_lines "$re")
	wait_until "${2:-10}" eval '[ "$(count_lines "$re")" -gt "$n" ]' ||
		fail "no new line matching '$1' in stdout"
}

# wait_file PATH [SECONDS]
wait_file() {
	wait_until "${2:-10}" test -e "$1" || fail "file $1 never appeared"
}

# wait_pidfile FILE [SECONDS]: FILE holds a whole line, as a pid file written with `echo $$ >F`
# (an open, then a write: a file that only exists may still be empty).
wait_pidfile() {
	wait_until "${2:-10}" at_least "$1" 1 || fail "no whole line in $1: '$(cat "$1" 2>/dev/null)'"
}

# line_no REGEX [FILE]: the number of the first matching line (0 if none).
line_no() {
	local n
	n=$(grep -n -E -- "$1" "${2:-$T/out}" | head -n 1 | cut -d: -f1)
	echo "${n:-0}"
}

count_lines() { grep -c -E -- "$1" "${2:-$T/out}" 2>/dev/null || true; }

# page_reader FIFO OUT: reads FIFO into OUT in the background, 4 KiB per read with a short pause
# after each, as Docker's containerd-shim takes a pipe (slower than zinit: the pipe stays full).
# RPID is its pid; cleanup() kills it with the test's other background jobs.
page_reader() {
	"$PY" -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
with open(sys.argv[2], "wb", buffering=0) as out:
    while True:
        b = os.read(fd, 4096)
        if not b:
            break
        out.write(b)
        time.sleep(0.0002)
' "$1" "$2" &
	RPID=$!
}

# find_child: the pid of unshare's child (zinit as PID 1); fails while unshare has not forked.
find_child() { pgrep -P "$UPID" | head -n 1 | grep .; }

# launch_through NAME: the Python statements on stdin become $T/NAME, a launcher that runs them
# and then execs zinit with its own arguments (a wrapper's signal mask, seccomp filter or
# descriptors); ZINIT names the launcher from then on.
launch_through() {
	{
		echo "#!$PY"
		echo "import os, sys"
		cat
		echo "os.execv(\"$ZINIT\", [\"$ZINIT\"] + sys.argv[1:])"
	} >"$T/$1" && chmod +x "$T/$1" || fail "cannot write the launcher $T/$1"
	ZINIT=$T/$1
}

# start_zinit [INIT ARGS...]: starts `zinit init -c $D --container ARGS` in the current MODE,
# its stdout to $T/out and its stderr to $T/err (or to ZINIT_STDOUT, ZINIT_STDERR: e.g. a FIFO).
start_zinit() {
	# PRE_EXEC: shell commands run just before zinit is exec'd: as PID 1 inside the new
	# namespaces (e.g. a bind mount over /etc/environment), or in the subreaper's shell.
	if [ "$MODE" = pid1 ]; then
		unshare --pid --fork --mount-proc sh -c "${PRE_EXEC:-:}; exec \"\$@\"" sh \
			"$ZINIT" -s "$S" init -c "$D" --container "$@" >"${ZINIT_STDOUT:-$T/out}" 2>"${ZINIT_STDERR:-$T/err}" </dev/null &
		UPID=$!
		wait_until 10 find_child >/dev/null || fail "zinit did not start under unshare"
		ZPID=$(find_child)
	elif [ -n "${PRE_EXEC:-}" ]; then
		sh -c "$PRE_EXEC; exec \"\$@\"" sh \
			"$ZINIT" -s "$S" init -c "$D" --container "$@" >"${ZINIT_STDOUT:-$T/out}" 2>"${ZINIT_STDERR:-$T/err}" </dev/null &
		UPID=$!
		ZPID=$UPID
	else
		"$ZINIT" -s "$S" init -c "$D" --container "$@" >"${ZINIT_STDOUT:-$T/out}" 2>"${ZINIT_STDERR:-$T/err}" </dev/null &
		UPID=$!
		ZPID=$UPID
	fi
}

# host_pid NSPID: the host pid of zinit's child that zinit's children see as NSPID.
host_pid() {
	if [ "$MODE" != pid1 ]; then
		echo "$1"
		return
	fi
	local p
	for p in $(pgrep -P "$ZPID"); do
		if awk -v n="$1" '/^NSpid:/ { m = ($NF == n) } END { exit !m }' "/proc/$p/status" 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# lines_of FILE: its number of lines, 0 if it does not exist yet.
lines_of() { if [ -e "$1" ]; then wc -l <"$1"; else echo 0; fi; }
# at_least FILE N: FILE has N lines or more.
at_least() { [ "$(lines_of "$1")" -ge "$2" ]; }
# gone PID: no such process (any more).
gone() { [ ! -e "/proc/$1" ]; }

# wait_out SECONDS EXPECTED CMD...: waits until CMD prints exactly EXPECTED (stdout+stderr).
out_is() { [ "$("$@" 2>&1)" = "$WANT" ]; }
wait_out() {
	local secs=$1
	WANT=$2
	shift 2
	wait_until "$secs" out_is "$@" || fail "'$*' never printed:
$WANT
last output:
$("$@" 2>&1)"
}

# sc ARGS...: tests/integ/sockclient.py, a raw client of the control socket (see its usage).
PY=/usr/bin/python3 # Debian's (tools/install-deps); a pyenv shim costs ~1 s a call
[ -x "$PY" ] || PY=python3
sc() { "$PY" "$(dirname "${BASH_SOURCE[0]}")/sockclient.py" "$@"; }
# rpc: JSON-RPC checks on stdin ("METHOD PARAMS EXPR", see sockclient.py), on one connection.
rpc() { sc -t $((10 * SCALE)) rpc "$S" || fail "JSON-RPC checks failed (above)"; }

# zctl ARGS...: the CLI against this test's zinit.
zctl() { "$ZINIT" -s "$S" "$@"; }

# still_supervises NAME PIDFILE: while another service is in trouble, `list` answers with NAME
# Running, and NAME (its pid in PIDFILE, as the service sees it) is killed, reaped, restarted.
still_supervises() {
	local out
	out=$(zctl list 2>&1) || fail "zinit list: $out"
	echo "$out" | grep -q "^$1: Running\$" || fail "list: $out"
	wait_pidfile "$2" 10
	kill -KILL "$(host_pid "$(cat "$2")")"
	wait_line "^zinit: INFO $1 exited: killed by SIGKILL; restarting in" "$T/out" 20
	wait_until 20 eval "zctl list 2>/dev/null | grep -q '^$1: Running\$'" || fail "$1 not restarted"
}

# paced_restarts NAME: NAME was started at most 12 times so far: at the backoff pace (2, 2,
# 2, 4, 8 s...), not in a loop.
paced_restarts() {
	local n
	n=$(count_lines "^zinit: INFO $1 started")
	[ "$n" -le 12 ] || fail "$1 started $n times: restarted in a loop"
}

zinit_alive() { kill -0 "$UPID" 2>/dev/null; }

# wait_exit [SECONDS]: waits for zinit to exit and sets STATUS.
wait_exit() {
	wait_until "${1:-30}" eval '! zinit_alive' || fail "zinit did not exit"
	wait "$UPID"
	STATUS=$?
	! grep -q -E 'Sanitizer|runtime error:' "$T/err" || fail "sanitizer report on stderr"
}

# stop_zinit [SIGNAL] [SECONDS]: signals zinit, waits for it to exit, sets STATUS.
stop_zinit() {
	kill -"${1:-TERM}" "$ZPID"
	wait_exit "${2:-30}"
}

. "$(dirname "${BASH_SOURCE[0]}")/procs.sh" # descendants

cleanup() {
	local bg
	if [ -n "$UPID" ] && zinit_alive; then
		local all
		all=$(descendants "$UPID")
		kill -KILL "$UPID" $all 2>/dev/null
		wait "$UPID" 2>/dev/null
	fi
	bg=$(builtin jobs -p) # what the test started with & (a wait-hooks, a server): not left behind by a failure
	[ -z "$bg" ] || kill -KILL $bg 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
# new_instance: ends this test's zinit and scratch directory and starts over, for a second
# run in the same scenario.
new_instance() {
	cleanup
	scratch
}

# zdb_hook_status PORT EVENT [PID]: the exit status zdb recorded for its ended EVENT hook (the one
# with PID, else the newest), read from zdb's HOOKS command; fails while none has ended. The
# same with the stand-in and with the real zdb, whose log does not say when a hook ends.
zdb_hook_status() {
	"$STANDINS/zdb-cli" -t 10 -p "$1" HOOKS 2>/dev/null | awk -v e="$2" -v p="${3:-}" '
		$1 == e && (p == "" || $(NF - 3) == p) && $(NF - 1) != 0 { s = $NF; found = 1 }
		END { if (!found) exit 1; print s }'
}

assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"; }
assert_line() { has_line "$1" "${2:-$T/out}" || fail "no line matching '$1' in ${2:-stdout}"; }
assert_no_line() { ! has_line "$1" "${2:-$T/out}" || fail "unexpected line matching '$1'"; }
