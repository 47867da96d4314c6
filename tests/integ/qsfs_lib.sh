# SPDX-License-Identifier: MIT
# Shared setup of the QSFS scenarios (sourced after lib.sh): a data volume, a fake remote,
# the QSFS_* settings, and helpers. zstor is tests/integ/fake_zstor.sh until the
# stand-in tests/standins/zstor lands.
H=$T/qsfs
I=$H/index/zdbfs-data
D=$H/data/zdbfs-data
J=$H/state/journal
R=$H/remote
mkdir -p "$I" "$D" "$H/index/zdbfs-meta" "$H/data/zdbfs-meta" "$R" "$H/bin"
echo "remote = \"$R\"" >"$H/zstor.toml"
ln -s "$ZINIT" "$H/bin/zdb-hook"
HOOK=$H/bin/zdb-hook
export QSFS_INDEX_DIR=$H/index QSFS_DATA_DIR=$H/data QSFS_STATE_DIR=$H/state
export QSFS_ZSTOR=$(cd "$(dirname "$0")" && pwd)/fake_zstor.sh QSFS_ZSTOR_CONFIG=$H/zstor.toml
export QSFS_READY_SOCKET=$H/ready.sock

# knobs LINE...: the fake zstor's knobs file, replaced.
knobs() { printf '%s\n' "$@" >"$R/.knobs"; }
# jobs: the number of job files in the journal.
jobs() { find "$J" -name '*.job' 2>/dev/null | wc -l; }
# job_of EVENT: the newest job file of that event.
job_of() { grep -l -x "event $1" "$J"/*.job 2>/dev/null | tail -n 1; }
# uploads_of FILE: its "upload SRC KEY" lines.
uploads_of() { grep '^upload ' "$1"; }
# b2 FILE: blake2b-128, as zstor check prints it.
b2() { b2sum -l 128 "$1" | cut -d' ' -f1; }
# remote KEY: where the fake keeps the object of KEY.
remote() { echo "$R/files$1"; }
# same_remote FILE...: each file has a remote copy with the same content.
same_remote() {
	local f
	for f in "$@"; do
		[ -f "$(remote "$f")" ] && [ "$(b2 "$f")" = "$(b2 "$(remote "$f")")" ] || return 1
	done
}
# bytes N: N bytes of varying content on stdout.
bytes() { head -c "$1" /dev/urandom; }
