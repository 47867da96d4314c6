# SPDX-License-Identifier: MIT
# wait_hooks on a fresh /data volume: it makes its state directory and becomes ready; a state
# path it cannot use is a failed start whose message names the path.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T"
connects() { python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$QSFS_READY_SOCKET" 2>/dev/null; }

export QSFS_STATE_DIR=$H/fresh/qsfs
"$ZINIT" wait-hooks >"$T/wh.out" 2>&1 &
WH=$!
wait_until 30 connects || fail "not ready on a fresh volume: $(cat "$T/wh.out")"
has_inotify "$WH" || fail "wait-hooks watches no journal"
[ -d "$QSFS_STATE_DIR" ] || fail "no state directory made"
wait_file "$QSFS_STATE_DIR/status.json"
kill -TERM "$WH"
wait "$WH"
assert_eq "$?" 0 "exit status after the stop"

export QSFS_STATE_DIR=$H/notadir/qsfs
: >"$H/notadir"
"$ZINIT" wait-hooks >"$T/wh2.out" 2>&1 && fail "started with a file in the state path"
assert_line "^wait_hooks: cannot start: state directory $QSFS_STATE_DIR: Not a directory" "$T/wh2.out"

# without inotify (the host's instances used up: here a user namespace allowing none), a
# hook's job is still taken, by the journal scan every second
if (no_inotify true) 2>/dev/null; then
	export QSFS_STATE_DIR=$H/state
	no_inotify "$ZINIT" wait-hooks >"$T/wh3.out" 2>&1 &
	WH=$!
	wait_until 30 connects || fail "not ready without inotify: $(cat "$T/wh3.out")"
	! has_inotify "$WH" || fail "wait-hooks has an inotify instance in the namespace that allows none"
	bytes 3000 >"$D/d0"
	"$HOOK" jump-data tcp://:::9900 "$D/d0" "$D/d1"
	wait_until 15 same_remote "$D/d0" || fail "a job not taken without inotify: $(cat "$T/wh3.out")"
	kill -TERM "$WH"
	wait "$WH"
	assert_eq "$?" 0 "exit status without inotify"
else
	echo "t_qsfs_fresh: no user namespaces here: wait-hooks without inotify not tested" >&2
fi
