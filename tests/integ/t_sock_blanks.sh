# SPDX-License-Identifier: MIT
# A client sending only blanks (spaces) is held to the limits of a request: the blanks before
# the first byte that picks the protocol count towards a command, so past 4096 of them it is a
# line-protocol command too long (one error, EOF). zinit read 43 MiB of spaces in 10 s before
# (rescanning them all on each read) until its stall timer fired, and the budget disconnected
# a `zinit log` follower to make room for them. Runs ~3 s.
. "$(dirname "$0")/lib.sh"

unit svc <<YAML
exec: sh -c 'echo svc-up; exec sleep 1000'
YAML
start_zinit
wait_line '^zinit: INFO svc started'
zctl log >"$T/follow" 2>&1 &
follower=$!
wait_until 10 grep -q 'svc-up' "$T/follow" || fail "the follower got no ring"

sc -t $((8 * SCALE)) flood "$S" blank 64 >"$T/flood" || fail "blank flood client failed: $(cat "$T/flood")"
sent=$(head -n 1 "$T/flood")
echo >&2 "$sent"
case $sent in "sent="*" eof=1") ;; *) fail "no EOF for 64 MiB of blanks within 8 s: $sent" ;; esac
sent=${sent#sent=} sent=${sent% eof=1}
# 4 KiB, one read and the socket's buffers: far from the megabytes zinit read before
[ "$sent" -lt $((4 * 1024 * 1024)) ] || fail "zinit read $sent bytes of blanks"
assert_eq "$(tail -n +2 "$T/flood")" '{"state":"error","body":"request too long"}' "answer to the blanks"

kill -0 "$follower" 2>/dev/null || fail "the follower was disconnected: $(tail -n 3 "$T/follow")"
assert_no_line 'control clients hold more than 32 MiB'
# blanks before a command still do no harm, and a blank line is still "unknown command"
sc jtest 'r["state"] == "ok" and r["body"]["svc"] == "Running"' < <(sc "$S" 's: \t list\n' eof) || fail "list after blanks"
assert_eq "$(sc "$S" 's: \t \r\n' eof)" '{"state":"error","body":"unknown command"}' "a blank line"
sc "$S" 's:   {"jsonrpc":"2.0","id":1,"method":"service_list"}' l | sc jtest 'r["result"]["svc"] == "Running"' || fail "JSON-RPC after blanks"
kill "$follower"; wait "$follower" 2>/dev/null
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"
