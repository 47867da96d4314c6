# `zinit ns`: NSNEW of each namespace over RESP against a stand-in responder: created, then
# "already exists" (exit 0 both times), an unexpected error reply or no zdb at all (exit 1,
# one line naming the namespace and the reply), the default address and QSFS_NS_CREATE.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
servers=
trap 'kill $servers 2>/dev/null; cleanup' EXIT

# respd NAME ADDR MODE [BADNAME]: a RESP responder (tests/integ/respd.py); PORT once it listens.
respd() {
	python3 "$here/respd.py" "$2" "$T/$1.ready" "$3" ${4:+"$4"} >"$T/$1.log" 2>&1 &
	servers="$servers $!"
	wait_file "$T/$1.ready"
	PORT=$(cat "$T/$1.ready")
}

# ns EXPECTED_RC ARGS...: runs `zinit ns ARGS` (env as given); stdout in OUT, stderr in ERR.
ns() {
	local want=$1 start
	shift
	start=$(date +%s%N)
	"$ZINIT" ns "$@" >"$T/ns.out" 2>"$T/ns.err"
	local rc=$?
	MS=$((($(date +%s%N) - start) / 1000000))
	OUT=$(cat "$T/ns.out")
	ERR=$(cat "$T/ns.err")
	assert_eq "$rc" "$want" "exit status of 'zinit ns $*' (stderr: $ERR)"
}

# ---- created, then already there: exit 0 both times, one line per namespace, in order -------
respd zdb 127.0.0.1:0 ns bad
addr=127.0.0.1:$PORT
ns 0 "$addr"
assert_eq "$OUT" "ns: zdbfs-meta created
ns: zdbfs-data created
ns: zdbfs-temp created" "first run"
assert_eq "$ERR" "" "stderr of the first run"
ns 0 "$addr"
assert_eq "$OUT" "ns: zdbfs-meta already exists
ns: zdbfs-data already exists
ns: zdbfs-temp already exists" "second run"
assert_eq "$ERR" "" "stderr of the second run"
assert_eq "$(cat "$T/zdb.log")" "NSNEW zdbfs-meta
NSNEW zdbfs-data
NSNEW zdbfs-temp
NSNEW zdbfs-meta
NSNEW zdbfs-data
NSNEW zdbfs-temp" "commands zdb received"

# ---- an unexpected error: exit 1 at that namespace, naming it and the reply ----------------
: >"$T/zdb.log"
QSFS_NS_CREATE="zdbfs-meta bad never" ns 1 "$addr"
assert_eq "$OUT" "ns: zdbfs-meta already exists" "stdout up to the failure"
assert_eq "$ERR" "zinit: ns: NSNEW bad: zdb at $addr replied -ERR boom bad" "the failure"
assert_eq "$(cat "$T/zdb.log")" "NSNEW zdbfs-meta
NSNEW bad" "nothing is sent after the failure"

# ---- QSFS_NS_CREATE: any blanks between names; none at all is an error ----------------------
QSFS_NS_CREATE="$(printf '  one\ttwo\n three ')" ns 0 "$addr"
assert_eq "$OUT" "ns: one created
ns: two created
ns: three created" "QSFS_NS_CREATE with tabs and newlines"
for list in "" "   "; do
	QSFS_NS_CREATE=$list ns 1 "$addr"
	assert_eq "$ERR" "zinit: ns: QSFS_NS_CREATE names no namespace" "an empty QSFS_NS_CREATE"
done

# ---- a unix socket address ----------------------------------------------------------------
respd uzdb "unix:$T/zdb.sock" ns
ns 0 "unix:$T/zdb.sock"
assert_eq "$(echo "$OUT" | grep -c ' created$')" 3 "namespaces created over the unix socket"

# ---- no zdb, or a zdb that fails every command, closes, or never answers: exit 1 ------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ns 1 "127.0.0.1:$port"
assert_eq "$ERR" "zinit: ns: cannot connect to zdb at 127.0.0.1:$port: Connection refused" "nothing listening"
assert_eq "$OUT" "" "stdout when nothing listens"
respd err 127.0.0.1:0 error
ns 1 "127.0.0.1:$PORT"
assert_eq "$ERR" "zinit: ns: NSNEW zdbfs-meta: zdb at 127.0.0.1:$PORT replied -ERR not ready" "an error reply"
respd close 127.0.0.1:0 close
ns 1 "127.0.0.1:$PORT"
assert_eq "$ERR" "zinit: ns: NSNEW zdbfs-meta: zdb at 127.0.0.1:$PORT: Server closed the connection" \
	"a closed connection"
respd silent 127.0.0.1:0 silent
ns 1 "127.0.0.1:$PORT"
assert_eq "$ERR" "zinit: ns: NSNEW zdbfs-meta: no reply from zdb at 127.0.0.1:$PORT within 5 s" "no reply"
[ "$MS" -ge 4500 ] && [ "$MS" -lt $((8000 * SCALE)) ] || fail "no reply gave up after $MS ms (5 s expected)"

# ---- the default address, localhost:9900, in a network namespace of its own -----------------
unshare --net sh -c '
	T=$1 ZINIT=$2 HERE=$3
	ip link set lo up || exit 1
	python3 "$HERE/respd.py" 127.0.0.1:9900 "$T/def.ready" ns >"$T/def.log" 2>&1 &
	i=0
	while [ ! -e "$T/def.ready" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	"$ZINIT" ns
	echo "rc=$?"
	kill $!
' sh "$T" "$ZINIT" "$here" >"$T/def.out" 2>&1
assert_eq "$(cat "$T/def.out")" "ns: zdbfs-meta created
ns: zdbfs-data created
ns: zdbfs-temp created
rc=0" "zinit ns with the default address"

# ---- wrong command lines: exit 2, naming the argument, nothing sent --------------------------
: >"$T/zdb.log"
for args in "$addr extra" "nohostport" "localhost:99999" "[::1:9900"; do
	# shellcheck disable=SC2086
	ns 2 $args
	assert_eq "$OUT" "" "stdout of 'ns $args'"
	case $ERR in
	"zinit: ns: "*"'${args##* }'"*) ;;
	*) fail "'ns $args' does not name '${args##* }': $ERR" ;;
	esac
done
assert_eq "$(cat "$T/zdb.log")" "" "nothing sent on a wrong command line"
