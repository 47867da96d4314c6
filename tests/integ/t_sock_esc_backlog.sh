# SPDX-License-Identifier: MIT
# A client asking again and again for a small ring of ESC bytes (55 kB, 306 kB as JSON) and
# never reading is disconnected like any client not reading its answers: log answers were
# queued without the backlog check, and admitted as small for the ring's raw size, so 300 such
# requests held 91 MB in PID 1 (2.8 times the 32 MiB budget) with no warning. Runs ~3 s.
. "$(dirname "$0")/lib.sh"

unit esc <<YAML
exec: sh -c "x=\$(printf '%100s' | tr ' ' '\\\\033'); i=0; while [ \$i -lt 500 ]; do i=\$((i+1)); printf '%s\\\\n' \"\$x\"; done; echo esc-done; exec sleep 1000"
YAML
start_zinit
wait_until 20 eval 'zctl log -s esc 2>/dev/null | grep -q esc-done' || fail "esc's lines never reached the ring"
hwm() { awk '/^VmHWM:/{print $2}' "/proc/$ZPID/status"; }
before=$(hwm)

"$PY" - "$S" "$T/sent" <<'PY' &
import json, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
try:
    for i in range(1, 301):
        s.sendall(json.dumps({"jsonrpc": "2.0", "id": i, "method": "stream_currentLogs"}).encode())
except OSError:
    pass  # zinit cut it
open(sys.argv[2], "w").close()
time.sleep(60)  # never reads; killed by the test
PY
client=$!
wait_file "$T/sent" 20
wait_until 20 has_line 'control client not reading its answers: disconnected' ||
	{ kill $client; fail "the client not reading its log answers was never disconnected"; }
{ kill $client; wait $client; } 2>/dev/null
after=$(hwm)
echo >&2 "peak RSS of PID 1: $before KiB before, $after KiB after"
# 4 MiB of backlog besides one answer, and the pieces being queued: well under 32 MiB more
# (not judged under ASan: its quarantine and redzones)
[ -n "${SANITIZED:-}" ] || [ "$after" -lt $((before + 32768)) ] || fail "PID 1's peak RSS went from $before to $after KiB"
out=$(zctl list 2>&1) || fail "zinit list: $out"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
