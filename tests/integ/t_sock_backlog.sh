# The control socket's listen backlog is the system's (SOMAXCONN), not libuv's usual 128: a burst of 250 clients that connect while zinit is not accepting (stopped by SIGSTOP) all get in line, and each is answered once zinit runs again.
. "$(dirname "$0")/lib.sh"

unit a <<YAML
exec: sleep 1000
YAML
start_zinit
wait_until 10 eval 'zctl list 2>/dev/null | grep -q "^a: Running$"' || fail "a not Running"

# A client's connect has a time-out, so it does not block: with a backlog of 128, the 130th
# connect to a socket nobody accepts fails at once with EAGAIN (sockclient exits 2).
N=250 # under the 256 clients zinit serves at once (t_sock_limits)
kill -STOP "$ZPID"
# run directly, not through sc: $! must be the client's own pid, whose fds are counted below
"$PY" "$(dirname "$0")/sockclient.py" -t $((30 * SCALE)) many "$S" "$N" 'list\n' >"$T/many.out" 2>&1 &
MANY=$!
connected() { [ "$(ls "/proc/$MANY/fd" 2>/dev/null | wc -l)" -ge "$N" ]; }
wait_until 20 connected || { kill -CONT "$ZPID"; fail "$N clients could not all connect to a zinit that is not accepting: $(cat "$T/many.out")"; }
kill -CONT "$ZPID"
st=0
wait "$MANY" || st=$?
[ "$st" = 0 ] || fail "the burst of $N clients: exit $st: $(cat "$T/many.out")"
assert_eq "$(head -n 1 "$T/many.out")" "answered=$N" "clients answered"
grep -q '"a":"Running"' "$T/many.out" || fail "the answers: $(cat "$T/many.out")"
zctl list | grep -q '^a: Running$' || fail "zinit list after the burst"
stop_zinit
