# `zinit wait-hooks` driven directly: the resume of an unfinished drain and the restore of
# only missing files before the ready socket appears; continuous verified uploads while
# "zdb" (the hooks, run by hand) writes; a drain on SIGTERM that fails at its deadline and
# lists what is left; the next start finishing it; a drain waiting for a hook in flight.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T" # a zstor.log in the cwd would show here

monitor_start # zstor as in the image: every CLI command goes through its monitor

ID=tcp://:::9900
M=$H/index/zdbfs-meta
WH=
N=0
# start_wh: wait-hooks in the background, its output in $T/wh$N.out (N counts starts).
start_wh() {
	N=$((N + 1))
	"$ZINIT" wait-hooks >"$T/wh$N.out" 2>&1 &
	WH=$!
}
out() { echo "$T/wh$N.out"; }
# stop_wh [SECONDS]: SIGTERM, wait for the exit, STATUS.
stop_wh() {
	kill -TERM "$WH"
	wait_until "${1:-20}" eval "! kill -0 $WH 2>/dev/null" || fail "wait-hooks did not exit: $(cat "$(out)")"
	wait "$WH"
	STATUS=$?
}
status_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$H/state/status.json" "$1"; }
connects() { python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$QSFS_READY_SOCKET" 2>/dev/null; }
empty_dir() { [ -z "$(ls -A "$1" 2>/dev/null)" ]; }

# ---- the state a killed container left: newer local files, an unfinished job, leftovers
for f in "$I/zdb-namespace" "$I/i0" "$I/i1" "$D/d0" "$D/d1"; do bytes 2000 >"$f"; done
for f in "$I/i0" "$D/d0"; do # older remote copies: must be replaced, never restored
	bytes 1500 >"$T/old"
	put_remote "$f" "$T/old"
done
for f in "$I/i2" "$I/i3" "$D/d2" "$D/d3" "$M/zdb-namespace" "$M/i0" "$H/data/zdbfs-meta/d0"; do
	bytes 1200 >"$T/r"
	put_remote "$f" "$T/r"
done
before=$(b2sum "$I/zdb-namespace" "$I/i0" "$I/i1" "$D/d0" "$D/d1")
mkdir -p "$J" "$H/state/spool/00000000000000000001-1" "$H/state/retrieve"
S=$H/state/spool/00000000000000000002-2
mkdir -p "$S"
cp -p "$I/i1" "$S/i1"
printf 'qsfs-job 1\nevent jump-index\nns zdbfs-data\ntime 2\npid 2\nupload %s %s\nend\n' \
	"$S/i1" "$I/i1" >"$J/00000000000000000002-2.job"
printf 'qsfs-job 1\nevent jump-da' >"$J/00000000000000000003-3.job.tmp" # torn, never renamed
bytes 700 >"$D/d9" # a retrieve killed half-way: partial, must never be uploaded
printf '%s\n' "$D/d9" >"$H/state/retrieve/00000000000000000004-4"
knobs retrieve_delay_ms=200
export QSFS_DRAIN_TIMEOUT=$((6 * SCALE)) QSFS_CLOSING_GRACE_MS=400

start_wh
wait_line '^wait_hooks: ready: zdb may start' "$(out)" 30
# resume and restore came first, in this order, and only then the socket
[ "$(line_no '^wait_hooks: removed 1 partially retrieved' "$(out)")" -gt 0 ] || fail "partial retrieve not removed"
r=$(line_no '^wait_hooks: resume .* 0 failed' "$(out)") s=$(line_no '^wait_hooks: restored ' "$(out)")
[ "$r" -gt 0 ] && [ "$s" -gt "$r" ] && [ "$(line_no '^wait_hooks: ready' "$(out)")" -gt "$s" ] ||
	fail "resume, restore, ready out of order: $(cat "$(out)")"
connects || fail "the ready socket does not accept"
[ ! -e "$D/d9" ] && [ ! -e "$(remote "$D/d9")" ] || fail "the partial d9 survived or was uploaded"
assert_eq "$(b2sum "$I/zdb-namespace" "$I/i0" "$I/i1" "$D/d0" "$D/d1")" "$before" "local files after the start"
same_remote "$I/zdb-namespace" "$I/i0" "$I/i1" "$D/d0" "$D/d1" || fail "local files not uploaded by the resume"
for f in "$I/i2" "$I/i3" "$D/d3" "$M/zdb-namespace" "$M/i0" "$H/data/zdbfs-meta/d0"; do
	[ -f "$f" ] && same_remote "$f" || fail "$f not restored"
done
[ ! -e "$D/d2" ] || fail "d2 restored: only the data file of the last index is"
assert_eq "$(grep -c "RETRIEVE-DONE key=$I/i0 " "$MLOG")" 0 "a local file was retrieved"
empty_dir "$J" && empty_dir "$H/state/spool" || fail "journal or spool not empty after the resume"
# (status.json is written just after the ready line)
wait_until 10 eval '[ "$(status_field phase)" = running ]' || fail "status phase: $(status_field phase)"
assert_eq "$(status_field restored)" 6 "status restored"

# ---- continuous upload: zdb's hooks while it runs
bytes 3000 >"$D/d4"
"$HOOK" jump-data $ID "$D/d4" "$D/d5"
bytes 100 >>"$I/i0"
bytes 2000 >"$I/i4"
"$HOOK" jump-index $ID "$I/i4" "$I/i5" "0"
wait_until 15 same_remote "$D/d4" "$I/i4" "$I/i0" || fail "hooks' files not uploaded while running"
wait_until 10 eval 'empty_dir "$J" && empty_dir "$H/state/spool"' || fail "journal not emptied: $(ls "$J")"
grep -q " $D/d4\$" "$H/state/manifest" || fail "d4 not in the manifest"
# idle, wait_hooks sleeps and writes nothing (it scanned the journal and rewrote status.json
# every second before: a write to the volume every second, for ever): the status file keeps
# its inode (each write replaces it) and the process is not woken
idle_state() { echo "$(stat -c %i "$H/state/status.json") $(sleeps_woken "$WH")"; }
settled() { local a; a=$(idle_state) && sleep 0.3 && [ "$(idle_state)" = "$a" ]; }
wait_until 10 settled || fail "wait_hooks does not settle"
idle0=$(idle_state)
absent_for 3 "idle wait_hooks woke up or rewrote status.json" eval '[ "$(idle_state)" != "$idle0" ]'
# a job that changes nothing in the status (zdb's ready marker) is taken, and the status
# file is not written again
ino0=$(stat -c %i "$H/state/status.json")
"$HOOK" ready $ID
wait_until 10 empty_dir "$J" || fail "the ready marker's job was not taken"
absent_for 1 "status.json rewritten after a job that changed nothing" \
	eval '[ "$(stat -c %i "$H/state/status.json")" != "$ino0" ]'
# a failing file is retried with backoff and does not hold the others back
knobs "fail=$D/d5"
bytes 3000 >"$D/d5"
"$HOOK" jump-data $ID "$D/d5" "$D/d6"
bytes 3000 >"$D/d6"
"$HOOK" jump-data $ID "$D/d6" "$D/d7"
wait_until 15 same_remote "$D/d6" || fail "d6 held back by the failing d5"
wait_until 10 eval '[ "$(status_field failed)" = 1 ]' || fail "status does not count the failure"
assert_line "^wait_hooks: upload failed, retrying in [0-9]+ s: $D/d5: zstor store: exit status 1" "$(out)"
wait_until 10 eval '[ "$(grep -c "INJECTED store failure key=$D/d5 " "$MLOG")" -ge 2 ]' || fail "d5 not retried"
# namespace-closing is left for the drain: zdb may still be writing
"$HOOK" close $ID
bytes 500 >"$I/i5"
bytes 800 >"$D/d7"
"$HOOK" namespace-closing $ID zdbfs-data "$I/i5" "$D/d7" "0"
absent_for 2.5 "namespace-closing uploaded while zdb may run" test -e "$(remote "$I/i5")"
grep -q -x 'event namespace-closing' "$J"/*.job || fail "the namespace-closing job is gone"

# ---- drain: zdbfs-meta never sends namespace-closing (grace), d5 still fails (deadline)
bytes 10 >>"$I/i5" # zdb's last writes after the hook
kill -TERM "$WH"
wait_line '^wait_hooks: SIGTERM: draining' "$(out)"
kill -TERM "$WH" # a second one is ignored
stop_wh 30
assert_eq "$STATUS" 1 "drain with a failing file"
assert_line '^wait_hooks: SIGTERM again: ignored, the drain goes on' "$(out)"
assert_line '^wait_hooks: not every namespace sent namespace-closing within 400 ms' "$(out)"
assert_line '^wait_hooks: drain [0-9]+/[0-9]+ files, 1 failed, retrying' "$(out)"
assert_line "^wait_hooks: drain gave up at its deadline: 1 file has no verified remote copy:" "$(out)"
# d5 is listed with its last error: the injected failure, or, on a loaded machine, its last try
# cut at the deadline
grep -qE "^wait_hooks:   $D/d5 \\(zstor store: (exit status 1|no answer in [0-9]+ m?s, killed), [0-9]+ attempts\\)" "$(out)" ||
	fail "d5 is not listed with its last error: $(grep -A3 'gave up' "$(out)")"
same_remote "$I/i5" "$D/d7" "$I/i0" || fail "the drain did not upload the final files"
assert_eq "$(status_field phase)" failed "status after a failed drain"
[ "$(uploads_of "$(job_of drain-left)")" = "upload $D/d5 $D/d5" ] || fail "d5 not journaled: $(ls "$J")"

# ---- the next start finishes it; then a clean stop leaves nothing behind
knobs
unset QSFS_DRAIN_TIMEOUT
start_wh
wait_line '^wait_hooks: ready: zdb may start' "$(out)" 30
same_remote "$D/d5" || fail "d5 not uploaded by the next start"
empty_dir "$J" || fail "journal not empty after the resume: $(ls "$J")"
# a hook in flight (a slow missing-data) when the drain starts: the drain waits for it
[ ! -e "$D/d2" ] || fail "d2 is local"
knobs retrieve_delay_ms=5000
"$HOOK" missing-data $ID "$D/d2" &
MD=$!
wait_file "$D/d2" # half written: the retrieve is under way
"$HOOK" close $ID
stop_wh 30
assert_eq "$STATUS" 0 "clean drain"
kill -0 "$MD" 2>/dev/null && fail "the drain ended while a hook was running"
wait "$MD"
assert_eq "$?" 0 "missing-data during the drain"
assert_line '^wait_hooks: drain done: every file has a verified remote copy' "$(out)"
empty_dir "$J" && empty_dir "$H/state/spool" || fail "journal or spool left after a clean drain"
for f in "$I"/* "$D"/* "$M"/* "$H"/data/zdbfs-meta/*; do
	same_remote "$f" || fail "$f has no identical remote copy after the drain"
done
assert_eq "$(status_field phase)" done "status after the drain"
[ ! -e "$QSFS_READY_SOCKET" ] || fail "ready socket left behind"
[ ! -e "$T/zstor.log" ] || fail "a zstor child wrote zstor.log into the cwd"
exit 0
