# CLI log: `log -s` prints the ring exactly (`[+] x: out` / `[-] x: err`, tests as x/test) and
# ends; `log -s x` keeps x only (not x/test, not xy); follow mode shows lines printed after it
# started and never ends on its own, but ends (exit 0) with zinit, after the last line a
# service wrote as it stopped; `log UNKNOWN` fails (§8 cases 34, 36 filter rule).
. "$(dirname "$0")/lib.sh"

unit x <<YAML
exec: sh -c 'echo out; echo err >&2; while ! test -e $T/more; do sleep 0.05; done; echo later; echo later-err >&2; exec sleep 1000'
test: sh -c 'echo testout; echo testerr >&2'
after: [burst]
YAML
unit xy <<YAML
exec: sh -c 'echo xyout; while ! test -e $T/more; do sleep 0.05; done; echo xylater; exec sleep 1000'
after: [burst]
YAML
# burst, stopped last, prints 1000 distinct lines and a last one as it stops, then exits at
# once: more than the control socket holds unread (a few hundred writes), so a follower that
# is not reading then is still owed lines when the drain ends (zinit closed the followers at
# once, and they missed the end)
cat >"$T/burst.sh" <<EOF
trap 'seq -f "burst %04g" 1 1000; echo "burst the last"; exit 0' TERM
while :; do sleep 0.05; done
EOF
unit burst <<YAML
exec: sh $T/burst.sh
YAML

# has_in FILE LINE: FILE has exactly that line
has_in() { grep -qxF -- "$2" "$1" 2>/dev/null; }
snap_has() { zctl log -s >"$T/snap" 2>&1 && has_in "$T/snap" "$1"; }

start_zinit
wait_line '^zinit: INFO x is ready: its test passed$'
for l in '[+] x: out' '[-] x: err' '[+] x/test: testout' '[-] x/test: testerr' '[+] xy: xyout'; do
	wait_until 10 snap_has "$l" || fail "log -s never showed '$l'"
done

# the snapshot, exactly (the relative order of services and streams is not fixed)
zctl log -s >"$T/snap.out" 2>"$T/snap.err"
assert_eq "$?" 0 "log -s exit status"
assert_eq "$(cat "$T/snap.err")" "" "log -s stderr"
assert_eq "$(sort "$T/snap.out")" "$(printf '%s\n' '[+] x/test: testout' '[+] x: out' '[+] xy: xyout' '[-] x/test: testerr' '[-] x: err' | sort)" "log -s"
# stdout before stderr is not guaranteed, but each stream keeps its order: check x's lines
assert_eq "$(zctl log -s x | sort)" "$(printf '%s\n' '[+] x: out' '[-] x: err' | sort)" "log -s x"
assert_eq "$(zctl log -s xy)" "[+] xy: xyout" "log -s xy"
assert_eq "$(zctl log -s xy --json)" '"[+] xy: xyout"' "log -s xy --json"
# zinit's own lines never go to the ring
assert_no_line '^zinit: ' "$T/snap.out"
# the ring is not shown on zinit's stdout with log: ring
assert_no_line 'out$|err$' "$T/out"

# unknown name: exit 1 at once (zinit >= 0.2.11), for snapshot and follow
for a in "-s nope" "nope"; do
	# shellcheck disable=SC2086
	timeout $((10 * SCALE)) "$ZINIT" -s "$S" log $a >"$T/u.out" 2>"$T/u.err"
	assert_eq "$?" 1 "log $a"
	assert_eq "$(cat "$T/u.out")" "" "log $a: stdout"
	assert_eq "$(cat "$T/u.err")" "zinit: getting status: service 'nope' not found" "log $a: stderr"
done

# followers: one filtered on x, one unfiltered; they get the ring, then live lines
zctl log x >"$T/fx.out" 2>"$T/fx.err" &
FX=$!
zctl log >"$T/fall.out" 2>"$T/fall.err" &
FALL=$!
wait_until 10 has_in "$T/fx.out" '[-] x: err' || fail "the x follower did not print the ring"
wait_until 10 has_in "$T/fall.out" '[+] xy: xyout' || fail "the follower did not print the ring"
touch "$T/more"
wait_until 10 has_in "$T/fx.out" '[+] x: later' || fail "the x follower missed a live line"
wait_until 10 has_in "$T/fx.out" '[-] x: later-err' || fail "the x follower missed a live stderr line"
wait_until 10 has_in "$T/fall.out" '[+] xy: xylater' || fail "the follower missed a live xy line"
wait_until 10 has_in "$T/fall.out" '[+] x: later' || fail "the follower missed a live x line"
kill -0 "$FX" 2>/dev/null || fail "log x (follow) ended on its own"
kill -0 "$FALL" 2>/dev/null || fail "log (follow) ended on its own"
kill "$FX" "$FALL"
wait "$FX" "$FALL" 2>/dev/null
assert_eq "$(sort "$T/fx.out")" "$(printf '%s\n' '[+] x: later' '[+] x: out' '[-] x: err' '[-] x: later-err' | sort)" "log x (follow)"
assert_eq "$(count_lines '^\[\+\] x: out$' "$T/fall.out")" 1 "ring line shown once by the follower"
assert_eq "$(count_lines '^\[\+\] x: later$' "$T/fall.out")" 1 "live line shown once by the follower"
assert_eq "$(cat "$T/fx.err" "$T/fall.err")" "" "followers' stderr"
# zinit copes with the followers leaving
assert_eq "$(zctl log -s xy)" "[+] xy: xyout
[+] xy: xylater" "log -s xy after the followers left"

# a follower started before the stop gets every line burst wrote, then zinit's end: exit 0
"$ZINIT" -s "$S" log >"$T/fend.out" 2>"$T/fend.err" & # the CLI itself, to be stopped
FEND=$!
wait_until 10 has_in "$T/fend.out" '[+] xy: xylater' || fail "the last follower did not print the ring"
kill -STOP "$FEND" # it reads again once the drain is complete: zinit waits for it (5 s at most)
kill -TERM "$ZPID"
wait_line '^zinit: INFO drain complete in'
kill -CONT "$FEND"
wait_exit
assert_eq "$STATUS" 0 "exit status"
wait_until 10 eval '! kill -0 $FEND 2>/dev/null' || fail "log (follow) did not end with zinit"
wait "$FEND"
FEND_STATUS=$?
assert_eq "$(tail -n 1 "$T/fend.out")" "[+] burst: burst the last" "log (follow): the last line"
grep '^\[+\] burst: burst [0-9]' "$T/fend.out" | cut -d' ' -f4 >"$T/fend.seq"
seq -f '%04g' 1 1000 | cmp -s - "$T/fend.seq" || fail "log (follow): burst's lines missing or out of order"
assert_eq "$FEND_STATUS" 0 "log (follow) exit status when zinit exits"
assert_eq "$(cat "$T/fend.err")" "" "log (follow) stderr when zinit exits"

# an error answer to the log requests (zinit over its memory budget for answers) fails the
# command with its message, in both forms (it printed nothing and exited 0)
python3 - "$T/stub.sock" <<'PY' &
import json, os, socket, sys
srv = socket.socket(socket.AF_UNIX)
srv.bind(sys.argv[1] + ".tmp")
srv.listen(8)
os.rename(sys.argv[1] + ".tmp", sys.argv[1])  # the socket appears once it listens
while True:
    c, _ = srv.accept()
    for line in c.makefile("rb"):  # every request answered with that error, until EOF
        rid = json.loads(line)["id"]
        c.sendall(json.dumps({"jsonrpc": "2.0", "id": rid, "error": {"code": -32051,
            "message": "control answers fill zinit's 32 MiB budget: try again"}}).encode() + b"\n")
    c.close()
PY
wait_until 10 test -S "$T/stub.sock" || fail "the stub server did not start"
for args in "log -s" "log"; do
	# shellcheck disable=SC2086
	"$ZINIT" -s "$T/stub.sock" $args >"$T/stub.out" 2>"$T/stub.err"
	assert_eq "$?" 1 "zinit $args against an error answer"
	assert_eq "$(cat "$T/stub.err")" "zinit: control answers fill zinit's 32 MiB budget: try again" "zinit $args: stderr"
done

# a connection that ends without zinit ending the subscription (zinit cut the client, or
# died) fails the follow with a message, after the lines it got
python3 - "$T/cut.sock" <<'PY' &
import json, os, socket, sys
srv = socket.socket(socket.AF_UNIX)
srv.bind(sys.argv[1] + ".tmp")
srv.listen(8)
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = srv.accept()
f = c.makefile("rb")
snap, sub = json.loads(f.readline())["id"], json.loads(f.readline())["id"]
for m in ({"id": snap, "result": ["[+] a: old"]}, {"id": sub, "result": 1},
          {"method": "stream_subscribeLogs", "params": {"subscription": 1, "result": "[+] a: new"}}):
    c.sendall(json.dumps(dict(m, jsonrpc="2.0")).encode() + b"\n")
c.close()
PY
wait_until 10 test -S "$T/cut.sock" || fail "the cutting stub server did not start"
"$ZINIT" -s "$T/cut.sock" log >"$T/cut.out" 2>"$T/cut.err"
assert_eq "$?" 1 "zinit log cut by the server"
assert_eq "$(cat "$T/cut.out")" "[+] a: old
[+] a: new" "zinit log cut by the server: stdout"
assert_eq "$(cat "$T/cut.err")" "zinit: the connection to zinit closed while following the log" "zinit log cut by the server: stderr"
