# `zinit probe redis|unix|mount [FS]`: 0 and silent when ready; 1 with one line on stderr, within
# about 1 s, when not (refused, missing, error reply, no reply at all); 2 on a wrong command line.
# `probe unix` finds a listener without connecting to it.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
servers=
trap 'kill $servers 2>/dev/null; cleanup' EXIT

# respd NAME ADDR MODE: a RESP responder (tests/integ/respd.py); PORT = its port once it listens.
respd() {
	python3 "$here/respd.py" "$2" "$T/$1.ready" "$3" >"$T/$1.log" 2>&1 &
	servers="$servers $!"
	wait_file "$T/$1.ready"
	PORT=$(cat "$T/$1.ready")
}

# probe_ok ARGS...: exit 0, nothing printed.
probe_ok() {
	"$ZINIT" probe "$@" >"$T/p.out" 2>"$T/p.err"
	assert_eq "$?" 0 "exit status of 'probe $*' ($(cat "$T/p.err"))"
	assert_eq "$(cat "$T/p.out" "$T/p.err")" "" "output of 'probe $*'"
}

# probe_fails REGEX ARGS...: exit 1, nothing on stdout, one stderr line "zinit: probe KIND
# TARGET: ..." matching REGEX, in under 2 s (x SCALE); MS = how long it took.
probe_fails() {
	local re=$1 start
	shift
	start=$(date +%s%N)
	"$ZINIT" probe "$@" >"$T/p.out" 2>"$T/p.err"
	local rc=$?
	MS=$((($(date +%s%N) - start) / 1000000))
	assert_eq "$rc" 1 "exit status of 'probe $*' ($(cat "$T/p.err"))"
	assert_eq "$(cat "$T/p.out")" "" "stdout of 'probe $*'"
	assert_eq "$(wc -l <"$T/p.err")" 1 "stderr lines of 'probe $*': $(cat "$T/p.err")"
	grep -q -F "zinit: probe $1 $2: " "$T/p.err" || fail "'probe $*' does not name its target: $(cat "$T/p.err")"
	assert_line "$re" "$T/p.err"
	[ "$MS" -lt $((3000 * SCALE)) ] || fail "'probe $*' took $MS ms"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- probe unix ---------------------------------------------------------------------------
respd u "unix:$T/u.sock" pong
probe_ok unix "$T/u.sock"
probe_fails 'No such file or directory$' unix "$T/missing.sock"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale.sock"
probe_fails 'Connection refused$' unix "$T/stale.sock" # a socket file nobody listens on
: >"$T/plain"
probe_fails 'Connection refused$' unix "$T/plain"
# Between a server's bind() and its listen(), the socket is in the kernel's list, bound to the
# file, not listening: not ready, and not connected to (a connect could come after the
# listen(), and zstor would log the silent client as an "early eof" ERROR)
python3 -c 'import os, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.02)
s.listen(16)
open(sys.argv[4], "w").close()
while True:
    s.accept()[0].close()
    open(sys.argv[5], "a").write("client\n")' "$T/late.sock" "$T/late.bound" "$T/late.go" "$T/late.listens" "$T/late.peers" &
servers="$servers $!"
wait_file "$T/late.bound"
probe_fails 'a socket is bound to it but does not listen yet$' unix "$T/late.sock"
touch "$T/late.go"
wait_file "$T/late.listens"
probe_ok unix "$T/late.sock"
[ ! -e "$T/late.peers" ] || fail "the probe connected to a socket that was not listening yet"
# A listener is found by the kernel's list of listening sockets (sock_diag), without
# connecting to it: a server that logs every client that says nothing (zstor: an "early eof"
# ERROR at every start) sees no client. The list names the file each socket is bound to, so
# another spelling of the path is the same listener.
# python3 -c "$LISTENER" SOCKET READYFILE PEERSFILE: accepts, logs each client's pid
LISTENER='
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(16)
open(sys.argv[2], "w").close()
while True:
    c, _ = s.accept()
    pid = struct.unpack("3i", c.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0]
    with open(sys.argv[3], "a") as f:
        f.write("%d\n" % pid)
    c.close()
'
python3 -c "$LISTENER" "$T/c.sock" "$T/c.ready" "$T/c.peers" &
servers="$servers $!"
wait_file "$T/c.ready"
# peers_after_ours: connect once ourselves, wait until the server has logged that connection
# (it accepts in order), and print how many it has seen in all.
peers_after_ours() {
	local me
	me=$(python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
print(os.getpid())' "$T/c.sock")
	wait_until 10 grep -qx "$me" "$T/c.peers" || fail "the server never saw our connection"
	wc -l <"$T/c.peers"
}
probe_ok unix "$T/c.sock"
assert_eq "$(peers_after_ours)" 1 "connections seen after a probe of a listener (ours only)"
probe_ok unix "$T/./c.sock"
assert_eq "$(peers_after_ours)" 2 "connections seen after a probe by another spelling (ours only)"
# A listener at the same path in another mount namespace (a container on --network host
# shares the host's list of sockets): here that path is a stale socket file, not ready.
mkdir "$T/other"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/other/o.sock"
unshare --mount sh -c 'mount -t tmpfs none "$1" && exec python3 -c "$2" "$1/o.sock" "$3" "$4"' \
	sh "$T/other" "$LISTENER" "$T/o.ready" "$T/o.peers" &
servers="$servers $!"
wait_file "$T/o.ready"
grep -q " $T/other/o.sock\$" /proc/net/unix || fail "no listener at $T/other/o.sock in /proc/net/unix"
probe_fails 'Connection refused$' unix "$T/other/o.sock"
# zinit's own control socket (libuv) is a listener like zstor's and wait_hooks'
unit idle <<'U'
exec: sleep 1000
U
start_zinit
wait_file "$S"
probe_ok unix "$S"
stop_zinit

# ---- probe redis --------------------------------------------------------------------------
probe_ok redis "unix:$T/u.sock"
respd pong 127.0.0.1:0 pong
probe_ok redis "127.0.0.1:$PORT"
probe_ok redis "localhost:$PORT"
assert_eq "$(cat "$T/pong.log")" "PING
PING" "commands the responder received"
respd err 127.0.0.1:0 error
probe_fails 'PING answered -ERR not ready$' redis "127.0.0.1:$PORT"
respd close 127.0.0.1:0 close
probe_fails 'Server closed the connection$' redis "127.0.0.1:$PORT"
respd silent 127.0.0.1:0 silent
probe_fails 'no reply to PING within [0-9]+ ms$' redis "127.0.0.1:$PORT"
[ "$MS" -ge 800 ] || fail "a silent server was given up after $MS ms only"
respd usilent "unix:$T/silent.sock" silent
probe_fails 'no reply to PING within [0-9]+ ms$' redis "unix:$T/silent.sock"
port=$(free_port)
probe_fails 'Connection refused$' redis "127.0.0.1:$port"
probe_fails 'No such file or directory$' redis "unix:$T/missing.sock"

# ---- probe mount --------------------------------------------------------------------------
probe_ok mount /proc
probe_ok mount /proc/
probe_ok mount /
probe_fails 'not a mount point' mount /proc/self
probe_fails 'not a mount point' mount "$T"
probe_fails 'No such file or directory$' mount "$T/no/such"
mkdir -p "$T/m" "$T/with space" "$T/a" "$T/b"
# In a private mount namespace: a tmpfs, a tmpfs at a path with a blank (escaped \040 in
# mountinfo), and a bind mount of a directory of the same filesystem (same st_dev as its
# parent: only mountinfo tells that it is a mount point).
unshare --mount sh -c '
	T=$1 ZINIT=$2
	mount -t tmpfs none "$T/m" && mount -t tmpfs none "$T/with space" &&
		mount --bind "$T/a" "$T/b" && mkdir "$T/m/sub" || exit 1
	for p in "$T/m" "$T/m/" "$T/with space" "$T/b" "$T/a" "$T/m/sub"; do
		"$ZINIT" probe mount "$p" 2>>"$T/ns.err"
		echo "$p=$?"
	done
	cd "$T" && "$ZINIT" probe mount m && echo "relative=$?"
' sh "$T" "$ZINIT" >"$T/ns.out" 2>>"$T/ns.err" || fail "unshare --mount: $(cat "$T/ns.err")"
assert_eq "$(cat "$T/ns.out")" "$T/m=0
$T/m/=0
$T/with space=0
$T/b=0
$T/a=1
$T/m/sub=1
relative=0" "mount probes inside the mount namespace"
assert_eq "$(cat "$T/ns.err")" "zinit: probe mount $T/a: not a mount point ($T/a is not in /proc/self/mountinfo)
zinit: probe mount $T/m/sub: not a mount point ($T/m/sub is not in /proc/self/mountinfo)" \
	"mount probe messages"
probe_fails 'not a mount point' mount "$T/m" # outside that namespace it is not mounted

# probe mount PATH FS: the topmost mount on PATH must be FS (its type, fuse.FS or its source):
# a directory that is already a mount point (compose's bind of /mnt) is not zdbfs mounted yet
mkdir -p "$T/host" "$T/st"
unshare --mount sh -c '
	T=$1 ZINIT=$2
	try() { "$ZINIT" probe mount "$@" 2>>"$T/fs.err"; echo "$*=$?"; }
	mount --bind "$T/host" "$T/st" || exit 1
	try "$T/st" zdbfs
	mount -t tmpfs zdbfs "$T/st" || exit 1
	try "$T/st" zdbfs
	try "$T/st" tmpfs
	try "$T/st" fuse
	mount -t tmpfs other "$T/st" || exit 1
	try "$T/st" zdbfs
' sh "$T" "$ZINIT" >"$T/fs.out" 2>>"$T/fs.err" || fail "unshare --mount: $(cat "$T/fs.err")"
assert_eq "$(cat "$T/fs.out")" "$T/st zdbfs=1
$T/st zdbfs=0
$T/st tmpfs=0
$T/st fuse=1
$T/st zdbfs=1" "mount probes of a filesystem"
assert_eq "$(sed -E "s|^zinit: probe mount $T/st [a-z]+: ||; 1s|is [^ ]+ from [^ ]+,|is (/tmp's),|" "$T/fs.err")" \
	"the mount on top is (/tmp's), not zdbfs
the mount on top is tmpfs from zdbfs, not fuse
the mount on top is tmpfs from other, not zdbfs" "mount probe messages of a filesystem"

# ---- wrong command lines: exit 2, naming what is wrong, nothing attempted -------------------
# usage_case EXPECTED ARGS...: stderr names EXPECTED
usage_case() {
	local want=$1
	shift
	"$ZINIT" "$@" >"$T/u.out" 2>"$T/u.err"
	assert_eq "$?" 2 "exit status of 'zinit $*'"
	assert_eq "$(cat "$T/u.out")" "" "stdout of 'zinit $*'"
	assert_eq "$(wc -l <"$T/u.err")" 1 "stderr lines of 'zinit $*'"
	grep -q -F -- "$want" "$T/u.err" || fail "'zinit $*' does not say '$want': $(cat "$T/u.err")"
}
long=$T/$(printf '%0120d' 0).sock
usage_case "probe needs a kind" probe
usage_case "unknown kind 'bogus'" probe bogus x
usage_case "probe redis needs" probe redis
usage_case "bad argument 'nohost'" probe redis nohost
usage_case "bad argument 'h:0'" probe redis h:0
usage_case "bad argument '::1:9900'" probe redis ::1:9900
usage_case "unexpected argument 'extra'" probe redis h:1 extra
usage_case "probe unix needs" probe unix
usage_case "bad argument ''" probe unix ""
usage_case "longer than 107 bytes" probe unix "$long"
usage_case "probe mount needs" probe mount
usage_case "bad argument ''" probe mount ""
usage_case "unexpected argument 'extra'" probe mount / zdbfs extra
usage_case "bad argument '': empty FS" probe mount / ""
