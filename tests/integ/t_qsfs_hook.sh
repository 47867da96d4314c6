# The zdb hook handler, run directly with the argv zdb uses (QSFS.md §1.2, §5.4): detached
# from zdb (own session, clean signals, no inherited fds), durable journal jobs per event,
# jump-index spool snapshots, a failed snapshot leaves nothing, missing-data verified.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/qsfs_lib.sh"
cd "$T" || fail "cd $T" # a zstor.log in the cwd would show here

ID=tcp://:::9900

# markers: exit 0, one job each, no namespace
for ev in namespaces-init ready close crash; do
	"$HOOK" $ev $ID "$H/index" "$H/data"
	assert_eq "$?" 0 "$ev"
	f=$(job_of $ev)
	[ -n "$f" ] || fail "no job for $ev"
	assert_eq "$(sed -n '1p;2p' "$f")" "qsfs-job 1
event $ev" "$ev job"
	assert_eq "$(tail -n 1 "$f")" end "$ev job ends"
	assert_eq "$(uploads_of "$f" | wc -l)" 0 "$ev uploads"
done
assert_eq "$(jobs)" 4 "jobs after the markers"
[ -z "$(find "$J" -name '*.tmp')" ] || fail "tmp files left in the journal"

# nothing recorded: unknown event, another namespace, deleted/reloaded
"$HOOK" brand-new-event $ID x y 2>"$T/err1"
assert_eq "$?" 0 "unknown event"
assert_eq "$(cat "$T/err1")" "zdb-hook: brand-new-event: unknown event" "unknown event message"
for args in "jump-data $ID $H/data/zdbfs-temp/d0 $H/data/zdbfs-temp/d1" \
	"namespace-created $ID zdbfs-temp" "namespace-updated $ID default" \
	"namespace-closing $ID zdbfs-temp $H/index/zdbfs-temp/i0 $H/data/zdbfs-temp/d0 0" \
	"jump-index $ID $H/index/default/i0 $H/index/default/i1 0" \
	"namespace-deleted $ID zdbfs-data" "namespace-reloaded $ID zdbfs-data"; do
	# shellcheck disable=SC2086
	"$HOOK" $args 2>/dev/null
	assert_eq "$?" 0 "$args"
done
assert_eq "$(jobs)" 4 "jobs after ignored events"

# namespace-created, jump-data, namespace-closing: live files journaled, in this order
"$HOOK" namespace-created $ID zdbfs-data
assert_eq "$?" 0 namespace-created
assert_eq "$(uploads_of "$(job_of namespace-created)")" "upload $I/zdb-namespace $I/zdb-namespace" \
	"namespace-created upload"
"$ZINIT" zdb-hook jump-data $ID "$D/d3" "$D/d4" # the verb form
assert_eq "$?" 0 jump-data
assert_eq "$(uploads_of "$(job_of jump-data)")" "upload $D/d3 $D/d3" "jump-data upload"
assert_eq "$(grep -x 'ns zdbfs-data' "$(job_of jump-data)")" "ns zdbfs-data" "jump-data ns"
"$HOOK" namespace-closing $ID zdbfs-data "$I/i7" "$D/d7" "0 7 2"
assert_eq "$?" 0 namespace-closing
assert_eq "$(uploads_of "$(job_of namespace-closing)")" "upload $I/zdb-namespace $I/zdb-namespace
upload $I/i7 $I/i7
upload $D/d7 $D/d7
upload $I/i0 $I/i0
upload $I/i2 $I/i2" "namespace-closing uploads"

# jump-index: $3 and the dirty i<id> copied into the spool before the hook returns
bytes 3000 >"$I/i0"
bytes 5000 >"$I/i1"
bytes 100 >"$I/i2"
h0=$(b2 "$I/i0") h1=$(b2 "$I/i1")
"$HOOK" jump-index $ID "$I/i1" "$I/i2" "0"
assert_eq "$?" 0 jump-index
f=$(job_of jump-index)
stem=$(basename "$f" .job)
S=$H/state/spool/$stem
assert_eq "$(uploads_of "$f")" "upload $S/i1 $I/i1
upload $S/i0 $I/i0" "jump-index uploads"
assert_eq "$(ls "$S" | tr '\n' ' ')" "i0 i1 " "spool content"
assert_eq "$(b2 "$S/i0") $(b2 "$S/i1")" "$h0 $h1" "spool copies"
assert_eq "$(stat -c %Y "$S/i1")" "$(stat -c %Y "$I/i1")" "spool copy keeps the mtime"
bytes 10 >>"$I/i0" # zdb goes on: the snapshot stays as it was
assert_eq "$(b2 "$S/i0")" "$h0" "snapshot after a later write"
# a dirty index missing locally is skipped (logged), $3 missing fails
"$HOOK" jump-index $ID "$I/i1" "$I/i2" "0 9" 2>"$T/err1"
assert_eq "$?" 0 "jump-index with a missing dirty file"
assert_line 'dirty index files missing locally were skipped' "$T/err1"
n=$(jobs)
"$HOOK" jump-index $ID "$I/i5" "$I/i6" "" 2>"$T/err1"
assert_eq "$?" 1 "jump-index of a missing file"
assert_line "^zdb-hook: jump-index zdbfs-data: snapshot of $I/i5: No such file or directory$" "$T/err1"
assert_eq "$(jobs)" "$n" "no job for a failed snapshot"
assert_eq "$(ls "$H/state/spool" | wc -l)" 2 "no spool dir for a failed snapshot"
# malformed command lines: exit 1, nothing recorded
"$HOOK" jump-index $ID "$I/i1" 2>"$T/err1"
assert_eq "$?" 1 "jump-index without its new index"
assert_line 'needs 2 arguments' "$T/err1"
"$HOOK" jump-index $ID "$I/i1" "$I/i2" "0 x" 2>/dev/null
assert_eq "$?" 1 "bad dirty list"
assert_eq "$(jobs)" "$n" "no job for malformed command lines"

# ENOSPC: a state dir on a 64 KiB tmpfs, a 256 KiB index file: exit 1, no partial spool
bytes 262144 >"$I/i3"
mkdir -p "$T/small"
unshare --mount sh -c '
	mount -t tmpfs -o size=64k tmpfs "$1" || exit 9
	QSFS_STATE_DIR=$1/state "$2" jump-index id "$3/i3" "$3/i4" "0" 2>"$1/err"
	echo "rc=$?"
	echo "spool=$(ls "$1/state/spool" 2>/dev/null | wc -l)"
	echo "jobs=$(ls "$1/state/journal" 2>/dev/null | wc -l)"
	cat "$1/err"' sh "$T/small" "$HOOK" "$I" >"$T/enospc" 2>&1
grep -q 'rc=9' "$T/enospc" && fail "cannot mount a tmpfs: $(cat "$T/enospc")"
assert_eq "$(sed -n 1,3p "$T/enospc")" "rc=1
spool=0
jobs=0" "jump-index on a full file system"
assert_line 'No space left on device' "$T/enospc"

# missing-data: verified retrieve; the manifest's digest, or zstor check's
bytes 4000 >"$T/r"
put_remote "$D/d1" "$T/r"
"$HOOK" missing-data $ID "$D/d1"
assert_eq "$?" 0 "missing-data of a stored file"
assert_eq "$(b2 "$D/d1")" "$(b2 "$(remote "$D/d1")")" "retrieved d1"
# the retrieved file is fsynced (it, then its directory) before its intent goes: after a
# crash, a file whose intent is gone counts as local and is never fetched again
rm "$D/d1"
# (LeakSanitizer cannot run under ptrace: off for this one run of an ASan build)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -f -qq -e trace=openat,fsync,unlink -o "$T/strace" "$HOOK" missing-data $ID "$D/d1"
assert_eq "$?" 0 "missing-data under strace"
order=$(awk -v f="\"$D/d1\"" -v dir="\"$D\"" '
	NR == 1 { hook = $1 }
	$1 != hook { next }
	/openat\(/ { fd = index($0, f ",") ? $NF : $NF == fd ? "" : fd }
	/openat\(/ { dfd = index($0, dir ",") ? $NF : $NF == dfd ? "" : dfd }
	fd != "" && $2 == "fsync(" fd ")" { print "file" }
	dfd != "" && $2 == "fsync(" dfd ")" { print "dir" }
	/unlink\(.*\/retrieve\// { print "intent" }' "$T/strace" | tr '\n' ' ')
assert_eq "$order" "file dir intent " "fsyncs of d1 and of its directory, then the intent's removal"
"$HOOK" missing-data $ID "$D/d2" 2>"$T/err1"
assert_eq "$?" 1 "missing-data of a file never stored"
[ ! -e "$D/d2" ] || fail "d2 exists after a failed retrieve"
knobs retrieve_partial=1 # half the file written, then an error
rm "$D/d1"
"$HOOK" missing-data $ID "$D/d1" 2>"$T/err1"
assert_eq "$?" 1 "missing-data with a partial retrieve"
assert_line 'zstor retrieve: exit status 1' "$T/err1"
[ ! -e "$D/d1" ] || fail "a partial d1 was left for zdb"
knobs "fail=$D/*" fail_ops=retrieve
"$HOOK" missing-data $ID "$D/d1" 2>"$T/err1"
assert_eq "$?" 1 "missing-data with zstor failing"
assert_line 'zstor retrieve: exit status 1' "$T/err1"
[ ! -e "$D/d1" ] || fail "d1 exists after zstor failed"
knobs
# the manifest's digest wins over zstor check's: a stale remote object is refused
echo "qsfs-manifest 1
00112233445566778899aabbccddeeff 4000 1 $D/d1" >"$H/state/manifest"
"$HOOK" missing-data $ID "$D/d1" 2>"$T/err1"
assert_eq "$?" 1 "missing-data against the manifest"
assert_line 'expected 00112233445566778899aabbccddeeff' "$T/err1"
rm "$H/state/manifest"
# zstor exits but leaves a process holding its stdout: the hook does not wait for it
printf '#!/bin/sh\nsleep 60 &\necho $! >"%s"\nexec "%s" "$@"\n' "$T/linger.pid" "$STANDINS/zstor" >"$H/bin/zstor-linger"
chmod +x "$H/bin/zstor-linger"
rm -f "$D/d1"
t0=$(date +%s)
QSFS_ZSTOR=$H/bin/zstor-linger "$HOOK" missing-data $ID "$D/d1"
assert_eq "$?" 0 "missing-data with a lingering zstor child"
[ $(($(date +%s) - t0)) -lt $((10 * SCALE)) ] || fail "the hook waited for zstor's grandchild"
kill "$(cat "$T/linger.pid")"
# zstor hangs: killed (with its group) at QSFS_RETRIEVE_TIMEOUT, no file left; the intent is
# (a monitor would finish the retrieve for nobody: t_qsfs_retrieve_late); the next missing-data
# of d1 takes it away once its own retrieve is verified
knobs retrieve_delay_ms=60000
rm -f "$D/d1"
QSFS_RETRIEVE_TIMEOUT=1 "$HOOK" missing-data $ID "$D/d1" 2>"$T/err1"
assert_eq "$?" 1 "missing-data with zstor hanging"
assert_line 'zstor retrieve: no answer in 1 s, killed' "$T/err1"
[ ! -e "$D/d1" ] || fail "d1 exists after the timeout"
assert_eq "$(grep -l -x "$D/d1" "$H/state/retrieve"/* | wc -l)" 1 "intents of d1 after the timeout"
knobs
"$HOOK" missing-data $ID "$D/d1"
assert_eq "$?" 0 "missing-data after a retrieve given up"
"$HOOK" missing-data $ID "$H/data/zdbfs-temp/d0" 2>"$T/err1"
assert_eq "$?" 1 "missing-data of another namespace"
[ -z "$(ls "$H/state/retrieve" 2>/dev/null)" ] || fail "retrieve intents left"

# a SIGTERM sent to zdb's group before the hook's setsid(): zdb forks its stop-path hooks with
# SIGTERM blocked, so the hook starts with it pending; it is discarded, and the event recorded
before=$(jobs)
python3 - "$HOOK" namespace-closing $ID zdbfs-data "$I/i9" "$D/d9" 0 <<'PY'
import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
os.kill(os.getpid(), signal.SIGTERM) # pending, blocked: kept across execv
os.execv(sys.argv[1], sys.argv[1:])
PY
assert_eq "$?" 0 "namespace-closing started with SIGTERM pending"
assert_eq "$(jobs)" $((before + 1)) "jobs after namespace-closing with SIGTERM pending"
assert_line "^upload $D/d9 $D/d9\$" "$(job_of namespace-closing)"

# process hygiene: a hook forked like zdb does on its stop path (SIGTERM blocked, SIGINT
# ignored, a flock()ed lockfile and a listening socket inherited), slow in missing-data
knobs retrieve_delay_ms=60000 # after half the file: d1 appearing means the hook is retrieving
rm -f "$D/d1"
python3 - "$HOOK" "$T/zdb.lockfile" "$T/hook.pid" "$D/d1" <<'PY' &
import fcntl, os, signal, socket, sys
hook, lockfile, pidfile, path = sys.argv[1:]
lock = open(lockfile, "w")
fcntl.flock(lock, fcntl.LOCK_EX)
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen()
for f in (lock.fileno(), sock.fileno()):
    os.set_inheritable(f, True)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
signal.signal(signal.SIGINT, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    os.execv(hook, [hook, "missing-data", "tcp://:::9900", path])
lock.close()
sock.close()
with open(pidfile + ".tmp", "w") as f:
    f.write("%d\n" % pid)
os.rename(pidfile + ".tmp", pidfile)
os.waitpid(pid, 0)
PY
FAKE_ZDB=$!
wait_pidfile "$T/hook.pid"
HP=$(cat "$T/hook.pid")
wait_file "$D/d1"
assert_eq "$(ps -o pgid= -p "$HP" | tr -d ' ')" "$HP" "hook's process group"
assert_eq "$(ps -o sid= -p "$HP" | tr -d ' ')" "$HP" "hook's session"
assert_eq "$(sed -n 's/^SigBlk:\t//p' "/proc/$HP/status")" 0000000000000000 "hook's signal mask"
assert_eq "$(sed -n 's/^SigIgn:\t//p' "/proc/$HP/status")" 0000000000000000 "hook's ignored signals"
for fd in /proc/"$HP"/fd/*; do
	case $(readlink "$fd") in
	*zdb.lockfile | socket:*) fail "the hook holds $(readlink "$fd") (fd $(basename "$fd"))" ;;
	esac
done
flock -n -x "$T/zdb.lockfile" true || fail "zdb's lockfile is still locked while the hook runs"
flock -n -x "$H/state/hooks.lock" true && fail "the running hook does not hold hooks.lock"
flock -n -s "$H/state/hooks.lock" true || fail "hooks.lock is not shared"
ZS=$(pgrep -P "$HP")
assert_eq "$(sed -n 's/^SigBlk:\t//p' "/proc/$ZS/status")" 0000000000000000 "zstor child's signal mask"
[ -n "$ZS" ] || fail "no zstor child"
assert_eq "$(ps -o pgid= -p "$ZS" | tr -d ' ')" "$ZS" "zstor child's process group"
kill -TERM "$HP" # default disposition again: it dies; its zstor child is in its own group
wait "$FAKE_ZDB"
wait_until 10 eval "! kill -0 $HP 2>/dev/null" || fail "the hook ignored SIGTERM"
kill -KILL -- -"$ZS"
[ -s "$ZLOG" ] || fail "zstor was not given --log_file in the state dir"
[ ! -e "$T/zstor.log" ] || fail "a zstor child wrote zstor.log into the cwd"
exit 0
