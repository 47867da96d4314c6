# SPDX-License-Identifier: MIT
# The end of the log at zinit's exit, to raw clients that act while zinit waits for its
# followers to take their last lines. A follower ended is no longer served: a line-protocol
# `log` client's bytes and EOF were read as a new command, answered after its last lines
# ("invalid command syntax", or the answer to `list`), and a JSON-RPC follower could subscribe
# again on the closing connection. A client connected before the exit that subscribes during
# that wait gets its answer, then the subscription's end at once: it was subscribed as usual,
# never ended, and cut at the exit (`zinit log` then fails: "closed while following").
# A follower that never reads holds the exit 5 s at most, then is disconnected, with a WARN.
. "$(dirname "$0")/lib.sh"

# start_burst: zinit with burst, which prints 5000 lines of 100 bytes as it stops: more than
# a socket holds unread, so the followers not reading then keep zinit waiting (up to 5 s)
start_burst() {
	cat >"$T/burst.sh" <<EOF
trap 'seq -f "burst %05g $(printf '%88s' | tr ' ' x)" 1 5000; echo "burst the last"; exit 0' TERM
echo "burst up"
while :; do sleep 0.05; done
EOF
	unit burst <<YAML
exec: sh $T/burst.sh
YAML
	start_zinit
	wait_until 10 eval 'zctl log -s burst 2>/dev/null | grep -q "burst up"' || fail "burst did not start"
}
start_burst

# a: the line protocol's `log`; b: a JSON-RPC follower; c: connected, subscribes late; d: a
# `log` that reads only at the end, so that zinit still waits while a, b and c act
cat >"$T/clients.py" <<'EOF'
import json, os, socket, sys, time
path, tmp, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])


def conn():
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(limit)
    s.connect(path)
    return s


def read_all(s):
    data = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return data
            data += d
    except OSError as e:
        print("read: %s" % e)
        return data


def read_ring(s):
    seen = b""
    while b"[+] burst: burst up\n" not in seen:
        d = s.recv(65536)
        assert d, "EOF before the ring"
        seen += d
    return seen


def msgs(data):
    return [json.loads(l) for l in data.decode().splitlines() if l.strip()]


a = conn()
a.sendall(b"log\n")
aring = read_ring(a)
b = conn()
b.sendall(b'{"jsonrpc":"2.0","id":1,"method":"stream_subscribeLogs","params":[]}\n')
ack = b""
while not ack.endswith(b"\n"):
    ack += b.recv(1)
c = conn()
d = conn()
d.sendall(b"log\n")
dring = read_ring(d)
open(tmp + "/clients.ready", "w").close()
# zinit's listener is gone: the drain is complete and the followers were ended
deadline = time.monotonic() + limit
while os.path.exists(path):
    assert time.monotonic() < deadline, "the socket file stayed"
    time.sleep(0.01)
# a sends a command and its EOF, b subscribes again: then both read their last lines
a.sendall(b"list\n")
a.shutdown(socket.SHUT_WR)
b.sendall(b'{"jsonrpc":"2.0","id":2,"method":"stream_subscribeLogs","params":[]}\n')
open(tmp + "/a.out", "wb").write(aring + read_all(a))
bm = [json.loads(ack)] + msgs(read_all(b))
open(tmp + "/b.out", "w").write("".join(json.dumps(m) + "\n" for m in bm))
# c, which zinit did not know as a follower, subscribes now (d still unread)
c.sendall(b'{"jsonrpc":"2.0","id":7,"method":"stream_subscribeLogs","params":[]}\n')
t0 = time.monotonic()
cm = msgs(read_all(c))
print("c: %d messages in %.1fs: %s" % (len(cm), time.monotonic() - t0, json.dumps(cm)))
open(tmp + "/d.out", "wb").write(dring + read_all(d))
EOF
"$PY" "$T/clients.py" "$S" "$T" $((20 * SCALE)) >"$T/clients.out" 2>&1 &
CLIENTS=$!
wait_until 10 test -e "$T/clients.ready" || fail "the clients did not start: $(cat "$T/clients.out")"
stop_zinit TERM
wait_until 20 gone "$CLIENTS" || fail "the clients did not finish"
wait "$CLIENTS" || fail "the clients failed: $(cat "$T/clients.out")"

# ends_with_log NAME: NAME's output is log lines to burst's last (or the count of those it
# missed), nothing after them
ends_with_log() {
	local f=$T/$1.out
	grep -a -q '^\[+\] burst: burst 00001 ' "$f" || fail "$1 missed burst's lines"
	grep -a -q '^{' "$f" && fail "$1 got an answer after its log: $(grep -a '^{' "$f" | head -c 300)"
	[ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' ')" = 0a ] ||
		fail "$1's output does not end with a line: $(tail -c 200 "$f")"
	case $(tail -n 1 "$f") in
	"[+] burst: burst the last" | "[-] zinit: "*" lines dropped") ;;
	*) fail "$1's last line: $(tail -n 1 "$f")" ;;
	esac
}
ends_with_log a
# b: one answer (its subscription), its lines, the end of that subscription, nothing else
sc jtest 'sum("id" in m for m in rs) == 1 and rs[-1] == {"jsonrpc": "2.0", "method": "stream_subscribeLogs", "params": {"subscription": rs[0]["result"], "error": "zinit is exiting"}} and sum("error" in m.get("params", {}) for m in rs) == 1' <"$T/b.out" ||
	fail "b: not one subscription, its lines, then its end"
# c: its answer, then the end of its subscription, then EOF (not cut after 5 s, unended)
sed -n 's/^c: [0-9]* messages in [0-9.]*s: //p' "$T/clients.out" |
	sc jtest 'len(r) == 2 and r[0].get("id") == 7 and r[1] == {"jsonrpc": "2.0", "method": "stream_subscribeLogs", "params": {"subscription": r[0]["result"], "error": "zinit is exiting"}}' ||
	fail "the late subscriber did not get its answer then the end: $(cat "$T/clients.out")"
secs=$(sed -n 's/^c: [0-9]* messages in \([0-9]*\)\..*/\1/p' "$T/clients.out")
[ "$secs" -lt 4 ] || fail "the late subscriber waited ${secs}s for its end"
ends_with_log d
assert_eq "$STATUS" 0 "exit status"
assert_no_line 'did not read their last lines'
assert_eq "$(grep -v '^c: ' "$T/clients.out")" "" "the clients' errors"

# a follower that does not read at all: zinit waits 5 s for it, says so, and cuts it (resumed,
# it prints what it got and fails: its subscription was not ended)
new_instance
start_burst
"$ZINIT" -s "$S" log >"$T/stopped.out" 2>&1 & # the CLI itself, stopped once it follows
STOPPED=$!
wait_until 10 grep -q '^\[+\] burst: burst up$' "$T/stopped.out" || fail "the follower did not print the ring"
kill -STOP "$STOPPED"
start=$(date +%s%N)
stop_zinit TERM
ms=$((($(date +%s%N) - start) / 1000000))
assert_eq "$STATUS" 0 "exit status with a follower not reading"
assert_line '^zinit: WARN log followers did not read their last lines within 5000ms: disconnected$'
[ "$ms" -ge 4500 ] && [ "$ms" -lt $((9000 * SCALE)) ] ||
	fail "zinit took ${ms} ms to exit with a follower not reading (5 s expected)"
kill -CONT "$STOPPED"
wait_until 10 gone "$STOPPED" || fail "the disconnected follower did not end"
wait "$STOPPED"
assert_eq "$?" 1 "the disconnected follower's exit status"
assert_eq "$(tail -n 1 "$T/stopped.out")" "zinit: the connection to zinit closed while following the log" "the disconnected follower's last line"
