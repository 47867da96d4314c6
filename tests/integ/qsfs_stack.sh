# SPDX-License-Identifier: MIT
# The whole QSFS stack under zinit, on the stand-ins (sourced after lib.sh and qsfs_lib.sh):
# the six units of etc/zinit/ rendered for this test's paths (zstor-log, zstor monitor,
# wait_hooks, zdb with zdb-hook, ns, zdbfs on $MNT), data written through zdbfs, and the
# invariant of issue 9 checked after every stop (every file uploaded, same blake2b-128) and
# every start (no local file replaced). A scenario sourcing this runs in a mount namespace of
# its own, so that zdbfs's mount never outlives it: its first lines are
#   [ -n "${STACK_MNTNS:-}" ] || STACK_MNTNS=1 exec unshare --mount --propagation private bash "$0" "$@"
: "${STANDINS:?STANDINS must name the stand-ins build dir}"
D=$T/units # lib.sh's units directory (qsfs_lib.sh's D, zdbfs-data's data dir, is not used here)
MNT=$H/mnt
PORT=$((20000 + ($$ * 13) % 12000)) # below the ephemeral range (see free_port)
while [ -n "$(ss -tanH "sport = :$PORT" 2>/dev/null)" ]; do PORT=$((PORT + 1)); done
STARTS=0
DATASIZE=${DATASIZE:-524288} # zdb's --datasize: small, so that a few writes roll files over
mkdir -p "$MNT"
printf 'socket = "%s"\npid_file = "%s"\n[standin]\nremote = "%s"\n' \
	"$H/zstor.sock" "$H/zstor.pid" "$R" >"$H/zstor.toml"
# The scenarios' own shell must not pass QSFS_* to zinit: the units' env says it all.
unset QSFS_INDEX_DIR QSFS_DATA_DIR QSFS_STATE_DIR QSFS_ZSTOR QSFS_ZSTOR_CONFIG QSFS_READY_SOCKET
J=$H/qsfs/journal

. "$(dirname "${BASH_SOURCE[0]}")/../../examples/qsfs/render.sh"
# render_units: the image's units for this test (examples/qsfs/render.sh), then UNIT_TWEAKS.
render_units() {
	qsfs_render_units "$D"
	[ -z "${UNIT_TWEAKS:-}" ] || eval "$UNIT_TWEAKS"
}

# stack_start: zinit over the rendered units, until fs is Running. The previous run's output
# is kept as $T/out.N. Records what every local QSFS file held, for stack_kept.
stack_start() {
	[ -e "$T/out" ] && cp "$T/out" "$T/out.$STARTS"
	STARTS=$((STARTS + 1))
	render_units
	keep_copies
	stack_snapshot >"$T/before.$STARTS"
	start_zinit
	wait_until 60 fs_running || fail "the stack did not come up (start $STARTS)"
	stack_kept "$T/before.$STARTS"
}
fs_running() { [ "$(zctl status fs 2>/dev/null | sed -n 's/^state: //p')" = Running ]; }

# stack_stop [SECONDS]: SIGTERM to zinit (docker stop), wait for the exit, STATUS.
stack_stop() { stop_zinit TERM "${1:-60}"; }

# qsfs_files: every zdb-namespace, i* and d* of zdbfs-meta and zdbfs-data.
qsfs_files() {
	find "$H/index/zdbfs-meta" "$H/index/zdbfs-data" "$H/data/zdbfs-meta" "$H/data/zdbfs-data" \
		-maxdepth 1 -type f \( -name zdb-namespace -o -name 'i[0-9]*' -o -name 'd[0-9]*' \) \
		2>/dev/null | sort
}
# stack_snapshot: "size path" of every QSFS file.
stack_snapshot() { local f; for f in $(qsfs_files); do echo "$(stat -c %s "$f") $f"; done; }
# stack_kept SNAPSHOT: every file of SNAPSHOT still starts with what it held then (zdb only
# appends; a restore over it would replace it) - checked against the copies of that moment.
stack_kept() {
	local size f
	while read -r size f; do
		[ -f "$f" ] || fail "$f was removed by start $STARTS"
		cmp -s -n "$size" "$f" "$T/keep$f" || fail "$f was replaced by start $STARTS"
	done <"$1"
}
# keep_copies: copies of every QSFS file, compared by stack_kept after the next start.
keep_copies() {
	local f
	rm -rf "$T/keep"
	for f in $(qsfs_files); do mkdir -p "$T/keep$(dirname "$f")" && cp "$f" "$T/keep$f"; done
}

# uploaded: every QSFS file has a remote copy with its blake2b-128 (the invariant after a stop).
uploaded() {
	local f n=0
	for f in $(qsfs_files); do
		same_remote "$f" || { echo "$f: no remote copy with the same checksum"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 4 ] || { echo "only $n QSFS files"; return 1; }
}
assert_uploaded() { uploaded >"$T/uploaded.out" || fail "after the stop: $(cat "$T/uploaded.out")"; }

# copy_in NAME BYTES: BYTES of random data into $MNT/NAME (kept as $T/NAME.ref), noting first
# where $T/out and zdbfs-data stood (FROM, WANT_BYTES: what zdbfs-data holds once the file is in).
copy_in() {
	bytes "$2" >"$T/$1.ref"
	FROM=$(lines_of "$T/out")
	WANT_BYTES=$(($(data_bytes) + $2))
	in_ns cp "$T/$1.ref" "$MNT/$1"
}
data_reached() { [ "$(data_bytes)" -ge "$WANT_BYTES" ]; }
# write_file NAME BYTES: copy_in, then waits until zdbfs has flushed all of it into zdb, data
# and metadata: a sync that wrote entries, then one that found the cache clean (a sync begun
# during the copy leaves work for the next).
# With REAL_ZDBFS=1 (make check-real with a real zdbfs, which logs no syncs): the file's
# bytes reach zdbfs-data when it is closed, and its inode zdbfs-meta about 10 s after its last
# use (measured: zdbfs' cache_sync), so it waits for the one, then for zdbfs-meta to grow.
write_file() {
	META_FROM=
	copy_in "$@"
	wait_until 30 synced || fail "$1 never reached zdb"
}
synced() {
	if [ -n "${REAL_ZDBFS:-}" ]; then
		if [ -z "$META_FROM" ]; then
			data_reached && META_FROM=$(meta_bytes)
			return 1
		fi
		[ "$(meta_bytes)" -gt "$META_FROM" ]
		return
	fi
	awk -v from="$FROM" 'NR > from && /^\[\+\] fs: \[\+\] cache: periodic sync, [1-9]/ { w = 1 }
		NR > from && w && /^\[\+\] fs: \[\+\] cache: periodic sync, clean/ { ok = 1 }
		END { exit !ok }' "$T/out"
}
# write_data NAME BYTES: copy_in, then waits only for the file's bytes in zdbfs-data; its inode
# may still be in zdbfs' cache (the stop flushes it).
write_data() {
	copy_in "$@"
	wait_until 30 data_reached || fail "$1 never reached zdb"
}
data_bytes() { cat "$H/data/zdbfs-data"/d* 2>/dev/null | wc -c; }
meta_bytes() { cat "$H/data/zdbfs-meta"/d* 2>/dev/null | wc -c; }
# same_file NAME: $MNT/NAME reads back as written.
same_file() { in_ns cmp -s "$MNT/$1" "$T/$1.ref"; }
# in_ns CMD...: CMD in zinit's mount namespace, where zdbfs mounted $MNT (unshare's
# --mount-proc gave PID 1 a mount namespace of its own).
in_ns() { if [ "$MODE" = pid1 ]; then nsenter -t "$ZPID" -m -- "$@"; else "$@"; fi; }
# data_files: how many d* files zdbfs-data has (rollovers + 1).
data_files() { find "$H/data/zdbfs-data" -maxdepth 1 -name 'd[0-9]*' | wc -l; }

# hold_hooks / release_hooks: this shell takes hooks.lock exclusively, as the drain does: a
# hook blocks on its shared lock there, after it has left zdb's process group and closed
# zdb's fds, so it stays "in flight" (a slow hook) until release_hooks.
hold_hooks() {
	mkdir -p "$H/qsfs"
	exec 9>>"$H/qsfs/hooks.lock"
	flock -x 9
}
release_hooks() { exec 9>&-; }
# hook_pids EVENT: the pids of zdb-hook processes of EVENT.
hook_pids() { pgrep -f "^$HOOK $1 " || true; }
has_hooks() { [ "$(hook_pids "$1" | wc -l)" -ge "$2" ]; }
# hooks_waiting N: at least N hooks wait on hooks.lock (/proc/locks), which a hook takes only
# once it has left zdb's process group and closed zdb's fds: pgrep sees it from its exec on.
hooks_waiting() {
	local ino
	ino=$(stat -c %i "$H/qsfs/hooks.lock")
	[ "$(grep -E -c -- "-> FLOCK +ADVISORY +[A-Z]+ +[0-9]+ +[0-9a-f]+:[0-9a-f]+:$ino " /proc/locks)" -ge "$1" ]
}

# stack_crash: every process of the stack SIGKILLed at once (a host crash: no drain).
stack_crash() {
	kill -KILL "$UPID" $(descendants "$UPID") 2>/dev/null
	wait "$UPID" 2>/dev/null
	[ "$MODE" = pid1 ] || umount -l "$MNT" 2>/dev/null
	true
}
