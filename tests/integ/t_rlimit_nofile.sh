# SPDX-License-Identifier: MIT
# RLIMIT_NOFILE at 64 (issue 11): 80 idle control clients would take every descriptor, and
# libuv's answer to EMFILE closes new connections unseen (root's CLI among them). zinit keeps
# descriptors free: the oldest idle client makes room, `zinit list` answers, a killed service
# is reaped and restarted, the drain still stops everything in order; the WARN is rate-limited.
. "$(dirname "$0")/lib.sh"

for i in 1 2 3 4 5 6 7 8 9 10; do
	unit "s$i" <<YAML
exec: sh -c "echo \\\$\\\$ >>$T/s$i.pids; exec sleep 1000"
YAML
done
start_zinit
for i in 1 2 3 4 5 6 7 8 9 10; do wait_pidfile "$T/s$i.pids"; done
prlimit --pid "$ZPID" --nofile=64:64 || fail "prlimit"

python3 - "$S" >"$T/clients.out" 2>&1 <<'PY' &
import socket, sys, time
conns = []
for _ in range(80):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    conns.append(s)
    time.sleep(0.005)
print("ready", flush=True)
time.sleep(60)
PY
HOLDER=$!
wait_until 20 grep -q ready "$T/clients.out" || fail "clients: $(cat "$T/clients.out")"
out=$(zctl list 2>&1) || fail "zinit list with 80 idle clients and 64 descriptors: $out"
[ "$(echo "$out" | grep -c ': Running$')" -eq 10 ] || fail "list: $out"
assert_line 'few file descriptors left: the oldest idle control client is disconnected'
[ "$(count_lines 'few file descriptors left')" -le 2 ] || fail "the WARN repeats: $(count_lines 'few file descriptors left') lines"

# reaping and restarting still work
kill -KILL "$(host_pid "$(head -n 1 "$T/s3.pids")")"
wait_until 20 eval '[ "$(lines_of "$T/s3.pids")" -ge 2 ]' || fail "s3 not restarted under the limit"
kill "$HOLDER"; wait "$HOLDER" 2>/dev/null
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
assert_eq "$(count_lines '^zinit: INFO s[0-9]+ stopped')" 10 "services stopped by the drain"
