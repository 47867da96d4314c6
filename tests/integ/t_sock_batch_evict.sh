# SPDX-License-Identifier: MIT
# A batch still waiting on a slow request (a service_stop of a unit slow to stop) holds the
# ring answers it has built; when another client needs room, that connection is the one
# disconnected, and its built answers go at once (they stayed counted until the stop ended, so
# every other client was evicted in turn and the ring refused -32051: three reading followers
# cut, the next client's five requests refused). Followers that keep up are never evicted.
# Runs ~10 s.
. "$(dirname "$0")/lib.sh"

unit blob <<YAML
exec: sh -c "i=0; while [ \$i -lt 2100 ]; do printf '%0499d\\\\n' \$i; i=\$((i+1)); done; echo done >$T/blob.done; exec sleep 1000"
YAML
unit slow <<YAML
exec: sh -c "trap 'touch $T/slow.term; while [ ! -e $T/slow.go ]; do sleep 0.05; done; exit 0' TERM; touch $T/slow.up; while :; do sleep 0.05; done"
shutdown_timeout: 60
YAML
unit ticker <<YAML
exec: sh -c "trap 'echo tick' USR1; touch $T/ticker.up; while :; do sleep 0.05; done"
YAML
start_zinit
wait_file "$T/blob.done" 60
wait_file "$T/slow.up"
wait_file "$T/ticker.up"
wait_until 20 eval '[ "$(zctl log -s blob 2>/dev/null | wc -c)" -ge 900000 ]' || fail "the ring never held 900 kB of blob's lines"

# three followers reading everything, until the ticker's line
pids=
for f in 1 2 3; do
	sc -t $((60 * SCALE)) "$S" 's:{"jsonrpc":"2.0","id":1,"method":"stream_subscribeLogs"}' l 'find:ticker: tick' >"$T/f$f.out" 2>"$T/f$f.err" &
	pids="$pids $!"
done
for f in 1 2 3; do wait_until 10 at_least "$T/f$f.out" 1 || fail "follower $f not subscribed"; done

# A: a batch of 40 ring answers (about 31 MiB: most of the budget) and a stop that lasts
"$PY" - "$S" >"$T/a.out" 2>&1 <<'PY' &
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(120)
b = [{"jsonrpc": "2.0", "id": i, "method": "stream_currentLogs", "params": ["blob"]} for i in range(1, 41)]
b.append({"jsonrpc": "2.0", "id": 99, "method": "service_stop", "params": ["slow"]})
s.sendall(json.dumps(b).encode())
d = b""
while True:
    x = s.recv(1 << 20)
    if not x:
        break
    d += x
print("A got %d bytes then EOF" % len(d))
PY
A=$!
wait_file "$T/slow.term" 20

# B: asks for the ring five times, one connection each, reading its answers
for i in 1 2 3 4 5; do
	sc -t 20 "$S" 's:{"jsonrpc":"2.0","id":1,"method":"stream_currentLogs","params":["blob"]}' l >"$T/b$i.out" 2>&1 ||
		fail "B's request $i: $(head -c 300 "$T/b$i.out")"
	sc jtest '"result" in r and len(r["result"]) > 1000' <"$T/b$i.out" ||
		fail "B's request $i not answered with the ring: $(head -c 300 "$T/b$i.out")"
done
out=$(zctl list 2>&1) || fail "zinit list: $out"

# the followers are still there: each gets the ticker's next line
zctl kill ticker SIGUSR1 || fail "kill ticker"
for f in 1 2 3; do
	p=$(echo $pids | cut -d' ' -f$f)
	wait "$p" || fail "follower $f was cut: $(cat "$T/f$f.err")"
done
touch "$T/slow.go"
wait "$A"
cat "$T/a.out" >&2
zctl list >/dev/null || fail "zinit list after the stop"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
