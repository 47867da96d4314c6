#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make demo-qsfs: the QSFS stack of etc/zinit/ on the test stand-ins, unattended: zinit starts
# zstor-log, zstor, wait_hooks, zdb, ns and fs in order; a file is written through zdbfs until
# zdb's data file rolls over; a docker-stop-style SIGTERM drains it all; the remote copies are
# listed.
# Needs root: a mount namespace for zdbfs' mount, and a PID namespace of which this script is
# PID 1, so that nothing it started outlives it, even when it fails half-way.
# Usage: examples/qsfs/demo.sh ZINIT STANDINS
set -euo pipefail
if [ -z "${QSFS_DEMO_NS:-}" ]; then
	QSFS_DEMO_NS=1 exec unshare --mount --propagation private --pid --fork --mount-proc \
		bash "$0" "$@"
fi
ZINIT=$(realpath "$1")
STANDINS=$(realpath "$2")
H=$(mktemp -d /tmp/qsfs-demo.XXXXXX)
MNT=$H/mnt
PORT=$((20000 + $$ % 30000))
DATASIZE=524288
SOCK=$H/zinit.sock
ZPID=
. "$(dirname "$0")/render.sh"
# on the way out (a failure half-way included): everything else in the namespace killed, zdbfs'
# mount gone, the scratch directory removed
on_exit() {
	[ $$ != 1 ] || kill -s KILL -- -1 2>/dev/null || true
	umount -l "$MNT" 2>/dev/null || true
	rm -rf "$H"
}
trap on_exit EXIT

# say TEXT: a heading, in bold on a terminal
if [ -t 1 ]; then
	say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
	say() { printf '\n== %s\n' "$*"; }
fi
wait_for() { # SECONDS CMD...
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || { echo "demo: timed out waiting for: $*" >&2; exit 1; }
		sleep 0.1
	done
}
fs_running() { "$ZINIT" -s "$SOCK" status fs 2>/dev/null | grep -q '^state: Running'; }
rolled() { [ -e "$H/data/zdbfs-data/d1" ]; }

mkdir -p "$H/units" "$MNT" "$H/remote"
printf 'socket = "%s/zstor.sock"\npid_file = "%s/zstor.pid"\n[standin]\nremote = "%s/remote"\n' \
	"$H" "$H" "$H" >"$H/zstor.toml"
qsfs_render_units "$H/units"

say "zinit init: the six units of etc/zinit/, on stand-ins, under $H"
"$ZINIT" -s "$SOCK" init -c "$H/units" --container &
ZPID=$!
wait_for 60 fs_running
say "zinit list"
"$ZINIT" -s "$SOCK" list

say "writing 700 KB through zdbfs ($MNT): zdb's 512 KiB data file rolls over"
head -c 700000 /dev/urandom >"$H/demo.ref"
cp "$H/demo.ref" "$MNT/demo.bin"
wait_for 30 rolled
sleep 1.5 # let wait_hooks upload what jump-index and jump-data journaled, for the status below
say "zinit qsfs status"
"$ZINIT" -s "$SOCK" qsfs status

say "SIGTERM (docker stop): fs, zdb, wait_hooks (the drain), zstor, zstor-log, in that order"
kill -TERM "$ZPID"
wait "$ZPID" && rc=0 || rc=$?
say "zinit exited with status $rc; the remote (the zstor stand-in's directory) holds:"
(cd "$H/remote/files" && find . -type f | sort | while read -r f; do
	local_f=${f#.}
	if [ "$(b2sum -l 128 <"$f" | cut -d' ' -f1)" = "$(b2sum -l 128 <"$local_f" | cut -d' ' -f1)" ]; then
		echo "  $local_f  (same blake2b-128 as the local file)"
	else
		echo "  $local_f  (DIFFERS from the local file)"
	fi
done)
exit "$rc"
