# SPDX-License-Identifier: MIT
# A JSON-RPC batch of 128 stream_currentLogs on a ring of 1 MiB (500-byte lines): the batch's
# answers are one answer, admitted against the control plane's 32 MiB budget as they are
# built, so that the requests past it are answered -32051 each (their ids kept) instead of
# building 128 copies of the ring (PID 1's peak RSS went from 68 to 424 MB and the loop
# stalled 6.6 s, a concurrent `zinit list` with it, for one -32051 with id null). A batch of
# notifications builds nothing. Runs ~5 s.
. "$(dirname "$0")/lib.sh"

unit blob <<YAML
exec: sh -c "i=0; while [ \$i -lt 2100 ]; do printf '%0499d\\\\n' \$i; i=\$((i+1)); done; echo done >$T/blob.done; exec sleep 1000"
YAML
start_zinit
wait_file "$T/blob.done" 60
wait_until 20 eval '[ "$(zctl log -s blob 2>/dev/null | wc -c)" -ge 900000 ]' || fail "the ring never held 900 kB of blob's lines"
zctl log -s >"$T/ring" 2>&1 || fail "zinit log -s"
hwm() { awk '/^VmHWM:/{print $2}' "/proc/$ZPID/status"; }
before=$(hwm)

# the batch on one connection; a `zinit list` sent while zinit builds its answer
"$PY" - "$S" "$T/ring" >"$T/batch.out" 2>&1 <<'PY' &
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(60)
ring = open(sys.argv[2]).read().splitlines()
batch = [{"jsonrpc": "2.0", "id": i, "method": "stream_currentLogs"} for i in range(1, 129)]
t0 = time.monotonic()
s.sendall(json.dumps(batch).encode())
open(sys.argv[2] + ".sent", "w").close()
f = s.makefile("rb")
r = json.loads(f.readline())
print("answered after %.1f s" % (time.monotonic() - t0))
assert isinstance(r, list), "not a batch answer: %s" % str(r)[:300]
assert [a.get("id") for a in r] == list(range(1, 129)), [a.get("id") for a in r]
done = [a for a in r if "result" in a]
over = [a for a in r if a.get("error", {}).get("code") == -32051]
assert len(done) + len(over) == 128 and done and over, (len(done), len(over))
assert r[:len(done)] == done, "an answer after a refused one"
assert all(a["result"][-len(ring):] == ring for a in done), "a log answer differs from the ring"
print("results=%d refused=%d" % (len(done), len(over)))
PY
batch=$!
wait_file "$T/ring.sent" 10
t0=$(date +%s%N)
out=$(zctl list 2>&1) || fail "zinit list while zinit answers the batch: $out"
echo >&2 "zinit list answered after $((($(date +%s%N) - t0) / 1000000)) ms"
echo "$out" | grep -q '^blob: Running$' || fail "list: $out"
wait "$batch" || fail "batch of 128 stream_currentLogs: $(cat "$T/batch.out")"
cat "$T/batch.out" >&2
after=$(hwm)
echo >&2 "peak RSS of PID 1: $before KiB before the batch, $after KiB after"
# the answers the budget admits (32 MiB), the pieces being queued and the ring: well under
# 128 MiB more (not judged under ASan: its quarantine and redzones)
[ -n "${SANITIZED:-}" ] || [ "$after" -lt $((before + 131072)) ] || fail "PID 1's peak RSS went from $before to $after KiB"

# the same batch as notifications: no answer, nothing built; the connection still answers
"$PY" - "$S" >"$T/notes.out" 2>&1 <<'PY' || fail "batch of 128 notifications: $(cat "$T/notes.out")"
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(20)
s.sendall(json.dumps([{"jsonrpc": "2.0", "method": "stream_currentLogs"}] * 128).encode())
t0 = time.monotonic()
s.sendall(b'{"jsonrpc":"2.0","id":7,"method":"service_list"}')
r = json.loads(s.makefile("rb").readline())
assert r.get("id") == 7 and r["result"]["blob"] == "Running", r
print("next answer after %.2f s" % (time.monotonic() - t0))
PY
cat "$T/notes.out" >&2
after2=$(hwm)
[ -n "${SANITIZED:-}" ] || [ "$after2" -lt $((after + 16384)) ] || fail "a batch of notifications took PID 1's peak RSS from $after to $after2 KiB"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
