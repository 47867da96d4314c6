# The v0.2 line protocol through a raw client: one JSON object, no trailing newline, then EOF; every body exactly as zinit v0.2.10 (ZINIT-COMPAT §5.2, §8 case 37); log snapshot and follow.
. "$(dirname "$0")/lib.sh"

# ask CMD: one command line (escapes as sockclient's s:) to a new connection; prints the reply
# verbatim and fails unless EOF followed it.
ask() {
	sc "$S" "s:$1" eof >"$T/reply" || fail "no answer then EOF to '$1'"
	cat "$T/reply"
}
# expect CMD REPLY: the exact bytes of the answer.
expect() {
	local got
	got=$(ask "$1")
	assert_eq "$got" "$2" "answer to '$1'"
	[ "$(tail -c 1 "$T/reply")" = "}" ] || fail "answer to '$1' does not end with '}'"
}
# Checks of behaviour believed broken are collected, so that the rest of the file still runs.
LATER=
later() {
	echo "FAIL (deferred): $*" >&2
	LATER="$LATER; $*"
}

unit a <<YAML
exec: sh -c 'echo a-ready; exec sleep 1000'
YAML
unit b <<YAML
exec: sh -c 'trap "echo usr1 >> $T/b.usr1" USR1; echo b-up; while :; do sleep 0.05; done'
YAML
# keeps the drain going until $T/release appears, to ask the socket things during it
unit slow <<YAML
exec: sh -c 'trap "while [ ! -e $T/release ]; do sleep 0.05; done; exit 0" TERM; while :; do sleep 0.05; done'
shutdown_timeout: 120
YAML
start_zinit
wait_line '^zinit: INFO slow started'
running() { sc "$S" 's:list\n' eof | sc jtest "r['body'] == {'a': 'Running', 'b': 'Running', 'slow': 'Running'}" 2>/dev/null; }
wait_until 10 running || fail "a, b and slow never all Running"

# list: exactly one JSON object, no newline after it, then EOF
ask 'list\n' >/dev/null
[ "$(head -c 22 "$T/reply")" = '{"state":"ok","body":{' ] || fail "list reply: $(cat "$T/reply")"
[ "$(tail -c 1 "$T/reply" | od -An -c | tr -d ' ')" = "}" ] || fail "list reply has a trailing byte after the object"
sc jtest 'r == {"state": "ok", "body": {"a": "Running", "b": "Running", "slow": "Running"}} and list(r) == ["state", "body"]' <"$T/reply" ||
	fail "list body"
# extra arguments to list are ignored, as zinit
sc jtest 'r["body"]["a"] == "Running"' < <(ask 'list a b c\n') || fail "list with arguments"

# status
ask 'status a\n' >/dev/null
sc jtest 'r["state"] == "ok" and list(r["body"]) == ["name", "pid", "state", "target", "after"] and r["body"]["name"] == "a" and r["body"]["pid"] > 0 and r["body"]["state"] == "Running" and r["body"]["target"] == "Up" and r["body"]["after"] == {}' <"$T/reply" ||
	fail "status a"
# a command without its newline, followed by shutdown(SHUT_WR), is still answered
sc "$S" 's:status a' shut eof >"$T/reply" || fail "no answer to a command ended by EOF"
sc jtest 'r["state"] == "ok" and r["body"]["name"] == "a"' <"$T/reply" || fail "status a ended by EOF"
# \r\n ends a line as well
sc jtest 'r["state"] == "ok" and r["body"]["name"] == "b"' < <(ask 'status b\r\n') || fail "status b with CRLF"

# every error body, exactly
expect 'status x\n' '{"state":"error","body":"service name \"x\" unknown"}'
expect 'start x\n' '{"state":"error","body":"service name \"x\" unknown"}'
expect 'stop x\n' '{"state":"error","body":"service name \"x\" unknown"}'
expect 'forget x\n' '{"state":"error","body":"service name \"x\" unknown"}'
expect 'kill x SIGUSR1\n' '{"state":"error","body":"service name \"x\" unknown"}'
expect 'monitor x\n' '{"state":"error","body":"failed to load service config"}'
expect 'monitor a\n' '{"state":"error","body":"service \"a\" already monitored"}'
# a name that is a path: refused before any file is looked for, the reason logged (ours)
expect 'monitor ../x\n' "{\"state\":\"error\",\"body\":\"invalid service name \\\"../x\\\" (zinit's log says why)\"}"
expect 'monitor ..\n' "{\"state\":\"error\",\"body\":\"invalid service name \\\"..\\\" (zinit's log says why)\"}"
wait_line '^zinit: WARN unit name "\.\./x" refused: the unit name contains a slash$'
wait_line '^zinit: WARN unit name "\.\." refused: the unit name is \. or \.\.$'
expect 'forget a\n' '{"state":"error","body":"service \"a\" is up"}'
expect 'kill b USR1\n' '{"state":"error","body":"EINVAL: Invalid argument"}'
expect 'frobnicate\n' "{\"state\":\"error\",\"body\":\"unknown command 'frobnicate' or wrong arguments count\"}"
expect 'status\n' "{\"state\":\"error\",\"body\":\"unknown command 'status' or wrong arguments count\"}"
expect 'kill b\n' "{\"state\":\"error\",\"body\":\"unknown command 'kill' or wrong arguments count\"}"
expect 'start "x\n' '{"state":"error","body":"invalid command syntax"}'
expect 'log foo\n' '{"state":"error","body":"invalid log command arguments"}'
# a NUL byte is named, not taken for the end of the command (`status a` ran)
expect 'status a\x00junk\n' '{"state":"error","body":"the command contains a NUL byte (at offset 8)"}'
expect '\x00\x01\xff\n' '{"state":"error","body":"the command contains a NUL byte (at offset 0)"}'
expect 'status a\xff\n' '{"state":"error","body":"the command is not valid UTF-8 (byte 0xff at offset 8)"}'

# the ok bodies are null, and the commands act
expect 'start a\n' '{"state":"ok","body":null}'
wait_until 10 eval 'ask "log snapshot\n" | grep -q "^\[+\] b: b-up"' || fail "b never printed b-up"
expect 'kill b SIGUSR1\n' '{"state":"ok","body":null}'
wait_file "$T/b.usr1"
expect 'kill b sigusr1\n' '{"state":"ok","body":null}'
wait_until 10 eval '[ "$(wc -l <"$T/b.usr1")" -eq 2 ]' || fail "the second SIGUSR1 (lower case) did not arrive"
expect 'stop b\n' '{"state":"ok","body":null}'
sc jtest 'r["body"]["target"] == "Down" and r["body"]["pid"] == 0' < <(ask 'status b\n') || fail "b after stop"
expect 'kill b SIGUSR1\n' '{"state":"error","body":"service \"b\" is down"}'
expect 'forget b\n' '{"state":"ok","body":null}'
expect 'status b\n' '{"state":"error","body":"service name \"b\" unknown"}'
expect 'monitor b\n' '{"state":"ok","body":null}'
wait_until 10 eval 'ask "status b\n" | grep -q "\"state\":\"Running\""' || fail "b not Running after monitor"

# log snapshot: the ring's raw lines, then EOF
ask 'log snapshot\n' >/dev/null
grep -qx '\[+\] a: a-ready' "$T/reply" || fail "log snapshot lacks '[+] a: a-ready': $(cat "$T/reply")"
grep -q 'state' "$T/reply" && fail "log snapshot carries JSON: $(cat "$T/reply")"

# log: the ring, then a line printed after the client connected
unit late <<YAML
exec: sh -c 'echo late-line; exec sleep 1000'
YAML
sc "$S" 's:log\n' 'until:late-line' >"$T/follow" 2>"$T/follow.err" &
follower=$!
wait_until 10 grep -q 'a-ready' "$T/follow" || fail "log did not send the ring: $(cat "$T/follow.err")"
expect 'monitor late\n' '{"state":"ok","body":null}'
wait "$follower" || fail "log did not stream the new line: $(cat "$T/follow.err")"
grep -qx '\[+\] late: late-line' "$T/follow" || fail "followed log: $(cat "$T/follow")"

# an empty line is a command: zinit answers "unknown command" (ZINIT-COMPAT §8 case 37); so is
# a blank one
for line in '\n' '  \n'; do
	sc -t $((3 * SCALE)) "$S" "s:$line" eof >"$T/reply" 2>"$T/reply.err" || later "no answer then EOF to the line '$line': $(cat "$T/reply.err")"
	[ "$(cat "$T/reply"; echo .)" = '{"state":"error","body":"unknown command"}.' ] || later "answer to the line '$line': '$(cat "$T/reply")'"
done

# shutdown: answered null, then the drain; the socket still answers during it
expect 'shutdown\n' '{"state":"ok","body":null}'
wait_line '^zinit: INFO stopping slow'
expect 'start a\n' '{"state":"error","body":"zinit is shutting down"}'
expect 'monitor q\n' '{"state":"error","body":"zinit is shutting down"}'
expect 'shutdown\n' '{"state":"error","body":"zinit is shutting down"}'
sc jtest 'r["state"] == "ok" and "slow" in r["body"]' < <(ask 'list\n') || fail "list during the drain"
touch "$T/release"
wait_exit
assert_eq "$STATUS" 0 "exit status"
[ -z "$LATER" ] || fail "deferred failures:$LATER"
