# SPDX-License-Identifier: MIT
# Shared setup of the QSFS scenarios (sourced after lib.sh): a data volume, the zstor
# stand-in (tests/standins/zstor) with its remote directory, the QSFS_* settings, helpers.
: "${STANDINS:?STANDINS must name the stand-ins build dir}"
H=$T/qsfs
I=$H/index/zdbfs-data
D=$H/data/zdbfs-data
J=$H/state/journal
R=$H/remote
ZLOG=$H/state/zstor.log # what the zstor CLI runs of the built-ins log (in-process commands)
mkdir -p "$I" "$D" "$H/index/zdbfs-meta" "$H/data/zdbfs-meta" "$R" "$H/bin"
printf '[standin]\nremote = "%s"\n' "$R" >"$H/zstor.toml"
ln -s "$ZINIT" "$H/bin/zdb-hook"
HOOK=$H/bin/zdb-hook
export QSFS_INDEX_DIR=$H/index QSFS_DATA_DIR=$H/data QSFS_STATE_DIR=$H/state
export QSFS_ZSTOR=$STANDINS/zstor QSFS_ZSTOR_CONFIG=$H/zstor.toml
export QSFS_READY_SOCKET=$H/ready.sock

# knobs LINE...: the stand-in's knobs file, replaced (read at every operation).
knobs() { printf '%s\n' "$@" >"$R/.knobs"; }
# jobs: the number of job files in the journal.
jobs() { find "$J" -name '*.job' 2>/dev/null | wc -l; }
# job_of EVENT: the newest job file of that event.
job_of() { grep -l -x "event $1" "$J"/*.job 2>/dev/null | tail -n 1; }
# uploads_of FILE: its "upload SRC KEY" lines.
uploads_of() { grep '^upload ' "$1"; }
# b2 FILE: blake2b-128, as zstor check prints it.
b2() { b2sum -l 128 "$1" | cut -d' ' -f1; }
# remote KEY: where the stand-in keeps the object of KEY (its metadata, the checksum that
# zstor check prints, is at $R/meta/KEY).
remote() { echo "$R/files$1"; }
# put_remote KEY FILE: an object stored earlier (by another run), with its metadata.
put_remote() {
	mkdir -p "$(dirname "$(remote "$1")")" "$(dirname "$R/meta$1")" && cp "$2" "$(remote "$1")" &&
		b2 "$2" >"$R/meta$1"
}
# rm_remote KEY: nothing is stored under KEY any more.
rm_remote() { rm -f "$(remote "$1")" "$R/meta$1"; }
# same_remote FILE...: each file has a remote copy with the same content.
same_remote() {
	local f
	for f in "$@"; do
		[ -f "$(remote "$f")" ] && [ "$(b2 "$f")" = "$(b2 "$(remote "$f")")" ] || return 1
	done
}
# bytes N: N bytes of varying content on stdout.
bytes() { head -c "$1" /dev/urandom; }

# monitor_start: the zstor stand-in's monitor, which the CLI calls go through as they do to
# zstor's (one worker, blocking commands in arrival order); its log is $MLOG.
monitor_start() {
	MLOG=$T/monitor.log
	printf 'socket = "%s"\npid_file = "%s"\n[standin]\nremote = "%s"\n' "$T/zstor.sock" "$T/zstor.pid" "$R" >"$H/zstord.toml"
	export QSFS_ZSTOR_CONFIG=$H/zstord.toml
	"$STANDINS/zstor" -c "$H/zstord.toml" --log_file "$MLOG" monitor 2>>"$T/monitor.err" &
	MON=$!
	trap 'kill -KILL $MON 2>/dev/null; cleanup' EXIT
	wait_file "$T/zstor.sock"
}
# wh_exit PID OUT STATUS [SECONDS]: the wait-hooks PID (its output in OUT) exits with STATUS,
# within SECONDS (default 60).
wh_exit() {
	wait_until "${4:-60}" eval "! kill -0 $1 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$2")"
	wait "$1"
	assert_eq "$?" "$3" "wait-hooks' exit status ($2)"
}
# start_and_drain OUT STATUS [CMD...]: wait-hooks up to its ready socket, CMD, then SIGTERM: it
# must drain and exit with STATUS (0: every file verified; 1: the drain gave up).
start_and_drain() {
	local out=$1 status=$2
	shift 2
	"$ZINIT" wait-hooks >"$out" 2>&1 &
	local wh=$!
	wait_line '^wait_hooks: ready: zdb may start' "$out" 60
	"$@"
	kill -TERM "$wh"
	wh_exit "$wh" "$out" "$status"
}
