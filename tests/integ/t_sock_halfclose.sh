# SPDX-License-Identifier: MIT
# A JSON-RPC client that half-closes (shutdown(SHUT_WR)) while zinit still owes it answers gets
# them, then EOF: zinit closes the connection once the last is written. It stopped reading at
# the EOF and never closed the connection after a `service_stop` in flight (answered once the
# service has exited), a `service_restart` sent as a notification, or a log answer too big to
# be written at once. Runs ~2 s.
. "$(dirname "$0")/lib.sh"

# slow: stops once $T/slow.go exists
unit slow <<YAML
exec: sh -c "trap 'touch $T/slow.term; while [ ! -e $T/slow.go ]; do sleep 0.05; done; exit 0' TERM; touch $T/slow.up; while :; do sleep 0.05; done"
YAML
# 1,900 lines of 520 bytes: a log answer of about 1 MiB
unit big <<YAML
exec: sh -c "x=\$(printf '%512s' | tr ' ' x); i=0; while [ \$i -lt 1900 ]; do i=\$((i + 1)); printf 'big %04d %s\n' \$i \"\$x\"; done; echo big-done; exec sleep 1000"
YAML
start_zinit
wait_file "$T/slow.up"
wait_until 20 eval 'zctl log -s big 2>/dev/null | grep -q "big-done"' || fail "big never printed all its lines"

fds() { ls "/proc/$ZPID/fd" | wc -l; }
# clients_closed: zinit holds no more descriptors than before the clients came (no slack:
# one client left behind is the failure; nothing else opens or closes one meanwhile).
clients_closed() { [ "$(fds)" -le "$FDS0" ]; }
FDS0=$(fds)

# service_stop in flight when the client half-closes: the answer once slow has exited, then EOF
sc -t 20 "$S" 's:{"jsonrpc":"2.0","id":1,"method":"service_stop","params":["slow"]}' shut eof \
	>"$T/stop.out" 2>"$T/stop.err" &
STOP=$!
wait_file "$T/slow.term" # zinit has read the request (and the EOF right behind it)
touch "$T/slow.go"
wait "$STOP" || fail "no answer then EOF to a half-closed service_stop: $(cat "$T/stop.out" "$T/stop.err")"
sc jtest 'r["id"] == 1 and r["result"] is None' <"$T/stop.out" || fail "service_stop's answer: $(cat "$T/stop.out")"
wait_until 10 clients_closed || fail "zinit still holds $(fds) fds after the service_stop client left (was $FDS0)"

# a notification in flight (no answer owed, only the restart to wait for)
rm -f "$T/slow.term" "$T/slow.go" "$T/slow.up"
zctl start slow || fail "cannot start slow again"
wait_file "$T/slow.up"
sc -t 20 "$S" 's:{"jsonrpc":"2.0","method":"service_restart","params":["slow"]}' shut eof \
	>"$T/restart.out" 2>"$T/restart.err" &
RESTART=$!
wait_file "$T/slow.term"
touch "$T/slow.go"
wait "$RESTART" || fail "no EOF to a half-closed service_restart notification: $(cat "$T/restart.err")"
assert_eq "$(cat "$T/restart.out")" "" "the answer to a notification"
wait_until 10 clients_closed || fail "zinit still holds $(fds) fds after the notification's client left (was $FDS0)"

# a log answer still being written at the EOF
sc -t 20 "$S" 's:{"jsonrpc":"2.0","id":2,"method":"stream_currentLogs","params":["big"]}' shut eof \
	>"$T/logs.out" 2>"$T/logs.err" || fail "no log answer then EOF after a half-close: $(cat "$T/logs.err")"
sc jtest 'r["id"] == 2 and r["result"][-1] == "[+] big: big-done"' <"$T/logs.out" ||
	fail "the log answer is not whole: $(head -c 300 "$T/logs.out")"
wait_until 10 clients_closed || fail "zinit still holds $(fds) fds after the log client left (was $FDS0)"

stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
