# SPDX-License-Identifier: MIT
# The client cap lowered for short descriptors comes back up once they are free again: it
# only ever went down, so after a burst of idle clients near RLIMIT_NOFILE had lowered it to 3,
# with 16 services forgotten since and descriptors free for some 10 clients again, the 4th
# `zinit log` follower on got "too many control clients, all busy", as `zinit list` did. The
# low-descriptor protection itself stays (a burst of idle clients again makes room). ~6 s.
. "$(dirname "$0")/lib.sh"

unit tick <<YAML
exec: sh -c 'echo tick-up; exec sleep 1000'
YAML
for i in $(seq 16); do
	unit "s$i" <<YAML
exec: sh -c "echo \\\$\\\$ >$T/s$i.pid; exec sleep 1000"
YAML
done
start_zinit
for i in $(seq 16); do wait_pidfile "$T/s$i.pid"; done
wait_until 10 eval 'zctl log -s tick 2>/dev/null | grep -q tick-up' || fail "tick never printed tick-up"

fds() { ls "/proc/$ZPID/fd" | wc -l; }
fds_at_most() { [ "$(fds)" -le "$1" ]; }
FDS0=$(fds)
# nth_free N: the Nth lowest descriptor number free in zinit (the kernel hands them out so)
nth_free() { ls "/proc/$ZPID/fd" | sort -n | awk -v n="$1" '
	{ while (f < $1) { if (++k == n) { print f; exit } f++ } f = $1 + 1 }
	END { if (k < n) print f + n - k - 1 }'; }
# The 4th client takes a descriptor within 16 (CTL_FD_RESERVE) of the limit: the cap becomes 3.
LIMIT=$(($(nth_free 4) + 16))
prlimit --pid "$ZPID" --nofile="$LIMIT:$LIMIT" || fail "prlimit"

# idle_burst N: N idle clients at once (zinit disconnects the oldest to make room), then gone
idle_burst() {
	"$PY" - "$S" "$1" >"$T/burst.out" 2>&1 <<'PY'
import socket, sys
conns = []
for _ in range(int(sys.argv[2])):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    conns.append(s)
s = socket.socket(socket.AF_UNIX) # the last one: answered once zinit has seen them all
s.connect(sys.argv[1])
s.settimeout(10)
s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"service_list"}\n')
print(s.recv(65536).decode().strip(), flush=True)
PY
}
idle_burst 9 || fail "burst: $(cat "$T/burst.out")"
wait_line 'few file descriptors left: the oldest idle control client is disconnected'
wait_until 10 fds_at_most "$FDS0" || fail "zinit holds $(fds) fds after the burst (was $FDS0)"

# free the descriptors: the 16 services stopped and forgotten
for i in $(seq 16); do
	zctl stop "s$i" || fail "stop s$i"
	zctl forget "s$i" || fail "forget s$i"
done
wait_until 10 fds_at_most $((FDS0 - 16)) || fail "zinit still holds $(fds) fds (was $FDS0) with s1..s16 forgotten"
# N followers (busy: never evicted) and a `zinit list`: one client fewer than the descriptors
# beyond the reserve allow, and at least 3 more than the burst left
N=$((LIMIT - 16 - $(fds) - 2))
[ "$N" -ge 6 ] || fail "setup: room for $N followers only ($(fds) of $LIMIT fds open)"
pids=
for i in $(seq "$N"); do
	"$ZINIT" -s "$S" log tick >"$T/f.$i" 2>&1 & # not zctl: $! is the CLI itself
	pids="$pids $!"
done
subscribed() { [ "$(cat "$T"/f.* | grep -c '^\[+\] tick: tick-up$')" -ge "$N" ]; }
wait_until 10 subscribed || fail "only $(cat "$T"/f.* | grep -c 'tick-up') of $N followers served, with $(fds) of $LIMIT fds open: $(cat "$T"/f.*)"
out=$(zctl list 2>&1) || fail "zinit list with $N followers and $(fds) of $LIMIT fds open: $out"
echo "$out" | grep -q '^tick: Running$' || fail "list: $out"

# the protection stays: a burst of idle clients past the reserve makes room (libuv's EMFILE
# answer would close the last one unanswered), and the followers stay
idle_burst 80 || fail "second burst: $(cat "$T/burst.out")"
grep -q '"result"' "$T/burst.out" || fail "second burst not answered: $(cat "$T/burst.out")"
out=$(zctl list 2>&1) || fail "zinit list after the second burst: $out"
subscribed || fail "a follower went in the second burst"

# shellcheck disable=SC2086
kill $pids
# shellcheck disable=SC2086
wait $pids 2>/dev/null
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
