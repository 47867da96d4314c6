# SPDX-License-Identifier: MIT
# The zstor stand-in behaves as the steering QSFS.md §3 says: CLI and exit codes, keys (-k, dirs, -d), blake2b-128 checksums, the bincode socket bytes, the monitor's queue (--notblocking acknowledged before the file is read; a failing one wedges level 1 and the drain while blocking commands pass), the SIGTERM drain, and the knobs. zinit is not involved: the monitor runs directly, the same in both MODEs.
. "$(dirname "$0")/lib.sh"
: "${STANDINS:?STANDINS must name the stand-ins build dir}"

Z=$STANDINS/zstor
R=$T/remote # the stand-in's "backend"
W=$T/work   # cwd of every zstor process: zstor.log lands here
LOG=$W/zstor.log
mkdir -p "$R" "$W"
cd "$W" || fail "cd $W"
MONS=
trap 'for p in $MONS; do kill -KILL "$p" 2>/dev/null; done; cleanup' EXIT

# A real config's other keys and tables are skipped.
cat >"$T/inproc.toml" <<EOF
minimal_shards = 1
max_zdb_data_dir_size = 10240
[encryption]
algorithm = "AES"
[[groups]]
backends = [
  { address = "[::1]:9900" },
]
[standin]
remote = "$R"
EOF
cat >"$T/daemon.toml" <<EOF
socket = "$T/zstor.sock"
pid_file = "$T/zstor.pid"
[standin]
remote = "$R"
EOF

zs() { "$Z" -c "$T/inproc.toml" "$@"; }
zd() { "$Z" -c "$T/daemon.toml" "$@"; }
knobs() { printf '%s\n' "$@" >"$R/.knobs"; }
b2() { b2sum -l 128 "$1" | cut -d' ' -f1; }
obj() { echo "$R/files$1"; }
stored() { [ -f "$(obj "$1")" ]; }
count() { cat "$R/.count" 2>/dev/null || echo 0; }
hex() { od -An -tx1 -v | tr -d ' \n'; }
# expect_rc WANT MSG CMD...: runs CMD (stdout+stderr in $OUT), checks its exit status.
expect_rc() {
	local want=$1 msg=$2 rc
	shift 2
	OUT=$("$@" 2>&1)
	rc=$?
	[ "$rc" = "$want" ] || fail "$msg: exit $rc, expected $want; output: $OUT"
}
start_mon() {
	"$Z" -c "$T/daemon.toml" monitor 2>>"$T/mon.err" &
	MON=$!
	MONS="$MONS $MON"
	wait_line "MONITOR started .* pid=$MON\$" "$LOG"
}
retries() { count_lines "RETRY .*$1" "$LOG"; }

# ---- in-process (no socket): round trip, checksum, skip when unchanged, unknown keys
head -c 100000 /dev/urandom >"$W/f1"
cp "$W/f1" "$T/f1.orig"
expect_rc 0 "in-process store" zs store -f "$W/f1"
cmp -s "$W/f1" "$(obj "$W/f1")" || fail "the object differs from the file"
assert_eq "$(zs check -f "$W/f1")" "$(b2 "$W/f1")" "check = b2sum -l 128"
n=$(count)
expect_rc 0 "store again" zs store -f "$W/f1"
assert_eq "$(count)" "$n" "an unchanged file is not uploaded again"
rm "$W/f1"
expect_rc 0 "retrieve" zs retrieve -f "$W/f1"
cmp -s "$W/f1" "$T/f1.orig" || fail "retrieved content differs"
expect_rc 1 "retrieve of an unknown key" zs retrieve -f "$W/nothing"
case $OUT in *"no metadata found for file"*) ;; *) fail "unknown key: $OUT" ;; esac
[ ! -e "$W/nothing" ] || fail "a failed retrieve created the file"
expect_rc 0 "check of an unknown key" zs check -f "$W/nothing"
assert_eq "$OUT" "" "check of an unknown key prints nothing"
echo rel >"$W/rel"
expect_rc 0 "store of a relative path" zs store -f rel
stored "$W/rel" || fail "relative path not canonicalised into the key"

# ---- two reads, as zstor's process_file: the checksum of the first is the metadata (what check
# prints), the content of the second is the object (what retrieve returns); a file changed
# between them stays so, since a store of the first content again is skipped
head -c 3000 /dev/urandom >"$W/two"
cp "$W/two" "$T/two.first"
knobs "gate=$T/open2"
zs store -f "$W/two" >"$T/two.out" 2>&1 &
two=$!
wait_line "GATE store file=$W/two key=$W/two waits for $T/open2" "$LOG"
head -c 2000 /dev/urandom >"$W/two"
cp "$W/two" "$T/two.second"
touch "$T/open2"
wait "$two" || fail "store across a change: $(cat "$T/two.out")"
knobs
assert_eq "$(zs check -f "$W/two")" "$(b2 "$T/two.first")" "check: the first read's checksum"
cmp -s "$(obj "$W/two")" "$T/two.second" || fail "the object is not the second read's content"
cp "$T/two.first" "$W/two"
expect_rc 0 "store of the first content again" zs store -f "$W/two"
assert_line "STORE-SKIP key=$W/two b2=$(b2 "$T/two.first")" "$LOG"
rm "$W/two"
expect_rc 0 "retrieve after the change" zs retrieve -f "$W/two"
cmp -s "$W/two" "$T/two.second" || fail "retrieve did not return the stored object"
# the metadata decides what is stored: an object without it is not there
mkdir -p "$(dirname "$(obj "$W/bare")")" && echo bare >"$(obj "$W/bare")"
expect_rc 0 "check of an object without metadata" zs check -f "$W/bare"
assert_eq "$OUT" "" "check of an object without metadata prints nothing"
expect_rc 1 "retrieve of an object without metadata" zs retrieve -f "$W/bare"
case $OUT in *"no metadata found for file"*) ;; *) fail "object without metadata: $OUT" ;; esac

# ---- keys: --key-path, a dir store with -d (only the regular files directly in it)
mkdir -p "$T/spool/j1" "$T/spool/j2/sub" "$T/index/ns"
echo idx >"$T/spool/j1/i0"
expect_rc 0 "store -k" zs store -f "$T/spool/j1/i0" -k "$T/index/ns"
stored "$T/index/ns/i0" || fail "the key is --key-path/basename"
[ ! -e "$T/index/ns/i0" ] || fail "canonicalisation left a file in the key dir"
expect_rc 1 "store -k with a missing dir" zs store -f "$T/spool/j1/i0" --key-path="$T/missing"
echo a >"$T/spool/j2/i1"
echo b >"$T/spool/j2/i2"
ln -s i1 "$T/spool/j2/lnk"
expect_rc 0 "dir store -d" zs store -s -d -f "$T/spool/j2" -k "$T/index/ns"
for f in i1 i2; do
	stored "$T/index/ns/$f" || fail "dir store: $f not stored"
	[ ! -e "$T/spool/j2/$f" ] || fail "dir store -d: $f not deleted"
done
[ -L "$T/spool/j2/lnk" ] && [ -d "$T/spool/j2/sub" ] || fail "dir store touched a non-regular entry"
[ ! -e "$(obj "$T/index/ns/lnk")" ] || fail "dir store stored a symlink"

# ---- CLI: options after the subcommand, required --file, global options, missing config
expect_rc 1 "store without --file" zs store
expect_rc 1 "-c after the subcommand" zs check -f "$W/rel" -c x
expect_rc 0 "global options" "$Z" --log_file "$T/other.log" -d --config="$T/inproc.toml" check --file="$W/rel"
[ -s "$T/other.log" ] || fail "--log_file not written"
expect_rc 1 "missing config" "$Z" -c "$T/nope.toml" check -f /x

# ---- the client's request bytes (QSFS.md §3.2), captured by a fake daemon that answers Success
python3 - "$T/fake.sock" "$T/req.hex" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1); s.settimeout(60)
c, _ = s.accept(); c.settimeout(60)
data = b""
while len(data) < 2 or len(data) < 2 + int.from_bytes(data[:2], "big"):
    chunk = c.recv(4096)
    if not chunk:
        break
    data += chunk
open(sys.argv[2], "w").write(data.hex())
c.sendall(bytes.fromhex("000400000000")); c.close()
PY
fake=$!
wait_until 10 test -S "$T/fake.sock" || fail "fake daemon"
printf 'socket = "%s"\n[standin]\nremote = "%s"\n' "$T/fake.sock" "$R" >"$T/fake.toml"
expect_rc 0 "client with a Success reply" "$Z" -c "$T/fake.toml" store --notblocking -s --file /data/data/zdbfs-data/d3
wait "$fake"
want="0028""00000000""1800000000000000""$(printf %s /data/data/zdbfs-data/d3 | hex)""00""01""00""00"
assert_eq "$(cat "$T/req.hex")" "$want" "store -n -s request bytes"

# ---- monitor 1: round trip through the socket, a second instance, then the wedge
start_mon
expect_rc 1 "a second monitor" "$Z" -c "$T/daemon.toml" monitor
case $OUT in *"another daemon instance is running"*) ;; *) fail "second monitor: $OUT" ;; esac
head -c 50000 /dev/urandom >"$W/d1"
cp "$W/d1" "$T/d1.orig"
expect_rc 0 "store via the daemon" zd store -f "$W/d1"
assert_line "QUEUED prio=0 store file=$W/d1 .*blocking=1" "$LOG"
assert_eq "$(zd check -f "$W/d1")" "$(b2 "$W/d1")" "check via the daemon"
rm "$W/d1"
expect_rc 0 "retrieve via the daemon" zd retrieve -f "$W/d1"
cmp -s "$W/d1" "$T/d1.orig" || fail "retrieved content via the daemon"
expect_rc 1 "retrieve of an unknown key via the daemon" zd retrieve -f "$W/nothing"
case $OUT in "Zstor error: "*"no metadata found for file"*) ;; *) fail "daemon error text: $OUT" ;; esac
expect_rc 0 "check of an unknown key via the daemon" zd check -f "$W/nothing"
assert_eq "$OUT" "" "check of nothing via the daemon"

# --notblocking is acknowledged while the worker is held at the gate: nothing has been read
knobs "gate=$T/open"
echo busy >"$W/busy"
echo gone >"$W/gone"
echo fine >"$W/fine"
n=$(count)
for f in busy gone fine; do
	expect_rc 0 "store -n $f" zd store -n -s -f "$W/$f"
done
assert_line "QUEUED prio=1 store file=$W/fine .*blocking=0" "$LOG"
! stored "$W/busy" && [ "$(count)" = "$n" ] || fail "a --notblocking store ran before its ack"
rm "$W/gone" # acknowledged, not read yet: this store can never succeed
touch "$T/open"
wait_until 10 stored "$W/busy" || fail "busy never stored"
wait_until 10 eval '[ "$(retries "$W/gone")" -ge 3 ]' || fail "the failing store is not retried"
stored "$W/fine" && fail "fine ran although a failing store sits before it at level 1"
# the wire example itself, sent raw: acknowledged at once with exactly 00 04 00 00 00 00
python3 - "$T/zstor.sock" >"$T/resp.hex" <<'PY'
import socket, sys
req = bytes.fromhex("0028" "00000000" "1800000000000000") + b"/data/data/zdbfs-data/d3" + bytes.fromhex("00010000")
s = socket.socket(socket.AF_UNIX); s.settimeout(60); s.connect(sys.argv[1]); s.sendall(req)
r = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    r += b
print(r.hex())
PY
assert_eq "$(cat "$T/resp.hex")" "000400000000" "Success reply bytes"
echo blk >"$W/blk"
expect_rc 0 "a blocking store passes the wedge" zd store -f "$W/blk"
stored "$W/blk" || fail "blocking store not stored"
stored "$W/fine" && fail "fine ran during the wedge"
# SIGTERM: Finalize sits behind the failing store; accept() is no longer polled
kill -TERM "$MON"
wait_line "MONITOR got signal 15, draining" "$LOG"
kill -TERM "$MON" # ignored
expect_rc 124 "a client during the drain hangs" timeout $((2 * SCALE)) "$Z" -c "$T/daemon.toml" check -f "$W/blk"
kill -0 "$MON" 2>/dev/null || fail "the wedged monitor exited"
assert_no_line "FINALIZE reached" "$LOG"
stored "$W/fine" && fail "fine ran during the wedged drain"
kill -KILL "$MON"
wait "$MON"
assert_eq "$?" 137 "wedged monitor needs SIGKILL"
[ -S "$T/zstor.sock" ] && [ -f "$T/zstor.pid" ] || fail "SIGKILL should leave the socket and pid files"
grep -q "$W/gone" "$R/.failures" || fail "--save-failure recorded nothing"

# ---- fail_until (in-process, then retried by a new monitor until it recovers)
echo flaky >"$W/flaky"
# (failing for good until the monitor has retried it once, then until 1 s from then)
knobs "fail=*/flaky"
expect_rc 1 "store of a failing key" zs store -f "$W/flaky"
start_mon # removes the stale socket; the stale pid file names a dead process
expect_rc 0 "store -n of a failing key" zd store -n -f "$W/flaky"
wait_until 10 eval '[ "$(retries "$W/flaky")" -ge 1 ]' || fail "flaky is not retried"
knobs "fail=*/flaky" "fail_until=$(($(date +%s) + 1))"
wait_until 20 stored "$W/flaky" || fail "flaky never recovered after fail_until"
assert_eq "$(zd check -f "$W/flaky")" "$(b2 "$W/flaky")" "recovered object's checksum"

# ---- the drain: queued stores complete, then exit 0 and the socket and pid file are removed
knobs "store_delay_ms=200"
for f in q1 q2 q3; do
	echo "$f" >"$W/$f"
	expect_rc 0 "store -n $f" zd store -n -f "$W/$f"
done
kill -TERM "$MON"
wait_until 30 eval '! kill -0 "$MON" 2>/dev/null' || fail "monitor did not drain"
wait "$MON"
assert_eq "$?" 0 "drained monitor's exit status"
for f in q1 q2 q3; do stored "$W/$f" || fail "$f lost by the drain"; done
assert_line "FINALIZE reached" "$LOG"
[ ! -e "$T/zstor.sock" ] && [ ! -e "$T/zstor.pid" ] || fail "socket or pid file left after the drain"
expect_rc 1 "a client without daemon" zd check -f "$W/q1"
case $OUT in *"Could not connect to daemon socket"*) ;; *) fail "no daemon: $OUT" ;; esac

# ---- crash_after_stores: SIGABRT half-way, no partial object (in-process, then the monitor)
head -c 1048576 /dev/urandom >"$W/big"
knobs "crash_after_stores=$(($(count) + 1))"
expect_rc 134 "store that crashes" zs store -f "$W/big"
[ ! -e "$(obj "$W/big")" ] || fail "a crashed store left an object"
assert_eq "$(zs check -f "$W/big")" "" "check after a crashed store"
[ -n "$(find "$R/tmp" -type f -size 512k)" ] || fail "no half-written temp file"
start_mon
knobs "crash_after_stores=$(($(count) + 1))"
expect_rc 1 "store when the monitor crashes" zd store -f "$W/big"
case $OUT in *"early eof"*) ;; *) fail "client of a crashed monitor: $OUT" ;; esac
wait "$MON"
assert_eq "$?" 134 "crashed monitor's exit status"
[ ! -e "$(obj "$W/big")" ] || fail "a crashed monitor left an object"
knobs
expect_rc 0 "store after the crash" zs store -f "$W/big"

# ---- retrieve_partial: half the file is left behind, exit 1
cp "$W/big" "$T/big.orig"
knobs "retrieve_partial=1"
expect_rc 1 "partial retrieve" zs retrieve -f "$W/big"
assert_eq "$(stat -c %s "$W/big")" 524288 "partial file size"
knobs
expect_rc 0 "retrieve" zs retrieve -f "$W/big"
cmp -s "$W/big" "$T/big.orig" || fail "retrieved content after a partial one"
